"""The link stage: anchors are stored as texts come in and go away with them (documents at once,
library versions through the queue), so `cited_by` never answers with a text that is gone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from madrega import db
from madrega.study import library, pipeline
from madrega.study.linker import bulk, cited_by, stage
from madrega.study.linker import queue as link_queue

# Isaiah 51:16 and two neighbours (Scripture), and a page of our own that quotes and cites.
VERSES = {
    "Isaiah 51:15": "וְאָנֹכִי יְהוָה אֱלֹהֶיךָ רֹגַע הַיָּם וַיֶּהֱמוּ גַּלָּיו יְהוָה צְבָאוֹת שְׁמוֹ",
    "Isaiah 51:16": "וָאָשִׂים דְּבָרַי בְּפִיךָ וּבְצֵל יָדִי כִּסִּיתִיךָ לִנְטֹעַ שָׁמַיִם וְלִיסֹד אָרֶץ וְלֵאמֹר לְצִיּוֹן עַמִּי אָתָּה",
    "Job 8:7": "וְהָיָה רֵאשִׁיתְךָ מִצְעָר וְאַחֲרִיתְךָ יִשְׂגֶּה מְאֹד",
}
PAGE = {
    "Tractate Ours 2a:1": 'אמר רבי פלוני מאי דכתיב "ואשים דברי בפיך ובצל ידי כסיתיך" ללמדך שהתורה מגינה',
    "Tractate Ours 2a:2": "ועוד אמרו (איוב ח, ז) על מי שמתחיל בקטנות",
}
CHANGED = {"Tractate Ours 2a:1": "אמר רבי פלוני דבר אחר לגמרי", "Tractate Ours 2a:2": "ואין כאן פסוק"}
LESSON = "A lesson of ours\n\nAs Job 8:7 says, small beginnings grow.\n"


def _version(
    conn: sqlite3.Connection, title: str, category: str, rows: dict[str, str], name: str = "t"
) -> int:
    segments = [library.SegmentIn(ref, text, text) for ref, text in rows.items()]
    with db.transaction(conn):
        wid = library.ensure_work(conn, title, None, category)
        vid, _ = library.write_version(
            conn,
            work_id=wid,
            lang="he",
            title=name,
            source=None,
            license=None,
            segments=segments,
            fingerprint=library.fingerprint_segments(segments),
        )
    return vid


def _path(conn: sqlite3.Connection) -> Path:
    return Path(conn.execute("PRAGMA database_list").fetchone()[2])


@pytest.fixture
def lib(conn: sqlite3.Connection) -> sqlite3.Connection:
    _version(conn, "Isaiah", "Tanakh", {k: v for k, v in VERSES.items() if k.startswith("Isaiah")})
    _version(conn, "Job", "Tanakh", {"Job 8:7": VERSES["Job 8:7"]})
    return conn


def test_link_is_a_named_stage_before_index(conn: sqlite3.Connection) -> None:
    names = pipeline.stage_names()
    assert names.index("store") < names.index("link") < names.index("index")


def test_a_document_is_linked_as_it_is_stored_and_its_anchors_leave_with_it(lib: sqlite3.Connection) -> None:
    info = pipeline.import_document(lib, LESSON, source="ours.txt")
    anchors = cited_by(lib, "Job 8:7")
    assert [(a.source_kind, a.owner_id) for a in anchors] == [("doc_segment", info.id)]
    assert stage.is_linked(lib, "document", info.id)
    cites = stage.document_citations(lib, info.id)
    assert [(c.ref, c.text) for cs in cites.values() for c in cs] == [("Job 8:7", "Job 8:7")]
    library.remove_document(lib, info.slug)
    assert cited_by(lib, "Job 8:7") == []
    assert lib.execute("SELECT count(*) FROM anchors").fetchone()[0] == 0


def test_a_version_is_queued_then_linked_by_the_job(lib: sqlite3.Connection) -> None:
    vid = _version(lib, "Tractate Ours", "Talmud", PAGE)
    assert cited_by(lib, "Isaiah 51:16") == []  # queued, not linked inside the import
    assert not stage.is_linked(lib, "version", vid)
    report = link_queue.run(_path(lib), workers=1)
    assert report.versions == 3 and report.segments == 5  # the verses themselves too (references only)
    quoted = cited_by(lib, "Isaiah 51:16")
    assert [(a.kind, a.source_ref, a.owner_id) for a in quoted] == [("quotation", "Tractate Ours 2a:1", vid)]
    assert [(a.kind, a.source_ref) for a in cited_by(lib, "Job 8:7")] == [("reference", "Tractate Ours 2a:2")]
    assert stage.is_linked(lib, "version", vid)
    assert link_queue.status(lib).complete
    # the verses are not found quoting themselves or each other
    assert lib.execute("SELECT count(*) FROM anchors WHERE source_ref LIKE 'Isaiah%'").fetchone()[0] == 0


def test_a_replaced_version_loses_its_anchors_at_once(lib: sqlite3.Connection) -> None:
    _version(lib, "Tractate Ours", "Talmud", PAGE)
    link_queue.run(_path(lib), workers=1)
    assert cited_by(lib, "Job 8:7")
    new = _version(lib, "Tractate Ours", "Talmud", CHANGED)  # re-imported with other words
    assert cited_by(lib, "Job 8:7") == [] and cited_by(lib, "Isaiah 51:16") == []
    link_queue.run(_path(lib), workers=1)
    assert cited_by(lib, "Job 8:7") == [] and cited_by(lib, "Isaiah 51:16") == []
    assert stage.is_linked(lib, "version", new)


def test_a_removed_version_takes_its_anchors(lib: sqlite3.Connection) -> None:
    vid = _version(lib, "Tractate Ours", "Talmud", PAGE)
    link_queue.run(_path(lib), workers=1)
    with db.transaction(lib):
        library.remove_version(lib, vid)
    assert cited_by(lib, "Isaiah 51:16") == [] and cited_by(lib, "Job 8:7") == []
    assert not link_queue.status(lib).queued_versions


def test_a_text_changed_while_it_is_linked_is_not_stored_with_its_old_words(
    lib: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    vid = _version(lib, "Tractate Ours", "Talmud", PAGE)
    link_queue.run(_path(lib), workers=1)  # the verses are linked; now only the tractate is queued
    with db.transaction(lib):
        stage.queue(lib, "version", [vid])
    monkeypatch.setattr(bulk, "BATCH_CHARS", 10)  # one segment per batch
    changed = False

    def change_midway(done: int, total: int) -> None:
        nonlocal changed
        if not changed:
            changed = True
            _version(lib, "Tractate Ours", "Talmud", CHANGED)

    link_queue.run(_path(lib), workers=1, progress=change_midway)
    assert cited_by(lib, "Isaiah 51:16") == [] and cited_by(lib, "Job 8:7") == []
    assert link_queue.status(lib).complete


def test_a_second_job_waits_its_turn(lib: sqlite3.Connection) -> None:
    path = str(_path(lib))
    with link_queue._job_lock(path) as mine:
        assert mine and link_queue.is_running(path)
        assert link_queue.run(path, workers=1).already_running
    assert not link_queue.is_running(path)


def test_status_counts_what_is_linked(lib: sqlite3.Connection) -> None:
    _version(lib, "Tractate Ours", "Talmud", PAGE)
    before = link_queue.status(lib)
    assert before.queued_versions == 3 and before.linked_segments == 0 and before.percent == 0
    link_queue.run(_path(lib), workers=1)
    after = link_queue.status(lib)
    assert (after.linked_segments, after.segments, after.percent, after.anchors) == (5, 5, 100, 2)
    assert after.job["done"] == 5 and after.job["finished_at"]


def test_link_library_goes_through_the_stage(lib: sqlite3.Connection) -> None:
    import json

    from typer.testing import CliRunner

    from madrega.cli import _load, app

    _load()
    _version(lib, "Tractate Ours", "Talmud", PAGE)
    pipeline.import_document(lib, LESSON, source="ours.txt")
    result = CliRunner().invoke(app, ["link", "--library", "--json", "--db", str(_path(lib))])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["anchors"] == 3  # the tractate's two, the lesson's one
    assert link_queue.status(lib).complete
    assert sorted(a.source_kind for a in cited_by(lib, "Job 8:7")) == ["doc_segment", "segment"]
