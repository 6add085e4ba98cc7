"""The web app borrows SQLite connections from `madrega.db.ConnectionPool` (one per request)."""

from __future__ import annotations

from madrega.db import ConnectionPool

__all__ = ["ConnectionPool"]
