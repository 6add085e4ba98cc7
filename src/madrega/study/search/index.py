"""The search index: one FTS5 table in the library's SQLite file, kept in step with imports.

Tables (component "search"):
- `search_fts(he, hp, en)`: per segment, the Hebrew word keys (`he`), plene keys (`hp`) joined by
  spaces, and the English text (`en`, porter-stemmed). rowid is `segments.id`, or `-doc_segments.id`.
- `search_rows`: per indexed row, its filters (work, category, lang) and `tokens`, the vocabulary ids of
  its Hebrew words in order (uint32, little-endian) — used to undo counts on removal and for
  gematria phrase runs.
- `search_vocab(id, form, key)`: every distinct Hebrew word form (letters, finals kept);
  `search_vocab_counts(vocab_id, scope, count)`: occurrences per work (scope = work id, 0 = documents).
- `gematria_values(method, value, vocab_id)`: each form's value per method (standard at index time,
  other methods the first time they are asked for).

FTS5 was chosen after measuring (bench/search.py): it ships inside SQLite, builds the corpus index in
seconds, and answers single-word queries in well under a millisecond of engine time.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from madrega import db
from madrega.study import library
from madrega.study.search.derive import Derived, Deriver, DeriverFailed, RowText, Vocab, derive

DOCUMENTS_CATEGORY = "Documents"

_CREATE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(he, hp, en, tokenize='porter unicode61 remove_diacritics 2')"
)
# FTS5 writes its in-memory terms out as a new segment (to be merged later) every 1 MB by default;
# a corpus import or rebuild goes much faster with fewer, larger segments.
_HASHSIZE = "INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', 33554432)"

SCHEMA_V1 = f"""
{_CREATE_FTS};
CREATE TABLE search_rows (
    id INTEGER PRIMARY KEY,
    version_id INTEGER,
    doc_id INTEGER,
    scope INTEGER NOT NULL,
    category TEXT NOT NULL,
    lang TEXT NOT NULL,
    tokens BLOB
);
CREATE INDEX search_rows_version ON search_rows(version_id) WHERE version_id IS NOT NULL;
CREATE INDEX search_rows_doc ON search_rows(doc_id) WHERE doc_id IS NOT NULL;
CREATE TABLE search_vocab (
    id INTEGER PRIMARY KEY,
    form TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL
);
CREATE TABLE search_vocab_counts (
    vocab_id INTEGER NOT NULL,
    scope INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (vocab_id, scope)
) WITHOUT ROWID;
CREATE TABLE gematria_values (
    method TEXT NOT NULL,
    value INTEGER NOT NULL,
    vocab_id INTEGER NOT NULL,
    PRIMARY KEY (method, value, vocab_id)
) WITHOUT ROWID;
CREATE TABLE gematria_methods (
    method TEXT PRIMARY KEY,
    covered INTEGER NOT NULL
);
CREATE TABLE search_state (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO search_state(key, value) VALUES ('generation', 0);
"""

# v3: a query keeps only the prefixed variants the library has (one lookup by key, not 30 FTS terms).
SCHEMA_V3 = "CREATE INDEX search_vocab_key ON search_vocab(key)"

db.register("search", [SCHEMA_V1, _HASHSIZE, SCHEMA_V3])

_ADD_VOCAB = "INSERT INTO search_vocab(id, form, key) VALUES (?, ?, ?)"


_VOCAB_CACHE: dict[int, tuple[sqlite3.Connection, Vocab]] = {}


def _stored_vocab(conn: sqlite3.Connection) -> Vocab:
    cur = conn.execute("SELECT id, form FROM search_vocab")
    cur.row_factory = None
    return Vocab({form: i for i, form in cur})


def _vocab(conn: sqlite3.Connection) -> Vocab:
    """The vocabulary as stored, with what this process derived of its words (cached per connection:
    a corpus import indexes hundreds of versions in one transaction)."""
    _settle(conn)  # one owner of the vocabulary's ids at a time
    cached = _VOCAB_CACHE.get(id(conn))
    top = conn.execute("SELECT coalesce(max(id), 0) FROM search_vocab").fetchone()[0]
    if cached is not None and cached[0] is conn:
        vocab = cached[1]
        if vocab.next_id == top + 1:
            vocab.new = []
            return vocab
    vocab = _stored_vocab(conn)
    _VOCAB_CACHE.clear()
    _VOCAB_CACHE[id(conn)] = (conn, vocab)
    return vocab


_Row = tuple[int, int | None, int | None, int, str, str, str]

# rows derived at a time, and how many such chunks the second process may be ahead of the writes
_BATCH_ROWS = 512
_AHEAD = 8


def _texts(chunk: list[_Row]) -> list[RowText]:
    return [(r[3], r[5], r[6]) for r in chunk]


class _Writer:
    """The rows of derivations, written; the vocabulary's new forms and counts, kept until `finish`
    (a bulk import writes them once, in key order, instead of once per version)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.scope_ids: dict[int, array[int]] = {}  # every word id a scope's rows hold
        self.new_vocab: list[tuple[int, str, str]] = []

    def write(self, chunk: list[_Row], derived: Derived) -> None:
        self.new_vocab.extend(derived.new_vocab)
        for scope, ids in derived.scope_ids.items():
            held = self.scope_ids.get(scope)
            if held is None:
                self.scope_ids[scope] = ids
            else:
                held.extend(ids)
        self.conn.executemany(
            "INSERT INTO search_fts(rowid, he, hp, en) VALUES (?, ?, ?, ?)",
            [(r[0], *f) for r, f in zip(chunk, derived.fts, strict=True)],
        )
        self.conn.executemany(
            "INSERT INTO search_rows(id, version_id, doc_id, scope, category, lang, tokens) VALUES (?,?,?,?,?,?,?)",
            [(*r[:6], t) for r, t in zip(chunk, derived.tokens, strict=True)],
        )

    def finish(self) -> None:
        self.conn.executemany(_ADD_VOCAB, self.new_vocab)
        self.conn.executemany(
            "INSERT INTO search_vocab_counts(vocab_id, scope, count) VALUES (?, ?, ?) "
            "ON CONFLICT(vocab_id, scope) DO UPDATE SET count = count + excluded.count",
            _scope_counts(self.scope_ids),
        )
        _add_gematria(self.conn, [(i, form) for i, form, _ in self.new_vocab])
        self.scope_ids, self.new_vocab = {}, []


class _BulkIndex:
    """A bulk import's indexing: rows handed to a second process that derives them a few chunks ahead,
    written here as its answers come, the vocabulary written at the end. If the second process stops,
    what it left unanswered is derived here, from the vocabulary it had given so far."""

    def __init__(self, conn: sqlite3.Connection, vocab: Vocab) -> None:
        self.writer = _Writer(conn)
        self.deriver: Deriver | None = Deriver(dict(vocab.ids))
        self.vocab: Vocab | None = None  # this process's, once the second one stopped
        self.sent: deque[list[_Row]] = deque()
        self.last_rowid: int | None = None  # the highest segment id handed over

    def add(self, rows: Iterable[_Row]) -> int:
        n = 0
        it = iter(rows)
        while chunk := list(islice(it, _BATCH_ROWS)):
            n += len(chunk)
            self.last_rowid = max(self.last_rowid or 0, max(r[0] for r in chunk))
            if self.deriver is None:
                while self.sent:  # what the second process left unanswered comes first
                    self._write_oldest()
                self.writer.write(chunk, derive(self._local(), _texts(chunk)))
                continue
            self.deriver.send(_texts(chunk))
            self.sent.append(chunk)
            while len(self.sent) > _AHEAD:
                self._write_oldest()
        return n

    def finish(self) -> None:
        while self.sent:
            self._write_oldest()
        self.close()
        self.writer.finish()

    def close(self) -> None:
        if self.deriver is not None:
            self.deriver.close()
            self.deriver = None

    def _write_oldest(self) -> None:
        chunk = self.sent[0]
        derived = None
        if self.deriver is not None:
            try:
                derived = self.deriver.receive()
            except DeriverFailed:
                self.close()
        if derived is None:
            derived = derive(self._local(), _texts(chunk))
        self.sent.popleft()
        self.writer.write(chunk, derived)

    def _local(self) -> Vocab:
        if self.vocab is None:
            vocab = _stored_vocab(self.writer.conn)
            for i, form, _ in self.writer.new_vocab:
                vocab.ids[form] = i
            vocab.next_id = max(vocab.ids.values(), default=0) + 1
            self.vocab = vocab
        return self.vocab


_BULK_INDEX: dict[int, tuple[sqlite3.Connection, _BulkIndex]] = {}


def _bulk_index(conn: sqlite3.Connection) -> _BulkIndex | None:
    """This connection's bulk indexing: started on a bulk import's first rows, on a machine with a
    second core; None otherwise."""
    found = _BULK_INDEX.get(id(conn))
    if found is not None and found[0] is conn:
        return found[1]
    if not library.in_bulk(conn) or (os.cpu_count() or 1) < 2:
        return None
    bulk = _BulkIndex(conn, _vocab(conn))
    _VOCAB_CACHE.clear()  # the second process owns the ids until the bulk import ends
    _BULK_INDEX[id(conn)] = (conn, bulk)
    return bulk


def _settle(conn: sqlite3.Connection | None = None) -> None:
    """Write what a bulk import still has in hand (before anything reads the index or the vocabulary)."""
    for key, (c, bulk) in list(_BULK_INDEX.items()):
        if conn is None or c is conn:
            del _BULK_INDEX[key]
            bulk.finish()


def _end_bulk(conn: sqlite3.Connection, written: bool) -> None:
    found = _BULK_INDEX.pop(id(conn), None)
    if found is not None:
        if written:
            found[1].finish()
        else:
            found[1].close()


library.on_bulk_end(_end_bulk)


def _index_rows(conn: sqlite3.Connection, rows: Iterable[_Row]) -> int:
    """rows: (rowid, version_id, doc_id, scope, category, lang, plain). Returns how many were indexed."""
    vocab = _vocab(conn)
    writer = _Writer(conn)
    n = 0
    it = iter(rows)
    while chunk := list(islice(it, _BATCH_ROWS)):
        writer.write(chunk, derive(vocab, _texts(chunk)))
        n += len(chunk)
    writer.finish()
    return n


def _scope_counts(scope_ids: dict[int, array[int]]) -> list[tuple[int, int, int]]:
    """(vocab id, scope, occurrences), in key order: counted in C (a corpus import holds ~4M words)
    and written in the table's order, so the b-tree is walked once instead of at random."""
    import numpy as np

    rows: list[tuple[int, int, int]] = []
    for scope, ids in scope_ids.items():
        counts = np.bincount(np.frombuffer(ids, dtype=np.uint32))
        present = np.flatnonzero(counts)
        rows.extend(zip(present.tolist(), [scope] * len(present), counts[present].tolist(), strict=True))
    rows.sort()
    return rows


def _add_gematria(conn: sqlite3.Connection, new_forms: Sequence[tuple[int, str]]) -> None:
    """Value the new forms under every method already computed (standard always)."""
    from madrega.study.search.gematria_index import value_forms

    methods = {m: c for m, c in conn.execute("SELECT method, covered FROM gematria_methods")}
    methods.setdefault("standard", 0)
    for method, covered in methods.items():
        value_forms(conn, method, [(i, f) for i, f in new_forms if i > covered])


def _bump(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE search_state SET value = value + 1 WHERE key='generation'")


def generation(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM search_state WHERE key='generation'").fetchone()
    return int(row[0]) if row else 0


def index_versions(conn: sqlite3.Connection, version_ids: Iterable[int]) -> int:
    """Index the segments of these versions (call inside the import transaction)."""
    total = 0
    with db.transaction(conn):
        bulk = _bulk_index(conn)
        for vid in version_ids:
            if bulk is None:
                _unindex_where(conn, "version_id", vid)
                total += _index_rows(conn, _version_rows(conn, vid))
            else:  # a new version of a bulk import: nothing of it is indexed yet
                total += bulk.add(_version_rows(conn, vid, bulk.last_rowid))
        _bump(conn)
    return total


_VERSION_ROWS = (
    "SELECT s.id, v.id, NULL, w.id, w.category, v.lang, s.plain FROM segments s "
    "JOIN versions v ON v.id = s.version_id JOIN works w ON w.id = v.work_id "
)


def _version_rows(conn: sqlite3.Connection, vid: int, mark: int | None = None) -> list[_Row]:
    """The segments of a version. During a bulk import the segment indexes are dropped, so look
    above `mark`, the highest segment already indexed or handed to be, first (new rows always get
    the highest ids)."""
    indexed = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='index' AND name='segments_order'"
    ).fetchone()
    if indexed is None:
        if mark is None:
            mark = conn.execute("SELECT coalesce(max(id), 0) FROM search_rows WHERE id > 0").fetchone()[0]
        rows = conn.execute(_VERSION_ROWS + "WHERE s.id > ? AND s.version_id = ? ORDER BY s.id", (mark, vid))
        found = rows.fetchall()
        if found:
            return found
    return conn.execute(_VERSION_ROWS + "WHERE s.version_id = ? ORDER BY s.ord", (vid,)).fetchall()


def index_documents(conn: sqlite3.Connection, doc_ids: Iterable[int]) -> int:
    """Index the segments of these imported documents (the "Documents" category)."""
    total = 0
    with db.transaction(conn):
        for doc_id in doc_ids:
            _unindex_where(conn, "doc_id", doc_id)
            cur = conn.execute(
                "SELECT -id, NULL, doc_id, 0, ?, lang, plain FROM doc_segments WHERE doc_id = ? ORDER BY ord",
                (DOCUMENTS_CATEGORY, doc_id),
            )
            total += _index_rows(conn, cur)
        _bump(conn)
    return total


def _unindex_where(conn: sqlite3.Connection, column: str, value: int) -> int:
    _settle(conn)
    rows = conn.execute(f"SELECT id, scope, tokens FROM search_rows WHERE {column} = ?", (value,)).fetchall()
    if not rows:
        return 0
    counts: Counter[tuple[int, int]] = Counter()
    for _, scope, blob in rows:
        ids = array("I")
        ids.frombytes(blob or b"")
        if sys.byteorder != "little":
            ids.byteswap()
        for vocab_id in ids:
            counts[vocab_id, scope] += 1
    conn.executemany(
        "UPDATE search_vocab_counts SET count = count - ? WHERE vocab_id = ? AND scope = ?",
        ((c, v, s) for (v, s), c in counts.items()),
    )
    conn.execute("DELETE FROM search_vocab_counts WHERE count <= 0")
    conn.executemany("DELETE FROM search_fts WHERE rowid = ?", ((r[0],) for r in rows))
    conn.execute(f"DELETE FROM search_rows WHERE {column} = ?", (value,))
    return len(rows)


def unindex_versions(conn: sqlite3.Connection, version_ids: Iterable[int]) -> int:
    with db.transaction(conn):
        n = sum(_unindex_where(conn, "version_id", vid) for vid in version_ids)
        _bump(conn)
    return n


def unindex_documents(conn: sqlite3.Connection, doc_ids: Iterable[int]) -> int:
    with db.transaction(conn):
        n = sum(_unindex_where(conn, "doc_id", d) for d in doc_ids)
        _bump(conn)
    return n


def optimize(conn: sqlite3.Connection) -> None:
    """Merge the full-text index into one segment: a query then reads one b-tree per term instead of
    one per segment an import wrote (what `library init` does after the corpus import)."""
    _settle(conn)
    with db.transaction(conn):
        conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def rebuild(conn: sqlite3.Connection) -> int:
    """Drop the whole index and build it again from the library (e.g. after changing the key)."""
    from madrega import cachefile

    _settle(conn)
    cachefile.forget(conn, "gematria")  # its word ids are the vocabulary's, which starts again
    with db.transaction(conn):
        for table in (
            "search_rows",
            "search_vocab",
            "search_vocab_counts",
            "gematria_values",
            "gematria_methods",
        ):
            conn.execute(f"DELETE FROM {table}")
        # Dropping the FTS table is far cheaper than deleting its rows one by one.
        conn.execute("DROP TABLE search_fts")
        conn.execute(_CREATE_FTS)
        conn.execute(_HASHSIZE)
        versions = [r[0] for r in conn.execute("SELECT id FROM versions ORDER BY id")]
        docs = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
        if (os.cpu_count() or 1) > 1:
            bulk = _BulkIndex(conn, Vocab({}))  # the vocabulary starts again
            try:
                n = bulk.add(_all_version_rows(conn, versions))
                bulk.finish()
            finally:
                bulk.close()
        else:
            n = _index_rows(conn, _all_version_rows(conn, versions))
        n += index_documents(conn, docs)
        _bump(conn)
        conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    return n


def _all_version_rows(
    conn: sqlite3.Connection, versions: list[int]
) -> Iterator[tuple[int, int | None, int | None, int, str, str, str]]:
    """Every version's segments, version by version in reading order, as plain tuples."""
    for vid in versions:
        cur = conn.execute(_VERSION_ROWS + "WHERE s.version_id = ? ORDER BY s.ord", (vid,))
        cur.row_factory = None
        yield from cur
