"""Gematria lookup: which words and phrases of the library have a given value.

Single words come straight from precomputed tables (a form's value per method, its count per work),
so a lookup never reads the text. Phrases — runs of up to four consecutive words inside one segment —
are found over the per-segment arrays of word ids that indexing stores: the values are mapped and
prefix-summed once per (database state, method) in memory, then every run length is one vectorized
comparison. Phrase values are the sum of their words' values (true of every additive method).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from madrega import cachefile
from madrega.errors import MadregaError
from madrega.study.search.gematria_index import ensure_method
from madrega.study.search.index import generation
from madrega.study.search.query import resolve_category, resolve_in, resolve_work

__all__ = ["GematriaMatch", "GematriaResult", "build_runs", "gematria_lookup", "resolve_in"]
from madrega.text import gematria

MAX_WORDS = 4
REFS_PER_MATCH = 3


@dataclass
class GematriaMatch:
    text: str
    count: int
    refs: list[str]
    words: int = 1

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "count": self.count, "refs": self.refs, "words": self.words}


@dataclass
class GematriaResult:
    value: int
    method: str
    matches: list[GematriaMatch] = field(default_factory=list)
    total: int = 0  # matches in all; `matches` is one page of them
    limit: int | None = None
    offset: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "method": self.method,
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "matches": [m.to_json() for m in self.matches],
        }


def _scopes(conn: sqlite3.Connection, work: str | None, category: str | None) -> list[int] | None:
    """The scope ids (work ids; 0 = documents) a lookup counts in, or None for the whole library."""
    scopes: set[int] | None = None
    if work:
        clause, args = resolve_work(conn, work)
        scopes = {int(args[0])} if clause.startswith("r.scope") else {0}
    if category:
        cats = resolve_category(conn, category)
        ids = {
            r[0]
            for r in conn.execute(
                f"SELECT id FROM works WHERE category IN ({','.join('?' * len(cats))})", cats
            )
        }
        if "Documents" in cats:
            ids.add(0)
        scopes = ids if scopes is None else scopes & ids
    return sorted(scopes) if scopes is not None else None


PAGE_SIZE = 50  # matches per page by default (the web page, the CLI)


def gematria_lookup(
    conn: sqlite3.Connection,
    value: int,
    method: str = "standard",
    work: str | None = None,
    category: str | None = None,
    max_words: int = 1,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> GematriaResult:
    """Words (and runs of up to `max_words` words) in the library whose value is `value`: single words
    first, most frequent first, then phrases by length; `limit` and `offset` choose one page (`total`
    counts them all)."""
    if value <= 0:
        raise MadregaError(f"a gematria value is a positive number, not {value}")
    if value >= 2**63:
        raise MadregaError(f"no word has a value as large as {str(value)[:24]}…")
    if not 1 <= max_words <= MAX_WORDS:
        raise MadregaError(f"--words must be between 1 and {MAX_WORDS}, not {max_words}")
    if (limit is not None and limit < 0) or offset < 0:
        raise MadregaError("limit and offset must be zero or more")
    chosen = gematria.get_method(method)
    method = chosen.name
    if max_words > 1 and not chosen.additive:
        raise MadregaError(
            f"the {method} method does not give a phrase the sum of its words: look up single words (--words 1)",
            suggestions=[m.name for m in gematria.METHODS.values() if m.additive][:6],
        )
    ensure_method(conn, method)
    scopes = _scopes(conn, work, category)
    result = GematriaResult(value=value, method=method, limit=limit, offset=offset)
    if scopes is not None and not scopes:
        return result
    words = _single_words(conn, value, method, scopes)
    groups: list[_Phrases] = []
    if max_words > 1 and value <= np.iinfo(np.int64).max // 2:
        groups = [
            g for n in range(2, max_words + 1) if (g := _phrases(conn, value, method, scopes, n)) is not None
        ]
    result.total = len(words) + sum(len(g.counts) for g in groups)
    end = result.total if limit is None else offset + limit
    result.matches = [_word_match(conn, form, key, count, scopes) for form, key, count in words[offset:end]]
    page: list[tuple[_Phrases, int]] = []  # (group, index in it) of the page's phrases
    at = len(words)
    for group in groups:
        lo, hi = max(offset - at, 0), min(end - at, len(group.counts))
        page.extend((group, i) for i in range(lo, hi))
        at += len(group.counts)
    if page:
        forms = _forms(conn, {int(w) for group, i in page for w in group.words[i]})
        rows = [group.rows(i) for group, i in page]
        refs = iter(refs_of(conn, [r for rs in rows for r in rs]))
        for (group, i), phrase_rows in zip(page, rows, strict=True):
            text = " ".join(forms.get(int(w), "") for w in group.words[i])
            result.matches.append(
                GematriaMatch(text, int(group.counts[i]), [next(refs) for _ in phrase_rows], group.n)
            )
    return result


def _scope_sql(scopes: list[int] | None, column: str) -> str:
    return "" if scopes is None else f" AND {column} IN ({','.join(map(str, scopes))})"


def _single_words(
    conn: sqlite3.Connection, value: int, method: str, scopes: list[int] | None
) -> list[tuple[str, str, int]]:
    """(form, key, count) of every word with the value, most frequent first."""
    rows = conn.execute(
        "SELECT v.form, v.key, sum(c.count) AS n FROM gematria_values g "
        "JOIN search_vocab v ON v.id = g.vocab_id "
        f"JOIN search_vocab_counts c ON c.vocab_id = g.vocab_id{_scope_sql(scopes, 'c.scope')} "
        "WHERE g.method = ? AND g.value = ? GROUP BY v.id HAVING n > 0 ORDER BY n DESC, v.form",
        (method, value),
    ).fetchall()
    return [(str(form), str(key), int(count)) for form, key, count in rows]


def _word_match(
    conn: sqlite3.Connection, form: str, key: str, count: int, scopes: list[int] | None
) -> GematriaMatch:
    scope_sql = _scope_sql(scopes, "r.scope")
    join = " JOIN search_rows r ON r.id = search_fts.rowid" if scopes is not None else ""
    rowids = [
        r[0]
        for r in conn.execute(
            f"SELECT search_fts.rowid FROM search_fts{join} WHERE search_fts MATCH ?{scope_sql} "
            "ORDER BY search_fts.rowid LIMIT ?",
            (f'he : "{key}"', REFS_PER_MATCH),
        )
    ]
    return GematriaMatch(form, count, refs_of(conn, rowids))


def _forms(conn: sqlite3.Connection, ids: set[int]) -> dict[int, str]:
    """The vocabulary forms of these ids."""
    listed = sorted(ids)
    found: dict[int, str] = {}
    for i in range(0, len(listed), 900):
        chunk = listed[i : i + 900]
        cur = conn.execute(
            f"SELECT id, form FROM search_vocab WHERE id IN ({','.join('?' * len(chunk))})", chunk
        )
        cur.row_factory = None
        found.update(cur)
    return found


def refs_of(conn: sqlite3.Connection, rowids: list[int]) -> list[str]:
    """The ref of each indexed row (segment ids, or negated document-segment ids)."""
    positive = sorted({r for r in rowids if r > 0})
    known: dict[int, str] = {}
    for i in range(0, len(positive), 900):
        chunk = positive[i : i + 900]
        known.update(
            conn.execute(f"SELECT id, ref FROM segments WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        )
    refs = []
    for rowid in rowids:
        if rowid in known:
            refs.append(known[rowid])
            continue
        if rowid > 0:
            row = conn.execute("SELECT ref FROM segments WHERE id = ?", (rowid,)).fetchone()
            refs.append(row[0] if row else "")
        else:
            row = conn.execute(
                "SELECT d.ref, doc.title, d.ord FROM doc_segments d JOIN documents doc ON doc.id = d.doc_id "
                "WHERE d.id = ?",
                (-rowid,),
            ).fetchone()
            refs.append((row[0] or f"{row[1]} {row[2]}") if row else "")
    return refs


# ---------------------------------------------------------------------------- phrases

RUNS_NAME = "gematria"
RUNS_FORMAT = "1-" + cachefile.code_digest("madrega.study.search.lookup", "madrega.study.search.index")


@dataclass
class _Runs:
    """Words of indexed rows as one array of vocabulary ids, with each word's row and the rows' scopes,
    and per (method, n) every run of n words inside one row, grouped by value."""

    ids: npt.NDArray[np.uint32]
    row_of_word: npt.NDArray[np.uint32]  # index into row_ids / row_scopes
    row_ids: npt.NDArray[np.int64]
    row_scopes: npt.NDArray[np.int64]
    # (method, n) → (offsets by value: runs of value v are starts[offsets[v]:offsets[v + 1]], starts)
    windows: dict[tuple[str, int], tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32]]] = field(
        default_factory=dict
    )

    def runs_of(self, conn: sqlite3.Connection, method: str, n: int, value: int) -> npt.NDArray[np.uint32]:
        """Starts (in corpus order) of every run of n words worth `value`."""
        found = self.windows.get((method, n))
        if found is None:
            if len(self.ids) < n:
                return np.zeros(0, dtype=np.uint32)
            found = self.windows[(method, n)] = _windows(self, _word_values(conn, method), n)
        offsets, starts = found
        if not 0 <= value < len(offsets) - 1:
            return starts[:0]
        return starts[int(offsets[value]) : int(offsets[value + 1])]


_VALUES: dict[tuple[str, int, str], npt.NDArray[np.int64]] = {}


def _word_values(conn: sqlite3.Connection, method: str) -> npt.NDArray[np.int64]:
    """Each vocabulary id's value under a method (read once per state of the search index)."""
    key = (_db_key(conn), generation(conn), method)
    found = _VALUES.get(key)
    if found is None:
        if len(_VALUES) > 4:
            _VALUES.clear()
        found = _VALUES[key] = _read_values(conn, method)
    return found


def _read_values(conn: sqlite3.Connection, method: str) -> npt.NDArray[np.int64]:
    top = conn.execute("SELECT coalesce(max(id), 0) FROM search_vocab").fetchone()[0]
    values = np.zeros(top + 1, dtype=np.int64)
    cur = conn.execute("SELECT vocab_id, value FROM gematria_values WHERE method = ?", (method,))
    cur.row_factory = None
    rows = np.array(cur.fetchall(), dtype=np.int64).reshape(-1, 2)
    rows = rows[rows[:, 0] <= top]
    values[rows[:, 0]] = rows[:, 1]
    return values


def _windows(
    runs: _Runs, values: npt.NDArray[np.int64], n: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
    """Every run of n words inside one row, grouped by value (corpus order within a value): a lookup
    is then one slice instead of a pass over the whole library."""
    total = len(runs.ids)
    if total < n:
        return np.zeros(2, dtype=np.int64), np.zeros(0, dtype=np.uint32)
    word_values = values[runs.ids] if len(values) else np.zeros(total, dtype=np.int64)
    sums = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(word_values)])
    starts = np.flatnonzero(runs.row_of_word[: total - n + 1] == runs.row_of_word[n - 1 :])
    run_values = sums[starts + n] - sums[starts]
    top = int(run_values.max()) if len(run_values) else 0
    # values fit in 16 bits for every method but the largest: numpy sorts those by radix, stable, in
    # linear time (the whole library's runs: 5x faster than a merge sort of int64)
    keys = run_values.astype(np.uint16) if 0 <= top < 1 << 16 else run_values
    order = np.argsort(keys, kind="stable")
    offsets = np.zeros(top + 2, dtype=np.int64)
    np.cumsum(np.bincount(run_values, minlength=top + 1), out=offsets[1:])
    return offsets, starts[order].astype(np.uint32)


def _rows_runs(conn: sqlite3.Connection, where: str) -> _Runs:
    cur = conn.execute(f"SELECT id, scope, tokens FROM search_rows WHERE {where} ORDER BY id")
    cur.row_factory = None
    blobs, row_ids, scopes = [], [], []
    for rowid, scope, blob in cur:
        blobs.append(blob or b"")
        row_ids.append(rowid)
        scopes.append(scope)
    lengths = np.fromiter((len(b) // 4 for b in blobs), dtype=np.int64, count=len(blobs))
    return _Runs(
        ids=np.frombuffer(b"".join(blobs), dtype="<u4").astype(np.uint32),
        row_of_word=np.repeat(np.arange(len(blobs), dtype=np.uint32), lengths),
        row_ids=np.array(row_ids, dtype=np.int64),
        row_scopes=np.array(scopes, dtype=np.int64),
    )


def build_runs(conn: sqlite3.Connection, methods: tuple[str, ...] = ("standard",)) -> _Runs:
    """The library's runs (its works' rows; documents are read as they are asked for) with the windows
    of `methods`, kept beside the database (what `library init` does for the standard method)."""
    from madrega import cachefile
    from madrega.study import library

    generation = library.generation(conn)
    runs = _rows_runs(conn, "id > 0")
    arrays: dict[str, Any] = {
        "ids": runs.ids,
        "row_of_word": runs.row_of_word,
        "row_ids": runs.row_ids,
        "row_scopes": runs.row_scopes,
    }
    for method in methods:
        values = _word_values(conn, method)
        for n in range(2, MAX_WORDS + 1):
            offsets, starts = runs.windows[(method, n)] = _windows(runs, values, n)
            arrays[f"{method}.{n}.offsets"] = offsets
            arrays[f"{method}.{n}.starts"] = starts
    stored = cachefile.store(
        conn,
        RUNS_NAME,
        kind=RUNS_NAME,
        fmt=RUNS_FORMAT,
        meta={"methods": list(methods)},
        arrays=arrays,
        generation=generation,
    )
    if stored is not None:
        runs = _runs_from_file(stored)
    _MEMORY.clear()
    _MEMORY[_db_key(conn)] = (generation, runs)
    return runs


def _runs_from_file(found: Any) -> _Runs:
    runs = _Runs(
        ids=found.array("ids"),
        row_of_word=found.array("row_of_word"),
        row_ids=found.array("row_ids"),
        row_scopes=found.array("row_scopes"),
    )
    for method in found.meta.get("methods", []):
        for n in range(2, MAX_WORDS + 1):
            runs.windows[(method, n)] = (
                found.array(f"{method}.{n}.offsets"),
                found.array(f"{method}.{n}.starts"),
            )
    return runs


_MEMORY: dict[str, tuple[int, _Runs]] = {}  # db → (library generation, the works' runs)
_DOCUMENTS: dict[tuple[str, int], _Runs] = {}  # (db, search generation) → the documents' runs


def _db_key(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) or f"memory:{id(conn)}"


def _library_runs(conn: sqlite3.Connection) -> _Runs:
    from madrega import cachefile
    from madrega.study import library

    key = _db_key(conn)
    generation = library.generation(conn)
    known = _MEMORY.get(key)
    if known is not None and known[0] == generation and not key.startswith("memory:"):
        return known[1]
    opened = cachefile.load(conn, RUNS_NAME, kind=RUNS_NAME, fmt=RUNS_FORMAT)
    if opened is not None:
        runs = _runs_from_file(opened)
        _MEMORY.clear()
        _MEMORY[key] = (generation, runs)
        return runs
    if key.startswith("memory:"):
        runs = _rows_runs(conn, "id > 0")
        _MEMORY.clear()
        _MEMORY[key] = (generation, runs)
        return runs
    return build_runs(conn)


def _document_runs(conn: sqlite3.Connection) -> _Runs:
    key = (_db_key(conn), generation(conn))
    found = _DOCUMENTS.get(key)
    if found is None:
        _DOCUMENTS.clear()
        found = _DOCUMENTS[key] = _rows_runs(conn, "id < 0")
    return found


@dataclass
class _Phrases:
    """The phrases of n words worth a value: their word ids, counts and where their hits are, in the
    order they are listed (most frequent first, then by first place in the library)."""

    n: int
    words: npt.NDArray[np.int64]  # (k, n), in listing order
    counts: npt.NDArray[np.int64]
    hit_rows: npt.NDArray[np.int64]  # every hit's row id, grouped by phrase (listing order), in corpus order
    group_start: npt.NDArray[
        np.int64
    ]  # phrase i's hits are hit_rows[group_start[i]:group_start[i] + counts[i]]

    def rows(self, i: int) -> list[int]:
        """The first rows phrase i stands in (up to REFS_PER_MATCH)."""
        first = int(self.group_start[i])
        seen = self.hit_rows[first : first + min(int(self.counts[i]), 20)].tolist()
        return list(dict.fromkeys(seen))[:REFS_PER_MATCH]


def _phrases(
    conn: sqlite3.Connection, value: int, method: str, scopes: list[int] | None, n: int
) -> _Phrases | None:
    """Every phrase of n words worth `value`, grouped by its words (documents first: their rows come
    first in the library's order, as their ids are negative)."""
    words_parts, rows_parts = [], []
    for runs in (_document_runs(conn), _library_runs(conn)):
        starts = runs.runs_of(conn, method, n, value)
        if not len(starts):
            continue
        starts = starts.astype(np.int64)
        if scopes is not None:
            rows_in_scope = np.isin(runs.row_scopes, np.array(scopes, dtype=np.int64))
            starts = starts[rows_in_scope[runs.row_of_word[starts]]]
            if not len(starts):
                continue
        words_parts.append(np.stack([runs.ids[starts + k] for k in range(n)], axis=1).astype(np.int64))
        rows_parts.append(runs.row_ids[runs.row_of_word[starts]])
    if not words_parts:
        return None
    words = np.concatenate(words_parts)
    hit_rows = np.concatenate(rows_parts)
    phrases, first_hit, inverse, counts = np.unique(
        words, axis=0, return_index=True, return_inverse=True, return_counts=True
    )
    listing = np.lexsort((first_hit, -counts))  # most frequent first, then by first place
    rank = np.empty_like(listing)
    rank[listing] = np.arange(len(listing))
    by_phrase = np.argsort(rank[inverse.reshape(-1)], kind="stable")  # hits grouped, in corpus order
    counts = counts[listing]
    group_start = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)[:-1]])
    return _Phrases(n, phrases[listing], counts, hit_rows[by_phrase], group_start)
