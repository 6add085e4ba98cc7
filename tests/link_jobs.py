"""The background link job that `madrega library init` starts, stopped when a test is done with it.

`library init` ends by starting `madrega library link` in a session of its own (detached: it outlives
the command, as it must for a user) to link everything it imported, on every core. A test that ran the
command is done with the library when the command has returned; left running, the job linked the
whole corpus for minutes on both cores while the rest of the suite ran (and after it). Its state is
not what such a test checks (tests/test_link_job_signals.py stops jobs and checks what they kept).
"""

from __future__ import annotations

import os
import select
import signal
from pathlib import Path


def _link_jobs(db: Path) -> list[int]:
    """The processes running `library link --db DB` (the job and the workers it forked)."""
    wanted = os.fsencode(str(db))
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # gone meanwhile
            continue
        if b"library" in argv and b"link" in argv and wanted in argv:
            found.append(int(entry.name))
    return found


def stop_link_jobs(db: Path) -> int:
    """Kill the link jobs running on DB, with their workers, and return once they are gone; returns
    how many jobs there were."""
    pids = _link_jobs(db)
    waits = []
    for pid in pids:
        try:
            waits.append(os.pidfd_open(pid))  # a descriptor that becomes readable when it exits
        except ProcessLookupError:
            continue
    leaders = 0
    for pid in pids:
        try:
            if os.getpgid(pid) == pid:  # the job leads its own session's group, its workers in it
                leaders += 1
                os.killpg(pid, signal.SIGKILL)
            else:
                os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
    for fd in waits:
        try:
            select.select([fd], [], [], 60)  # returns as soon as it has exited
        finally:
            os.close(fd)
    return leaders
