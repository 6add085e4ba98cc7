"""Hebrew words of a text as the quotation finder sees them: exact offsets, matching keys, elisions.

Tokenizing is one C-level regex pass; the key of each distinct surface form is computed once by
`madrega.text.hebrew.word_key` and memoized. `words` gives one object per word (the reference, and what
small callers use); `word_blocks` gives the same tokens as plain lists, a block of text at a time, for
the quotation finder to read texts of any size in bounded memory.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
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


def _resolve_bare_table() -> dict[int, int | str | None]:
    try:
        from madrega.text.hebrew import _MARKS_ONLY_TABLE
    except ImportError:
        return {ord(ch): None for ch in map(chr, range(0x0591, 0x05C8)) if _MARKS_RE.match(ch)}
    return _MARKS_ONLY_TABLE


_BARE_TABLE = _resolve_bare_table()


def bare(surface: str) -> str:
    """The surface without its marks: it has the same key (word_key drops the marks first), and
    cantillation makes many surfaces of one bare word."""
    return surface.translate(_BARE_TABLE)


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


# Kinds of token in a block.
WORD, ELISION, BREAK = 0, 1, 2
_BREAK_RUN_RE = re.compile(BREAK_RE.pattern + "+")
BLOCK_CHARS = 1 << 16
_SPACE_RE = re.compile(r"\s")


@dataclass
class WordBlock:
    """A block of `words(text)`: token offsets into the whole text, kinds, and the surfaces of words
    (`None` for breaks and elisions). Tokens are numbered from `first` in the whole text."""

    first: int
    starts: list[int]
    ends: list[int]
    kinds: list[int]
    surfaces: list[str | None]


def word_blocks(text: str, block_chars: int = BLOCK_CHARS) -> Iterator[WordBlock]:
    """`words(text)` in blocks of about `block_chars` characters, each cut after a new line (where a
    run of quoted words breaks anyway, so blocks can be read one by one); a text without a new line
    for `block_chars` characters is cut between two words."""
    n = len(text)
    pos = 0
    last_end = -1  # end of the previous word of the whole text; -1 before the first word
    first = 0
    while pos < n:
        end = n
        if pos + block_chars < n:
            cut = text.rfind("\n", pos, pos + block_chars)
            if cut < pos:
                cut = text.rfind(" ", pos, pos + block_chars)
            if cut < pos:
                found = _SPACE_RE.search(text, pos + block_chars)
                cut = found.start() if found else n - 1
            end = cut + 1
        block = _block(text, pos, end, last_end, first)
        if block.starts:
            last_end = block.ends[-1]
            first += len(block.starts)
            yield block
        pos = end


def _block(text: str, pos: int, end: int, last_end: int, first: int) -> WordBlock:
    spans = [m.span() for m in WORD_RE.finditer(text, pos, end)]
    if not spans:
        return WordBlock(first, [], [], [], [])
    word_starts = [a for a, _ in spans]
    word_ends = [b for _, b in spans]
    surfaces: list[str | None] = [text[a:b] for a, b in spans]
    # a break before a word: a break character between it and the word before (never before the first)
    lo = last_end if last_end >= 0 else word_starts[0]
    runs = [m.span() for m in _BREAK_RUN_RE.finditer(text, lo, word_starts[-1])]
    breaks = [False] * len(spans)
    if runs:
        run_ends = [b for _, b in runs]
        run_starts = [a for a, _ in runs]
        previous = [last_end, *word_ends[:-1]]
        for k, (prev_end, start) in enumerate(zip(previous, word_starts, strict=True)):
            if prev_end < 0:
                continue
            i = bisect_right(run_ends, prev_end)  # the first run ending after the previous word
            if i < len(runs) and run_starts[i] < start:
                breaks[k] = True
    search = _QUOTE_SPLIT_RE.search
    for k in [k for k, surface in enumerate(surfaces) if search(surface)]:  # type: ignore[arg-type]
        word_starts[k], surfaces[k] = _split_prefix_quote(text, word_starts[k], surfaces[k])  # type: ignore[arg-type]
    kinds = [ELISION if _is_elision(s) else WORD for s in surfaces]
    if not any(breaks) and ELISION not in kinds:
        return WordBlock(first, word_starts, word_ends, kinds, surfaces)
    starts: list[int] = []
    ends: list[int] = []
    out_kinds: list[int] = []
    out_surfaces: list[str | None] = []
    previous = [last_end, *word_ends[:-1]]
    for k, kind in enumerate(kinds):
        if breaks[k]:
            starts.append(previous[k])
            ends.append(spans[k][0])
            out_kinds.append(BREAK)
            out_surfaces.append(None)
        starts.append(word_starts[k])
        ends.append(word_ends[k])
        out_kinds.append(kind)
        out_surfaces.append(surfaces[k] if kind == WORD else None)
    return WordBlock(first, starts, ends, out_kinds, out_surfaces)


_EDITORIAL_RE = re.compile(r"\([^()]{0,120}\)")


def editorial_free(text: str) -> str:
    """A library segment without its editors' parenthesized source notes (they are not its text)."""
    return _EDITORIAL_RE.sub(" ", text) if "(" in text else text


def segment_keys(text: str) -> list[str]:
    """The keys of a library segment's words; editors' parenthesized source notes are not its text."""
    return [key_of(m.group()) for m in WORD_RE.finditer(editorial_free(text))]
