"""The linker's shortcuts find what the plain patterns they stand for find: the same matches, in the
same order, on any text (hypothesis draws texts from the pieces the patterns care about)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from madrega.study.linker import references

_PIECES = st.sampled_from(
    [
        "deos",
        "teshuva",
        "tefillin",
        "mezuzah",
        "v’sefer",
        "v'",
        "u’",
        "torah",
        "–",
        "—",
        "hilchot",
        "a",
        "chapter",
        "shabbat",
        "x'",
        "’s",
        " ",
        "  ",
        "\t",
        ",",
        ", ",
        ".",
        "-",
        "1",
        "12",
        "123",
        ":",
        "1:2",
        "22:49",
        "3-4",
        " - ",
        "\n",
        "ב",
    ]
)


def _plain(text: str) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(m.start(), m.end(), m.groups()) for m in references._MT_PART_ALONE.finditer(text)]


def _shortcut(text: str) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(m.start(), m.end(), m.groups()) for m in references._mt_part_matches(text)]


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_a_part_of_the_mishneh_torah_is_found_from_its_address_back_as_the_pattern_finds_it(
    text: str,
) -> None:
    assert _shortcut(text) == _plain(text)


def test_the_shortcut_finds_the_forms_people_write() -> None:
    text = (
        "see deos 1:2, teshuva 3:4-5 and hilchot shabbat, chapter 2; pirkei avot, chapter 1:12 chassid22:49deos 1:4"
        " and tefillin, mezuzah v’sefer torah 4:26; deos – chapter 3"
    )
    assert _shortcut(text) == _plain(text)
    assert [m.group("name") for m in references._mt_part_matches(text)] == [
        "deos",
        "teshuva",
        "hilchot shabbat",
        "chapter",
        "deos",
        "tefillin, mezuzah v’sefer torah",
        "deos",
    ]
