"""The title scan's fast reading (the text split into words in C, only the words that begin a title
grown) finds what reading every place a title may begin finds, on any text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from madrega.study.linker import references

REALTEXT = Path(__file__).parent / "data" / "realtext"

PIECES = [
    *"abc _-'.,;:()\"’”2\n\t",
    "shulchan arukh",
    "orach chaim",
    "law's of",
    "mishneh torah",
    "the",
    "12",
    "hilchot",
    "בבא",
    "_x",
    ".2hag",
    "genesis",
    "rabbah",
    "kings",
    "ii",
    "tur",
    "song of songs",
    "é",
]


def _scans(text: str) -> list[tuple[str, str]]:
    """(scan, norm) as the linker reads a text: its normalized form, and the scan `_title_scan` makes of
    it (Hebrew hyphens read as spaces, "law's of" as 'laws of')."""
    norm, _ = references._normalize(text)
    scan = references._HE_HYPHEN.sub(" ", norm) if "-" in norm else norm
    if "law's of" in scan:
        scan = references._LAWS_OF.sub(" laws of", scan)
    return [(norm, norm), (scan, norm), (text, text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_the_fast_title_scan_finds_what_reading_every_place_finds(text: str) -> None:
    auto = references._automaton()
    for scan, norm in _scans(text):
        assert auto._plain_spans(scan, norm) == auto._plain_spans_each(scan, norm)


def test_the_fast_title_scan_finds_what_reading_every_place_finds_on_real_text() -> None:
    auto = references._automaton()
    files = sorted(REALTEXT.glob("*.json"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        for scan, norm in _scans(text):
            assert auto._plain_spans(scan, norm) == auto._plain_spans_each(scan, norm), path.name


@given(st.text(alphabet=" \t\n\r\u00a0ab'\"*-([", max_size=30), st.integers(min_value=0, max_value=30))
def test_a_line_is_opened_by_what_the_strip_would_leave_empty(norm: str, start: int) -> None:
    start = min(start, len(norm))
    line_start = norm.rfind("\n", 0, start) + 1
    assert references._opens_its_line(norm, start) == (not norm[line_start:start].strip())
    chars = " \t'\"*-(["
    assert references._opens_its_line(norm, start, chars) == (not norm[line_start:start].strip(chars))
