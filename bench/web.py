"""Load on the web app: 32 concurrent clients for 20 s against the reader and search endpoints.

uvicorn runs in a subprocess over a library built for the run (the Tanakh and the Mishnah, with
their connections built, so reader pages carry a connections panel); the same app's /healthz is
measured the same way first, so `ratios.vs_trivial` is the reader+search throughput relative to a
trivial endpoint on this machine. A verse page with its panel is then timed alone, warm
(`verse_page_ms`, the median of sequential requests; the target is under 50 ms).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CLIENTS = 32
SECONDS = float(os.environ.get("MADREGA_BENCH_SECONDS", "20"))
READ_PATHS = (
    [f"/api/text/Isaiah%20{c}" for c in range(40, 67)]
    + [f"/read/Psalms%20{c}" for c in range(1, 30)]
    # verse pages, each with its connections panel (the Mishnah quotes them)
    + [
        f"/read/{v}"
        for v in ("Isaiah%2051%3A16", "Genesis%201%3A1", "Psalms%2024%3A1", "Deuteronomy%206%3A5")
    ]
    + ["/api/connections/Genesis%201%3A1", "/api/connections/Psalms%20119"]
)
VERSE_PAGE = "/read/Deuteronomy%206%3A5"
SEARCH_PATHS = [
    "/api/search?q=%D7%A6%D7%95%D7%A8",  # צור
    "/api/search?q=%D7%A9%D7%9C%D7%95%D7%9D",  # שלום
    "/search?q=%D7%90%D7%91%D7%A8%D7%94%D7%9D",  # אברהם
    "/api/search?q=%D7%99%D7%A8%D7%95%D7%A9%D7%9C%D7%99%D7%9D&limit=10",  # ירושלים
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_library(path: Path) -> None:
    from madrega import api
    from madrega.study.importers import corpus
    from madrega.study.linker import queue

    conn = api.connect(path)
    corpus.import_corpus(conn, only=["tanakh", "mishnah"])
    conn.close()
    queue.run(path)  # the connections, before the server starts


async def load(base: str, paths: list[str], seconds: float) -> tuple[list[float], int, int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker(seed: int) -> None:
            nonlocal errors
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    r = await client.get(rng.choice(paths))
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - start)

        await asyncio.gather(*(worker(i) for i in range(CLIENTS)))
    return latencies, errors, len(latencies)


def sequential(base: str, path: str, runs: int = 60) -> tuple[float, float, int]:
    """Median ms of `path` and of /healthz, one request at a time on a kept-alive connection."""
    errors = 0
    with httpx.Client(base_url=base, timeout=30) as client:

        def median_ms(p: str) -> float:
            nonlocal errors
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                r = client.get(p)
                times.append((time.perf_counter() - start) * 1000)
                if r.status_code != 200 or (p == path and 'class="connections"' not in r.text):
                    errors += 1
            return sorted(times)[len(times) // 2]

        median_ms(path)  # warm
        return median_ms(path), median_ms("/healthz"), errors


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else 0.0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite"
        build_library(db_path)
        port = free_port()
        code = (
            "import uvicorn, sys; from madrega.web import create_app; "
            f"uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port={port}, log_level='warning')"
        )
        proc = subprocess.Popen([sys.executable, "-c", code, str(db_path)])
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            for path in [*READ_PATHS[:1], *READ_PATHS[-7:], *SEARCH_PATHS]:  # build per-process caches once
                httpx.get(base + path, timeout=60)
            trivial_s = min(5.0, SECONDS / 4)
            t_lat, t_err, t_n = asyncio.run(load(base, ["/healthz"], trivial_s))
            lat, err, n = asyncio.run(load(base, READ_PATHS + SEARCH_PATHS, SECONDS))
            verse_ms, trivial_ms, verse_errors = sequential(base, VERSE_PAGE)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # requests still queued in the server: stop it hard
                proc.kill()
                proc.wait()
    rps, trivial_rps = n / SECONDS, t_n / trivial_s
    print(f"trivial /healthz: {trivial_rps:.0f} req/s, p99 {p99(t_lat) * 1000:.1f} ms, errors {t_err}")
    print(f"reader+search:    {rps:.0f} req/s, p99 {p99(lat) * 1000:.1f} ms, errors {err} ({n} requests)")
    print(f"throughput relative to the trivial endpoint: {rps / trivial_rps:.3f}")
    print(
        f"a verse page with its panel, warm, alone: {verse_ms:.1f} ms median (target < 50 ms); "
        f"/healthz the same way {trivial_ms:.1f} ms"
    )
    figures = {
        "rps": round(rps, 1),
        "p99_ms": round(p99(lat) * 1000, 1),
        "errors": err,
        "requests": n,
        "clients": CLIENTS,
        "seconds": SECONDS,
        "trivial_rps": round(trivial_rps, 1),
        "trivial_p99_ms": round(p99(t_lat) * 1000, 1),
        "verse_page_ms": round(verse_ms, 2),
        "verse_page_errors": verse_errors,
    }
    ratios = {
        "vs_trivial": round(rps / trivial_rps, 4),
        "verse_page_vs_50ms_target": round(verse_ms / 50.0, 3),
        "verse_page_vs_trivial": round(verse_ms / trivial_ms, 2),
    }
    print(json.dumps({"bench": "web", "figures": figures, "ratios": ratios}))


if __name__ == "__main__":
    main()
