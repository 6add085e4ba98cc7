"""Forms the sixth held-out set of issue 13 (tests/data/realtext/*-601..*-604) wrote that the linker missed.

The sentences are ours; each is a general way of citing that those pages use.
"""

from __future__ import annotations

from linker_cases import refs_of


def test_a_number_sign_before_the_address_is_no_obstacle() -> None:
    # Breslov translations number the lessons 'Likutey Moharan #6', their running heads '#6:1'
    assert refs_of("As taught in Likutey Moharan #6. The lesson") == [
        ("Likutey Moharan #6", "Likutei Moharan 6")
    ]
    assert refs_of("LIKUTEY MOHARAN #6:1 Then God said") == [("LIKUTEY MOHARAN #6:1", "Likutei Moharan 6:1")]


def test_a_rabbah_spelt_without_its_h_after_an_abbreviated_book() -> None:
    assert refs_of("He was a descendant of Miriam.–Exod. Rabba 1.") == [("Exod. Rabba 1", "Shemot Rabbah 1")]
    assert refs_of("compare Gen. Rabba 39:1 there") == [("Gen. Rabba 39:1", "Bereshit Rabbah 39:1")]


def test_a_bare_chapter_before_where_or_from_is_a_place_not_a_count() -> None:
    assert refs_of("another pasuk in Mishlei 7 where it describes the evening") == [
        ("Mishlei 7", "Proverbs 7")
    ]
    assert refs_of("(see my blog on Daf Yomi Horayos 2 from last year)") == [("Horayos 2", "Horayot 2")]
    assert refs_of("On Shabbat 3 people came to the meal") == []


def test_ibid_with_only_the_other_amud_is_the_same_daf() -> None:
    text = 'ואמרו רבותינו (נדרים כב א): כל הכועס. ועוד אמרו רבותינו (שם ע"ב): כל הכועס'
    assert refs_of(text) == [("נדרים כב א", "Nedarim 22a"), ('שם ע"ב', "Nedarim 22b")]


def test_a_list_of_seifim_ends_before_a_dash_set_off_by_spaces() -> None:
    # 'Source: ... 98:1, 3, 15 - Danny': the signature after the dash is no count of the last number
    assert [r for _, r in refs_of("Source: Kitzur Shulchan Aruch 98:1, 3, 15 - Danny")] == [
        "Kitzur Shulchan Arukh 98:1",
        "Kitzur Shulchan Arukh 98:3",
        "Kitzur Shulchan Arukh 98:15",
    ]
    assert [r for _, r in refs_of("Source: Kitzur Shulchan Aruch 12:7,12 - Danny")][
        -1
    ] == "Kitzur Shulchan Arukh 12:12"


def test_a_second_verse_after_or_is_one_more_place() -> None:
    assert refs_of("Thus it is written (in Exod. 15:1 or 21), the horse") == [
        ("Exod. 15:1", "Exodus 15:1"),
        ("21", "Exodus 15:21"),
    ]
    assert refs_of("Genesis 1:1 or 2 people said") == [("Genesis 1:1", "Genesis 1:1")]


def test_m_before_a_book_in_a_translators_note_is_the_midrash_on_it() -> None:
    # 'M. Pss. 105:9' is Midrash Tehillim, not the verse; with no midrash on the book it is no place
    assert refs_of("Similarly Exod. R. 14:1; M. Pss. 105:9. Our Masters") == [
        ("Exod. R. 14:1", "Shemot Rabbah 14:1"),
        ("M. Pss. 105:9", "Midrash Tehillim 105:9"),
    ]
    assert refs_of("see M. Gen. 1:1 here") == []


def test_an_amud_alone_after_verses_is_of_the_daf_cited_last() -> None:
    # Orchot Tzadikim: '(נדרים כב א) ... (דברים כח סה) ... ועוד אמרו רבותינו (שם ע"ב)' is Nedarim 22b
    text = 'אמרו (שבת לא א) ועוד (דברים כח סה) ושם (שם ע"ב) כך'
    assert refs_of(text)[-1] == ('שם ע"ב', "Shabbat 31b")


def test_a_bare_chapter_and_mishnah_heading_is_one_place_of_the_work_above() -> None:
    text = "Pirkei Avot\n\nChapter 1 Mishna 11\n\nAvtalyon would say: scholars, be careful with your words"
    assert refs_of(text) == [("Chapter 1 Mishna 11", "Pirkei Avot 1:11")]
    text = "Hilchot Teshuvah\n\nChapter 2, Halachah 1: Who has reached complete teshuvah?"
    assert refs_of(text) == [("Chapter 2, Halachah 1", "Mishneh Torah, Repentance 2:1")]


def test_a_title_word_spelt_without_its_final_h_is_the_same_title() -> None:
    # Wikisource heads the commentary 'Mishna Berurah 1'; the catalog spells 'Mishnah Berurah', 'Mishna Berura'
    assert refs_of("Mishna Berurah 1\n\nto serve his creator") == [("Mishna Berurah 1", "Mishnah Berurah 1")]
    assert refs_of("see Midrash Rabba Shemot 1:2 there") == [
        ("Midrash Rabba Shemot 1:2", "Shemot Rabbah 1:2")
    ]


def test_a_bare_verse_with_a_colon_after_it_is_the_verse_of_the_psalm_cited() -> None:
    # Tanchuma translations open each verse they read with '(Ps. 105:28b:)', then '(Vs. 28a:)'
    text = "(Ps. 105:28b:) THEY DID NOT DEFY HIS WORD. (Vs. 28a:) HE SENT DARKNESS"
    assert refs_of(text) == [("Ps. 105:28b", "Psalms 105:28"), ("Vs. 28a", "Psalms 105:28")]


def test_a_lesson_number_in_a_text_on_likutey_moharan_is_its_lesson() -> None:
    text = "1. Likutey Moharan #6. Rebbe Nachman taught this lesson (cf. Lesson #5, n.1)."
    assert refs_of(text) == [("Likutey Moharan #6", "Likutei Moharan 6"), ("Lesson #5", "Likutei Moharan 5")]
    assert refs_of("Genesis 12:1. In Lesson 3 we saw the call of Abram") == [("Genesis 12:1", "Genesis 12:1")]
