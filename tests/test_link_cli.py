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


_PROBE = "\nprint('typer' in sys.modules, file=sys.stderr)"
_FAST = (
    "import sys; sys.argv[0] = 'madrega'; from madrega.cli import main\ntry:\n    main()\nfinally:"
    + _PROBE.replace("\n", "\n    ")
)
_TYPER = (  # every command loaded and run by typer: the ordinary path
    "import sys; sys.argv[0] = 'madrega'; from madrega import cli\ncli._load()\ntry:\n    cli.run()\nfinally:"
    + _PROBE.replace("\n", "\n    ")
)


def _madrega(code: str, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    return done.returncode, done.stdout, done.stderr


def test_link_of_a_file_prints_without_typer_what_typer_prints(tmp_path: Path) -> None:
    """`madrega link FILE`, the commonest link, skips typer (a cold start's largest import) and prints
    the same, to the character: citations with their sources, none, or a wrapped line; an error, an
    option or standard input take the ordinary path."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS")}
    env["MADREGA_DB"] = str(library_path())
    long_line = "A long line that Rich wraps at the console's width, " * 4 + "as Genesis 1:1 [b]says[/b]."
    printed = []
    for text, width in ((TEXT, "80"), ("Nothing cited here.\n", "80"), (long_line, "50")):
        path = _file(tmp_path, text)
        fast = _madrega(_FAST, {**env, "COLUMNS": width}, "link", str(path))
        typer_path = _madrega(_TYPER, {**env, "COLUMNS": width}, "link", str(path))
        assert fast[0] == typer_path[0] == 0, fast[2] + typer_path[2]
        assert fast[1] == typer_path[1]
        assert (fast[2].strip(), typer_path[2].strip()) == ("False", "True")
        printed.append(fast[1])
    assert "Job 8:7" in printed[0] and "מִצְעָ֑ר" in printed[0]
    assert printed[1] == "no citations found\n"
    assert "Genesis 1:1" in printed[2] and "\n[b]says[/b].…\n" in printed[2]  # wrapped; markup is text
    missing = _madrega(_FAST, env, "link", str(tmp_path / "nope.txt"))
    assert missing[0] == 1 and "no such file" in missing[2] and missing[2].strip().endswith("True")
    as_json = _madrega(_FAST, env, "link", str(_file(tmp_path)), "--json")
    assert as_json[0] == 0 and '"ref": "Job 8:7"' in as_json[1] and as_json[2].strip() == "True"
