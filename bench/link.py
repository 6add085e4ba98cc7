"""The citation linker as users meet it, against the whole library `library init` builds.

- references: about 2 MB of varied English prose (sentences made from a word list, references to
  works of the catalog sprinkled in — no paragraph repeated), `link()` against a bare title scan of the
  same text (the floor); cold: a process's first page with the title automaton built inside the timing,
  and with it loaded from the cache.
- Hebrew quotations: the index of the whole library (its build time, and opening it from the file
  beside the database); about 1 MB of Hebrew (passages of the Talmud, Mishnah and Zohar, and texts made
  of fragments of them with elisions, quotation marks and prefixes) found against the reference
  word-by-word finder on a part of it (identical or not); peak memory of a process finding the
  quotations of 10 MB of Hebrew, streaming.
- bulk: the same items on 1 and 2 worker processes and on a Dask LocalCluster of 4 workers. "Linear"
  is the speedup against one worker (in this process) divided by the cores the workers can run on,
  min(workers, cores): on a 2-core machine 4 Dask workers are linear at 2x, not 4x. On a shared
  machine the scheduler gives each session its share whatever its number of processes, so wall-clock
  speedups measure the neighbours; the CPU seconds the workers spent against one worker's
  (`bulk_2_cpu_ratio`) are measured too: 2 / that ratio is the most 2 workers can reach on 2 idle
  cores (`bulk_2_idle_bound`);
- connections: the whole library linked by the link queue's job on all cores (what runs in the
  background after `library init`): `connections_s`, `anchors`.

`--db` reuses a library (else one is built in a temporary directory, removed at the end). Ends with one
JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the reference finder lives with the tests

MADREGA = [sys.executable, "-c", "import sys; sys.argv[0] = 'madrega'; from madrega.cli import main; main()"]
SEED = 5785


def best_of(fn: Any, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def english_text(size: int) -> str:
    """Varied English prose with references (titles and addresses from the catalog)."""
    from madrega.refs import catalog

    rng = random.Random(SEED)
    works = [w for w in catalog().works if not getattr(w, "generated", False)][:400]
    words = [
        "the",
        "teacher",
        "asked",
        "every",
        "student",
        "to",
        "read",
        "the",
        "passage",
        "slowly",
        "and",
        "to",
        "notice",
        "how",
        "each",
        "small",
        "step",
        "builds",
        "on",
        "the",
        "one",
        "before",
        "it",
        "nothing",
        "done",
        "for",
        "the",
        "sake",
        "of",
        "heaven",
        "is",
        "ever",
        "lost",
        "when",
        "we",
        "stumble",
        "we",
        "begin",
        "again",
        "from",
        "where",
        "we",
        "stood",
        "a",
        "kind",
        "word",
        "a",
        "coin",
        "given",
        "quietly",
        "a",
        "prayer",
        "said",
        "with",
        "the",
        "heart",
        "morning",
        "evening",
        "river",
        "stone",
        "garden",
        "bread",
        "water",
        "joy",
        "fear",
        "love",
        "truth",
        "path",
        "mountain",
        "field",
        "house",
        "letter",
        "story",
        "song",
        "silence",
        "voice",
        "hand",
        "12",
        "45",
        "3",
        "seven",
        "times",
        "many",
        "people",
    ]
    out: list[str] = []
    total = 0
    while total < size:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 24)))
        if rng.random() < 0.35:
            work = rng.choice(works)
            address = (
                f"{rng.randint(1, 20)}:{rng.randint(1, 30)}" if work.depth >= 2 else str(rng.randint(1, 20))
            )
            if work.kinds[:1] == ("daf",):
                address = f"{rng.randint(2, 60)}{rng.choice('ab')}"
            sentence += f", as {work.title} {address} says"
        if rng.random() < 0.05:
            sentence += ", and ibid. 5"
        piece = sentence[:1].upper() + sentence[1:] + ". "
        out.append(piece)
        total += len(piece)
    return "".join(out)


def hebrew_texts(conn: sqlite3.Connection, size: int) -> str:
    """Passages of the library and texts made of fragments of them, about `size` bytes."""
    rng = random.Random(SEED)
    rows = [
        r[0]
        for r in conn.execute(
            "SELECT s.plain FROM segments s JOIN versions v ON v.id = s.version_id JOIN works w ON w.id = v.work_id "
            "WHERE v.lang = 'he' AND w.category IN ('Talmud Bavli', 'Mishnah', 'Kabbalah', 'Talmud Yerushalmi')"
        )
    ]
    rng.shuffle(rows)
    pieces: list[str] = []
    total = 0
    glue = ["וגו'", "שנאמר", "כמו שכתוב", '"', "וכו'", "\n"]
    i = 0
    while total < size:
        row = rows[i % len(rows)]
        i += 1
        if rng.random() < 0.5:
            piece = row
        else:
            words = row.split()
            at = rng.randrange(max(1, len(words)))
            fragment = words[at : at + rng.randint(3, 15)]
            piece = " ".join([rng.choice(glue), *fragment, rng.choice(glue)])
        pieces.append(piece)
        total += len(piece.encode())
    return "\n".join(pieces)


def peak_streaming_mb(db: Path, text_file: Path) -> tuple[float, float, int]:
    """(peak RSS MB, RSS before finding MB, quotations) of a process finding 10 MB of Hebrew's quotations."""
    # VmHWM, the process's own peak (ru_maxrss would carry the forking parent's over exec)
    code = (
        "import re, sys\n"
        "def peak(): return int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024\n"
        "from madrega import api\n"
        "from madrega.study.linker import quotations\n"
        "conn = api.connect(sys.argv[1]); index = quotations.index_for(conn)\n"
        "text = open(sys.argv[2], encoding='utf-8').read()\n"
        "before = peak()\n"
        "n = sum(1 for _ in quotations.iter_quotations(text, index))\n"
        "print(peak(), before, n)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db), str(text_file)], capture_output=True, text=True, check=True
    )
    peak, before, n = out.stdout.split()
    return float(peak), float(before), int(n)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bulk(db: Path, tmp: Path) -> dict[str, float]:
    """Seconds to link the same items on 1 and 2 worker processes and on a Dask LocalCluster of 4."""
    from madrega.study.linker.bulk import Item, link_items

    conn = sqlite3.connect(db)
    rng = random.Random(SEED)
    rows = conn.execute("SELECT id, ref, plain FROM segments ORDER BY id").fetchall()
    conn.close()
    chosen = sorted(rng.sample(rows, 6000))
    items = [Item("segment", str(i), ref, text) for i, ref, text in chosen]
    out: dict[str, float] = {}
    link_items(items[:50], db_path=str(db), workers=1)  # indexes current, caches warm
    for workers in (1, 2):
        used = _cpu_seconds()
        t = time.perf_counter()
        link_items(items, db_path=str(db), workers=workers)
        out[f"bulk_{workers}_s"] = time.perf_counter() - t
        out[f"bulk_{workers}_cpu_s"] = _cpu_seconds() - used  # the pool's workers are reaped by then
    try:
        from distributed import LocalCluster
    except ImportError:
        return out
    with LocalCluster(n_workers=4, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        t = time.perf_counter()
        link_items(items[:50], db_path=str(db), scheduler=cluster.scheduler_address)  # workers started
        out["bulk_dask4_first_s"] = time.perf_counter() - t  # every worker loading what it links with
        t = time.perf_counter()
        link_items(items, db_path=str(db), scheduler=cluster.scheduler_address)
        out["bulk_dask4_s"] = time.perf_counter() - t
    del tmp
    return out


def connections_figures(library: Path | None) -> tuple[dict[str, float | int], dict[str, float]]:
    """The whole embedded corpus's connections: imported, then linked by the link queue's job on all
    cores (what runs in the background after `library init`). The import, timed in the same run, is
    the baseline: `connections_vs_import` is how many imports the linking costs.
    `library` (or `MADREGA_BENCH_LIBRARY`) names an already imported library to link a copy of (the
    import is then not timed and the ratio is left out)."""
    from madrega import api
    from madrega.study.importers.corpus import import_corpus
    from madrega.study.linker import queue

    tmp = Path(tempfile.mkdtemp(prefix="madrega-bench-connections-"))
    path = tmp / "corpus.sqlite"
    given = str(library) if library is not None else os.environ.get("MADREGA_BENCH_LIBRARY")
    import_s = None
    if given:
        shutil.copy(given, path)
        conn = api.connect(path)
        conn.execute("DELETE FROM anchors")
        conn.execute("DELETE FROM linked")
        conn.execute(
            "INSERT OR IGNORE INTO link_queue(owner, owner_id, queued) SELECT 'version', id, 0 FROM versions"
        )
    else:
        conn = api.connect(path)
        t = time.perf_counter()
        import_corpus(conn)
        import_s = time.perf_counter() - t
    segments = conn.execute("SELECT count(*) FROM segments").fetchone()[0]
    conn.close()
    report = queue.run(path)
    conn = api.connect(path)
    anchors = conn.execute("SELECT count(*) FROM anchors").fetchone()[0]
    kinds = dict(conn.execute("SELECT kind, count(*) FROM anchors GROUP BY kind").fetchall())
    conn.close()
    shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"connections: {segments:,} segments linked in {report.seconds:.1f}s on {os.cpu_count()} cores "
        f"({segments / report.seconds:.0f} segments/s): {anchors:,} anchors "
        f"({kinds.get('reference', 0):,} references, {kinds.get('quotation', 0):,} quotations)"
        + (f"; the import took {import_s:.1f}s" if import_s else "")
    )
    figures: dict[str, float | int] = {
        "connections_s": round(report.seconds, 2),
        "anchors": int(anchors),
        "connections_segments": int(segments),
        "connections_segments_per_s": round(segments / report.seconds, 1),
    }
    ratios = {"connections_vs_import": round(report.seconds / import_s, 3)} if import_s else {}
    return figures, ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a library `library init` built (reused, not removed)")
    parser.add_argument("--quick", action="store_true", help="skip the bulk figures")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="madrega-bench-link-"))
    os.environ["MADREGA_CACHE_DIR"] = str(tmp / "cache")
    figures: dict[str, Any] = {}
    try:
        from madrega import api
        from madrega.study.linker import link, quotations
        from madrega.study.linker import references as refs_module

        # --- references
        text = english_text(2_000_000)
        size = len(text.encode())
        page = text[:3000]
        refs_module._automaton.cache_clear()
        t = time.perf_counter()
        link(page)  # the title automaton built inside the timing (an empty cache)
        figures["refs_cold_build_s"] = time.perf_counter() - t
        refs_module._automaton.cache_clear()
        t = time.perf_counter()
        link(page)  # loaded from the cache this time
        figures["refs_cold_cached_s"] = time.perf_counter() - t
        auto = refs_module._automaton()  # the title scan: Hebrew automaton and lookup by span
        low = text.lower()

        def floor() -> None:
            for _ in auto.iter(low):
                pass

        t_floor = best_of(floor)

        def first_time() -> None:
            refs_module.clear_caches()  # refs and names read before: every run reads the text anew
            link(text)

        t_refs = best_of(first_time)
        t_refs_warm = best_of(lambda: link(text))  # the same text again: its refs remembered
        figures["refs_mb_per_s"] = size / t_refs / 1e6
        figures["refs_warm_mb_per_s"] = size / t_refs_warm / 1e6
        figures["floor_mb_per_s"] = size / t_floor / 1e6
        figures["refs_citations"] = len(link(text))
        print(
            f"references: {size / 1e6:.1f} MB of varied English, {figures['refs_citations']} citations; "
            f"{figures['refs_mb_per_s']:.2f} MB/s read the first time, {figures['refs_warm_mb_per_s']:.2f} MB/s again "
            f"(title scan {figures['floor_mb_per_s']:.2f} MB/s); first page "
            f"{figures['refs_cold_build_s']:.2f} s building the automaton, {figures['refs_cold_cached_s']:.3f} s from the cache"
        )

        # --- the library
        db = args.db
        if db is None:
            db = tmp / "library.sqlite"
            print("building the library (library init)…", flush=True)
            t = time.perf_counter()
            subprocess.run(
                [*MADREGA, "library", "init", "--db", str(db), "--json", "--no-link"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            figures["init_s"] = time.perf_counter() - t
        conn = api.connect(db)
        quotations._MEMORY.clear()
        t = time.perf_counter()
        index = quotations.index_for(conn)
        figures["index_open_s"] = time.perf_counter() - t
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t = time.perf_counter()
        built = quotations.build_index(quotations.segments_from_library(conn))
        figures["index_build_s"] = time.perf_counter() - t
        figures["index_build_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures["index_words"] = built.total_words
        del built
        hebrew = hebrew_texts(conn, 1_000_000)
        hsize = len(hebrew.encode())
        quotations.find_quotations(hebrew[:20000], index)
        t_quotes = best_of(lambda: quotations.find_quotations(hebrew, index), runs=3)
        figures["quotes_mb_per_s"] = hsize / t_quotes / 1e6
        cpu = []  # CPU time: what the finder costs whatever the neighbours do (one thread)
        for _ in range(3):
            c = time.process_time()
            quotations.find_quotations(hebrew, index)
            cpu.append(time.process_time() - c)
        figures["quotes_cpu_mb_per_s"] = hsize / min(cpu) / 1e6
        figures["quotes_found"] = len(quotations.find_quotations(hebrew, index))
        import quotes_reference

        sample = hebrew[:100_000]
        t = time.perf_counter()
        reference = quotes_reference.find(sample, index)
        t_reference = time.perf_counter() - t
        t = time.perf_counter()
        ours = quotations.find_quotations(sample, index)
        t_ours = time.perf_counter() - t
        as_tuples = [(q.start, q.end, q.refs, q.score, q.words) for q in ours]
        figures["quotes_same_as_reference"] = as_tuples == [
            (q.start, q.end, q.refs, q.score, q.words) for q in reference
        ]
        figures["reference_kb_per_s"] = len(sample.encode()) / t_reference / 1e3
        big = tmp / "hebrew-10mb.txt"
        big.write_text(hebrew_texts(conn, 10_000_000), encoding="utf-8")
        peak, before, n_big = peak_streaming_mb(db, big)
        figures["stream_10mb_peak_mb"] = peak
        figures["stream_10mb_before_mb"] = before
        figures["stream_10mb_quotations"] = n_big
        print(
            f"quotations: index of {figures['index_words']:,} words; opened in {figures['index_open_s'] * 1000:.0f} ms "
            f"(built in {figures['index_build_s']:.1f} s, peak {figures['index_build_peak_mb']:.0f} MB, "
            f"before it {rss_before:.0f} MB); {hsize / 1e6:.2f} MB of Hebrew at {figures['quotes_mb_per_s']:.2f} MB/s "
            f"({figures['quotes_found']} quotations; {figures['quotes_cpu_mb_per_s']:.2f} MB/s of CPU time); same as the word-by-word finder on 100 KB: "
            f"{figures['quotes_same_as_reference']} (it reads {figures['reference_kb_per_s']:.0f} KB/s, "
            f"we {len(sample.encode()) / t_ours / 1e3:.0f} KB/s); 10 MB streaming: peak {peak:.0f} MB "
            f"(after opening {before:.0f} MB)"
        )
        conn.close()
        if not args.quick:
            figures.update(bulk(db, tmp))
            connections, connections_ratios = connections_figures(db)
            figures.update(connections)
            print(
                f"bulk: 1 worker {figures['bulk_1_s']:.1f} s, 2 workers {figures['bulk_2_s']:.1f} s"
                + (f", Dask 4 workers {figures['bulk_dask4_s']:.1f} s" if "bulk_dask4_s" in figures else "")
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    figures["load"] = os.getloadavg()[0]
    figures["load_at_start"] = load_at_start
    cores = os.cpu_count() or 1
    ratios: dict[str, Any] = {
        "vs_scan": t_refs / t_floor,
        "quotes_vs_1mb_target": figures["quotes_mb_per_s"] / 1.0,
        "stream_peak_vs_300mb": figures["stream_10mb_peak_mb"] / 300,
        "vs_reference": (len(sample.encode()) / t_ours / 1e3) / figures["reference_kb_per_s"],
    }
    if not args.quick:
        ratios.update(connections_ratios)
    if "bulk_2_s" in figures:
        ratios["bulk_2_workers_speedup"] = figures["bulk_1_s"] / figures["bulk_2_s"]
        ratios["bulk_2_cpu_ratio"] = figures["bulk_2_cpu_s"] / figures["bulk_1_cpu_s"]
        ratios["bulk_2_idle_bound"] = min(2, cores) / ratios["bulk_2_cpu_ratio"]
    if "bulk_dask4_s" in figures:
        speedup = figures["bulk_1_s"] / figures["bulk_dask4_s"]
        ratios["bulk_dask4_speedup"] = speedup
        ratios["bulk_dask4_vs_linear"] = speedup / min(4, cores)  # linear: as many as there are cores
    rounded = {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}
    print(
        json.dumps(
            {"bench": "link", "figures": rounded, "ratios": {k: round(v, 3) for k, v in ratios.items()}}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
