"""The library: works, their versions, segments aligned by ref, and imported documents.

Text is stored as given (sanitized inline marks kept); `plain` is derived from it — markup,
footnote markers and schedule/page markers removed — and is what search and the linker read.
Versions of one work align by `ref`: the Hebrew and the English of a verse share it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from madrega import db, errors
from madrega.errors import NotFound
from madrega.refs.address import sort_key
from madrega.study.document import DocSegment, Document, Footnote

SCHEMA_V1 = """
CREATE TABLE works (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL UNIQUE,
    he_title TEXT,
    category TEXT NOT NULL
);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT,
    license TEXT,
    UNIQUE (work_id, lang, title)
);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    ref TEXT NOT NULL,
    ord INTEGER NOT NULL,
    text TEXT NOT NULL,
    plain TEXT NOT NULL,
    footnotes TEXT,
    markers TEXT
);
CREATE UNIQUE INDEX segments_version_ref ON segments(version_id, ref);
CREATE INDEX segments_ref ON segments(ref);
CREATE INDEX segments_order ON segments(version_id, ord);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT,
    teaches_ref TEXT,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    meta TEXT
);
CREATE TABLE doc_segments (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    role TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'he',
    text TEXT NOT NULL,
    plain TEXT NOT NULL,
    ref TEXT,
    pair INTEGER,
    post INTEGER,
    footnotes TEXT,
    UNIQUE (doc_id, ord)
);
"""


# v2: what a version was imported from, so re-importing the same thing is a no-op.
SCHEMA_V2 = """
ALTER TABLE versions ADD COLUMN fingerprint TEXT;
ALTER TABLE versions ADD COLUMN imported_at TEXT;
"""

# A counter every change of the library's text bumps: derived indexes check it in one lookup.
SCHEMA_V3 = """
CREATE TABLE library_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO library_state(key, value) VALUES ('generation', 0);
"""

db.register("library", [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3])


# ---------------------------------------------------------------------------- change hooks


@dataclass(frozen=True)
class Change:
    table: Literal["segments", "doc_segments"]
    action: Literal["added", "removed"]
    ids: tuple[int, ...]  # versions.id for "segments", documents.id for "doc_segments"


ChangeHook = Callable[[sqlite3.Connection, Change], None]
_HOOKS: list[ChangeHook] = []
_STAGE_OF: dict[ChangeHook, str] = {}  # the pipeline stage a hook is (see `madrega.study.pipeline`)


@overload
def on_change(hook: ChangeHook, *, stage: str | None = None) -> ChangeHook: ...
@overload
def on_change(hook: None = None, *, stage: str | None = None) -> Callable[[ChangeHook], ChangeHook]: ...
def on_change(
    hook: ChangeHook | None = None, *, stage: str | None = None
) -> ChangeHook | Callable[[ChangeHook], ChangeHook]:
    """Register a callback run inside every import/remove transaction (see DEVELOPERS.md).

    `stage` names the pipeline stage the hook is (`"index"`, `"link"`): `@library.on_change(stage="index")`.
    """

    def register(h: ChangeHook) -> ChangeHook:
        if h not in _HOOKS:
            _HOOKS.append(h)
        if stage is not None:
            _STAGE_OF[h] = stage
        return h

    return register(hook) if hook is not None else register


def hook_stages() -> list[str]:
    """The names of the pipeline stages that follow every change of the library's text, in order."""
    return [_STAGE_OF[h] for h in _HOOKS if h in _STAGE_OF]


def _notify(conn: sqlite3.Connection, change: Change) -> None:
    if change.ids:
        conn.execute("UPDATE library_state SET value = value + 1 WHERE key = 'generation'")
        for hook in list(_HOOKS):
            hook(conn, change)


def generation(conn: sqlite3.Connection) -> int:
    """How many times the library's texts have changed: equal numbers mean nothing changed between."""
    row = conn.execute("SELECT value FROM library_state WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


def rebuild_hooks(conn: sqlite3.Connection) -> None:
    """Tell every hook about everything already stored (to build a derived index from scratch)."""
    with db.transaction(conn):
        versions = tuple(r[0] for r in conn.execute("SELECT id FROM versions ORDER BY id"))
        docs = tuple(r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id"))
        _notify(conn, Change("segments", "added", versions))
        _notify(conn, Change("doc_segments", "added", docs))


# ---------------------------------------------------------------------------- works and versions


@dataclass
class SegmentIn:
    """One segment as an importer hands it over (text already sanitized)."""

    ref: str
    text: str
    plain: str
    footnotes: list[dict[str, Any]] | None = None
    markers: list[dict[str, Any]] | None = None


@dataclass
class VersionInfo:
    id: int
    work: str
    lang: str
    title: str
    source: str | None
    license: str | None
    segments: int = 0


@dataclass
class WorkInfo:
    title: str
    he_title: str | None
    category: str
    versions: list[VersionInfo] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "he_title": self.he_title,
            "category": self.category,
            "versions": [
                {k: getattr(v, k) for k in ("lang", "title", "source", "license", "segments")}
                for v in self.versions
            ],
            "segments": sum(v.segments for v in self.versions),
            "langs": sorted({v.lang for v in self.versions}),
        }


def ensure_work(conn: sqlite3.Connection, title: str, he_title: str | None, category: str) -> int:
    row = conn.execute("SELECT id, he_title FROM works WHERE title=?", (title,)).fetchone()
    if row:
        if he_title and not row[1]:
            conn.execute("UPDATE works SET he_title=? WHERE id=?", (he_title, row[0]))
        return int(row[0])
    cur = conn.execute(
        "INSERT INTO works(title, he_title, category) VALUES (?, ?, ?)", (title, he_title, category)
    )
    return int(cur.lastrowid or 0)


def find_version(conn: sqlite3.Connection, work: str, lang: str, title: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT v.* FROM versions v JOIN works w ON w.id=v.work_id WHERE w.title=? AND v.lang=? AND v.title=?",
        (work, lang, title),
    ).fetchone()
    return row


def version_is_current(conn: sqlite3.Connection, work: str, lang: str, title: str, fingerprint: str) -> bool:
    row = find_version(conn, work, lang, title)
    return row is not None and row["fingerprint"] == fingerprint


def fingerprint_segments(segments: list[SegmentIn]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for s in segments:
        h.update(s.ref.encode())
        h.update(b"\x00")
        h.update(s.text.encode())
        h.update(b"\x00")
        if s.footnotes:
            h.update(json.dumps(s.footnotes, ensure_ascii=False, sort_keys=True).encode())
        if s.markers:
            h.update(json.dumps(s.markers, ensure_ascii=False, sort_keys=True).encode())
        h.update(b"\x01")
    return h.hexdigest()


def write_version(
    conn: sqlite3.Connection,
    *,
    work_id: int,
    lang: str,
    title: str,
    source: str | None,
    license: str | None,
    segments: Iterable[SegmentIn],
    fingerprint: str,
) -> tuple[int, bool]:
    """Store a version (replacing an older import of the same work/lang/title). Returns (id, changed).

    Call inside a transaction; nothing here commits.
    """
    old = conn.execute(
        "SELECT id, fingerprint FROM versions WHERE work_id=? AND lang=? AND title=?", (work_id, lang, title)
    ).fetchone()
    if old is not None:
        if old[1] == fingerprint:
            return int(old[0]), False
        remove_version(conn, int(old[0]), drop_empty_work=False)
    cur = conn.execute(
        "INSERT INTO versions(work_id, lang, title, source, license, fingerprint, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        (work_id, lang, title, source, license, fingerprint),
    )
    vid = int(cur.lastrowid or 0)
    conn.executemany(
        "INSERT INTO segments(version_id, ref, ord, text, plain, footnotes, markers) VALUES (?,?,?,?,?,?,?)",
        _segment_rows(vid, segments),
    )
    _notify(conn, Change("segments", "added", (vid,)))
    return vid, True


def _segment_rows(vid: int, segments: Iterable[SegmentIn]) -> Iterator[tuple[Any, ...]]:
    dumps = json.dumps
    for ord_, s in enumerate(segments, start=1):
        yield (
            vid,
            s.ref,
            ord_,
            s.text,
            s.plain,
            dumps(s.footnotes, ensure_ascii=False) if s.footnotes else None,
            dumps(s.markers, ensure_ascii=False) if s.markers else None,
        )


def merge_segments(
    conn: sqlite3.Connection,
    *,
    work_id: int,
    lang: str,
    title: str,
    source: str | None,
    license: str | None,
    segments: list[SegmentIn],
) -> int:
    """Add (or replace) some segments of a version, e.g. one fetched chapter; keeps reading order.

    Returns how many refs were new. Call inside a transaction.
    """
    row = conn.execute(
        "SELECT id FROM versions WHERE work_id=? AND lang=? AND title=?", (work_id, lang, title)
    ).fetchone()
    if row is None:
        cur = conn.execute(
            "INSERT INTO versions(work_id, lang, title, source, license, imported_at) "
            "VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            (work_id, lang, title, source, license),
        )
        vid = int(cur.lastrowid or 0)
    else:
        vid = int(row[0])
        _notify(conn, Change("segments", "removed", (vid,)))
    known = {r[0] for r in conn.execute("SELECT ref FROM segments WHERE version_id=?", (vid,))}
    conn.executemany(
        "INSERT INTO segments(version_id, ref, ord, text, plain, footnotes, markers) VALUES (?,?,?,?,?,?,?) "
        "ON CONFLICT(version_id, ref) DO UPDATE SET text=excluded.text, plain=excluded.plain, "
        "footnotes=excluded.footnotes, markers=excluded.markers",
        [(*r[:2], -i, *r[3:]) for i, r in enumerate(_segment_rows(vid, segments), start=1)],
    )
    # renumber: nodes keep the order they first appeared in, addresses sort naturally within a node
    rows = conn.execute("SELECT id, ref, ord FROM segments WHERE version_id=?", (vid,)).fetchall()
    node_first: dict[str, int] = {}
    for _id, ref, _ord in sorted(rows, key=lambda r: (r[2] < 0, abs(r[2]))):
        node_first.setdefault(sort_key(ref)[0], len(node_first))
    ordered = sorted(rows, key=lambda r: (node_first[sort_key(r[1])[0]], sort_key(r[1])[1]))
    conn.executemany(
        "UPDATE segments SET ord=? WHERE id=?", [(i, r[0]) for i, r in enumerate(ordered, start=1)]
    )
    conn.execute(
        "UPDATE versions SET fingerprint=NULL, imported_at=strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id=?",
        (vid,),
    )
    _notify(conn, Change("segments", "added", (vid,)))
    return len({s.ref for s in segments} - known)


def remove_version(conn: sqlite3.Connection, version_id: int, *, drop_empty_work: bool = True) -> None:
    _notify(conn, Change("segments", "removed", (version_id,)))
    work_id = conn.execute("SELECT work_id FROM versions WHERE id=?", (version_id,)).fetchone()
    conn.execute("DELETE FROM segments WHERE version_id=?", (version_id,))
    conn.execute("DELETE FROM versions WHERE id=?", (version_id,))
    if work_id is not None and drop_empty_work:
        conn.execute(
            "DELETE FROM works WHERE id=? AND NOT EXISTS (SELECT 1 FROM versions WHERE work_id=?)",
            (work_id[0], work_id[0]),
        )


_SEGMENT_INDEXES = {
    "segments_version_ref": "CREATE UNIQUE INDEX segments_version_ref ON segments(version_id, ref)",
    "segments_ref": "CREATE INDEX segments_ref ON segments(ref)",
    "segments_order": "CREATE INDEX segments_order ON segments(version_id, ord)",
}


@contextmanager
def bulk_load(conn: sqlite3.Connection) -> Iterator[None]:
    """Drop the segment indexes for a big import and rebuild them after (inside the caller's
    transaction, so a killed import leaves them as they were). Hooks may ask `in_bulk` to work in
    bigger steps; what they set up for it is closed by their `on_bulk_end` callbacks."""
    for name in _SEGMENT_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    # A bigger page cache for the length of the import: its b-trees (segments, the search index and
    # vocabulary) grow by hundreds of MB in one transaction, and SQLite's default 2 MB spills them.
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {_BULK_CACHE_KIB}")
    _BULK.add(id(conn))
    written = False
    try:
        yield
        written = True
    finally:
        _BULK.discard(id(conn))
        for callback in list(_BULK_END):
            callback(conn, written)
        if not written:
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
    for sql in _SEGMENT_INDEXES.values():
        conn.execute(sql)
    conn.execute(f"PRAGMA cache_size = {int(cache_size)}")


_BULK_CACHE_KIB = -131_072  # negative: KiB (128 MiB)


_BULK: set[int] = set()  # id() of the connections inside `bulk_load`
_BULK_END: list[Callable[[sqlite3.Connection, bool], None]] = []


def in_bulk(conn: sqlite3.Connection) -> bool:
    """Whether this connection is inside a bulk import (`bulk_load`)."""
    return id(conn) in _BULK


def on_bulk_end(callback: Callable[[sqlite3.Connection, bool], None]) -> None:
    """Run `callback(conn, written)` when a bulk import ends: `written` False when it failed (its
    transaction is rolled back: the callback only lets go of what it set up)."""
    if callback not in _BULK_END:
        _BULK_END.append(callback)


def list_works(conn: sqlite3.Connection) -> list[WorkInfo]:
    works: dict[int, WorkInfo] = {}
    for r in conn.execute("SELECT id, title, he_title, category FROM works ORDER BY id"):
        works[r[0]] = WorkInfo(r[1], r[2], r[3])
    for v in _versions(conn):
        works[v[0]].versions.append(v[1])
    return list(works.values())


def _versions(conn: sqlite3.Connection, work_id: int | None = None) -> list[tuple[int, VersionInfo]]:
    sql = (
        "SELECT v.work_id, v.id, w.title, v.lang, v.title, v.source, v.license, "
        "(SELECT max(ord) FROM segments s WHERE s.version_id=v.id) "
        "FROM versions v JOIN works w ON w.id=v.work_id"
    )
    args: tuple[Any, ...] = ()
    if work_id is not None:
        sql += " WHERE v.work_id=?"
        args = (work_id,)
    sql += " ORDER BY v.work_id, CASE v.lang WHEN 'he' THEN 0 ELSE 1 END, v.id"
    return [
        (r[0], VersionInfo(r[1], r[2], r[3], r[4], r[5], r[6], r[7] or 0)) for r in conn.execute(sql, args)
    ]


def work_titles(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT title FROM works ORDER BY id")]


def get_work(conn: sqlite3.Connection, title: str) -> WorkInfo:
    """A work by title (case-insensitive, or its Hebrew title), with its versions and counts."""
    row = conn.execute(
        "SELECT id, title, he_title, category FROM works WHERE title=? COLLATE NOCASE OR he_title=?",
        (title.strip(), title.strip()),
    ).fetchone()
    if row is None:
        titles = work_titles(conn)
        close = difflib.get_close_matches(title, titles, n=3, cutoff=0.6)
        close += [t for t in titles if title.lower() in t.lower() and t not in close][:3]
        if not titles:
            raise NotFound(
                f"no work titled {title!r}: the library is empty", remedy=errors.INIT_LIBRARY, subject=title
            )
        raise NotFound(
            f"no work titled {title!r} in the library", suggestions=close, remedy=errors.FETCH, subject=title
        )
    info = WorkInfo(row[1], row[2], row[3])
    info.versions = [v for _, v in _versions(conn, row[0])]
    return info


def tanya_schedule(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """The daily Tanya cycle as Sefaria's Hebrew Tanya marks it: (cycle, Hebrew date, first ref).

    cycle is "leap" or "regular"; each entry is where that day's lesson starts.
    """
    out: list[tuple[str, str, str]] = []
    rows = conn.execute(
        "SELECT s.ref, s.markers FROM segments s JOIN versions v ON v.id=s.version_id "
        "JOIN works w ON w.id=v.work_id WHERE w.title='Tanya' AND v.lang='he' AND s.markers IS NOT NULL "
        "ORDER BY v.id, s.ord"
    )
    seen: set[tuple[str, str]] = set()
    for ref, markers in rows:
        for m in json.loads(markers):
            if m.get("kind") == "tanya-daily" and (m["cycle"], m["date"]) not in seen:
                seen.add((m["cycle"], m["date"]))
                out.append((m["cycle"], m["date"], ref))
    return out


# ---------------------------------------------------------------------------- documents


_SLUG_DROP = re.compile(r"[^0-9a-z\u05d0-\u05ea]+")


def slugify(title: str) -> str:
    base = _SLUG_DROP.sub("-", title.lower()).strip("-")
    return base[:60].strip("-") or "document"


def _unique_slug(conn: sqlite3.Connection, title: str) -> str:
    base = slugify(title)
    taken = {
        r[0]
        for r in conn.execute("SELECT slug FROM documents WHERE slug=? OR slug LIKE ?", (base, base + "-%"))
    }
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


@dataclass
class DocumentInfo:
    id: int
    slug: str
    title: str
    kind: str
    source: str | None
    teaches_ref: str | None
    imported_at: str
    segments: int

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def save_document(conn: sqlite3.Connection, doc: Document) -> int:
    """Store an imported document in one transaction; its slug comes from the title and is unique."""
    from madrega.text.markup import plain_text

    if not doc.title.strip():
        from madrega.errors import ImportFailed

        raise ImportFailed(f"document from {doc.source or 'input'} has no title; nothing was imported")
    with db.transaction(conn):
        slug = _unique_slug(conn, doc.title)
        meta = dict(doc.meta)
        if doc.posts:
            meta["posts"] = list(doc.posts)
        cur = conn.execute(
            "INSERT INTO documents(slug, title, kind, source, teaches_ref, meta) VALUES (?,?,?,?,?,?)",
            (slug, doc.title, doc.kind, doc.source, doc.teaches_ref, json.dumps(meta, ensure_ascii=False)),
        )
        doc_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO doc_segments(doc_id, ord, role, lang, text, plain, ref, pair, post, footnotes) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    doc_id,
                    i,
                    s.role,
                    s.lang,
                    s.text,
                    plain_text(s.text),
                    s.ref,
                    s.pair,
                    s.post,
                    json.dumps([f.__dict__ for f in s.footnotes], ensure_ascii=False)
                    if s.footnotes
                    else None,
                )
                for i, s in enumerate(doc.segments, start=1)
            ],
        )
        _notify(conn, Change("doc_segments", "added", (doc_id,)))
    return doc_id


def _document_row(conn: sqlite3.Connection, id_or_slug: int | str) -> sqlite3.Row:
    key = str(id_or_slug).strip()
    rowid = db.row_id(key)
    if rowid is not None:
        row = conn.execute("SELECT * FROM documents WHERE id=?", (rowid,)).fetchone()
    else:
        row = conn.execute("SELECT * FROM documents WHERE slug=?", (key,)).fetchone()
        if row is None:
            row = conn.execute("SELECT * FROM documents WHERE slug=?", (slugify(key),)).fetchone()
    if row is None:
        slugs = [r[0] for r in conn.execute("SELECT slug FROM documents ORDER BY id")]
        raise NotFound(
            f"no imported document {key!r} (give its id or slug)",
            suggestions=difflib.get_close_matches(key, slugs, n=3, cutoff=0.5),
            remedy=errors.LIST_DOCUMENTS,
        )
    result: sqlite3.Row = row
    return result


def load_document(conn: sqlite3.Connection, id_or_slug: int | str) -> Document:
    row = _document_row(conn, id_or_slug)
    meta = json.loads(row["meta"]) if row["meta"] else {}
    posts = meta.pop("posts", [])
    doc = Document(
        title=row["title"],
        kind=row["kind"],
        source=row["source"],
        teaches_ref=row["teaches_ref"],
        posts=posts,
        meta=meta,
    )
    for r in conn.execute("SELECT * FROM doc_segments WHERE doc_id=? ORDER BY ord", (row["id"],)):
        notes = [Footnote(**f) for f in json.loads(r["footnotes"])] if r["footnotes"] else []
        doc.segments.append(
            DocSegment(
                role=r["role"],
                text=r["text"],
                lang=r["lang"],
                ref=r["ref"],
                pair=r["pair"],
                post=r["post"],
                footnotes=notes,
            )
        )
    return doc


def document_info(conn: sqlite3.Connection, id_or_slug: int | str) -> DocumentInfo:
    row = _document_row(conn, id_or_slug)
    return _info(conn, row)


def _info(conn: sqlite3.Connection, row: sqlite3.Row) -> DocumentInfo:
    n = conn.execute("SELECT count(*) FROM doc_segments WHERE doc_id=?", (row["id"],)).fetchone()[0]
    return DocumentInfo(
        row["id"],
        row["slug"],
        row["title"],
        row["kind"],
        row["source"],
        row["teaches_ref"],
        row["imported_at"],
        n,
    )


def overview(conn: sqlite3.Connection) -> dict[str, Any]:
    """The library at a glance, as every face shows it: its works and the user's documents."""
    return {
        "works": [w.to_json() for w in list_works(conn)],
        "documents": [d.to_json() for d in list_documents(conn)],
    }


def list_documents(conn: sqlite3.Connection) -> list[DocumentInfo]:
    return [_info(conn, r) for r in conn.execute("SELECT * FROM documents ORDER BY id").fetchall()]


def remove_document(conn: sqlite3.Connection, id_or_slug: int | str) -> DocumentInfo:
    with db.transaction(conn):
        row = _document_row(conn, id_or_slug)
        info = _info(conn, row)
        _notify(conn, Change("doc_segments", "removed", (info.id,)))
        conn.execute("DELETE FROM doc_segments WHERE doc_id=?", (info.id,))
        conn.execute("DELETE FROM documents WHERE id=?", (info.id,))
    return info
