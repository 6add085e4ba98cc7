"""Forms of written references found on the development pages (tests/data/realtext), each tested here
in sentences of our own: the general form, not one page's string."""

from __future__ import annotations

import pytest

from linker_cases import refs_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("וכן נאמר (שמות יב-טו) שבעת ימים", [("שמות יב-טו", "Exodus 12:15")]),
        ("כמו שכתוב (ויקרא יט-כה) ובשנה", [("ויקרא יט-כה", "Leviticus 19:25")]),
        # a hyphen that cannot part chapter from verse (Psalm 23 has no verse 24) is a range of chapters
        ("ראה (תהלים כג-כד) שם", [("תהלים כג-כד", "Psalms 23-24")]),
    ],
)
def test_hebrew_book_and_two_numbers_by_hyphen_in_parentheses_are_chapter_and_verse(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We learn on daf 5 of Tractate Berakhot that", [("daf 5 of Tractate Berakhot", "Berakhot 5")]),
        ("See page 12 Masechet Shabbat.", [("page 12 Masechet Shabbat", "Shabbat 12")]),
        ("Page 40 Maseches Eruvin\nThe daf opens", [("Page 40 Maseches Eruvin", "Eruvin 40")]),
        ("On page 3 Job said nothing.", []),
    ],
)
def test_a_daf_named_before_its_tractate(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_daf_beginning_a_line_is_of_the_tractate_named_on_the_next() -> None:
    text = "הקדמה\n''דף כ\"ב ''פרק שני\nמסכת ברכות\nובו נלמד\n\nדף כ\"ג\nמסכת ברכות\n"
    assert [r for _t, r in refs_of(text)] == ["Berakhot 22", "Berakhot 23"]
    assert refs_of('דף כ"ב\nובו נלמד דבר') == []  # no tractate under it: no place


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("משנה ברורה על אורח חיים רנ\n\nדברי הפוסק", [("משנה ברורה על אורח חיים רנ", "Mishnah Berurah 250")]),
        (
            "See the Mishnah Berurah on Orach Chayim 301:4 there.",
            [("Mishnah Berurah on Orach Chayim 301:4", "Mishnah Berurah 301:4")],
        ),
        ("ראה משנה ברורה על שולחן ערוך", []),
    ],
)
def test_a_commentary_named_with_the_work_it_is_on(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_reference_heading_the_page_governs_it_beyond_a_citations_reach() -> None:
    filler = "ובו דברים רבים על ענין זה. " * 12
    text = f"תהלים כג\n\n{filler}\nועיין עוד בפרק כד שם"
    assert [r for _t, r in refs_of(text)] == ["Psalms 23", "Psalms 24"]


def test_a_seif_heading_a_section_and_a_halakha_under_a_siman_are_no_places() -> None:
    text = "משנה ברורה על אורח חיים רנ\n\nסעיף א[עריכה]\n\n(א) וכן כתב הלכה ח' בזה"
    assert [r for _t, r in refs_of(text)] == ["Mishnah Berurah 250"]


def test_a_siman_and_its_seif_inside_a_commentary_on_the_shulchan_arukh_are_the_shulchan_arukhs() -> None:
    head = "משנה ברורה על אורח חיים רנ\n\n"
    text = head + 'וכן כתבו כמ"ש בסימן רמ"ט ס"ג לענין זה, ועיין לעיל סי\' ק"ב סי"א בזה'
    assert [r for _t, r in refs_of(text)][1:] == [
        "Shulchan Arukh, Orach Chayim 249:3",
        "Shulchan Arukh, Orach Chayim 102:11",
    ]


def test_a_chapter_word_under_the_shulchan_arukh_is_no_siman() -> None:
    text = "Shulchan Arukh, Yoreh De'ah\n\nChapter 9 - On salting meat\n\nThe laws are in siman 69 there."
    assert [r for _t, r in refs_of(text)] == ["Shulchan Arukh, Yoreh De'ah 69"]
    kitzur = "Kitzur Shulchan Arukh\n\nChapter 32 - Guarding the body\n"  # cited by chapter in English
    assert [r for _t, r in refs_of(kitzur)] == ["Kitzur Shulchan Arukh 32"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The reading of Psalms 19:2-4, 9 speaks of", ["Psalms 19:2-4", "Psalms 19:9"]),
        ("Job 8:5-7, 12 times he said it", ["Job 8:5-7"]),  # a count, not a verse
        ("Job 8:7, 12 speaks", ["Job 8:7"]),  # after a single place the list must show it goes on
    ],
)
def test_a_verse_after_a_range_is_of_its_chapter(text: str, expected: list[str]) -> None:
    assert [r for _t, r in refs_of(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ועל זה נאמר (תהליםקכא:א) אשא עיני", [("תהליםקכא:א", "Psalms 121:1")]),
        ("ראה תהליםקכא:א שם", []),  # outside parentheses a word that runs on is a word
    ],
)
def test_a_book_glued_to_its_chapter_and_verse_in_parentheses(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert refs_of(text) == expected


def test_a_halakha_by_chapter_and_number_is_of_the_laws_the_text_is_on() -> None:
    text = "In Hilchot Shabbat the Rambam rules so; as he wrote in Halacha 2:3, danger to life overrides it."
    assert refs_of(text) == [("Halacha 2:3", "Mishneh Torah, Sabbath 2:3")]
    assert refs_of("As the verse says, see Halacha 2:3 there.") == []  # no laws named: no place


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "הלכות שבת - פרק שלישי - היד החזקה\n\nא דין",
            [("הלכות שבת - פרק שלישי", "Mishneh Torah, Sabbath 3")],
        ),
        ("ואמרינן בריש ברכות (דף ב') מאימתי", [("דף ב'", "Berakhot 2")]),
    ],
)
def test_a_chapter_by_its_ordinal_after_the_title_and_a_tractate_after_risha(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert refs_of(text) == expected


def test_a_chapter_of_a_tractate_cited_by_daf_is_the_mishnahs() -> None:
    text = "Tractate Berakhot opens with the Shema. Chapter 4 begins with the times of prayer."
    assert refs_of(text) == [("Chapter 4", "Mishnah Berakhot 4")]


def test_a_daf_alone_in_parentheses_is_of_the_tractate_the_text_is_on() -> None:
    text = (
        "Sukkah is a tractate of Seder Moed. The end of the tractate (52a-53b) tells of the water libation."
    )
    assert refs_of(text) == [("(52a-53b)", "Sukkah 52-53")]
    assert refs_of("The list of names (12a) was kept.") == []  # no tractate: no place


def test_the_rambam_by_chapter_and_halakha_is_of_the_book_of_his_cited_last() -> None:
    filler = "ובו דברים רבים על ענין זה. " * 15
    text = f'וכן כתב הרמב"ם פ"ב מהלכות שבת. {filler} וכן הוא ברמב"ם פ"ג הלכה ד\' שם'
    assert [r for _t, r in refs_of(text)] == ["Mishneh Torah, Sabbath 2", "Mishneh Torah, Sabbath 3:4"]
    assert refs_of('וכן הוא ברמב"ם פ"ג הלכה ד\' שם') == []  # no book of his cited: no place


def test_laws_written_with_an_apostrophe_and_a_chapter_heading_in_words() -> None:
    assert refs_of("See the Law's of Kings 3:2 there.") == [
        ("Law's of Kings 3:2", "Mishneh Torah, Kings and Wars 3:2")
    ]
    text = "Mishneh Torah: Law's of Kings\nChapter Twelve\n1. Let no one think that in the days of the king"
    assert refs_of(text) == [("Chapter Twelve", "Mishneh Torah, Kings and Wars 12")]
    assert refs_of("Laws of Kings\nIn chapter twelve of it we read") == []  # in prose, no heading


def test_a_range_of_amudim_opening_parentheses_under_a_tractate() -> None:
    text = "סיכום הדף, גמרא תלמוד בבלי ברכות כ\n\n(יט: אמצע העמוד - כ. סוף העמוד)\nא. דין ראשון"
    assert [r for _t, r in refs_of(text)] == ["Berakhot 20", "Berakhot 19b-20a"]
    assert refs_of("(יט: אמצע - כ.) בלי מסכת") == []  # no tractate: no place


def test_a_heading_naming_the_midrash_rabbah_and_a_book_and_addresses_opening_lines() -> None:
    text = "Notes on Midrash Rabbah\n\nParashas Shemos\n\n1:2 The Midrash teaches that the names were\n"
    assert refs_of(text) == [("1:2", "Shemot Rabbah 1:2")]
    plain = "Notes on the weekly reading\n\nParashas Shemos\n\n1:2 The verse tells the names\n"
    assert refs_of(plain) == [("1:2", "Exodus 1:2")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "As the ילקוט שמעוני (Genesis 20) explains",
            [("ילקוט שמעוני (Genesis 20)", "Yalkut Shimoni on Torah 20")],
        ),
        ("Yalkut Shimoni (Isaiah 300) says", [("Yalkut Shimoni (Isaiah 300)", "Yalkut Shimoni on Nach 300")]),
    ],
)
def test_a_work_numbered_by_remez_with_the_book_beside_the_number(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert refs_of(text) == expected
