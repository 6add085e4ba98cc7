"""Forms people write citations in, read by the parser and found by the linker (issue 13): an
abbreviation joined to its number, volume and unit words between dashes, a chapter named by an
ordinal, works addressed by weekly portion, the Yalkut Shimoni by remez, a seif of the siman in hand.
The sentences are our own; each form is also checked where it must not fire."""

from __future__ import annotations

import pytest

from linker_cases import refs_of
from madrega.refs import AmbiguousRef, RefError, parse
from madrega.study.linker import link

# ---------------------------------------------------------------- TITLE-N


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("LM-24", "Likutei Moharan 24"),
        ("BM-59b", "Bava Metzia 59b"),
        ("OC-90:1", "Shulchan Arukh, Orach Chayim 90:1"),
        ("Likutei Moharan-24", "Likutei Moharan 24"),
    ],
)
def test_an_abbreviation_joined_to_its_number_by_a_hyphen_is_read(text: str, ref: str) -> None:
    assert str(parse(text)) == ref


def test_a_hyphenated_word_that_names_no_work_stays_an_error() -> None:
    with pytest.raises(RefError, match="no work named"):
        parse("Covid-19")


def test_the_linker_reads_a_glued_abbreviation_with_a_full_address() -> None:
    assert refs_of("Compare OC-90:1 with BM-59b before the class.") == [
        ("OC-90:1", "Shulchan Arukh, Orach Chayim 90:1"),
        ("BM-59b", "Bava Metzia 59b"),
    ]


def test_a_glued_abbreviation_before_a_word_needs_its_work_cited_first() -> None:
    # 'LM-24 shows' alone could be a code; after a citation of Likutei Moharan it is a place.
    assert refs_of("As LM-24 shows, joy opens every gate.") == []
    assert refs_of("Rebbe Nachman (LM II:12) teaches this, and LM-24 shows how joy opens every gate.") == [
        ("LM II:12", "Likutei Moharan, Part II 12"),
        ("LM-24", "Likutei Moharan 24"),
    ]
    assert refs_of("Take the LA-2 bus or the I-95 to the AM-10 show.") == []


# ---------------------------------------------------------------- volume and unit words


@pytest.mark.parametrize(
    "text",
    [
        "Likutay Moharan - Volume 2 - Torah-teaching 10",
        "Likutey Moharan Part 2 Discourse 10",
        "Likutei Moharan, Vol. II - Lesson 10",
        "Likkutei Moharan, Book 2, Teaching 10",
        "Likutei Moharan Sefer 2, Torah 10",
        "Likutei Moharan Chelek 2 10",
        'ליקוטי מוהר"ן חלק ב סימן י',
    ],
)
def test_volume_and_unit_words_between_dashes_and_commas(text: str) -> None:
    assert str(parse(text)) == "Likutei Moharan, Part II 10"


def test_a_dash_between_places_is_still_a_range() -> None:
    assert str(parse("Genesis 1:1 - 2:3")) == "Genesis 1:1-2:3"
    assert str(parse("Likutei Moharan - Part 2 - Torah 10-12")) == "Likutei Moharan, Part II 10-12"
    assert str(parse("Shabbat 2a-b")) == "Shabbat 2"


def test_the_linker_reads_a_heading_with_volume_and_unit_words() -> None:
    text = "Likutay Moharan - Volume 2 - Torah-teaching 7\n\n7 - On settling the mind"
    assert refs_of(text) == [
        ("Likutay Moharan - Volume 2 - Torah-teaching 7", "Likutei Moharan, Part II 7"),
    ]


# ---------------------------------------------------------------- a chapter named by an ordinal


def test_a_chapter_named_by_an_ordinal_before_its_work() -> None:
    text = (
        "In the first chapter of Genesis the world is made; chapter two of Exodus brings Moses to the "
        "river, and the 3rd perek of Hilchot Teshuvah weighs the deeds of a person."
    )
    assert refs_of(text) == [
        ("the first chapter of Genesis", "Genesis 1"),
        ("chapter two of Exodus", "Exodus 2"),
        ("the 3rd perek of Hilchot Teshuvah", "Mishneh Torah, Repentance 3"),
    ]


def test_a_chapter_named_by_a_hebrew_ordinal_or_numeral() -> None:
    assert refs_of('כמו שכתב הרמב"ם בפרק שני של הלכות תשובה שהכל לפי רוב המעשה') == [
        ("בפרק שני של הלכות תשובה", "Mishneh Torah, Repentance 2"),
    ]
    assert refs_of("ועיין פרק ג' מהלכות תשובה שם") == [("פרק ג' מהלכות תשובה", "Mishneh Torah, Repentance 3")]


def test_an_ordinal_chapter_needs_a_work_cited_by_chapter() -> None:
    assert refs_of("the first chapter of his book, and this chapter of Genesis") == []
    assert refs_of("פרק זה של בראשית מלמד") == []
    assert refs_of("the third perek of Berakhot") == []  # a tractate's perek is not its daf


# ---------------------------------------------------------------- works arranged by weekly portion


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("Kedushat Levi, Pinchas", "Kedushat Levi, Numbers, Pinchas"),
        ("Kedushas Levi, Parshas Balak", "Kedushat Levi, Numbers, Balak"),
        ("קדושת לוי, פרשת פינחס", "Kedushat Levi, Numbers, Pinchas"),
        ("קדושת לוי פרשת פנחס", "Kedushat Levi, Numbers, Pinchas"),
        ("שפת אמת, פרשת קרח", "Sefat Emet, Numbers, Korach"),
        ("Sefat Emet, Parshat Balak 3", "Sefat Emet, Numbers, Balak 3"),
        ("נועם אלימלך פרשת בלק", "Noam Elimelech, Sefer Bamidbar, Balak"),
        ("Degel Machaneh Ephraim, Parashas Balak", "Degel Machaneh Ephraim, Balak"),
    ],
)
def test_a_work_arranged_by_portion_is_cited_by_the_portion(text: str, ref: str) -> None:
    assert str(parse(text)) == ref


def test_the_linker_reads_a_portion_after_a_title_with_a_comma_or_its_lead_word() -> None:
    assert refs_of("כמו שכתב בקדושת לוי, פרשת בלק שהכל תלוי ברצון") == [
        ("קדושת לוי, פרשת בלק", "Kedushat Levi, Numbers, Balak"),
    ]
    assert refs_of("As the Sefas Emes, Parshas Korach teaches, division comes from pride.") == [
        ("Sefas Emes, Parshas Korach", "Sefat Emet, Numbers, Korach"),
    ]
    assert refs_of("ראו בספר שפת אמת נח שבו") == []  # a portion's name right after a Hebrew title: a word too


def test_a_portion_heading_under_the_books_heading_and_the_torahs_chapters_under_it() -> None:
    text = "נועם אלימלך המלא\n\nפרשת בלק\n\nפרק כב\n\nויקח בלק את בני מואב"
    assert refs_of(text) == [
        ("פרשת בלק", "Noam Elimelech, Sefer Bamidbar, Balak"),
        ("פרק כב", "Numbers 22"),
    ]
    # Balak is Numbers 22:2-25:9: chapter 30 is not in it, and names no paragraph of the book either
    assert refs_of("נועם אלימלך המלא\n\nפרשת בלק\n\nפרק ל\n\nויקח") == [
        ("פרשת בלק", "Noam Elimelech, Sefer Bamidbar, Balak"),
    ]
    assert refs_of("Sefat Emet\n\nParashat Korach\n\nChapter 16\n\nKorach took") == [
        ("Parashat Korach", "Sefat Emet, Numbers, Korach"),
        ("Chapter 16", "Numbers 16"),
    ]


# ---------------------------------------------------------------- Yalkut Shimoni by remez


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("ילקוט שמעוני משלי, רמז תתקסא", "Yalkut Shimoni on Nach 961"),
        ('ילקו"ש תהלים רמז תרמ', "Yalkut Shimoni on Nach 640"),
        ("Yalkut Shimoni Proverbs 961", "Yalkut Shimoni on Nach 961"),
        ("Yalkut Shimoni on Nach 1085", "Yalkut Shimoni on Nach 1085"),
        ("ילקוט שמעוני, רמז קכג", "Yalkut Shimoni on Torah 123"),  # never remez 247 (רמז), paragraph 123
        ("ילקוט שמעוני רמז תתקסא-תתקסב", "Yalkut Shimoni on Torah 961-962"),
        ("ילקוט שמעוני, וירא", "Yalkut Shimoni on Torah 83:1-102:5"),
    ],
)
def test_yalkut_shimoni_by_remez_with_or_without_its_book(text: str, ref: str) -> None:
    assert str(parse(text)) == ref


def test_the_nach_volume_counts_its_own_remazim() -> None:
    with pytest.raises(RefError, match="1085"):
        parse("Yalkut Shimoni on Nach 1086")


def test_the_linker_reads_a_remez_of_five_letters() -> None:
    assert refs_of("וכך דרשו (ילקוט שמעוני משלי, רמז תתקסא) על השדה") == [
        ("ילקוט שמעוני משלי, רמז תתקסא", "Yalkut Shimoni on Nach 961"),
    ]


# ---------------------------------------------------------------- A SIMAN WITHOUT ITS PART

_PARTS_90_21 = [
    "Shulchan Arukh, Orach Chayim 90:21",
    "Shulchan Arukh, Yoreh De'ah 90:21",
    "Shulchan Arukh, Even HaEzer 90:21",
    "Shulchan Arukh, Choshen Mishpat 90:21",
]


@pytest.mark.parametrize("text", ['S"A 90:21', "S”A 90:21", "Shulchan Arukh 90:21", "שו\"ע סי' צ סעיף כא"])
def test_the_shulchan_arukh_without_its_part_is_a_ranked_ambiguity(text: str) -> None:
    """Every part the siman and seif exist in, in the book's order: never one silently, never Matthew."""
    with pytest.raises(AmbiguousRef) as caught:
        parse(text)
    assert caught.value.alternatives == _PARTS_90_21
    assert [(c.ref, c.alternatives) for c in link(f"See {text} there.")] == [
        (_PARTS_90_21[0], _PARTS_90_21[1:])
    ]


def test_the_tur_without_its_part_is_a_ranked_ambiguity() -> None:
    with pytest.raises(AmbiguousRef) as caught:
        parse("Tur 94:3")
    assert caught.value.alternatives[:2] == ["Tur, Orach Chaim 94:3", "Tur, Yoreh Deah 94:3"]
    assert [(c.ref, len(c.alternatives)) for c in link("as the Tur 94:3 says")] == [
        ("Tur, Orach Chaim 94:3", 3)
    ]


def test_a_siman_that_exists_in_one_part_only_is_of_that_part() -> None:
    assert str(parse("Shulchan Arukh 602:1")) == "Shulchan Arukh, Orach Chayim 602:1"


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ('Orach Chayim 90:1. See also S"A 90:21.', "Shulchan Arukh, Orach Chayim 90:21"),
        ("Orach Chayim\n\nTur 94:3 teaches", "Tur, Orach Chaim 94:3"),
        ("Yoreh De'ah 89:1; and Tur 94:3", "Tur, Yoreh Deah 94:3"),
        ("ראה או\"ח סי' צ. ועיין שו\"ע סי' צ סעיף כא", "Shulchan Arukh, Orach Chayim 90:21"),
    ],
)
def test_a_siman_without_its_part_takes_the_part_the_text_names(text: str, ref: str) -> None:
    last = link(text)[-1]
    assert (last.ref, last.alternatives) == (ref, [])


@pytest.mark.parametrize("text", ["The Tur 3 times said so", "the SA 90 people", "Tur 94 and more"])
def test_a_partless_english_title_needs_a_siman_and_seif(text: str) -> None:
    assert refs_of(text) == []


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("Tur, Orach Chaim 90:1", "Tur, Orach Chaim 90:1"),
        ("see Tur, Yoreh Deah 94:3 there", "Tur, Yoreh Deah 94:3"),
        ("Tur, Choshen Mishpat 5:1", "Tur, Choshen Mishpat 5:1"),
    ],
)
def test_the_tur_and_its_part_after_a_comma_is_the_tur_not_the_shulchan_arukh(text: str, ref: str) -> None:
    """'Orach Chaim' alone names the Shulchan Arukh's part; after 'Tur,' it is the Tur's."""
    assert [c.ref for c in link(text)] == [ref]


# ---------------------------------------------------------------- THE JERUSALEM TALMUD'S HALAKHOT


def test_a_yerushalmi_halakha_past_the_chapter_is_refused_not_read_as_the_mishnah() -> None:
    """Sefaria's Jerusalem Talmud Sanhedrin (Guggenheimer's edition) has four halakhot in chapter 1 (the
    second holds mishnayot 2-4), as the catalog does: 1:5 does not exist, and is not Mishnah Sanhedrin 1:5."""
    with pytest.raises(RefError, match="4 halakhot"):
        parse("Jerusalem Talmud Sanhedrin 1:5")
    assert refs_of("as in Jerusalem Talmud Sanhedrin 1:5 there") == []
    assert refs_of("as in Jerusalem Talmud Sanhedrin 1:4 there") == [
        ("Jerusalem Talmud Sanhedrin 1:4", "Jerusalem Talmud Sanhedrin 1:4")
    ]


# ---------------------------------------------------------------- THE ZOHAR'S INTRODUCTION


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("Zohar, Introduction 5a", "Zohar 1:5a"),
        ("Zohar, Hakdamah 11b", "Zohar 1:11b"),
        ("זוהר הקדמה דף ה.", "Zohar 1:5a"),
    ],
)
def test_the_zohars_introduction_is_read_in_its_first_volume(text: str, ref: str) -> None:
    """The Zohar's own introduction (before Bereshit, 1a-14b) named by its word, cited by daf."""
    assert str(parse(text)) == ref
    assert [c.ref for c in link(f"see {text} there")] == [ref]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('עיין בהקדמת הזהר דף ה ע"ב שם', ('בהקדמת הזהר דף ה ע"ב', "Zohar 1:5b")),
        ('כמבואר בזוהר פרשת ויחי דף רטז: עיי"ש', ("בזוהר פרשת ויחי דף רטז:", "Zohar 1:216b")),
        ("עיין זוהר הקדמה דף ה. ושם", ("זוהר הקדמה דף ה.", "Zohar 1:5a")),
    ],
)
def test_the_zohar_in_hebrew_by_its_portion_or_introduction_and_daf(
    text: str, found: tuple[str, str]
) -> None:
    assert refs_of(text) == [found]


# ---------------------------------------------------------------- A PART NAMED BEFORE THE PLACE


@pytest.mark.parametrize(
    "text",
    ["ליקוטי מוהר\"ן - חלק ב'-קכה", 'ליקוטי מוהר"ן - חלק ב - סימן קכה', 'ליקוטי מוהר"ן ח"ב - קכה'],
)
def test_a_dash_after_the_part_alone_separates_it_from_the_place(text: str) -> None:
    assert str(parse(text)) == "Likutei Moharan, Part II 125"


@pytest.mark.parametrize("text", ["ליקוטי מוהר\"ן - חלק ב'-קכה", 'ליקוטי מוהר"ן - חלק ב - סימן קכה'])
def test_the_linker_reads_the_part_between_dashes(text: str) -> None:
    """Never Part I's 125 from the bare 'סימן קכה'."""
    assert [c.ref for c in link(f"עיין {text} שם")] == ["Likutei Moharan, Part II 125"]


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ('ליקוטי מוהר"ן\nכמבואר בספר השני בסימן ח', "Likutei Moharan, Part II 8"),
        ('ליקוטי מוהר"ן\nכמבואר בספר הראשון בסימן רפ"ב', "Likutei Moharan 282"),
    ],
)
def test_a_bare_siman_after_the_books_part_is_in_that_part(text: str, ref: str) -> None:
    assert [c.ref for c in link(text)] == [ref]


def test_a_bare_siman_in_a_part_where_it_does_not_exist_is_refused() -> None:
    """Part II has 125 torahs: never Part I's 282 instead."""
    assert link('ליקוטי מוהר"ן\nכמבואר בספר השני בסימן רפ"ב') == []


# ---------------------------------------------------------------- A PART BY ITS HEBREW NAME


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("פרי עץ חיים שער קריאת שמע פרק ג", "Pri Etz Chaim, Gate of the Recitation of the Shema 3"),
        ("פרי עץ חיים, שער קריאת שמע, פרק ג", "Pri Etz Chaim, Gate of the Recitation of the Shema 3"),
        (
            "פרי עץ חיים שער קריאת שמע שעל המיטה פרק א",
            "Pri Etz Chaim, Gate of the Recitation of the Shema Before Retiring 1",
        ),
    ],
)
def test_a_part_named_in_hebrew_without_its_article_is_that_part(text: str, ref: str) -> None:
    """The catalog's 'שער הקריאת שמע' is written 'שער קריאת שמע'; the longest name that fits wins."""
    assert str(parse(text)) == ref
    assert [c.ref for c in link(f"עיין ב{text} שם")] == [ref]


def test_a_part_name_that_fits_no_part_stays_an_error() -> None:
    with pytest.raises(RefError):
        parse("פרי עץ חיים שער הנבואה פרק ג")


# ---------------------------------------------------------------- A GATE WITHOUT ITS WORK


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Shaarei Teshuvah\n\nGate 1, 10: the first principle", [("Gate 1, 10", "Shaarei Teshuvah 1:10")]),
        (
            "Gates of Repentance, by Rabbeinu Yonah. In Gate 2:5 he writes",
            [("Gate 2:5", "Shaarei Teshuvah 2:5")],
        ),
    ],
)
def test_a_gate_is_of_the_work_by_gates_the_text_is_on(text: str, found: list[tuple[str, str]]) -> None:
    assert [pair for pair in refs_of(text) if pair[0].startswith("Gate ")] == found


def test_a_gate_in_a_text_on_no_work_by_gates_is_no_citation() -> None:
    assert refs_of("Meet me at Gate 1, 10 minutes before boarding.") == []
    assert refs_of("Genesis 1:1. Then Gate 3 opened.") == [("Genesis 1:1", "Genesis 1:1")]


def test_the_taz_without_its_part_takes_the_part_the_text_names() -> None:
    """The catalog holds the Taz on Orach Chayim only: it is read so where the text is on Orach Chayim."""
    assert [c.ref for c in link("Orach Chayim 90:1, and the Taz 90:5 explains")] == [
        "Shulchan Arukh, Orach Chayim 90:1",
        "Turei Zahav on Shulchan Arukh, Orach Chayim 90:5",
    ]


@pytest.mark.parametrize("text", ["Taz 90:5 explains", "Yoreh De'ah 89:1; Taz 90:5"])
def test_the_taz_without_a_part_in_the_text_is_never_guessed(text: str) -> None:
    """Nothing says Orach Chayim (or the text is on Yoreh De'ah, whose Taz the catalog lacks): no answer
    rather than the one part the catalog has."""
    assert all("Turei Zahav" not in c.ref for c in link(text))


def test_a_siman_without_its_part_takes_the_part_a_hebrew_heading_names() -> None:
    """'אורח חיים' in a heading is no citation, but says which part 'שו"ע סי' צ' is in."""
    found = link("הלכות תפילה - אורח חיים\n\nועיין שו\"ע סי' צ סעיף כא שם")
    assert [(c.ref, c.alternatives) for c in found][-1] == ("Shulchan Arukh, Orach Chayim 90:21", [])


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("זוהר חלק א דף קמו/ב", "Zohar 1:146b"),  # Wikisource's daf/amud, after the daf's word
        ('זוהר ח"ב דף מה, א', "Zohar 2:45a"),  # the daf's word between the volume and the daf
        ("זוהר חלק ב, דף נב, א", "Zohar 2:52a"),
        ("ברכות דף יז/א", "Berakhot 17a"),
        ("שבת קנא/ב", "Shabbat 151b"),
    ],
)
def test_a_daf_and_its_amud_after_a_slash_or_the_dafs_word_in_a_volume(text: str, ref: str) -> None:
    """'דף כו/א' is daf 26, amud a; in the Zohar the word דף may stand between the volume and the daf."""
    assert str(parse(text)) == ref


@pytest.mark.parametrize(
    "text",
    ["Genesis verse 3", "Psalms, verse 5", "Psalms verses 5-6", "Avot mishnah 3", "Hilchot Deot, halacha 2"],
)
def test_a_lower_level_named_alone_is_no_place(text: str) -> None:
    """'Genesis verse 3' names a verse without its chapter: an error that says so, never chapter 3."""
    with pytest.raises(RefError, match="is cited with its"):
        parse(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Psalms chapter 5", "Psalms 5"),
        ("Psalm 121: Verse 4", "Psalms 121:4"),
        ("Genesis 1, verse 3", "Genesis 1:3"),
        ("Devarim verse 25:19", "Deuteronomy 25:19"),
        ("Hilchot Deot 2, halacha 3", "Mishneh Torah, Human Dispositions 2:3"),
    ],
)
def test_a_level_named_with_its_place_still_reads(text: str, expected: str) -> None:
    assert str(parse(text)) == expected
