"""Load on the web app, with a load generator that is not the bottleneck: Debian's `wrk` (compiled,
event-driven; `make bench-deps`), 2 threads and 32 connections, against the reader and search pages and
their API, and against the trivial `/healthz` for the same time first.

uvicorn serves `create_app` in its own process over a library (the Tanakh and the Mishnah with their
connections built, so reader pages carry a connections panel; or `--db`). A verse page with its panel
is then timed alone, warm (`verse_page_ms`, the median of sequential requests; target under 50 ms).
Figures: requests per second, latency p50/p99 (wrk's), errors (non-2xx and socket errors), and the
server's own CPU per request (user + system time of its process over the run, divided by the requests)
— with a compiled client the figure measures the server. `ratios.vs_trivial` is the reader+search
throughput over the trivial endpoint's. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from _common import free_port, stop

SECONDS = float(os.environ.get("MADREGA_BENCH_SECONDS", "15"))
CONNECTIONS = 32
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
LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def build_library(path: Path) -> None:
    from madrega import api
    from madrega.study.importers import corpus
    from madrega.study.linker import queue

    conn = api.connect(path)
    corpus.import_corpus(conn, only=["tanakh", "mishnah"])
    conn.close()
    queue.run(path)  # the connections, before the server starts


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


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(base: str, paths: list[str], seconds: float, script_dir: Path, pid: int) -> dict[str, Any]:
    script = script_dir / f"paths-{len(paths)}.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths), encoding="utf-8")
    before = cpu_seconds(pid)
    done = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{int(seconds)}s", "--latency", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    )
    server_cpu = cpu_seconds(pid) - before
    out = done.stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())

    def latency(p: str) -> float:
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return 0.0
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return {
        "rps": rps,
        "requests": requests,
        "errors": errors,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "server_cpu_ms_per_request": server_cpu / max(requests, 1) * 1000,
        "server_cpu_share": server_cpu / seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="serve this library instead of a Tanakh built for the run")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench/web.py needs wrk: make bench-deps (Debian's wrk package)")
    tmp = Path(tempfile.mkdtemp(prefix="madrega-bench-web-"))
    try:
        db_path = args.db or tmp / "bench.sqlite"
        if args.db is None:
            build_library(db_path)
        port = free_port()
        code = (
            "import uvicorn, sys; from madrega.web import create_app; "
            f"uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port={port}, log_level='warning', backlog=2048)"
        )
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(db_path)],
            env={**os.environ, "MADREGA_CACHE_DIR": str(tmp / "cache")},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            for path in [*READ_PATHS[:1], *READ_PATHS[-7:], *SEARCH_PATHS]:  # per-process caches once
                httpx.get(base + path, timeout=60)
            trivial = wrk(base, ["/healthz"], min(5.0, SECONDS / 3), tmp, proc.pid)
            load = wrk(base, READ_PATHS + SEARCH_PATHS, SECONDS, tmp, proc.pid)
            verse_ms, trivial_ms, verse_errors = sequential(base, VERSE_PAGE)
        finally:
            stop(proc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"trivial /healthz: {trivial['rps']:.0f} req/s, p99 {trivial['p99_ms']:.1f} ms, server "
        f"{trivial['server_cpu_ms_per_request']:.2f} ms CPU per request, errors {trivial['errors']}"
    )
    print(
        f"reader+search:    {load['rps']:.0f} req/s, p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms, server "
        f"{load['server_cpu_ms_per_request']:.2f} ms CPU per request ({load['server_cpu_share']:.0%} of a core), "
        f"errors {load['errors']} ({load['requests']} requests)"
    )
    figures = {
        "rps": round(load["rps"], 1),
        "p50_ms": round(load["p50_ms"], 2),
        "p99_ms": round(load["p99_ms"], 2),
        "errors": load["errors"],
        "requests": load["requests"],
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "server_cpu_ms_per_request": round(load["server_cpu_ms_per_request"], 3),
        "server_cpu_share": round(load["server_cpu_share"], 3),
        "trivial_rps": round(trivial["rps"], 1),
        "trivial_p99_ms": round(trivial["p99_ms"], 2),
        "trivial_server_cpu_ms_per_request": round(trivial["server_cpu_ms_per_request"], 3),
        "load": round(os.getloadavg()[0], 2),
        "client": "wrk",
        "verse_page_ms": round(verse_ms, 2),
        "verse_page_errors": verse_errors,
    }
    ratios = {
        "vs_trivial": round(load["rps"] / trivial["rps"], 4),
        "verse_page_vs_50ms_target": round(verse_ms / 50.0, 3),
        "verse_page_vs_trivial": round(verse_ms / trivial_ms, 2),
    }
    print(f"a verse page with its panel, warm, alone: {verse_ms:.1f} ms median (target < 50 ms)")
    print(json.dumps({"bench": "web", "figures": figures, "ratios": ratios}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
