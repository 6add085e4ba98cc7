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
    print(
        json.dumps(
            {
                "bench": "link",
                "figures": {
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
                },
            }
        )
    )


if __name__ == "__main__":
    main()
