"""Bench: `madrega today` (practice.today.today) on a journal of 100,000 steps.

The journal holds 100,000 steps over three years (a third of them study steps of the cycles' own
portions), three plans with review passes, and keeps Chitas and Daf Yomi (figures.today_ms) or
twelve cycles with a month of catch-up each (figures.today_many_ms). Steps are written straight into
the log and its cache, as a long-kept journal would have them; only `today` is timed (median of 15).
The baseline is reading the month of study steps that catch-up looks at (`list_steps`, 30 days):
ratios.vs_month_read says how many of those one Today costs.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from madrega import db
from madrega.practice import cycles, journal, plans, today

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KINDS = ("prayer", "kindness", "tzedakah", "hitbodedut", "mitzvah")


def build(path: Path) -> None:
    conn = db.connect(path)
    cycles.set_setting(conn, "timezone", "UTC")
    rng = random.Random(18)
    first = NOW.date() - timedelta(days=3 * 365)
    events, steps = [], []
    for i in range(STEPS):
        day = first + timedelta(days=int(i * 3 * 365 / STEPS))
        moment = datetime.combine(day, datetime.min.time(), UTC) + timedelta(minutes=rng.randint(360, 1000))
        uid = str(uuid.UUID(int=rng.getrandbits(128)))
        values = {
            "kind": rng.choice(KINDS),
            "at": journal.iso(moment),
            "day": day.isoformat(),
            "hebrew_date": "",
        }
        if i % 3 == 0:
            portion = cycles.portion(rng.choice(("daf_yomi", "tehillim", "tanya", "rambam")), day)
            values.update(kind="study", ref=portion.ref if portion else "Psalms 1", minutes=20.0)
        step = journal.Step(uid=uid, recorded=values["at"], **values)  # type: ignore[arg-type]
        events.append((str(uuid.uuid4()), values["at"], "step.added", uid, json.dumps(values)))
        steps.append((uid, step.kind, step.at, step.day, step.ref, step.minutes, json.dumps(step.to_dict())))
    with db.transaction(conn):
        conn.executemany(
            "INSERT INTO journal_events(uid, at, type, step_uid, data) VALUES (?,?,?,?,?)", events
        )
        conn.executemany(
            "INSERT INTO steps(uid, kind, at, day, ref, minutes, data) VALUES (?,?,?,?,?,?,?)", steps
        )
    for work in ("Psalms", "Iggeret HaTeshuvah", "Proverbs"):
        plan = plans.add_plan(conn, work, by="chapter", now=NOW - timedelta(days=40))
        for n in range(1, 11):
            plans.mark_portion(conn, plan.uid, n, now=NOW - timedelta(days=40 - n))
    conn.close()


def timed(fn, runs: int = 15) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        t0 = time.perf_counter()
        build(path)
        build_s = time.perf_counter() - t0
        conn = db.connect(path)
        month = (NOW.date() - timedelta(days=30)).isoformat()
        base_ms = timed(lambda: journal.list_steps(conn, kind="study", since=month))
        cycles.keep(conn, "chitas, daf_yomi", since=date(2000, 1, 1))
        today_ms = timed(lambda: today.today(conn, NOW))
        cycles.keep(conn, list(cycles.CYCLES)[:12], since=date(2000, 1, 1))
        many_ms = timed(lambda: today.today(conn, NOW), runs=7)
        count = conn.execute("SELECT COUNT(*) FROM steps").fetchone()[0]
        conn.close()
    print(f"journal of {count} steps built in {build_s:.1f} s", file=sys.stderr)
    print(
        f"today (Chitas + Daf Yomi): {today_ms:.1f} ms; twelve cycles with a month of catch-up: {many_ms:.1f} ms"
    )
    print(f"baseline (a month of study steps read): {base_ms:.2f} ms")
    figures = {
        "steps": count,
        "today_ms": round(today_ms, 1),
        "today_many_ms": round(many_ms, 1),
        "month_read_ms": round(base_ms, 2),
    }
    ratios = {
        "vs_month_read": round(today_ms / base_ms, 1),
        "many_vs_month_read": round(many_ms / base_ms, 1),
    }
    print(json.dumps({"bench": "today", "figures": figures, "ratios": ratios}))


if __name__ == "__main__":
    main()
