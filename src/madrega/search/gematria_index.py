"""Gematria values of the vocabulary, computed once per form (not per occurrence) and stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from madrega.errors import MadregaError

_STANDARD = dict(
    zip(
        "אבגדהוזחטיכלמנסעפצקרשתךםןףץ",
        [
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            10,
            20,
            30,
            40,
            50,
            60,
            70,
            80,
            90,
            100,
            200,
            300,
            400,
            20,
            40,
            50,
            80,
            90,
        ],
        strict=True,
    )
)


def _fallback_standard(text: str) -> int:
    return sum(_STANDARD.get(ch, 0) for ch in text)


def methods() -> tuple[str, ...]:
    try:
        from madrega import gematria
    except ModuleNotFoundError:
        return ("standard",)
    return tuple(gematria.METHODS)


def valuer(method: str) -> Callable[[str], int]:
    """The function giving a form's value under `method` (MadregaError naming the methods if unknown)."""
    known = methods()
    if method not in known:
        raise MadregaError(f"unknown gematria method {method!r}", suggestions=list(known))
    try:
        from madrega import gematria
    except ModuleNotFoundError:
        return _fallback_standard

    def value(form: str) -> int:
        return int(gematria.value(form, method))

    return value


def value_forms(conn: sqlite3.Connection, method: str, forms: Sequence[tuple[int, str]]) -> None:
    """Store the value of each (vocab id, form) and record how far the method's coverage reaches."""
    value = valuer(method)
    conn.executemany(
        "INSERT OR REPLACE INTO gematria_values(method, value, vocab_id) VALUES (?, ?, ?)",
        ((method, value(form), i) for i, form in forms),
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
    valuer(method)  # unknown method: fail before opening a write transaction
    with db.transaction(conn):
        forms = list(conn.execute("SELECT id, form FROM search_vocab WHERE id > ?", (covered,)))
        value_forms(conn, method, forms)
