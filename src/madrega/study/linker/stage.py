"""The link stage of the pipeline: citations found once, stored as anchors, and kept true as the
library changes, so a page reads them instead of linking on every request.

It is a library change hook (`library.on_change(stage="link")`), run inside the import or removal
transaction:

- a user's **document** is linked as it is stored (written references and quotations of the
  library, each segment with the ref it teaches as context); removing it removes its anchors;
- a library **version** (the embedded corpus is 146k segments) is only *queued*: linking it inside
  `library init` would make the import many times slower. `madrega.study.linker.queue` links the
  queue on all cores afterwards. Removing or replacing a version removes its anchors at once, so
  `cited_by` never answers with a text that is gone.

Tables (component "linking"): `link_queue` (what is still to be linked; `queued` is the library
generation it was queued at, so a job that linked an older text stores nothing for it) and
`linked` (what has its anchors, and how many).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Literal

from madrega import db
from madrega.study import library
from madrega.study.linker.bulk import Item, anchor_rows, insert_anchors, not_itself
from madrega.study.linker.citations import Citation, link

__all__ = [
    "Owner",
    "document_citations",
    "forget",
    "is_linked",
    "link_document",
    "queue",
    "segment_citations",
    "stored_citations",
]

Owner = Literal["version", "document"]

LINKING_V1 = """
CREATE TABLE link_queue (
    owner TEXT NOT NULL CHECK (owner IN ('version', 'document')),
    owner_id INTEGER NOT NULL,
    queued INTEGER NOT NULL,
    PRIMARY KEY (owner, owner_id)
) WITHOUT ROWID;
CREATE TABLE linked (
    owner TEXT NOT NULL CHECK (owner IN ('version', 'document')),
    owner_id INTEGER NOT NULL,
    anchors INTEGER NOT NULL,
    linked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (owner, owner_id)
) WITHOUT ROWID;
INSERT INTO link_queue(owner, owner_id, queued) SELECT 'version', id, 0 FROM versions;
INSERT INTO link_queue(owner, owner_id, queued) SELECT 'document', id, 0 FROM documents;
"""

db.register("linking", [LINKING_V1])

_SOURCE_KIND = {"version": "segment", "document": "doc_segment"}


@library.on_change(stage="link")
def _follow_library(conn: sqlite3.Connection, change: library.Change) -> None:
    """Link a document as it is stored, queue a version; take a removed text's anchors with it."""
    owner: Owner = "document" if change.table == "doc_segments" else "version"
    if change.action == "removed":
        forget(conn, owner, change.ids)
    elif owner == "document":
        for doc_id in change.ids:
            link_document(conn, doc_id)
    else:
        queue(conn, owner, change.ids)


def queue(conn: sqlite3.Connection, owner: Owner, ids: Iterable[int]) -> None:
    """Mark texts as to be linked (by `queue.run`); what they had stays until they are linked again."""
    generation = library.generation(conn)
    conn.executemany(
        "INSERT INTO link_queue(owner, owner_id, queued) VALUES (?, ?, ?) "
        "ON CONFLICT(owner, owner_id) DO UPDATE SET queued = excluded.queued",
        [(owner, i, generation) for i in ids],
    )


def forget(conn: sqlite3.Connection, owner: Owner, ids: Iterable[int]) -> None:
    """Remove the anchors of texts that are going away, and their place in the queue."""
    keys = [(owner, i) for i in ids]
    conn.executemany(
        "DELETE FROM anchors WHERE source_kind = ? AND owner_id = ?",
        [(_SOURCE_KIND[owner], i) for _, i in keys],
    )
    conn.executemany("DELETE FROM link_queue WHERE owner = ? AND owner_id = ?", keys)
    conn.executemany("DELETE FROM linked WHERE owner = ? AND owner_id = ?", keys)


def document_items(conn: sqlite3.Connection, doc_id: int) -> list[Item]:
    """A document's segments as the linker reads them: plain text, and the ref each one teaches."""
    return [
        Item("doc_segment", str(r[0]), r[1], r[2], r[1] or r[3])
        for r in conn.execute(
            "SELECT s.id, s.ref, s.plain, d.teaches_ref FROM doc_segments s JOIN documents d ON d.id = s.doc_id "
            "WHERE s.doc_id = ? ORDER BY s.ord",
            (doc_id,),
        )
    ]


def link_document(conn: sqlite3.Connection, doc_id: int) -> int:
    """Link a stored document and replace its anchors (inside the caller's transaction); how many."""
    items = document_items(conn, doc_id)
    results = [not_itself(item, link(item.text, conn=conn, context_ref=item.context_ref)) for item in items]
    return store(conn, "document", doc_id, items, results)


def store(
    conn: sqlite3.Connection, owner: Owner, owner_id: int, items: list[Item], results: list[list[Citation]]
) -> int:
    """A whole text's anchors, replacing what it had; it is linked and leaves the queue."""
    rows = anchor_rows(items, results)
    with db.transaction(conn):
        conn.execute(
            "DELETE FROM anchors WHERE source_kind = ? AND owner_id = ?", (_SOURCE_KIND[owner], owner_id)
        )
        insert_anchors(conn, rows)
        mark_linked(conn, owner, owner_id, len(rows))
    return len(rows)


def mark_linked(conn: sqlite3.Connection, owner: Owner, owner_id: int, anchors: int) -> None:
    conn.execute("DELETE FROM link_queue WHERE owner = ? AND owner_id = ?", (owner, owner_id))
    conn.execute(
        "INSERT INTO linked(owner, owner_id, anchors) VALUES (?, ?, ?) ON CONFLICT(owner, owner_id) "
        "DO UPDATE SET anchors = excluded.anchors, linked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        (owner, owner_id, anchors),
    )


def is_linked(conn: sqlite3.Connection, owner: Owner, owner_id: int) -> bool:
    """Whether the text's anchors are all stored (and it is not waiting to be linked again)."""
    return (
        conn.execute(
            "SELECT 1 FROM linked l WHERE owner = ? AND owner_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM link_queue q WHERE q.owner = l.owner AND q.owner_id = l.owner_id)",
            (owner, owner_id),
        ).fetchone()
        is not None
    )


def stored_citations(
    conn: sqlite3.Connection, version_id: int, refs: Iterable[str]
) -> dict[str, list[Citation]] | None:
    """The stored citations in these segments of a version, or None while it is not linked yet."""
    if not is_linked(conn, "version", version_id):
        return None
    return segment_citations(conn, version_id, refs)


def _citations(rows: Iterable[Any], plain_of: dict[int, str]) -> list[tuple[Any, Citation]]:
    """(key, citation) for anchor rows (key, segment_id, start, end, kind, ref, score, alternatives)."""
    out: list[tuple[Any, Citation]] = []
    for key, segment_id, start, end, kind, ref, score, alternatives in rows:
        plain = plain_of.get(int(segment_id), "") if segment_id is not None else ""
        s, e = int(start), int(end)
        alts = str(alternatives).split("|") if alternatives else []
        out.append((key, Citation(s, e, plain[s:e], kind, str(ref), alts, float(score))))
    return out


def document_citations(conn: sqlite3.Connection, doc_id: int) -> dict[int, list[Citation]]:
    """The stored citations of a document, by segment order (`doc_segments.ord`), each in text order."""
    plain_of = {
        int(r[0]): str(r[1])
        for r in conn.execute("SELECT id, plain FROM doc_segments WHERE doc_id = ?", (doc_id,))
    }
    rows = conn.execute(
        'SELECT s.ord, a.segment_id, a.start, a."end", a.kind, a.ref, a.score, a.alternatives '
        "FROM anchors a JOIN doc_segments s ON s.id = a.segment_id "
        "WHERE a.source_kind = 'doc_segment' AND a.owner_id = ? ORDER BY s.ord, a.start",
        (doc_id,),
    )
    out: dict[int, list[Citation]] = defaultdict(list)
    for key, citation in _citations(rows, plain_of):
        out[int(key)].append(citation)
    return dict(out)


def segment_citations(
    conn: sqlite3.Connection, version_id: int, refs: Iterable[str]
) -> dict[str, list[Citation]]:
    """The stored citations in some segments of a version, by segment ref, each in text order."""
    wanted = list(refs)
    out: dict[str, list[Citation]] = defaultdict(list)
    for chunk_start in range(0, len(wanted), 500):
        chunk = wanted[chunk_start : chunk_start + 500]
        marks = ",".join("?" * len(chunk))
        plain_of = {
            int(r[0]): str(r[1])
            for r in conn.execute(
                f"SELECT id, plain FROM segments WHERE version_id = ? AND ref IN ({marks})",
                (version_id, *chunk),
            )
        }
        rows = conn.execute(
            'SELECT source_ref, segment_id, start, "end", kind, ref, score, alternatives FROM anchors '
            f"WHERE source_kind = 'segment' AND owner_id = ? AND source_ref IN ({marks}) ORDER BY start",
            (version_id, *chunk),
        )
        for key, citation in _citations(rows, plain_of):
            out[str(key)].append(citation)
    return dict(out)
