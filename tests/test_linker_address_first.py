"""Issue 13: an address written before its title ('verse 5 of Psalm 23', 'Halacha 4 of Hilchot Shabbat
chapter 2', 'פסוק ה' בתהלים כג', 'פרק ב' ממסכת אבות משנה ח''), as real pages write it.

The level word names a level of the work's structure; when it is not the work's next level, it names
no place of it. The sentences are ours.
"""

from __future__ import annotations

from linker_cases import refs_of


def test_the_level_below_the_address_named_before_the_title() -> None:
    assert refs_of("As Halacha 4 of Hilchot Shabbat chapter 2 rules, one may") == [
        ("Halacha 4 of Hilchot Shabbat chapter 2", "Mishneh Torah, Sabbath 2:4")
    ]
    assert refs_of("we learn in Mishnah 8 of Avot chapter 2 that") == [
        ("Mishnah 8 of Avot chapter 2", "Pirkei Avot 2:8")
    ]
    assert refs_of("Read verse 5 of Psalm 23.") == [("verse 5 of Psalm 23", "Psalms 23:5")]
    assert refs_of("the fifth verse of Psalm 23 says") == [("the fifth verse of Psalm 23", "Psalms 23:5")]


def test_the_level_word_before_vouches_for_a_number_followed_by_a_word() -> None:
    # 'Psalm 23 again' alone is not read (a number before a word may be a count)
    assert refs_of("Read verse 5 of Psalm 23 again.") == [("verse 5 of Psalm 23", "Psalms 23:5")]
    assert refs_of("see section 7 of Likutei Moharan 6 there") == [
        ("section 7 of Likutei Moharan 6", "Likutei Moharan 6:7")
    ]


def test_both_levels_before_the_title() -> None:
    assert refs_of("see halacha 4 of chapter 2 of Hilchot Shabbat.") == [
        ("halacha 4 of chapter 2 of Hilchot Shabbat", "Mishneh Torah, Sabbath 2:4")
    ]


def test_the_chapter_before_the_title_and_the_level_below_after_it() -> None:
    assert refs_of("in chapter 2 of Avot, mishnah 8, Hillel says") == [
        ("chapter 2 of Avot, mishnah 8", "Pirkei Avot 2:8")
    ]
    assert refs_of("כמבואר בפרק ב' ממסכת אבות משנה ח' שם") == [
        ("בפרק ב' ממסכת אבות משנה ח'", "Pirkei Avot 2:8")
    ]


def test_hebrew_verse_before_the_book_and_its_chapter() -> None:
    # 'בתהלים כג' in prose is not read alone; the verse named before it says it is a place
    assert refs_of("כמו שכתוב בפסוק ה' בתהלים כג") == [("בפסוק ה' בתהלים כג", "Psalms 23:5")]


def test_a_level_word_that_does_not_fit_the_work_names_no_place_of_it() -> None:
    # the Mishneh Torah's chapters have halakhot, not verses: no 'Sabbath 2:5'
    assert refs_of("verse 5 of Hilchot Shabbat chapter 2") == [
        ("Hilchot Shabbat chapter 2", "Mishneh Torah, Sabbath 2")
    ]
    # a daf has no mishnayot; a tractate of the Talmud, cited by daf, no chapter by number
    assert refs_of("mishnah 3 of Berakhot 5a") == [("Berakhot 5a", "Berakhot 5a")]
    assert refs_of("the fifth chapter of Berakhot") == []
    # Psalm 23 has six verses: no verse 50 is made up
    assert refs_of("verse 50 of Psalm 23") == [("Psalm 23", "Psalms 23")]


def test_a_chapter_before_a_title_set_off_by_commas() -> None:
    # the source line under a quoted passage: address, then the laws, then the book
    assert refs_of("RaMBaM (1135-1204), Chapter 1:1, Hilchot Teshuva, Mishneh Torah\n") == [
        ("Chapter 1:1, Hilchot Teshuva", "Mishneh Torah, Repentance 1:1")
    ]
    assert refs_of('רמב"ם, פרק ראשון, הלכות תשובה, משנה תורה\n') == [
        ("פרק ראשון, הלכות תשובה", "Mishneh Torah, Repentance 1")
    ]
    # a title with words after it is the subject of a sentence, not the chapter's work
    assert refs_of("In chapter 5, Rashi explains the verse") == []
    # Psalms 9 has 21 verses: no place is made up
    assert refs_of("Chapter 9:40, Psalms.") == []


def test_the_laws_named_by_their_subject_before_the_word_laws() -> None:
    assert refs_of("RaMBaM (1135-1204), Chapter 1:1, Teshuva Laws, Mishnah Torah\n") == [
        ("Chapter 1:1, Teshuva Laws", "Mishneh Torah, Repentance 1:1")
    ]
    assert refs_of("Chapter 2:4, Shabbat Laws.") == [
        ("Chapter 2:4, Shabbat Laws", "Mishneh Torah, Sabbath 2:4")
    ]
    assert refs_of("Chapter 1:1, Kosher Laws.") == []


def test_the_chapter_before_the_title_and_a_halakha_written_after_it() -> None:
    # the halakha after the title is of the chapter named before it, not a chapter of its own
    assert refs_of("in the third chapter of Hilchot Deot, halacha 2, he says") == [
        ("the third chapter of Hilchot Deot, halacha 2", "Mishneh Torah, Human Dispositions 3:2")
    ]
    assert refs_of("כמבואר בפרק ג' מהלכות דעות הלכה ב' שם") == [
        ("בפרק ג' מהלכות דעות הלכה ב'", "Mishneh Torah, Human Dispositions 3:2")
    ]


def test_a_lower_level_alone_after_the_title_is_no_chapter() -> None:
    # 'halacha 2' with no chapter is no place: not chapter 2
    assert refs_of("as in Hilchot Deot, halacha 2, he says") == []
    assert refs_of("see Psalms, verse 5.") == []
    assert refs_of("see Mishnah Berakhot, mishnah 2.") == []
    # the chapter said, or the first level named, reads as before
    assert refs_of("see Hilchot Deot 2, halacha 3.") == [
        ("Hilchot Deot 2, halacha 3", "Mishneh Torah, Human Dispositions 2:3")
    ]
    assert refs_of("see Genesis, chapter 5.") == [("Genesis, chapter 5", "Genesis 5")]


def test_hebrew_the_level_then_the_chapter_it_is_of_then_the_title() -> None:
    assert refs_of("כמבואר בהלכה ב' מפרק ג' מהלכות דעות שם") == [
        ("בהלכה ב' מפרק ג' מהלכות דעות", "Mishneh Torah, Human Dispositions 3:2")
    ]
    assert refs_of("ושנינו משנה ח' מפרק ב' באבות שם") == [("משנה ח' מפרק ב' באבות", "Pirkei Avot 2:8")]


def test_the_level_before_a_book_named_before_its_part() -> None:
    # the book ('Mishneh Torah', 'Shulchan Arukh') between the level word and its part's name
    assert refs_of("see halacha 4 of Mishneh Torah, Hilchot Shabbat 2.") == [
        ("halacha 4 of Mishneh Torah, Hilchot Shabbat 2", "Mishneh Torah, Sabbath 2:4")
    ]
    assert refs_of("in the third chapter of Mishneh Torah, Hilchot Deot.") == [
        ("the third chapter of Mishneh Torah, Hilchot Deot", "Mishneh Torah, Human Dispositions 3")
    ]
    assert refs_of("Paragraph 1 of Shulchan Arukh, Orach Chayim 1 says") == [
        ("Paragraph 1 of Shulchan Arukh, Orach Chayim 1", "Shulchan Arukh, Orach Chayim 1:1")
    ]
    # a siman has seifim, not verses
    assert refs_of("verse 1 of Shulchan Arukh, Orach Chayim 1 says") == [
        ("Shulchan Arukh, Orach Chayim 1", "Shulchan Arukh, Orach Chayim 1")
    ]
