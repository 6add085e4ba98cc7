"""Forms the eleventh held-out set of real English and mixed pages (tests/data/realtext/*-11xx) wrote that the
linker misread or missed, and the open misses of the sets before it: each a general way of writing, in
sentences of our own.
"""

from __future__ import annotations

import pytest

from linker_cases import refs_of
from madrega.refs import parse
from madrega.refs.catalog import RefError

LM = "Likutei Moharan"


@pytest.mark.parametrize(
    "text",
    [
        "He ruled so (Rav Moshe Feinstein, Igrot Moshe Orach Chaim 2:17).",
        "See Yabia Omer 7 OC 57:4 on this.",
        "The Beis Yosef (OC 671:7) writes similarly.",
    ],
)
def test_a_part_of_the_shulchan_arukh_after_another_books_name_is_not_the_shulchan_arukh(text: str) -> None:
    # responsa and commentaries ordered by the Shulchan Arukh's parts cite their own simanim (was the
    # Shulchan Arukh's siman: a wrong answer); another book, known or not, is refused
    assert not any(ref.startswith("Shulchan Arukh") for _t, ref in refs_of(text))


def test_the_shulchan_arukh_and_the_rema_by_the_part_alone_still_read() -> None:
    assert refs_of("The Rema (OC 671:7) follows him; see Orach Chaim 5:3.") == [
        ("OC 671:7", "Shulchan Arukh, Orach Chayim 671:7"),
        ("Orach Chaim 5:3", "Shulchan Arukh, Orach Chayim 5:3"),
    ]


def test_a_list_of_teachings_each_closed_by_its_source() -> None:
    # the source of the second teaching, more than a paragraph after the first, is the same work's (was
    # nothing, and the 'Ibid' after it read as the first source: a wrong answer)
    filler = "Each person must search for the good points in himself and in others every day. " * 4
    text = (
        f"1) Pray with the tzaddikim in mind (Likutey Moharan I, 2:6).\n\n2) {filler}(4:8).\n\n"
        f"3) Seeing the sage negates laziness (Ibid)."
    )
    assert refs_of(text) == [
        ("Likutey Moharan I, 2:6", f"{LM} 2:6"),
        ("4:8", f"{LM} 4:8"),
        ("Ibid", f"{LM} 4:8"),
    ]


def test_a_verse_far_after_its_book_is_still_not_read() -> None:
    # the list rule is not the Bible's: a chapter:verse far from its book reads only in its chapter
    filler = "Each person must search for the good points in himself and in others every day. " * 5
    assert refs_of(f"As it says (Genesis 2:6).\n\n{filler}(4:8).") == [("Genesis 2:6", "Genesis 2:6")]


def test_the_talmuds_chapter_is_no_daf_and_no_mishnah() -> None:
    # 'end of Chapter 3' of the Talmud's tractate (was daf 3: a wrong answer)
    assert refs_of("Regard yourself as wicked.\n\n– Talmud, Niddah, end of Chapter 3\n\nBe not wicked.") == []


@pytest.mark.parametrize("citation", ["Niddah, Chapter 3", "Niddah, end of Chapter 3", "Sanhedrin ch. 4"])
def test_parse_refuses_a_tractates_chapter(citation: str) -> None:
    with pytest.raises(RefError):
        parse(citation)


def test_parse_a_tractate_by_daf_and_mishnah_unchanged() -> None:
    assert str(parse("Niddah 3")) == "Niddah 3"
    assert str(parse("Berakhot chapter 1 mishnah 4")) == "Mishnah Berakhot 1:4"


def test_likutey_moharan_by_an_arabic_part_before_a_comma() -> None:
    # '1, 2:6' is 'I, 2:6'; '1, 5' is the part and lesson or the lesson and section: refused (was 1:5,
    # a wrong answer where the page meant part I, lesson 5)
    assert str(parse("Likutey Moharan 2, 7:3")) == f"{LM}, Part II 7:3"
    assert str(parse("Likutey Moharan 1, 2:6")) == f"{LM} 2:6"
    with pytest.raises(RefError):
        parse("Likutey Moharan 1, 5")
    assert str(parse("Likutey Moharan 1:5")) == f"{LM} 1:5"
    assert str(parse("Mishneh Torah, Repentance 1, 3")) == "Mishneh Torah, Repentance 1:3"
