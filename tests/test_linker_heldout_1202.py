"""Forms the twelfth held-out set of real English and mixed pages (tests/data/realtext/*-12xx) wrote that the
linker misread or missed, and open misses of the sets before it: each a general way of writing, in
sentences of our own.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of

OC = "Shulchan Arukh, Orach Chayim"
MT = "Mishneh Torah"


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("As Maran rules in Shulhan Aruch (O.H. 128:3), one waits.", f"{OC} 128:3"),
        ("So it is brought (Shulhan Aruch Orah Haim 301:2).", f"{OC} 301:2"),
        ("It is well known (Shulchan Aruch Y”D 87,3) that this holds.", "Shulchan Arukh, Yoreh De'ah 87:3"),
    ],
)
def test_the_shulchan_arukh_in_sephardic_spelling_and_its_parts_initials(text: str, ref: str) -> None:
    # 'Shulhan', 'Orah Haim', 'O.H.' (was nothing; 'Shulhan Aruch O.H.' parsed as Even HaEzer) and Y”D
    assert [r for _t, r in refs_of(text)] == [ref]


def test_a_commentarys_gloss_by_the_parts_initials_is_still_refused() -> None:
    assert refs_of("Rabbi Akiva Eiger (Y”D 87,1) disagrees.") == []


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("The Rambam, in Hilchot Dei'ot (5:4), praises silence.", f"{MT}, Human Dispositions 5:4"),
        (
            "Maimonides (Mishneh Torah, Hilkhot M'lakhim 11:4) speaks of the king.",
            f"{MT}, Kings and Wars 11:4",
        ),
    ],
)
def test_more_spellings_of_the_mishneh_torahs_parts(text: str, ref: str) -> None:
    assert [r for _t, r in refs_of(text)] == [ref]


def test_op_cit_and_loc_cit_are_the_place_cited_last() -> None:
    text = (
        "He sits in his father's place (Shulchan Aruch, Yoreh Deah 240:3). The Shulchan Aruch (op. cit.) adds"
    )
    assert refs_of(text)[-1] == ("op. cit.", "Shulchan Arukh, Yoreh De'ah 240:3")
    assert refs_of("See Berakhot 5a, loc. cit., on suffering.")[-1] == ("loc. cit.", "Berakhot 5a")


def test_sefer_hamitzvot_by_its_parts_english_name() -> None:
    assert refs_of("Sefer HaMitzvot, positive commandment 17, counts it.") == [
        ("Sefer HaMitzvot, positive commandment 17", "Sefer HaMitzvot, Positive Commandments 17")
    ]


def test_a_part_of_the_mishneh_torah_by_name_then_chapter_and_its_laws_under_it() -> None:
    # 'Sefer Shoftim, Melachim uMilchamot Chapter 11' (was Judges 11 from 'Shoftim'), then 'Law 1', 'Law 2'
    # under it, across the verses the Rambam quotes
    filler = "The king will be a scholar, diligent in Torah study, who keeps the commandments. " * 4
    text = (
        "Mishneh Torah (Rambam), Sefer Shoftim, Melachim uMilchamot Chapter 11\n\nLaw 1\n\n"
        f"The anointed king will arise, as Numbers 24:17 states. {filler}\n\nLaw 2\n\nDo not think so."
    )
    assert refs_of(text) == [
        ("Melachim uMilchamot Chapter 11", f"{MT}, Kings and Wars 11"),
        ("Law 1", f"{MT}, Kings and Wars 11:1"),
        ("Numbers 24:17", "Numbers 24:17"),
        ("Law 2", f"{MT}, Kings and Wars 11:2"),
    ]
    assert refs_of("Rambam - a chapter a day\nMamrim - Chapter 3\nHonor the sages.") == [
        ("Mamrim - Chapter 3", f"{MT}, Rebels 3")
    ]


def test_a_halakha_far_after_the_chapter_it_is_in() -> None:
    filler = "Man has free will; he can choose good or evil, and so he must repent of his misdeeds. " * 6
    text = (
        f"The Rambam opens the second chapter of Hilchot Teshuva with it. {filler} Then (Halacha 4) he adds"
    )
    assert refs_of(text) == [
        ("the second chapter of Hilchot Teshuva", f"{MT}, Repentance 2"),
        ("Halacha 4", f"{MT}, Repentance 2:4"),
    ]


def test_law_and_halacha_of_no_chapter_cited_are_nothing() -> None:
    # a law of a book cited by chapter and verse, or another citation between: no guess
    assert refs_of("As Genesis 2 tells. Law 4 of the land holds.") == [("Genesis 2", "Genesis 2")]
    filler = "Man has free will; he can choose good or evil, and so he must repent of his misdeeds. " * 6
    text = (
        f"The third chapter of Hilchot Deot teaches. {filler} See Berakhot 5a on it. {filler} Halacha 2 says"
    )
    assert refs_of(text)[-1] == ("Berakhot 5a", "Berakhot 5a")


def test_v_between_chapter_and_verse_is_the_verse() -> None:
    # 'Chapter 19 V 18' (was chapter 19 alone); a roman chapter 'V' still reads as one
    assert refs_of("Leviticus Chapter 19 V 18 teaches love of one's fellow.") == [
        ("Leviticus Chapter 19 V 18", "Leviticus 19:18")
    ]
    assert refs_of("Psalm V 3 is a morning prayer.") == [("Psalm V 3", "Psalms 5:3")]


def test_a_daf_by_the_names_of_its_letters() -> None:
    assert refs_of("Brochas Daf Lamed Alef amud aleph: Chana's prayer.") == [
        ("Brochas Daf Lamed Alef amud aleph", "Berakhot 31a")
    ]
    assert refs_of("Shabbos daf kuf lamed gimmel amud beis") == [
        ("Shabbos daf kuf lamed gimmel amud beis", "Shabbat 133b")
    ]
    assert refs_of("Shabbos daf gimmel lamed amud beis") == []  # letters out of order are no number


def test_the_megillah_with_its_article_is_the_scroll_of_esther() -> None:
    text = "As it is written in the Megillah [4:14]: relief will arise; and it is written [9:1] of that day."
    assert refs_of(text) == [("4:14", "Esther 4:14"), ("9:1", "Esther 9:1")]
    assert refs_of("We learned in Megillah 2:5 when it is read.") == [
        ("Megillah 2:5", "Mishnah Megillah 2:5")
    ]


def test_a_book_of_parts_with_the_part_and_place_in_parentheses() -> None:
    assert refs_of("Sefer HaMitzvot (negative commandment 63) lists it.") == [
        ("Sefer HaMitzvot (negative commandment 63)", "Sefer HaMitzvot, Negative Commandments 63")
    ]


def test_the_part_again_in_parentheses_after_the_part_or_a_commentary_on_it() -> None:
    text = (
        "The Shulchan Aruch in Orach Chaim (O.C. 90:9) rules so, and the Kaf Hachaim (O.C. 90:50) explains."
    )
    assert [r for _t, r in refs_of(text)] == [
        f"{OC} 90:9",
        "Kaf HaChayim on Shulchan Arukh, Orach Chayim 90:50",
    ]
    # a book ordered by the parts that is not on that part is still refused
    assert refs_of("Igrot Moshe Orach Chaim (OC 2:17) allows it.") == []


def test_a_mishnah_berurah_digest_by_seif_and_note() -> None:
    text = (
        "Mishna Berura in brief\n\nSiman 25 – Laying tefillin\n\n  1. Put on the tallis first. (ShA1 – MB2,3)\n"
        "  2. The arm tefillin come before the head's. (MB 6)\n  3. Say no word between them. (MB9)"
    )
    assert refs_of(text) == [
        ("Siman 25", "Mishnah Berurah 25"),
        ("ShA1", f"{OC} 25:1"),
        ("MB2,3", "Mishnah Berurah 25:2-3"),
        ("MB 6", "Mishnah Berurah 25:6"),
        ("MB9", "Mishnah Berurah 25:9"),
    ]
    assert refs_of("As explained above in Section 8 in MB 14 – see there.") == [
        ("Section 8 in MB 14", "Mishnah Berurah 8:14")
    ]


def test_digest_initials_without_a_siman_cited_are_nothing() -> None:
    # 'MB' is also Melachim Bet: with no siman of Orach Chayim cited before, no guess; nor a list out of order
    assert refs_of("He turned back (MB 5) and wept.") == []
    text = "Mishna Berura in brief\n\nSiman 25 – Tefillin\n  1. Wear them. (MB3,7)"
    assert [r for _t, r in refs_of(text)] == ["Mishnah Berurah 25"]


def test_a_book_in_two_by_its_number_chapter_and_verse() -> None:
    # '(Samuel 2:23:1)' is II Samuel 23:1 (was nothing); with the book's ordinal written, no such reading
    assert refs_of("David's last words (Samuel 2:23:2) and (Kings 1:3:9).") == [
        ("Samuel 2:23:2", "II Samuel 23:2"),
        ("Kings 1:3:9", "I Kings 3:9"),
    ]
    assert refs_of("I Samuel 2:23:1 and Samuel 3:2:1") == []


def test_a_misspelt_tractate_that_is_also_the_mishnahs_before_a_daf() -> None:
    assert refs_of("As the Sages taught (Moed Kuttun 27b), mourning has its measure.") == [
        ("Moed Kuttun 27b", "Moed Katan 27b")
    ]


def test_a_daf_given_about() -> None:
    assert refs_of("Massechet Shabbat (around 31a) tells of Hillel.") == [
        ("Massechet Shabbat (around 31a)", "Shabbat 31a")
    ]


def test_a_mishneh_torah_part_by_its_name_with_comma_and_v_in_a_text_on_its_laws() -> None:
    # the text names only one of the Rambam's parts ('the Laws of Mezuzah'), not the Rambam
    text = (
        "Today: the Laws of Mezuzah\nTefillin, Mezuzah v’Sefer Torah 5:1 A mezuzah is written on parchment."
    )
    assert refs_of(text)[-1] == (
        "Tefillin, Mezuzah v’Sefer Torah 5:1",
        f"{MT}, Tefillin, Mezuzah and the Torah Scroll 5:1",
    )
    # an English word of a part's title alone is still no part ('Kings 11:1' is the Bible's or nothing)
    assert not any(r.startswith(MT) for _t, r in refs_of("The Rambam on Kings 11:1."))


def test_a_verse_opening_a_note_under_a_passage_heading() -> None:
    text = "Exodus 3:1 – 3:12\n\n3:2 “A flame of fire” – from within the bush.\n\n3:5 “Remove your shoes” – holy ground."
    assert [r for _t, r in refs_of(text)] == ["Exodus 3:1-12", "Exodus 3:2", "Exodus 3:5"]
    # outside the passage, no guess
    assert [r for _t, r in refs_of("Exodus 3:1 – 3:12\n\n9:2 “Plagues” – later.")] == ["Exodus 3:1-12"]
