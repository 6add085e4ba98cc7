"""A running server opens more connections to its database as it goes (the pool grows, a background
job opens its own). Opening one must not cost the process its SQLite locks: when it did (madrega read
the file's header through a descriptor of its own, and closing that drops every POSIX lock the
process holds on the file), the next `madrega step add` deleted the WAL under the server, and the
server's pages froze on an old snapshot — steps added from the command line never appeared and the
connections stayed "still being built" until a restart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from madrega import db

WRITER = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("INSERT INTO t VALUES (2)")
c.close()  # the last connection of this process: SQLite checkpoints, and deletes the WAL if it may
"""


def test_a_new_connection_keeps_the_locks_of_the_open_ones(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    first = db.connect(path, migrate=False)
    first.execute("CREATE TABLE t (x INTEGER)")
    first.execute("INSERT INTO t VALUES (1)")
    assert first.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 1
    second = db.connect(path, migrate=False)  # what a server does as a second request comes in
    subprocess.run([sys.executable, "-c", WRITER, str(path)], check=True, timeout=60)
    assert Path(f"{path}-wal").exists(), "another process deleted the WAL this process is using"
    assert first.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 2
    assert second.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 2
    first.close()
    second.close()
