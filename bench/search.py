"""Search as the user has it: the index exactly as `madrega library init` leaves it, cold and warm,
against tantivy on the same rows and the same queries in the same run, and whether the source of a
well-known phrase comes first.

- queries: a fixed mixed set (Hebrew single words, prefixed words, quoted phrases, unquoted phrases of
  two or three words, English words and transliterations when the library holds English) through
  `search.search` (madrega's whole layer: parsing, ranking, the page's rows and snippets);
- cold: a fresh process runs each query once (every query new to it, SQLite's cache empty); warm: the
  same process again, best of two;
- tantivy (tantivy-py): the same rows (Hebrew keys, plene keys, English) indexed in a temporary
  directory, each query as the same AND of OR-ed alternatives (phrases as phrases), the top 20 with the
  count and each hit's stored row id — `ratios.vs_tantivy` is madrega's warm p95 over tantivy's;
- source first: well-known phrases whose source is known (`PHRASES`), the reciprocal rank of the first
  hit in the source, averaged (`figures.source_mrr`);
- gematria: a page of words and phrases of up to four words with a value (cold and warm).

`--db` reuses a library `library init` built; otherwise one is built in a temporary directory and
removed at the end. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import library_init

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
    "garden",
    "bread",
    "water",
    "joy",
    "fear",
    "love",
    "kindness",
    "truth",
    "path",
    "mountain",
    "field",
    "house",
]
EN_TERMS = ["teshuvah", "tshuva", "tefila", "tefillah", "tzedaka", "tsedakah", "chesed", "hesed"]

#: Well-known phrases and where they come from (any of the refs; a segment inside one counts).
PHRASES: list[tuple[str, list[str]]] = [
    ("בראשית ברא אלהים", ["Genesis 1:1"]),
    ("ויאמר אלהים יהי אור", ["Genesis 1:3"]),
    ("לא טוב היות האדם לבדו", ["Genesis 2:18"]),
    ("ונח מצא חן בעיני ה'", ["Genesis 6:8"]),
    ("לך לך מארצך וממולדתך", ["Genesis 12:1"]),
    ("הקל קול יעקב והידים ידי עשו", ["Genesis 27:22"]),
    ("אנכי ה' אלהיך אשר הוצאתיך", ["Exodus 20:2", "Deuteronomy 5:6"]),
    ("נעשה ונשמע", ["Exodus 24:7"]),
    ("ועשו לי מקדש ושכנתי בתוכם", ["Exodus 25:8"]),
    ("עין תחת עין שן תחת שן", ["Exodus 21:24", "Leviticus 24:20"]),
    ("ויקרא אל משה", ["Leviticus 1:1"]),
    ("קדשים תהיו", ["Leviticus 19:2"]),
    ("ואהבת לרעך כמוך", ["Leviticus 19:18"]),
    ("יברכך ה' וישמרך", ["Numbers 6:24"]),
    ("מה טבו אהליך יעקב", ["Numbers 24:5"]),
    ("שמע ישראל ה' אלהינו ה' אחד", ["Deuteronomy 6:4"]),
    ("צדק צדק תרדף", ["Deuteronomy 16:20"]),
    ("ראה אנכי נתן לפניכם היום ברכה וקללה", ["Deuteronomy 11:26"]),
    ("ובחרת בחיים", ["Deuteronomy 30:19"]),
    ("קדוש קדוש קדוש ה' צבאות", ["Isaiah 6:3"]),
    ("וכתתו חרבותם לאתים", ["Isaiah 2:4"]),
    ("נחמו נחמו עמי", ["Isaiah 40:1"]),
    ("ה' רעי לא אחסר", ["Psalms 23:1"]),
    ("אשא עיני אל ההרים", ["Psalms 121:1"]),
    ("על נהרות בבל שם ישבנו", ["Psalms 137:1"]),
    ("ראשית חכמה יראת ה'", ["Psalms 111:10"]),
    ("אשת חיל מי ימצא", ["Proverbs 31:10"]),
    ("הבל הבלים אמר קהלת", ["Ecclesiastes 1:2"]),
    ("לכל זמן ועת לכל חפץ תחת השמים", ["Ecclesiastes 3:1"]),
    ("ישקני מנשיקות פיהו", ["Song of Songs 1:2"]),
    ("כשושנה בין החוחים", ["Song of Songs 2:2"]),
    ("אל אשר תלכי אלך", ["Ruth 1:16"]),
    ("איכה ישבה בדד", ["Lamentations 1:1"]),
    ("ויהי בימי אחשורוש", ["Esther 1:1"]),
    ("משה קבל תורה מסיני", ["Pirkei Avot 1:1"]),
    ("על שלשה דברים העולם עומד", ["Pirkei Avot 1:2"]),
    ("אם אין אני לי מי לי", ["Pirkei Avot 1:14"]),
    ("לא עליך המלאכה לגמור", ["Pirkei Avot 2:16", "Pirkei Avot 2:15", "Pirkei Avot 2:21"]),
    ("איזהו חכם הלומד מכל אדם", ["Pirkei Avot 4:1"]),
    ("מאימתי קורין את שמע בערבית", ["Mishnah Berakhot 1:1"]),
    ("כל ישראל יש להם חלק לעולם הבא", ["Mishnah Sanhedrin 10:1", "Mishnah Sanhedrin 11:1"]),
    ("שנים אוחזין בטלית", ["Mishnah Bava Metzia 1:1"]),
    ("ארבעה אבות נזיקים", ["Mishnah Bava Kamma 1:1"]),
    ("הכל חייבין בראיה", ["Mishnah Chagigah 1:1"]),
    ("ארבעה ראשי שנים הם", ["Mishnah Rosh Hashanah 1:1"]),
    ("כל המקיים נפש אחת מישראל", ["Mishnah Sanhedrin 4:5"]),
    ("אין מקרא יוצא מידי פשוטו", ["Shabbat 63a", "Yevamot 11b", "Yevamot 24a"]),
    ("כל ישראל ערבים זה בזה", ["Shevuot 39a"]),
    ("תלמוד גדול שהתלמוד מביא לידי מעשה", ["Kiddushin 40b"]),
    (
        "דינא דמלכותא דינא",
        [
            "Nedarim 28a",
            "Gittin 10b",
            "Bava Kamma 113a",
            "Bava Kamma 113b",
            "Bava Batra 54b",
            "Bava Batra 55a",
        ],
    ),
    ("הכל בידי שמים חוץ מיראת שמים", ["Berakhot 33b", "Megillah 25a", "Niddah 16b"]),
    ("דעלך סני לחברך לא תעביד", ["Shabbat 31a"]),
    ("אלו ואלו דברי אלהים חיים", ["Eruvin 13b", "Gittin 6b"]),
    ("בריך שמיה דמארי עלמא", ["Zohar 2:206a"]),
    ("פתח אליהו ואמר רבון עלמין", ["Tikkunei Zohar 33:9"]),
    ("לית מחשבה תפיסא בך", ["Tikkunei Zohar 33:10"]),
]
#: English phrases of the Tanakh (run when the library holds the English Tanakh).
EN_PHRASES: list[tuple[str, list[str]]] = [
    ("In the beginning God created the heaven and the earth", ["Genesis 1:1"]),
    ("Let there be light", ["Genesis 1:3"]),
    ("love thy neighbour as thyself", ["Leviticus 19:18"]),
    ("Hear, O Israel", ["Deuteronomy 6:4"]),
    ("The Lord is my shepherd", ["Psalms 23:1"]),
    ("Vanity of vanities", ["Ecclesiastes 1:2"]),
    ("a time to every purpose under the heaven", ["Ecclesiastes 3:1"]),
    ("swords into plowshares", ["Isaiah 2:4"]),
    ("Comfort ye, comfort ye my people", ["Isaiah 40:1"]),
    ("whither thou goest, I will go", ["Ruth 1:16"]),
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def build_queries(conn: sqlite3.Connection) -> dict[str, list[str]]:
    from madrega.text import hebrew

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
    top = conn.execute("SELECT max(id) FROM segments").fetchone()[0]
    quoted: list[str] = []
    unquoted: list[str] = []
    while len(quoted) < 40 or len(unquoted) < 40:
        row = conn.execute("SELECT plain FROM segments WHERE id = ?", (rng.randint(1, top),)).fetchone()
        words = [t.text for t in hebrew.tokenize(row[0] if row else "") if t.kind == "he"]
        if len(words) >= 4:
            i = rng.randrange(len(words) - 2)
            if len(quoted) < 40:
                quoted.append('"' + " ".join(words[i : i + 2]) + '"')
            else:
                unquoted.append(" ".join(words[i : i + rng.choice((2, 3))]))
    queries = {
        "hebrew_word": rng.sample(bare, 80),
        "prefixed_word": rng.sample(prefixed, 60),
        "quoted_phrase": quoted,
        "phrase": unquoted,
    }
    if conn.execute("SELECT 1 FROM versions WHERE lang = 'en' LIMIT 1").fetchone():
        queries["english"] = [rng.choice(EN_WORDS) for _ in range(20)] + EN_TERMS
    return queries


TIMER = r"""
import json, sys, time
from madrega import api
from madrega.study import search
conn = api.connect(sys.argv[1])
queries = json.load(open(sys.argv[2], encoding="utf-8"))
cpu = {"cold": [], "warm": []}
def timed(q, phase="warm"):
    t, c = time.perf_counter(), time.process_time()
    search.search(conn, q, limit=20)
    cpu[phase].append((time.process_time() - c) * 1000)
    return (time.perf_counter() - t) * 1000
cold = {kind: [timed(q, "cold") for q in qs] for kind, qs in queries.items()}
warm = {kind: [min(timed(q), timed(q)) for q in qs] for kind, qs in queries.items()}
print(json.dumps({"cold": cold, "warm": warm, "cpu": cpu}))
"""


def tantivy_times(
    conn: sqlite3.Connection, queries: dict[str, list[str]], where: Path
) -> tuple[list[float], float]:
    """Warm milliseconds per query on tantivy (same rows, same queries), and its index build time."""
    import tantivy

    from madrega.study.search import query as search_query

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("he")
    builder.add_text_field("hp")
    builder.add_text_field("en", tokenizer_name="en_stem")
    builder.add_integer_field("rowid", stored=True, fast=True)
    schema = builder.build()
    where.mkdir()
    index = tantivy.Index(schema, path=str(where))
    writer = index.writer(heap_size=200_000_000)
    start = time.perf_counter()
    for rowid, he, hp, en in conn.execute("SELECT rowid, he, hp, en FROM search_fts"):
        writer.add_document(tantivy.Document(rowid=rowid, he=he or "", hp=hp or "", en=en or ""))
    writer.commit()
    writer.wait_merging_threads()
    build_s = time.perf_counter() - start
    index.reload()
    searcher = index.searcher()

    def as_tantivy(q: str) -> Any:
        parsed = search_query.parse(q)
        musts = []
        for term in parsed.terms:
            alts = []
            for alt in term.alternatives:
                words = " ".join(w.lower() for w in alt).replace('"', "")
                alts.append(index.parse_query_lenient(f'"{words}"', [term.column])[0])
            musts.append(
                (tantivy.Occur.Must, tantivy.Query.boolean_query([(tantivy.Occur.Should, a) for a in alts]))
            )
        return tantivy.Query.boolean_query(musts)

    def run(query: Any) -> None:
        found = searcher.search(query, 20, count=True)
        for _score, address in found.hits:
            searcher.doc(address)["rowid"]

    times = []
    for qs in queries.values():
        for q in qs:
            query = as_tantivy(q)
            run(query)
            best = float("inf")
            for _ in range(2):
                t = time.perf_counter()
                run(query)
                best = min(best, (time.perf_counter() - t) * 1000)
            times.append(best)
    return times, build_s


def source_first(conn: sqlite3.Connection, phrases: list[tuple[str, list[str]]]) -> tuple[float, list[str]]:
    from madrega.study import search

    def is_source(ref: str, sources: list[str]) -> bool:
        return any(ref == s or ref.startswith((s + ":", s + " ")) for s in sources)

    ranks: list[float] = []
    misses: list[str] = []
    for q, sources in phrases:
        hits = search.search(conn, q, limit=20).hits
        rank = next((i + 1 for i, h in enumerate(hits) if is_source(h.ref, sources)), None)
        ranks.append(1 / rank if rank else 0.0)
        if rank != 1:
            misses.append(f"{q} → {rank} ({hits[0].ref if hits else 'no hits'})")
    return sum(ranks) / len(ranks), misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a library `library init` built (reused, not removed)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="madrega-bench-search-"))
    figures: dict[str, Any] = {}
    ratios: dict[str, Any] = {}
    try:
        db = args.db
        if db is None:
            db = tmp / "library.sqlite"
            library_init(db, {**os.environ, "MADREGA_CACHE_DIR": str(tmp / "cache")})
        from madrega import api
        from madrega.study import search

        conn = api.connect(db)
        figures["segments"] = conn.execute("SELECT count(*) FROM segments").fetchone()[0]
        figures["fts_mb"] = round(
            sum(len(r[0] or b"") for r in conn.execute("SELECT block FROM search_fts_data")) / 1e6, 1
        )
        queries = build_queries(conn)
        (tmp / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-c", TIMER, str(db), str(tmp / "queries.json")],
            capture_output=True,
            text=True,
            check=True,
        )
        measured = json.loads(done.stdout)
        for phase in ("cold", "warm"):
            every = [t for ts in measured[phase].values() for t in ts]
            figures[f"{phase}_p50_ms"] = round(statistics.median(every), 3)
            figures[f"{phase}_p95_ms"] = round(pct(every, 95), 3)
            for kind, ts in measured[phase].items():
                figures[f"{phase}_{kind}_p50_ms"] = round(statistics.median(ts), 3)
            print(
                f"madrega {phase}: p50 {figures[f'{phase}_p50_ms']:.2f} ms, p95 {figures[f'{phase}_p95_ms']:.2f} ms "
                f"({len(every)} queries: "
                + ", ".join(f"{k} p50 {statistics.median(v):.2f}" for k, v in measured[phase].items())
                + ")"
            )
        # CPU time of the same runs (the process's own; wall time on a shared machine counts the others)
        warm_cpu = measured["cpu"]["warm"]
        warm_cpu = [min(a, b) for a, b in zip(warm_cpu[::2], warm_cpu[1::2], strict=True)]
        for phase, every in (("cold", measured["cpu"]["cold"]), ("warm", warm_cpu)):
            figures[f"{phase}_cpu_p50_ms"] = round(statistics.median(every), 3)
            figures[f"{phase}_cpu_p95_ms"] = round(pct(every, 95), 3)
        print(
            f"madrega CPU time: cold p50 {figures['cold_cpu_p50_ms']:.2f} ms, p95 {figures['cold_cpu_p95_ms']:.2f} ms; "
            f"warm p50 {figures['warm_cpu_p50_ms']:.2f} ms, p95 {figures['warm_cpu_p95_ms']:.2f} ms"
        )
        theirs, tantivy_build = tantivy_times(conn, queries, tmp / "tantivy")
        figures["tantivy_p50_ms"] = round(statistics.median(theirs), 3)
        figures["tantivy_p95_ms"] = round(pct(theirs, 95), 3)
        figures["tantivy_build_s"] = round(tantivy_build, 2)
        ratios["vs_tantivy"] = round(figures["warm_p95_ms"] / figures["tantivy_p95_ms"], 2)
        ratios["vs_tantivy_p50"] = round(figures["warm_p50_ms"] / figures["tantivy_p50_ms"], 2)
        print(
            f"tantivy (same rows and queries): p50 {figures['tantivy_p50_ms']:.2f} ms, p95 {figures['tantivy_p95_ms']:.2f} ms "
            f"(index built in {tantivy_build:.1f} s)"
        )
        phrases = PHRASES + (EN_PHRASES if "english" in queries else [])
        mrr, misses = source_first(conn, phrases)
        figures["source_mrr"] = round(mrr, 3)
        figures["source_phrases"] = len(phrases)
        print(
            f"source first: MRR {mrr:.3f} over {len(phrases)} phrases"
            + (f"; not first: {misses}" if misses else "")
        )
        values = random.Random(SEED).sample(range(2, 1500), 30)
        cold_gematria = []
        for v in values[:5]:
            t = time.perf_counter()
            search.gematria_lookup(conn, v, max_words=4, limit=50)
            cold_gematria.append((time.perf_counter() - t) * 1000)
        warm_gematria = []
        for v in values:
            t = time.perf_counter()
            search.gematria_lookup(conn, v, max_words=4, limit=50)
            warm_gematria.append((time.perf_counter() - t) * 1000)
        figures["gematria_page_first_ms"] = round(cold_gematria[0], 1)
        figures["gematria_page_p50_ms"] = round(statistics.median(warm_gematria), 1)
        figures["gematria_page_p95_ms"] = round(pct(warm_gematria, 95), 1)
        print(
            f"gematria (a page of words and phrases up to 4 words): first {cold_gematria[0]:.0f} ms, "
            f"then p50 {figures['gematria_page_p50_ms']} ms, p95 {figures['gematria_page_p95_ms']} ms"
        )
        conn.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ratios["warm_p50_vs_2ms"] = round(figures["warm_p50_ms"] / 2.0, 2)
    ratios["warm_p95_vs_5ms"] = round(figures["warm_p95_ms"] / 5.0, 2)
    ratios["cold_p95_vs_5ms"] = round(figures["cold_p95_ms"] / 5.0, 2)
    ratios["gematria_page_vs_50ms"] = round(figures["gematria_page_p95_ms"] / 50.0, 2)
    figures["load"] = round(os.getloadavg()[0], 2)
    print(json.dumps({"bench": "search", "figures": figures, "ratios": ratios}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
