"""Request dependencies shared by the routers."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from madrega.web.pool import ConnectionPool


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    pool: ConnectionPool = request.app.state.pool
    with pool.borrow() as conn:
        yield conn


Conn = Annotated[sqlite3.Connection, Depends(get_conn)]


class _FileClock:
    """A clock read from a file holding an ISO time: browser tests move the server's "now" by writing
    the file (`MADREGA_CLOCK_FILE`), so no test waits for real time to pass."""

    def __init__(self, path: str) -> None:
        self.path = path

    def now(self) -> datetime:
        with open(self.path, encoding="utf-8") as f:
            moment = datetime.fromisoformat(f.read().strip().replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def now() -> datetime:
    """The moment a request happens: the computer's clock, or the test clock file when one is set."""
    path = os.environ.get("MADREGA_CLOCK_FILE")
    return _FileClock(path).now() if path else datetime.now(UTC)


Now = Annotated[datetime, Depends(now)]
