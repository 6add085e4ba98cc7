"""Citation linker bench: written references in English prose vs. a bare title scan, and quotation
finding in Hebrew text against Tanakh + Mishnah (index build time, peak memory, throughput)."""

from __future__ import annotations

import json
import resource
import tempfile
import time
from pathlib import Path

from madrega import api
from madrega.study.importers.corpus import import_corpus
from madrega.study.linker import link
from madrega.study.linker.quotations import build_index, find_quotations, segments_from_library
from madrega.study.linker.references import _automaton

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "linker"

ENGLISH_FILLER = (
    "Every small step toward holiness builds on the one before it, and nothing done for the sake of "
    "heaven is ever lost. When we stumble we begin again, not from scratch but from where we stood. "
    "The teacher gathered 12 students, read for 45 minutes and asked them to write one line each. "
)


def best_of(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    english = (FIXTURES / "english.txt").read_text(encoding="utf-8") + ENGLISH_FILLER * 6
    text = english * (2_000_000 // len(english.encode()) + 1)
    size = len(text.encode())
    link("warm up Genesis 1:1")
    auto = _automaton()

    def floor() -> None:
        for _ in auto.iter(text.lower()):
            pass

    t_floor = best_of(floor)
    t_refs = best_of(lambda: link(text))
    refs_mb_s = size / t_refs / 1e6
    floor_mb_s = size / t_floor / 1e6
    n_refs = len(link(text))
    print(f"references: {size / 1e6:.2f} MB English, {n_refs} citations")
    print(
        f"  link(): {t_refs:.3f}s = {refs_mb_s:.2f} MB/s; title scan floor {t_floor:.3f}s = {floor_mb_s:.2f} MB/s"
    )
    print(f"  ratio link/floor: {t_refs / t_floor:.2f}x (must be <= 10)")

    tmp = Path(tempfile.mkdtemp(prefix="madrega-bench-link-"))
    conn = api.connect(tmp / "lib.sqlite")
    import_corpus(conn, only=("tanakh", "mishnah"))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    index = build_index(segments_from_library(conn))
    index_s = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hebrew = (FIXTURES / "hebrew.txt").read_text(encoding="utf-8")
    htext = hebrew * (200_000 // len(hebrew.encode()) + 1)
    hsize = len(htext.encode())
    find_quotations(hebrew, index)
    t_quotes = best_of(lambda: find_quotations(htext, index))
    quotes_kb_s = hsize / t_quotes / 1e3
    n_quotes = len(find_quotations(htext, index))
    print(f"quotations: index of {index.total_words} words built in {index_s:.2f}s (limit 30s)")
    print(f"  peak RSS {peak_mb:.0f} MB (before the index {rss_before:.0f} MB; limit 1024 MB)")
    print(
        f"  {hsize / 1e3:.0f} KB Hebrew in {t_quotes:.3f}s = {quotes_kb_s:.0f} KB/s ({n_quotes} quotations; limit >= 200)"
    )
    connections, connections_ratios = connections_figures()
    print(
        json.dumps(
            {
                "bench": "link",
                "figures": {
                    **connections,
                    "refs_mb_per_s": round(refs_mb_s, 3),
                    "floor_mb_per_s": round(floor_mb_s, 3),
                    "quotes_kb_per_s": round(quotes_kb_s, 1),
                    "index_s": round(index_s, 3),
                    "peak_mb": round(peak_mb, 1),
                },
                "ratios": {
                    "vs_scan": round(t_refs / t_floor, 3),
                    "refs_vs_2mb_target": round(refs_mb_s / 2.0, 3),
                    "quotes_vs_200kb_target": round(quotes_kb_s / 200.0, 3),
                    **connections_ratios,
                },
            }
        )
    )


def connections_figures() -> tuple[dict[str, float | int], dict[str, float]]:
    """The whole embedded corpus's connections: imported, then linked by the link queue's job on all
    cores (what runs in the background after `library init`). The import, timed in the same run, is
    the baseline: `connections_vs_import` is how many imports the linking costs.
    `MADREGA_BENCH_LIBRARY` names an already imported library to link a copy of (the import is then
    not timed and the ratio is left out)."""
    import os
    import shutil

    from madrega.study.linker import queue

    tmp = Path(tempfile.mkdtemp(prefix="madrega-bench-connections-"))
    path = tmp / "corpus.sqlite"
    given = os.environ.get("MADREGA_BENCH_LIBRARY")
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


if __name__ == "__main__":
    main()
