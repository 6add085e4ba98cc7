"""Request dependencies shared by the routers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from madrega.practice import journal
from madrega.web.pool import ConnectionPool


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    pool: ConnectionPool = request.app.state.pool
    with pool.borrow() as conn:
        yield conn


Conn = Annotated[sqlite3.Connection, Depends(get_conn)]


def now() -> datetime:
    """The moment a request happens (the journal's clock, which tests set with MADREGA_CLOCK_FILE)."""
    return journal.utcnow()


Now = Annotated[datetime, Depends(now)]
