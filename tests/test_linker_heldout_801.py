"""Forms the eighth held-out set of real Hebrew pages (tests/data/realtext/he-*-8xx) wrote that the parser
and the linker misread or missed: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from madrega.refs import RefError, parse
from madrega.study.linker import link


def refs_of(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.ref) for c in link(text) if c.kind == "reference"]


@pytest.mark.parametrize(
    "text",
    [
        # a list of simanim after the word סימן (was siman 25, seif 26 and a third level, 417)
        'שו"ע או"ח סימן כ"ה כ"ו תי"ז',
        "משנה ברורה סימן א ב ג",
        "שו\"ע יו\"ד רמ\"ב ג' ד' ה'",
    ],
)
def test_more_hebrew_numbers_than_levels_are_refused(text: str) -> None:
    with pytest.raises(RefError, match="more levels than it has"):
        parse(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the segment level stays readable where its numbers are marked apart, as `Ref.he` writes it
        ('שו"ע או"ח כה, כו, ד', "Shulchan Arukh, Orach Chayim 25:26:4"),
        ("Shulchan Arukh, Orach Chayim 25:26:4", "Shulchan Arukh, Orach Chayim 25:26:4"),
        ("סוטה לה א:יא", "Sotah 35a:11"),
        # and two numbers are a siman and its seif, as before
        ('שו"ע או"ח סימן כ"ה כ"ו', "Shulchan Arukh, Orach Chayim 25:26"),
    ],
)
def test_marked_apart_levels_still_read(text: str, expected: str) -> None:
    assert str(parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 'ס"ג' after a siman's number is its seif 3 (was seif 63); 'ס"י - סי"א' seifim 10 to 11
        ('שו"ע או"ח סי\' ב ס"ג', "Shulchan Arukh, Orach Chayim 2:3"),
        ('שו"ע או"ח סימן רנ"ד ס"ו', "Shulchan Arukh, Orach Chayim 254:6"),
        ('שו"ע או"ח סי\' י ס"י - סי"א', "Shulchan Arukh, Orach Chayim 10:10-11"),
        ('שו"ע או"ח סי\' קכד סי"א', "Shulchan Arukh, Orach Chayim 124:11"),
        # with no siman's number before it, ס"ג stays the number 63
        ('שו"ע או"ח סימן ס"ג', "Shulchan Arukh, Orach Chayim 63"),
        ('שו"ע או"ח ס"ג', "Shulchan Arukh, Orach Chayim 63"),
    ],
)
def test_seif_glued_to_its_number_after_a_siman(text: str, expected: str) -> None:
    assert str(parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the part's initials where reading them as a siman leaves one number too many (was OC 14:91:2)
        ('כף החיים י"ד צ"א ב\'', "Kaf HaChayim on Shulchan Arukh, Yoreh De'ah 91:2"),
        # two numbers: siman 14 of the part the title names, as before
        ("כף החיים י\"ד ב'", "Kaf HaChayim on Shulchan Arukh, Orach Chayim 14:2"),
    ],
)
def test_part_initials_before_the_siman(text: str, expected: str) -> None:
    assert str(parse(text)) == expected
