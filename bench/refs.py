"""Bench: parse + validate reference strings (mixed English, Hebrew, URL forms), and the catalog load.

Figures: refs_per_s is `madrega.refs.parse` (the public API) with every cache cleared, on 20,000
distinct citations, each parsed once — first-time parsing. Nothing is reused but what any text repeats:
the parser remembers the text before a citation's last word (its title, or its title and the first word
of a Hebrew address) with the work it names, and the addresses it has read ('1:3', 'ד, כג'), as the pool
names the same works and places again. refs_per_s_cold_titles clears that memory before every citation
too (each one names a title never seen). refs_per_s_cached is the same API over
a stream of 200,000 citations drawn with repeats from that pool, as running text repeats its citations.
catalog_load_s is `catalog()` in a fresh interpreter (every CLI start pays it; import_and_load_s adds
importing madrega.refs). The baseline is one
precompiled regex `match` over the same strings, so ratios.vs_regex says how many regex matches one
parse costs.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import subprocess
import sys
import time

from madrega.refs import Ref, RefError, catalog, parse
from madrega.refs.parser import clear_caches

POOL = 20_000
STREAM = 200_000
LOAD = (
    "import time; t0 = time.perf_counter(); from madrega.refs import catalog; t1 = time.perf_counter(); "
    "catalog(); print(time.perf_counter() - t1, time.perf_counter() - t0)"
)

# A failed parse in a fresh interpreter (the CLI's case): misspelt titles, each error with its suggestions.
MISSPELT = (
    "Mishne Tora Hilchos Tshuva 1:1",
    "Likutay Moharan 10",
    "Berachoth 2a",
    "Sanhedrim 37a",
    "Xyzzy 3:4",
    "בראשיס א, א",
    "Mesilat Yesharimm 3",
    "Rashi on Genesus 1:1",
)
FAILED = (
    "import json, time; from madrega.refs import RefError, catalog, parse; catalog(); out = []\n"
    "for s in " + repr(MISSPELT) + ":\n"
    "    t = time.perf_counter()\n"
    "    try: parse(s)\n"
    "    except RefError as e: e.suggestions\n"
    "    out.append(time.perf_counter() - t)\n"
    "print(json.dumps(out))"
)


def _failed_parse_ms() -> tuple[float, float]:
    """The first failed parse of a fresh interpreter, and the slowest of the misspellings, in ms."""
    runs = [
        json.loads(
            subprocess.run([sys.executable, "-c", FAILED], capture_output=True, text=True, check=True).stdout
        )
        for _ in range(3)
    ]
    return min(r[0] for r in runs) * 1000, min(max(r) for r in runs) * 1000


def _sample(rng: random.Random) -> Ref:
    work = rng.choice(catalog().works)
    kinds = work.kinds
    sections: list[int] = []
    for level, kind in enumerate(kinds):
        if level == 0 and kind == "daf":
            lo, hi = work.span or (3, 200)
            sections.append(rng.randint(lo, hi))
        elif level == 0 and kind == "volume" and work.spans:
            sections.append(rng.randint(1, len(work.spans)))
        elif level == 1 and kind == "daf" and work.spans:
            sections.append(rng.randint(*work.spans[sections[0] - 1]))
        elif level == 0:
            sections.append(rng.randint(1, work.top_count() or 30))
        elif level == 1 and work.lengths is not None:
            sections.append(rng.randint(1, work.lengths[sections[0] - 1]))
        else:
            sections.append(rng.randint(1, 20))
    return Ref(work.index, tuple(sections), tuple(sections))


def _variants(ref: Ref, rng: random.Random) -> str:
    work = ref.work
    form = rng.random()
    if form < 0.45:
        text = str(ref)
        alias = rng.choice((work.title, *work.aliases[:6]))
        return alias + text[len(work.title) :]
    if form < 0.85:
        return ref.he()
    return ref.url()


def _catalog_load_s() -> tuple[float, float]:
    """The best of three fresh interpreters: `catalog()` alone, and importing madrega.refs with it."""
    runs = [
        subprocess.run(
            [sys.executable, "-c", LOAD], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(3)
    ]
    return min(float(load) for load, _ in runs), min(float(total) for _, total in runs)


def main() -> None:
    rng = random.Random(5785)
    catalog()
    distinct = list(dict.fromkeys(_variants(_sample(rng), rng) for _ in range(POOL * 3)))
    pool, warmup = distinct[:POOL], distinct[POOL : POOL + 2_000]
    stream = [rng.choice(pool) for _ in range(STREAM)]
    for text in warmup:  # one-time tables (Hebrew numerals) are built on strings outside the pool
        with contextlib.suppress(RefError):  # an alias two works share is an ambiguity error
            parse(text)

    regex = re.compile(r"^([^\d]+?)\s*(\d+)(?:[a-b])?(?::(\d+))?")
    t0 = time.perf_counter()
    matched = sum(1 for s in pool if regex.match(s))
    regex_s = time.perf_counter() - t0

    clear_caches()  # nothing read before: titles are learnt as the pool repeats them
    failures = 0
    t0 = time.perf_counter()
    for s in pool:
        try:
            parse(s)
        except Exception:
            failures += 1
    uncached_s = time.perf_counter() - t0

    cold = pool[:5_000]
    t0 = time.perf_counter()
    for s in cold:  # the worst case: every citation names a title never seen before
        clear_caches()
        with contextlib.suppress(RefError):
            parse(s)
    cold_s = time.perf_counter() - t0

    clear_caches()
    stream_failures = 0
    t0 = time.perf_counter()
    for s in stream:
        try:
            parse(s)
        except RefError:
            stream_failures += 1
    cached_s = time.perf_counter() - t0

    load_s, import_load_s = _catalog_load_s()
    failed_first_ms, failed_max_ms = _failed_parse_ms()
    per_s = len(pool) / uncached_s
    cold_per_s = len(cold) / cold_s
    cached_per_s = STREAM / cached_s
    regex_per_s = len(pool) / regex_s
    print(f"pool {len(pool):,} distinct strings ({failures} failed to parse), stream {STREAM:,}")
    print(f"parse, each string once:  {per_s:12,.0f} refs/s")
    print(f"parse, no title seen:     {cold_per_s:12,.0f} refs/s")
    print(f"parse, repeating stream:  {cached_per_s:12,.0f} refs/s")
    print(f"baseline regex.match:     {regex_per_s:12,.0f} strings/s (matched {matched:,})")
    print(f"catalog load (fresh):     {load_s:12.3f} s  ({import_load_s:.3f} s with the import)")
    print(
        f"failed parse, suggestions: {failed_first_ms:9.1f} ms first, {failed_max_ms:.1f} ms slowest (fresh process)"
    )
    print(f"ratio parse/regex: {per_s / regex_per_s:.3f}  cached/regex: {cached_per_s / regex_per_s:.3f}")
    print(
        json.dumps(
            {
                "bench": "refs",
                "figures": {
                    "refs_per_s": round(per_s),
                    "refs_per_s_cold_titles": round(cold_per_s),
                    "refs_per_s_cached": round(cached_per_s),
                    "regex_per_s": round(regex_per_s),
                    "catalog_load_s": round(load_s, 4),
                    "import_and_load_s": round(import_load_s, 4),
                    "failed_parse_first_ms": round(failed_first_ms, 1),
                    "failed_parse_max_ms": round(failed_max_ms, 1),
                    "distinct": len(pool),
                    "failed": failures,
                },
                "ratios": {
                    "vs_regex": round(per_s / regex_per_s, 4),
                    "cached_vs_regex": round(cached_per_s / regex_per_s, 4),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
