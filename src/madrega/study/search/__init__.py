"""Search across the library: Hebrew prefix-aware full text (FTS5, BM25, snippets on the original
text), English with stemming and transliteration synonyms, and the gematria lookup index.

The index is kept in step with the library through `library.on_change` (see DEVELOPERS.md,
"Library change hooks"); `rebuild(conn)` builds it from scratch over an existing database.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from madrega import cachefile
from madrega.study import library
from madrega.study.search.index import (
    index_documents,
    index_versions,
    rebuild,
    unindex_documents,
    unindex_versions,
)

if TYPE_CHECKING:
    from madrega.study.search.lookup import GematriaMatch, GematriaResult, gematria_lookup
    from madrega.study.search.query import Hit, SearchResult, parse, prepare, resolve_in, search

# Queries and lookups load on first use: opening a database registers the index hook, nothing more.
_LAZY = {
    "GematriaMatch": "lookup",
    "GematriaResult": "lookup",
    "gematria_lookup": "lookup",
    "resolve_in": "query",
    "Hit": "query",
    "SearchResult": "query",
    "parse": "query",
    "prepare": "query",
    "search": "query",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"madrega.study.search.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "GematriaMatch",
    "GematriaResult",
    "Hit",
    "SearchResult",
    "gematria_lookup",
    "index_documents",
    "index_versions",
    "parse",
    "prepare",
    "rebuild",
    "resolve_in",
    "search",
    "unindex_documents",
    "unindex_versions",
]


# The gematria runs beside the database follow the library's segments (documents are read live).
cachefile.depends("gematria", cachefile.segments_in(None))


@library.on_change(stage="index")
def _follow_library(conn: sqlite3.Connection, change: library.Change) -> None:
    """Index what was just imported; drop what is about to be removed (same transaction)."""
    if change.table == "segments":
        (index_versions if change.action == "added" else unindex_versions)(conn, change.ids)
    else:
        (index_documents if change.action == "added" else unindex_documents)(conn, change.ids)
