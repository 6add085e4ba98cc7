"""Forms the fourth held-out set of issue 13 (tests/data/realtext/*-401..*-405) wrote that the linker misread.

The sentences are ours; each is a general way of citing that those pages use.
"""

from __future__ import annotations

from linker_cases import refs_of


def test_a_hebrew_title_in_single_quotes_is_the_work_its_chapter_belongs_to() -> None:
    # read without the title, 'פרק ט' was a chapter of the book the page had spoken of
    text = "על פרשת בראשית. ועיין בזה ('פרקי דרבי אליעזר' פרק ט ד\"ה ויאמר) ודוק"
    assert refs_of(text) == [("פרקי דרבי אליעזר' פרק ט", "Pirkei DeRabbi Eliezer 9")]


def test_a_geresh_is_not_an_opening_quote() -> None:
    text = "(גמ' שבת דף לא ע\"א, גמ' יומא דף ט ע\"ב)"
    assert [r for _, r in refs_of(text)] == ["Shabbat 31a", "Yoma 9b"]


def test_a_chapter_and_its_verse_on_the_next_line_are_one_reference() -> None:
    text = "ספר הספרים\nתהלים - פרק יט -\n\nפסוק ח\n\nתורת ה' תמימה"
    assert refs_of(text) == [("תהלים - פרק יט -\n\nפסוק ח", "Psalms 19:8")]


def test_a_rambam_chapter_and_its_halakha_below_it_are_one_reference() -> None:
    text = 'מקורות\n\nהרמב"ם הלכות תשובה – פרק ג\n\nהלכה ד\n\nכל אחד ואחד'
    assert refs_of(text) == [('הרמב"ם הלכות תשובה – פרק ג\n\nהלכה ד', "Mishneh Torah, Repentance 3:4")]


def test_a_heading_with_a_subtitle_after_a_dash_governs_the_bare_chapters_below_it() -> None:
    # the heading has a '- Part 2 - audio' after it: it was no heading, and 'ch. 9' far below was unread
    text = (
        "Intro\n\nTanya: Chapter 14 – Part 2 – audio\n\n"
        + "The Alter Rebbe goes on with the theme of the beinoni and his soul. " * 3
        + "As stated in ch. 9, the two souls wage war."
    )
    assert refs_of(text)[-1] == ("ch. 9", "Tanya, Part I; Likkutei Amarim 9")


def test_a_verse_named_far_below_a_range_it_lies_in_is_that_verse() -> None:
    text = (
        "PSALMS 23:1-6 1 The Lord is my shepherd; I shall not want. "
        + "He makes me lie down in green pastures and leads me beside still waters. " * 4
        + "\n\nQUESTIONS 1. Why does verse 4 speak of a valley?"
    )
    assert refs_of(text)[-1] == ("verse 4", "Psalms 23:4")


def test_a_verse_number_outside_the_range_is_not_read_into_it() -> None:
    text = (
        "PSALMS 23:1-3 1 The Lord is my shepherd; I shall not want. "
        + "He makes me lie down in green pastures and leads me beside still waters. " * 4
        + "\n\nQUESTIONS 1. Why does verse 9 speak of a valley?"
    )
    assert ("verse 9", "Psalms 23:9") not in refs_of(text)


def test_the_laws_of_repentance_spelt_tshuva_are_the_rambams() -> None:
    assert refs_of("See Hilchos Tshuva, Chapter 2, Halacha 3 there.") == [
        ("Hilchos Tshuva, Chapter 2, Halacha 3", "Mishneh Torah, Repentance 2:3")
    ]


def test_the_laws_of_appraisals_spelt_erkhin_after_a_stray_closing_quote() -> None:
    # the page closed a quote it never opened between the title and the address
    assert refs_of("See Maimonides, Mishneh Torah, Hilkhot Erkhin ve-Heramin” 5.2.") == [
        ("Hilkhot Erkhin ve-Heramin” 5.2", "Mishneh Torah, Appraisals and Devoted Property 5:2")
    ]


def test_a_title_in_quotes_before_a_count_is_no_reference() -> None:
    assert refs_of("The word “Genesis” 12 times in the essay.") == []


def test_hebrew_numerals_alone_on_their_lines_under_a_tractate_are_its_dapim() -> None:
    text = (
        "Memory tricks for each page\nShabbat\nלא\nThe convert and Hillel's patience\n"
        "לב\nA woman's three mitzvot\n"
    )
    assert refs_of(text) == [("לא", "Shabbat 31"), ("לב", "Shabbat 32")]


def test_hebrew_numerals_on_their_lines_under_a_book_of_the_bible_are_not_dapim() -> None:
    text = "Notes on a book\nGenesis\nלא\nJacob leaves Laban\nלב\nThe angels\n"
    assert refs_of(text) == []


def test_numbered_paragraphs_under_a_hebrew_tractate_heading_are_not_dapim() -> None:
    text = "מסכת שבת\nא\nיציאות השבת שתים שהן ארבע בפנים\nב\nלא יצא החייט במחטו\n"
    assert [r for _, r in refs_of(text) if r.startswith("Shabbat ") and r != "Shabbat"] == []


def test_a_perek_right_after_a_weekly_portion_is_a_chapter_of_its_book() -> None:
    text = "This week, in Parshat Vayechi, Perek 49, Yaakov blesses his sons."
    assert refs_of(text) == [("Perek 49", "Genesis 49")]


def test_a_perek_the_portion_does_not_hold_is_not_read_into_its_book() -> None:
    assert refs_of("In Parshat Noach, Perek 30 of the Mishnah is quoted.") == []


def test_tractates_in_scholarly_transliteration_with_dotted_letters() -> None:
    text = "(Pesaḥim 50a; Ḥagigah 12a; Giṭṭin 56b; Gem. Menaĉot 43b)"
    assert [r for _, r in refs_of(text)] == ["Pesachim 50a", "Chagigah 12a", "Gittin 56b", "Menachot 43b"]


def test_perek_and_pasuk_in_hebrew_letters_after_a_weekly_portion() -> None:
    text = "In Parshat Vayishlach, after the struggle with the angel, in Perek לב, pasuk לג, the Torah forbids the sinew."
    assert refs_of(text) == [("Perek לב, pasuk לג", "Genesis 32:33")]


def test_perek_in_hebrew_letters_with_no_portion_named_is_no_reference() -> None:
    assert refs_of("We learned Perek מא of the book together.") == []
