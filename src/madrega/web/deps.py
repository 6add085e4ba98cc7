"""Request dependencies shared by the routers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from madrega.web.pool import ConnectionPool


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    pool: ConnectionPool = request.app.state.pool
    with pool.borrow() as conn:
        yield conn


Conn = Annotated[sqlite3.Connection, Depends(get_conn)]
