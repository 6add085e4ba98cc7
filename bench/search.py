"""Search and gematria lookup over the whole embedded corpus (Tanakh, Mishnah, Bavli, Yerushalmi,
Zohar) plus a generated English set.

Measures: the index build (library imported with the search hook off, then `search.rebuild`), a
fixed mixed set of 240 queries (Hebrew single words, prefixed words, quoted phrases, English words and
transliterations) through `search.search` against the same two statements (count + ranked page) run
straight on FTS5, gematria lookups, and the prefix strategy: query expansion over word keys versus
indexing every prefix-stripped form too (size and single-word latency).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from madrega import api, db
from madrega.study import library, search
from madrega.study.importers import corpus
from madrega.study.search import query as search_query
from madrega.study.search.text import PREFIXES

SEED = 5785
EN_WORDS = [
    "light",
    "heart",
    "return",
    "prayer",
    "morning",
    "river",
    "stone",
    "teacher",
    "student",
    "garden",
    "bread",
    "water",
    "joy",
    "fear",
    "love",
    "kindness",
    "charity",
    "truth",
    "path",
    "mountain",
    "field",
    "house",
    "window",
    "letter",
    "story",
    "song",
    "silence",
    "voice",
    "hand",
    "running",
    "walking",
    "learning",
    "giving",
    "praying",
    "remembering",
    "forgiving",
    "building",
    "opening",
    "listening",
]
EN_TERMS = [
    "teshuvah",
    "tshuva",
    "tefila",
    "tefillah",
    "tzedaka",
    "tsedakah",
    "hisbodedus",
    "chesed",
    "hesed",
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def english_version(conn: sqlite3.Connection, n: int = 3000) -> None:
    rng = random.Random(SEED)
    segs = []
    for i in range(1, n + 1):
        words = [rng.choice(EN_WORDS) for _ in range(rng.randint(8, 30))]
        if i % 7 == 0:
            words.insert(rng.randrange(len(words)), rng.choice(EN_TERMS))
        text = " ".join(words).capitalize() + "."
        segs.append(library.SegmentIn(f"Bench Notes {i}", text, text))
    with db.transaction(conn):
        work_id = library.ensure_work(conn, "Bench Notes", None, "Chasidut")
        library.write_version(
            conn,
            work_id=work_id,
            lang="en",
            title="bench",
            source=None,
            license=None,
            segments=segs,
            fingerprint=library.fingerprint_segments(segs),
        )


def build_queries(conn: sqlite3.Connection) -> dict[str, list[str]]:
    rng = random.Random(SEED)
    forms = [
        r[0]
        for r in conn.execute(
            "SELECT v.form FROM search_vocab v JOIN search_vocab_counts c ON c.vocab_id = v.id "
            "WHERE c.scope > 0 GROUP BY v.id HAVING sum(c.count) >= 3 ORDER BY v.id"
        )
    ]
    bare = [f for f in forms if len(f) >= 3 and f[0] not in "והבכלמש"]
    prefixed = [f for f in forms if len(f) >= 4 and f[0] in "והבלמש"]
    segs = conn.execute("SELECT max(id) FROM segments").fetchone()[0]
    phrases: list[str] = []
    while len(phrases) < 60:
        row = conn.execute("SELECT plain FROM segments WHERE id = ?", (rng.randint(1, segs),)).fetchone()
        words = [t.text for t in search_query.hebrew.tokenize(row[0] if row else "") if t.kind == "he"]
        if len(words) >= 3:
            i = rng.randrange(len(words) - 1)
            phrases.append('"' + " ".join(words[i : i + 2]) + '"')
    english = (
        [rng.choice(EN_WORDS) for _ in range(30)] + EN_TERMS + ['"' + " ".join(rng.sample(EN_WORDS, 2)) + '"']
    )
    return {
        "hebrew_word": rng.sample(bare, 80),
        "prefixed_word": rng.sample(prefixed, 60),
        "phrase": phrases,
        "english": english[:40],
    }


def engine_time(conn: sqlite3.Connection, q: str) -> float:
    match = search_query.parse(q).fts()

    def run() -> None:
        conn.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (match,)).fetchone()
        conn.execute(
            "SELECT rowid, bm25(search_fts) AS score FROM search_fts WHERE search_fts MATCH ? "
            "ORDER BY score, rowid LIMIT 20",
            (match,),
        ).fetchall()

    return timed(run)


def table_bytes(conn: sqlite3.Connection, prefix: str) -> int:
    row = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?", (prefix + "%",)).fetchone()
    return int(row[0] or 0)


def prefix_strategy(conn: sqlite3.Connection, words: list[str], tmp: Path) -> dict[str, float]:
    """Expansion over keys (what search does) vs a column that also holds every prefix-stripped form."""
    prefix_set = {p for p in PREFIXES if p}
    out: dict[str, float] = {}
    for name in ("expand", "strip"):
        alt = sqlite3.connect(tmp / f"{name}.sqlite")
        alt.execute("CREATE VIRTUAL TABLE t USING fts5(he, tokenize='unicode61')")
        start = time.perf_counter()
        rows = conn.execute("SELECT rowid, he FROM search_fts WHERE he != ''")
        batch = []
        for rowid, he in rows:
            if name == "strip":
                extra = []
                for key in he.split():
                    for n in range(1, 5):
                        if key[:n] in prefix_set and len(key) - n >= 2:
                            extra.append(key[n:])
                he = he + " " + " ".join(extra)
            batch.append((rowid, he))
        alt.executemany("INSERT INTO t(rowid, he) VALUES (?, ?)", batch)
        alt.execute("INSERT INTO t(t) VALUES ('optimize')")
        alt.commit()
        out[f"{name}_build_s"] = round(time.perf_counter() - start, 2)
        out[f"{name}_mb"] = round(table_bytes(alt, "t") / 1e6, 1)
        times = []
        for w in words:
            key = search_query.word_keys(w)[0]
            if name == "expand":
                match = "he : (" + " OR ".join(f'"{k}"' for k in [p + key for p in PREFIXES]) + ")"
            else:
                match = f'he : "{key}"'
            start = time.perf_counter()
            alt.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()
            times.append((time.perf_counter() - start) * 1000)
        out[f"{name}_p50_ms"] = round(statistics.median(times), 3)
        alt.close()
    return out


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        type=Path,
        help="keep the imported library here; when it already exists, reuse it (no import)",
    )
    parser.add_argument(
        "--reuse-index",
        action="store_true",
        help="with --db: also reuse its search index (time only the queries; build_s is then 0)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="skip the prefix-strategy comparison (builds two more indexes)"
    )
    return parser.parse_args(argv)


def prepare(path: Path, *, reuse_index: bool) -> tuple[sqlite3.Connection, float, float]:
    """The library at `path` (imported unless present) and its index: (conn, import_s, build_s).

    A reused library reports the import time recorded when it was made."""
    fresh = not path.exists()
    conn = api.connect(path)
    hook = search._follow_library
    if fresh:
        library._HOOKS.remove(hook)
        start = time.perf_counter()
        corpus.import_corpus(conn)
        import_s = time.perf_counter() - start
        english_version(conn)
        library._HOOKS.append(hook)
        conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (key TEXT PRIMARY KEY, value REAL)")
        conn.execute("INSERT OR REPLACE INTO bench_meta VALUES ('import_s', ?)", (import_s,))
        conn.commit()
    else:
        import_s = float(conn.execute("SELECT value FROM bench_meta WHERE key='import_s'").fetchone()[0])
    if reuse_index and not fresh:
        return conn, import_s, 0.0
    start = time.perf_counter()
    search.rebuild(conn)
    return conn, import_s, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        conn, import_s, build_s = prepare(args.db or tmp / "bench.sqlite", reuse_index=args.reuse_index)
        segments = conn.execute("SELECT count(*) FROM segments").fetchone()[0]
        print(
            f"library import (no index): {import_s:.1f} s; index build over {segments} segments: {build_s:.1f} s"
        )
        index_mb = sum(table_bytes(conn, p) for p in ("search_", "gematria_")) / 1e6
        fts_mb = table_bytes(conn, "search_fts") / 1e6
        print(f"index size: {index_mb:.0f} MB (FTS {fts_mb:.0f} MB)")

        queries = build_queries(conn)
        for qs in queries.values():  # warm the page cache once
            for q in qs[:3]:
                search.search(conn, q)
        layer: dict[str, list[float]] = {}
        engine: dict[str, list[float]] = {}
        for kind, qs in queries.items():
            layer[kind], engine[kind] = [], []
            for q in qs:  # each query once to warm its pages, then both paths warm, best of two
                search.search(conn, q, limit=20)
                layer[kind].append(min(timed(partial(search.search, conn, q, limit=20)) for _ in range(2)))
                engine[kind].append(min(engine_time(conn, q) for _ in range(2)))
            print(
                f"{kind:14} n={len(qs):3}  madrega p50 {statistics.median(layer[kind]):7.2f} ms  "
                f"p95 {pct(layer[kind], 95):7.2f} ms   engine p50 {statistics.median(engine[kind]):7.2f} ms"
            )
        all_layer = [t for ts in layer.values() for t in ts]
        all_engine = [t for ts in engine.values() for t in ts]
        single = layer["hebrew_word"] + layer["prefixed_word"]
        ratio = statistics.median(all_layer) / statistics.median(all_engine)
        print(
            f"all {len(all_layer)} queries: p50 {statistics.median(all_layer):.2f} ms, p95 {pct(all_layer, 95):.2f} ms"
        )
        print(f"madrega / engine (medians): {ratio:.2f}x")

        rng = random.Random(SEED)
        values = [rng.randint(2, 1500) for _ in range(100)]
        search.gematria_lookup(conn, 340)
        gem = [timed(partial(search.gematria_lookup, conn, v)) for v in values]
        first_phrase = timed(lambda: search.gematria_lookup(conn, 340, max_words=4))
        phrase = [timed(partial(search.gematria_lookup, conn, v, max_words=4)) for v in values[:20]]
        print(
            f"gematria words: p50 {statistics.median(gem):.2f} ms p95 {pct(gem, 95):.2f} ms; phrases ≤4 words: "
            f"first {first_phrase:.0f} ms (loads the word arrays), then p50 {statistics.median(phrase):.0f} ms"
        )

        strategy: dict[str, float] = {}
        if not args.quick:
            strategy = prefix_strategy(conn, queries["hebrew_word"], tmp)
            print(
                f"prefixes by query expansion: {strategy['expand_mb']} MB, p50 {strategy['expand_p50_ms']} ms; "
                f"by indexing stripped forms: {strategy['strip_mb']} MB, p50 {strategy['strip_p50_ms']} ms"
            )
        conn.close()

    figures = {
        "segments": segments,
        "import_s": round(import_s, 2),
        "build_s": round(build_s, 2),
        "index_mb": round(index_mb, 1),
        "p50_ms": round(statistics.median(all_layer), 3),
        "p95_ms": round(pct(all_layer, 95), 3),
        "single_word_p50_ms": round(statistics.median(single), 3),
        "single_word_p95_ms": round(pct(single, 95), 3),
        "phrase_p50_ms": round(statistics.median(layer["phrase"]), 3),
        "english_p50_ms": round(statistics.median(layer["english"]), 3),
        "gematria_p50_ms": round(statistics.median(gem), 3),
        "gematria_p95_ms": round(pct(gem, 95), 3),
        "gematria_phrase_p50_ms": round(statistics.median(phrase), 1),
        **{f"prefix_{k}": v for k, v in strategy.items()},
    }
    ratios = {
        "vs_engine": round(ratio, 2),
        "build_vs_import": round(build_s / import_s, 2),
    }
    if strategy:
        ratios["strip_vs_expand_size"] = round(strategy["strip_mb"] / strategy["expand_mb"], 2)
        ratios["strip_vs_expand_p50"] = round(strategy["strip_p50_ms"] / strategy["expand_p50_ms"], 2)
    print(json.dumps({"bench": "search", "figures": figures, "ratios": ratios}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
