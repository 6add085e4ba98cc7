"""Gematria values of the vocabulary, computed once per form (not per occurrence) and stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from madrega.text import gematria


def canonical(method: str) -> str:
    """The canonical name of a method given by name, alias or Hebrew name (MadregaError if unknown)."""
    return gematria.get_method(method).name


def value_forms(conn: sqlite3.Connection, method: str, forms: Sequence[tuple[int, str]]) -> None:
    """Store the value of each (vocab id, form) and record how far the method's coverage reaches."""
    values = gematria.values([form for _, form in forms], method)
    conn.executemany(
        "INSERT OR REPLACE INTO gematria_values(method, value, vocab_id) VALUES (?, ?, ?)",
        ((method, v, i) for (i, _), v in zip(forms, values, strict=True)),
    )
    top = max((i for i, _ in forms), default=0)
    conn.execute(
        "INSERT INTO gematria_methods(method, covered) VALUES (?, ?) "
        "ON CONFLICT(method) DO UPDATE SET covered = max(covered, excluded.covered)",
        (method, top),
    )


def ensure_method(conn: sqlite3.Connection, method: str) -> None:
    """Value the whole vocabulary under a method the first time a lookup asks for it."""
    from madrega import db

    row = conn.execute("SELECT covered FROM gematria_methods WHERE method=?", (method,)).fetchone()
    covered = int(row[0]) if row else 0
    top = conn.execute("SELECT coalesce(max(id), 0) FROM search_vocab").fetchone()[0]
    if row is not None and covered >= top:
        return
    with db.transaction(conn):
        forms = list(conn.execute("SELECT id, form FROM search_vocab WHERE id > ?", (covered,)))
        value_forms(conn, method, forms)
