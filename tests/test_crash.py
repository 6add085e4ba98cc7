"""Killing a process mid-write loses no step whose add returned; two writers lose nothing."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from madrega import api

WRITER = """
import sys
from madrega import api
from madrega.practice import journal
conn = api.connect(sys.argv[1])
for i in range(int(sys.argv[2])):
    step = journal.add_step(conn, "kindness", minutes=1, note=f"run {sys.argv[3]} #{i}")
    sys.stdout.write(step.uid + "\\n")
    sys.stdout.flush()
"""


def writer(path: Path, count: int, tag: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(count), tag], stdout=subprocess.PIPE, text=True, env=env
    )


def present(path: Path) -> tuple[set[str], str]:
    conn = sqlite3.connect(path)
    uids = {r[0] for r in conn.execute("SELECT uid FROM steps")}
    logged = {r[0] for r in conn.execute("SELECT step_uid FROM journal_events WHERE type='step.added'")}
    assert uids == logged  # the view never drifts from the log
    check = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    return uids, check


def test_sigkill_at_random_moments_loses_no_committed_step(tmp_path: Path) -> None:

    path = tmp_path / "crash.sqlite"
    api.connect(path).close()
    rng = random.Random(613)
    confirmed: set[str] = set()
    for run in range(50):
        proc = writer(path, 100_000, str(run))
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()  # writing has begun
        # A random moment of the writing, counted in steps it confirmed (not in seconds waited).
        read = [proc.stdout.readline().strip() for _ in range(rng.randrange(40))]
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        lines = [first, *read, *rest.splitlines()]
        confirmed.update(line for line in lines if len(line) == 36)
        uids, check = present(path)
        assert check == "ok", f"run {run}"
        missing = confirmed - uids
        assert not missing, f"run {run}: {len(missing)} confirmed steps lost"
    assert len(confirmed) > 50


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:

    path = tmp_path / "two.sqlite"
    api.connect(path).close()
    procs = [writer(path, 150, tag) for tag in ("a", "b")]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    confirmed = {line for out in outputs for line in out.splitlines()}
    uids, check = present(path)
    assert check == "ok" and len(confirmed) == 300 and uids == confirmed
