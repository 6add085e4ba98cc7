"""The Python API: one `Library` object opens the file and does what the CLI and the web do."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import madrega
from madrega.errors import NotFound
from madrega.study.importers import corpus

ARTICLE = (Path(__file__).parent / "fixtures" / "articles" / "two-posts.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lib_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "lib.sqlite"
    with madrega.Library.open(path) as lib:
        corpus.import_corpus(lib.conn, only=["tanakh"])
    return path


def test_open_read_link_search(lib_path: Path) -> None:
    with madrega.Library.open(lib_path) as lib:
        passage = lib.read("Job 8:7")
        assert passage.ref == "Job 8:7"
        assert [c.ref for c in lib.link("As it says in Job 8:7, the end grows great.")] == ["Job 8:7"]
        assert lib.search("ראשיתך").total >= 1
        assert any(w.title == "Job" for w in lib.works())
        assert lib.contents("Job")


def test_documents_round_trip(lib_path: Path, tmp_path: Path) -> None:
    with madrega.Library.open(tmp_path / "docs.sqlite") as lib:
        before = lib.generation()
        info = lib.import_document(ARTICLE, source="two-posts.txt")
        assert [d.id for d in lib.documents()] == [info.id]
        assert lib.document(info.id).segments
        assert lib.generation() > before
        lib.remove_document(info.id)
        assert lib.documents() == []
        with pytest.raises(NotFound):
            lib.document(info.id)


def test_threads_borrow_their_own_connections(lib_path: Path) -> None:
    lib = madrega.Library.open(lib_path)

    def count(_: int) -> int:
        with lib.borrow() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM works").fetchone()[0])

    with ThreadPoolExecutor(4) as pool:
        counts = set(pool.map(count, range(16)))
    lib.close()
    assert len(counts) == 1 and counts.pop() > 0
