"""More forms the seventh held-out set of real Hebrew pages (tests/data/realtext/he-*-7xx) wrote that the
linker misread or missed: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the gershayim typed as two gereshes: the title the catalog spells with '"' (was the Rambam's
        # commentary on Avot, read from 'הרמב׳׳ם לאבות' without the word before it)
        ("ראה הקדמת הרמב׳׳ם לאבות, פרק ד׳\n", [("הקדמת הרמב׳׳ם לאבות, פרק ד׳", "Eight Chapters 4")]),
        ("ראה הקדמת הרמב''ם לאבות פרק ד", [("הקדמת הרמב''ם לאבות פרק ד", "Eight Chapters 4")]),
        ('ראה הקדמת הרמב"ם לאבות פרק ד', [('הקדמת הרמב"ם לאבות פרק ד', "Eight Chapters 4")]),
    ],
)
def test_two_gereshes_are_gershayim_in_a_title(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # three bare numbers closing the parentheses: the chapter and two verses (was 32:49 alone)
        ("וימת שם (דברים לב מט נ).", [("דברים לב מט נ", "Deuteronomy 32:49-50")]),
        ("כמו שכתוב (תהלים א ב ג) והיה", [("תהלים א ב ג", "Psalms 1:2-3")]),
        # verses that do not follow each other are no range: the first place stays as it was read
        ("וימת שם (דברים לב מט נב).", [("דברים לב מט", "Deuteronomy 32:49")]),
        # written with a hyphen, as before
        ("וימת שם (דברים לב מט-נ).", [("דברים לב מט-נ", "Deuteronomy 32:49-50")]),
    ],
)
def test_two_verses_after_the_chapter(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Mishneh Torah book of laws named by its first subject alone, as the others are ('הלכות חמץ'):
        # its chapters are numbered through the whole book (tefillin 1-4, mezuzah 5-6, the scroll 7-10)
        (
            "כמבואר בפרק א' מהלכות תפילין",
            [("בפרק א' מהלכות תפילין", "Mishneh Torah, Tefillin, Mezuzah and the Torah Scroll 1")],
        ),
        (
            'וכתב הרמב"ם פ"ה מהל\' מזוזה ה"א',
            [('פ"ה מהל\' מזוזה ה"א', "Mishneh Torah, Tefillin, Mezuzah and the Torah Scroll 5:1")],
        ),
        (
            'רמב"ם הלכות חנוכה פ"ג ה"א',
            [('רמב"ם הלכות חנוכה פ"ג ה"א', "Mishneh Torah, Scroll of Esther and Hanukkah 3:1")],
        ),
        ('רמב"ם הל\' סוכה פ"ו', [('רמב"ם הל\' סוכה פ"ו', "Mishneh Torah, Shofar, Sukkah and Lulav 6")]),
    ],
)
def test_a_book_of_the_mishneh_torah_by_its_first_subject(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a part of a book of parts spelt without a letter the catalog's name has (הבטחון for הביטחון)
        (
            "כמבואר בחובות הלבבות שער הבטחון פרק ד שם",
            [("בחובות הלבבות שער הבטחון פרק ד", "Duties of the Heart, Fourth Treatise on Trust 4")],
        ),
        (
            'ועיין (חובות הלבבות שער הבטחון פ"ד) ושם',
            [('חובות הלבבות שער הבטחון פ"ד', "Duties of the Heart, Fourth Treatise on Trust 4")],
        ),
    ],
)
def test_a_part_spelt_otherwise(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_part_spelt_otherwise_parses() -> None:
    from madrega.refs import parse

    assert str(parse("חובות הלבבות שער הבטחון ד")) == "Duties of the Heart, Fourth Treatise on Trust 4"
    assert str(parse("חובת הלבבות שער הפרישות ד")) == "Duties of the Heart, Ninth Treatise on Abstinence 4"


@pytest.mark.parametrize("text", ["שולחן ערוך הלכות שבת סימן א", "שולחן ערוך הלכות תפילין סימן לב"])
def test_a_siman_is_no_chapter_of_the_mishneh_torah(text: str) -> None:
    # the Shulchan Arukh's section 'הלכות שבת' before its siman (was Mishneh Torah, Sabbath 1)
    assert not [ref for _, ref in refs_of(text) if ref.startswith("Mishneh Torah")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a weekly portion's name for its book, with a chapter and verse the portion holds
        ("והאמין בה' – לך לך טו, ו.", [("לך לך טו, ו", "Genesis 15:6")]),
        ("כמו שכתוב בפרשת חיי שרה כג, א", [("חיי שרה כג, א", "Genesis 23:1")]),
        ("פרשת ראה יא, כו", [("פרשת ראה יא, כו", "Deuteronomy 11:26")]),
    ],
)
def test_a_weekly_portion_for_its_book(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "כמו שכתוב לך לך כה, א",  # Genesis 25:1 is no verse of Lech Lecha (12:1-17:27)
        "ראה יב, ג",  # 'see 12:3': a short portion name that is a word needs 'פרשת'
        "בא י, א",
    ],
)
def test_a_weekly_portion_only_where_it_holds_the_verse(text: str) -> None:
    assert refs_of(text) == []


def test_a_list_of_simanim_after_one_siman() -> None:
    # three numbers after 'סימן' are no siman and seif: a list of simanim of the work named before
    text = 'מה שנכתוב בשם ספר החינוך. וכתב [בסימן כ"ה כ"ו תי"ז] שש מצוות תמידיות'
    assert [ref for _, ref in refs_of(text)] == [
        "Sefer HaChinukh 25",
        "Sefer HaChinukh 26",
        "Sefer HaChinukh 417",
    ]


def test_two_numbers_after_a_siman_stay_as_they_were() -> None:
    text = 'מה שנכתוב בשם ספר החינוך. וכתב [בסימן כ"ה כ"ו] שש מצוות תמידיות'
    assert [ref for _, ref in refs_of(text)] == ["Sefer HaChinukh 25"]


def test_a_braced_verse_number_under_a_chapter_heading() -> None:
    # '{א}' opening a comment under a heading that names one chapter: that verse of the chapter
    text = "אור החיים, דברים פרק ד\n\n{א} ועתה ישראל וגו'. אולי כך\n\n{ב} לא תוסיפו"
    assert [ref for _, ref in refs_of(text)] == [
        "Or HaChaim on Deuteronomy 4",
        "Or HaChaim on Deuteronomy 4:1",
        "Or HaChaim on Deuteronomy 4:2",
    ]


def test_a_braced_number_without_a_chapter_heading_is_nothing() -> None:
    assert refs_of("שלום לכם\n{א} ועתה ישראל") == []
