"""Forms the seventh held-out set of real Hebrew pages (tests/data/realtext/he-*-7xx) wrote that the linker
misread: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of


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
    # 'לרבינו יונה שער א' was Jonah 1; the author is skipped to the book's own gate (held-out 12xx)
    assert refs_of("ספר שערי תשובה לרבינו יונה שער א") == [
        ("שערי תשובה לרבינו יונה שער א", "Shaarei Teshuvah 1")
    ]
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


def test_a_daf_is_no_place_in_a_book_of_the_bible() -> None:
    # 'ובזוהר פרשת בראשית (דף ח, א)' is the Zohar's page; it was read as Genesis 8:1
    assert refs_of("ובזוהר פרשת בראשית (דף ח, א) אמר") == []
    assert refs_of("כתוב בראשית דף ח, א") == []


def test_a_verse_after_a_work_without_verses_is_not_its_verse() -> None:
    text = "עצה טובה: להבנת פרק ג' למדו מורה נבוכים א' פרק ב'.\n\nא. \"ביום השביעי\"\n\nפסוק ב'\n\nויכל אלהים"
    # 'פסוק ב'' was Guide for the Perplexed, Part 1 2:2
    assert refs_of(text) == [("מורה נבוכים א' פרק ב'", "Guide for the Perplexed, Part 1 2")]


def test_a_chapter_with_halakhot_after_it_is_no_chapter_of_the_bible() -> None:
    # under 'בראשית פרק א', 'פרק ב הלכה יא' (the Rambam's) was Genesis 2
    text = "בראשית פרק א. וכן פסק (פרק ב הלכה יא): ובקרן"
    assert refs_of(text) == [("בראשית פרק א", "Genesis 1")]


def test_the_rambams_hilchot_named_alone_in_parentheses() -> None:
    # 'הרמב"ם (בית הבחירה פרק ב הלכה יא)': the laws of the Chosen Temple, without the word הלכות
    text = 'בראשית פרק א. וכן פסק הרמב"ם (בית הבחירה פרק ב הלכה יא): ובקרן'
    assert refs_of(text) == [
        ("בראשית פרק א", "Genesis 1"),
        ("בית הבחירה פרק ב הלכה יא", "Mishneh Torah, The Chosen Temple 2:11"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Hebrew title written with its comma; 'פ"ח' is chapter 8 (was 88), the edition's page not a place
        (
            'מהר"ל (נתיבות עולם, נתיב התורה פ"ח עמ\' לו, ד"ה ובפרק): יוסף',
            [('נתיבות עולם, נתיב התורה פ"ח', "Netivot Olam, Netiv Hatorah 8")],
        ),
        (
            'מהר"ל (נתיבות עולם, נתיב העבודה פי"ח, עמ\' קלח ד"ה בעבור): בשם',
            [('נתיבות עולם, נתיב העבודה פי"ח', "Netivot Olam, Netiv Ha'Avodah 18")],
        ),
        # parentheses holding a chapter and the words the comment opens with
        ("עי' בתומר דבורה (פ\"א ד\"ה הז' ישוב ירחמנו) שהאות", [('בתומר דבורה (פ"א', "Tomer Devorah 1")]),
        ("עי' בתומר דבורה (פ\"א) שהאות", [('בתומר דבורה (פ"א)', "Tomer Devorah 1")]),
        # a psalm is numbered so: 'פ"ח' after Tehillim stays 88
        ('תהלים פ"ח', [('תהלים פ"ח', "Psalms 88")]),
    ],
)
def test_a_chapter_written_pe_and_a_letter(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_in_the_desert_verse_five_is_no_book() -> None:
    assert refs_of("ולמורדים במדבר (פסוק ה), ולדתן ולאבירם (פסוק ו)") == []


def test_a_mikraot_gedolot_page_heading_and_the_verses_it_governs() -> None:
    text = (
        'ביאור:מ"ג דברים יא ז\n'
        "כי עיניכם הרואות. מוסב על המקרא האמור למעלה:\n"
        + "ואחר שעיניכם ראו את כל אלה השמרו שתשמרו מצות השם. "
        * 6
        + "\n"
        "לפרעה ולמצרים, במצרים (פסוק ג) ועל הים (פסוק ד), ולמורדים במדבר (פסוק ה)."
    )
    assert refs_of(text) == [
        ("דברים יא ז", "Deuteronomy 11:7"),
        ("פסוק ג", "Deuteronomy 11:3"),
        ("פסוק ד", "Deuteronomy 11:4"),
        ("פסוק ה", "Deuteronomy 11:5"),
    ]
    assert refs_of('מ"ג תהלים לד יד\n\nרד"ק') == [("תהלים לד יד", "Psalms 34:14")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a tractate's chapter was read as daf 2 (Berakhot 2); the parenthesized daf after it is the place
        ("כדפירש במסכת ברכות פרק ב' (יז, א) מרגלא", [("במסכת ברכות פרק ב' (יז, א)", "Berakhot 17a")]),
        ("במסכת שבת פרק ב' (כא:) תנו רבנן", [("במסכת שבת פרק ב' (כא:)", "Shabbat 21b")]),
        ("במסכת ברכות פרק ב' תנו רבנן", []),
    ],
)
def test_a_tractates_chapter_is_no_daf(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_midrash_cited_by_its_books_chapter_and_verse() -> None:
    # 'במכילתא לשמות י"ב מ'' was Exodus 12:40
    assert refs_of("איתא במכילתא לשמות י\"ב מ':") == [
        ("במכילתא לשמות י\"ב מ'", "Mekhilta d'Rabbi Yishmael 12:40")
    ]
    assert refs_of("והוא לשמות יב, ב") == [("לשמות יב, ב", "Exodus 12:2")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the Rambam's chapter before the title, with a prefix ('בפ"ב', 'דבפרק א'') — missed before
        (
            'וכ"כ הרמב"ם בפ"ב מהלכות מגילה.',
            [('בפ"ב מהלכות מגילה', "Mishneh Torah, Scroll of Esther and Hanukkah 2")],
        ),
        (
            'דסמך על מ"ש בפ"א מהלכות תפלה. כמ"ש',
            [('בפ"א מהלכות תפלה', "Mishneh Torah, Prayer and the Priestly Blessing 1")],
        ),
        ("דבפרק א' מהלכות תשובה פסק", [("דבפרק א' מהלכות תשובה", "Mishneh Torah, Repentance 1")]),
    ],
)
def test_a_rambam_chapter_with_a_prefix_before_its_title(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_the_biur_halacha_on_a_siman_of_orach_chayim() -> None:
    assert refs_of("ביאור הלכה על אורח חיים רמ") == [("ביאור הלכה על אורח חיים רמ", "Biur Halacha 240")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # books an edition abbreviates inside its parenthesized sources — missed before
        ("כמה דאת אמר, (שיר ג ח) איש חרבו על ירכו", [("שיר ג ח", "Song of Songs 3:8")]),
        ('המלך קודם לכהן גדול, שנאמר (מ"א א): ויאמר המלך', [('מ"א א', "I Kings 1")]),
        # not the Magen Avraham's seif katan, nor a song
        ('כמ"ש המ"א (מ"א ס"ק ג) שם', []),
        ("ושר (שיר חדש) לה", []),
    ],
)
def test_a_book_abbreviated_in_parentheses(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_commentator_named_before_ibid_is_cited_on_the_verse() -> None:
    # ')עיין רש"י שם לא, י"ג(' was Exodus 31:13
    text = 'ששת ימים תעשה מלאכה )שמות, לה, א - ב(. ואין מלאכת המשכן דוחה את השבת )עיין רש"י שם לא, י"ג(.'
    assert refs_of(text)[-1] == ('רש"י שם לא, י"ג', "Rashi on Exodus 31:13")
    assert refs_of("כתוב (שמות לה, א) וכן (שם לא, יג)")[-1] == ("שם לא, יג", "Exodus 31:13")


def test_a_bare_chapter_with_its_verses() -> None:
    # 'פרק ג, א-י' was Genesis 3, the verses dropped
    assert refs_of("בראשית פרק ב, א-יז - פרק ג, א-י") == [
        ("בראשית פרק ב, א-יז", "Genesis 2:1-17"),
        ("פרק ג, א-י", "Genesis 3:1-10"),
    ]
    assert refs_of("ראה בראשית פרק א. ועוד פרק ג, שם") == [
        ("בראשית פרק א", "Genesis 1"),
        ("פרק ג", "Genesis 3"),
    ]
