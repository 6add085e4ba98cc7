"""The Python API's front door: open the embedded database with every component in it.

Each component owns its tables and registers their migrations (and its library change hooks) when
it is imported; this module imports them by name, so a connection opened here always has all of
them: the library, its search index, the linker's anchors and the journal. The lowest layer
(`madrega.db`) knows none of them.
"""

from __future__ import annotations

import os
import sqlite3

from madrega import db
from madrega.practice import journal
from madrega.study import library, linker, search

__all__ = ["COMPONENTS", "connect"]

# The components whose tables live in the embedded file, in the order their migrations run.
COMPONENTS = (library, search, linker, journal)


def connect(path: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the embedded database with every component's tables up to date."""
    return db.connect(path, migrate=migrate)
