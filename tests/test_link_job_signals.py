"""The background link job (started by `madrega serve`, `demo` and `library init`) stops when it is
asked to (SIGTERM), even while a batch is still being linked, and keeps what it already stored."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from madrega.study.linker import cited_by
from madrega.study.linker import queue as link_queue
from test_link_stage import PAGE, VERSES, _path, _version

HARNESS = Path(__file__).with_name("link_job_harness.py")


@pytest.fixture
def lib(conn: sqlite3.Connection) -> sqlite3.Connection:
    _version(conn, "Isaiah", "Tanakh", {k: v for k, v in VERSES.items() if k.startswith("Isaiah")})
    _version(conn, "Job", "Tanakh", {"Job 8:7": VERSES["Job 8:7"]})
    return conn


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_the_link_job_stops_on_sigterm_and_keeps_what_it_stored(lib: sqlite3.Connection) -> None:
    _version(lib, "Tractate Ours", "Talmud", PAGE)  # 2a:1 quotes Isaiah 51:16; 2a:2 never finishes
    proc = subprocess.Popen(
        [sys.executable, str(HARNESS), str(_path(lib))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the quoting passage is stored (the pipe is read: no sleep)
            if line.strip() == "stored Tractate Ours 2a:1":
                break
        else:
            pytest.fail(f"the job ended before storing anything: {proc.stderr.read() if proc.stderr else ''}")
        asked = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
        stopped_in = time.monotonic() - asked
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert code == 143, stopped_in
    assert stopped_in < 10  # promptly (the stuck batch would never end)
    assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
    st = link_queue.status(lib)
    assert not st.running and st.queued_versions >= 1  # what it did not finish is still queued
    assert [a.source_ref for a in cited_by(lib, "Isaiah 51:16")] == ["Tractate Ours 2a:1"]  # kept
    assert cited_by(lib, "Job 8:7") == []  # the passage in flight was not stored
    assert link_queue.run(_path(lib), workers=1).versions >= 1  # the next job goes on from there
    assert link_queue.status(lib).complete
    assert [a.source_ref for a in cited_by(lib, "Job 8:7")] == ["Tractate Ours 2a:2"]
