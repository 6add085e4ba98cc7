"""Books of numbered treatises and named gates, read by the parser and found by the linker.

Forms from the real pages of tests/data/realtext (Chasidic, Musar and halachic passages): a treatise of
Chovot HaLevavot by its number ('Chovot HaLevavot 4:3', 'Gate 6 of …', 'חובות הלבבות שער ד'), a gate
of Orchot Tzadikim by its name ('ארחות צדיקים, שער השמחה'), the SMaG's two books by their short names
('סמ"ג עשה מ', 'סמ"ג לאוין סה'), and 'פ"ד' after a section whose chapters are not counted (perek 4,
never the numeral 84). The sentences are ours.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of
from madrega.refs import RefError, catalog, parse

TRUST = "Duties of the Heart, Fourth Treatise on Trust"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Chovot HaLevavot 4:3", f"{TRUST} 3"),
        ("Duties of the Heart 4", TRUST),
        ("חובות הלבבות שער ד", TRUST),
        ("חובה\"ל שער הבטחון פ' ב-ג", f"{TRUST} 2-3"),
        ('חובת הלבבות שער הפרישות פ"ד', "Duties of the Heart, Ninth Treatise on Abstinence 4"),
        ("Guide for the Perplexed 2", "Guide for the Perplexed, Part 2"),
        ('סמ"ג עשה מ', "Sefer Mitzvot Gadol, Positive Commandments 40"),
        ('סמ"ג לאוין סה', "Sefer Mitzvot Gadol, Negative Commandments 65"),
        ("SMaG Positive 40", "Sefer Mitzvot Gadol, Positive Commandments 40"),
        ("ארחות צדיקים, שער השמחה", "Orchot Tzadikim 9"),
        ("Orchot Tzadikim, Gate of Joy", "Orchot Tzadikim 9"),
        ("אורחות צדיקים שער הגאוה", "Orchot Tzadikim 1"),
    ],
)
def test_the_parser_reads_numbered_treatises_and_named_gates(written: str, expected: str) -> None:
    assert str(parse(written)) == expected


def test_a_treatise_no_book_has_is_an_error_not_another_part() -> None:
    with pytest.raises(RefError):
        parse("Duties of the Heart 11")


def test_the_introductions_keep_their_names_out_of_the_numbers_way() -> None:
    group = catalog().groups["Duties of the Heart"]
    numbered = sorted(n for n in group.parts if n < 1000)
    assert numbered == list(range(1, 11))
    assert str(parse("Duties of the Heart, Introduction of the Author 2")) == (
        "Duties of the Heart, Introduction of the Author 2"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "In Gate 6 of Chovos Halevavos he asks",
            [("Gate 6 of Chovos Halevavos", "Duties of the Heart, Sixth Treatise on Submission")],
        ),
        (
            "the fourth gate of Chovos Halevavos teaches trust",
            [("the fourth gate of Chovos Halevavos", TRUST)],
        ),
        ("see Gate 2 of Shaarei Teshuvah.", [("Gate 2 of Shaarei Teshuvah", "Shaarei Teshuvah 2")]),
        ("as in Duties of the Heart 4, where", [("Duties of the Heart 4", TRUST)]),
        ("כמו שכתוב בחובות הלבבות שער ד.", [("בחובות הלבבות שער ד", TRUST)]),
        ("ועיין ארחות צדיקים, שער השמחה, שם", [("ארחות צדיקים, שער השמחה", "Orchot Tzadikim 9")]),
        ('(סמ"ג לאוין סה)', [('סמ"ג לאוין סה', "Sefer Mitzvot Gadol, Negative Commandments 65")]),
    ],
)
def test_the_linker_finds_them_in_prose(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


def test_a_count_after_the_book_is_no_treatise() -> None:
    assert refs_of("She read Duties of the Heart 4 times that year.") == []


def test_a_title_alone_with_no_section_name_after_it_is_no_reference() -> None:
    assert refs_of("Orchot Tzadikim, and so the book goes on") == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('שמ"א א, א', "I Samuel 1:1"),
        ('שמ"ב ז, ב', "II Samuel 7:2"),
        ('דה"י א טז, ח', "I Chronicles 16:8"),
        ('דהי"ב ז, א', "II Chronicles 7:1"),
        (
            "הלכות רכילות כלל ה סעיף א",
            "Chofetz Chaim, Part Two, The Prohibition Against Rechilut, Principle 5:1",
        ),
        ("שולחן ערוך אורח חיים סי' תקנא סעי' ב", "Shulchan Arukh, Orach Chayim 551:2"),
    ],
)
def test_hebrew_abbreviations_of_books_and_levels(written: str, expected: str) -> None:
    assert str(parse(written)) == expected


def test_a_commentator_before_a_comma_cites_his_comment() -> None:
    assert refs_of("See Sforno, Bereishit 1:1 there.") == [("Sforno, Bereishit 1:1", "Sforno on Genesis 1:1")]
    # a verb between them: the verse itself
    assert refs_of("Rashi explains, Genesis 1:1") == [("Genesis 1:1", "Genesis 1:1")]


def test_after_a_plural_level_a_comma_lists_more_of_that_level() -> None:
    found = refs_of("Read Genesis chapters 1, 2 and 5 tonight.")
    assert [ref for _, ref in found] == ["Genesis 1", "Genesis 2", "Genesis 5"]
    # a singular level keeps the comma as chapter and verse
    assert refs_of("Genesis chapter 1, 2") == [("Genesis chapter 1, 2", "Genesis 1:2")]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("y. Ber. 1:1", "Jerusalem Talmud Berakhot 1:1"),
        ("t. Sanh. 13:2", "Tosefta Sanhedrin 13:2"),
        ("JT Ber. 2a", "Jerusalem Talmud Berakhot 2a"),
        ("Tosefta Ber. 1:1", "Tosefta Berakhot 1:1"),
        ("T. B. Pes. 118a", "Pesachim 118a"),
        ("m. Ber. 1:1", "Mishnah Berakhot 1:1"),
        ("Mishnah Torah, Laws of Repentance 1:1", "Mishneh Torah, Repentance 1:1"),
    ],
)
def test_a_corpus_lead_decides_the_tractates_corpus(written: str, expected: str) -> None:
    assert str(parse(written)) == expected


def test_a_tractate_a_corpus_lacks_is_an_error_not_the_mishnah() -> None:
    with pytest.raises(RefError, match="Jerusalem Talmud has no tractate Zevachim"):
        parse("y. Zevachim 1:1")
    assert refs_of("y. Zevachim 1:1") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See y. Ber. 1:1 and", [("y. Ber. 1:1", "Jerusalem Talmud Berakhot 1:1")]),
        ("(t. Sanh. 13:2)", [("t. Sanh. 13:2", "Tosefta Sanhedrin 13:2")]),
        ("JT Ber. 2a", [("JT Ber. 2a", "Jerusalem Talmud Berakhot 2a")]),
        ("See Midrash Rabbah Bereishit 1:1 and", [("Midrash Rabbah Bereishit 1:1", "Bereshit Rabbah 1:1")]),
        ("Midrash Rabbah, Bereishit 1:1", [("Midrash Rabbah, Bereishit 1:1", "Bereshit Rabbah 1:1")]),
        ("כמו שכתוב במדרש רבה שמות א, א", [("במדרש רבה שמות א, א", "Shemot Rabbah 1:1")]),
    ],
)
def test_the_linker_reads_corpus_leads_and_the_midrash_rabbah(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert refs_of(text) == expected
