"""BM25 as FTS5's `bm25()` computes it, for a query of several terms with few matches, scored here.

Why: `bm25()` first counts, for every phrase of the query, the rows of the whole index that hold it
(its IDF), by walking the phrase's whole document list — once per phrase and per query, repeated
phrases included. A Hebrew query expands each word into its prefixed variants, so a query with a common
word (כל, לא, רבי, אמר) walks the lists of כל, וכל, בכל, שכל… even when three rows match: 10-20 ms
of a query that finds nine rows. Here those counts are kept per library generation (a server's later
queries reuse them; each distinct phrase is counted once), and the few matched rows are scored from
their indexed keys, with the row lengths FTS5 stored — the same formula, the same numbers.

Only Hebrew-key columns are scored here (their tokens are the keys as stored, split on spaces); a
query with English words, whose tokens FTS5's porter stemmer makes, is left to `bm25()`.

The formula (SQLite's fts5_aux.c): IDF = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6; per phrase
IDF * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl)), k1 = 1.2, b = 0.75, summed over the query's
phrases in order and negated; N the index's rows, n the rows holding the phrase in its column, f its
occurrences in the row's column, D the row's tokens in every column, avgdl the mean of D.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from madrega.study.search.text import PhraseFinder

K1 = 1.2
B = 0.75
COLUMNS = ("he", "hp", "en")

#: A phrase of the query: its column and its words (keys), in the order FTS5 numbers them.
Phrase = tuple[str, tuple[str, ...]]


def _varints(blob: bytes) -> list[int]:
    """SQLite's varints (big-endian groups of 7 bits, the ninth byte whole), as FTS5 stores sizes."""
    out: list[int] = []
    i, n = 0, len(blob)
    while i < n:
        value = 0
        for k in range(9):
            byte = blob[i]
            i += 1
            if k == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        out.append(value)
    return out


@dataclass
class _Stats:
    """An index's row count, mean row length and the rows holding each phrase counted so far."""

    rows: int
    avgdl: float
    hits: dict[Phrase, int] = field(default_factory=dict)


_MAX_PHRASES = 100_000  # counts kept per library before starting again (a few MB)


_STATS: dict[tuple[tuple[str, int], bytes], _Stats] = {}


def _stats(conn: sqlite3.Connection, library: tuple[str, int]) -> _Stats:
    # FTS5's "averages" record (row 1 of its data table): the row count, then each column's tokens. It
    # is part of the key too: a file replaced by another at the same generation starts afresh.
    row = conn.execute("SELECT block FROM search_fts_data WHERE id = 1").fetchone()
    averages = bytes(row[0]) if row and row[0] else b""
    key = (library, averages)
    found = _STATS.get(key)
    if found is None:
        values = _varints(averages) or [0]
        rows, tokens = values[0], sum(values[1:])
        found = _Stats(rows, tokens / rows if rows else 0.0)
        if len(_STATS) > 16:
            _STATS.clear()
        _STATS[key] = found
    return found


def _rows_holding(conn: sqlite3.Connection, stats: _Stats, phrases: Sequence[Phrase]) -> list[int]:
    hits = stats.hits
    missing = [p for p in dict.fromkeys(phrases) if p not in hits]
    if len(hits) + len(missing) > _MAX_PHRASES:
        hits.clear()
        missing = list(dict.fromkeys(phrases))
    for column, words in missing:
        match = f'{column} : "{" ".join(words)}"'
        hits[column, words] = conn.execute(
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (match,)
        ).fetchone()[0]
    return [hits[p] for p in phrases]


def scores(
    conn: sqlite3.Connection,
    library: tuple[str, int],
    phrases: Sequence[Phrase],
    rows: Sequence[Row],
    near: Sequence[Phrase] = (),
) -> tuple[dict[int, float], set[int]]:
    """rowid → FTS5's bm25() for these rows (`read_rows`: every column the phrases name), and the rows
    holding one of the `near` phrases. `library` names the library and
    its generation (the counts kept are its own)."""
    stats = _stats(conn, library)
    n_rows = stats.rows
    idf = []
    for n_hit in _rows_holding(conn, stats, phrases):
        value = math.log((n_rows - n_hit + 0.5) / (n_hit + 0.5))
        idf.append(value if value > 0.0 else 1e-6)
    avgdl = stats.avgdl
    # a word's phrases of one word (their positions in the query); the phrases of several words
    singles: dict[tuple[str, str], list[int]] = {}
    longer: list[tuple[int, str, tuple[str, ...]]] = []
    for i, (column, words) in enumerate(phrases):
        if len(words) == 1:
            singles.setdefault((column, words[0]), []).append(i)
        else:
            longer.append((i, column, words))
    columns = list(dict.fromkeys(c for c, _ in (*phrases, *near)))
    asked = {
        c: frozenset(w for column, words in (*phrases, *near) if column == c for w in words) for c in columns
    }
    # a phrase of several words stands in a column where " a b " is in " keys " (found in C)
    needles = {i: " " + " ".join(words) + " " for i, _, words in longer}
    near_finders = {
        c: PhraseFinder.of([w for column, w in near if column == c])
        for c in dict.fromkeys(c for c, _ in near)
    }
    out: dict[int, float] = {}
    holding: set[int] = set()
    for rowid, texts, length in rows:
        # the row's tokens in each column (its keys as stored, split on spaces), the query's counted
        found: dict[str, tuple[str, Counter[str]]] = {}
        for c in columns:
            tokens = (texts.get(c) or "").split()
            found[c] = (" " + " ".join(tokens) + " ", Counter(filter(asked[c].__contains__, tokens)))
        freqs: dict[int, int] = {}
        for c, (_, counts) in found.items():
            for word, n in counts.items():
                for i in singles.get((c, word), ()):
                    freqs[i] = n
        for i, column, words in longer:
            text, counts = found[column]
            if all(counts.get(w) for w in words):
                n = _occurrences(text, needles[i])
                if n:
                    freqs[i] = n
        norm = K1 * (1 - B + B * length / avgdl) if avgdl else K1 * (1 - B)
        score = 0.0
        # in the query's order; a phrase the row does not hold adds 0.0, so leaving it out changes no bit
        for i in sorted(freqs):
            f = float(freqs[i])
            score += idf[i] * ((f * (K1 + 1.0)) / (f + norm))
        out[rowid] = -1.0 * score
        if any(finder.holds(found[c][0]) for c, finder in near_finders.items()):
            holding.add(rowid)
    return out, holding


def _occurrences(text: str, needle: str) -> int:
    """How many times `needle` (" a b ") starts in `text` (" keys ", single spaces): overlapping
    occurrences each count, as FTS5 counts a phrase's positions."""
    found = 0
    i = text.find(needle)
    while i >= 0:
        found += 1
        i = text.find(needle, i + 1)
    return found


#: A matched row: its id, its indexed text by column, its tokens in every column (FTS5's row length).
Row = tuple[int, dict[str, str], int]


def read_rows(conn: sqlite3.Connection, ids: Sequence[int], columns: Sequence[str]) -> list[Row]:
    """The rows' indexed columns and lengths, read from FTS5's own tables in one statement (its content
    table, columns c0.. in declaration order; its docsize table, a varint of tokens per column)."""
    names = [f"c.c{COLUMNS.index(c)}" for c in columns]
    cur = conn.execute(
        f"SELECT c.id, d.sz{''.join(', ' + n for n in names)} FROM search_fts_content c "
        "LEFT JOIN search_fts_docsize d ON d.id = c.id WHERE c.id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(ids)),),
    )
    cur.row_factory = None
    return [
        (row[0], dict(zip(columns, row[2:], strict=True)), sum(_varints(bytes(row[1] or b"")))) for row in cur
    ]
