"""The embedded database: one SQLite file, WAL mode, versioned migrations per component.

Each concept module (library, search, linker, journal, …) registers its own ordered list of
migrations under its component name, so modules evolve their tables independently and a
database created by an older madrega is brought up to date on open.
"""

from __future__ import annotations

import os
import queue
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import platformdirs

Migration = str | Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class Component:
    name: str
    migrations: tuple[Migration, ...]


_COMPONENTS: dict[str, Component] = {}


def register(name: str, migrations: list[Migration]) -> None:
    """Declare a component's migrations (append only: never edit a released one, add a new one)."""
    _COMPONENTS[name] = Component(name, tuple(migrations))


def default_path() -> Path:
    """`MADREGA_DB` if set, else `madrega.sqlite` in the user's data directory."""
    env = os.environ.get("MADREGA_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("madrega")) / "madrega.sqlite"


def connect(path: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the database and bring every registered component up to date.

    Components register themselves when imported; `madrega.api.connect` imports all of them.
    """
    p = Path(path) if path is not None else default_path()
    if str(p) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(p), timeout=30.0, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    if migrate:
        apply_migrations(conn)
    return conn


def apply_migrations(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
    )
    for comp in _COMPONENTS.values():
        row = conn.execute("SELECT version FROM schema_version WHERE component=?", (comp.name,)).fetchone()
        current = row[0] if row else 0
        for number, step in enumerate(comp.migrations[current:], start=current + 1):
            with transaction(conn):
                if callable(step):
                    step(conn)
                else:
                    for statement in _split_sql(step):
                        conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version(component, version) VALUES (?, ?) "
                    "ON CONFLICT(component) DO UPDATE SET version=excluded.version",
                    (comp.name, number),
                )


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


@contextmanager
def transaction(conn: sqlite3.Connection, *, immediate: bool = True) -> Iterator[sqlite3.Connection]:
    """One atomic unit: all of it lands or none of it does (nested calls use savepoints)."""
    if conn.in_transaction:
        name = f"sp_{id(conn)}_{os.urandom(3).hex()}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class ConnectionPool:
    """Connections to one SQLite file, lent to one borrower at a time.

    Web frameworks may run a request's dependency and its endpoint on different threads, so
    thread-local connections are not safe; borrowing is. Only the first connection migrates.
    """

    def __init__(self, path: str | os.PathLike[str], *, migrate: bool = True) -> None:
        self.path = Path(path)
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._idle.put(connect(self.path, migrate=migrate))

    @contextmanager
    def borrow(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = connect(self.path, migrate=False)
        try:
            yield conn
        finally:
            if conn.in_transaction:  # a borrower that failed midway must not leak its transaction
                conn.execute("ROLLBACK")
            self._idle.put(conn)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
