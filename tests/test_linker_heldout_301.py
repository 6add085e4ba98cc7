"""Forms the third held-out set of issue 13 (tests/data/realtext/*-301…) showed the linker misread.

The sentences are ours; each form is a general way of citing: the Zohar by a weekly portion and its
daf instead of its volume, a list whose last number ends the line, ...
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as the Zohar Noach 60a explains", [("the Zohar Noach 60a", "Zohar 1:60a")]),
        ("(Zohar Tetzaveh 183b)", [("Zohar Tetzaveh 183b", "Zohar 2:183b")]),
        ("See Zohar, Balak, p. 190a.", [("Zohar, Balak, p. 190a", "Zohar 3:190a")]),
        ("(in Zohar Vayera 101a, 104b)", [("Zohar Vayera 101a", "Zohar 1:101a"), ("104b", "Zohar 1:104b")]),
    ],
)
def test_the_zohar_by_portion_and_daf(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_word_after_the_zohar_is_no_portion() -> None:
    assert refs_of("the Zohar teaches 5a lessons") == []


def test_a_list_item_may_end_its_line() -> None:
    assert refs_of("Based on: Job 8:7, 9\nand more") == [("Job 8:7", "Job 8:7"), ("9", "Job 8:9")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "כמו שכתוב (ישעיה מ, א) נחמו ועוד (שם שם, ב - ג) דברו",
            [("ישעיה מ, א", "Isaiah 40:1"), ("שם שם, ב - ג", "Isaiah 40:2-3")],
        ),
        (
            "(במדבר ו, כד) יברכך (שם שם כה) יאר",
            [("במדבר ו, כד", "Numbers 6:24"), ("שם שם כה", "Numbers 6:25")],
        ),
    ],
)
def test_ibid_twice_keeps_the_chapter(text: str, expected: list[tuple[str, str]]) -> None:
    # 'שם שם' is the same book and the same chapter: the numbers after it are verses, not chapters
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ואמר רבי יוחנן שנאמר +תהלים צא+ יושב בסתר", [("תהלים צא", "Psalms 91")]),
        ("דכתיב +משלי ג+ בכל דרכיך דעהו", [("משלי ג", "Proverbs 3")]),
    ],
)
def test_a_verse_marked_between_plus_signs(text: str, expected: list[tuple[str, str]]) -> None:
    # the editions of the Talmud mark a verse's book and chapter '+book chapter+'
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    ["ושבת עד ה' והלכת בדרכיו", "שובה ישראל עד ה' אלהיך כי כשלת"],
)
def test_the_name_after_a_word_is_no_level(text: str) -> None:
    # 'עד' is 74 and 'ה'' is also 'halakha', but after the word 'until' it is the Name: no address
    assert refs_of(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "כמבואר בליקוטי מוהר\"ן חלק ב' סימן ח ועוד",
            [("בליקוטי מוהר\"ן חלק ב' סימן ח", "Likutei Moharan, Part II 8")],
        ),
        ("עיין זוהר חלק ג' קכב ע\"א", [("זוהר חלק ג' קכב ע\"א", "Zohar 3:122a")]),
    ],
)
def test_a_part_written_with_a_geresh(text: str, expected: list[tuple[str, str]]) -> None:
    # 'חלק ב'' is part two: read without its geresh it fell away, and the siman was part one's
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Daily Tanya: Chapter 41 Part 3 (Sunday)",
            [("Tanya: Chapter 41", "Tanya, Part I; Likkutei Amarim 41")],
        ),
        (
            "Lessons in Tanya, Chapter 12, Part 2:",
            [("Tanya, Chapter 12", "Tanya, Part I; Likkutei Amarim 12")],
        ),
    ],
)
def test_a_part_after_the_chapter_is_not_its_section(text: str, expected: list[tuple[str, str]]) -> None:
    # a lesson's 'Part 3' of a chapter is a portion of the day's study, not the chapter's third section
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "as taught in the Jerusalem Talmud, Peah 1:1.",
            [("Jerusalem Talmud, Peah 1:1", "Jerusalem Talmud Peah 1:1")],
        ),
        ("(Yerushalmi, Taanit 4:5)", [("Yerushalmi, Taanit 4:5", "Jerusalem Talmud Taanit 4:5")]),
    ],
)
def test_the_jerusalem_talmud_named_before_a_comma(text: str, expected: list[tuple[str, str]]) -> None:
    # the tractate alone is the Bavli's (or the Mishnah's); the words before the comma say which Talmud
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tanya, Likuttei Amarim, ch. 41",
            [("Likuttei Amarim, ch. 41", "Tanya, Part I; Likkutei Amarim 41")],
        ),
        ("(see Kuntrus Acharon 2)", [("Kuntrus Acharon 2", "Tanya, Part V; Kuntres Acharon 2")]),
    ],
)
def test_more_spellings_of_the_tanyas_parts(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_bare_daf_keeps_its_amud() -> None:
    # after a tractate's heading, '(דף יג עמוד ב)' is that daf's second side, not the whole daf
    text = "גמרא מסכת סוכה דף יג עמוד א\nאמר רב חסדא וכו'. (דף יג עמוד ב)\nתנו רבנן ובדף יד ע\"א"
    assert refs_of(text) == [
        ("מסכת סוכה דף יג עמוד א", "Sukkah 13a"),
        ("דף יג עמוד ב", "Sukkah 13b"),
        ('ובדף יד ע"א', "Sukkah 14a"),
    ]


def test_a_tractate_heading_a_page_governs_its_bare_dapim() -> None:
    # the daf a page's heading cites is the tractate of every 'דף' mark below it, however far down
    filler = "אמר רב יהודה אמר שמואל כך וכך. " * 15
    text = f"מסכת ברכות דף ה עמוד א\n{filler}(דף ה עמוד ב)\n{filler}"
    assert refs_of(text) == [("מסכת ברכות דף ה עמוד א", "Berakhot 5a"), ("דף ה עמוד ב", "Berakhot 5b")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("לא תלך רכיל בעמיך – ויקרא יט טז, ומכאן אסרו", [("ויקרא יט טז", "Leviticus 19:16")]),
        ("ושמרתם מאד לנפשותיכם – דברים ד טו, ולמדו ממנו", [("דברים ד טו", "Deuteronomy 4:15")]),
    ],
)
def test_a_verse_named_after_a_dash_and_closed_by_a_comma(text: str, expected: list[tuple[str, str]]) -> None:
    # a quotation, a dash, its source and a comma: the numerals need no marks there
    assert refs_of(text) == expected


def test_words_after_a_dash_are_no_verse() -> None:
    assert refs_of("ואמר לו – דברים רבים, ושב לביתו") == []
