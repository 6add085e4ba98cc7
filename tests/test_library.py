"""The store: documents round-trip, slugs are unique, removal is clean, hooks see every change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madrega import api, db
from madrega.errors import ImportFailed, NotFound
from madrega.study import library
from madrega.study.document import DocSegment, Document, Footnote


def _lesson(title: str = "Iggeret HaTeshuvah, chapter 10") -> Document:
    return Document(
        title=title,
        kind="lesson",
        source="lesson.txt",
        teaches_ref="Tanya, Part III; Iggeret HaTeshuvah 10",
        posts=["first post"],
        meta={"author": "me"},
        segments=[
            DocSegment("heading", "A lesson I wrote", "en"),
            DocSegment(
                "source", "והנה שורה שכתבתי", "he", ref="Tanya, Part III; Iggeret HaTeshuvah 10:1", pair=1
            ),
            DocSegment(
                "translation", "Now, a line I wrote", "en", pair=1, footnotes=[Footnote("1", 5, "my note")]
            ),
            DocSegment("commentary", "Some <b>explanation</b> of mine.", "en"),
        ],
    )


def test_document_round_trips(conn: sqlite3.Connection) -> None:
    doc = _lesson()
    doc_id = library.save_document(conn, doc)
    assert library.load_document(conn, doc_id) == doc
    info = library.document_info(conn, doc_id)
    assert library.load_document(conn, info.slug) == doc
    assert conn.execute("SELECT plain FROM doc_segments WHERE role='commentary'").fetchone()[0] == (
        "Some explanation of mine."
    )


def test_slugs_come_from_titles_and_stay_unique(conn: sqlite3.Connection) -> None:
    a = library.save_document(conn, _lesson("Chapter 10: Teshuvah!"))
    b = library.save_document(conn, _lesson("Chapter 10: Teshuvah!"))
    slugs = [library.document_info(conn, i).slug for i in (a, b)]
    assert slugs == ["chapter-10-teshuvah", "chapter-10-teshuvah-2"]
    he = library.save_document(conn, _lesson("אגרת התשובה"))
    assert library.document_info(conn, he).slug == "אגרת-התשובה"


def test_list_and_remove(conn: sqlite3.Connection) -> None:
    doc_id = library.save_document(conn, _lesson())
    assert [d.id for d in library.list_documents(conn)] == [doc_id]
    removed = library.remove_document(conn, doc_id)
    assert removed.id == doc_id
    assert library.list_documents(conn) == []
    assert conn.execute("SELECT count(*) FROM doc_segments").fetchone()[0] == 0
    with pytest.raises(NotFound):
        library.load_document(conn, doc_id)


def test_unknown_document_suggests_close_slugs(conn: sqlite3.Connection) -> None:
    library.save_document(conn, _lesson("Teshuvah lesson"))
    with pytest.raises(NotFound) as e:
        library.load_document(conn, "teshuva-lesson")
    assert e.value.suggestions == ["teshuvah-lesson"]


def test_untitled_document_is_refused_and_nothing_is_written(conn: sqlite3.Connection) -> None:
    with pytest.raises(ImportFailed):
        library.save_document(conn, _lesson("   "))
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_hooks_run_inside_the_transaction_and_roll_back_with_it(conn: sqlite3.Connection) -> None:
    seen: list[library.Change] = []

    def hook(c: sqlite3.Connection, change: library.Change) -> None:
        seen.append(change)
        if change.action == "added" and change.table == "doc_segments":
            n = c.execute("SELECT count(*) FROM doc_segments WHERE doc_id=?", (change.ids[0],)).fetchone()[0]
            assert n == 4  # rows are in place when "added" is called

    library.on_change(hook)
    try:
        doc_id = library.save_document(conn, _lesson())
        library.remove_document(conn, doc_id)

        def failing(c: sqlite3.Connection, change: library.Change) -> None:
            raise RuntimeError("index is broken")

        library.on_change(failing)
        try:
            with pytest.raises(RuntimeError):
                library.save_document(conn, _lesson())
        finally:
            library._HOOKS.remove(failing)
    finally:
        library._HOOKS.remove(hook)
    assert [(c.table, c.action, c.ids) for c in seen[:2]] == [
        ("doc_segments", "added", (doc_id,)),
        ("doc_segments", "removed", (doc_id,)),
    ]
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def _segs(n: int, prefix: str = "Test") -> list[library.SegmentIn]:
    return [library.SegmentIn(f"{prefix} 1:{i}", f"text {i}", f"text {i}") for i in range(1, n + 1)]


def test_write_version_is_idempotent_and_replaces_changed_versions(conn: sqlite3.Connection) -> None:
    def write(segs: list[library.SegmentIn]) -> tuple[int, bool]:
        with db.transaction(conn):
            wid = library.ensure_work(conn, "Test", "בדיקה", "Other")
            return library.write_version(
                conn,
                work_id=wid,
                lang="he",
                title="v",
                source=None,
                license=None,
                segments=segs,
                fingerprint=library.fingerprint_segments(segs),
            )

    before = library.generation(conn)
    first, changed = write(_segs(3))
    assert changed and library.generation(conn) > before
    settled = library.generation(conn)
    again, changed = write(_segs(3))
    assert (again, changed) == (first, False)
    assert library.generation(conn) == settled  # nothing changed: derived indexes stay valid
    _, changed = write(_segs(4))
    assert changed and library.generation(conn) > settled
    assert conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 4
    info = library.get_work(conn, "test")
    assert [(v.lang, v.segments) for v in info.versions] == [("he", 4)]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=12))
def test_merged_segments_stay_in_reading_order(
    tmp_path_factory: pytest.TempPathFactory, verses: list[int]
) -> None:
    c = api.connect(tmp_path_factory.mktemp("m") / "m.sqlite")
    for v in verses:  # fetched one at a time, in any order
        seg = [library.SegmentIn(f"Psalms 2:{v}", f"v{v}", f"v{v}")]
        with db.transaction(c):
            wid = library.ensure_work(c, "Psalms", None, "Tanakh")
            library.merge_segments(
                c, work_id=wid, lang="en", title="t", source=None, license=None, segments=seg
            )
    refs = [r[0] for r in c.execute("SELECT ref FROM segments ORDER BY ord")]
    assert refs == [f"Psalms 2:{v}" for v in sorted(set(verses))]
    c.close()


def test_migrations_bring_an_old_database_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    for stmt in db._split_sql(library.SCHEMA_V1):
        raw.execute(stmt)
    raw.execute("INSERT INTO schema_version VALUES ('library', 1)")
    raw.execute("INSERT INTO works(title, category) VALUES ('Old', 'Other')")
    raw.commit()
    raw.close()
    conn = api.connect(path)
    cols = {r[1] for r in conn.execute("PRAGMA table_info(versions)")}
    assert {"fingerprint", "imported_at"} <= cols
    assert conn.execute("SELECT title FROM works").fetchone()[0] == "Old"
    conn.close()
