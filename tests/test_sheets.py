"""Source sheets: made from a lesson (its text, and under each citation the cited passage) or by hand
(add, reorder, notes), and exported as self-contained HTML, PDF, EPUB and JSON."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from typer.testing import CliRunner

from madrega import Library, db
from madrega.errors import MadregaError, NotFound
from madrega.study import library, pipeline, sheets
from madrega.study.sheets import export

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
VERSES_HE = {
    "Isaiah 51:16": "וָאָשִׂים דְּבָרַי בְּפִיךָ וּבְצֵל יָדִי כִּסִּיתִיךָ לִנְטֹעַ שָׁמַיִם וְלִיסֹד אָרֶץ",
    "Job 8:7": "וְהָיָה רֵאשִׁיתְךָ מִצְעָר וְאַחֲרִיתְךָ יִשְׂגֶּה מְאֹד",
}
VERSES_EN = {  # our own wording
    "Isaiah 51:16": "I have put my words in your mouth and sheltered you in the shade of my hand.",
    "Job 8:7": "Your start may be small, yet your end will grow very great.",
}
LESSON = """Small beginnings, a lesson of ours

A teacher once told us that every great thing begins small, as Job 8:7 says.

And the words we study are put in our mouth from above (Isaiah 51:16), so we are never alone in it.
"""


def _version(conn: sqlite3.Connection, work: str, lang: str, rows: dict[str, str]) -> None:
    segments = [library.SegmentIn(r, t, t) for r, t in rows.items() if r.startswith(work)]
    with db.transaction(conn):
        wid = library.ensure_work(conn, work, None, "Tanakh")
        library.write_version(
            conn,
            work_id=wid,
            lang=lang,
            title=f"test {lang}",
            source=None,
            license=None,
            segments=segments,
            fingerprint=library.fingerprint_segments(segments),
        )


@pytest.fixture
def lib(conn: sqlite3.Connection) -> sqlite3.Connection:
    for work in ("Isaiah", "Job"):
        _version(conn, work, "he", VERSES_HE)
        _version(conn, work, "en", VERSES_EN)
    return conn


def test_a_lesson_becomes_a_sheet_with_each_cited_passage_under_its_citation(lib: sqlite3.Connection) -> None:
    doc = pipeline.import_document(lib, LESSON, source="ours.txt", kind="article")
    info = sheets.from_document(lib, doc.slug)
    sheet = sheets.load(lib, info.slug)
    kinds = [(i.kind, i.ref) for i in sheet.items]
    job = kinds.index(("source", "Job 8:7"))
    isaiah = kinds.index(("source", "Isaiah 51:16"))
    assert kinds[job - 1][0] == "text" and "Job 8:7" in (sheet.items[job - 1].text or "")
    assert kinds[isaiah - 1][0] == "text" and job < isaiah
    source = sheets.resolve(lib, sheet.items[isaiah])
    assert source.rows == [("Isaiah 51:16", VERSES_HE["Isaiah 51:16"], VERSES_EN["Isaiah 51:16"])]
    assert sheet.info.document == doc.slug


def test_a_sheet_by_hand_add_reorder_note_drop(lib: sqlite3.Connection) -> None:
    info = sheets.new(lib, "Beginnings")
    sheets.add_source(lib, info.slug, "Job 8:7")
    sheets.add_source(lib, info.slug, "isaiah 51:16")  # canonical once added
    sheets.add_note(lib, info.slug, "Compare the two: who does the growing?", at=2)
    sheets.move(lib, info.slug, 3, 1)
    items = sheets.load(lib, info.slug).items
    assert [(i.kind, i.ref) for i in items] == [
        ("source", "Isaiah 51:16"),
        ("source", "Job 8:7"),
        ("note", None),
    ]
    sheets.remove_item(lib, info.slug, 2)
    assert [i.number for i in sheets.load(lib, info.slug).items] == [1, 2]
    assert [s.slug for s in sheets.list_sheets(lib)] == ["beginnings"]
    assert sheets.new(lib, "Beginnings").slug == "beginnings-2"


def test_mistakes_are_explained(lib: sqlite3.Connection) -> None:
    info = sheets.new(lib, "Mistakes")
    with pytest.raises(NotFound):
        sheets.add_source(lib, info.slug, "Genesis 1:1")  # not in this library
    with pytest.raises(MadregaError, match="not in the sheet"):
        sheets.move(lib, info.slug, 1, 2)
    with pytest.raises(NotFound, match="no source sheet"):
        sheets.load(lib, "nothing-like-it")
    with pytest.raises(MadregaError, match="title"):
        sheets.new(lib, "  ")


@pytest.fixture
def sheet(lib: sqlite3.Connection) -> sheets.Sheet:
    doc = pipeline.import_document(lib, LESSON, source="ours.txt", kind="article")
    info = sheets.from_document(lib, doc.slug)
    sheets.add_note(lib, info.slug, "הערה שלנו: מתחילים בקטן.")
    return sheets.load(lib, info.slug)


def test_html_export_is_self_contained_with_absolute_links(
    lib: sqlite3.Connection, sheet: sheets.Sheet
) -> None:
    page = export.to_html(lib, sheet, base_url="http://study.example:8000/")
    assert "<style>" in page and "<link" not in page and "<script" not in page and " src=" not in page
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs and all(h.startswith("http://study.example:8000/read/") for h in hrefs)
    assert 'lang="he" dir="rtl"' in page and VERSES_EN["Job 8:7"] in page
    bare = export.to_html(lib, sheet)  # no reader to link to: the passage on Sefaria, never a relative link
    assert all(h.startswith("https://www.sefaria.org/") for h in re.findall(r'href="([^"]+)"', bare))


def test_json_and_epub_exports(lib: sqlite3.Connection, sheet: sheets.Sheet) -> None:
    data = json.loads(export.export(lib, sheet, "json"))
    sources = [i for i in data["items"] if i["kind"] == "source"]
    assert sources and all(s["passage"]["rows"] for s in sources)
    book = zipfile.ZipFile(BytesIO(export.to_epub(lib, sheet)))
    first = book.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert book.read("mimetype") == b"application/epub+zip"
    assert "OEBPS/content.opf" in book.read("META-INF/container.xml").decode()
    chapter = book.read("OEBPS/sheet.xhtml").decode()
    from xml.etree import ElementTree

    ElementTree.fromstring(chapter)  # well-formed XHTML, as EPUB requires
    assert VERSES_HE["Isaiah 51:16"] in chapter


def test_pdf_export_renders_hebrew(lib: sqlite3.Connection, sheet: sheets.Sheet) -> None:
    pytest.importorskip("weasyprint")
    pdf = export.to_pdf(lib, sheet)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is missing: the page cannot be looked at")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "sheet.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(ARTIFACTS / "sheet.pdf"),
            str(ARTIFACTS / "sheet-page"),
        ],
        check=True,
    )
    assert (ARTIFACTS / "sheet-page-1.png").stat().st_size > 5_000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(ARTIFACTS / "sheet.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Job 8:7" in text and "Small beginnings" in text


def test_cli_sheet_new_add_show_export(lib: sqlite3.Connection, tmp_path: Path) -> None:
    from madrega.cli import _load, app

    _load()
    path = lib.execute("PRAGMA database_list").fetchone()[2]
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, [*args, "--db", path])
        assert result.exit_code == 0, result.output
        return result.output

    assert "is beginnings" in run("sheet", "new", "Beginnings")
    run("sheet", "add", "beginnings", "Isaiah 51:16", "Job 8:7")
    run("sheet", "add", "beginnings", "--note", "Read them together.", "--at", "2")
    run("sheet", "move", "beginnings", "3", "1")
    shown = json.loads(run("sheet", "show", "beginnings", "--json"))
    assert [i["ref"] for i in shown["items"]] == ["Job 8:7", "Isaiah 51:16", None]
    out = tmp_path / "b.epub"
    assert "Wrote" in run("sheet", "export", "beginnings", "--format", "epub", "-o", str(out))
    assert zipfile.is_zipfile(out)
    bad = runner.invoke(app, ["sheet", "add", "beginnings", "Genesis 1:1", "--db", path])
    assert bad.exit_code != 0


def test_the_library_object_has_sheets(lib: sqlite3.Connection) -> None:
    path = lib.execute("PRAGMA database_list").fetchone()[2]
    with Library.open(path) as l2:
        info = l2.new_sheet("Via the API")
        l2.add_to_sheet(info.slug, ref="Job 8:7")
        assert l2.export_sheet(info.slug, "html").startswith(b"<!DOCTYPE html>")
        assert [s.title for s in l2.sheets()] == ["Via the API"]


def test_without_weasyprint_pdf_export_names_its_remedy_not_a_command(
    lib: sqlite3.Connection, sheet: sheets.Sheet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make demo` installs no PDF support: the core says what is missing and names the remedy; the
    CLI words it as a command, the web page as something a reader can do (never `pip` on a page)."""
    import sys

    from jinja2 import Environment, FileSystemLoader

    from madrega import errors
    from madrega.cli.app import hint

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` raises ImportError
    with pytest.raises(MadregaError) as caught:
        export.to_pdf(lib, sheet)
    assert caught.value.remedy == errors.INSTALL_PDF and not caught.value.suggestions
    assert "madrega[pdf]" in (hint(caught.value) or "")
    templates = Path(export.__file__).resolve().parents[2] / "web" / "templates"
    page = Environment(loader=FileSystemLoader(templates)).get_template("_remedy.html")
    shown = page.render(remedy=caught.value.remedy, subject=None)
    assert "PDF export is not installed" in shown and "pip" not in shown
