"""Bilingual lessons: a Hebrew source line, its English translation, and commentary, repeated.

Two layouts occur in the wild: the translation before its Hebrew line ("Lessons in Tanya" as
printed) or after it (Hebrew first, often unvocalized). The layout is read from the text itself:
under the right layout each Hebrew paragraph's neighbour on the translation side is about as long
as a translation of it; under the wrong one it is often a long commentary paragraph.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, field
from typing import Literal

from madrega import refs
from madrega.errors import ImportFailed, MadregaError
from madrega.study.document import DocSegment, Document, Footnote, Role
from madrega.study.importers.article import (
    _END_OF_CONTENT,
    _POST_END,
    Block,
    check_input,
    is_chrome,
    is_title_case,
    lang_of,
    lift_footnotes,
    read_blocks,
)
from madrega.text.hebrew import MAQAF, MARK_CLASS
from madrega.text.numerals import from_hebrew

Layout = Literal["en-first", "he-first"]


@dataclass
class _Para:
    block: Block
    text: str
    lang: str
    notes: list[Footnote] = field(default_factory=list)
    heading: bool = False  # a structural title line ("Chapter 10", "פרק י")
    role: Role = "commentary"
    pair: int | None = None


# ---------------------------------------------------------------------------------------------
# Headings and what they say the lesson teaches

_EN_HEADING = re.compile(
    r"""^(?:
        lessons?\ in\ tanya\b.*
      | (?:today'?s\ |daily\ )?tanya(?:\ (?:for|lesson)\b.*)?
      | (?:[\w'’ ,.;-]{0,70}?[,:;–—-]\s*)?(?:(?:the\ )?(?:beginning|middle|end)\ of\ )?
        (?:chapter|chap\.|ch\.|perek|lesson|part|section|epistle|letter|day)\s*(?:\d+|[ivxlc]+\b|[a-z]+\b).{0,50}
      | introduction | preface | foreword | summary | overview | translator'?s\ note
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_HE_HEADING = re.compile(
    r"^(?:(?:ספר\s+)?(?:ה?תניא|ליקוטי\s+אמרים|לקוטי\s+אמרים|שער\s+היחוד\s+והאמונה|א[י]?גרת\s+התשובה|"
    r"א[י]?גרת\s+הקו?דש|קונטרס\s+אחרון)[\s,:–-]*)?(?:פרק|פרק\s+ה?)\s*\S{1,8}$|^(?:הקדמה|הקדמת\s+המחבר)$"
)


_STRIP = re.compile(f"[{MARK_CLASS}\u05c0\u05c3\u05c6]")


def _strip_marks(text: str) -> str:
    """No marks, and no paseq, sof pasuq or nun hafukha; a maqaf becomes a space."""
    return _STRIP.sub("", text.replace(MAQAF, " "))


def _is_structural_heading(text: str, lang: str) -> bool:
    words = text.split()
    if not words or len(words) > 12 or len(text) > 100 or text.endswith((",", ";")):
        return False
    if lang == "he":
        plain = re.sub(r"\s+", " ", _strip_marks(text)).strip().rstrip(":")
        return bool(_HE_HEADING.match(plain))
    if text.endswith(".") and not re.search(r"\b(?:ch|chap)\.$", text, re.I):
        return False
    return (text[0].isupper() or text[0].isdigit()) and bool(_EN_HEADING.match(text))


_TANYA_PARTS: tuple[tuple[str, str], ...] = (
    (r"likk?utei\s+amarim|sefer\s+shel\s+beinonim|ל[י]?קוטי\s+אמרים", "Tanya, Part I; Likkutei Amarim"),
    (
        r"sha'?ar\s+ha-?yichud\s+veha-?emunah?|sha'?ar\s+ha-?yichud|שער\s+היחוד",
        "Tanya, Part II; Shaar HaYichud VehaEmunah",
    ),
    (r"igg?eret\s+ha-?teshuvah?|א[י]?גרת\s+התשובה", "Tanya, Part III; Iggeret HaTeshuvah"),
    (r"igg?eret\s+ha-?kodesh|א[י]?גרת\s+הקו?דש", "Tanya, Part IV; Iggeret HaKodesh"),
    (r"kuntres\s+acharon|קונטרס\s+אחרון", "Tanya, Part V; Kuntres Acharon"),
)
_CHAPTER = re.compile(
    r"(?:chapter|chap\.|ch\.|perek|epistle|letter|section|פרק|סימן)\s*(\d{1,3}|[\u05d0-\u05ea\"'׳״]{1,5})",
    re.I,
)


def teaches_ref_from(lines: list[str]) -> str | None:
    """The work and chapter a title line says the lesson teaches, canonical when the catalog knows it."""
    for line in lines:
        plain = re.sub(r"\s+", " ", _strip_marks(line)).strip()
        chapter = _CHAPTER.search(plain)
        number = _chapter_number(chapter.group(1)) if chapter else None
        for pattern, work in _TANYA_PARTS:
            if re.search(pattern, plain, re.I):
                candidate = f"{work} {number}" if number else work
                return _canonical(candidate) or candidate
        if number is not None:
            cut = plain[: chapter.start()].strip(" ,:;–—-") if chapter else plain
            cut = re.sub(r"^(?:lessons?\s+in\s+|today'?s\s+)", "", cut, flags=re.I)
            if cut:
                found = _canonical(f"{cut} {number}")
                if found:
                    return found
    return None


def _chapter_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    try:
        return from_hebrew(token)
    except MadregaError:  # not a Hebrew numeral
        return None


def _canonical(text: str) -> str | None:
    try:
        return str(refs.parse(text))
    except MadregaError:  # the catalog does not know the title, or the address is out of range
        return None


# ---------------------------------------------------------------------------------------------
# Layout


def _letters(text: str, lang: str) -> int:
    if lang == "he":
        return sum(1 for ch in text if "\u05d0" <= ch <= "\u05ea")
    return sum(1 for ch in text if ch.isalpha())


def _log_ratio(english: _Para, hebrew: _Para) -> float:
    return math.log(max(1, _letters(english.text, "en")) / max(1, _letters(hebrew.text, "he")))


_QUOTES = re.compile(r'[“”„«»]|(?<![\u05d0-\u05eaA-Za-z])"|"(?![\u05d0-\u05eaA-Za-z])')


def _quotes(text: str) -> bool:
    """Whether the paragraph quotes (a double quote inside a word, as in מ"ו, is an abbreviation)."""
    return bool(_QUOTES.search(_strip_marks(text)))


def _neighbour(paras: list[_Para], i: int, layout: Layout) -> _Para | None:
    j = i - 1 if layout == "en-first" else i + 1
    if 0 <= j < len(paras) and paras[j].lang == "en" and not paras[j].heading:
        return paras[j]
    return None


# English takes about twice the letters of the Hebrew it translates; longer is commentary's mark.
_USUAL = math.log(2.0)


def layout_cost(paras: list[_Para], layout: Layout) -> float:
    """How badly `layout` explains the page (lower is better).

    Under the right layout every Hebrew paragraph has an English neighbour on the translation
    side, those neighbours are consistently sized relative to their Hebrew (a translation tracks
    its source; commentary does not) and shorter (commentary runs long), quote where the Hebrew
    quotes, and on HTML pages are the ones set in bold.
    """
    ratios: list[float] = []
    penalty = 0.0
    hebrew = 0
    for i, p in enumerate(paras):
        if p.lang != "he":
            continue
        hebrew += 1
        other = _neighbour(paras, i, layout)
        if other is None:
            penalty += 2.0
            continue
        ratios.append(_log_ratio(other, p))
        if _quotes(other.text) != _quotes(p.text):
            penalty += 0.3
        if other.block.bold:
            penalty -= 0.5
    if not hebrew:
        return 0.0
    median = statistics.median(ratios) if ratios else 0.0
    spread = sum(abs(r - median) for r in ratios)
    return (spread + penalty) / hebrew + 0.5 * max(0.0, median - _USUAL)


def detect_layout(paras: list[_Para]) -> Layout:
    content = [p for p in paras if not p.heading]
    en_first, he_first = layout_cost(content, "en-first"), layout_cost(content, "he-first")
    if abs(en_first - he_first) < 1e-9:
        return "he-first" if content and content[0].lang == "he" else "en-first"
    return "en-first" if en_first < he_first else "he-first"


# ---------------------------------------------------------------------------------------------
# Footnote texts

_NOTES_HEADING = re.compile(r"^(?:foot\s?notes|notes|endnotes|הערות)\s*:?$", re.I)
_NOTE_LINE = re.compile(r"^\[?(\d{1,3}|\*{1,3})[.)\]]?\s+(.+)$", re.S)
_NOTE_MARK = re.compile(r"^\[?(\d{1,3}|\*{1,3})[.)\]]?$")


def _read_notes(blocks: list[Block]) -> dict[str, str]:
    notes: dict[str, str] = {}
    pending: str | None = None
    counter = 0
    for block in blocks:
        text = block.text.strip()
        mark = _NOTE_MARK.match(text)
        line = _NOTE_LINE.match(text)
        if mark:
            pending = mark.group(1)
        elif pending is not None:
            notes[pending] = text
            pending = None
        elif line:
            notes[line.group(1)] = line.group(2).strip()
        elif block.tag == "li":
            counter += 1
            notes[str(counter)] = text
    return notes


# ---------------------------------------------------------------------------------------------
# Parsing


def _paragraphs(text: str) -> tuple[list[_Para], dict[str, str], dict[str, str]]:
    """The lesson's paragraphs (chrome dropped), the footnote texts, and the page meta."""
    blocks, meta, _html = read_blocks(text)
    body: list[Block] = []
    notes: dict[str, str] = {}
    for index, block in enumerate(blocks):
        t = block.text.strip()
        if _NOTES_HEADING.match(t):
            notes = _read_notes(blocks[index + 1 :])
            break
        if _END_OF_CONTENT.match(t) and not t.lower().startswith("bottom"):
            break
        if is_chrome(t) or _POST_END.match(t):
            continue
        body.append(block)
    paras: list[_Para] = []
    for block in body:
        clean, marks = lift_footnotes(block.text)
        if not clean:
            continue
        lang = lang_of(clean)
        paras.append(_Para(block, clean, lang, marks, _is_structural_heading(clean, lang)))
    # A trailing run of "1. Isaiah 51:16." lines is the notes, when the markers were seen above.
    seen = {n.marker for p in paras for n in p.notes}
    tail = len(paras)
    while tail > 0 and (m := _NOTE_LINE.match(paras[tail - 1].text)) and m.group(1) in seen:
        tail -= 1
    if tail < len(paras) and not notes:
        notes = _read_notes([p.block for p in paras[tail:]])
        paras = paras[:tail]
    return paras, notes, meta


def parse_lesson(text: str, *, source: str | None = None) -> Document:
    """A bilingual lesson: pairs of Hebrew source and English translation, with their commentary."""
    check_input(text, source)
    name = source or "<input>"
    paras, notes, meta = _paragraphs(text)
    if not any(p.lang == "he" and not p.heading for p in paras):
        first = paras[0].block.line if paras else 1
        raise ImportFailed(
            f"{name}: line {first}: expected a lesson — Hebrew source paragraphs, each beside its English "
            "translation — but found no Hebrew paragraph",
            suggestions=["import it as an article instead (kind: article)"],
        )
    layout = detect_layout(paras)
    content = [p for p in paras if not p.heading]
    pair = 0
    for i, p in enumerate(content):
        if p.lang != "he":
            continue
        p.role = "source"
        other = _neighbour(content, i, layout)
        if other is not None and other.pair is None:
            pair += 1
            p.pair = other.pair = pair
            other.role = "translation"
    for p in paras:
        if p.heading:
            p.role = "heading"
        elif p.lang == "en" and p.role == "commentary" and _title_line(p):
            p.role = "heading"
            p.heading = True

    doc = Document(title="", kind="lesson", source=source)
    for p in paras:
        for note in p.notes:
            note.text = notes.get(note.marker, "")
        doc.segments.append(DocSegment(role=p.role, text=p.text, lang=p.lang, pair=p.pair, footnotes=p.notes))
    headings = [p.text for p in paras if p.heading]
    doc.teaches_ref = teaches_ref_from(headings + ([meta["page_title"]] if "page_title" in meta else []))
    doc.title = _lesson_title(headings, meta, doc.teaches_ref)
    doc.meta = {"layout": layout, **meta}
    if pair == 0:
        raise ImportFailed(
            f"{name}: line {paras[0].block.line}: expected a lesson — each Hebrew paragraph next to its English "
            "translation — but no Hebrew paragraph has an English neighbour",
        )
    return doc


def _title_line(p: _Para) -> bool:
    text = p.text
    words = text.split()
    if not words or len(words) > 10 or text.endswith((".", ",", ";", ":", "…", "”", '"')):
        return False
    return p.block.tag.startswith("h") or is_title_case(text)


def _lesson_title(headings: list[str], meta: dict[str, str], teaches: str | None) -> str:
    specific = [h for h in headings if not re.match(r"^lessons?\s+in\s+tanya$", h, re.I)]
    if specific:
        return specific[0]
    if teaches:
        return teaches
    if headings:
        return headings[0]
    return meta.get("page_title", "Lesson")


# ---------------------------------------------------------------------------------------------
# Kind detection


def detect_kind(text: str) -> Literal["lesson", "article"]:
    """ "lesson" when Hebrew paragraphs alternate with English ones, else "article"."""
    try:
        paras, _notes, _meta = _paragraphs(text)
    except ImportFailed:  # unreadable input: let the article importer say what is wrong
        return "article"
    content = [p for p in paras if not p.heading]
    hebrew = [i for i, p in enumerate(content) if p.lang == "he"]
    if len(hebrew) < 2 or len(hebrew) < 0.15 * len(content):
        return "article"
    beside = sum(
        1
        for i in hebrew
        if (i > 0 and content[i - 1].lang == "en") or (i + 1 < len(content) and content[i + 1].lang == "en")
    )
    return "lesson" if beside >= 0.6 * len(hebrew) else "article"
