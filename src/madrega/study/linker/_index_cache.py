"""How a quotation index (Hebrew or English) is found for a library: already open in this process,
else its file beside the database, else built. One routine for both, so they keep one rule.

An index open in the process is kept per database path with the library's generation, and used
only while the generation is unchanged (a change to the library makes it stale). A library without
a file (in memory) has no index file: its index is built from its segments and kept per library
version. Each cache holds a few libraries and is cleared when full (a process serves one or two;
tests open many).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from madrega import cachefile

__all__ = ["index_for", "remember"]

Index = TypeVar("Index")


def remember(
    opened: dict[str, tuple[int, Index]], conn: sqlite3.Connection, generation: int, index: Index, keep: int
) -> None:
    """Keep `index` as this library's, current at `generation`, in `opened` (at most `keep` libraries)."""
    if len(opened) >= keep:
        opened.clear()
    opened[cachefile.db_file(conn)] = (generation, index)


def index_for(
    conn: sqlite3.Connection,
    *,
    name: str,
    fmt: str,
    from_file: Callable[[cachefile.CacheFile], Index],
    build: Callable[[sqlite3.Connection, str], Index],
    version: Callable[[sqlite3.Connection], str],
    build_library: Callable[[sqlite3.Connection], Index],
    opened: dict[str, tuple[int, Index]],
    in_memory: dict[str, Index],
    keep: int,
) -> Index:
    """This library's index `name` (file format `fmt`): open in `opened`, else read with `from_file`,
    else built and stored by `build_library`. A library in memory gets `build(conn, version(conn))`,
    kept in `in_memory`."""
    from madrega.study import library

    path = cachefile.db_file(conn)
    if not path:
        key = version(conn)
        found = in_memory.get(key)
        if found is None:
            if len(in_memory) >= keep:
                in_memory.clear()
            found = in_memory[key] = build(conn, key)
        return found
    generation = library.generation(conn)
    known = opened.get(path)
    if known is not None and known[0] == generation:
        return known[1]
    stored = cachefile.load(conn, name, kind=name, fmt=fmt)
    if stored is not None:
        index = from_file(stored)
        remember(opened, conn, generation, index, keep)
        return index
    return build_library(conn)
