"""Written references as prose writes them: full Hebrew addresses, context (a heading's work, ibid. at
its depth), depth in words, lists, and the quoted words that check a reference. Sentences of our own."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from linker_cases import refs_of
from linker_library import library_path
from madrega import db
from madrega.study.linker import link

# ---- 1. Hebrew addresses in full


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ועל זה נאמר (דברים ל״ג:כ״ו) אין כאל", [("דברים ל״ג:כ״ו", "Deuteronomy 33:26")]),
        ("כמו שכתוב (תהלים ל״ד ט״ו) סור מרע", [("תהלים ל״ד ט״ו", "Psalms 34:15")]),
        ('שנאמר (שמות, כ"ד, יג-יד) ויקם משה', [('שמות, כ"ד, יג-יד', "Exodus 24:13-14")]),
        ("ואשים דברי בפיך (ישעיה נא טז) ובצל", [("ישעיה נא טז", "Isaiah 51:16")]),
        ("ראה שמות פרק כ פסוק ב והלאה", [("שמות פרק כ פסוק ב", "Exodus 20:2")]),
        ("כדאיתא (שמות כ-ב) בדברות", [("שמות כ-ב", "Exodus 20:2")]),
        ("ועיין ברכות ח, א ושם", [("ברכות ח, א", "Berakhot 8a")]),
        ("כדאיתא בגמרא (מכות כג-ב)", [("מכות כג-ב", "Makkot 23b")]),
        ("וכן הוא (ויקרא טז,כט; כג,כח).", [("ויקרא טז,כט", "Leviticus 16:29"), ("כג,כח", "Leviticus 23:28")]),
        ("כמו שאמרו (שמואל-א יב, יט.) ועוד", [("שמואל-א יב, יט", "I Samuel 12:19")]),
        ('ובזוהר (זח"ב יט, א) מבואר', [('זח"ב יט, א', "Zohar 2:19a")]),
    ],
)
def test_hebrew_addresses_are_read_in_full(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_hebrew_title_and_address_on_a_line_of_their_own_need_no_marks() -> None:
    """A source list heads each passage with its source: the line is the reference."""
    text = 'מקורות\n\nברכות יז א\nאמר רבי אלעזר גדולה תפלה\n\nרמב"ם דעות ב ג\nיש דעות שאסור לנהוג בהן'
    assert refs_of(text) == [
        ("ברכות יז א", "Berakhot 17a"),
        ('רמב"ם דעות ב ג', "Mishneh Torah, Human Dispositions 2:3"),
    ]
    assert refs_of("מגילה כא - דף יומי\nסיכום הדף, גמרא בבלי מגילה כא") == [
        ("מגילה כא", "Megillah 21"),
        ("בבלי מגילה כא", "Megillah 21"),
    ]
    assert refs_of("ברכות יז א אמר רבי אלעזר") == []  # the line goes on: numerals that may be words
    assert refs_of("וכך אמר החכם לבני שמות אלו") == []  # not at the line's start


def test_hebrew_numerals_that_are_words_are_not_addresses_outside_parentheses() -> None:
    assert refs_of("ויאמר משה אל העם שמות רבים ודברים אחרים") == []
    assert refs_of("וזה וידוי דברים, וודוי זה מצות עשה") == []


# ---- 2. context decides


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Exodus 6:2 opens the answer to the complaint in v. 5:23 of the chapter before.",
            [("Exodus 6:2", "Exodus 6:2"), ("v. 5:23", "Exodus 5:23")],
        ),
        (
            "Psalms 23:1 speaks of the shepherd, and verses 24:3-4 of the mountain.",
            [("Psalms 23:1", "Psalms 23:1"), ("verses 24:3-4", "Psalms 24:3-4")],
        ),
        ("The meeting began at 5:23 and ended in v. 3:15 of nothing.", []),
    ],
)
def test_a_chapter_and_verse_without_a_book_takes_the_book_cited_before(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert refs_of(text) == expected


def test_a_mizmor_is_a_psalm_whatever_was_cited_before() -> None:
    text = "ראה שמות כ, ב, ובמזמור קמ\"ה בתהלים נאמר גדול ה'"
    assert refs_of(text) == [("שמות כ, ב", "Exodus 20:2"), ('ובמזמור קמ"ה', "Psalms 145")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("מזמור כג", [("מזמור כג", "Psalms 23")]),
        ('ונהגו לומר במזמור כ"ג בסעודה', [('במזמור כ"ג', "Psalms 23")]),
        ("ואמר רבי יוחנן מזמור קכא", [("מזמור קכא", "Psalms 121")]),
    ],
)
def test_a_mizmor_in_a_text_that_names_no_work_is_a_psalm(text: str, expected: list[tuple[str, str]]) -> None:
    """Whatever other letters the text has: 'מזמור כג' alone is Psalms 23."""
    assert refs_of(text) == expected


def test_a_headings_work_governs_the_bare_chapters_below_it() -> None:
    text = (
        "Igeres HaTeshuvah\n\nLesson for the week.\n\n"
        "As explained in Chapter 5, the first step is regret. Later (ch. 7) the author returns to it.\n"
    )
    assert [r for _, r in refs_of(text)] == [
        "Tanya, Part III; Iggeret HaTeshuvah 5",
        "Tanya, Part III; Iggeret HaTeshuvah 7",
    ]


def test_a_hebrew_verse_quoted_in_passing_does_not_capture_an_english_chapter() -> None:
    text = "Likkutei Amarim\n\nHe quotes (דברים ל, יד) and then, as we saw (ch. 1), explains it."
    assert refs_of(text)[-1] == ("ch. 1", "Tanya, Part I; Likkutei Amarim 1")


def test_ranges_of_bare_chapters_take_the_starts_digits() -> None:
    text = "Likutei Amarim\n\nChapters 51-3 close the section; Chapter 48-9 speak of tzimtzum."
    assert [r for _, r in refs_of(text)] == [
        "Tanya, Part I; Likkutei Amarim 51-53",
        "Tanya, Part I; Likkutei Amarim 48-49",
    ]


def test_a_hashtag_names_the_tractate_of_the_lines_below() -> None:
    text = "Daf notes\n\n#BavaMetzia\n83: Workers are hired by local custom.\n84: Three angels came."
    assert [r for _, r in refs_of(text)] == ["Bava Metzia 83", "Bava Metzia 84"]


def test_ibid_keeps_the_depth_of_the_last_citation() -> None:
    assert refs_of("כמו שכתוב (תהלים כג, א) ה' רעי, ועוד (שם פסוק ד) גם כי אלך.") == [
        ("תהלים כג, א", "Psalms 23:1"),
        ("שם פסוק ד", "Psalms 23:4"),
    ]
    assert refs_of("(משלי ו, ו) לך אל נמלה; (שם כד, לג) מעט שנות") == [
        ("משלי ו, ו", "Proverbs 6:6"),
        ("שם כד, לג", "Proverbs 24:33"),
    ]


def test_a_book_named_with_sham_is_its_last_citation() -> None:
    text = 'שנאמר (ירמיהו י י): "ויי אלהים אמת". וכתיב (שמות ג יד) אהיה, ועוד (ירמיהו שם).'
    assert [r for _, r in refs_of(text)] == ["Jeremiah 10:10", "Exodus 3:14", "Jeremiah 10:10"]


def test_bare_sham_in_running_hebrew_is_a_word() -> None:
    assert refs_of("(תהלים כג, א) והלך שם אברהם אל המקום") == [("תהלים כג, א", "Psalms 23:1")]


# ---- 3. depth in prose


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See Mishneh Torah, Hilchot Teshuvah, Chapter 2, Halacha 3 there.", "Mishneh Torah, Repentance 2:3"),
        ("The Psalmist (Psalm 121: Verse 4) promises.", "Psalms 121:4"),
        ("They learnt Berakhot 2a-b that night.", "Berakhot 2"),
        ("Read Igeret HaTeshuva, beginning of Chapter 8, again.", "Tanya, Part III; Iggeret HaTeshuvah 8"),
        ("As Likutei Moharan II: 23 teaches.", "Likutei Moharan, Part II 23"),
        ("Compare Ps. XXIII, 1 with it.", "Psalms 23:1"),
        ("Guide for the Perplexed III 52 says so.", "Guide for the Perplexed, Part 3 52"),
        ("Bereishit Rabbah (55:7) tells it.", "Bereshit Rabbah 55:7"),
        ("See Gen. 12:1 and learn.", "Genesis 12:1"),
        ("We sing the 23rd Psalm.", "Psalms 23"),
    ],
)
def test_depth_written_in_words_is_read(text: str, expected: str) -> None:
    assert [r for _, r in refs_of(text)] == [expected]


def test_verses_after_a_verse_are_places_in_its_chapter() -> None:
    assert refs_of("Exod 1:1, verses 3 and 5 tell it.") == [
        ("Exod 1:1", "Exodus 1:1"),
        ("verses 3", "Exodus 1:3"),
        ("5", "Exodus 1:5"),
    ]


def test_a_place_that_does_not_exist_is_no_citation_of_its_parent() -> None:
    assert refs_of("Isaiah 12:13 is no verse; (Genesis 3:1-2:5) no range.") == []


def test_a_count_after_a_title_is_not_a_place() -> None:
    assert refs_of("On Shabbat 3 people came, and Job, 7 times over, was patient.") == []
    assert refs_of("He read Job 8:7, 12 times a day.") == [("Job 8:7", "Job 8:7")]


# ---- 6 / 8. forms people write, and books not cited


def test_misspelt_and_ordinal_books_before_chapter_and_verse() -> None:
    assert refs_of("as Numbrs 5:6-7 says, and II Sam. 7:12 too") == [
        ("Numbrs 5:6-7", "Numbers 5:6-7"),
        ("II Sam. 7:12", "II Samuel 7:12"),
    ]


def test_books_madrega_does_not_cite_are_never_linked_as_a_tanakh_book() -> None:
    for text in ("The Epistle of Jeremiah 1:1", "Gk Est 1:1", "St Mk 1:1", "Gospel of Mark 1:1", "Jas 1:1"):
        assert refs_of(text) == [], text


# ---- 5. the quoted words decide


@pytest.fixture(scope="module")
def lib() -> Iterator[sqlite3.Connection]:
    conn = db.connect(library_path())
    yield conn
    conn.close()


def test_a_chapter_becomes_the_verse_quoted_beside_it(lib: sqlite3.Connection) -> None:
    (c,) = [c for c in link("כמו שכתוב (תהלים קי) נאם ה' לאדני שב לימיני", conn=lib) if c.kind == "reference"]
    assert (c.ref, c.checked, c.alternatives) == ("Psalms 110:1", True, ["Psalms 110"])


def test_a_verse_the_words_do_not_stand_in_is_corrected_and_said_so(lib: sqlite3.Connection) -> None:
    text = 'שנאמר (שמות כ, ו): "לֹא תִשָּׂא אֶת שֵׁם ה\' אֱלֹהֶיךָ לַשָּׁוְא"'
    ref, quote = (next(c for c in link(text, conn=lib) if c.kind == k) for k in ("reference", "quotation"))
    assert (ref.ref, ref.checked, ref.alternatives[0]) == ("Exodus 20:7", False, "Exodus 20:6")
    assert "Exodus 20:6 is written" in ref.note
    assert quote.ref == "Exodus 20:7"  # the quotation takes the place the author cites


def test_a_misprinted_chapter_is_found_by_its_words(lib: sqlite3.Connection) -> None:
    text = "שֶׁכָּתוּב (במדבר יא) וְאֶל הַלְוִיִּם תְּדַבֵּר וְאָמַרְתָּ אֲלֵהֶם"
    (c,) = [c for c in link(text, conn=lib) if c.kind == "reference"]
    assert (c.ref, c.alternatives[0]) == ("Numbers 18", "Numbers 11")


def test_a_confirmed_verse_is_checked_and_prose_leaves_a_ref_as_written(lib: sqlite3.Connection) -> None:
    (ok,) = [c for c in link("(תהלים כג, א) ה' רעי לא אחסר", conn=lib) if c.kind == "reference"]
    assert (ok.ref, ok.checked) == ("Psalms 23:1", True)
    (plain,) = [c for c in link("(תהלים כג, א) והוא דבר גדול מאד", conn=lib) if c.kind == "reference"]
    assert (plain.ref, plain.checked, plain.note) == ("Psalms 23:1", None, "")


def test_words_another_citation_holds_do_not_correct_a_reference(lib: sqlite3.Connection) -> None:
    """The verse quoted after the first reference is that reference's, not the next one's."""
    text = "(בראשית א, א) בראשית ברא אלהים את השמים ואת הארץ, וכן (בראשית א, ג)"
    second = [c for c in link(text, conn=lib) if c.kind == "reference"][1]
    assert (second.ref, second.checked, second.note) == ("Genesis 1:3", None, "")


def test_the_words_after_a_reference_that_closes_its_clause_are_not_its_quotation(
    lib: sqlite3.Connection,
) -> None:
    text = "ועליכם להזהיר את הבנים (דברים יא, ב), לפיכך ושמרתם את כל המצוה אשר אנכי מצוך היום"
    (c,) = [c for c in link(text, conn=lib) if c.kind == "reference"]
    assert (c.ref, c.checked) == ("Deuteronomy 11:2", None)


def test_a_quotation_of_two_verses_confirms_the_first_written_at_its_end(lib: sqlite3.Connection) -> None:
    text = (
        "ויאמר קין אל ה' גדול עוני מנשא. הן גרשת אתי היום מעל פני האדמה ומפניך אסתר, "
        "והייתי נע ונד בארץ והיה כל מצאי יהרגני. (בראשית ד יג)"
    )
    (c,) = [c for c in link(text, conn=lib) if c.kind == "reference"]
    assert (c.ref, c.checked, c.alternatives) == ("Genesis 4:13", True, [])


def test_a_psalm_named_as_a_whole_stays_the_psalm(lib: sqlite3.Connection) -> None:
    (c,) = [
        c
        for c in link('ונוהגים לומר מזמור קמ"ה: תהלה לדוד ארוממך אלוהי המלך', conn=lib)
        if c.kind == "reference"
    ]
    assert (c.ref, c.checked) == ("Psalms 145", True)


def test_an_ambiguous_reference_reads_as_the_work_the_text_cites() -> None:
    """'LM 1:1' is Likutei Moharan or Lamentations: alone the parser's order stands, both offered; in a
    text that cites the Bible it is Lamentations, in one that cites Likutei Moharan it is that."""
    alone = link("LM 1:1")
    assert [(c.ref, c.alternatives) for c in alone] == [("Likutei Moharan 1:1", ["Lamentations 1:1"])]
    bible = link("Job 3:4; LM 3:22")
    assert [(c.ref, c.alternatives) for c in bible][1] == ("Lamentations 3:22", ["Likutei Moharan 3:22"])
    breslov = link("Likutei Moharan II:25, and LM 3:22")
    assert [(c.ref, c.alternatives) for c in breslov][1] == ("Likutei Moharan 3:22", ["Lamentations 3:22"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "to walk (Bava Kamah 9a, Bava Metziah 14b) and",
            [("Bava Kamah 9a", "Bava Kamma 9a"), ("Bava Metziah 14b", "Bava Metzia 14b")],
        ),
        (
            "See Berachoth 2a and Kesubos 10b-11a.",
            [("Berachoth 2a", "Berakhot 2a"), ("Kesubos 10b-11a", "Ketubot 10b-11a")],
        ),
        ("My House 2a is on the left", []),  # capitals before a daf that spell no tractate
    ],
)
def test_a_tractate_spelt_otherwise_before_a_daf_is_that_tractate(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert refs_of(text) == expected


def test_ibid_in_the_zohar_keeps_the_volume() -> None:
    assert refs_of('שזכה לבינה – זח"ב קיד, ב. שם קטו, א.')[1][1] == "Zohar 2:115a"
    assert refs_of("see Zohar 2:114b; ibid. 115a")[1] == ("ibid. 115a", "Zohar 2:115a")


def test_a_tikkun_before_the_daf_is_the_daf() -> None:
    assert refs_of('כמבואר בתקו"ז תכ"א מג, א ושם') == [('בתקו"ז תכ"א מג, א', "Tikkunei Zohar 43a")]
    assert refs_of('ראה תקו"ז תכ"א.')[0][1] == "Tikkunei Zohar 43a:1"  # tikkun 21, never daf 421


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bechukotai: Degel Machane Ephraim: Clarifying the Sparks\n\nThe 17th",
            ("Bechukotai: Degel Machane Ephraim", "Degel Machaneh Ephraim, Bechukotai"),
        ),
        (
            "As the Kedushat Levi, Pinchas explains",
            ("Kedushat Levi, Pinchas", "Kedushat Levi, Numbers, Pinchas"),
        ),
        ("the Sefat Emet on Parashat Bo says", ("Sefat Emet on Parashat Bo", "Sefat Emet, Exodus, Bo")),
    ],
)
def test_a_work_by_weekly_portion_is_cited_by_the_portions_name(text: str, expected: tuple[str, str]) -> None:
    assert refs_of(text) == [expected]


def test_a_chapter_of_a_named_part_not_read_is_no_chapter_of_the_work() -> None:
    """'Peri Eitz Chaim, Sha'ar Kriat Shema, Chapter 3' is a chapter of that gate, not of Etz Chaim."""
    assert refs_of("(The Peri Eitz Chaim, Sha’ar Kriat Shema, Chapter 3, explains how)") == []
    assert refs_of("Likkutei Amarim, Chapter 5") == [
        ("Likkutei Amarim, Chapter 5", "Tanya, Part I; Likkutei Amarim 5")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("העירונו זכרונם לברכה במדרש קהלת (רבה ז, יג) שאמר", [("(רבה ז, יג)", "Kohelet Rabbah 7:13")]),
        ("בהפסדו. ובמדרש רבות בפרשת לך לך (פ' מ\"ד) ר' יהושע", [("(פ' מ\"ד)", "Bereshit Rabbah 44")]),
        ("ובמדרש תהלים (קי) נאמר", []),  # no Rabbah on Psalms: no guess
    ],
)
def test_a_midrash_rabbah_named_before_its_parenthesis(text: str, expected: list[tuple[str, str]]) -> None:
    """The Rabbah named by its book, or by a weekly portion of the book, before the address."""
    assert refs_of(text) == expected


def test_a_commentator_named_before_a_verse_cites_his_comment_on_it() -> None:
    assert refs_of("--רש״י,  בראשית לז:ד") == [("רש״י,  בראשית לז:ד", "Rashi on Genesis 37:4")]
    assert refs_of("--מצודת דוד, משלי י:יח") == [("מצודת דוד, משלי י:יח", "Metzudat David on Proverbs 10:18")]
    assert refs_of("וראה (בראשית לז, ד) ויראו") == [("בראשית לז, ד", "Genesis 37:4")]


def test_a_chapter_cited_alone_governs_the_verses_after_it() -> None:
    text = "--משלי פרק י\n\nThe first pasuk is an introduction; not really anything new. The message is in פסוק יח."
    assert refs_of(text)[1] == ("פסוק יח", "Proverbs 10:18")
    far = "(משלי פרק י)" + " word" * 80 + " פסוק יח"
    assert refs_of(far) == [("משלי פרק י", "Proverbs 10")]  # too far from it: no guess


def test_an_address_alone_in_parentheses_is_of_the_work_a_heading_names() -> None:
    """A summary under a heading that names the work cites it by bare 'siman:seif', lists too."""
    text = (
        "Shulchan Arukh, Orach Chayim\n\n"
        "One washes in the morning (4:1) and not before (see 4:7,9). The blessing waits (6:2-3,5;7:1).\n"
    )
    assert refs_of(text) == [
        ("4:1", "Shulchan Arukh, Orach Chayim 4:1"),
        ("4:7", "Shulchan Arukh, Orach Chayim 4:7"),
        ("9", "Shulchan Arukh, Orach Chayim 4:9"),
        ("6:2-3", "Shulchan Arukh, Orach Chayim 6:2-3"),
        ("5", "Shulchan Arukh, Orach Chayim 6:5"),
        ("7:1", "Shulchan Arukh, Orach Chayim 7:1"),
    ]


def test_an_address_alone_in_parentheses_follows_the_work_cited_last() -> None:
    text = (
        "The prophet calls for return (Hosea 14:2). He then lists the words to bring, asking forgiveness"
        " for all iniquity and receiving the good; the calves of the lips close the plea (14:3)."
    )
    assert refs_of(text)[-1] == ("14:3", "Hosea 14:3")
    far = "The prophet calls for return (Hosea 14:2)." + " Words follow." * 30 + " The ratio was (3:1)."
    assert refs_of(far) == [("Hosea 14:2", "Hosea 14:2")]  # a paragraph away: no guess
    assert refs_of("We met at noon (12:30) and left.") == []  # no work in sight: a time, not a place
    assert refs_of("The Gemara (Berakhot 2a) says so (3:1).") == [
        ("Berakhot 2a", "Berakhot 2a")
    ]  # no daf 3:1


def test_a_list_of_chapters_after_a_part_the_name_already_is() -> None:
    """'Likkutei Amarim, Part I' restates the part; 'and' may follow the list's last comma."""
    assert refs_of("Compare Likkutei Amarim, Part I, chs. 3, 12, and 41 on this.") == [
        ("chs. 3", "Tanya, Part I; Likkutei Amarim 3"),
        ("12", "Tanya, Part I; Likkutei Amarim 12"),
        ("41", "Tanya, Part I; Likkutei Amarim 41"),
    ]


def test_every_item_of_a_list_in_a_part_not_read_is_left_alone() -> None:
    """The part is not read, so no item of the list may fall back on the whole work's first part."""
    assert refs_of("See Likutei Moharan, Part II, chs. 3, 4 and 7 there.") == []
    assert refs_of("The Peri Eitz Chaim, Sha’ar HaTefillah, Chapters 2, 5 and 6") == []


def test_a_works_ibid_is_never_read_as_siman_340() -> None:
    """'שם' after a title is 'there' (ש=300, ם=40 would be a numeral only by mistake)."""
    text = '(שו"ע או"ח רצו א. כה"ח שם ס"ק ד)'
    assert refs_of(text) == [
        ('שו"ע או"ח רצו א', "Shulchan Arukh, Orach Chayim 296:1"),
        ('כה"ח שם ס"ק ד', "Kaf HaChayim on Shulchan Arukh, Orach Chayim 296:4"),  # its seif katan 4 there
    ]
    assert refs_of('וכ"כ כף החיים סי\' רצו ס"ק ד') == [
        ("כף החיים סי' רצו ס\"ק ד", "Kaf HaChayim on Shulchan Arukh, Orach Chayim 296:4")
    ]


# ---- the Shulchan Arukh and its commentaries by siman, the part and the siman from the text


def test_a_siman_without_its_part_takes_the_part_the_text_cites() -> None:
    """'שו"ע קכח סע' ב' names no part; the text's other citations (of the part, or of a commentary on
    one part only) say which, before or after it."""
    text = 'ונוהגים כך (שו"ע קכח סע\' ב). ועיין עוד (משנה ברורה קכח ס"ק ה).'
    assert refs_of(text)[0] == ("שו\"ע קכח סע' ב", "Shulchan Arukh, Orach Chayim 128:2")
    text = "כמבואר (שו\"ע אה\"ע ב סע' א), וכן (שלחן ערוך ג סע' ד)."
    assert refs_of(text)[1] == ("שלחן ערוך ג סע' ד", "Shulchan Arukh, Even HaEzer 3:4")


def test_a_siman_past_the_other_parts_end_is_of_the_one_part_it_exists_in() -> None:
    """Siman 650 exists only in Orach Chayim (697 simanim; the other parts end by 427)."""
    assert refs_of("וכן פסק (רמ\"א תרנ סע' ב) להלכה") == [
        ("רמ\"א תרנ סע' ב", "Shulchan Arukh, Orach Chayim 650:2")
    ]


def test_a_siman_without_its_part_is_a_ranked_ambiguity_when_nothing_says_the_part() -> None:
    """No part in the text, or two: every part the siman exists in, the book's order (or the parts the
    text cites) first, never one of them silently."""
    every = [
        "Shulchan Arukh, Yoreh De'ah 128:2",
        "Shulchan Arukh, Even HaEzer 128:2",
        "Shulchan Arukh, Choshen Mishpat 128:2",
    ]
    alone = link("ראה (שו\"ע קכח סע' ב) שם")
    assert [(c.ref, c.alternatives) for c in alone] == [("Shulchan Arukh, Orach Chayim 128:2", every)]
    text = 'ראה (שו"ע קכח סע\' ב), ועיין (שו"ע יו"ד קי) ו(שו"ע או"ח קי).'
    first = link(text)[0]
    assert first.ref == "Shulchan Arukh, Orach Chayim 128:2"
    assert first.alternatives[0] == "Shulchan Arukh, Yoreh De'ah 128:2"
    assert len(link(text)) == 3


def test_a_seif_katan_without_its_siman_is_of_the_siman_just_cited() -> None:
    """'מ"ב ס"ק ג' after the Shulchan Arukh's siman 271 is the Mishnah Berurah on 271, never siman 3."""
    text = 'וכך נוהגים (שו"ע או"ח רעא סע\' א; מ"ב ס"ק ג).'
    assert refs_of(text)[-1] == ('מ"ב ס"ק ג', "Mishnah Berurah 271:3")
    assert refs_of('כמו שכתב המשנה ברורה ס"ק ג שם') == []  # no siman in the text: no guess


def test_a_commentarys_ibid_keeps_the_commentary_and_its_siman() -> None:
    text = '(כף החיים תקפא ס"ק יב. שם ס"ק טו; שם סק"ד)'
    assert refs_of(text) == [
        ('כף החיים תקפא ס"ק יב', "Kaf HaChayim on Shulchan Arukh, Orach Chayim 581:12"),
        ('שם ס"ק טו', "Kaf HaChayim on Shulchan Arukh, Orach Chayim 581:15"),
        ('שם סק"ד', "Kaf HaChayim on Shulchan Arukh, Orach Chayim 581:4"),
    ]
    text = '(רמ"א או"ח תקפא סע\' א. כה"ח שם ס"ק ט)'
    assert refs_of(text)[-1] == ('כה"ח שם ס"ק ט', "Kaf HaChayim on Shulchan Arukh, Orach Chayim 581:9")


def test_a_bare_seif_is_of_the_siman_the_passage_discusses() -> None:
    """'בסעיף ט' in a passage after '(שו"ע או"ח רכה, ג)' is seif 9 of that siman, though the quoted
    words stand between them; with no siman cited before, it is no place."""
    text = (
        '"ומברך על כל אחד ואחד" (שו"ע או"ח רכה, ג). והמפרשים הקשו על דבריו, שהרי כבר כתב המחבר להלן '
        "שאין לברך אלא פעם אחת בלבד, ואין זה סותר את מה שכתב בסעיף ט שם, כי שם מדובר באופן אחר."
    )
    assert refs_of(text)[-1] == ("בסעיף ט", "Shulchan Arukh, Orach Chayim 225:9")
    assert refs_of("ואין זה סותר את מה שכתב בסעיף ט שם, כי שם מדובר באופן אחר.") == []
