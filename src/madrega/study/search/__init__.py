"""Search across the library: Hebrew prefix-aware full text (FTS5, BM25, snippets on the original
text), English with stemming and transliteration synonyms, and the gematria lookup index.

The index is kept in step with the library through `library.on_change` (see DEVELOPERS.md,
"Library change hooks"); `rebuild(conn)` builds it from scratch over an existing database.
"""

from __future__ import annotations

import sqlite3

from madrega.study import library
from madrega.study.search.index import (
    index_documents,
    index_versions,
    rebuild,
    unindex_documents,
    unindex_versions,
)
from madrega.study.search.lookup import GematriaMatch, GematriaResult, gematria_lookup, resolve_in
from madrega.study.search.query import Hit, SearchResult, parse, search

__all__ = [
    "GematriaMatch",
    "GematriaResult",
    "Hit",
    "SearchResult",
    "gematria_lookup",
    "index_documents",
    "index_versions",
    "parse",
    "rebuild",
    "resolve_in",
    "search",
    "unindex_documents",
    "unindex_versions",
]


@library.on_change(stage="index")
def _follow_library(conn: sqlite3.Connection, change: library.Change) -> None:
    """Index what was just imported; drop what is about to be removed (same transaction)."""
    if change.table == "segments":
        (index_versions if change.action == "added" else unindex_versions)(conn, change.ids)
    else:
        (index_documents if change.action == "added" else unindex_documents)(conn, change.ids)
