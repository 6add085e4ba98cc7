"""A linked text and its sources (`study.linker.report`): what the link page, its API and `madrega link`
all show, computed once in the core."""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from linker_library import library_path
from madrega import api
from madrega.study.linker import report as report_module
from madrega.study.linker.report import SourcePreview, report
from madrega.web import create_app


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    c = api.connect(library_path())
    yield c
    c.close()


def test_each_cited_source_once_in_the_order_first_cited(conn: sqlite3.Connection) -> None:
    text = "Job 8:7 promises growth; Psalms 23:1 comforts; and again Job 8:7."
    linked = report(conn, text)
    assert [c.ref for c in linked.citations] == ["Job 8:7", "Psalms 23:1", "Job 8:7"]
    assert [s.ref for s in linked.sources] == ["Job 8:7", "Psalms 23:1"]
    job = linked.sources[0]
    assert job.error is None
    assert job.rows[0]["ref"] == "Job 8:7"
    assert "מִצְעָ֑ר" in job.first_text()  # the library's Hebrew of the verse, without markup
    assert "<" not in job.first_text()


def test_a_long_passage_is_cut_and_says_so(conn: sqlite3.Connection) -> None:
    source = report(conn, "Read Psalms 23:1-4 tonight.", rows=2).sources[0]
    assert source.ref == "Psalms 23:1-4"
    assert [r["ref"] for r in source.rows] == ["Psalms 23:1", "Psalms 23:2"]
    assert source.more is True


def test_a_source_the_library_lacks_is_an_error_in_its_preview_not_an_exception(
    conn: sqlite3.Connection,
) -> None:
    linked = report(conn, "See Berakhot 2a and Job 8:7.")  # this library has no Talmud
    by_ref = {s.ref: s for s in linked.sources}
    assert by_ref["Berakhot 2a"].rows == []
    assert by_ref["Berakhot 2a"].error
    assert by_ref["Job 8:7"].error is None
    assert "error" in by_ref["Berakhot 2a"].to_json() and "error" not in by_ref["Job 8:7"].to_json()


def test_the_note_of_a_corrected_reference_stands_under_its_source(conn: sqlite3.Connection) -> None:
    linked = report(conn, 'שנאמר (שמות כ, ו): "לא תשא את שם ה\' אלהיך לשוא"\n')
    (source,) = [s for s in linked.sources if s.ref == "Exodus 20:7"]
    assert source.notes and "Exodus 20:6 is written" in source.notes[0]


def test_citations_given_are_not_linked_again(conn: sqlite3.Connection, monkeypatch: Any) -> None:
    found = report(conn, "Job 8:7").citations
    monkeypatch.setattr(report_module, "link", _refuse)
    assert [s.ref for s in report(conn, "Job 8:7", citations=found).sources] == ["Job 8:7"]


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("linked again")


def test_the_first_text_falls_back_to_english() -> None:
    preview = SourcePreview("Job 8:7", [{"ref": "Job 8:7", "en": "Though thy beginning was small"}])
    assert preview.first_text() == "Though thy beginning was small"
    assert SourcePreview("Job 8:7").first_text() == ""


@pytest.mark.parametrize("path", ["/api/link", "/link"])
def test_the_link_page_and_its_api_link_the_text_once(path: str, monkeypatch: Any) -> None:
    calls = []
    real = report_module.link

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_module, "link", counted)
    with TestClient(create_app(library_path()), base_url="http://127.0.0.1") as client:
        if path == "/api/link":
            response = client.post(path, json={"text": "As Job 8:7 says."})
            assert [s["ref"] for s in response.json()["sources"]] == ["Job 8:7"]
            assert response.json()["sources"][0]["url"].startswith("/read/")
        else:
            response = client.post(path, data={"text": "As Job 8:7 says."})
            assert "מִצְעָ֑ר" in response.text
    assert response.status_code == 200, response.text
    assert len(calls) == 1


def test_the_cli_prints_the_same_sources_as_json(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from madrega.cli import _load, app

    _load()
    page = tmp_path / "page.txt"
    page.write_text("Job 8:7 and Psalms 23:1.", encoding="utf-8")
    result = CliRunner().invoke(app, ["link", str(page), "--json", "--db", str(library_path())])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    conn = api.connect(library_path())
    try:
        expected = report(conn, "Job 8:7 and Psalms 23:1.").to_json()
    finally:
        conn.close()
    assert data["sources"] == expected["sources"]
    assert [s["ref"] for s in data["sources"]] == ["Job 8:7", "Psalms 23:1"]
