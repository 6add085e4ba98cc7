"""A whole work from Sefaria's API (replayed from answers written for the tests): every part, Hebrew
and English, with progress, resumed after an interruption, idempotent, each version's licence kept."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from madrega.cli.app import hint
from madrega.study import reader, search
from madrega.study.importers import sefaria_fetch
from madrega.study.linker import link
from sefaria_replay import Replay, offline_client

TANYA_SECTIONS = 12


def _english_version(conn: sqlite3.Connection, work: str) -> sqlite3.Row:
    row: sqlite3.Row = conn.execute(
        "SELECT v.* FROM versions v JOIN works w ON w.id = v.work_id WHERE w.title = ? AND v.lang = 'en'",
        (work,),
    ).fetchone()
    return row


def test_tanya_all_five_parts_hebrew_and_english(conn: sqlite3.Connection) -> None:
    replay = Replay("tanya")
    seen: list[tuple[str, int, int]] = []
    report = sefaria_fetch.fetch_work(
        conn,
        "Tanya",
        client=replay.client(),
        progress=lambda label, done, total: seen.append((label, done, total)),
    )
    assert report.complete and report.fetched == TANYA_SECTIONS and report.kept == 0
    # the chapter the shape says is empty is not asked for
    assert "/api/v3/texts/Tanya, Part II; Shaar HaYichud VehaEmunah 2" not in replay.requests
    assert seen[0] == ("Tanya", 0, TANYA_SECTIONS) and seen[-1][1:] == (TANYA_SECTIONS, TANYA_SECTIONS)
    assert [done for _, done, _ in seen] == sorted(done for _, done, _ in seen)
    refs = {r[0] for r in conn.execute("SELECT ref FROM segments")}
    for ref in (
        "Tanya, Part I; Likkutei Amarim, Title Page 1",
        "Tanya, Part I; Likkutei Amarim 1:1",
        "Tanya, Part II; Shaar HaYichud VehaEmunah, Education of the Child 1",
        "Tanya, Part II; Shaar HaYichud VehaEmunah 3:1",
        "Tanya, Part III; Iggeret HaTeshuvah 2:2",
        "Tanya, Part IV; Iggeret HaKodesh 2:1",
        "Tanya, Part V; Kuntres Acharon 2:1",
    ):
        assert ref in refs, ref
    english = _english_version(conn, "Tanya")
    assert english["title"] == "Lessons in Tanya, Kehot Publication Society"
    assert english["license"] == "CC-BY-NC" and english["source"].startswith("https://www.chabad.org/")
    by_lang = {v["lang"]: v for v in report.versions}
    assert by_lang["en"]["license"] == "CC-BY-NC" and by_lang["he"]["license"] == "Public Domain"


def test_the_reader_shows_the_fetched_text_with_its_licence(conn: sqlite3.Connection) -> None:
    sefaria_fetch.fetch_work(conn, "Tanya", client=Replay("tanya").client())
    passage = reader.read_ref(conn, "Tanya, Part III; Iggeret HaTeshuvah 2")
    assert passage.langs == ["he", "en"]
    assert "<script" not in passage.rows[1].texts["he"].text
    licences = {v["lang"]: v["license"] for v in passage.versions}
    assert licences == {"he": "Public Domain", "en": "CC-BY-NC"}
    first = reader.read_ref(conn, "Tanya, Part I; Likkutei Amarim 1")
    assert first.rows[0].texts["en"].footnotes[0]["text"] == "A note of my own."


def test_an_interrupted_fetch_keeps_what_it_has_and_resumes(conn: sqlite3.Connection) -> None:
    broken = Replay("tanya", fail_after=5)
    with pytest.raises(sefaria_fetch.Offline, match="stopped after 5 of 12 sections of Tanya") as caught:
        sefaria_fetch.fetch_work(conn, "Tanya", client=broken.client())
    assert "madrega " not in caught.value.message and "\n" not in caught.value.message
    # what was fetched is in the library already
    assert reader.read_ref(conn, "Tanya, Part I; Likkutei Amarim 2").rows
    again = Replay("tanya")
    report = sefaria_fetch.fetch_work(conn, "Tanya", client=again.client())
    assert report.complete and report.kept == 5 and report.fetched == TANYA_SECTIONS - 5
    assert len(again.texts_requests()) == TANYA_SECTIONS - 5
    assert not [r for r in again.requests if not r.startswith("/api/v3/texts/")]  # the plan was kept
    assert reader.read_ref(conn, "Tanya, Part V; Kuntres Acharon 2").rows


def test_fetching_again_asks_nothing_and_changes_nothing(conn: sqlite3.Connection) -> None:
    sefaria_fetch.fetch_work(conn, "Tanya", client=Replay("tanya").client())
    before = conn.execute("SELECT count(*), max(id) FROM segments").fetchone()
    report = sefaria_fetch.fetch_work(conn, "Tanya", client=offline_client())
    assert report.complete and report.fetched == 0 and report.kept == TANYA_SECTIONS
    assert not any(v["changed"] for v in report.versions)
    assert tuple(conn.execute("SELECT count(*), max(id) FROM segments").fetchone()) == tuple(before)


def test_refresh_asks_again(conn: sqlite3.Connection) -> None:
    sefaria_fetch.fetch_work(conn, "Tanya", client=Replay("tanya").client())
    replay = Replay("tanya")
    report = sefaria_fetch.fetch_work(conn, "Tanya", client=replay.client(), refresh=True)
    assert report.fetched == TANYA_SECTIONS and len(replay.texts_requests()) == TANYA_SECTIONS


def test_offline_is_one_clear_line_and_writes_nothing(conn: sqlite3.Connection) -> None:
    with pytest.raises(sefaria_fetch.Offline) as caught:
        sefaria_fetch.fetch_work(conn, "Tanya", client=offline_client())
    message = caught.value.message
    assert "offline" in message and "www.sefaria.org" in message
    assert "\n" not in message and "madrega " not in message
    assert conn.execute("SELECT count(*) FROM works").fetchone()[0] == 0


def test_likutei_moharan_parts_one_and_two(conn: sqlite3.Connection) -> None:
    report = sefaria_fetch.fetch_work(conn, "Likutei Moharan", client=Replay("likutei-moharan").client())
    assert report.complete and report.sections == 5
    refs = {r[0] for r in conn.execute("SELECT ref FROM segments")}
    assert {"Likutei Moharan, Introduction 1", "Likutei Moharan 1:1:2", "Likutei Moharan 1:2:1"} <= refs
    assert {"Likutei Moharan, Part II 1:1:1", "Likutei Moharan, Part II 2:2:1"} <= refs
    part_two = reader.read_ref(conn, "Likutei Moharan, Part II 2")
    assert part_two.langs == ["he"] and len(part_two.rows) == 2
    assert reader.read_ref(conn, "Likutei Moharan 1").langs == ["he", "en"]


def test_a_part_named_by_its_own_title_fetches_its_work(conn: sqlite3.Connection) -> None:
    replay = Replay("tanya")
    report = sefaria_fetch.fetch_work(conn, "Iggeret HaTeshuvah", client=replay.client())
    assert report.work == "Tanya"
    # the part's title is no index of its own on Sefaria; the work it belongs to is
    assert replay.requests[:2] == [
        "/api/v2/raw/index/Tanya, Part III; Iggeret HaTeshuvah",
        "/api/v2/raw/index/Tanya",
    ]


def test_a_work_sefaria_does_not_have(conn: sqlite3.Connection) -> None:
    with pytest.raises(sefaria_fetch.NotFound, match="Sefaria has no work titled 'Sefer Lo Nimtza'"):
        sefaria_fetch.fetch_work(conn, "Sefer Lo Nimtza", client=Replay("tanya").client())


def test_search_and_the_linker_cover_a_fetched_work(conn: sqlite3.Connection) -> None:
    sefaria_fetch.fetch_work(conn, "Tanya", client=Replay("tanya").client())
    hits = search.search(conn, "sentence", work="Tanya", lang="en").hits
    assert "Tanya, Part I; Likkutei Amarim 1:1" in {h.ref for h in hits}
    found = link("As it says in Iggeret HaTeshuvah 2, and a second sentence in chapter two.", conn=conn)
    kinds = {(c.kind, c.ref) for c in found}
    assert ("reference", "Tanya, Part III; Iggeret HaTeshuvah 2") in kinds
    assert any(kind == "quotation" and ref == "Tanya, Part I; Likkutei Amarim 2:2" for kind, ref in kinds)


def test_plan_from_a_simple_book_and_a_talmud_tractate() -> None:
    simple = {
        "title": "Ruth",
        "categories": ["Tanakh"],
        "schema": {"depth": 2, "addressTypes": ["Perek", "Pasuk"]},
    }
    plan = sefaria_fetch.plan_from(simple, [{"title": "Ruth", "chapters": [22, 23, 18, 22], "book": "Ruth"}])
    assert plan.sections == ["Ruth 1", "Ruth 2", "Ruth 3", "Ruth 4"] and plan.category == "Tanakh"
    daf = {
        "title": "Tamid",
        "categories": ["Talmud"],
        "schema": {"depth": 2, "addressTypes": ["Talmud", "Integer"]},
    }
    plan = sefaria_fetch.plan_from(daf, [{"title": "Tamid", "chapters": [0, 0, 0, 0, 5, 7]}])
    assert plan.sections == ["Tamid 3a", "Tamid 3b"]


def test_the_cli_fetches_a_work_with_progress_and_licences(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from madrega.cli import _load as load_commands
    from madrega.cli import app

    load_commands()
    replay = Replay("tanya")
    monkeypatch.setattr(sefaria_fetch, "make_client", lambda transport=None: replay.client())
    db = str(tmp_path / "cli.sqlite")  # type: ignore[operator]
    result = CliRunner().invoke(app, ["library", "fetch", "Tanya", "--db", db])
    assert result.exit_code == 0, result.output
    assert "12 sections" in result.output and "CC-BY-NC" in result.output
    result = CliRunner().invoke(app, ["library", "fetch", "Tanya", "--db", db, "--json"])
    data = json.loads(result.output)
    assert data["complete"] and data["kept"] == 12 and data["fetched"] == 0


def test_the_cli_says_offline_in_one_line(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from madrega.cli import _load as load_commands
    from madrega.cli import app

    load_commands()
    monkeypatch.setattr(sefaria_fetch, "make_client", lambda transport=None: offline_client())
    result = CliRunner().invoke(app, ["library", "fetch", "Tanya", "--db", str(tmp_path / "x.sqlite")])  # type: ignore[operator]
    assert result.exit_code != 0
    error = result.exception
    assert isinstance(error, sefaria_fetch.Offline)  # `run()` prints it and exits 1
    assert "offline" in error.message and "\n" not in error.message
    assert "import-export" in (hint(error) or "")


def test_the_python_api_fetches_too(tmp_path: pytest.TempPathFactory) -> None:
    from madrega import Library

    with Library.open(tmp_path / "api.sqlite") as lib:  # type: ignore[operator]
        report = lib.fetch("Likutei Moharan", client=Replay("likutei-moharan").client())
        assert report.complete and lib.read("Likutei Moharan, Part II 1").rows
