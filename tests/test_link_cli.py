"""`madrega link`: text, JSON and HTML output, context, bulk, and friendly errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from linker_library import library_path
from madrega.cli import _load, app

runner = CliRunner()
_load()

TEXT = 'As Iyov (Job) 8:7 promises. כמו שכתוב "וָאָשִׂים דְּבָרַי בְּפִיךָ" (תהלים פט, כג)\n'


def _file(tmp_path: Path, text: str = TEXT) -> Path:
    path = tmp_path / "lesson.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_output(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["link", str(_file(tmp_path)), "--format", "json", "--db", str(library_path())]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(c["kind"], c["ref"]) for c in data["citations"]] == [
        ("reference", "Job 8:7"),
        ("quotation", "Isaiah 51:16"),
        ("reference", "Psalms 89:23"),
    ]
    first = data["citations"][0]
    assert set(first) == {"start", "end", "text", "kind", "ref", "alternatives", "score", "checked", "note"}
    assert TEXT[first["start"] : first["end"]] == "Iyov (Job) 8:7"


def test_text_output_shows_the_cited_source(tmp_path: Path) -> None:
    result = runner.invoke(app, ["link", str(_file(tmp_path)), "--db", str(library_path())])
    assert result.exit_code == 0, result.output
    assert "Job 8:7" in result.stdout
    assert "מִצְעָ֑ר" in result.stdout  # the words of Job 8:7 from the library


def test_text_output_says_where_the_quoted_words_disagree_with_the_reference(tmp_path: Path) -> None:
    path = _file(tmp_path, 'שנאמר (שמות כ, ו): "לא תשא את שם ה\' אלהיך לשוא"\n')
    result = runner.invoke(app, ["link", str(path), "--db", str(library_path())])
    assert result.exit_code == 0, result.output
    assert "Exodus 20:6 is written, but the words quoted beside it are Exodus 20:7" in " ".join(
        result.stdout.split()
    )


def test_html_from_stdin_with_context(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "link",
            "-",
            "-f",
            "html",
            "--context",
            "Tanya, Part III; Iggeret HaTeshuvah 10",
            "--db",
            str(tmp_path / "e.sqlite"),
        ],
        input="as noted above, in ch. 3 <here>",
    )
    assert result.exit_code == 0, result.output
    assert 'data-ref="Tanya, Part III; Iggeret HaTeshuvah 3"' in result.stdout
    assert "&lt;here&gt;" in result.stdout


def test_bulk_folder_json(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "one.txt").write_text("See Genesis 1:1 and Exodus 2:3.", encoding="utf-8")
    result = runner.invoke(
        app, ["link", "--bulk", str(folder), "--json", "--workers", "1", "--db", str(tmp_path / "b.sqlite")]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"items": 1, "anchors": 2}


def test_missing_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    from madrega.errors import MadregaError

    result = runner.invoke(app, ["link", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "x.sqlite")])
    assert isinstance(result.exception, MadregaError)
    assert "no such file" in str(result.exception)
    result = runner.invoke(
        app, ["link", str(_file(tmp_path)), "-f", "pdf", "--db", str(tmp_path / "x.sqlite")]
    )
    assert isinstance(result.exception, MadregaError)
