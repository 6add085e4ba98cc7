"""Forms the held-out real pages of issue 13 wrote that the linker misread: each a general way of citing.

The sentences are ours; the forms come from the pages in tests/data/realtext (the *-201..204 files):
the Rambam's chapter in letters before the title ('פ"א מהל' שבת הלכה ג''), the Shulchan Arukh's part
as 'י"ד' and its commentaries by part, a chapter.verse after a comma in an index, 'Y’shayahu'.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # read alone, 'הלכה ד' was chapter 4: the chapter is the letters after 'פ' before the title
        (
            "כמבואר פ\"ג מהל' תשובה הלכה ד' ועוד",
            [("פ\"ג מהל' תשובה הלכה ד'", "Mishneh Torah, Repentance 3:4")],
        ),
        ('(פי"ד מהל\' שבת ה"ג)', [('פי"ד מהל\' שבת ה"ג', "Mishneh Torah, Sabbath 14:3")]),
        ('(פ"יג מהל\' שבת ה"ב)', [('פ"יג מהל\' שבת ה"ב', "Mishneh Torah, Sabbath 13:2")]),
        (
            'כתב הרמב"ם פ"ב מהלכות תפלה שמי',
            [('פ"ב מהלכות תפלה', "Mishneh Torah, Prayer and the Priestly Blessing 2")],
        ),
    ],
)
def test_a_rambam_chapter_written_before_its_title(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_chapter_of_a_work_without_chapters_is_not_read_so() -> None:
    # 'פ"ג' before a tractate is no chapter of a work cited by daf: the daf after it is the place
    assert refs_of('פ"ג בבא מציעא נט ע"ב') == [('בבא מציעא נט ע"ב', "Bava Metzia 59b")]


def test_the_shulchan_arukhs_part_and_its_commentaries_by_part() -> None:
    text = 'מקורות: שו"ע י"ד קט"ז ה\', ש"ך י"ד קט"ז ו\', ערוך השלחן יו"ד קט"ז ז\'.'
    assert refs_of(text) == [
        ('שו"ע י"ד קט"ז ה\'', "Shulchan Arukh, Yoreh De'ah 116:5"),
        ('ש"ך י"ד קט"ז ו\'', "Siftei Cohen on Yoreh De'ah 116:6"),
        ('ערוך השלחן יו"ד קט"ז ז\'', "Arukh HaShulchan, Yoreh De'ah 116:7"),
    ]


def test_a_part_already_named_leaves_yud_dalet_a_siman() -> None:
    assert refs_of('שו"ע או"ח י"ד') == [('שו"ע או"ח י"ד', "Shulchan Arukh, Orach Chayim 14")]


def test_chapter_dot_verse_after_a_comma_in_an_index() -> None:
    text = "Intertexts: 1. Hebrew Bible, Leviticus, 19.18 (late) 2. Hebrew Bible, Exodus, 20.2, 21.1 (late)"
    assert refs_of(text) == [
        ("Leviticus, 19.18", "Leviticus 19:18"),
        ("Exodus, 20.2", "Exodus 20:2"),
        ("21.1", "Exodus 21:1"),
    ]


@pytest.mark.parametrize(
    "text", ["Genesis, 2.5 million copies were sold", "Job 8:7, 12.5 percent of readers", "Exodus, 3 times"]
)
def test_a_decimal_after_a_title_and_a_comma_is_a_count(text: str) -> None:
    assert all(not ref.startswith(("Genesis 2:5", "Job 12:5", "Exodus 3")) for _, ref in refs_of(text))


def test_transliterated_books_with_an_apostrophe() -> None:
    text = "as Y’shayahu 40:1 and Y'chezkel 37:1 say"
    assert refs_of(text) == [("Y’shayahu 40:1", "Isaiah 40:1"), ("Y'chezkel 37:1", "Ezekiel 37:1")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ראה שבת (לב, א) שם", [("שבת (לב, א)", "Shabbat 32a")]),
        ("וכמו שאמרו בסוכה (כ ב) על", [("בסוכה (כ ב)", "Sukkah 20b")]),
        ("ואמר דוד בתהלים (כג, א) שהוא", [("בתהלים (כג, א)", "Psalms 23:1")]),
    ],
)
def test_a_hebrew_title_then_its_place_in_parentheses(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize("text", ["הלכות שבת (ב) אסור לו", "מסכת ברכות (יא) ועוד", "בספר ויקרא (יט) ועוד"])
def test_a_note_mark_after_a_title_is_no_place(text: str) -> None:
    assert refs_of(text) == []


def test_a_title_comma_and_number_ending_its_line_is_a_heading_place() -> None:
    text = "Sources, Sifre Deuteronomy, 41\nThe passage, and Job, 7 times over."
    assert refs_of(text) == [("Sifre Deuteronomy, 41", "Sifrei Devarim 41")]
