"""Hebrew words of a text as the quotation finder sees them: exact offsets, matching keys, elisions.

Tokenizing is one C-level regex pass (the finder must read 200 KB/s); the key of each distinct
surface form is computed once by `madrega.text.hebrew.word_key` and memoized.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from madrega.text.hebrew import MARK_CLASS

_MARK = MARK_CLASS
_LETTER = "\u05d0-\u05ea"
# A Hebrew word: letters with their marks, acronym quotes inside (מ"ו), a geresh at the end (ה', וגו').
WORD_RE = re.compile(
    rf"(?:[{_LETTER}][{_MARK}]*)+(?:[\"״“”'׳’](?:[{_LETTER}][{_MARK}]*)+)*(?:['׳’](?![{_LETTER}]))?"
)
_MARKS_RE = re.compile(f"[{_MARK}]")
_NOT_LETTER_RE = re.compile(f"[^{_LETTER}]")
_QUOTE_SPLIT_RE = re.compile('["״“”]')
_PREFIX_LETTERS = frozenset("ובדהכלמש")
# Text between two Hebrew words that ends a run of quoted words: a new line or other-script words.
# Quotation marks break runs too: a quoted passage starts and ends at them.
BREAK_RE = re.compile(r"[\nA-Za-z0-9\"״“”„«»]")

# The marks writers put where they skip the rest of a verse: וגו' (and so on), וכו' (etc.).
_ELISIONS = frozenset({"וגו", "גו", "וגומר", "וכו", "כו", "וכולי", "וכולה", "וכוליה"})


@dataclass(frozen=True, slots=True)
class HebrewWord:
    start: int
    end: int
    key: str
    elision: bool


def _fallback_word_key(word: str, plene: bool = False) -> str:
    """Used only until `madrega.text.hebrew` is importable: letters only, finals folded, matres dropped."""
    if word in ("ה'", "ה׳", "יי", "ה"):
        return "יהוה"
    letters = _NOT_LETTER_RE.sub("", _MARKS_RE.sub("", word)).translate(str.maketrans("ךםןףץ", "כמנפצ"))
    if plene and len(letters) > 2:
        letters = letters[0] + letters[1:].replace("ו", "").replace("י", "")
    return letters


def _resolve_word_key() -> Callable[..., str]:
    try:
        from madrega.text.hebrew import word_key
    except ImportError:
        return _fallback_word_key
    return word_key


_word_key = _resolve_word_key()


@lru_cache(maxsize=1 << 19)
def key_of(surface: str) -> str:
    """The plene-tolerant matching key of one surface word."""
    return _word_key(surface, plene=True)


@lru_cache(maxsize=1 << 16)
def _is_elision(surface: str) -> bool:
    if surface[-1] not in "'׳’" and not surface.endswith("ומר"):
        return False
    return _NOT_LETTER_RE.sub("", _MARKS_RE.sub("", surface)) in _ELISIONS


def _split_prefix_quote(text: str, start: int, surface: str) -> tuple[int, str]:
    """`בִּ"שְׁתַּיִם`: a prefix letter outside the quotation marks belongs to the sentence, not the quote."""
    m = _QUOTE_SPLIT_RE.search(surface)
    if m is None:
        return start, surface
    head = _MARKS_RE.sub("", surface[: m.start()])
    tail = surface[m.end() :]
    if 1 <= len(head) <= 3 and set(head) <= _PREFIX_LETTERS and len(_MARKS_RE.sub("", tail)) >= 2:
        return start + m.end(), tail
    return start, surface


def words(text: str) -> list[HebrewWord | None]:
    """The Hebrew words of `text` in order; `None` stands where a run of quoted words must break."""
    out: list[HebrewWord | None] = []
    last_end = 0
    for m in WORD_RE.finditer(text):
        start, surface = m.start(), m.group()
        if out and BREAK_RE.search(text, last_end, start):
            out.append(None)
        last_end = m.end()
        if _QUOTE_SPLIT_RE.search(surface):
            start, surface = _split_prefix_quote(text, start, surface)
        if _is_elision(surface):
            out.append(HebrewWord(start, m.end(), "", True))
            continue
        out.append(HebrewWord(start, m.end(), key_of(surface), False))
    return out


_EDITORIAL_RE = re.compile(r"\([^()]{0,120}\)")


def segment_keys(text: str) -> list[str]:
    """The keys of a library segment's words; editors' parenthesized source notes are not its text."""
    if "(" in text:
        text = _EDITORIAL_RE.sub(" ", text)
    return [key_of(m.group()) for m in WORD_RE.finditer(text)]
