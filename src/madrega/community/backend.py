"""One SQL dialect for two databases: the embedded SQLite file and a PostgreSQL server.

The community code writes portable SQL with `?` placeholders and a few schema tokens (`{id}`,
`{ts}`, `{text}`, `{int}`, `{bool}`). A `Backend` turns them into its own dialect, hands out
connections, and runs transactions that serialize writers where it matters (`BEGIN IMMEDIATE` on
SQLite; `SELECT … FOR UPDATE` row locks on PostgreSQL, written `{for_update}` in portable SQL).

Errors are mapped once, here: a unique-constraint clash becomes `Conflict`, a lost or refused
database connection becomes `Unavailable` (the face answers 409 and 503) — the pool drops the broken
connection, so the next request reconnects without a restart.
"""

from __future__ import annotations

import queue
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote

from madrega import db, errors
from madrega.errors import MadregaError

Row = dict[str, Any]
Params = Sequence[Any]


class CommunityError(MadregaError):
    """A user mistake in server mode. Its `kind` says what went wrong (a value that does not fit, by
    default); the community's HTTP face (`community.app`) answers each kind with its status."""


class NotFound(CommunityError, errors.NotFound):
    """Not there, or not yours to see."""


class Conflict(CommunityError, errors.Conflict):
    """It clashes with what is already there (a name taken, a portion held, a write at the same moment)."""


class TooLarge(CommunityError, errors.TooLarge):
    """More than may be sent at once."""


class Unavailable(CommunityError, errors.Unavailable):
    """The database cannot be reached right now; the request may be retried."""


DIALECTS: dict[str, dict[str, str]] = {
    "sqlite": {
        "id": "INTEGER PRIMARY KEY AUTOINCREMENT",
        # ISO-8601 UTC text (`2024-05-01T10:00:00.000000Z`) sorts in time order on both backends.
        "ts": "TEXT",
        "text": "TEXT",
        "int": "INTEGER",
        "bigint": "INTEGER",
        "bool": "INTEGER",
        "real": "REAL",
        "for_update": "",
    },
    "postgres": {
        "id": "BIGSERIAL PRIMARY KEY",
        "ts": "TEXT",
        "text": "TEXT",
        "int": "INTEGER",
        "bigint": "BIGINT",
        "bool": "INTEGER",
        "real": "DOUBLE PRECISION",
        "for_update": " FOR UPDATE",
    },
}

_TOKEN = re.compile(r"\{(\w+)\}")


def render_sql(sql: str, dialect: str) -> str:
    """Portable SQL → the dialect's: schema tokens replaced, `?` → `%s` on PostgreSQL."""
    words = DIALECTS[dialect]
    out = _TOKEN.sub(lambda m: words.get(m.group(1), m.group(0)), sql)
    if dialect == "postgres":
        out = out.replace("%", "%%").replace("?", "%s")
    return out


class Tx(Protocol):
    """A connection inside one transaction."""

    dialect: str

    def execute(self, sql: str, params: Params = ()) -> int: ...
    def one(self, sql: str, params: Params = ()) -> Row | None: ...
    def all(self, sql: str, params: Params = ()) -> list[Row]: ...
    def value(self, sql: str, params: Params = ()) -> Any: ...


class Backend(Protocol):
    dialect: str

    def transaction(self, *, write: bool = True) -> Any:
        """A context manager yielding a `Tx`: all of it commits, or none of it does."""
        ...

    def close(self) -> None: ...


# ---------------------------------------------------------------- SQLite


def checked_params(params: Params) -> tuple[Any, ...]:
    """The parameters, refused (`CommunityError`) if a text holds what no database stores as text: a NUL
    character (PostgreSQL refuses it) or an unpaired surrogate (not encodable as UTF-8)."""
    for value in params:
        if isinstance(value, str):
            if "\x00" in value:
                raise CommunityError("text cannot contain NUL characters")
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise CommunityError(
                        "text cannot contain unpaired surrogates (broken characters)"
                    ) from None
        elif isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            raise CommunityError(f"the number {str(value)[:30]} is out of range")
    return tuple(params)


class _RowsTx:
    """What both backends' transactions answer alike, over their own `_run`."""

    def _run(self, sql: str, params: Params) -> Any:
        raise NotImplementedError

    def one(self, sql: str, params: Params = ()) -> Row | None:
        row = self._run(sql, params).fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        return [dict(r) for r in self._run(sql, params).fetchall()]


class _SqliteTx(_RowsTx):
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _run(self, sql: str, params: Params) -> sqlite3.Cursor:
        try:
            return self.conn.execute(render_sql(sql, "sqlite"), checked_params(params))
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"that would clash with something already there ({exc})") from exc

    def execute(self, sql: str, params: Params = ()) -> int:
        return self._run(sql, params).rowcount

    def value(self, sql: str, params: Params = ()) -> Any:
        row = self._run(sql, params).fetchone()
        return None if row is None else row[0]


class SqliteBackend:
    """Connections to one SQLite file, borrowed one request at a time; writers take the lock up front."""

    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        # Community tables migrate through their own history, not the library's components.
        self._pool = db.ConnectionPool(self.path, migrate=False)

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[_SqliteTx]:
        with self._pool.borrow() as conn:
            # IMMEDIATE takes the write lock before the first read, so read-then-write is race-free.
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield _SqliteTx(conn)
                if write:  # never acknowledge a write into a file deleted under the server
                    db.check_still_there(conn)
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        self._pool.close()


# ---------------------------------------------------------------- PostgreSQL


class _PgTx(_RowsTx):
    dialect = "postgres"

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def _run(self, sql: str, params: Params) -> Any:
        import psycopg

        try:
            return self.conn.execute(render_sql(sql, "postgres"), checked_params(params))
        except psycopg.errors.IntegrityError as exc:
            raise Conflict("that would clash with something already there") from exc

    def execute(self, sql: str, params: Params = ()) -> int:
        return int(self._run(sql, params).rowcount)

    def value(self, sql: str, params: Params = ()) -> Any:
        row = self._run(sql, params).fetchone()
        return None if row is None else next(iter(row.values()))


class PostgresBackend:
    """A small pool of psycopg 3 connections that throws away any connection the server dropped."""

    dialect = "postgres"

    def __init__(self, url: str, *, max_idle: int = 64, connect_timeout: float = 3.0) -> None:
        self.url = url
        self.max_idle = max_idle
        self.connect_timeout = connect_timeout
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._lock = threading.Lock()

    def _connect(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        try:
            return psycopg.connect(
                self.url,
                autocommit=True,
                row_factory=dict_row,
                connect_timeout=max(1, int(self.connect_timeout)),
            )
        except psycopg.OperationalError as exc:
            raise Unavailable("the database is not reachable right now; try again shortly") from exc

    def _borrow(self) -> Any:
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return self._connect()
            if not conn.closed and not conn.broken:
                return conn
            conn.close()

    def _give_back(self, conn: Any) -> None:
        import psycopg

        if conn.closed or conn.broken or self._idle.qsize() >= self.max_idle:
            conn.close()
            return
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            try:
                conn.rollback()
            except psycopg.Error:
                conn.close()
                return
        self._idle.put(conn)

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[_PgTx]:
        import psycopg

        conn = self._borrow()
        try:
            try:
                with conn.transaction():
                    yield _PgTx(conn)
            except psycopg.OperationalError as exc:
                conn.close()  # a connection the server dropped is never reused
                raise Unavailable("the database is not reachable right now; try again shortly") from exc
            except psycopg.errors.SerializationFailure as exc:
                raise Conflict("someone else changed this at the same moment; try again") from exc
        finally:
            self._give_back(conn)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


def open_backend(database_url: str) -> SqliteBackend | PostgresBackend:
    """`postgresql://…` (or `postgres://…`) → PostgreSQL; `sqlite:///path` or a bare path → SQLite."""
    if database_url.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(database_url)
    if database_url.startswith("sqlite://"):
        # `sqlite:///srv/community.sqlite` is the file /srv/community.sqlite.
        return SqliteBackend(unquote(database_url.removeprefix("sqlite://")) or ":memory:")
    if "://" in database_url:
        raise CommunityError(
            f"unknown database address {database_url!r}",
            suggestions=["postgresql://user@host:5432/dbname", "sqlite:///path/to/community.sqlite"],
        )
    return SqliteBackend(database_url)
