"""Forms the eighth held-out set of real Hebrew pages (tests/data/realtext/he-*-8xx) wrote that the parser
and the linker misread or missed: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of
from madrega.refs import RefError, parse


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
        # 'ס"ק' after a siman is its seif katan, as before (no seif 100)
        ('משנה ברורה סימן י"ז ס"ק ה', "Mishnah Berurah 17:5"),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a commentator named before '(שם)' after a daf: his comment on it (was the daf itself)
        (
            "כמבואר בגמ' (שבת קיד.) וברש\"י (שם) שם.",
            [("שבת קיד.", "Shabbat 114a"), ('וברש"י (שם', "Rashi on Shabbat 114a")],
        ),
        (
            "ועיין בגמרא (ברכות ה.) ובתוספות (שם) שכתבו",
            [("ברכות ה.", "Berakhot 5a"), ("ובתוספות (שם", "Tosafot on Berakhot 5a")],
        ),
        # the verse's, as before
        (
            'כמו שכתוב (בראשית א, א) ורש"י (שם) פירש',
            [("בראשית א, א", "Genesis 1:1"), ('ורש"י (שם', "Rashi on Genesis 1:1")],
        ),
    ],
)
def test_commentator_before_ibid_in_parentheses(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_the_rambams_ibid_is_the_mishneh_torah_cited_last() -> None:
    # the Ein Mishpat's 'מיי' שם הל' ח' after a Shulchan Arukh siman: the hilchot and chapter of the
    # Rambam cited last (was siman 8 of the Shulchan Arukh), the line's colon no amud
    text = "ג א מיי' פי\"ג מהל' שבת הלכה ז', טור ושו\"ע או\"ח סי' שמ\"ז:\n\nד ב מיי' שם הל' ח:"
    assert refs_of(text)[-1] == ("שם הל' ח:", "Mishneh Torah, Sabbath 13:8")
    # no Rambam cited before: no guess
    assert refs_of("טור ושו\"ע או\"ח סי' שמ\"ז:\nד ב מיי' שם הל' ח:") == [
        ('ושו"ע או"ח סי\' שמ"ז', "Shulchan Arukh, Orach Chayim 347")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # chapter and verse alone in parentheses, the book named in the text before ('ספר במדבר')
        (
            'של ספר במדבר נגזרים מחטא המרגלים, כגון "המעט כי העליתנו" (ט"ז, י"ד), המפקד השני (כ"ו, ב-ס"ג), '
            'שנצרך (שם, ס"ד-ס"ה).',
            [
                ('(ט"ז, י"ד)', "Numbers 16:14"),
                ('(כ"ו, ב-ס"ג)', "Numbers 26:2-63"),
                ('שם, ס"ד-ס"ה', "Numbers 26:64-65"),
            ],
        ),
        # or by the weekly portion heading the text; the ibid after them is theirs, not the Mishnah's
        (
            'עקב | בין שמע לוהיה\n\nבין פרשות "שמע" (ו\', ד–ט) ו"והיה" (י"א, יג–כא) יש קשרים (ברכות פ"ב מ"ב).'
            "\n\nשמע ישראל (ו', ד–ה). והיו הדברים (שם, ו)",
            [
                ("(ו', ד–ט)", "Deuteronomy 6:4-9"),
                ('(י"א, יג–כא)', "Deuteronomy 11:13-21"),
                ('ברכות פ"ב מ"ב', "Mishnah Berakhot 2:2"),
                ("(ו', ד–ה)", "Deuteronomy 6:4-5"),
                ("שם, ו", "Deuteronomy 6:6"),
            ],
        ),
        # no book of the Bible named: nothing
        ("כתב המחבר (ג, ד) שאין", []),
        ("עיין במשנה ברורה סימן א. וכתב עוד (ג, ד) שאין", [("במשנה ברורה סימן א", "Mishnah Berurah 1")]),
    ],
)
def test_chapter_and_verse_alone_in_a_text_on_a_book(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a tractate's chapter after the word ירושלמי is the Yerushalmi's (was the Mishnah's)
        ('ועיין ירושלמי פ"ב דפאה', [('ירושלמי פ"ב דפאה', "Jerusalem Talmud Peah 2")]),
        ('ועיין במשנה פ"ב דפאה', [('פ"ב דפאה', "Mishnah Peah 2")]),
        # two gereshes typed for the gershayim in a number (was no citation)
        ("ובויקרא רבה פכ''ב ע''ש", [("ובויקרא רבה פכ''ב", "Vayikra Rabbah 22")]),
    ],
)
def test_yerushalmi_chapter_and_two_gereshes_in_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected
