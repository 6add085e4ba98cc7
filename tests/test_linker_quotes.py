"""Unreferenced quotations of Hebrew sources, against a library of Tanakh + Mishnah + Zohar."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from linker_library import library_path
from madrega import api
from madrega.study.linker import link, to_html
from madrega.study.linker.hebrew_words import words

FIXTURES = Path(__file__).parent / "fixtures" / "linker"


@pytest.fixture(scope="module")
def lib() -> Iterator[sqlite3.Connection]:
    conn = api.connect(library_path())
    yield conn
    conn.close()


def quotes(text: str, conn: sqlite3.Connection) -> list[tuple[str, str, list[str]]]:
    return [(c.text, c.ref, c.alternatives) for c in link(text, conn=conn) if c.kind == "quotation"]


def test_hebrew_fixture_quotations(lib: sqlite3.Connection) -> None:
    text = (FIXTURES / "hebrew.txt").read_text(encoding="utf-8")
    found = quotes(text, lib)
    assert [(t, r) for t, r, _ in found] == [
        ("בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם", "Genesis 1:1"),
        ("וְאָהַבְתָּ וְגוֹ' בְּכָל לְבָבְךָ וּבְכָל נַפְשְׁךָ", "Deuteronomy 6:5"),
        ("שְׁמַע יִשְׂרָאֵל ה' אֱלֹהֵינוּ ה' אֶחָד", "Deuteronomy 6:4"),
    ]


def test_word_before_elision_decides_between_places(lib: sqlite3.Connection) -> None:
    (_, ref, alternatives), *_ = quotes('"וְאָהַבְתָּ וְגוֹ\' בְּכָל לְבָבְךָ וּבְכָל נַפְשְׁךָ"', lib)
    assert ref == "Deuteronomy 6:5"
    assert {"Deuteronomy 4:29", "Deuteronomy 10:12", "Deuteronomy 30:6"} <= set(alternatives)


def test_divine_name_abbreviation_and_plene_spelling(lib: sqlite3.Connection) -> None:
    assert quotes('אוֹמְרִים: "אֵלֶיךָ ה\' נַפְשִׁי אֶשָּׂא"', lib)[0][1] == "Psalms 25:1"
    assert quotes('וּכְמוֹ שֶׁכָּתוּב: "וָאָשִׂים דְּבָרַי בְּפִיךָ"', lib)[0][1] == "Isaiah 51:16"


def test_mishnah_and_zohar(lib: sqlite3.Connection) -> None:
    assert quotes('בְּהַעֲמָקַת הַדַּעַת בִּ"שְׁתַּיִם לְפָנֶיהָ"', lib)[0][1] == "Mishnah Berakhot 1:4"
    assert quotes('מִשּׁוּם דְּ"כוּלָּא קַמֵּיהּ כְּלָא חֲשִׁיב"', lib)[0][1] == "Zohar 1:11b"


def test_common_phrases_and_plain_prose_are_not_quotations(lib: sqlite3.Connection) -> None:
    prose = [
        "הָאִישׁ הָלַךְ לַבַּיִת וְאָכַל לֶחֶם עִם בָּנָיו בַּיּוֹם הַהוּא.",
        "וְכָל זֶה עַל יְדֵי הַהִתְבּוֹנְנוּת, כִּי אֵין זֶה אֶלָּא כְּמוֹ שֶׁאָמַרְנוּ.",
        "דְּבַר ה' מַמָּשׁ בְּפִיו",
        "אֲבָל אָדָם צָרִיךְ לֵילֵךְ מִמַּטָּה לְמַעְלָה",
    ]
    for text in prose:
        assert quotes(text, lib) == [], text


def test_english_prose_has_no_quotations(lib: sqlite3.Connection) -> None:
    text = (FIXTURES / "english.txt").read_text(encoding="utf-8")
    assert [c for c in link(text, conn=lib) if c.kind == "quotation"] == []


def test_prefix_outside_the_quotation_marks_is_not_part_of_the_quote() -> None:
    text = 'בִּ"שְׁתַּיִם לְפָנֶיהָ"'
    first = words(text)[0]
    assert first is not None and text[first.start : first.end] == "שְׁתַּיִם"


def test_html_links_each_citation(lib: sqlite3.Connection) -> None:
    text = 'כמו שכתוב "וָאָשִׂים דְּבָרַי בְּפִיךָ" (תהלים פט, כג) <b>'
    html = to_html(text, link(text, conn=lib))
    assert '<a class="citation quotation" href="/read/Isaiah.51.16" data-ref="Isaiah 51:16"' in html
    assert 'href="/read/Psalms.89.23"' in html
    assert "&lt;b&gt;" in html


def test_a_word_of_the_verse_left_out_or_spelt_with_another_prefix(lib: sqlite3.Connection) -> None:
    # Psalms 139:23 has חקרני אל ודע לבבי; Deuteronomy 8:18 הנתן לך כח; Ecclesiastes 6:7 עמל האדם
    assert [r for _, r, _ in quotes("ובכל יום יבקש חקרני ודע לבבי ולא יותר", lib)] == ["Psalms 139:23"]
    assert [r for _, r, _ in quotes("וידע האדם שהקב״ה הנותן כח לעשות חיל ולא ידו", lib)] == [
        "Deuteronomy 8:18"
    ]
    found = quotes("ואין לו לדאוג כי כל עמל אדם לפיהו ודי לו", lib)
    assert [(t, r) for t, r, _ in found] == [("כל עמל אדם לפיהו", "Ecclesiastes 6:7")]


def test_the_words_go_on_past_a_word_the_author_left_out(lib: sqlite3.Connection) -> None:
    # Deuteronomy 8:18 כי הוא הנתן לך כח לעשות חיל: neither side of לך is a quotation alone
    found = quotes("ואמר להם כי הוא הנותן כח לעשות ולא אחר", lib)
    assert [(t, r) for t, r, _ in found] == [("כי הוא הנותן כח לעשות", "Deuteronomy 8:18")]


def test_a_divine_name_past_a_gap_does_not_make_a_quotation(lib: sqlite3.Connection) -> None:
    # לראות את פני (Exodus 34:24 … יהוה) and ה' after another word: too little to join
    assert quotes("ורק הנקי ראוי לראות את פני המלך ה' בכל עת", lib) == []


def test_naamar_sets_off_a_quotation_of_two_words(lib: sqlite3.Connection) -> None:
    assert [r for _, r, _ in quotes("ועל זה נאמר לא תתגודדו בגופכם", lib)] == ["Deuteronomy 14:1"]
