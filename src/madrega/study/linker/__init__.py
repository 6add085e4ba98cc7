"""The citation linker: written references and unreferenced quotations (Hebrew and English) in prose.

`link(text)` finds written references (any form `madrega.refs` parses, in English or Hebrew,
ibid. and context-dependent "ch. 46"); with a library connection it also finds quotations of the
library's Hebrew texts, and of its English translations. Spans are exact offsets into the text given. Importing this module is
cheap (the database layer imports it to register the `anchors` table); the heavy parts load on use.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from madrega import cachefile, db
from madrega.study import library as _library  # noqa: F401  (its tables come first: anchors refer to them)
from madrega.study.linker.citations import Anchor, Citation, Kind, link
from madrega.study.linker.indexes import build_indexes

__all__ = [
    "Anchor",
    "Citation",
    "Kind",
    "build_indexes",
    "cited_by",
    "link",
    "link_markup",
    "prepare",
    "to_html",
]

ANCHORS_V1 = """
CREATE TABLE anchors (
    id INTEGER PRIMARY KEY,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('segment', 'doc_segment', 'file')),
    source_id TEXT NOT NULL,
    source_ref TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('reference', 'quotation')),
    ref TEXT NOT NULL,
    score REAL NOT NULL
);
CREATE INDEX anchors_ref ON anchors(ref);
CREATE INDEX anchors_source ON anchors(source_kind, source_id);
"""

# v2: the library source an anchor stands in (its segment and the version or document holding it),
# so a removal takes its anchors with it in one statement; and the other places a quotation may be.
# Anchors whose source is gone (left behind before the link stage kept them true) are dropped.
ANCHORS_V2 = """
ALTER TABLE anchors ADD COLUMN segment_id INTEGER;
ALTER TABLE anchors ADD COLUMN owner_id INTEGER;
ALTER TABLE anchors ADD COLUMN alternatives TEXT;
UPDATE anchors SET segment_id = CAST(source_id AS INTEGER) WHERE source_kind IN ('segment', 'doc_segment');
UPDATE anchors SET owner_id = (SELECT version_id FROM segments WHERE segments.id = anchors.segment_id)
    WHERE source_kind = 'segment';
UPDATE anchors SET owner_id = (SELECT doc_id FROM doc_segments WHERE doc_segments.id = anchors.segment_id)
    WHERE source_kind = 'doc_segment';
DELETE FROM anchors WHERE source_kind IN ('segment', 'doc_segment') AND owner_id IS NULL;
CREATE INDEX anchors_owner ON anchors(source_kind, owner_id, source_ref);
CREATE INDEX anchors_segment ON anchors(source_kind, segment_id);
"""

db.register("linker", [ANCHORS_V1, ANCHORS_V2])
# The quotation indexes beside the database follow the library's Hebrew and English segments only.
cachefile.depends("quotes", cachefile.segments_in("he"))
cachefile.depends("english", cachefile.segments_in("en"))


def cited_by(conn: sqlite3.Connection, ref: str) -> list[Anchor]:
    """The stored citations of `ref`: of it exactly, of a place inside it, or of the unit holding it."""
    from madrega.study.linker.bulk import cited_by as _cited_by

    return _cited_by(conn, ref)


def to_html(text: str, citations: list[Citation], *, back: str | None = None) -> str:
    from madrega.study.linker.render import to_html as _to_html

    return _to_html(text, citations, back=back)


def link_markup(markup: str, citations: list[Citation], *, back: str | None = None) -> str:
    """Sanitized segment markup with its citations (found in its plain text) made links; `back` is
    the page (and place) each link offers a way back to."""
    from madrega.study.linker.render import link_markup as _link_markup

    return _link_markup(markup, citations, back=back)


def prepare(db_path: str | Path) -> None:
    """Open (or build, and keep beside the database) the quotation indexes of a library, so the first
    page that links a text does not wait for them. A server calls this once as it starts."""
    from madrega.study.linker.english_quotations import english_index_for
    from madrega.study.linker.quotations import index_for
    from madrega.study.linker.references import prepare_titles

    prepare_titles()
    conn = db.connect(db_path)
    try:
        if conn.execute("SELECT 1 FROM versions WHERE lang = 'he' LIMIT 1").fetchone():
            index_for(conn)
        english_index_for(conn)
    finally:
        conn.close()
