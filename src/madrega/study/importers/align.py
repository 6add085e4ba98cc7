"""Aligning a lesson's Hebrew lines to the library's text of the work they teach.

A lesson quotes its source phrase by phrase, with its own niqqud and often fuller (plene) spelling;
the library holds the work in paragraphs. Each Hebrew line is placed in the library segment whose
words (compared by `hebrew.word_key(plene=True)`) best contain the line's words, in order.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import ahocorasick

from madrega.study.document import Document
from madrega.text.hebrew import MARK_CLASS, tokenize, word_key

# A line must find most of its words, mostly in sequence, to be placed.
MIN_SCORE = 0.6
MIN_WORDS = 2


@dataclass
class _Candidate:
    ref: str
    version_id: int
    ord: int
    keys: list[str]


def keys_of(text: str) -> list[str]:
    """The matching keys of the Hebrew words of `text`, in order."""
    out: list[str] = []
    for token in tokenize(text):
        if token.kind == "he":
            key = word_key(token.text, plene=True)
            if key:
                out.append(key)
    return out


_FINALS = str.maketrans("ךםןףץ", "כמנפצ")
_MARKS = re.compile(f"[{MARK_CLASS}\u05be\u05c0\u05c3\u05c6\u05f3\u05f4'\"]")


def _skeleton(text: str) -> str:
    """Letters only, finals regular, no ו/י: a cheap superset test before computing keys."""
    return _MARKS.sub("", text).translate(_FINALS).replace("ו", "").replace("י", "")


def _bigrams(keys: list[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(keys))


def score(line: list[str], candidate: list[str]) -> tuple[float, int]:
    """How well `candidate` contains `line`: (score 0..1, number of line words found)."""
    if not line:
        return 0.0, 0
    have = set(candidate)
    wanted = set(line)
    found = len(wanted & have)
    unigram = found / len(wanted)
    pairs = _bigrams(line)
    if not pairs:
        return unigram, found
    bigram = len(pairs & _bigrams(candidate)) / len(pairs)
    return 0.5 * unigram + 0.5 * bigram, found


def _scopes(
    conn: sqlite3.Connection, teaches_ref: str | None, everywhere: bool
) -> Iterator[tuple[str, tuple[object, ...]]]:
    """Where to look, narrowest first: the section taught, its work, then every Hebrew version."""
    base = (
        "SELECT s.ref, s.version_id, s.ord, s.plain FROM segments s "
        "JOIN versions v ON v.id=s.version_id JOIN works w ON w.id=v.work_id WHERE v.lang='he'"
    )
    if teaches_ref:
        like = teaches_ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        yield (
            base + " AND (s.ref=? OR s.ref LIKE ? ESCAPE '\\' OR s.ref LIKE ? ESCAPE '\\')",
            (teaches_ref, like + ":%", like + " %"),
        )
        titles = [r[0] for r in conn.execute("SELECT title FROM works")]
        owners = sorted((t for t in titles if teaches_ref == t or teaches_ref.startswith(t)), key=len)
        if owners:
            yield base + " AND w.title=?", (owners[-1],)
    if everywhere:
        yield base, ()


def _candidates(
    conn: sqlite3.Connection, sql: str, params: tuple[object, ...], anchors: ahocorasick.Automaton
) -> list[_Candidate]:
    out: list[_Candidate] = []
    for ref, version_id, ord_, plain in conn.execute(sql + " ORDER BY s.version_id, s.ord", params):
        skeleton = _skeleton(plain)
        hits = {value for _end, value in anchors.iter(skeleton)}
        if len(hits) >= MIN_WORDS:
            out.append(_Candidate(ref, version_id, ord_, keys_of(plain)))
    return out


def align_document(conn: sqlite3.Connection, doc: Document, *, everywhere: bool = True) -> Document:
    """Set `ref` on the document's Hebrew source segments that the library's text contains.

    With `everywhere=False` only the work the document teaches is read (a whole-library scan
    reads every Hebrew segment, which is slow once the embedded corpus is in)."""
    lines = [
        (seg, keys_of(seg.text))
        for seg in doc.segments
        if seg.role == "source" and seg.lang == "he" and seg.ref is None
    ]
    lines = [(seg, keys) for seg, keys in lines if len(set(keys)) >= MIN_WORDS]
    if not lines:
        return doc
    anchors = ahocorasick.Automaton()
    for _seg, keys in lines:
        for key in keys:
            sk = _skeleton(key)
            if len(sk) >= 2 and sk not in anchors:
                anchors.add_word(sk, sk)
    if len(anchors) == 0:
        return doc
    anchors.make_automaton()

    pending = lines
    for sql, params in _scopes(conn, doc.teaches_ref, everywhere):
        candidates = _candidates(conn, sql, params, anchors)
        if not candidates:
            continue
        last: _Candidate | None = None
        unplaced = []
        for seg, keys in pending:
            best = _best(keys, candidates, last)
            if best is None:
                unplaced.append((seg, keys))
                continue
            seg.ref = best.ref
            last = best
        pending = unplaced
        if not pending:
            break
    return doc


def _best(keys: list[str], candidates: list[_Candidate], last: _Candidate | None) -> _Candidate | None:
    """The best-containing candidate; among equals, the one continuing from the previous line."""
    ranked: list[tuple[float, int, int, _Candidate]] = []
    for cand in candidates:
        value, found = score(keys, cand.keys)
        if value < MIN_SCORE or found < MIN_WORDS:
            continue
        if last is not None and cand.version_id == last.version_id and cand.ord >= last.ord:
            follows, distance = 0, cand.ord - last.ord
        else:
            follows, distance = 1, 0
        ranked.append((-round(value, 6), follows, distance, cand))
    if not ranked:
        return None
    ranked.sort(key=lambda r: r[:3])
    return ranked[0][3]
