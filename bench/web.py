"""Load on the web app: 32 concurrent clients for 20 s against the reader and search endpoints.

uvicorn runs in a subprocess over a Tanakh library built for the run; the same app's /healthz is
measured the same way first, so `ratios.vs_trivial` is the reader+search throughput relative to a
trivial endpoint on this machine.
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
READ_PATHS = [f"/api/text/Isaiah%20{c}" for c in range(40, 67)] + [
    f"/read/Psalms%20{c}" for c in range(1, 30)
]
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

    conn = api.connect(path)
    corpus.import_corpus(conn, only=["tanakh"])
    conn.close()


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
            for path in READ_PATHS[:1] + READ_PATHS[-1:] + SEARCH_PATHS:  # build per-process caches once
                httpx.get(base + path, timeout=60)
            trivial_s = min(5.0, SECONDS / 4)
            t_lat, t_err, t_n = asyncio.run(load(base, ["/healthz"], trivial_s))
            lat, err, n = asyncio.run(load(base, READ_PATHS + SEARCH_PATHS, SECONDS))
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
    figures = {
        "rps": round(rps, 1),
        "p99_ms": round(p99(lat) * 1000, 1),
        "errors": err,
        "requests": n,
        "clients": CLIENTS,
        "seconds": SECONDS,
        "trivial_rps": round(trivial_rps, 1),
        "trivial_p99_ms": round(p99(t_lat) * 1000, 1),
    }
    ratios = {"vs_trivial": round(rps / trivial_rps, 4)}
    print(json.dumps({"bench": "web", "figures": figures, "ratios": ratios}))


if __name__ == "__main__":
    main()
