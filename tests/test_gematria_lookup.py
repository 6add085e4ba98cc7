"""Gematria lookup over a small library: words and phrase runs with a value, counts, refs, scopes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from madrega import api, db
from madrega.errors import MadregaError, NotFound
from madrega.study import library, search
from madrega.study.library import SegmentIn
from madrega.text import gematria

TANAKH = {
    "Genesis": [
        ("Genesis 1:1", "בְּרֵאשִׁ֖ית בָּרָ֣א אֱלֹהִ֑ים אֵ֥ת הַשָּׁמַ֖יִם וְאֵ֥ת הָאָֽרֶץ׃"),
        ("Genesis 2:11", "שֵׁ֥ם הָֽאֶחָ֖ד פִּישׁ֑וֹן ה֣וּא הַסֹּבֵ֗ב אֵ֚ת כָּל־אֶ֣רֶץ הַֽחֲוִילָ֔ה"),
        ("Genesis 5:1", "זֶ֣ה סֵ֔פֶר תּוֹלְדֹ֖ת אָדָ֑ם בְּי֗וֹם בְּרֹ֤א אֱלֹהִים֙ אָדָ֔ם"),
    ],
    "Exodus": [("Exodus 17:14", "כְּתֹ֨ב זֹ֤את זִכָּרוֹן֙ בַּסֵּ֔פֶר וְשִׂ֖ים בְּאָזְנֵ֣י יְהוֹשֻׁ֑עַ")],
}
MISHNAH = [("Mishnah Avot 1:1", "מֹשֶׁה קִבֵּל תּוֹרָה מִסִּינַי, וּמְסָרָהּ לִיהוֹשֻׁעַ. עֲשׂוּ סְיָג לַתּוֹרָה, וְשֵׁם טוֹב")]


def _add(conn: sqlite3.Connection, title: str, category: str, rows: list[tuple[str, str]]) -> int:
    with db.transaction(conn):
        work_id = library.ensure_work(conn, title, None, category)
        segs = [SegmentIn(ref, text, text) for ref, text in rows]
        vid, _ = library.write_version(
            conn,
            work_id=work_id,
            lang="he",
            title="test",
            source=None,
            license=None,
            segments=segs,
            fingerprint=library.fingerprint_segments(segs),
        )
    return vid


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = api.connect(tmp_path / "g.sqlite")
    for title, rows in TANAKH.items():
        _add(conn, title, "Tanakh", rows)
    _add(conn, "Mishnah Avot", "Mishnah", MISHNAH)
    yield conn
    conn.close()


def by_text(result: search.GematriaResult) -> dict[str, search.GematriaMatch]:
    return {m.text: m for m in result.matches}


def test_sefer_and_shem_are_both_340(lib: sqlite3.Connection) -> None:
    found = by_text(search.gematria_lookup(lib, 340))
    assert {"ספר", "שם"} <= set(found)
    assert found["ספר"].refs == ["Genesis 5:1"]
    assert found["שם"].refs == ["Genesis 2:11"]
    assert found["ספר"].count == 1
    for text in found:  # every listed word really has the value, and no phrase sneaks in
        assert gematria.value(text) == 340
        assert " " not in text


def test_counts_and_refs_across_the_library(lib: sqlite3.Connection) -> None:
    # אדם = 45 appears twice in Genesis 5:1
    found = by_text(search.gematria_lookup(lib, 45))
    assert found["אדם"].count == 2
    assert found["אדם"].refs == ["Genesis 5:1"]
    # ושם (וְשֵׁם, 346) only in the Mishnah; ושים (וְשִׂים, 356) only in Exodus
    assert by_text(search.gematria_lookup(lib, 346))["ושם"].refs == ["Mishnah Avot 1:1"]


def test_scope_by_category_and_work(lib: sqlite3.Connection) -> None:
    assert "ושם" not in by_text(search.gematria_lookup(lib, 346, category="Tanakh"))
    assert "ושם" in by_text(search.gematria_lookup(lib, 346, category="Mishnah"))
    genesis = by_text(search.gematria_lookup(lib, 913, work="Genesis"))
    assert genesis["בראשית"].refs == ["Genesis 1:1"]
    assert search.gematria_lookup(lib, 913, work="Exodus").matches == []
    assert search.resolve_in(lib, "Tanakh") == (None, "Tanakh")
    assert search.resolve_in(lib, "genesis") == ("genesis", None)
    with pytest.raises(NotFound):
        search.resolve_in(lib, "Genisis")


def test_phrase_runs_inside_one_segment(lib: sqlite3.Connection) -> None:
    # בראשית ברא = 913 + 203
    found = by_text(search.gematria_lookup(lib, 1116, max_words=2))
    assert found["בראשית ברא"].refs == ["Genesis 1:1"]
    assert found["בראשית ברא"].words == 2
    assert "בראשית ברא" not in by_text(search.gematria_lookup(lib, 1116, max_words=1))
    # ברא אלהים את = 203 + 86 + 401 (three words)
    assert "ברא אלהים את" in by_text(search.gematria_lookup(lib, 690, max_words=3))
    assert "ברא אלהים את" not in by_text(search.gematria_lookup(lib, 690, max_words=2))
    # no run crosses from the end of one verse into the next: הארץ (296) + שם (340) = 636
    assert "הארץ שם" not in by_text(search.gematria_lookup(lib, 636, max_words=2))
    for m in search.gematria_lookup(lib, 690, max_words=4).matches:
        assert gematria.value(m.text) == 690


def test_other_methods_are_computed_on_first_use(lib: sqlite3.Connection) -> None:
    # gadol: final letters count 500-900, so שם (ם = 600) = 900
    assert "שם" in by_text(search.gematria_lookup(lib, 900, method="gadol"))
    assert "שם" not in by_text(search.gematria_lookup(lib, 340, method="gadol"))


def test_index_follows_removal(lib: sqlite3.Connection) -> None:
    vid = lib.execute(
        "SELECT v.id FROM versions v JOIN works w ON w.id=v.work_id WHERE w.title='Genesis'"
    ).fetchone()[0]
    with db.transaction(lib):
        library.remove_version(lib, vid)
    assert "שם" not in by_text(search.gematria_lookup(lib, 340))
    assert "בראשית ברא" not in by_text(search.gematria_lookup(lib, 1116, max_words=2))
    found = by_text(search.gematria_lookup(lib, 340))
    assert found == {} or all(m.count > 0 for m in found.values())


@pytest.mark.parametrize(
    ("value", "kw"),
    [(0, {}), (-5, {}), (340, {"max_words": 5}), (340, {"max_words": 0}), (340, {"method": "nonsense"})],
)
def test_bad_lookups_raise(lib: sqlite3.Connection, value: int, kw: dict[str, object]) -> None:
    with pytest.raises(MadregaError):
        search.gematria_lookup(lib, value, **kw)  # type: ignore[arg-type]


def test_cli_numeric_argument_looks_up_the_library(lib: sqlite3.Connection) -> None:
    from madrega.cli import _load, app

    _load()
    path = lib.execute("PRAGMA database_list").fetchone()[2]
    out = CliRunner().invoke(app, ["gematria", "340", "--in", "Tanakh", "--json", "--db", path])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["value"] == 340
    assert data["method"] == "standard"
    assert {"ספר", "שם"} <= {m["text"] for m in data["matches"]}
    assert set(data["matches"][0]) >= {"text", "count", "refs"}
    phrases = CliRunner().invoke(app, ["gematria", "1116", "--words", "2", "--json", "--db", path])
    assert "בראשית ברא" in {m["text"] for m in json.loads(phrases.stdout)["matches"]}
