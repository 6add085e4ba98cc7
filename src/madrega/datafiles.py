"""The package's data files (catalogs, word lists, cycles), by path.

`importlib.resources` would find them too, but importing it (with zipfile and tempfile) costs every
cold `madrega` process ~10 ms, and madrega is always installed as files, never zipped.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA", "data_file"]

DATA = Path(__file__).resolve().parent / "data"


def data_file(name: str) -> Path:
    """`data/<name>` inside the installed package."""
    return DATA / name
