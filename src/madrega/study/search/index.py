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

import re
import sqlite3
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from madrega import db
from madrega.study.search.text import HEBREW_WORD, bare, derive_keys

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


class _Vocab:
    """The form → id map, extended as new forms appear, and each word token's (key, plene key, id)
    (cached per connection: a corpus import indexes hundreds of versions in one transaction and must
    neither reload the map nor derive a word's keys again for each)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        cur = conn.execute("SELECT id, form FROM search_vocab")
        cur.row_factory = None
        self.ids: dict[str, int] = {form: i for i, form in cur}
        self.next_id = max(self.ids.values(), default=0) + 1
        self.new: list[tuple[int, str, str]] = []
        # each word token's key, plene key and vocab id (0: no letters to value), derived once
        self.keys: dict[str, str] = {}
        self.plene: dict[str, str] = {}
        self.word_ids: dict[str, int] = {}
        self.bare: dict[str, tuple[str, str, int]] = {}  # the same, by bare form

    def id_of(self, form: str, key: str) -> int:
        found = self.ids.get(form)
        if found is None:
            found = self.ids[form] = self.next_id
            self.next_id += 1
            self.new.append((found, form, key))
        return found

    def learn(self, words: list[str]) -> None:
        """Derive what is not known yet of these words, in order (vocab ids follow first sight)."""
        # The words not seen before are found by set difference in C: a row holds a few new words
        # among many known ones, and walking every word in Python cost more than deriving the new ones.
        unknown = set(words).difference(self.keys)
        if not unknown:
            return
        if len(unknown) <= 4:
            ordered = sorted(unknown, key=words.index)
        else:
            ordered = [w for w in dict.fromkeys(words) if w in unknown]
        for word in ordered:
            plain = bare(word)
            found = self.bare.get(plain)
            if found is None:
                key, plene_key, form = derive_keys(plain)
                found = self.bare[plain] = (key, plene_key, self.id_of(form, key) if form else 0)
            self.keys[word], self.plene[word], self.word_ids[word] = found


_VOCAB_CACHE: dict[int, tuple[sqlite3.Connection, _Vocab]] = {}


def _vocab(conn: sqlite3.Connection) -> _Vocab:
    cached = _VOCAB_CACHE.get(id(conn))
    top = conn.execute("SELECT coalesce(max(id), 0) FROM search_vocab").fetchone()[0]
    if cached is not None and cached[0] is conn:
        vocab = cached[1]
        if vocab.next_id == top + 1:
            vocab.new = []
            return vocab
    vocab = _Vocab(conn)
    _VOCAB_CACHE.clear()
    _VOCAB_CACHE[id(conn)] = (conn, vocab)
    return vocab


_LATIN = re.compile("[A-Za-z]")
_BATCH_ROWS = 50_000


def _index_rows(
    conn: sqlite3.Connection, rows: Iterable[tuple[int, int | None, int | None, int, str, str, str]]
) -> int:
    """rows: (rowid, version_id, doc_id, scope, category, lang, plain). Returns how many were indexed."""
    vocab = _vocab(conn)
    scope_ids: dict[int, array[int]] = {}  # every word id a scope's rows hold, counted at the end
    fts_batch: list[tuple[int, str, str, str]] = []
    row_batch: list[tuple[int, int | None, int | None, int, str, str, bytes]] = []
    key_of, plene_of, id_of = vocab.keys.__getitem__, vocab.plene.__getitem__, vocab.word_ids.__getitem__
    findall = HEBREW_WORD.findall
    latin = _LATIN.search
    swap = sys.byteorder != "little"
    n = 0
    for rowid, version_id, doc_id, scope, category, lang, plain in rows:
        # C-level maps over the row's words; Python only for words never seen before
        words = findall(plain)
        try:
            keys = list(map(key_of, words))
        except KeyError:
            vocab.learn(words)
            keys = list(map(key_of, words))
        plene = list(map(plene_of, words))
        if "" in keys:
            plene = [p for k, p in zip(keys, plene, strict=True) if k]
            keys = [k for k in keys if k]
        ids = array("I", map(id_of, words))
        if 0 in ids:
            ids = array("I", [i for i in ids if i])
        if ids:
            held = scope_ids.get(scope)
            if held is None:
                held = scope_ids[scope] = array("I")
            held.extend(ids)
            if swap:
                ids.byteswap()
        en = plain if lang != "he" or latin(plain) else ""
        fts_batch.append((rowid, " ".join(keys), " ".join(plene), en))
        row_batch.append((rowid, version_id, doc_id, scope, category, lang, ids.tobytes()))
        n += 1
        if len(fts_batch) >= _BATCH_ROWS:
            _flush(conn, fts_batch, row_batch)
    _flush(conn, fts_batch, row_batch)
    conn.executemany(_ADD_VOCAB, vocab.new)
    conn.executemany(
        "INSERT INTO search_vocab_counts(vocab_id, scope, count) VALUES (?, ?, ?) "
        "ON CONFLICT(vocab_id, scope) DO UPDATE SET count = count + excluded.count",
        _scope_counts(scope_ids),
    )
    _add_gematria(conn, [(i, form) for i, form, _ in vocab.new])
    vocab.new = []
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


def _flush(
    conn: sqlite3.Connection,
    fts_batch: list[tuple[int, str, str, str]],
    row_batch: list[tuple[int, int | None, int | None, int, str, str, bytes]],
) -> None:
    conn.executemany("INSERT INTO search_fts(rowid, he, hp, en) VALUES (?, ?, ?, ?)", fts_batch)
    conn.executemany(
        "INSERT INTO search_rows(id, version_id, doc_id, scope, category, lang, tokens) VALUES (?,?,?,?,?,?,?)",
        row_batch,
    )
    fts_batch.clear()
    row_batch.clear()


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
        for vid in version_ids:
            _unindex_where(conn, "version_id", vid)
            total += _index_rows(conn, _version_rows(conn, vid))
        _bump(conn)
    return total


_VERSION_ROWS = (
    "SELECT s.id, v.id, NULL, w.id, w.category, v.lang, s.plain FROM segments s "
    "JOIN versions v ON v.id = s.version_id JOIN works w ON w.id = v.work_id "
)


def _version_rows(
    conn: sqlite3.Connection, vid: int
) -> list[tuple[int, int | None, int | None, int, str, str, str]]:
    """The segments of a version. During a bulk import the segment indexes are dropped, so look
    above the highest segment already indexed first (new rows always get the highest ids)."""
    indexed = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='index' AND name='segments_order'"
    ).fetchone()
    if indexed is None:
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
    with db.transaction(conn):
        conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def rebuild(conn: sqlite3.Connection) -> int:
    """Drop the whole index and build it again from the library (e.g. after changing the key)."""
    from madrega import cachefile

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
        n = _index_rows(conn, _all_version_rows(conn, versions)) + index_documents(conn, docs)
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
