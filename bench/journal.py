"""The practice companion at 100,000 steps: progress, Today, the building and a page of the step list,
cold (a fresh process, a fresh connection, empty caches) and warm (the same process, best of five).

The journal is generated as events (eight years of a devoted user: study, prayer, tzedakah…, a
few declared skip days), written in one transaction and replayed by `journal.rebuild`, which checks
every event against the schema (its time is reported too). The baseline is a plain scan of the
steps table (`SELECT data FROM steps`), the least any of these could read. Also measured: the cost
of one `step add` with the journal's `synchronous=FULL` against SQLite's WAL default NORMAL.
Ends with one JSON line.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from madrega import api, db
from madrega.practice import building as building_mod
from madrega.practice import calendar, journal, progress
from madrega.practice import today as today_mod

STEPS = 100_000
REPEATS = 5
NOW = datetime(2026, 12, 1, 19, 7, tzinfo=UTC)  # a Tuesday evening, already 22 Kislev
KINDS = ["study"] * 5 + ["prayer"] * 3 + ["hitbodedut", "kindness", "tzedakah", "mitzvah"]
LIMIT_MS = 200.0
PAGE_LIMIT_MS = 50.0

COLD = """
import json, sys, time
from datetime import datetime
from madrega import api, db
from madrega.practice import building, journal, progress, today
now = datetime.fromisoformat(sys.argv[2])
what = sys.argv[3]
start = time.perf_counter()
conn = api.connect(sys.argv[1])
if what == "progress":
    progress.summary(conn, now); progress.heat_grid(conn, days=84)
elif what == "today":
    today.today(conn, now); progress.greeting(conn, now)
elif what == "building":
    building.svg(progress.building(conn))
elif what == "page":
    journal.page_steps(conn, limit=50, offset=int(sys.argv[4]))
print(json.dumps({"ms": (time.perf_counter() - start) * 1000}))
"""


def generate(path: Path, steps: int) -> float:
    """Write `steps` steps as validated events in one transaction, then replay; returns the rebuild's seconds."""
    conn = api.connect(path)
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    where = calendar.place(conn)
    rng = random.Random(5786)
    device = journal.device_id(conn)
    first = NOW - timedelta(days=8 * 365)
    span = (NOW - first).total_seconds()
    moments = sorted(first + timedelta(seconds=rng.random() * span) for _ in range(steps))
    rows = []
    for moment in moments:
        kind = rng.choice(KINDS)
        data: dict[str, Any] = {"kind": kind, "at": journal.iso(moment), "shared": False}
        data.update(calendar.moment(where, moment).fields(where.zone_name))
        if kind == "study":
            data["ref"] = f"Psalms {rng.randint(1, 150)}"
            data["minutes"] = rng.choice([5, 10, 15, 20, 30])
        elif kind == "prayer":
            data["prayer"] = rng.choice(journal.PRAYERS[:3])
        elif kind == "tzedakah":
            data.update(amount=18.0, currency="ILS")
        step_uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        rows.append((str(uuid.uuid4()), data["at"], "step.added", step_uid, json.dumps(data), device))
    with journal.write(conn):
        conn.executemany(
            "INSERT INTO journal_events(uid, at, type, step_uid, data, device) VALUES (?,?,?,?,?,?)", rows
        )
    for offset in (40, 400, 1200):  # a few set-aside days (illness, travel)
        day = NOW.date() - timedelta(days=offset)
        journal.add_skip(conn, day, day + timedelta(days=2), reason="travel", now=NOW)
    start = time.perf_counter()
    journal.rebuild(conn)
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def best_ms(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def cold_ms(path: Path, what: str, *extra: str) -> float:
    """Median of three fresh processes (imports done before the clock starts; connection, caches cold)."""
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", COLD, str(path), NOW.isoformat(), what, *extra],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout)["ms"])
    return statistics.median(runs)


def step_add_ms(folder: Path, synchronous: str, count: int = 150) -> float:
    """Median milliseconds of one `step add` (a committed transaction), journal writes at `synchronous`."""
    conn = api.connect(folder / f"add-{synchronous}.sqlite")
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    original = journal.write
    if synchronous == "NORMAL":  # what the journal did before: the connection's WAL default

        def plain(c: Any) -> Any:
            return db.transaction(c)

        journal.write = plain  # type: ignore[assignment]
    try:
        times = []
        for i in range(count):
            start = time.perf_counter()
            journal.add_step(conn, "study", ref="Psalms 1", at=NOW + timedelta(seconds=i), now=NOW)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        journal.write = original  # type: ignore[assignment]
        conn.close()
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="madrega-bench-journal-", dir=Path.home()) as tmp:
        folder = Path(tmp)
        path = folder / "journal.sqlite"
        t0 = time.perf_counter()
        rebuild_s = generate(path, STEPS)
        print(f"generated {STEPS:,} steps in {time.perf_counter() - t0:.1f} s (rebuild {rebuild_s:.1f} s)")
        conn = api.connect(path)
        today = calendar.hebrew_day(conn, NOW)
        figures: dict[str, float] = {"steps": STEPS, "rebuild_s": round(rebuild_s, 2)}

        scan = best_ms(lambda: conn.execute("SELECT data FROM steps").fetchall())
        figures["baseline_scan_ms"] = scan

        def run_progress() -> None:
            progress.summary(conn, NOW)
            progress.heat_grid(conn, days=84, today=today)

        def run_today() -> None:
            today_mod.today(conn, NOW)
            progress.greeting(conn, NOW)
            calendar.describe_now(calendar.place(conn), NOW)

        def run_building() -> None:
            building_mod.svg(progress.building(conn))

        figures["progress_ms"] = best_ms(run_progress)
        figures["today_ms"] = best_ms(run_today)
        figures["building_ms"] = best_ms(run_building)
        pages = {
            "first": lambda: journal.page_steps(conn, limit=50),
            "middle": lambda: journal.page_steps(conn, limit=50, offset=STEPS // 2),
            "last": lambda: journal.page_steps(conn, limit=50, offset=STEPS - 50),
        }
        anchor = journal.page_steps(conn, limit=50, offset=STEPS // 2).steps[0].uid
        pages["cursor"] = lambda: journal.page_steps(conn, limit=50, before=anchor)
        page_times = {name: best_ms(fn) for name, fn in pages.items()}
        figures["step_list_page_ms"] = max(page_times.values())
        for name, ms in page_times.items():
            figures[f"step_list_page_{name}_ms"] = ms
        svg_bytes = len(building_mod.svg(progress.building(conn)).encode("utf-8"))
        figures["building_svg_kb"] = svg_bytes / 1000
        conn.close()

        figures["progress_cold_ms"] = cold_ms(path, "progress")
        figures["today_cold_ms"] = cold_ms(path, "today")
        figures["building_cold_ms"] = cold_ms(path, "building")
        figures["step_list_page_cold_ms"] = cold_ms(path, "page", str(STEPS - 50))

        figures["step_add_full_ms"] = step_add_ms(folder, "FULL")
        figures["step_add_normal_ms"] = step_add_ms(folder, "NORMAL")

    figures = {k: round(v, 2) for k, v in figures.items()}
    ratios = {
        "progress_vs_scan": round(figures["progress_ms"] / scan, 2),
        "today_vs_scan": round(figures["today_ms"] / scan, 2),
        "building_vs_scan": round(figures["building_ms"] / scan, 2),
        "step_list_page_vs_scan": round(figures["step_list_page_ms"] / scan, 3),
        "step_add_full_vs_normal": round(figures["step_add_full_ms"] / figures["step_add_normal_ms"], 2),
    }
    print(f"baseline: scan of {STEPS:,} steps {scan:.1f} ms")
    for key in ("progress", "today", "building", "step_list_page"):
        limit = PAGE_LIMIT_MS if key == "step_list_page" else LIMIT_MS
        warm, cold = figures[f"{key}_ms"], figures[f"{key}_cold_ms"]
        verdict = "ok" if max(warm, cold) <= limit else f"OVER {limit:g} ms"
        print(f"{key:>15}: warm {warm:8.1f} ms  cold {cold:8.1f} ms  ({verdict})")
    print(f"building SVG: {figures['building_svg_kb']:.0f} kB")
    print(
        f"step add: synchronous=FULL {figures['step_add_full_ms']:.2f} ms, NORMAL {figures['step_add_normal_ms']:.2f} ms"
    )
    print(json.dumps({"bench": "journal", "figures": figures, "ratios": ratios}))


if __name__ == "__main__":
    main()
