"""Forms the tenth held-out set of real Hebrew pages (tests/data/realtext/he-*-10xx) wrote that the linker
misread or missed: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of
from madrega.refs import parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Hebrew book's chapter and verse in digits, as Hebrew pages translated or typed so write them
        # (was nothing)
        ("כמו שנאמר (בראשית 15:5.) על הכוכבים", [("בראשית 15:5", "Genesis 15:5")]),
        ("הפרשה הזאת היא בראשית 25:19–28:9. ובה", [("בראשית 25:19–28:9", "Genesis 25:19-28:9")]),
        ("ראו ישעיהו 2:4; מיכה 4:3", [("ישעיהו 2:4", "Isaiah 2:4"), ("מיכה 4:3", "Micah 4:3")]),
        ("וכתוב בשמות 12:2-4 כך", [("בשמות 12:2-4", "Exodus 12:2-4")]),
    ],
)
def test_a_hebrew_book_with_its_chapter_and_verse_in_digits(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a lone number after a title that is also a word is a count, not a chapter: the colon is required
        "הם הלכו במדבר 40 שנה",
        "ישבו במדבר 20 יום",
        # a time of day after it is no chapter and verse either
        "יצאנו לטייל במדבר 5:30 בבוקר",
    ],
)
def test_a_lone_digit_after_a_hebrew_title_is_no_chapter(text: str) -> None:
    assert refs_of(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a chapter and a list of verses: the first verse (was the whole chapter, Deuteronomy 33)
        ("גד ודן נמשלו לאריה (דברים לג כ,כב).", "Deuteronomy 33:20"),
        ("גד ודן נמשלו לאריה (דברים לג כ, כב).", "Deuteronomy 33:20"),
        # three bare numbers stay a chapter and two verses that follow one another
        ("ועלה משה (דברים לב מט נ).", "Deuteronomy 32:49-50"),
    ],
)
def test_a_verse_and_another_after_a_comma(text: str, expected: str) -> None:
    assert [r for _t, r in refs_of(text)] == [expected]


def test_the_semak_by_its_initials() -> None:
    # 'סמ"ק' is the Sefer Mitzvot Katan (was nothing; after a line on the Yereim, its siman was read as
    # the Yereim's: a wrong answer)
    assert str(parse('סמ"ק סימן ריט')) == "Sefer Mitzvot Katan 219"
    text = 'יראים: ספר יראים, סימן צ\nסמ"ק: סמ"ק, סימן ריט'
    assert refs_of(text) == [
        ("ספר יראים, סימן צ", "Sefer Yereim 90"),
        ('סמ"ק, סימן ריט', "Sefer Mitzvot Katan 219"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # chapter and verse alone after the weekly portion named (was nothing)
        ("השבת נזכרת בתחילת פרשת כי תשא (לא, יב-יז). ושם", [("(לא, יב-יז)", "Exodus 31:12-17")]),
        (
            'פרשת השבוע - פרשת "וארא"\nהבטחה לאבות (ו, ב-יג)\nמשפחת לוי (ו, יד-כז)',
            [("(ו, ב-יג)", "Exodus 6:2-13"), ("(ו, יד-כז)", "Exodus 6:14-27")],
        ),
    ],
)
def test_chapter_and_verse_alone_after_the_portion_named(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a chapter the portion does not have is not read into its book
        "פרשת כי תשא ... ואמר (ב, ג)",
        # a tractate named after the portion governs the parentheses, as before
        "פרשת בא ובמסכת שבת (ב, ג)",
    ],
)
def test_a_portion_named_does_not_claim_every_chapter_and_verse(text: str) -> None:
    assert refs_of(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one geresh typed between a numeral's letters for its gershayim (was Exodus 20, a wrong answer)
        ("'ועשית מנורת זהב' (שמות כ'ה פסוק לא) והמשך", "Exodus 25:31"),
        ("שבת קי'ח ע\"ב", "Shabbat 118b"),
        # a geresh after each number stays two numbers
        ("שמות כ' ה'", "Exodus 20:5"),
    ],
)
def test_a_geresh_inside_a_numeral(text: str, expected: str) -> None:
    assert [r for _t, r in refs_of(text)] == [expected]


def test_a_heading_after_the_blessing_a_page_opens_with() -> None:
    # 'ב"ה' before the heading naming the hilchot: the chapter and halakha below are theirs (was nothing)
    text = "ב”ה הלכות תשובה לרמב”ם\nוכן בפרק ז’ הלכה א’ כתב הרמב”ם שישתדל האדם לעשות תשובה"
    assert refs_of(text) == [("בפרק ז’ הלכה א’", "Mishneh Torah, Repentance 7:1")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the Midrash Rabbah called רבות, by a weekly portion and its parashah (was nothing)
        ('ואכלת ושבעת וברכת (וכ"ה ברבות נשא פי"א). וצריך להבין', "Bamidbar Rabbah 11"),
        ("ועיין ברבות פרשת לך לך פ' מ\"ד", "Bereshit Rabbah 44"),
    ],
)
def test_the_rabbot_by_portion(text: str, expected: str) -> None:
    assert [r for _t, r in refs_of(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 'לעיל' / 'לקמן' with a chapter, in a commentary headed by a verse of the book: that book's chapter
        # before or after the one the page is on (open 8xx misses; was nothing)
        (
            'מ"ג ישעיהו לג טז\n"נאמנים" - ענינו דבר המתקיים כמו יתד במקום נאמן (לעיל כב)',
            ("(לעיל כב)", "Isaiah 22"),
        ),
        ('מ"ג ישעיהו לד טז\n"נעדרה" - ענין חסרון (לקמן מ, כו)', ("(לקמן מ, כו)", "Isaiah 40:26")),
    ],
)
def test_above_and_below_in_the_book_the_page_is_on(text: str, expected: tuple[str, str]) -> None:
    assert refs_of(text)[-1] == expected


@pytest.mark.parametrize(
    "text",
    [
        # 'לקמן' is a chapter after the page's: chapter 22 on a page on chapter 33 is no such place
        'מ"ג ישעיהו לג טז\n"נאמנים" - כמו יתד (לקמן כב)',
        # with no heading naming the book, nothing to read it in
        "ונאמר כמו יתד במקום נאמן (לעיל כב)",
    ],
)
def test_above_and_below_need_the_book_and_the_direction(text: str) -> None:
    assert [r for t, r in refs_of(text) if "לעיל" in t or "לקמן" in t] == []
