"""Forms the twelfth held-out set of real Hebrew pages (tests/data/realtext/he-*-12xx) wrote that the linker
misread or missed: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the portion named with a prefix letter ('לפרשת'), or as 'פרשת השבוע – X' (was nothing)
        ("עיונים קצרים לפרשת ויקרא\n\nאדם כי יקריב מכם (א, ב) ועוד", [("(א, ב)", "Leviticus 1:2")]),
        ("הגיליון השבועי: פרשת השבוע – בשלח\n\nויהי בשלח פרעה (יג, יז) לומר", [("(יג, יז)", "Exodus 13:17")]),
        # chapter and verse split by a spaced dash, the verse below the chapter (was nothing)
        ("דברים לפרשת שופטים\n\nכי תצא למלחמה (כ – א) הכתוב", [("(כ – א)", "Deuteronomy 20:1")]),
        ('נאמר בפרשת ויצא: "וידר יעקב נדר" (כ"ח - כ\')', [("(כ\"ח - כ')", "Genesis 28:20")]),
    ],
)
def test_a_verse_under_a_weekly_portion(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a second number above the first may be a range of chapters: refused, not read as a verse
        "לימוד לפרשת משפטים (כא – כד) ובו",
        # no portion and no book: nothing to read the dash by
        "ראה בספר הזה (כא – ב) ולא עוד",
    ],
)
def test_a_dashed_pair_refused_where_it_may_be_chapters(text: str) -> None:
    assert refs_of(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a range of verses (mishnayot) closed before a comma: the range is the address, not the chapter
        # alone (was Pirkei Avot 1)
        ("כמו ששנינו באבות א' ג-ד, ועוד שם", [("באבות א' ג-ד", "Pirkei Avot 1:3-4")]),
        ("ראה ישעיה מ, כו-כח, ולא ייעף", [("ישעיה מ, כו-כח", "Isaiah 40:26-28")]),
    ],
)
def test_a_range_before_a_comma(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_note_heading_daf_is_the_tractate_of_the_notes() -> None:
    # notes on a tractate, each opening with its daf: a tractate cited inside a note does not take the
    # next note's heading (was Bava Kamma 7a, a wrong answer)
    text = (
        "חידושים על מסכת ברכות\n\n"
        'דף ו ע"א: בענין זה של הנזקין שאדם חייב לשמור עליהם עיין בב"ק (דף נ ע"ב) שהאריכו שם היטב.\n\n'
        'דף ז ע"א: ועוד יש לומר כך, שהרי לא הוזכר הדבר בשום מקום אחר בגמרא.'
    )
    assert refs_of(text) == [
        ('דף ו ע"א', "Berakhot 6a"),
        ('בב"ק (דף נ ע"ב)', "Bava Kamma 50b"),
        ('דף ז ע"א', "Berakhot 7a"),
    ]


def test_a_daf_inside_a_sentence_still_follows_the_tractate_cited() -> None:
    # no colon after it, not opening a line: the tractate cited just before governs it, as before
    text = 'חידושים על מסכת ברכות\n\nבענין הנזקין עיין בב"ק (דף נ ע"ב) וגם דף נא ע"א שהאריכו שם בזה היטב.'
    assert ('דף נא ע"א', "Bava Kamma 51a") in refs_of(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # chapter and verse in parentheses split by a space alone, after a verse of that book (was nothing)
        (
            "כמו שנאמר (דברים לג ט) ובברכה אחרת (לג יט)",
            [("דברים לג ט", "Deuteronomy 33:9"), ("(לג יט)", "Deuteronomy 33:19")],
        ),
    ],
)
def test_a_spaced_chapter_and_verse_after_a_verse(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # words that are no numerals, and a book's abbreviation, are not a chapter and verse
        "כמו שנאמר (דברים לג ט) ואמר (כי טוב) כך",
        'כמו שנאמר (דברים לג ט) ואמר (מ"א ב) כך',
    ],
)
def test_a_spaced_pair_of_words_is_no_verse(text: str) -> None:
    assert ("דברים לג ט", "Deuteronomy 33:9") in refs_of(text)
    assert not any(ref.startswith("Deuteronomy 41") or t == "(כי טוב)" for t, ref in refs_of(text))


def test_there_and_one_number_after_a_spaced_verse_is_a_chapter() -> None:
    # a text writing '(ספר פרק פסוק)' writes a chapter alone as one number: '(שם א)' is chapter 1 of the
    # same book (was Proverbs 8:1, a wrong answer)
    text = "וכתיב (משלי ח ד) אליכם אישים, וכתיב (שם א) משלי שלמה"
    assert refs_of(text) == [("משלי ח ד", "Proverbs 8:4"), ("שם א", "Proverbs 1")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a tractate named in the sentence, its daf and amud in parentheses after the verb (was nothing)
        ('בתחילת מסכת סוכה אומרת הגמרא (ב ע"א): סוכה שהיא גבוהה', [('(ב ע"א)', "Sukkah 2a")]),
        # an amud alone in parentheses: the other side of the daf cited last (was nothing)
        (
            'ראה ברכות ד ע"א, ושם עוד (בע"ב) שמקשה',
            [('ברכות ד ע"א', "Berakhot 4a"), ('(בע"ב)', "Berakhot 4b")],
        ),
    ],
)
def test_a_daf_or_an_amud_alone_in_parentheses(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # no tractate named or cited: a daf and amud alone are refused
        'וכן כתוב בספר ההוא (כב ע"ב) היטב',
        # a verse cited, no daf: an amud alone has nothing to be the other side of
        'כמו שכתוב (דברים לג ט) ואמרו (בע"ב) כך',
    ],
)
def test_a_daf_or_an_amud_alone_without_a_tractate_is_refused(text: str) -> None:
    assert all(not ref.endswith(("a", "b")) for _t, ref in refs_of(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a weekly portion's name, chapter and verse as all of a parenthesis, no comma (was nothing)
        ("ורש\"י בסוף החומש (פקודי מ' לח) מסיים", [("פקודי מ' לח", "Exodus 40:38")]),
        ("כמו שכתוב (ויחי מט, י) לא יסור", [("ויחי מט, י", "Genesis 49:10")]),
    ],
)
def test_a_portion_chapter_and_verse_in_parentheses(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "עיין (ראה יב ג) ותמצא",  # 'see 12:3', a short portion's name is a word
        "עיין (בשלח כ כו) ותמצא",  # chapter 20 is not in Beshalach: refused
    ],
)
def test_a_portion_in_parentheses_refused(text: str) -> None:
    assert refs_of(text) == []


def test_an_amud_with_a_spaced_quote_mark() -> None:
    # a PDF's text spaces the quote mark of 'ע"ב': the amud is still read (was the whole daf, Berakhot 12)
    assert refs_of('כמבואר ( ברכות יב ע " ב , ( ועוד') == [('ברכות יב ע " ב', "Berakhot 12b")]
    assert refs_of('ואמר ע " ב כך') == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the author named between the title and its gate or chapter (was nothing)
        ("כמו שכתב בשערי תשובה לרבינו יונה שער ג אות קמח", "Shaarei Teshuvah 3:148"),
        ("ראה מסילת ישרים להרב משה חיים לוצאטו פרק ה", "Mesillat Yesharim 5"),
    ],
)
def test_the_author_between_title_and_address(text: str, expected: str) -> None:
    assert [ref for _t, ref in refs_of(text)] == [expected]


def test_an_author_with_no_level_word_after_is_no_address() -> None:
    # 'לרבי יונה' followed by words, not by a gate or a chapter: the title alone, nothing linked
    assert refs_of("ראה שערי תשובה לרבינו יונה מה שכתב") == []


def test_the_word_mishnah_before_a_tractate_and_its_chapter() -> None:
    # 'משנה מסכת X, פרק ...' is the Mishnah's chapter (was nothing: the Bavli has no chapters to link)
    assert refs_of("מקורות:\nמשנה מסכת ברכות, פרק ד' - פרק ה'\nשולחן ערוך") == [
        ("משנה מסכת ברכות, פרק ד' - פרק ה'", "Mishnah Berakhot 4-5")
    ]
    assert refs_of("ראה משנה מסכת שבת פרק ז") == [("משנה מסכת שבת פרק ז", "Mishnah Shabbat 7")]
    # without it, a tractate's chapter is still no place of the Bavli
    assert refs_of("ראה מסכת שבת פרק ז") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the chapter before its book (was nothing)
        ("בפרק ג' בספר קהלת נאמר", [("בפרק ג' בספר קהלת", "Ecclesiastes 3")]),
        ("ובפרק ב בספר שיר השירים נאמר", [("ובפרק ב בספר שיר השירים", "Song of Songs 2")]),
        # then a verse's number alone in parentheses by its quoted words: a verse of that chapter
        (
            'בפרק ג\' בספר קהלת:\n"לכל זמן ועת לכל חפץ" (א)\nוגם "עת ללדת ועת למות" (ב)',
            [
                ("בפרק ג' בספר קהלת", "Ecclesiastes 3"),
                ("(א)", "Ecclesiastes 3:1"),
                ("(ב)", "Ecclesiastes 3:2"),
            ],
        ),
    ],
)
def test_a_chapter_before_its_book_and_its_verses_by_number(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "בפרק ב בספר בראשית רבה נאמר",  # another work of two words, not Genesis 2
        "בפרק ב בספר הכוזרי נאמר",  # no book of the Bible
        'נאמר "לכל זמן" (א) כך',  # no chapter cited: a number alone is refused
        'ראה (קהלת ג, ב) ועוד "לכל זמן" (א)',  # the chapter cited with a verse: not read by number alone
        'ראה (קהלת ג) ועוד (שבת לא א) וגם "כך" (ב)',  # another work cited since
    ],
)
def test_a_verse_number_alone_refused(text: str) -> None:
    refs = refs_of(text)
    assert not any(t in ("(א)", "(ב)") for t, _ in refs)
    assert not any(ref == "Genesis 2" for _, ref in refs)
