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
from typing import Any

import platformdirs

from madrega.errors import Invalid, Unavailable

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


class StorageError(Unavailable):
    """The database file cannot be used as it is (missing folder, a folder, not a database, damaged,
    full disk, read-only): nothing was written half-way, and the message says what to do."""


def row_id(key: str) -> int | None:
    """`key` as a row id when it is one (ASCII digits within SQLite's 64-bit range), else None: a slug.

    `int()` alone would take Unicode digits and numbers SQLite cannot bind."""
    key = key.strip()
    if key.isascii() and key.isdigit() and len(key) <= 18:
        return int(key)
    return None


class Connection(sqlite3.Connection):
    """A connection that remembers which file it opened, to notice the file vanishing under it."""

    identity: tuple[int, int] | None = None
    file: Path | None = None

    # Text with a lone surrogate (a broken character from a bad decode or a fuzzer) cannot be stored
    # as UTF-8: whatever core function was writing it, the user is told, and nothing was written.
    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except UnicodeEncodeError:
            raise Invalid(_BROKEN_TEXT) from None

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except UnicodeEncodeError:
            raise Invalid(_BROKEN_TEXT) from None


_BROKEN_TEXT = (
    "the text holds a broken character (an unpaired surrogate): it cannot be stored; type or paste it again"
)


_SQLITE_MAGIC = b"SQLite format 3\x00"

# The (device, inode) of every database file this process has opened: its header was checked then.
_checked: set[tuple[int, int]] = set()


def _check_file(p: Path) -> None:
    """Refuse, with a clear message, a path SQLite would open badly or only fail on later."""
    if p.is_dir():
        raise StorageError(
            f"{p} is a folder, not a database file: give a file name (e.g. {p / 'madrega.sqlite'})"
        )
    if not p.parent.is_dir():
        raise StorageError(
            f"the folder {p.parent} does not exist: create it first, or give a database file in an existing folder"
        )
    try:
        stat = p.stat()
        if (stat.st_dev, stat.st_ino) in _checked:
            # Opened already in this process: closing a descriptor of our own on the file would drop
            # every POSIX lock the process holds on it, so another process could checkpoint and
            # delete the WAL under our open connections (they would then read a frozen snapshot
            # and write into a deleted file). SQLite reports any later damage itself.
            return
        with p.open("rb") as f:
            header = f.read(100)
        size = stat.st_size
    except FileNotFoundError:
        return  # a new database
    except OSError as exc:
        raise StorageError(f"cannot read {p} ({exc.strerror})") from exc
    if not header:
        return  # an empty file is a new database
    if not header.startswith(_SQLITE_MAGIC) or len(header) < 100:
        raise StorageError(
            f"{p} is not a madrega database (not SQLite at all): give another file, or restore it from a backup"
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]  # the page count is trustworthy only then
    # Another process may be writing it now (a checkpoint writes page 1, with the new page count,
    # before the pages that grow the file): only a file at rest, with no WAL or journal beside it,
    # can be judged cut short by its size. SQLite reports damage under a live writer itself.
    live = any(Path(f"{p}{suffix}").exists() for suffix in ("-wal", "-journal"))
    if valid and pages and not live and size < pages * page_size:
        raise StorageError(
            f"{p} is damaged: it is {size} bytes but should be at least {pages * page_size} (cut short?); "
            "restore it from a backup"
        )


def _storage_error(p: Path | str, exc: sqlite3.Error) -> StorageError:
    """What a person can do about SQLite's own words."""
    text = str(exc).lower()
    if isinstance(p, Path) and _read_only_here(p):
        text = "readonly"
    if "full" in text:
        why = "the disk is full: free some space and try again (nothing was written)"
    elif "readonly" in text or "read-only" in text:
        why = "it is on a read-only file system, or read-only itself: madrega needs to write it (nothing was written)"
    elif "malformed" in text or "not a database" in text or "corrupt" in text:
        why = "it is damaged: restore it from a backup"
    elif "unable to open" in text:
        why = "it cannot be opened: check that its folder exists and that you may write there"
    elif "disk i/o" in text:
        why = "the disk failed to read or write it: check the disk (nothing was written)"
    else:
        why = f"SQLite says: {exc}"
    return StorageError(f"cannot use the database {p}: {why}")


def _read_only_here(p: Path) -> bool:
    try:
        return bool(os.statvfs(p.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def connect(path: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the database and bring every registered component up to date.

    Components register themselves when imported; `madrega.api.connect` imports all of them.
    Only madrega's own data folder is created on the way: a path the user gave must be in a folder
    that exists (a mistyped `--db /no/such/dir/x.db` is an error, not a new tree of folders).
    """
    p = Path(path) if path is not None else default_path()
    memory = str(p) == ":memory:"
    if not memory:
        if p.parent == Path(platformdirs.user_data_dir("madrega")):
            p.parent.mkdir(parents=True, exist_ok=True)
        _check_file(p)
    try:
        conn = sqlite3.connect(
            str(p), timeout=30.0, isolation_level=None, check_same_thread=False, factory=Connection
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        if not memory:
            stat = p.stat()
            conn.file, conn.identity = p, (stat.st_dev, stat.st_ino)
            _checked.add(conn.identity)
        if migrate:
            apply_migrations(conn)
    except sqlite3.Error as exc:
        raise _storage_error(p, exc) from exc
    return conn


def _is_storage_fault(exc: BaseException) -> bool:
    """A fault of the file or the disk (full, read-only, damaged), not of the statement or a lock."""
    if not isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError):
        return False
    if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return False
    text = str(exc).lower()
    return not ("locked" in text or "busy" in text or "syntax" in text or "no such" in text)


def check_still_there(conn: sqlite3.Connection) -> None:
    """Refuse to commit into a database file that was deleted or replaced since it was opened:
    SQLite would write into the vanished file and the change would be lost at the next start."""
    identity = getattr(conn, "identity", None)
    file = getattr(conn, "file", None)
    if identity is None or file is None:
        return
    try:
        stat = file.stat()
    except OSError:
        stat = None
    if stat is None or (stat.st_dev, stat.st_ino) != identity:
        raise StorageError(
            f"the database file {file} was removed or replaced while madrega was running: "
            "nothing was written; restart madrega (and restore the file from a backup if it is gone)"
        )


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
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                except sqlite3.OperationalError:
                    pass  # a full disk rolls the whole transaction back by itself: the savepoint is gone
            if isinstance(exc, sqlite3.Error) and _is_storage_fault(exc):
                raise _storage_error(getattr(conn, "file", None) or "in use", exc) from exc
            raise
        conn.execute(f"RELEASE {name}")
        return
    try:
        conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    except sqlite3.OperationalError as exc:
        if not _is_storage_fault(exc):
            raise
        raise _storage_error(getattr(conn, "file", None) or "in use", exc) from exc
    try:
        yield conn
        if immediate:
            check_still_there(conn)
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error) and _is_storage_fault(exc):
            raise _storage_error(getattr(conn, "file", None) or "in use", exc) from exc
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise _storage_error(getattr(conn, "file", None) or "in use", exc) from exc


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
