"""A library holding Tanakh + Mishnah + Zohar with its quotation index, for the linker's tests: built
once per test run (see built_once) and copied once per test process, the copy removed when the process
ends (160 MB: left behind, every run would fill /tmp a little more)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

import built_once


@cache
def library_path() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="madrega-linker-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return built_once.library("linker", _build, folder / "library.sqlite")


def _build(path: Path) -> None:
    from madrega import api
    from madrega.study.importers.corpus import import_corpus
    from madrega.study.linker.quotations import index_for

    conn = api.connect(path)
    import_corpus(conn, only=("tanakh", "mishnah", "zohar"))
    index_for(conn)  # writes the index file beside the db, so the copies and worker processes load it
    conn.close()
