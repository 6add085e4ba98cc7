"""A bulk import's search index, derived in a second process while this one writes, is the index this
process alone would build: the same rows, keys, vocabulary ids and counts, even when the second
process dies midway; and a failed import leaves no process behind."""

from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from madrega import api
from madrega.study import pipeline
from madrega.study import search as study_search
from madrega.study.importers import corpus
from madrega.study.search import derive
from madrega.study.search import index as search_index

# every table the index writes, in a stable order
_TABLES = {
    "search_fts_content": "id",
    "search_rows": "id",
    "search_vocab": "id",
    "search_vocab_counts": "vocab_id, scope",
    "gematria_values": "method, value, vocab_id",
}
_PART = ("mishnah",)


def _digest(path: Path) -> dict[str, tuple[int, str]]:
    conn = sqlite3.connect(path)
    out = {}
    for table, order in _TABLES.items():
        h = hashlib.sha1()
        n = 0
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
            h.update(repr(row).encode())
            n += 1
        out[table] = (n, h.hexdigest())
    conn.close()
    return out


def _import(path: Path) -> dict[str, tuple[int, str]]:
    conn = api.connect(path)
    corpus.import_corpus(conn, only=_PART)
    assert study_search.search(conn, "שבת").total > 0
    conn.close()
    return _digest(path)


def _children() -> list[str]:
    return [p.name for p in multiprocessing.active_children() if p.name == "madrega-search-derive"]


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """The index this process builds by itself (one core)."""
    mp = pytest.MonkeyPatch()
    mp.setattr(search_index.os, "cpu_count", lambda: 1)
    try:
        return _import(tmp_path_factory.mktemp("alone") / "lib.sqlite")
    finally:
        mp.undo()


def test_a_second_process_derives_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alone: dict[str, tuple[int, str]]
) -> None:
    monkeypatch.setattr(search_index.os, "cpu_count", lambda: 2)
    started: list[int] = []
    real_init = derive.Deriver.__init__

    def counting_init(self: derive.Deriver, ids: dict[str, int]) -> None:
        started.append(len(ids))
        real_init(self, ids)

    monkeypatch.setattr(derive.Deriver, "__init__", counting_init)
    assert _import(tmp_path / "lib.sqlite") == alone
    assert started == [0]  # one second process for the whole import, from an empty vocabulary
    assert _children() == []


def test_a_second_process_that_dies_midway_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alone: dict[str, tuple[int, str]]
) -> None:
    monkeypatch.setattr(search_index.os, "cpu_count", lambda: 2)
    answered = 0
    real_receive = derive.Deriver.receive

    def dying_receive(self: derive.Deriver) -> derive.Derived:
        nonlocal answered
        answered += 1
        if answered == 5:
            self._process.kill()  # as the OOM killer would: chunks sent to it go unanswered
            self._process.join()
        return real_receive(self)

    monkeypatch.setattr(derive.Deriver, "receive", dying_receive)
    assert _import(tmp_path / "lib.sqlite") == alone
    assert answered >= 5
    assert _children() == []


def test_a_failed_bulk_import_leaves_no_process_and_no_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index.os, "cpu_count", lambda: 2)
    real_add = search_index._BulkIndex.add
    added = 0

    def failing_add(self: search_index._BulkIndex, rows: object) -> int:
        nonlocal added
        added += 1
        if added == 3:
            raise OSError(28, "No space left on device")
        return real_add(self, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(search_index._BulkIndex, "add", failing_add)
    conn = api.connect(tmp_path / "lib.sqlite")
    with pytest.raises(OSError):
        corpus.import_corpus(conn, only=_PART)
    assert _children() == []
    assert conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM search_rows").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM search_vocab").fetchone()[0] == 0
    conn.close()


def test_a_library_import_after_a_bulk_one_goes_on_from_its_vocabulary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second process owns the ids only during the bulk import: the next import here continues
    them (the vocabulary cache of this process is not reused stale)."""
    monkeypatch.setattr(search_index.os, "cpu_count", lambda: 2)
    conn = api.connect(tmp_path / "lib.sqlite")
    corpus.import_corpus(conn, only=_PART)
    top = conn.execute("SELECT max(id), count(*) FROM search_vocab").fetchone()
    assert top[0] == top[1]
    pipeline.import_document(conn, "אברהם אבינו והשבתות כולן, מילה חדשה לגמרי: קשקשתאות", title="A note")
    ids = [r[0] for r in conn.execute("SELECT id FROM search_vocab ORDER BY id")]
    assert ids == list(range(1, len(ids) + 1))  # no id given twice, none skipped
    assert len(ids) > top[1]
    found = study_search.search(conn, "קשקשתאות")
    assert found.hits and {h.work for h in found.hits} == {"A note"}
    conn.close()
