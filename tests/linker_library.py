"""A library holding Tanakh + Mishnah + Zohar, built once per test process for the linker's tests, and
removed when the process ends (160 MB: left behind, every run would fill /tmp a little more)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path


@cache
def library_path() -> Path:
    from madrega import api
    from madrega.study.importers.corpus import import_corpus
    from madrega.study.linker.quotations import index_for

    folder = Path(tempfile.mkdtemp(prefix="madrega-linker-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "library.sqlite"
    conn = api.connect(path)
    import_corpus(conn, only=("tanakh", "mishnah", "zohar"))
    index_for(conn)  # writes the index cache beside the db, so worker processes load it
    conn.close()
    return path
