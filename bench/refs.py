"""Bench: parse + validate reference strings (mixed English, Hebrew, URL forms).

Figures: refs_per_s is `madrega.refs.parse` (the public API, lru-cached) over a stream of 200,000
citations drawn with repeats from a pool of 20,000 distinct strings, as running text repeats its
citations; refs_per_s_uncached is the parser itself on every distinct string once. The baseline is one
precompiled regex `match` over the same stream, so ratios.vs_regex says how many regex matches one parse
costs.
"""

from __future__ import annotations

import json
import random
import re
import time

from madrega.refs import Ref, catalog, parse
from madrega.refs import parser as refs_parser

POOL = 20_000
STREAM = 200_000


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


def main() -> None:
    rng = random.Random(5785)
    catalog()
    pool = list({_variants(_sample(rng), rng) for _ in range(POOL * 2)})[:POOL]
    stream = [rng.choice(pool) for _ in range(STREAM)]

    regex = re.compile(r"^([^\d]+?)\s*(\d+)(?:[a-b])?(?::(\d+))?")
    t0 = time.perf_counter()
    matched = sum(1 for s in stream if regex.match(s))
    regex_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    failures = 0
    for s in pool:
        try:
            refs_parser._parse(s)
        except Exception:
            failures += 1
    uncached_s = time.perf_counter() - t0

    parse.cache_clear()
    t0 = time.perf_counter()
    for s in stream:
        parse(s)
    cached_s = time.perf_counter() - t0

    per_s = STREAM / cached_s
    uncached_per_s = len(pool) / uncached_s
    regex_per_s = STREAM / regex_s
    print(
        f"pool {len(pool):,} distinct strings ({failures} failed to parse), stream {STREAM:,}; regex matched {matched:,}"
    )
    print(f"parse (cached, stream):   {per_s:12,.0f} refs/s")
    print(f"parse (uncached, pool):   {uncached_per_s:12,.0f} refs/s")
    print(f"baseline regex.match:     {regex_per_s:12,.0f} strings/s")
    print(f"ratio parse/regex: {per_s / regex_per_s:.3f}  uncached/regex: {uncached_per_s / regex_per_s:.3f}")
    print(
        json.dumps(
            {
                "bench": "refs",
                "figures": {
                    "refs_per_s": round(per_s),
                    "refs_per_s_uncached": round(uncached_per_s),
                    "regex_per_s": round(regex_per_s),
                    "distinct": len(pool),
                    "failed": failures,
                },
                "ratios": {
                    "vs_regex": round(per_s / regex_per_s, 4),
                    "uncached_vs_regex": round(uncached_per_s / regex_per_s, 4),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
