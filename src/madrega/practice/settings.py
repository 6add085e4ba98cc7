"""The practice companion's settings: one key-value table in the user's database.

The table is created by the journal's first migration (`settings`); this module is the only one
that reads or writes it, so the calendar (below the journal) can read where the user lives
without importing the journal.
"""

from __future__ import annotations

import sqlite3

from madrega import db


def get_setting(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
    return None if row is None else str(row[0])


def put_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Store one value (None removes it), committed before it returns."""
    with db.transaction(conn):
        if value is None:
            conn.execute("DELETE FROM settings WHERE key=?", (key,))
        else:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, value),
            )
