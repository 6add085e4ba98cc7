"""Forms the seventh held-out set of real Hebrew pages (tests/data/realtext/he-*-7xx) wrote that the linker
misread: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from madrega.study.linker import link


def refs_of(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.ref) for c in link(text) if c.kind == "reference"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the printed Zohar's page marker 'דף נד/ב': the amud after a slash (was read as the whole daf)
        ("זוהר חלק ג דף נד/ב ולמיהך", [("זוהר חלק ג דף נד/ב", "Zohar 3:54b")]),
        ('ועיין (זח"ב קלה/א) שם', [('זח"ב קלה/א', "Zohar 2:135a")]),
    ],
)
def test_an_amud_after_a_slash(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_what_a_commentary_wrote_is_no_siman() -> None:
    # 'מש"כ' is מה שכתב, not a prefixed numeral 320 (was Mishnah Berurah 320)
    assert refs_of('עיין במ"ב מש"כ בשם הפמ"ג') == []
    assert refs_of('שו"ע או"ח סימן ש"כ') == [('שו"ע או"ח סימן ש"כ', "Shulchan Arukh, Orach Chayim 320")]


def test_a_rabbi_named_after_a_book_is_no_book() -> None:
    # 'לרבינו יונה שער א' was Jonah 1
    assert refs_of("ספר שערי תשובה לרבינו יונה שער א") == []
    assert refs_of("כתוב (יונה א, ב) קום") == [("יונה א, ב", "Jonah 1:2")]


@pytest.mark.parametrize(
    "text",
    [
        'משנה ברורה על אורח חיים יט\n(א) ולא חובת מנא - עיין לעיל סימן י"ז סק"ה מש"ש',
        'משנה ברורה על אורח חיים יט\n(א) ולא חובת מנא - עיין לעיל סימן י"ז ס"ק ה\' מש"ש',
    ],
)
def test_a_seif_katan_after_a_bare_siman_is_the_commentarys(text: str) -> None:
    # 'סק"ה' was seif ק"ה of the Shulchan Arukh, 17:105 (and 'ס"ק ה'' seif ק, 17:100)
    assert [ref for _, ref in refs_of(text)][-1:] == ["Mishnah Berurah 17:5"]


def test_a_glued_seif_katan_in_a_citation() -> None:
    assert refs_of('משנה ברורה סימן י"ז סק"ה') == [('משנה ברורה סימן י"ז סק"ה', "Mishnah Berurah 17:5")]
