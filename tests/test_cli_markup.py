"""What a person types is printed as they typed it: square brackets in a title, a note, a query or a
reference are text, never Rich markup (`[/x]` used to end in a MarkupError traceback, and
`madrega[pdf]` in a suggestion lost its `[pdf]`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import madrega.cli as cli
from madrega.cli.app import app, run

cli._load()
runner = CliRunner()
MARKUP = "[/x] [bold]b[/i] madrega[pdf]"
EMOJI = ":pray: :fire:"  # Rich turns `:name:` into an emoji unless told not to


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    return result.output


def test_user_text_with_brackets_is_shown_as_typed(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "m.sqlite")]
    _ok(["step", "add", "study", "Psalms 1", "--note", MARKUP, *db])
    listed = _ok(["step", "list", *db])
    assert "[/x]" in listed and "[bold]b[/i]" in listed
    _ok(["step", "add", "prayer", "--note", EMOJI, *db])
    assert EMOJI in _ok(["step", "list", *db])
    assert "[/x]" in _ok(["sheet", "new", MARKUP, *db])
    assert "madrega[pdf]" in _ok(["sheet", "list", *db])
    assert "[/x]" in _ok(["search", MARKUP, *db])


@pytest.mark.parametrize(
    "args", [["ref", "Genesis [red]1[/red]"], ["gematria", "[/bold]"], ["ref", ":pray: 1:1"]]
)
def test_an_error_quoting_brackets_is_one_error_line(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["madrega", *args])
    with pytest.raises(SystemExit):
        run()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "MarkupError" not in err
    assert err.lstrip().startswith("error:") and args[1] in err
