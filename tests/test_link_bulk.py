"""Bulk linking: a folder on all cores or on a Dask cluster, stored as anchors the reader can query."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from linker_library import library_path
from madrega import api
from madrega.errors import MadregaError
from madrega.study.linker import cited_by
from madrega.study.linker.bulk import items_from_dir, link_items, store_anchors

TEXTS = {
    "a.txt": "As Iyov (Job) 38:4 asks, and Tehillim 23:4 answers.",
    "b.txt": 'כְּמוֹ שֶׁכָּתוּב "וָאָשִׂים דְּבָרַי בְּפִיךָ" וְעוֹד (תהלים כג, ד).',
    "c/d.md": "Nothing to see: 7 views, a job well done.",
    "e.txt": "Compare Genesis 12:1-3 with Berakhot 5a and ibid., 5b.",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "texts"
    for name, text in TEXTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "skip.bin").write_bytes(b"\x00\x01")
    return root


def _flat(results: list[list]) -> list[list[tuple[int, int, str, str]]]:  # type: ignore[type-arg]
    return [[(c.start, c.end, c.kind, c.ref) for c in cs] for cs in results]


def test_folder_on_processes_stores_anchors_for_cited_by(folder: Path, tmp_path: Path) -> None:
    items = items_from_dir(folder)
    assert [i.source_id for i in items] == ["a.txt", "b.txt", "c/d.md", "e.txt"]
    lib = str(library_path())
    results = link_items(items, db_path=lib, workers=2)
    serial = link_items(items, db_path=lib, workers=1)
    assert _flat(results) == _flat(serial)
    conn = api.connect(tmp_path / "anchors.sqlite")
    stored = store_anchors(conn, items, results)
    assert stored == sum(len(r) for r in results) >= 7
    psalm = cited_by(conn, "Psalms 23:4")
    assert {(a.source_kind, a.source_id) for a in psalm} == {("file", "a.txt"), ("file", "b.txt")}
    assert [a.kind for a in cited_by(conn, "Isaiah 51:16")] == ["quotation"]
    assert {a.ref for a in cited_by(conn, "Psalms 23")} == {"Psalms 23:4"}  # a place inside the chapter
    assert [a.ref for a in cited_by(conn, "Genesis 12:2")] == []  # ranges are stored as written
    # linking again replaces, never duplicates
    assert store_anchors(conn, items, results) == stored
    assert conn.execute("SELECT count(*) FROM anchors").fetchone()[0] == stored


def test_dask_local_cluster_gives_the_same_result(folder: Path) -> None:
    distributed = pytest.importorskip("distributed")
    items = items_from_dir(folder)
    lib = str(library_path())
    expected = _flat(link_items(items, db_path=lib, workers=1))
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        results = link_items(items, db_path=lib, scheduler=cluster.scheduler_address)
        with distributed.Client(cluster.scheduler_address) as client:
            profiling = client.run(_profiling)
    assert _flat(results) == expected
    # the linker pauses the workers' profiler while its batches run: the cluster's is running again after
    assert list(profiling.values()) == [True, True]


def _profiling(dask_worker: Any) -> bool:
    return bool(dask_worker.periodic_callbacks["profile"].is_running())


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(MadregaError, match="not a folder"):
        items_from_dir(tmp_path / "missing")


def test_a_library_copied_with_its_index_files_links_on_workers(folder: Path, tmp_path: Path) -> None:
    """Workers open the library read-only: the copy's index files are vouched for before they start."""
    items = items_from_dir(folder)
    lib = library_path()
    expected = _flat(link_items(items, db_path=str(lib), workers=1))  # every index file written
    copy = tmp_path / "copy" / "library.sqlite"
    copy.parent.mkdir()
    for path in lib.parent.glob(lib.name + "*"):
        shutil.copy(path, copy.parent / path.name)  # new files: their stamps are not the vouched ones
    assert _flat(link_items(items, db_path=str(copy), workers=2)) == expected
