"""`madrega library import-export DIR`: works from a local copy of Sefaria's export, chosen by title or
category (a small tree of our own writing in tests/fixtures/sefaria/export)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from madrega.errors import ImportFailed, NotFound
from madrega.study import reader
from madrega.study.importers import sefaria_export

EXPORT = Path(__file__).resolve().parent / "fixtures" / "sefaria" / "export"


def test_a_title_imports_that_work_in_both_languages(conn: sqlite3.Connection) -> None:
    report = sefaria_export.import_export(conn, EXPORT, titles=["tanya"])
    assert report.works == ["Tanya"]
    assert sorted((r.lang, r.version) for r in report.imported) == [
        ("en", "Sefaria export (merged)"),
        ("he", "Sefaria export (merged)"),
    ]
    row = conn.execute("SELECT he_title, category FROM works WHERE title='Tanya'").fetchone()
    assert tuple(row) == ("תניא", "Chasidut")  # from schemas/Tanya.json
    passage = reader.read_ref(conn, "Tanya, Part I; Likkutei Amarim 1")
    assert passage.langs == ["he", "en"] and len(passage.rows) == 2
    # only merged.json is read: another version's file beside it is not imported
    assert not conn.execute("SELECT 1 FROM segments WHERE text LIKE '%not the merged one%'").fetchone()


def test_a_category_imports_every_work_in_it(conn: sqlite3.Connection) -> None:
    report = sefaria_export.import_export(conn, EXPORT, categories=["Writings"])
    assert report.works == ["Ruth"]
    assert reader.read_ref(conn, "Ruth 2:1").rows[0].texts["en"].text == "Chapter two, a first verse."


def test_importing_again_changes_nothing(conn: sqlite3.Connection) -> None:
    sefaria_export.import_export(conn, EXPORT)
    again = sefaria_export.import_export(conn, EXPORT)
    assert len(again.imported) == 4 and not any(r.changed for r in again.imported)


def test_a_missing_title_is_explained_with_the_titles_there(conn: sqlite3.Connection) -> None:
    with pytest.raises(NotFound, match="no work titled tanyah") as caught:
        sefaria_export.import_export(conn, EXPORT, titles=["Tanyah"])
    assert "Tanya" in caught.value.suggestions
    assert conn.execute("SELECT count(*) FROM works").fetchone()[0] == 0


def test_a_folder_that_is_no_export(conn: sqlite3.Connection, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no json/ folder here"):
        sefaria_export.import_export(conn, tmp_path)


def test_a_broken_file_imports_nothing(conn: sqlite3.Connection, tmp_path: Path) -> None:
    bad = tmp_path / "json" / "Tanakh" / "Ruth" / "English" / "merged.json"
    bad.parent.mkdir(parents=True)
    bad.write_text('{"title": "Ruth", "language": "en", "text": [["one"]', encoding="utf-8")
    good = tmp_path / "json" / "Tanakh" / "Jonah" / "English" / "merged.json"
    good.parent.mkdir(parents=True)
    good.write_text(json.dumps({"title": "Jonah", "language": "en", "text": [["one"]]}), encoding="utf-8")
    with pytest.raises(ImportFailed, match="not valid JSON"):
        sefaria_export.import_export(conn, tmp_path)
    assert conn.execute("SELECT count(*) FROM works").fetchone()[0] == 0


def test_the_cli(tmp_path: Path) -> None:
    from madrega.cli import _load, app

    _load()
    db = str(tmp_path / "cli.sqlite")
    result = CliRunner().invoke(app, ["library", "import-export", str(EXPORT), "--title", "Ruth", "--db", db])
    assert result.exit_code == 0, result.output
    assert "Ruth (en, Sefaria export (merged)): 3 segments — imported." in result.output
    result = CliRunner().invoke(
        app, ["library", "import-export", str(EXPORT), "--category", "Chabad", "--db", db, "--json"]
    )
    assert json.loads(result.output)["works"] == ["Tanya"]
