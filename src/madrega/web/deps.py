"""Request dependencies shared by the routers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from madrega.web.pool import ConnectionPool


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    pool: ConnectionPool = request.app.state.pool
    with pool.borrow() as conn:
        yield conn


Conn = Annotated[sqlite3.Connection, Depends(get_conn)]


def get_now(request: Request) -> datetime:
    """The moment of this request, from the app's one clock (a test's fake clock, or the system's)."""
    clock = getattr(request.app.state, "clock", None)
    if clock is None:
        from madrega.practice.calendar import SYSTEM_CLOCK

        clock = SYSTEM_CLOCK
    moment: datetime = clock.now()
    return moment


Now = Annotated[datetime, Depends(get_now)]
