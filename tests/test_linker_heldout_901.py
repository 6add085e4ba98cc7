"""Forms the ninth held-out set of real English pages (tests/data/realtext/*-9xx) wrote that the linker
misread or missed: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from madrega.study.linker import link


def refs_of(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.ref) for c in link(text) if c.kind == "reference"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a verse after a weekly portion named just before it is of the portion's book (was Judges 20:1:
        # 'Shoftim' read as the book of Judges)
        (
            "This week's reading, Parshas Shoftim, brings the laws of war, as the verse says (20:1), when you go out.",
            [("20:1", "Deuteronomy 20:1")],
        ),
        # the portion named alone before its verse (was nothing)
        (
            "In Parashat Ha'azinu the song asks (32:6) whether this is how we repay God.",
            [("32:6", "Deuteronomy 32:6")],
        ),
        # the nearest portion named, not one named before it (was Judges 8:10)
        (
            "Parshas Shoftim speaks of judges. In Parshas Ekev (8:10) we find grace after meals.",
            [("8:10", "Deuteronomy 8:10")],
        ),
    ],
)
def test_a_verse_after_a_portion_named_is_of_its_book(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a verse the portion does not hold is not read in the portion's book
        "In Parshas Noach the ark is built; the verse says (50:3) something else.",
        # nor one after another book cited since the portion was named
        "In Parshat Bo the prophet's words (Isaiah 12:3) come back later (12:5).",
    ],
)
def test_a_portion_named_does_not_take_verses_it_does_not_hold(text: str) -> None:
    assert all(ref.split()[0] != "Exodus" and not ref.startswith("Genesis 50") for _t, ref in refs_of(text))


def test_a_portion_named_then_its_book_cited_keeps_the_book() -> None:
    assert refs_of("In Parshat Bo the prophet's words (Isaiah 12:3) come back later (12:5).") == [
        ("Isaiah 12:3", "Isaiah 12:3"),
        ("12:5", "Isaiah 12:5"),
    ]


def test_a_verse_opening_a_line_under_chapters_cited_is_of_their_book() -> None:
    # 'Shoftim' alone heads the page (the book of Judges by that name), the portion's chapters cited after
    # it: the verse opening the next line is Deuteronomy's (was Judges 16:19)
    text = "Shoftim (Deut. 16-21)\n\n16:19 Do not bend justice, and do not take a bribe.\n"
    assert refs_of(text) == [("Deut. 16-21", "Deuteronomy 16-21"), ("16:19", "Deuteronomy 16:19")]


def test_a_verse_of_the_chapter_cited_reaches_past_a_long_quotation() -> None:
    # the prophecy quoted at length between the two (was nothing: beyond a paragraph's reach)
    quote = "Since our sins and our iniquities are upon us and we are wasting away, how can we live? " * 4
    text = f"Many cried out, “{quote.strip()}” (Ezekiel 33:10). The prophet answered them: “{quote.strip()}” (33:11)"
    assert refs_of(text) == [("Ezekiel 33:10", "Ezekiel 33:10"), ("33:11", "Ezekiel 33:11")]


def test_a_far_verse_of_another_chapter_is_not_read_in_the_book_cited() -> None:
    filler = "The sages read this verse as a lesson on pride and on the humility it asks of us. " * 5
    text = f"He said (Ezekiel 33:10). {filler} Later (12:5) is quoted."
    assert refs_of(text) == [("Ezekiel 33:10", "Ezekiel 33:10")]


_COMMENT = (
    "The fundamental reason of this commandment is that we lay the script upon the hand and the head. " * 4
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # verses after one verse cited are its chapter's, across the comment on it (was nothing)
        (
            f"Ramban [Exodus 13:16]\n{_COMMENT}We inscribe the sections of Kadesh [Verses 1-10] and of Vehaya"
            " [Verses 11-16].",
            [
                ("Exodus 13:16", "Exodus 13:16"),
                ("Verses 1-10", "Exodus 13:1-10"),
                ("Verses 11-16", "Exodus 13:11-16"),
            ],
        ),
        # the Talmud cited between has no verses: 'verse 3' is still the chapter's (was nothing)
        (
            f"He ran to greet them (Gen. 18:2). {_COMMENT}The sages derive it (Shabbat 127a; Shavuot 35b) from"
            " verse 3.",
            [
                ("Gen. 18:2", "Genesis 18:2"),
                ("Shabbat 127a", "Shabbat 127a"),
                ("Shavuot 35b", "Shevuot 35b"),
                ("verse 3", "Genesis 18:3"),
            ],
        ),
        # 'Verses 40:1-2:' with the colon of a heading after the range (was 40:1 alone)
        (
            "The haftarah is Isaiah 40:1-26.\n\nVerses 40:1-2: the exiles are comforted.",
            [("Isaiah 40:1-26", "Isaiah 40:1-26"), ("Verses 40:1-2", "Isaiah 40:1-2")],
        ),
    ],
)
def test_verses_after_a_verse_cited(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected
