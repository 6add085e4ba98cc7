"""Bilingual lesson pages: pairs, layout, footnote markers, headings, chrome and bad input."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madrega.errors import ImportFailed
from madrega.study.document import Document
from madrega.study.importers.article import lang_of, lift_footnotes
from madrega.study.importers.lesson import detect_kind, parse_lesson

LESSONS = Path(__file__).parent / "fixtures" / "lessons"
ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def lesson(name: str) -> Document:
    return parse_lesson((LESSONS / name).read_text(encoding="utf-8"), source=name)


def to_hebrew_first(text: str) -> str:
    """The same lesson laid out the other way: each Hebrew paragraph moved before its translation."""
    out: list[str] = []
    for para in (p for p in text.split("\n\n") if p.strip()):
        if lang_of(para) == "he" and out and lang_of(out[-1]) == "en":
            out.insert(len(out) - 1, para)
        else:
            out.append(para)
    return "\n\n".join(out)


# --------------------------------------------------------------------------- the seed lesson


def test_seed_lesson_has_27_pairs_and_gold_first_three(seeds: Path, gold: dict[str, Any]) -> None:
    doc = parse_lesson((seeds / "tanya-lesson.txt").read_text(encoding="utf-8"), source="tanya-lesson.txt")
    pairs = doc.pairs()
    expected = gold["tanya-lesson.txt"]["bilingual_pairs"]
    assert len(pairs) == expected["count"] == 27
    assert [[p.source, p.translation] for p in pairs[:3]] == expected["first"]
    assert doc.meta["layout"] == "en-first"
    # The opening paragraph is commentary with no Hebrew; it belongs to no pair.
    assert doc.segments[0].role == "commentary" and doc.segments[0].pair is None
    # Commentary between pairs follows its pair.
    assert pairs[1].commentary and pairs[1].commentary[0].startswith("Neither Torah study")


def test_seed_footnote_markers_are_lifted_but_numbers_stay(seeds: Path) -> None:
    doc = parse_lesson((seeds / "tanya-lesson.txt").read_text(encoding="utf-8"))
    texts = [s.text for s in doc.segments if s.lang == "en"]
    # No English paragraph ends in a glued footnote number any more.
    assert not [t for t in texts if re.search(r"[”.,a-z]\d{1,2}$", t)]
    markers = [n.marker for s in doc.segments for n in s.footnotes]
    assert markers == [str(n) for n in range(1, 13)]
    mouth = next(s for s in doc.segments if "I have placed My words" in s.text)
    assert mouth.text.endswith("in your mouth.”")
    assert mouth.footnotes[0].offset == len(mouth.text)
    # "ch. 46" is a chapter number, not a footnote.
    assert any(t.endswith("Likkutei Amarim, ch. 46.") for t in texts)
    # Square brackets are part of Lessons in Tanya translations.
    assert any("[the L-rd your G-d]" in t for t in texts)


def test_seed_in_hebrew_first_layout_gives_the_same_pairs(seeds: Path) -> None:
    text = (seeds / "tanya-lesson.txt").read_text(encoding="utf-8")
    original = parse_lesson(text).pairs()
    flipped = parse_lesson(to_hebrew_first(text))
    assert flipped.meta["layout"] == "he-first"
    assert [(p.source, p.translation) for p in flipped.pairs()] == [
        (p.source, p.translation) for p in original
    ]


def test_seed_is_detected_as_a_lesson(seeds: Path) -> None:
    assert detect_kind((seeds / "tanya-lesson.txt").read_text(encoding="utf-8")) == "lesson"
    assert detect_kind((seeds / "breslov-blog.txt").read_text(encoding="utf-8")) == "article"


# --------------------------------------------------------------------------- our fixtures


def test_hebrew_first_text_lesson() -> None:
    doc = lesson("mishnah-he-first.txt")
    assert doc.meta["layout"] == "he-first"
    pairs = doc.pairs()
    assert len(pairs) == 5
    assert pairs[0].source == "מאימתי קורין את שמע בערבין"
    assert pairs[0].translation == "From what hour may one recite the Shema in the evening?"
    assert pairs[0].commentary[0].startswith("The question opens the whole Talmud")
    assert len(pairs[1].commentary) == 2  # two commentary paragraphs before the next Hebrew line
    assert pairs[3].commentary == []
    assert doc.title == "Mishnah Berakhot, Chapter 1"
    assert doc.segments[0].role == "heading"
    # Footnote texts come from the notes section, which is not part of the lesson's text.
    notes = {n.marker: n.text for s in doc.segments for n in s.footnotes}
    assert notes == {
        "1": "Deuteronomy 6:7.",
        "2": "The night had three watches in his reckoning.",
        "3": "Dawn is the first light, before sunrise.",
    }
    assert not any(s.text.startswith(("Footnotes", "1.", "2.")) for s in doc.segments)
    # A year in commentary is a number, not a footnote.
    assert "in 1990 and" in pairs[4].commentary[0]


def test_english_first_text_lesson() -> None:
    doc = lesson("psalm-en-first.txt")
    assert doc.meta["layout"] == "en-first"
    pairs = doc.pairs()
    assert [p.translation.split(":")[0].split(";")[0] for p in pairs] == [
        "A song of David",
        "He makes me lie down in green pastures",
        "He restores my soul",
        "Even when I walk in the valley of the shadow of death, I will fear no evil, for You are with me",
    ]
    assert pairs[1].commentary[0].startswith("A shepherd does not drive")
    assert doc.segments[1].role == "commentary"  # the opening paragraph
    assert "ch. 4 of our" in pairs[3].commentary[0]


def test_html_lesson_english_first_with_chrome_br_and_sup() -> None:
    doc = lesson("psalm-en-first.html")
    assert doc.meta["layout"] == "en-first"
    pairs = doc.pairs()
    assert len(pairs) == 3
    # <br> inside one <p> separates a translation from its Hebrew line.
    assert pairs[1].translation == "He makes me lie down in green pastures; He leads me beside quiet waters."
    assert pairs[1].source == "בִּנְאוֹת דֶּשֶׁא יַרְבִּיצֵנִי עַל מֵי מְנֻחוֹת יְנַהֲלֵנִי"
    first = next(s for s in doc.segments if s.role == "translation")
    assert [(n.marker, n.offset, n.text) for n in first.footnotes] == [("1", len(first.text), "Psalms 23:1.")]
    everything = " ".join(s.text for s in doc.segments)
    for chrome in ("cookies", "Accept", "Share on Facebook", "Subscribe", "All rights", "Chapter 99", "Home"):
        assert chrome not in everything
    assert doc.title == "Psalms, Chapter 23"


def test_html_lesson_hebrew_first_with_bold_translations() -> None:
    doc = lesson("mishnah-he-first.html")
    assert doc.meta["layout"] == "he-first"
    assert [p.translation for p in doc.pairs()][-1] == "But the Sages say: until midnight."
    assert len(doc.pairs()) == 4
    everything = " ".join(s.text for s in doc.segments)
    for chrome in ("Log In", "Sign Up", "Recent Posts", "Powered by", "Talmud Home"):
        assert chrome not in everything
    assert doc.segments[0].text == "Mishnah Berakhot, Chapter 1"


def test_heading_names_what_the_lesson_teaches() -> None:
    doc = lesson("tanya-heading.txt")
    assert doc.teaches_ref == "Tanya, Part III; Iggeret HaTeshuvah 10"
    assert [s.role for s in doc.segments[:2]] == ["heading", "heading"]
    assert doc.title == "Iggeret HaTeshuvah, Chapter 10"


def test_a_citation_in_commentary_does_not_set_teaches_ref(seeds: Path) -> None:
    doc = parse_lesson((seeds / "tanya-lesson.txt").read_text(encoding="utf-8"))
    assert doc.teaches_ref is None  # "Likkutei Amarim, ch. 46" is cited, not taught


def test_fixtures_detected_by_kind() -> None:
    for path in LESSONS.iterdir():
        assert detect_kind(path.read_text(encoding="utf-8")) == "lesson", path.name
    for path in ARTICLES.iterdir():
        assert detect_kind(path.read_text(encoding="utf-8")) == "article", path.name


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\x00\x01\x02binary\x00\x00" * 10])
def test_unreadable_input_names_the_file(text: str) -> None:
    with pytest.raises(ImportFailed) as err:
        parse_lesson(text, source="lesson.txt")
    assert "lesson.txt" in err.value.message and "line 1" in err.value.message


def test_an_article_is_not_a_lesson() -> None:
    text = (ARTICLES / "two-posts.txt").read_text(encoding="utf-8")
    with pytest.raises(ImportFailed) as err:
        parse_lesson(text, source="two-posts.txt")
    assert "two-posts.txt: line 3" in err.value.message
    assert "expected a lesson" in err.value.message


# --------------------------------------------------------------------------- footnote markers


@pytest.mark.parametrize(
    ("given", "text", "markers"),
    [
        ("in your mouth.”1", "in your mouth.”", [("1", 15)]),
        ("and7 “there is no truth.”8", "and “there is no truth.”", [("7", 3), ("8", 24)]),
        ("unto me”10i.e., apart", "unto me”i.e., apart", [("10", 8)]),
        ("the soul….”4", "the soul….”", [("4", 11)]),
        ("see ch. 46 and ch.5", "see ch. 46 and ch.5", []),
        ("Iyov 8:7 and II:30 and Berakhot 5a", "Iyov 8:7 and II:30 and Berakhot 5a", []),
        ("it cost 3.5 or 1,000 in 1990.", "it cost 3.5 or 1,000 in 1990.", []),
        ("an MP3 or B12 file", "an MP3 or B12 file", []),
        ("read it\ue0002\ue001 twice", "read it twice", [("2", 7)]),
    ],
)
def test_footnote_markers(given: str, text: str, markers: list[tuple[str, int]]) -> None:
    clean, notes = lift_footnotes(given)
    assert clean == text
    assert [(n.marker, n.offset) for n in notes] == markers


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abc XYZ 0123456789.,”’\"'…:-()אבג\u05b8\n"), max_size=80))
def test_footnote_removal_never_removes_letters(text: str) -> None:
    clean, notes = lift_footnotes(text)
    assert _letters(clean) == _letters(text)
    for note in notes:
        assert note.marker.isdigit() and 0 <= note.offset <= len(clean)


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_parsing_arbitrary_text_returns_a_document_or_refuses_cleanly(text: str) -> None:
    assert detect_kind(text) in ("lesson", "article")
    try:
        doc = parse_lesson(text, source="x.txt")
    except ImportFailed as err:
        assert err.message.startswith("x.txt: line ")
    else:
        assert doc.kind == "lesson" and doc.pairs()


MISHNAH = [
    ("מאימתי קורין את שמע בערבין", "From what hour may one recite the Shema in the evening?"),
    ("משעה שהכהנים נכנסים לאכול בתרומתן", "From the hour the priests go in to eat their terumah,"),
    ("עד סוף האשמורה הראשונה", "until the end of the first watch."),
    ("וחכמים אומרים עד חצות", "But the Sages say: until midnight."),
    ("רבן גמליאל אומר עד שיעלה עמוד השחר", "Rabban Gamliel says: until the dawn rises."),
]
COMMENT = (
    "A word of explanation follows here, as it would in a class, saying why the line matters and how it "
    "connects with what came before it, at the length a teacher takes when the point is worth making."
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(MISHNAH), st.integers(0, 2)), min_size=2, max_size=8),
    st.booleans(),
    st.booleans(),
)
def test_generated_lessons_pair_every_line(
    rows: list[tuple[tuple[str, str], int]], hebrew_first: bool, opening: bool
) -> None:
    paras = [COMMENT] if opening else []
    for (he, en), comments in rows:
        paras += [he, en] if hebrew_first else [en, he]
        paras += [COMMENT] * comments
    doc = parse_lesson("\n\n".join(paras))
    assert doc.meta["layout"] == ("he-first" if hebrew_first else "en-first")
    assert [(p.source, p.translation) for p in doc.pairs()] == [pair for pair, _ in rows]
    assert [len(p.commentary) for p in doc.pairs()] == [n for _, n in rows]
