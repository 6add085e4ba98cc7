"""Forms the tenth held-out set of real English and mixed pages (tests/data/realtext/*-10xx) wrote that the
linker missed or misread, and the open misses of the sets before it: each a general way of writing, in
sentences of our own.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of
from madrega.study.linker import link

LH = "Chofetz Chaim, Part One, The Prohibition Against Lashon Hara, Principle"
RC = "Chofetz Chaim, Part Two, The Prohibition Against Rechilut, Principle"


def test_a_digest_of_the_chofetz_chaim_by_klal_and_seif_alone() -> None:
    # the book named once a day, each seif by its klal and number only (was nothing)
    text = (
        "Chofetz Chaim Daily 4 Adar\n\n"
        "Chofetz Chaim Daily 4 Adar 3:1 One may not speak LH even in jest. 3:2 Nor may one listen to it.\n\n"
        "Chofetz Chaim Daily 5 Adar 4:1 One may not accept LH as true."
    )
    assert refs_of(text) == [("3:1", f"{LH} 3:1"), ("3:2", f"{LH} 3:2"), ("4:1", f"{LH} 4:1")]


def test_the_part_is_the_subject_the_text_names() -> None:
    # a day's seifim on rechilus are of the second part, even where a seif mentions lashon hara
    text = (
        "Chofetz Chaim Daily 2 Iyar 4:1 Do not repeat rechilus to the one spoken of. "
        "4:2 This is worse than plain LH."
    )
    assert refs_of(text) == [("4:1", f"{RC} 4:1"), ("4:2", f"{RC} 4:2")]


def test_a_day_naming_no_subject_takes_the_one_the_text_names_else_none() -> None:
    day = "Chofetz Chaim Daily 3 Iyar 4:3 One who asks is told nothing."
    rechilus = "Chofetz Chaim Daily 2 Iyar 4:1 Do not repeat rechilus. 4:2 Rechilus harms; so does rechilus in jest.\n\n"
    assert refs_of(rechilus + day)[-1] == ("4:3", f"{RC} 4:3")
    both = "Chofetz Chaim Daily 2 Iyar 4:1 Do not repeat rechilus. 4:2 This is worse than plain LH.\n\n"
    assert [t for t, _r in refs_of(both + day)] == ["4:1", "4:2"]  # no guess between the two parts


def test_the_chofetz_chaim_cited_by_klal_and_seif() -> None:
    # the subject named after it chooses the part (was nothing)
    assert refs_of("The Chofetz Chaim 6:2 forbids believing rechilus.") == [
        ("Chofetz Chaim 6:2", f"{RC} 6:2")
    ]
    assert refs_of("As the Chafetz Chaim, klal 5, seif 2 rules, lashon hara is forbidden.") == [
        ("Chafetz Chaim, klal 5, seif 2", f"{LH} 5:2")
    ]


def test_the_chofetz_chaim_without_a_subject_is_a_ranked_ambiguity() -> None:
    found = [c for c in link("See Chofetz Chaim 2:3 on this.") if c.kind == "reference"]
    assert [(c.text, c.ref) for c in found] == [("Chofetz Chaim 2:3", f"{LH} 2:3")]
    assert found[0].alternatives == [f"{RC} 2:3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See Hilchos Rechilus 5:1.", [("Hilchos Rechilus 5:1", f"{RC} 5:1")]),
        ("Chofetz Chaim, Hilchos Lashon Hara 1:8", [("Chofetz Chaim, Hilchos Lashon Hara 1:8", f"{LH} 1:8")]),
    ],
)
def test_the_chofetz_chaims_parts_by_their_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_klal_and_seif_with_no_chofetz_chaim_named_is_nothing() -> None:
    assert refs_of("We met at 3:15 and read 2:4 together.") == []


MT = "Mishneh Torah"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a shiur list on the Rambam naming his parts alone, a list after one (was nothing)
        (
            "Shiurim on the Rambam, Hilchos Deos.\n3 Free will 21:10 – Deos 1:2 + Teshuva 5:2,4 – habits",
            [
                ("Deos 1:2", f"{MT}, Human Dispositions 1:2"),
                ("Teshuva 5:2", f"{MT}, Repentance 5:2"),
                ("4", f"{MT}, Repentance 5:4"),
            ],
        ),
        # glued to the length of the track before it, a range before a colon
        (
            "Maimonides on character.\n4 The pious 20:41Deos 1:4-5: the wise man",
            [("Deos 1:4-5", f"{MT}, Human Dispositions 1:4-5")],
        ),
        # the part and its chapter, the Rambam named after it
        (
            "Teshuvah, Chapter 3\n\nThe Rambam on the shofar.",
            [("Teshuvah, Chapter 3", f"{MT}, Repentance 3")],
        ),
    ],
)
def test_a_part_of_the_mishneh_torah_by_its_name_alone(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Ramban says so; see Deos 1:2.",  # no Rambam named: not read as his
        "The Rambam agrees with Kings 11:1 and Repentance 2:3.",  # English words, not the parts' own names
    ],
)
def test_a_part_name_alone_needs_the_rambam_and_its_own_name(text: str) -> None:
    assert all(not ref.startswith(MT) for _t, ref in refs_of(text))


def test_a_tractate_is_not_read_as_a_part_of_the_rambam() -> None:
    assert refs_of("The Rambam cites Shabbat 5:3.") == [("Shabbat 5:3", "Mishnah Shabbat 5:3")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # past the 25 chapters of II Kings (was nothing)
        ("The minority does not bind the majority – MB 263:51.", [("MB 263:51", "Mishnah Berurah 263:51")]),
        # a siman II Kings also has, in a text on the Shulchan Aruch
        ("The Shulchan Aruch rules so, and see M.B. 1:4 there.", [("M.B. 1:4", "Mishnah Berurah 1:4")]),
    ],
)
def test_mb_is_the_mishnah_berurah_in_a_halacha_text(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_mb_with_a_chapter_of_kings_and_no_halacha_is_nothing() -> None:
    assert refs_of("See MB 2:3 on Elijah's ascent.") == []


def test_the_rambam_there_at_a_chapter_and_halakha() -> None:
    # a bilingual sheet: the part cited last, at the place after 'שם' (was nothing)
    text = 'רמב"ם הל\' תשובה א:א\nWhen he repents [Numbers 5:6-7] he confesses.\nרמב"ם שם ב:ו\nEven though'
    assert refs_of(text) == [
        ("רמב\"ם הל' תשובה א:א", "Mishneh Torah, Repentance 1:1"),
        ("Numbers 5:6-7", "Numbers 5:6-7"),
        ('רמב"ם שם ב:ו', "Mishneh Torah, Repentance 2:6"),
    ]


def test_an_amud_alone_after_the_daf_of_the_heading() -> None:
    # 'in 31b' under a heading naming the daf, past a verse the Gemara quotes (was nothing)
    text = "Brachot 31 – Hannah's prayer\n\nShe prayed (see I Samuel 1:13) in silence.\n\nFurther on in 31b we read more."
    assert refs_of(text) == [
        ("Brachot 31", "Berakhot 31"),
        ("I Samuel 1:13", "I Samuel 1:13"),
        ("31b", "Berakhot 31b"),
    ]


def test_an_amud_alone_with_no_tractate_is_nothing() -> None:
    assert refs_of("Fill in the form and go to 31b, the room upstairs.") == []


def test_a_commentator_before_a_bracketed_verse_cites_his_comment() -> None:
    # the comment on the verse, and the sections of the Torah's text after it are the verses (was the verse)
    text = "Tefillin\n\nRamban [Exodus 13:16]\n\n[Verses 1-10] The first passage speaks of the exodus."
    assert refs_of(text) == [
        ("Ramban [Exodus 13:16", "Ramban on Exodus 13:16"),
        ("Verses 1-10", "Exodus 13:1-10"),
    ]
    assert refs_of("As Rashi (Gen. 1:1) explains it.") == [("Rashi (Gen. 1:1", "Rashi on Genesis 1:1")]


def test_a_word_before_a_bracketed_verse_is_no_commentator() -> None:
    assert refs_of("The Torah says (Exodus 13:16) so.") == [("Exodus 13:16", "Exodus 13:16")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a passage from Vayikra Rabbah 36 that grapples with Ahaz",
            [("Vayikra Rabbah 36", "Vayikra Rabbah 36")],
        ),
        ("Psalm 92 speaks of the Sabbath.", [("Psalm 92", "Psalms 92")]),
    ],
)
def test_a_chapter_before_a_word_no_count_is_of(text: str, expected: list[tuple[str, str]]) -> None:
    # 'that', 'speaks', 'deals' after the number: the chapter, not a count (was nothing)
    assert refs_of(text) == expected


def test_a_count_after_a_title_is_still_no_chapter() -> None:
    assert refs_of("On Shabbat 3 people came to the shiur.") == []


def test_a_chapter_spelt_in_words_in_running_text() -> None:
    # after the tractate named, 'Chapter two' is its chapter (was nothing: only a heading line was read)
    text = "Most of Pirke Avot is a list of sayings.\n\nChapter two begins with Rabbi Yehudah HaNasi."
    assert refs_of(text) == [("Chapter two", "Pirkei Avot 2")]


def test_a_chapter_spelt_in_words_with_no_work_is_nothing() -> None:
    assert refs_of("Chapter two of my life began in Boston.") == []
    # inside a sentence, or a line not opening with the word capitalized, it is prose
    assert refs_of("Most of Pirke Avot is a list.\n\nchapter two of my life began.") == []
    assert refs_of("Most of Pirke Avot is a list. We read chapter two of it.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the chapter by its Hebrew letter's name (was nothing)
        (
            "Shiur on Rosh hashana perek beis mishna 8 and the new moon",
            [("Rosh hashana perek beis mishna 8", "Mishnah Rosh Hashanah 2:8")],
        ),
        (
            "Mishnah Pesachim, perek gimmel mishna aleph",
            [("Mishnah Pesachim, perek gimmel mishna aleph", "Mishnah Pesachim 3:1")],
        ),
        (
            "We learned Berachos perek 4 mishnah 3 today.",
            [("Berachos perek 4 mishnah 3", "Mishnah Berakhot 4:3")],
        ),
    ],
)
def test_a_tractates_perek_and_mishnah(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected
