"""Source sheets: a teacher's page of sources — their own words, and under each citation the full
passage it cites, Hebrew and English, from the library.

A sheet is made from an imported lesson or article (`from_document`: its text, each segment
followed by the passages it cites, from its stored anchors) or by hand (`new`, then `add_source`,
`add_note`, `move`, `remove`). Items are kept in order; a source item stores only its ref, and is
read from the library whenever the sheet is shown or exported, so it is always the library's text.
Exports live in `madrega.study.sheets.export` (HTML, PDF, EPUB, JSON).
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from madrega import db
from madrega.errors import MadregaError, NotFound

__all__ = [
    "Item",
    "Sheet",
    "SheetInfo",
    "Source",
    "add_note",
    "add_source",
    "from_document",
    "list_sheets",
    "load",
    "move",
    "new",
    "remove",
    "remove_item",
    "resolve",
]

SHEETS_V1 = """
CREATE TABLE sheets (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    document TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE sheet_items (
    id INTEGER PRIMARY KEY,
    sheet_id INTEGER NOT NULL REFERENCES sheets(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'note', 'source')),
    ref TEXT,
    text TEXT,
    lang TEXT,
    role TEXT
);
CREATE INDEX sheet_items_order ON sheet_items(sheet_id, ord);
"""

db.register("sheets", [SHEETS_V1])

Kind = Literal["text", "note", "source"]
MAX_SOURCE_ROWS = 60  # a source longer than this (a whole work, a long chapter) is shown cut, and says so
_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
_SLUG_DROP = re.compile(r"[^0-9a-z\u05d0-\u05ea]+")


@dataclass
class SheetInfo:
    id: int
    slug: str
    title: str
    document: str | None
    created_at: str
    updated_at: str
    items: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Item:
    """One item in a sheet: a piece of the document's text, the user's note, or a source by ref."""

    number: int  # 1-based place in the sheet
    kind: Kind
    ref: str | None = None
    text: str | None = None  # sanitized markup (text), plain text (note)
    lang: str | None = None
    role: str | None = None  # the document segment's role (source, translation, commentary, heading)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Source:
    """A source item read from the library: its rows, Hebrew beside English."""

    ref: str
    he_ref: str | None
    work: str
    rows: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (ref, he, en) markup
    truncated: bool = False
    missing: str | None = None  # why the library has no text for it

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "he_ref": self.he_ref,
            "work": self.work,
            "rows": [{"ref": r, "he": he, "en": en} for r, he, en in self.rows],
            "truncated": self.truncated,
            "missing": self.missing,
        }


@dataclass
class Sheet:
    info: SheetInfo
    items: list[Item] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = self.info.to_json()
        data["items"] = [i.to_json() for i in self.items]
        return data


# --------------------------------------------------------------------------- finding and listing


def _slugify(title: str) -> str:
    base = _SLUG_DROP.sub("-", title.lower()).strip("-")
    return base[:60].strip("-") or "sheet"


def _unique_slug(conn: sqlite3.Connection, title: str) -> str:
    base = _slugify(title)
    taken = {
        r[0]
        for r in conn.execute("SELECT slug FROM sheets WHERE slug = ? OR slug LIKE ?", (base, base + "-%"))
    }
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _row(conn: sqlite3.Connection, slug: str | int) -> sqlite3.Row:
    key = str(slug).strip()
    rowid = db.row_id(key)
    row: sqlite3.Row | None = (
        conn.execute("SELECT * FROM sheets WHERE id = ?", (rowid,)).fetchone()
        if rowid is not None
        else conn.execute("SELECT * FROM sheets WHERE slug = ?", (key,)).fetchone()
    )
    if row is None and rowid is None:
        row = conn.execute("SELECT * FROM sheets WHERE slug = ?", (_slugify(key),)).fetchone()
    if row is None:
        slugs = [r[0] for r in conn.execute("SELECT slug FROM sheets ORDER BY id")]
        raise NotFound(
            f"no source sheet {key!r}",
            suggestions=difflib.get_close_matches(key, slugs, n=3, cutoff=0.5),
        )
    return row


def _info(conn: sqlite3.Connection, row: sqlite3.Row) -> SheetInfo:
    n = conn.execute("SELECT count(*) FROM sheet_items WHERE sheet_id = ?", (row["id"],)).fetchone()[0]
    return SheetInfo(
        row["id"], row["slug"], row["title"], row["document"], row["created_at"], row["updated_at"], int(n)
    )


def list_sheets(conn: sqlite3.Connection) -> list[SheetInfo]:
    """Every sheet, most recently changed first."""
    return [_info(conn, r) for r in conn.execute("SELECT * FROM sheets ORDER BY updated_at DESC, id DESC")]


def load(conn: sqlite3.Connection, slug: str | int) -> Sheet:
    row = _row(conn, slug)
    items = [
        Item(n, r["kind"], r["ref"], r["text"], r["lang"], r["role"])
        for n, r in enumerate(
            conn.execute("SELECT * FROM sheet_items WHERE sheet_id = ? ORDER BY ord", (row["id"],)), start=1
        )
    ]
    return Sheet(_info(conn, row), items)


# --------------------------------------------------------------------------- making and changing


def new(conn: sqlite3.Connection, title: str, *, document: str | None = None) -> SheetInfo:
    """An empty sheet."""
    title = title.strip()
    if not title:
        raise MadregaError("a sheet needs a title", suggestions=["e.g. 'Teshuvah and Torah study'"])
    with db.transaction(conn):
        cur = conn.execute(
            "INSERT INTO sheets(slug, title, document) VALUES (?, ?, ?)",
            (_unique_slug(conn, title), title, document),
        )
        return _info(conn, _row(conn, int(cur.lastrowid or 0)))


def _append(
    conn: sqlite3.Connection,
    sheet_id: int,
    rows: list[tuple[Kind, str | None, str | None, str | None, str | None]],
) -> None:
    last = conn.execute(
        "SELECT coalesce(max(ord), 0) FROM sheet_items WHERE sheet_id = ?", (sheet_id,)
    ).fetchone()[0]
    conn.executemany(
        "INSERT INTO sheet_items(sheet_id, ord, kind, ref, text, lang, role) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(sheet_id, last + i, *r) for i, r in enumerate(rows, start=1)],
    )
    conn.execute(f"UPDATE sheets SET updated_at = {_NOW} WHERE id = ?", (sheet_id,))


def from_document(conn: sqlite3.Connection, id_or_slug: int | str, *, title: str | None = None) -> SheetInfo:
    """A sheet of an imported document: each of its segments, then the passages that segment cites
    (its stored anchors), each cited passage once, where it is first cited."""
    from madrega.study import library
    from madrega.study.linker import stage

    info = library.document_info(conn, id_or_slug)
    doc = library.load_document(conn, info.id)
    cited = stage.document_citations(conn, info.id)
    rows: list[tuple[Kind, str | None, str | None, str | None, str | None]] = []
    seen: set[str] = set()
    from madrega.text.markup import plain_text

    for number, seg in enumerate(doc.segments, start=1):
        if plain_text(seg.text).strip() != doc.title.strip():  # the title is the sheet's own heading
            rows.append(("text", seg.ref, seg.text, seg.lang, seg.role))
        for c in cited.get(number, []):
            if c.ref in seen or c.ref == seg.ref:
                continue
            seen.add(c.ref)
            rows.append(("source", c.ref, None, None, None))
    with db.transaction(conn):
        sheet = new(conn, title or info.title, document=info.slug)
        _append(conn, sheet.id, rows)
        return _info(conn, _row(conn, sheet.id))


def add_source(conn: sqlite3.Connection, slug: str | int, ref: str, *, at: int | None = None) -> Item:
    """Add a passage by ref (it must be in the library), at the end or at position `at`."""
    from madrega.study import reader

    passage = reader.read_ref(conn, ref)  # says clearly what is wrong with a ref the library lacks
    return _add(conn, slug, ("source", passage.ref, None, None, None), at)


def add_note(conn: sqlite3.Connection, slug: str | int, text: str, *, at: int | None = None) -> Item:
    """Add the user's own words between the sources."""
    if not text.strip():
        raise MadregaError("a note needs some text")
    from madrega.text import hebrew

    lang = "he" if hebrew.is_hebrew(text) else "en"
    return _add(conn, slug, ("note", None, text.strip(), lang, None), at)


def _add(
    conn: sqlite3.Connection,
    slug: str | int,
    row: tuple[Kind, str | None, str | None, str | None, str | None],
    at: int | None,
) -> Item:
    with db.transaction(conn):
        sheet = _row(conn, slug)
        _append(conn, sheet["id"], [row])
        count = conn.execute(
            "SELECT count(*) FROM sheet_items WHERE sheet_id = ?", (sheet["id"],)
        ).fetchone()[0]
        if at is not None and at != count:
            move(conn, sheet["id"], count, at)
        return load(conn, sheet["id"]).items[(at if at is not None else count) - 1]


def _ids(conn: sqlite3.Connection, sheet_id: int) -> list[int]:
    return [
        r[0] for r in conn.execute("SELECT id FROM sheet_items WHERE sheet_id = ? ORDER BY ord", (sheet_id,))
    ]


def _check(number: int, count: int, what: str) -> None:
    if not 1 <= number <= count:
        raise MadregaError(
            f"{what} {number} is not in the sheet (it has {count} item{'s' if count != 1 else ''})",
            suggestions=[f"a number from 1 to {count}"] if count else [],
        )


def move(conn: sqlite3.Connection, slug: str | int, number: int, to: int) -> None:
    """Move item `number` to position `to` (both 1-based); the others keep their order."""
    with db.transaction(conn):
        sheet = _row(conn, slug)
        ids = _ids(conn, sheet["id"])
        _check(number, len(ids), "item")
        _check(to, len(ids), "position")
        ids.insert(to - 1, ids.pop(number - 1))
        conn.executemany(
            "UPDATE sheet_items SET ord = ? WHERE id = ?", [(i, id_) for i, id_ in enumerate(ids, start=1)]
        )
        conn.execute(f"UPDATE sheets SET updated_at = {_NOW} WHERE id = ?", (sheet["id"],))


def remove_item(conn: sqlite3.Connection, slug: str | int, number: int) -> None:
    with db.transaction(conn):
        sheet = _row(conn, slug)
        ids = _ids(conn, sheet["id"])
        _check(number, len(ids), "item")
        conn.execute("DELETE FROM sheet_items WHERE id = ?", (ids[number - 1],))
        conn.executemany(
            "UPDATE sheet_items SET ord = ? WHERE id = ?",
            [(i, id_) for i, id_ in enumerate([x for x in ids if x != ids[number - 1]], start=1)],
        )
        conn.execute(f"UPDATE sheets SET updated_at = {_NOW} WHERE id = ?", (sheet["id"],))


def remove(conn: sqlite3.Connection, slug: str | int) -> SheetInfo:
    with db.transaction(conn):
        row = _row(conn, slug)
        info = _info(conn, row)
        conn.execute("DELETE FROM sheets WHERE id = ?", (row["id"],))
    return info


# --------------------------------------------------------------------------- reading the sources


def resolve(conn: sqlite3.Connection, item: Item, *, max_rows: int = MAX_SOURCE_ROWS) -> Source:
    """A source item's passage from the library as it is now (Hebrew and English markup)."""
    from madrega import refs
    from madrega.study import reader

    assert item.ref is not None
    try:
        he_ref: str | None = refs.parse(item.ref).he()
    except MadregaError:
        he_ref = None
    try:
        passage = reader.read_ref(conn, item.ref)
    except MadregaError as exc:
        return Source(item.ref, he_ref, "", missing=exc.message)
    rows = [
        (
            r.ref,
            r.texts["he"].text if "he" in r.texts else None,
            r.texts["en"].text if "en" in r.texts else None,
        )
        for r in passage.rows[:max_rows]
    ]
    return Source(passage.ref, he_ref, passage.work, rows, truncated=len(passage.rows) > max_rows)
