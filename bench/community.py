"""Community server under load: 200 simulated users for 30 s on PostgreSQL, and the same on SQLite.

Each user signs up, logs in, then loops: add a step, share it with the group, read the feed, and
now and then say amen or join a gathering. The server is the real app under uvicorn in its own
process on 127.0.0.1; PostgreSQL is a throwaway cluster. Figures: requests per second, p99 latency,
errors (non-2xx), lost steps (acknowledged but not stored). Ratio: PostgreSQL rps / SQLite rps.

The users are spread over several client processes (MADREGA_BENCH_CLIENTS, default 2-4), so that no
one Python event loop is the bottleneck, and the server's own CPU per request is reported (user +
system time of its process over the load, divided by the requests).

Env: MADREGA_BENCH_USERS (200), MADREGA_BENCH_SECONDS (30; SQLite runs half as long).
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
from typing import Any

import httpx

USERS = int(os.environ.get("MADREGA_BENCH_USERS", "200"))
SECONDS = float(os.environ.get("MADREGA_BENCH_SECONDS", "30"))
GATHERINGS = 20
CLIENTS = int(os.environ.get("MADREGA_BENCH_CLIENTS", str(max(2, min(4, os.cpu_count() or 2)))))


def serve(database_url: str, port: int) -> None:
    """The server process: the community app with cheap argon2 parameters (logins are not the subject)."""
    import uvicorn

    from madrega.community import accounts
    from madrega.community.app import create_community_app
    from madrega.web import server

    app = create_community_app(database_url, secure_cookies=False, hasher=accounts.fast_hasher())
    # As behind a TLS proxy on this machine: each simulated user has an address of its own
    # (X-Forwarded-For, believed from 127.0.0.1 only), so the per-address login limit counts per user.
    options = {**server.uvicorn_options(trusted_proxies=["127.0.0.1"]), "timeout_keep_alive": 120}
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", backlog=2048, **options)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", database_url, str(port)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/community/csrf", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the bench server did not start")


class User:
    def __init__(self, base: str, name: str, address: str = "192.0.2.1") -> None:
        limits = httpx.Limits(max_connections=2)
        headers = {"X-Forwarded-For": address}  # a documentation address: never dialled, only named
        self.client = httpx.AsyncClient(base_url=base, timeout=60, limits=limits, headers=headers)
        self.name = name
        self.csrf = ""

    async def send(self, stats: dict[str, Any], method: str, path: str, body: Any = None) -> httpx.Response:
        start = time.perf_counter()
        try:
            r = await self.client.request(method, path, json=body, headers={"X-CSRF-Token": self.csrf})
        except httpx.TransportError as exc:  # counted, never hidden: a dropped connection is an error
            r = httpx.Response(599, text=f"{type(exc).__name__}: {exc}")
        stats["latencies"].append((time.perf_counter() - start) * 1000)
        if r.status_code >= 400:
            stats["errors"] += 1
            if len(stats["samples"]) < 5:
                stats["samples"].append(f"{method} {path}: {r.status_code} {r.text[:100]}")
        return r

    async def enter(self, stats: dict[str, Any], invitation: str | None) -> None:
        self.csrf = (await self.client.get("/api/community/csrf")).json()["csrf"]
        body = {"name": self.name, "password": "bench password"}
        r = await self.send(stats, "POST", "/api/community/signup", body)
        self.csrf = r.json()["csrf"]
        await self.send(stats, "POST", "/api/community/logout")
        self.csrf = (await self.client.get("/api/community/csrf")).json()["csrf"]
        r = await self.send(stats, "POST", "/api/community/login", body)
        self.csrf = r.json()["csrf"]
        if invitation:
            await self.send(stats, "POST", f"/api/community/join/{invitation}")


async def prepare(base: str) -> dict[str, Any]:
    """The admin opens sign-up and makes the group, its invitation and the gatherings."""
    setup: dict[str, Any] = {"latencies": [], "errors": 0, "samples": []}
    admin = User(base, "admin")
    await admin.enter(setup, None)
    await admin.send(setup, "PUT", "/api/community/admin/settings", {"signup": "open"})
    group = (await admin.send(setup, "POST", "/api/community/groups", {"name": "Bench shul"})).json()["id"]
    invite = {"uses": USERS, "days": 1}
    code = (await admin.send(setup, "POST", f"/api/community/groups/{group}/invites", invite)).json()["code"]
    gatherings = [
        (
            await admin.send(
                setup,
                "POST",
                f"/api/community/groups/{group}/gatherings",
                {"title": f"Minyan {i}", "starts_at": "2030-01-01T13:30:00Z", "needed": 10},
            )
        ).json()["id"]
        for i in range(GATHERINGS)
    ]
    await admin.client.aclose()
    return {
        "group": group,
        "code": code,
        "gatherings": gatherings,
        "errors": setup["errors"],
        "samples": setup["samples"],
    }


async def run_users(
    base: str, plan: dict[str, Any], names: list[tuple[str, str]], seconds: float
) -> dict[str, Any]:
    """One client process's users: each signs up and joins, then loops until the time is up."""
    group, gatherings = plan["group"], plan["gatherings"]
    setup: dict[str, Any] = {"latencies": [], "errors": 0, "samples": []}
    users = [User(base, name, address) for name, address in names]
    for chunk in range(0, len(users), 50):
        await asyncio.gather(*(u.enter(setup, plan["code"]) for u in users[chunk : chunk + 50]))
    stats: dict[str, Any] = {"latencies": [], "errors": 0, "samples": [], "acknowledged": []}
    deadline = time.monotonic() + seconds

    async def simulate(u: User, seed: int) -> None:
        rng = random.Random(seed)
        i = 0
        while time.monotonic() < deadline:
            i += 1
            step = await u.send(
                stats, "POST", "/api/community/steps", {"kind": "study", "what": f"{u.name}-{i}"}
            )
            if step.status_code == 201:
                stats["acknowledged"].append(step.json()["uid"])
                await u.send(
                    stats, "POST", f"/api/community/groups/{group}/shared", {"step_uid": step.json()["uid"]}
                )
            feed = await u.send(stats, "GET", f"/api/community/groups/{group}/feed")
            if i % 3 == 0 and feed.status_code == 200 and feed.json():
                await u.send(stats, "POST", f"/api/community/shared/{rng.choice(feed.json())['id']}/amen")
            if i % 5 == 0:
                await u.send(stats, "POST", f"/api/community/gatherings/{rng.choice(gatherings)}/join")

    started = time.monotonic()
    await asyncio.gather(*(simulate(u, hash(u.name) & 0xFFFF) for u in users))
    stats["elapsed"] = time.monotonic() - started
    stats["setup_errors"] = setup["errors"]
    stats["samples"] += setup["samples"]
    await asyncio.gather(*(u.client.aclose() for u in users))
    return stats


def _client_process(args: tuple[str, dict[str, Any], list[tuple[str, str]], float]) -> dict[str, Any]:
    base, plan, names, seconds = args
    return asyncio.run(run_users(base, plan, names, seconds))


def run_load(base: str, seconds: float, server_pid: int) -> dict[str, Any]:
    """The users, spread over several client processes (one Python event loop would be the bottleneck),
    and the server's CPU seconds over the load."""
    import multiprocessing

    plan = asyncio.run(prepare(base))
    names = [(f"user{i}", f"198.51.{i // 250}.{i % 250 + 1}") for i in range(USERS)]
    parts = [(base, plan, names[k::CLIENTS], seconds) for k in range(CLIENTS)]
    before = cpu_seconds(server_pid)
    with multiprocessing.get_context("spawn").Pool(CLIENTS) as pool:
        results = pool.map(_client_process, parts)
    server_cpu = cpu_seconds(server_pid) - before
    stats: dict[str, Any] = {
        "latencies": [],
        "errors": 0,
        "samples": list(plan["samples"]),
        "acknowledged": [],
    }
    for r in results:
        stats["latencies"] += r["latencies"]
        stats["errors"] += r["errors"] + r["setup_errors"]
        stats["samples"] += r["samples"][:3]
        stats["acknowledged"] += r["acknowledged"]
    stats["elapsed"] = max(r["elapsed"] for r in results)
    stats["setup_errors"] = plan["errors"]
    stats["server_cpu_s"] = server_cpu
    return stats


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stored_steps(database_url: str) -> set[str]:
    from madrega.community.backend import open_backend

    backend = open_backend(database_url)
    try:
        with backend.transaction() as tx:
            return {r["step_uid"] for r in tx.all("SELECT step_uid FROM server_events")}
    finally:
        backend.close()


def measure(database_url: str, seconds: float) -> dict[str, Any]:
    proc, base = start_server(database_url)
    try:
        stats = run_load(base, seconds, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    latencies = sorted(stats["latencies"])
    stored = stored_steps(database_url)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / stats["elapsed"],
        "p50_ms": latencies[len(latencies) // 2] if latencies else 0.0,
        "p99_ms": latencies[int(len(latencies) * 0.99)] if latencies else 0.0,
        "errors": stats["errors"] + stats["setup_errors"],
        "steps": len(stats["acknowledged"]),
        "lost_steps": sum(1 for uid in stats["acknowledged"] if uid not in stored),
        "samples": stats["samples"],
        "server_cpu_ms_per_request": stats["server_cpu_s"] / max(len(latencies), 1) * 1000,
        "server_cpu_share": stats["server_cpu_s"] / stats["elapsed"],
    }


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the tests' cluster helper
    from pgcluster import PgCluster

    cluster = PgCluster().init()
    cluster.start()
    try:
        pg = measure(cluster.create_schema("bench"), SECONDS)
    finally:
        cluster.destroy()
    with tempfile.TemporaryDirectory() as tmp:
        lite = measure(f"sqlite://{Path(tmp) / 'bench.sqlite'}", SECONDS / 2)
    for label, result in (("postgres", pg), ("sqlite", lite)):
        print(
            f"{label:8} {USERS} users: {result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
            f"p99 {result['p99_ms']:.1f} ms, {result['errors']} errors, {result['steps']} steps, "
            f"{result['lost_steps']} lost; server {result['server_cpu_ms_per_request']:.2f} ms CPU per request "
            f"({result['server_cpu_share']:.0%} of a core; {CLIENTS} client processes)"
        )
        for sample in result["samples"]:
            print(f"  error sample: {sample}")
    figures = {
        "users": USERS,
        "seconds": SECONDS,
        "rps": round(pg["rps"], 1),
        "p50_ms": round(pg["p50_ms"], 1),
        "p99_ms": round(pg["p99_ms"], 1),
        "errors": pg["errors"],
        "steps": pg["steps"],
        "lost_steps": pg["lost_steps"],
        "sqlite_rps": round(lite["rps"], 1),
        "sqlite_p99_ms": round(lite["p99_ms"], 1),
        "sqlite_errors": lite["errors"],
        "sqlite_lost_steps": lite["lost_steps"],
        "server_cpu_ms_per_request": round(pg["server_cpu_ms_per_request"], 3),
        "server_cpu_share": round(pg["server_cpu_share"], 3),
        "sqlite_server_cpu_ms_per_request": round(lite["server_cpu_ms_per_request"], 3),
        "client_processes": CLIENTS,
    }
    ratios = {"vs_sqlite": round(pg["rps"] / lite["rps"], 2) if lite["rps"] else None}
    print(json.dumps({"bench": "community", "figures": figures, "ratios": ratios}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]))
        sys.exit(0)
    sys.exit(main())
