"""Sefaria exports and the texts API: refs, footnotes, Tanya's daily markers, clear refusals."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import httpx
import pytest

from madrega.errors import ImportFailed, MadregaError, NotFound
from madrega.study import library
from madrega.study.importers import sefaria, sefaria_api

FIX = Path(__file__).parent / "fixtures" / "sefaria"


def _seg(conn: sqlite3.Connection, ref: str, lang: str) -> sqlite3.Row:
    row: sqlite3.Row = conn.execute(
        "SELECT s.* FROM segments s JOIN versions v ON v.id=s.version_id WHERE s.ref=? AND v.lang=?",
        (ref, lang),
    ).fetchone()
    assert row is not None, ref
    return row


def test_complex_book_refs_follow_the_schema(conn: sqlite3.Connection) -> None:
    report = sefaria.import_file(conn, FIX / "tanya-he.json")
    assert (report.work, report.lang, report.segments) == ("Tanya", "he", 9)
    refs = [r[0] for r in conn.execute("SELECT ref FROM segments ORDER BY ord")]
    assert refs == [
        "Tanya, Part I; Likkutei Amarim, Title Page 1",
        "Tanya, Part I; Likkutei Amarim, Title Page 2",
        "Tanya, Part I; Likkutei Amarim 1:1",
        "Tanya, Part I; Likkutei Amarim 1:2",
        "Tanya, Part I; Likkutei Amarim 2:1",
        "Tanya, Part I; Likkutei Amarim 2:3",  # the empty 2:2 is a gap, not a segment
        "Tanya, Part III; Iggeret HaTeshuvah 1:1",
        "Tanya, Part III; Iggeret HaTeshuvah 3:1",
        "Tanya, Part III; Iggeret HaTeshuvah 3:2",
    ]
    last = _seg(conn, "Tanya, Part III; Iggeret HaTeshuvah 3:2", "he")
    assert last["text"] == "<b>ועוד</b> שורה שנייה, עם סוף."


def test_hebrew_and_english_align_by_ref_and_footnotes_are_kept(conn: sqlite3.Connection) -> None:
    sefaria.import_file(conn, FIX / "tanya-he.json")
    sefaria.import_file(conn, FIX / "tanya-en.json")
    en = _seg(conn, "Tanya, Part I; Likkutei Amarim 1:1", "en")
    assert en["text"] == "<b>Chapter</b> one, the first sentence I wrote."
    assert json.loads(en["footnotes"]) == [
        {"marker": "1", "offset": len(en["text"]), "text": "Compare Genesis 1:1."}
    ]
    assert en["plain"] == "Chapter one, the first sentence I wrote."
    dirty = _seg(conn, "Tanya, Part III; Iggeret HaTeshuvah 3:2", "en")
    assert dirty["text"] == "<span>And</span> a second line."
    info = library.get_work(conn, "Tanya")
    assert sorted((v.lang, v.segments) for v in info.versions) == [("en", 9), ("he", 9)]


def test_tanya_daily_schedule(conn: sqlite3.Connection) -> None:
    sefaria.import_file(conn, FIX / "tanya-he.json")
    seg = _seg(conn, "Tanya, Part I; Likkutei Amarim, Title Page 1", "he")
    assert "כסלו" not in seg["plain"] and seg["plain"] == "ספר בדיקה"
    assert library.tanya_schedule(conn) == [
        ("leap", "יט כסלו", "Tanya, Part I; Likkutei Amarim, Title Page 1"),
        ("regular", "יט כסלו", "Tanya, Part I; Likkutei Amarim, Title Page 1"),
        ("leap", "כ כסלו", "Tanya, Part I; Likkutei Amarim 1:1"),
        ("regular", "כ כסלו", "Tanya, Part I; Likkutei Amarim 2:1"),
        ("leap", "כא כסלו", "Tanya, Part III; Iggeret HaTeshuvah 1:1"),
    ]


def test_reimport_is_a_no_op(conn: sqlite3.Connection) -> None:
    assert sefaria.import_file(conn, FIX / "genesis-en.json").changed
    first = conn.execute("SELECT max(id) FROM segments").fetchone()[0]
    assert not sefaria.import_file(conn, FIX / "genesis-en.json").changed
    assert conn.execute("SELECT max(id) FROM segments").fetchone()[0] == first


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"title": "X", "language": "he",\n "text": [[1, 2]]}',
            r"text\[0\]\[0\]: expected text or an array",
        ),
        ('{"title": "X", "language": "he",\n "text": [["a",]]}', r"line 2, column \d+: not valid JSON"),
        ('{"language": "he", "text": []}', r"missing key 'title'"),
        ('{"title": "X", "language": "fr", "text": [["a"]]}', r"'language' is 'fr'; expected 'he' or 'en'"),
        ('{"title": "X", "language": "en"}', r"missing key 'text'"),
        ("[1, 2]", r"expected a JSON object"),
        (
            '{"title": "X", "language": "en", "text": {"Part": [["ok"]], "Bad": [{"x": 3}]}}',
            r"text\['Bad'\]\[0\]",
        ),
    ],
)
def test_bad_files_are_refused_with_where_and_what(
    conn: sqlite3.Connection, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed, match=message) as e:
        sefaria.import_file(conn, path)
    assert str(path) in e.value.message
    assert conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM works").fetchone()[0] == 0


def _client(*responses: tuple[int, str]) -> tuple[httpx.Client, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status, name = queue.pop(0)
        return httpx.Response(status, content=(FIX / name).read_bytes())

    return httpx.Client(transport=httpx.MockTransport(handler)), seen


def test_fetch_a_chapter_in_both_languages(conn: sqlite3.Connection) -> None:
    client, seen = _client((200, "api-iggeret-10.json"))
    report = sefaria_api.fetch(conn, "Tanya, Part III; Iggeret HaTeshuvah 10", client=client)
    assert seen[0].url.raw_path.startswith(
        b"/api/v3/texts/Tanya%2C%20Part%20III%3B%20Iggeret%20HaTeshuvah%2010?"
    )
    assert seen[0].url.params.get_list("version") == ["hebrew", "english"]
    assert [(v["lang"], v["segments"]) for v in report.versions] == [("he", 2), ("en", 2)]
    he = _seg(conn, "Tanya, Part III; Iggeret HaTeshuvah 10:1", "he")
    assert json.loads(he["markers"])[0]["date"] == "יג כסלו"
    en = _seg(conn, "Tanya, Part III; Iggeret HaTeshuvah 10:1", "en")
    assert json.loads(en["footnotes"])[0]["text"] == "A note of mine."
    assert library.get_work(conn, "Tanya").category == "Chasidut"


def test_fetch_a_range_inside_a_chapter_numbers_from_its_start(conn: sqlite3.Connection) -> None:
    client, _ = _client((200, "api-genesis-1-2-3.json"))
    sefaria_api.fetch(conn, "Genesis 1:2-3", langs=("en",), client=client)
    refs = [r[0] for r in conn.execute("SELECT ref FROM segments ORDER BY ord")]
    assert refs == ["Genesis 1:2", "Genesis 1:3"]


def test_fetch_of_an_unknown_ref_says_what_sefaria_said(conn: sqlite3.Connection) -> None:
    client, _ = _client((400, "api-error.json"))
    with pytest.raises(NotFound, match="Could not find title"):
        sefaria_api.fetch(conn, "Tanyaa 1", client=client)
    assert conn.execute("SELECT count(*) FROM works").fetchone()[0] == 0


def test_fetch_without_network_is_a_clear_message(conn: sqlite3.Connection) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known", request=request)

    client = httpx.Client(transport=httpx.MockTransport(offline))
    with pytest.raises(MadregaError, match=r"cannot reach https://www\.sefaria\.org.*offline"):
        sefaria_api.fetch(conn, "Genesis 1", client=client)


def test_fetch_cli_without_network_prints_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from madrega.cli import _load, app

    _load()

    def offline(self: httpx.Client, *a: object, **k: object) -> httpx.Response:
        raise httpx.ConnectError("no network")

    monkeypatch.setattr(httpx.Client, "get", offline)
    result = CliRunner().invoke(app, ["library", "fetch", "Genesis 1", "--db", str(tmp_path / "x.sqlite")])
    assert result.exit_code != 0
    assert isinstance(result.exception, MadregaError)  # `run()` prints it and exits 1
    assert "cannot reach" in result.exception.message
