"""The web app borrows SQLite connections from a pool over the embedded file (one per request)."""

from __future__ import annotations

import os

from madrega import api, db

__all__ = ["ConnectionPool"]


class ConnectionPool(db.ConnectionPool):
    """`madrega.db.ConnectionPool` whose first connection brings every component's tables up to date."""

    def __init__(self, path: str | os.PathLike[str], *, migrate: bool = True) -> None:
        if migrate:
            api.connect(path).close()
        super().__init__(path, migrate=False)
