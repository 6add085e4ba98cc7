"""The embedded corpus: refs in Sefaria's form, idempotent, and all-or-nothing even when killed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from link_jobs import stop_link_jobs
from madrega import api
from madrega.errors import MadregaError
from madrega.study import library
from madrega.study.importers import corpus


@pytest.fixture(scope="module")
def tanakh_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tanakh and Mishnah, imported without change hooks (derived indexes are not under test here)."""
    path = tmp_path_factory.mktemp("corpus") / "tanakh.sqlite"
    conn = api.connect(path)  # registers every component's hooks
    saved = list(library._HOOKS)
    library._HOOKS.clear()
    try:
        corpus.import_corpus(conn, only=["tanakh", "mishnah"])
    finally:
        library._HOOKS[:] = saved
    conn.close()
    yield path


@pytest.fixture
def no_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    import madrega.api  # noqa: F401  (registers every hook first: later ones would land in the patched list)

    monkeypatch.setattr(library, "_HOOKS", [])


def _text(conn: sqlite3.Connection, ref: str) -> str:
    """The segment's letters without niqqud and cantillation (enough to recognise it)."""
    row = conn.execute("SELECT text FROM segments WHERE ref=?", (ref,)).fetchone()
    assert row is not None, ref
    return "".join(ch for ch in str(row[0]) if not unicodedata.combining(ch))


def test_tanakh_and_mishnah_refs_are_sefaria_style(tanakh_db: Path) -> None:
    conn = api.connect(tanakh_db)
    assert _text(conn, "Genesis 1:1").startswith("בראשית ברא")
    assert "עמי־אתה" in _text(conn, "Isaiah 51:16")
    assert _text(conn, "Mishnah Berakhot 1:1").startswith("מאימתי")
    assert conn.execute("SELECT count(*) FROM segments WHERE ref LIKE 'Pirkei Avot %'").fetchone()[0] > 100
    titles = library.work_titles(conn)
    for t in ("I Samuel", "II Kings", "Song of Songs", "Psalms", "II Chronicles", "Mishnah Bava Kamma"):
        assert t in titles
    # Genesis has 1533 verses in the Masoretic text
    assert conn.execute("SELECT count(*) FROM segments WHERE ref LIKE 'Genesis %'").fetchone()[0] == 1533
    conn.close()


def test_second_run_changes_nothing_and_reads_no_json(
    tanakh_db: Path, monkeypatch: pytest.MonkeyPatch, no_hooks: None
) -> None:
    conn = api.connect(tanakh_db)
    before = conn.execute("SELECT count(*), max(id) FROM segments").fetchone()
    monkeypatch.setattr(corpus, "_load", lambda path: pytest.fail(f"read {path} again"))
    report = corpus.import_corpus(conn, only=["tanakh", "mishnah"])
    assert report.works_added == 0 and report.groups_skipped == ["tanakh", "mishnah"]
    assert tuple(conn.execute("SELECT count(*), max(id) FROM segments").fetchone()) == tuple(before)
    conn.close()


def test_indexes_are_back_after_a_bulk_import(tanakh_db: Path) -> None:
    conn = api.connect(tanakh_db)
    names = {
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='segments'")
    }
    assert {"segments_version_ref", "segments_ref", "segments_order"} <= names
    conn.close()


def test_unknown_part_is_a_clear_error(conn: sqlite3.Connection) -> None:
    with pytest.raises(MadregaError, match="unknown corpus part talmud"):
        corpus.import_corpus(conn, only=["talmud"])


@pytest.mark.parametrize(
    ("value", "amud"),
    [
        ("11b", "11b"),
        ("רס.", "260a"),
        ("רס:", "260b"),
        ("קמח.", "148a"),
        ("'סתרי תורה' בא לקמן דף קמח.", None),
    ],
)
def test_vilna_page_values(value: str, amud: str | None) -> None:
    assert corpus.normalize_page(value) == amud


def test_amud_numbering() -> None:
    assert [corpus.amud(i) for i in range(4)] == ["2a", "2b", "3a", "3b"]


def _run_init(path: Path, *extra: str) -> subprocess.Popen[bytes]:
    code = "from madrega.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "library", "init", "--db", str(path), "--json", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


# `madrega library init --only tanakh,mishnah,bavli`, saying each step of its progress on a line.
INIT_SAYING_PROGRESS = """
import sys
from madrega import api
from madrega.study.prepare import init_library

def say(step, done, total):
    print(step, done, total, flush=True)

init_library(api.connect(sys.argv[1]), only=["tanakh", "mishnah", "bavli"], progress=say)
"""


@pytest.mark.slow
def test_killed_import_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    from madrega.study.document import DocSegment, Document

    path = tmp_path / "killed.sqlite"
    conn = api.connect(path)
    library.save_document(conn, Document("Mine", "article", [DocSegment("commentary", "kept", "en")]))
    conn.close()
    wal = Path(str(path) + "-wal")
    start_size = wal.stat().st_size if wal.exists() else 0
    # The import says how far it is, work by work, inside its one transaction: killed once it has
    # written works (and more than 2 MB) and before it has written them all.
    proc = subprocess.Popen(
        [sys.executable, "-c", INIT_SAYING_PROGRESS, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:  # blocks until the import says something (or ends)
        step, done, total = line.rsplit(maxsplit=2)
        mid_import = step == "import" and 0 < int(done) < int(total)
        if (
            mid_import and wal.exists() and wal.stat().st_size > start_size + 2_000_000
        ):  # it has begun writing
            break
    else:
        pytest.fail("the import finished before it could be killed")
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = api.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM works").fetchone()[0] == 0
    assert [d.title for d in library.list_documents(conn)] == ["Mine"]
    conn.close()
    proc = _run_init(path, "--only", "tanakh")  # a rerun completes (a smaller one: hooks make it slow)
    try:
        out, err = proc.communicate(timeout=300)
    finally:
        stop_link_jobs(path)  # the connections it went on to build in the background: not this test's
    assert proc.returncode == 0, err.decode()
    assert json.loads(out)["works_added"] == 39


@pytest.mark.slow
def test_whole_corpus(tmp_path: Path, no_hooks: None) -> None:
    conn = api.connect(tmp_path / "all.sqlite")
    report = corpus.import_corpus(conn)
    assert report.works_added == 181 and report.segments > 140_000
    for ref in (
        "Berakhot 2a:1",
        "Jerusalem Talmud Berakhot 1:1:1",
        "Zohar 1:11b:2",
        "Zohar 2:176b:1",
        "Tikkunei Zohar 1:1",
        "Zohar Chadash, Bereshit 1",
    ):
        assert conn.execute("SELECT 1 FROM segments WHERE ref=?", (ref,)).fetchone(), ref
    # page markers stay as data, out of the searchable text
    row = conn.execute("SELECT plain, markers FROM segments WHERE ref='Zohar 1:1a:1'").fetchone()
    assert "data-overlay" not in row[0] and json.loads(row[1])[0] == {
        "kind": "page",
        "value": "1a",
        "offset": 0,
    }
    assert corpus.import_corpus(conn).works_added == 0
    conn.close()


def test_a_failed_quotation_build_beside_says_so_without_a_traceback(tmp_path: Path) -> None:
    """The second process that builds the Hebrew quotation index tells the parent it failed and
    exits 1 quietly: the parent builds the index itself, where a real error is reported."""
    from madrega.study import prepare

    class Messages(list[object]):
        def put(self, message: object) -> None:
            self.append(message)

    messages = Messages()
    with pytest.raises(SystemExit) as stopped:
        prepare._build_quotes(str(tmp_path / "no-such-folder" / "madrega.sqlite"), messages)
    assert stopped.value.code == 1
    assert messages == ["failed"]
