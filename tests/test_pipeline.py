"""The import pipeline: named stages, run in order, all in one transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from madrega.study import library, pipeline

ARTICLE = (Path(__file__).parent / "fixtures" / "articles" / "two-posts.txt").read_text(encoding="utf-8")


def test_stage_names_are_the_pipeline_in_order(conn: sqlite3.Connection) -> None:
    names = pipeline.stage_names()
    assert names[:4] == ["read", "segment", "align", "store"]
    assert "index" in names  # search follows every change of the library's text


def test_a_document_passes_every_stage_and_is_stored(conn: sqlite3.Connection) -> None:
    job = pipeline.Job(ARTICLE, source="two-posts.txt")
    info = pipeline.run(conn, job)
    assert job.done == ["segment", "align", "store"]
    assert [d.id for d in library.list_documents(conn)] == [info.id]


def test_a_failing_stage_leaves_nothing_behind(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_index(c: sqlite3.Connection, change: library.Change) -> None:
        raise RuntimeError("index stage failed")

    monkeypatch.setattr(library, "_HOOKS", [*library._HOOKS, broken_index])
    before = library.generation(conn)
    with pytest.raises(RuntimeError):
        pipeline.import_document(conn, ARTICLE, source="two-posts.txt")
    assert library.list_documents(conn) == []
    assert conn.execute("SELECT COUNT(*) FROM doc_segments").fetchone()[0] == 0
    assert library.generation(conn) == before
