"""What people (and their files) actually type at madrega: generated strings plus the shapes that
have broken parsers before — Unicode digits, numbers too long for any integer type, offsets past
2^63, NUL bytes, lone surrogates (what a non-UTF-8 byte in argv becomes), calendar edges, deep
nesting. Shared by the CLI and the web fuzz suites."""

from __future__ import annotations

from hypothesis import strategies as st

HEBREW = "אבגדהוזחטיכךלמםנןסעפףצץקרשת"
UNICODE_DIGITS = st.text(
    alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=6
)  # ² ① ٣ ௫ Ⅻ …
HUGE_NUMBERS = st.one_of(
    st.integers(min_value=10**19, max_value=10**40).map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from([str(2**63), str(2**63 - 1), str(-(2**63) - 1), str(2**64), "9" * 4301, "1" * 5000]),
)
EDGES = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "nan",
        "inf",
        "-inf",
        "1e400",
        "0001-01-01",
        "9999-12-31",
        "0000-00-00",
        "9999-12-31T23:59:59+14:00",
        "0001-01-01T00:00:00-12:00",
        "10000-01-01",
        "2024-02-30",
        "5785",
        'ה"א',
        "ת" * 300,
        "Genesis 1:1",
        "Genesis 99999999999999999999:1",
        "Berakhot 2a-999999999b",
        "Job 8:7-" + "9" * 30,
        "Psalms ²",
        "../../etc/passwd",
        "a" * 300,
        "%s%s%n",
        "{0}{1}",
        "'; DROP TABLE users; --",
        "<script>alert(1)</script>",
        "<div>" * 600,
        "[" * 990 + "]" * 990,
        "[/]",
        "[bold]x[/i]",
        '{"a":' * 990 + "1" + "}" * 990,
        "\u202e\u200f\ufeff",
        "🕎" * 10,
    ]
)
NUL_AND_SURROGATES = st.sampled_from(["\x00", "a\x00b", "\udcff", "\ud800", "x\udc80y", "\ud83d"])


def weird_text(*, nul: bool = True) -> st.SearchStrategy[str]:
    """One generated input: arbitrary text, or one of the known troublemakers."""
    options = [
        st.text(max_size=40),
        st.text(alphabet=HEBREW + "\"'׳״ .-:", max_size=16),
        UNICODE_DIGITS,
        HUGE_NUMBERS,
        EDGES,
    ]
    if nul:  # argv can hold neither: NUL ends a C string, and `madrega` refuses non-UTF-8 bytes itself
        options.append(NUL_AND_SURROGATES)
    return st.one_of(*options)
