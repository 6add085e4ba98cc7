"""The quoted words decide, in English: a written verse checked against the translation quoted beside it.

`As it is written (Exodus 20:11), "Honor your father and your mother"` quotes Exodus 20:12 (the page
numbers the Decalogue otherwise). English pages quote many translations, so the words are compared by
their stems (`honour` and `honor`, `hast done` and `have done` alike) and only the words that carry
meaning count: a verse whose stems hold most of the quotation's, where the verse written holds almost
none, is the place quoted; the written one is kept first among the alternatives and the note says so,
as `refine` does for Hebrew. A verse that holds the quotation is confirmed (`checked=True`).

Only a quotation in quotation marks that touches the reference counts (`"…" (ref)`, `(ref), "…"`,
`ref: "…"`): prose beside a reference is never a reason to move it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from madrega.study.linker.english_quotations import STOP_WORDS
from madrega.study.linker.refine import Citation, apply_correction

if TYPE_CHECKING:
    from madrega.study.linker.english_quotations import EnglishIndex

__all__ = ["refine_english"]

_QUOTE = re.compile(r"[\"“”]([^\"“”\n]{8,400})[\"“”]")
_TOUCH = 6  # characters between a reference and its quotation: '), "' or ' ("'
_WORD = re.compile(r"[A-Za-z]+")
MIN_STEMS = 3  # meaning-bearing stems the quotation must have, and the verse must share
SHARE = 0.5  # of the quotation's stems the verse must hold
_MORE_STOPS = frozenset(
    [
        "than",
        "only",
        "also",
        "even",
        "very",
        "hath",
        "hast",
        "doth",
        "art",
        "thine",
        "mine",
        "yea",
        "lo",
        "behold",
    ]
)


def _stem(word: str) -> str:
    """A crude stem that puts translations' spellings together: `honour`/`honor`, `gods`/`god`,
    `commanded`/`commandeth`/`command`."""
    w = word.lower()
    if len(w) > 5 and w.endswith("our"):
        w = w[:-3] + "or"
    for suffix in ("eth", "est", "ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return w[:6]


def _stems(text: str) -> set[str]:
    return {
        _stem(w) for w in _WORD.findall(text) if w.lower() not in STOP_WORDS and w.lower() not in _MORE_STOPS
    }


def _chapter_segments(index: EnglishIndex, chapter: str) -> list[int]:
    """The segments of one chapter ('Exodus 20' → its verses' segment numbers): the refs are one byte
    string with offsets, so the chapter's refs are found where 'Exodus 20:' opens one of them."""
    prefix = f"{chapter}:".encode()
    found: list[int] = []
    refs, offsets = index.ref_text, index.ref_offsets
    at = refs.find(prefix)
    while at >= 0:
        seg = bisect_left(offsets, at)
        if seg < len(offsets) - 1 and int(offsets[seg]) == at:
            verse = refs[at + len(prefix) : int(offsets[seg + 1])]
            if verse.isdigit():
                found.append(seg)
        at = refs.find(prefix, at + 1)
    return found


def _verse_stems(index: EnglishIndex, seg: int) -> set[str]:
    keys: list[str] | None = getattr(index, "_refine_keys", None)
    if keys is None:
        keys = ["", *index.vocab_text.split("\n")]
        setattr(index, "_refine_keys", keys)  # noqa: B010
    start = int(index.segment_starts[seg])
    end = int(index.segment_starts[seg + 1]) if seg + 1 < len(index.segment_starts) else len(index.words)
    return {
        _stem(k)
        for k in (keys[int(i)] for i in index.words[start:end])
        if k and k not in STOP_WORDS and k not in _MORE_STOPS
    }


def _quotation_beside(text: str, start: int, end: int) -> str | None:
    """The words in quotation marks that touch the reference at [start, end), before or after it."""
    after = _QUOTE.search(text, end, min(len(text), end + _TOUCH + 402))
    if after and after.start() - end <= _TOUCH and not _WORD.search(text, end, after.start()):
        return after.group(1)
    for m in _QUOTE.finditer(text, max(0, start - 410), start):
        if start - m.end() <= _TOUCH and not _WORD.search(text, m.end(), start):
            return m.group(1)
    return None


def refine_english(text: str, citations: Sequence[Citation], index: EnglishIndex) -> None:
    """Check each written verse of the Tanakh against the English quoted beside it (in place)."""
    from madrega.refs import RefError, parse

    if index.total_words == 0:
        return
    refs = sorted((c for c in citations if c.kind == "reference"), key=lambda c: c.start)
    written_refs = [c.ref for c in refs]
    for i, c in enumerate(refs):
        if c.checked is not None:
            continue  # the Hebrew beside it has spoken
        try:
            ref = parse(c.ref)
        except RefError:
            continue
        if ref.work.category != "Tanakh" or ref.is_range or len(ref.sections) != 2:
            continue
        quoted = _quotation_beside(text, c.start, c.end)
        if not quoted:
            continue
        segments = _chapter_segments(index, f"{ref.work.title} {ref.sections[0]}")
        if not segments:
            continue
        stems = _stems(quoted)
        if len(stems) < MIN_STEMS:
            continue
        shared: dict[str, int] = {}
        holds: dict[str, bool] = {}
        for seg in segments:
            verse = _verse_stems(index, seg)
            n = len(stems & verse)
            shared[index.ref(seg)] = n
            # most of the quotation's words, or most of the verse's (a quotation with a transliteration)
            holds[index.ref(seg)] = n >= MIN_STEMS and n >= SHARE * min(len(stems), len(verse))
        written = str(ref)
        mine = shared.get(written, 0)
        if holds.get(written):
            c.checked = True
            continue
        ranked = sorted(shared.items(), key=lambda kv: kv[1], reverse=True)
        best, most = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if not holds[best] or most < mine + 2 or runner_up + 1 >= most:
            continue  # the words do not say, or say two verses alike
        if best in written_refs[:i] + written_refs[i + 1 :]:
            continue  # the quotation is that other citation's
        apply_correction(c, written, best, chapter_only=False)
