"""What the linker finds and stores: a `Citation` in a text, an `Anchor` kept in the database, and
`link(text)`, which finds them (written references, and with a library quotations of its texts).

Its own module so that the parts of the linker (bulk, render, stage, queue) import these names
without importing the package that re-exports them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = ["Anchor", "Citation", "Kind", "link"]

Kind = Literal["reference", "quotation"]


@dataclass
class Citation:
    start: int
    end: int
    text: str
    kind: Kind
    ref: str
    alternatives: list[str] = field(default_factory=list)
    score: float = 1.0
    # The quoted words beside a written reference checked against it (`linker.refine`): True when they
    # stand in the place cited, False when they stand elsewhere (then `ref` is that place, the written
    # one first in `alternatives`, and `note` says so), None when nothing was checked.
    checked: bool | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Anchor:
    """A stored citation: where it stands (a library segment, a document segment, a file) and what it cites."""

    source_kind: str
    source_id: str
    source_ref: str | None
    start: int
    end: int
    kind: str
    ref: str
    score: float
    segment_id: int | None = None  # segments.id or doc_segments.id (source_kind says which)
    owner_id: int | None = None  # versions.id or documents.id: the text the anchor stands in

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def link(
    text: str, *, conn: sqlite3.Connection | None = None, context_ref: str | None = None
) -> list[Citation]:
    """Citations in `text`, in order. Quotations need `conn` (a library with Hebrew or English texts)."""
    from madrega.study.linker.references import find_references

    citations = [
        Citation(f.start, f.end, text[f.start : f.end], "reference", f.ref, list(f.alternatives), f.score)
        for f in find_references(text, context_ref=context_ref)
    ]
    if conn is not None and _has_hebrew(text):
        _refine(text, conn, citations)
        quotes = _quotations(text, conn, citations)
        _agree(quotes, citations)
        citations.extend(quotes)
    if conn is not None and _has_latin(text) and _has_english(conn):
        _refine_english(text, conn, citations)
        citations.extend(_english_quotations(text, conn, citations))
    citations.sort(key=lambda c: (c.start, c.end))
    return citations


def _refine(text: str, conn: sqlite3.Connection, citations: list[Citation]) -> None:
    from madrega.study.linker.quotations import index_for
    from madrega.study.linker.refine import refine

    refine(text, citations, index_for(conn))


def _refine_english(text: str, conn: sqlite3.Connection, citations: list[Citation]) -> None:
    from madrega.study.linker.english_quotations import english_index_for
    from madrega.study.linker.refine_english import refine_english

    refine_english(text, citations, english_index_for(conn))


def _has_english(conn: sqlite3.Connection) -> bool:
    """Whether the library holds English text to quote (and an index to open)."""
    return conn.execute("SELECT 1 FROM versions WHERE lang = 'en' LIMIT 1").fetchone() is not None


def _agree(quotes: list[Citation], references: list[Citation]) -> None:
    """A quotation beside a written reference is of the place written when its words stand there too:
    of the places the words stand in, the one the author cites comes first."""
    from madrega.refs import RefError, parse

    for q in quotes:
        for r in references:
            if not (0 <= q.start - r.end <= 40 or 0 <= r.start - q.end <= 40):
                continue
            try:
                cited = parse(r.ref)
            except RefError:
                continue
            places = [q.ref, *q.alternatives]
            for place in places:
                try:
                    inside = cited.contains(parse(place))
                except RefError:
                    continue
                if inside:
                    q.alternatives = [p for p in places if p != place]
                    q.ref = place
                    break
            else:
                continue
            break


def _has_hebrew(text: str) -> bool:
    return any("\u05d0" <= ch <= "\u05ea" for ch in text)


def _has_latin(text: str) -> bool:
    return any("a" <= ch <= "z" or "A" <= ch <= "Z" for ch in text)


def _english_quotations(text: str, conn: sqlite3.Connection, found: list[Citation]) -> list[Citation]:
    from madrega.study.linker.english_quotations import english_index_for, find_english_quotations

    index = english_index_for(conn)
    out: list[Citation] = []
    for q in find_english_quotations(text, index):
        if any(q.start < c.end and c.start < q.end for c in found):
            continue  # the words of a written reference (or a Hebrew quotation) are not a quotation
        out.append(Citation(q.start, q.end, text[q.start : q.end], "quotation", q.refs[0], q.refs[1:], 1.0))
    return out


def _quotations(text: str, conn: sqlite3.Connection, references: list[Citation]) -> list[Citation]:
    from madrega.study.linker.quotations import find_quotations, index_for

    index = index_for(conn)
    if index.total_words == 0:
        return []
    out: list[Citation] = []
    for q in find_quotations(text, index):
        if any(q.start < r.end and r.start < q.end for r in references):
            continue  # the words of a written reference are not a quotation
        out.append(
            Citation(q.start, q.end, text[q.start : q.end], "quotation", q.refs[0], q.refs[1:], q.score)
        )
    return out
