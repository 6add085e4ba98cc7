"""A small pool of SQLite connections: one connection is never used by two requests at once.

FastAPI runs sync endpoints and their dependencies on a thread pool, and a dependency may run on a
different thread than its endpoint, so thread-local connections are not safe; borrowing is.
"""

from __future__ import annotations

import queue
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from madrega import db


class ConnectionPool:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        # Migrate once, here; borrowed connections skip the migration check.
        self._idle.put(db.connect(self.path))

    @contextmanager
    def borrow(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = db.connect(self.path, migrate=False)
        try:
            yield conn
        finally:
            if conn.in_transaction:  # a request that failed midway must not leak its transaction
                conn.execute("ROLLBACK")
            self._idle.put(conn)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
