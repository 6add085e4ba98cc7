"""The reader: refs, ranges, chapters and complex-work parts, Hebrew beside English, and the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from madrega import db
from madrega.errors import MadregaError, NotFound
from madrega.study import library
from madrega.study.document import DocSegment, Document
from madrega.study.importers import sefaria
from madrega.study.reader import read_ref

FIX = Path(__file__).parent / "fixtures" / "sefaria"


@pytest.fixture
def lib(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Genesis (Hebrew from our own rows, English from the fixture) and the Tanya fixtures."""
    heb = [
        library.SegmentIn(f"Genesis {c}:{v}", f"פסוק {c}:{v}", f"פסוק {c}:{v}")
        for c, n in ((1, 31), (2, 25))
        for v in range(1, n + 1)
    ]
    with db.transaction(conn):
        wid = library.ensure_work(conn, "Genesis", "בראשית", "Tanakh")
        library.write_version(
            conn,
            work_id=wid,
            lang="he",
            title="test",
            source=None,
            license=None,
            segments=heb,
            fingerprint="x",
        )
    for name in ("genesis-en.json", "tanya-he.json", "tanya-en.json"):
        sefaria.import_file(conn, FIX / name)
    return conn


def test_a_range_aligns_hebrew_and_english(lib: sqlite3.Connection) -> None:
    p = read_ref(lib, "Genesis 1:1-3")
    assert p.ref == "Genesis 1:1-3"
    assert [r.ref for r in p.rows] == ["Genesis 1:1", "Genesis 1:2", "Genesis 1:3"]
    assert p.rows[0].texts["he"].text == "פסוק 1:1"
    assert p.rows[0].texts["en"].text.startswith("In the beginning")
    assert p.rows[1].texts["en"].display == "And the earth was without form, and void.[a]"


def test_a_whole_chapter_and_a_cross_chapter_range(lib: sqlite3.Connection) -> None:
    assert len(read_ref(lib, "Genesis 2").rows) == 25
    rows = read_ref(lib, "Genesis 1:30-2:2", langs=("he",)).rows
    assert [r.ref for r in rows] == ["Genesis 1:30", "Genesis 1:31", "Genesis 2:1", "Genesis 2:2"]


def test_lang_filter(lib: sqlite3.Connection) -> None:
    p = read_ref(lib, "Genesis 1:1", langs=("en",))
    assert p.langs == ["en"]


def test_a_part_of_a_complex_work_by_a_short_name(lib: sqlite3.Connection) -> None:
    p = read_ref(lib, "Tanya, Iggeret HaTeshuvah 3")
    assert p.ref == "Tanya, Part III; Iggeret HaTeshuvah 3"
    assert [r.ref for r in p.rows] == [
        "Tanya, Part III; Iggeret HaTeshuvah 3:1",
        "Tanya, Part III; Iggeret HaTeshuvah 3:2",
    ]
    assert set(p.rows[0].texts) == {"he", "en"}
    data = p.to_json()
    assert [s["role"] for s in data["segments"][:2]] == ["source", "translation"]
    assert data["segments"][1]["footnotes"] == [
        {"marker": "2", "offset": len(data["segments"][1]["text"]), "text": "My own note."}
    ]
    assert data["pairs"][0]["ref"] == "Tanya, Part III; Iggeret HaTeshuvah 3:1"


def test_the_default_node_excludes_named_sections(lib: sqlite3.Connection) -> None:
    p = read_ref(lib, "Tanya, Part I; Likkutei Amarim")
    assert [r.ref.rsplit(" ", 1)[1] for r in p.rows] == ["1:1", "1:2", "2:1", "2:3"]


@pytest.mark.parametrize(
    ("ref", "error", "suggestion"),
    [
        ("Genexsyq 1:1", NotFound, "Genesis"),  # one slip (Genesys) reads as Genesis: refs.names
        ("Genesis 9:1", NotFound, None),
        ("Tanya, Iggeret HaKodesh 1", NotFound, None),
        ("", MadregaError, None),
    ],
)
def test_mistakes_are_explained(
    lib: sqlite3.Connection, ref: str, error: type[Exception], suggestion: str | None
) -> None:
    with pytest.raises(error) as e:
        read_ref(lib, ref)
    if suggestion:
        assert suggestion in e.value.suggestions  # type: ignore[attr-defined]
    assert "madrega " not in str(e.value)  # the core names no command: each face adds its own hint


def test_a_passage_missing_from_the_library_can_be_fetched(lib: sqlite3.Connection) -> None:
    from madrega import errors
    from madrega.cli.app import hint

    with pytest.raises(NotFound) as e:
        read_ref(lib, "Genesis 9:1")
    assert (e.value.remedy, e.value.subject) == (errors.FETCH, "Genesis 9:1")
    assert hint(e.value) == "`madrega library fetch 'Genesis 9:1'` gets it from Sefaria"


def _cli(*args: str) -> tuple[int, str, BaseException | None]:
    from madrega.cli import _load, app

    _load()
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.exception


def test_cli_read_json_and_table(lib: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "test.sqlite"
    code, out, _ = _cli("read", "Genesis 1:2", "--db", str(path), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert [s["lang"] for s in data["segments"]] == ["he", "en"]
    code, out, _ = _cli("read", "Genesis 1:2", "--db", str(path))
    assert code == 0 and "English" in out and "פסוק 1:2" in out and "tohu va-vohu" in out


def test_cli_library_list_show_import_remove(lib: sqlite3.Connection, tmp_path: Path) -> None:
    path = str(tmp_path / "test.sqlite")
    code, out, _ = _cli("library", "list", "--db", path, "--json")
    assert code == 0
    assert {w["title"] for w in json.loads(out)["works"]} == {"Genesis", "Tanya"}
    code, out, _ = _cli("library", "show", "Tanya", "--db", path, "--json")
    assert sorted(v["lang"] for v in json.loads(out)["versions"]) == ["en", "he"]
    library.save_document(lib, Document("My lesson", "lesson", [DocSegment("commentary", "x", "en")]))
    code, out, _ = _cli("library", "remove", "my-lesson", "--db", path, "--json")
    assert code == 0 and json.loads(out)["removed"]["slug"] == "my-lesson"


def test_table_of_contents_and_neighbours(lib: sqlite3.Connection, tmp_path: Path) -> None:
    from madrega.study import reader

    parts = reader.contents(lib, "Genesis")
    assert [(p.node, p.chapters) for p in parts] == [("Genesis", ["1", "2"])]
    assert reader.neighbours(lib, "Genesis", "Genesis 1:30", "Genesis 1:31") == (None, "Genesis 2")
    assert reader.neighbours(lib, "Genesis", "Genesis 2:1", "Genesis 2:3") == ("Genesis 1", None)
    assert reader.chapter_of("Berakhot 2a:3") == "Berakhot 2a"
    path = str(tmp_path / "test.sqlite")
    code, out, _ = _cli("library", "contents", "Genesis", "--db", path, "--json")
    assert code == 0 and json.loads(out) == [{"part": "Genesis", "chapters": ["Genesis 1", "Genesis 2"]}]
    code, out, _ = _cli("library", "contents", "Genesis", "--db", path)
    assert code == 0 and "Genesis: 1, 2" in out
    with db.transaction(lib):  # a third chapter arrives: the remembered contents follow the library
        wid = library.ensure_work(lib, "Genesis", "בראשית", "Tanakh")
        segs = [
            library.SegmentIn(f"Genesis {c}:{v}", f"פסוק {c}:{v}", f"פסוק {c}:{v}")
            for c, n in ((1, 31), (2, 25), (3, 24))
            for v in range(1, n + 1)
        ]
        library.write_version(
            lib,
            work_id=wid,
            lang="he",
            title="more",
            source=None,
            license=None,
            segments=segs,
            fingerprint="y",
        )
    assert [p.chapters for p in reader.contents(lib, "Genesis")] == [["1", "2", "3"]]
    assert reader.neighbours(lib, "Genesis", "Genesis 2:1", "Genesis 2:3") == ("Genesis 1", "Genesis 3")
    code, _, exc = _cli("library", "contents", "Genesiss", "--db", path)
    assert isinstance(exc, MadregaError) and "Genesis" in exc.message  # the CLI's handler prints it


LESSON = """In the beginning God created the heavens and the earth.

בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם וְאֵת הָאָרֶץ׃

The opening verse names the Creator before anything created.

And the earth was without form and void.1

וְהָאָרֶץ הָיְתָה תֹהוּ וָבֹהוּ
"""


def test_cli_read_a_lesson_file(tmp_path: Path) -> None:
    """`read FILE` parses the lesson and shows its pairs, commentary and footnote markers."""
    lesson = tmp_path / "lesson.txt"
    lesson.write_text(LESSON, encoding="utf-8")
    code, out, exc = _cli("read", str(lesson), "--json", "--db", str(tmp_path / "x.sqlite"))
    assert code == 0, exc
    data = json.loads(out)
    assert [(p["translation"], p["commentary"]) for p in data["pairs"]] == [
        (
            "In the beginning God created the heavens and the earth.",
            ["The opening verse names the Creator before anything created."],
        ),
        ("And the earth was without form and void.", []),
    ]
    assert data["pairs"][1]["source"] == "וְהָאָרֶץ הָיְתָה תֹהוּ וָבֹהוּ"
    assert [s["role"] for s in data["segments"]] == [
        "translation",
        "source",
        "commentary",
        "translation",
        "source",
    ]
    assert [f["marker"] for f in data["segments"][3]["footnotes"]] == ["1"]
    code, out, exc = _cli("read", str(lesson), "--db", str(tmp_path / "x.sqlite"))
    assert code == 0, exc
    assert "void" in out and "Creator" in out
