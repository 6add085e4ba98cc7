"""A big group's feed and building, a page at a time: 100,000 shared steps on SQLite and PostgreSQL.

The feed reads by the (group_id, id) index and the building by (group_id, at, id), so a page costs
about the same in a group of 1,000 shared steps (the baseline, measured in the same run) and of
100,000. Figures: milliseconds per page (median of repeated reads) for the newest feed page, a feed
page deep in the past, the building's top floor and a floor near the ground. Target: <= 50 ms.

Env: MADREGA_BENCH_SHARED (100000).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

SHARED = int(os.environ.get("MADREGA_BENCH_SHARED", "100000"))
BASELINE = 1000
MEMBERS = 20
REPEAT = 15


def populate(backend: Any, count: int) -> tuple[Any, int]:
    """A group with MEMBERS members and `count` shared steps, written in bulk; (a member, group id)."""
    from madrega.community import accounts, groups

    hasher = accounts.fast_hasher()
    suffix = uuid.uuid4().hex[:6]
    admin = accounts.sign_up(backend, hasher, f"a{suffix}", "bench password")
    if admin.is_admin:
        accounts.set_signup_mode(backend, admin, "open")
    group = groups.create_group(backend, admin, f"Big shul {suffix}")
    members = [admin]
    for i in range(MEMBERS - 1):
        member = accounts.sign_up(backend, hasher, f"m{i}{suffix}", "bench password")
        groups.join_by_invite(backend, member, groups.create_invite(backend, admin, group["id"]))
        members.append(member)
    with backend.transaction() as tx:
        batch = []
        for i in range(count):
            at = f"2025-{1 + i * 12 // count:02d}-01T00:00:{i % 60:02d}.{i:06d}Z"
            batch.append(
                (group["id"], members[i % MEMBERS].id, f"s{i}", "study", f"Job {i % 42 + 1}", at, at)
            )
            if len(batch) == 5000 or i == count - 1:
                for row in batch:
                    tx.execute(
                        "INSERT INTO shared_steps(group_id, user_id, step_uid, kind, ref, at, shared_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        row,
                    )
                batch = []
    if backend.dialect == "postgres":  # what autovacuum does on a live server: index-only scans work
        conn = backend._connect()
        try:
            conn.execute("VACUUM ANALYZE shared_steps")
        finally:
            conn.close()
    return admin, int(group["id"])


def timed(work: Callable[[], Any]) -> float:
    """Median milliseconds of REPEAT calls (after one warm-up)."""
    work()
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def pages(backend: Any, count: int) -> dict[str, float]:
    from madrega.community import feed

    user, group = populate(backend, count)
    newest = feed.feed(backend, user, group)
    middle = int(newest[0]["id"]) - count // 2
    floors = max(1, -(-count // feed.BUILDING_PAGE))
    return {
        "feed_ms": timed(lambda: feed.feed(backend, user, group)),
        "feed_deep_ms": timed(lambda: feed.feed(backend, user, group, before=middle)),
        "building_ms": timed(lambda: feed.building(backend, user, group)),
        "building_deep_ms": timed(lambda: feed.building(backend, user, group, floor=floors - 1)),
    }


def measure(open_url: Callable[[], str]) -> tuple[dict[str, float], dict[str, float]]:
    from madrega.community import schema
    from madrega.community.backend import open_backend

    results = []
    for count in (BASELINE, SHARED):
        backend = open_backend(open_url())
        try:
            schema.migrate(backend)
            results.append(pages(backend, count))
        finally:
            backend.close()
    return results[0], results[1]


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the tests' cluster helper
    from pgcluster import PgCluster

    cluster = PgCluster().init()
    cluster.start()
    try:
        pg_small, pg_big = measure(lambda: cluster.create_schema("b_" + uuid.uuid4().hex[:8]))
    finally:
        cluster.destroy()
    with tempfile.TemporaryDirectory() as tmp:
        lite_small, lite_big = measure(lambda: f"sqlite://{Path(tmp) / uuid.uuid4().hex}.sqlite")
    for label, small, big in (("postgres", pg_small, pg_big), ("sqlite", lite_small, lite_big)):
        shown = ", ".join(f"{k} {big[k]:.1f} (at {BASELINE}: {small[k]:.1f})" for k in big)
        print(f"{label:8} {SHARED} shared steps: {shown}")
    figures = {
        "shared_steps": SHARED,
        **{f"pg_{k}": round(v, 2) for k, v in pg_big.items()},
        **{f"sqlite_{k}": round(v, 2) for k, v in lite_big.items()},
        "worst_ms": round(max([*pg_big.values(), *lite_big.values()]), 2),
    }
    ratios = {
        **{f"pg_{k}_vs_{BASELINE}": round(pg_big[k] / pg_small[k], 2) for k in pg_big},
        **{f"sqlite_{k}_vs_{BASELINE}": round(lite_big[k] / lite_small[k], 2) for k in lite_big},
    }
    print(json.dumps({"bench": "community_feed", "figures": figures, "ratios": ratios}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
