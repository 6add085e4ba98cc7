"""Every CLI command that reads what a person types (arguments, options, files, standard input),
driven with generated and known-troublesome input: each answers, or says in one `error:` line what
is wrong — never a traceback. (Commands that reach the network — login, sync, library fetch,
serve, demo — are left out: a generated address must never be dialled.)"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import madrega.cli as cli
from madrega.cli.app import app
from madrega.errors import MadregaError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_inputs import weird_text

cli._load()
runner = CliRunner()
ARG = weird_text(nul=False)
CONTENT = weird_text(nul=True)
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    phases=(Phase.explicit, Phase.generate),  # the failing input is printed; shrinking costs minutes
)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import web_library

    return web_library.build(tmp_path_factory.mktemp("fuzz-cli") / "library.sqlite")


@pytest.fixture(scope="module")
def db(library: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One library copy for the whole suite: commands that write leave it as a person would. Copied
    with its index files (as a person's library has them): without them, the first import built the
    quotation index again."""
    import built_once

    return built_once.copy_to(library, tmp_path_factory.mktemp("fuzz-db") / "madrega.sqlite")


NO_DB = ("numeral", "ref")  # commands that never open the database


def check(args: list[str], db: Path, stdin: str | bytes | None = None) -> None:
    full = args if args[0] in NO_DB else [*args, "--db", str(db)]
    result = runner.invoke(app, full, input=stdin, catch_exceptions=True)
    shown = f"madrega {args!r} (stdin {stdin!r:.80}) → exit {result.exit_code}:\n{result.output[-1500:]}"
    if isinstance(result.exception, MadregaError):
        return  # `madrega` (cli.run) prints it as one `error:` line and exits 1
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        trace = "".join(traceback.format_exception(result.exception))
        ours = [line for line in trace.splitlines() if "src/madrega" in line]
        raise AssertionError(f"{trace.splitlines()[-1]} at {ours[-1:]}\n{shown}\n{trace}")
    assert "Traceback" not in result.output, shown
    assert result.exit_code in (0, 1, 2), shown
    if result.exit_code == 1:
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        if not errors and "--json" in full:
            json.loads(result.stdout)  # --json reports what is wrong inside its JSON
        else:
            assert errors, shown


def _write(tmp: Path, name: str, content: str) -> Path:
    path = tmp / name
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    return path


Case = Callable[[Any, Path, Path], None]  # (drawn values, db, tmp dir)

CASES: dict[str, Callable[..., tuple[list[str], str | bytes | None]]] = {
    "gematria": lambda x, t: (["gematria", x], None),
    "gematria --method": lambda x, t: (["gematria", "ספר", "--method", x], None),
    "gematria number --in": lambda x, t: (["gematria", "340", "--in", x, "--words", "2"], None),
    "numeral": lambda x, t: (["numeral", x], None),
    "numeral --ascii": lambda x, t: (["numeral", x, "--ascii", "--json"], None),
    "ref": lambda x, t: (["ref", x, "--json"], None),
    "read": lambda x, t: (["read", x], None),
    "read --lang": lambda x, t: (["read", "Isaiah 51:1", "--lang", x], None),
    "search": lambda x, t: (["search", x], None),
    "search --in --lang": lambda x, t: (["search", "ארץ", "--in", x, "--lang", x, "--category", x], None),
    "search --offset": lambda x, t: (["search", "ארץ", "--offset", x], None),
    "link stdin": lambda x, t: (["link", "-"], x.encode("utf-8", "surrogatepass")),
    "link stdin bytes": lambda x, t: (
        ["link", "-", "--format", "json"],
        b"\xff\xfe" + x.encode("utf-8", "replace"),
    ),
    "link --context": lambda x, t: (["link", "-", "--context", x], "see ch. 3 and Job 8:7"),
    "link --format": lambda x, t: (["link", "-", "--format", x], "Job 8:7"),
    "link file": lambda x, t: (["link", str(_write(t, "lesson.txt", x))], None),
    "link file name": lambda x, t: (["link", str(t / x)], None),
    "library import": lambda x, t: (["library", "import", str(_write(t, "doc.txt", x))], None),
    "library import html": lambda x, t: (
        ["library", "import", str(_write(t, "doc.html", x)), "--kind", "article"],
        None,
    ),
    "library import name": lambda x, t: (["library", "import", str(t / x)], None),
    "library import --kind": lambda x, t: (
        ["library", "import", str(_write(t, "a.txt", "x")), "--kind", x],
        None,
    ),
    "library contents": lambda x, t: (["library", "contents", x], None),
    "library show": lambda x, t: (["library", "show", x], None),
    "library remove": lambda x, t: (["library", "remove", x], None),
    "step add kind": lambda x, t: (["step", "add", x], None),
    "step add fields": lambda x, t: (
        ["step", "add", "study", x, "--note", x, "--prayer", x, "--focus", x, "--currency", x],
        None,
    ),
    "step add --at": lambda x, t: (["step", "add", "study", "--at", x], None),
    "step add --minutes": lambda x, t: (["step", "add", "study", "--minutes", x], None),
    "step add --amount": lambda x, t: (["step", "add", "tzedakah", "--amount", x], None),
    "step add --lesson": lambda x, t: (["step", "add", "study", "--lesson", x], None),
    "step correct": lambda x, t: (["step", "correct", x, "--note", "x"], None),
    "step delete": lambda x, t: (["step", "delete", x], None),
    "step list": lambda x, t: (["step", "list", "--since", x, "--until", x, "--kind", x], None),
    "step list --limit": lambda x, t: (["step", "list", "--limit", x], None),
    "plan add": lambda x, t: (["plan", "add", x], None),
    "plan add --start": lambda x, t: (["plan", "add", "Job", "--start", x, "--by", "chapter"], None),
    "plan add --days": lambda x, t: (["plan", "add", "Job", "--days", x], None),
    "plan show": lambda x, t: (["plan", "show", x], None),
    "plan done": lambda x, t: (["plan", "done", x, x], None),
    "config set": lambda x, t: (["config", "set", x, x], None),
    "config set timezone": lambda x, t: (["config", "set", "timezone", x], None),
    "config set location": lambda x, t: (["config", "set", "location", x], None),
    "config set nightfall": lambda x, t: (["config", "set", "nightfall_hour", x], None),
    "journal import jsonl": lambda x, t: (["journal", "import", str(_write(t, "events.jsonl", x))], None),
    "journal import csv": lambda x, t: (
        ["journal", "import", str(_write(t, "steps.csv", "kind,at\n" + x))],
        None,
    ),
    "journal export path": lambda x, t: (["journal", "export", str(t / x)], None),
    "journal export --format": lambda x, t: (["journal", "export", "--format", x], None),
    "progress --kind": lambda x, t: (["progress", "--kind", x, "--days", "30"], None),
    "hitbodedut note": lambda x, t: (["hitbodedut", "start", "--note", x], None),
    "today": lambda x, t: (["today", "--offline", "--json"], None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_command_answers_every_input(case: str, db: Path, tmp_path: Path) -> None:
    make = CASES[case]

    @EXAMPLES
    @given(value=ARG)
    def run(value: str) -> None:
        args, stdin = make(value, tmp_path)
        check(args, db, stdin)
        if case == "hitbodedut note":
            check(["hitbodedut", "stop"], db)

    run()
    check(["step", "list"], db)  # whatever was accepted, the journal still reads
    check(["today", "--offline"], db)
    check(["progress"], db)
    check(["config", "unset", "timezone"], db)
    check(["config", "unset", "location"], db)


def test_an_argument_that_is_not_utf8_is_one_error_line(tmp_path: Path) -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable.encode(), b"-c", b"from madrega.cli import main; main()", b"gematria", b"\xff\xfe"],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.decode().startswith("error: the argument") and b"Traceback" not in done.stderr


def test_journal_import_of_nested_and_garbled_lines(db: Path, tmp_path: Path) -> None:
    @EXAMPLES
    @given(lines=st.lists(CONTENT, min_size=1, max_size=4))
    def run(lines: list[str]) -> None:
        check(["journal", "import", str(_write(tmp_path, "x.jsonl", "\n".join(lines)))], db)

    run()
    check(["step", "list"], db)
