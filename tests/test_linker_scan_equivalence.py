"""The linker's shortcuts find what the plain patterns they stand for find: the same matches, in the
same order, on any text (hypothesis draws texts from the pieces the patterns care about)."""

from __future__ import annotations

import re

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


_AMUD_PIECES = st.sampled_from(
    [
        "in",
        "on",
        "at",
        "see",
        "cf.",
        "until",
        "till",
        "from",
        "to",
        "x",
        "bin",
        " ",
        "  ",
        "\t",
        "-",
        "–",
        ":",
        "31b",
        "2a",
        "1234a",
        "12",
        "b",
        "a",
        ".",
        "\n",
    ]
)


@given(st.lists(_AMUD_PIECES, max_size=30).map("".join))
def test_an_amud_after_a_word_is_found_from_the_amud_back_as_the_pattern_finds_it(text: str) -> None:
    plain = [(m.start(), m.end(), m.group("addr")) for m in references._AMUD_AFTER_WORD.finditer(text)]
    shortcut = [(m.start(), m.end(), m.group("addr")) for m in references._amuds_after_a_word(text)]
    assert shortcut == plain


def test_the_amud_shortcut_finds_the_forms_people_write() -> None:
    text = "further on in 31b; see 2a, cf. 14b, until 3a-4b, xin 5a, to\t 7b and from 12a"
    assert [m.group("addr") for m in references._amuds_after_a_word(text)] == [
        "31b",
        "2a",
        "14b",
        "7b",
        "12a",
    ]
    assert list(map(re.Match.span, references._amuds_after_a_word(text))) == list(
        map(re.Match.span, references._AMUD_AFTER_WORD.finditer(text))
    )
