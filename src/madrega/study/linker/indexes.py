"""What linking needs beside the database, built ahead: the quotation indexes and the title automaton.

Its own module so that the bulk linker builds them before its workers start without importing the
package that re-exports it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from madrega import cachefile

__all__ = ["BuildProgress", "build_indexes"]

BuildProgress = Any  # Callable[[str, int, int], None]: (what, done, total)


def build_indexes(conn: sqlite3.Connection, progress: BuildProgress | None = None) -> None:
    """Build what linking needs that is not current yet — the Hebrew and English quotation indexes
    beside the database, the title automaton in the cache — so no later link waits for them."""
    from madrega.study.linker import english_quotations, quotations
    from madrega.study.linker.references import prepare_titles

    def step(what: str) -> Any:
        return None if progress is None else (lambda done, total: progress(what, done, total))

    if not cachefile.is_current(conn, quotations.INDEX_NAME, quotations.INDEX_FORMAT):
        quotations.build_library_index(conn, step("quotation index (Hebrew)"))
    if not cachefile.is_current(conn, english_quotations.INDEX_NAME, english_quotations.INDEX_FORMAT):
        english_quotations.build_library_index(conn, step("quotation index (English)"))
    prepare_titles()
