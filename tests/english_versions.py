"""A few English verses written into a test library, as an English version of each book."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from madrega import db
from madrega.study import library


def add_kjv(conn: sqlite3.Connection, books: Mapping[str, Mapping[str, str]]) -> sqlite3.Connection:
    """Each book's verses ({'Exodus': {'20:12': 'Honour thy father …'}}) as the King James Version."""
    with db.transaction(conn):
        for title, verses in books.items():
            wid = library.ensure_work(conn, title, "", "Tanakh")
            library.write_version(
                conn,
                work_id=wid,
                lang="en",
                title="King James Version",
                source=None,
                license="Public Domain",
                segments=[library.SegmentIn(f"{title} {place}", v, v) for place, v in verses.items()],
                fingerprint=title,
            )
    return conn
