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

from madrega.errors import MadregaError, NotFound
from madrega.study.search.gematria_index import ensure_method
from madrega.study.search.index import generation
from madrega.study.search.query import resolve_category, resolve_work
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

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "method": self.method, "matches": [m.to_json() for m in self.matches]}


def resolve_in(conn: sqlite3.Connection, name: str) -> tuple[str | None, str | None]:
    """`--in` takes a work title or a category: (work, category) for the lookup."""
    try:
        resolve_work(conn, name)
        return name, None
    except NotFound as not_work:
        try:
            resolve_category(conn, name)
        except MadregaError:
            cats = [r[0] for r in conn.execute("SELECT DISTINCT category FROM works")]
            raise NotFound(
                f"no work or category named {name!r} in the library",
                suggestions=not_work.suggestions + cats,
            ) from None
        return None, name


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


def gematria_lookup(
    conn: sqlite3.Connection,
    value: int,
    method: str = "standard",
    work: str | None = None,
    category: str | None = None,
    max_words: int = 1,
) -> GematriaResult:
    """Words (and runs of up to `max_words` words) in the library whose value is `value`."""
    if value <= 0:
        raise MadregaError(f"a gematria value is a positive number, not {value}")
    if value >= 2**63:
        raise MadregaError(f"no word has a value as large as {str(value)[:24]}…")
    if not 1 <= max_words <= MAX_WORDS:
        raise MadregaError(f"--words must be between 1 and {MAX_WORDS}, not {max_words}")
    chosen = gematria.get_method(method)
    method = chosen.name
    if max_words > 1 and not chosen.additive:
        raise MadregaError(
            f"the {method} method does not give a phrase the sum of its words: look up single words (--words 1)",
            suggestions=[m.name for m in gematria.METHODS.values() if m.additive][:6],
        )
    ensure_method(conn, method)
    scopes = _scopes(conn, work, category)
    result = GematriaResult(value=value, method=method)
    if scopes is not None and not scopes:
        return result
    result.matches = _single_words(conn, value, method, scopes)
    if max_words > 1:
        result.matches += _phrases(conn, value, method, scopes, max_words)
    return result


def _scope_sql(scopes: list[int] | None, column: str) -> str:
    return "" if scopes is None else f" AND {column} IN ({','.join(map(str, scopes))})"


def _single_words(
    conn: sqlite3.Connection, value: int, method: str, scopes: list[int] | None
) -> list[GematriaMatch]:
    rows = conn.execute(
        "SELECT v.form, v.key, sum(c.count) AS n FROM gematria_values g "
        "JOIN search_vocab v ON v.id = g.vocab_id "
        f"JOIN search_vocab_counts c ON c.vocab_id = g.vocab_id{_scope_sql(scopes, 'c.scope')} "
        "WHERE g.method = ? AND g.value = ? GROUP BY v.id HAVING n > 0 ORDER BY n DESC, v.form",
        (method, value),
    ).fetchall()
    matches = []
    scope_sql = _scope_sql(scopes, "r.scope")
    join = " JOIN search_rows r ON r.id = search_fts.rowid" if scopes is not None else ""
    for form, key, count in rows:
        rowids = [
            r[0]
            for r in conn.execute(
                f"SELECT search_fts.rowid FROM search_fts{join} WHERE search_fts MATCH ?{scope_sql} "
                "ORDER BY search_fts.rowid LIMIT ?",
                (f'he : "{key}"', REFS_PER_MATCH),
            )
        ]
        matches.append(GematriaMatch(form, int(count), refs_of(conn, rowids)))
    return matches


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


@dataclass
class _Runs:
    """The whole library as one array of word ids, with each word's row and the rows' scopes."""

    ids: npt.NDArray[np.uint32]
    row_of_word: npt.NDArray[np.int64]
    row_ids: npt.NDArray[np.int64]
    row_scopes: npt.NDArray[np.int64]
    forms: list[str]
    sums: dict[str, npt.NDArray[np.int64]] = field(default_factory=dict)
    # (method, n) → the values of every run of n words inside one row, sorted, and where each starts
    windows: dict[tuple[str, int], tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]] = field(
        default_factory=dict
    )


_CACHE: dict[tuple[str, int], _Runs] = {}


def _db_key(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) or f"memory:{id(conn)}"


def _runs(conn: sqlite3.Connection) -> _Runs:
    key = (_db_key(conn), generation(conn))
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    blobs, row_ids, scopes = [], [], []
    for rowid, scope, blob in conn.execute("SELECT id, scope, tokens FROM search_rows ORDER BY id"):
        blobs.append(blob or b"")
        row_ids.append(rowid)
        scopes.append(scope)
    lengths = np.fromiter((len(b) // 4 for b in blobs), dtype=np.int64, count=len(blobs))
    ids = np.frombuffer(b"".join(blobs), dtype="<u4").astype(np.uint32)
    top = conn.execute("SELECT coalesce(max(id), 0) FROM search_vocab").fetchone()[0]
    forms = [""] * (top + 1)
    for i, form in conn.execute("SELECT id, form FROM search_vocab"):
        forms[i] = form
    runs = _Runs(
        ids=ids,
        row_of_word=np.repeat(np.arange(len(blobs), dtype=np.int64), lengths),
        row_ids=np.array(row_ids, dtype=np.int64),
        row_scopes=np.array(scopes, dtype=np.int64),
        forms=forms,
    )
    _CACHE.clear()
    _CACHE[key] = runs
    return runs


def _prefix_sums(conn: sqlite3.Connection, runs: _Runs, method: str) -> npt.NDArray[np.int64]:
    found = runs.sums.get(method)
    if found is None:
        values = np.zeros(len(runs.forms), dtype=np.int64)
        for vocab_id, v in conn.execute(
            "SELECT vocab_id, value FROM gematria_values WHERE method = ?", (method,)
        ):
            if vocab_id < len(values):
                values[vocab_id] = v
        found = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(values[runs.ids])])
        runs.sums[method] = found
    return found


def _windows(
    conn: sqlite3.Connection, runs: _Runs, method: str, n: int
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Every run of n words that stays in one row, sorted by value (corpus order within a value):
    a lookup is then two binary searches instead of a pass over the whole library."""
    found = runs.windows.get((method, n))
    if found is None:
        sums = _prefix_sums(conn, runs, method)
        total = len(runs.ids)
        starts = np.flatnonzero(runs.row_of_word[: total - n + 1] == runs.row_of_word[n - 1 :])
        values = sums[starts + n] - sums[starts]
        order = np.argsort(values, kind="stable")
        # 32-bit halves the memory: a run of four words is worth far less than 2**31, and so are positions
        found = runs.windows[(method, n)] = (values[order].astype(np.int32), starts[order].astype(np.int32))
    return found


def _phrases(
    conn: sqlite3.Connection, value: int, method: str, scopes: list[int] | None, max_words: int
) -> list[GematriaMatch]:
    runs = _runs(conn)
    total = len(runs.ids)
    rows_in_scope = None
    if scopes is not None:
        rows_in_scope = np.isin(runs.row_scopes, np.array(scopes, dtype=np.int64))
    matches: list[GematriaMatch] = []
    pending: list[tuple[GematriaMatch, list[int]]] = []
    for n in range(2, max_words + 1):
        if total < n:
            break
        values, sorted_starts = _windows(conn, runs, method, n)
        if not np.iinfo(np.int32).min <= value <= np.iinfo(np.int32).max:
            continue
        key = np.int32(value)  # searching with the array's own type: no converted copy of it
        lo, hi = np.searchsorted(values, key, side="left"), np.searchsorted(values, key, side="right")
        starts = sorted_starts[lo:hi]
        if rows_in_scope is not None:
            starts = starts[rows_in_scope[runs.row_of_word[starts]]]
        if not len(starts):
            continue
        words = np.stack([runs.ids[starts + k] for k in range(n)], axis=1)
        phrases, inverse, counts = np.unique(words, axis=0, return_inverse=True, return_counts=True)
        order = np.argsort(inverse.reshape(-1), kind="stable")  # hits grouped by phrase, in corpus order
        group_start = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)[:-1]]).tolist()
        hit_rows = runs.row_ids[runs.row_of_word[starts[order]]].tolist()  # each hit's row, grouped
        forms = runs.forms
        for p, (phrase, count) in enumerate(zip(phrases.tolist(), counts.tolist(), strict=True)):
            first = group_start[p]
            rows = list(dict.fromkeys(hit_rows[first : first + min(count, 20)]))
            text = " ".join(forms[i] for i in phrase)
            pending.append((GematriaMatch(text, count, [], n), rows[:REFS_PER_MATCH]))
    refs = iter(refs_of(conn, [r for _, rows in pending for r in rows]))
    for match, rows in pending:
        match.refs = [next(refs) for _ in rows]
        matches.append(match)
    merged: dict[str, GematriaMatch] = {}
    for m in sorted(matches, key=lambda m: (m.words, -m.count, m.text)):
        if m.text in merged:  # two id sequences can spell one text only across final-letter variants
            merged[m.text].count += m.count
        else:
            merged[m.text] = m
    return list(merged.values())
