"""`madrega` starts by importing only the command asked for; its listing of every command is the same
as if all were loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from madrega import cli
from madrega.cli.app import app

ENV = {**os.environ, "COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}


def _run(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env or ENV,
        timeout=120,
        check=False,
    )


def test_the_command_table_is_what_the_modules_register() -> None:
    cli._load()
    group = typer.main.get_group(app)
    registered = {
        name: (command.help or "").split("\n\n")[0].strip() for name, command in group.commands.items()
    }
    assert registered == {name: help_line for name, (_module, help_line) in cli.COMMANDS.items()}, (
        "madrega.cli.COMMANDS is out of date: paste the output of "
        '`python -c "from madrega import cli; print(cli.table_source())"` over it'
    )
    for name, (module, _help) in cli.COMMANDS.items():
        callback = group.commands[name].callback
        if callback is not None and getattr(callback, "__module__", "").startswith("madrega.cli."):
            assert callback.__module__ == f"madrega.cli.{module}", name


LISTED = "import sys; sys.argv[0] = 'madrega'; from madrega.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
ALL_LOADED = (
    "import sys; sys.argv[0] = 'madrega'; from madrega import cli\ncli._load()\ntry:\n    cli.run()\n"
    "except SystemExit:\n    pass"
)


def test_help_lists_every_command_without_loading_them(tmp_path: Path) -> None:
    env = {**ENV, "MADREGA_CACHE_DIR": str(tmp_path / "cache")}  # no listing recorded yet
    listed = _run(
        LISTED + "\nprint(sorted(m for m in sys.modules if m.startswith('madrega.cli.')))", "--help", env=env
    )
    loaded = _run(ALL_LOADED, "--help")
    assert listed.returncode == 0, listed.stderr
    help_text, modules = listed.stdout.rsplit("\n", 2)[0], listed.stdout.rsplit("\n", 2)[1]
    assert help_text.strip() == loaded.stdout.strip()
    assert modules == "['madrega.cli.app', 'madrega.cli.helpcache', 'madrega.cli.plain']"  # no command's


def test_help_into_a_pipe_prints_the_listing_typer_drew_before(tmp_path: Path) -> None:
    """The listing typer drew for a setting (program name, width, environment) is printed again, the
    same to the character, without typer or the command table's app; another width or setting, or a
    listing that is not whole, is drawn again by typer."""
    probe = (
        LISTED
        + "\nprint(sorted(m for m in sys.modules if m.startswith(('typer', 'rich', 'madrega.cli.'))), file=sys.stderr)"
    )
    for columns in ("100", "60"):
        env = {**ENV, "MADREGA_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": columns}
        drawn = _run(ALL_LOADED, "--help", env={**env, "MADREGA_CACHE_DIR": str(tmp_path / "none")})
        first, second = _run(probe, "--help", env=env), _run(probe, "--help", env=env)
        assert first.returncode == second.returncode == 0, first.stderr + second.stderr
        assert first.stdout == second.stdout == drawn.stdout
        assert (
            "typer" in first.stderr
            and second.stderr.strip() == "['madrega.cli.helpcache', 'madrega.cli.plain']"
        )
        assert max(len(line) for line in second.stdout.splitlines()) <= int(columns)
    recorded = sorted((tmp_path / "cache").glob("help-*.txt"))
    assert len(recorded) == 2
    recorded[0].write_bytes(recorded[0].read_bytes()[:-1])  # cut short: not a listing
    again = [
        _run(probe, "--help", env={**ENV, "MADREGA_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": c})
        for c in ("100", "60")
    ]
    assert all(
        done.stdout == drawn_for.stdout
        for done, drawn_for in zip(
            again,
            [
                _run(
                    ALL_LOADED,
                    "--help",
                    env={**ENV, "COLUMNS": c, "MADREGA_CACHE_DIR": str(tmp_path / "none")},
                )
                for c in ("100", "60")
            ],
            strict=True,
        )
    )
    assert sum("typer" in done.stderr for done in again) == 1


def test_a_command_loads_its_module_only() -> None:
    probe = (
        LISTED + "\nprint(sorted(m for m in sys.modules if m.startswith('madrega.cli.')), "
        "'numpy' in sys.modules, 'madrega.practice.cycles' in sys.modules, file=sys.stderr)"
    )
    done = _run(probe, "numeral", "5785")
    assert done.stdout.strip() == "5785 = ה׳תשפ״ה"
    assert done.stderr.strip() == "['madrega.cli.app', 'madrega.cli.basics'] False False"
    done = _run(probe, "ref", "Job 8:7", "--json")
    assert '"ref": "Job 8:7"' in done.stdout
    assert done.stderr.strip() == "['madrega.cli.app', 'madrega.cli.ref'] False False"


def test_a_misspelled_command_is_suggested() -> None:
    done = _run(LISTED, "refx")
    assert "Did you mean 'ref'" in done.stderr


def test_a_missing_command_module_is_raised_not_skipped() -> None:
    with pytest.raises(ModuleNotFoundError, match=r"madrega\.cli\.no_such_module"):
        cli._load(["no_such_module"])
    # From the command line too: the run fails and says which module is missing.
    ghost = (
        "import sys; sys.argv[0] = 'madrega'; from madrega import cli\n"
        "cli.COMMANDS['ghost'] = ('no_such_module', 'A command whose module is missing.')\ncli.main()"
    )
    done = _run(ghost, "ghost")
    assert done.returncode != 0
    assert "ModuleNotFoundError" in done.stderr and "madrega.cli.no_such_module" in done.stderr


# What a cold `madrega --help`, `ref`, `numeral` or `gematria WORD` never needs: markdown-it and pygments
# (typer's help imports them through rich.markdown and rich.traceback; the help is Rich markup), the web
# stack, numpy and the C extensions of the linker and search, and the core beyond the catalog. Each
# costs a cold start milliseconds (bench/cold.py: `help_s`, `ref_s`, …); this keeps them out.
HEAVY = (
    "markdown_it",
    "pygments",
    "rich.markdown",
    "rich.syntax",
    "rich.traceback",
    "importlib.resources",
    "numpy",
    "ahocorasick",
    "selectolax",
    "rapidfuzz",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "httpx",
    "madrega.study",
    "madrega.practice",
    "madrega.api",
    "madrega.db",
    "madrega.community",
    "madrega.web",
)
IMPORTED = LISTED + (
    "\nheavy = "
    + repr(HEAVY)
    + "\nprint(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy"
    " or any(m.startswith(h + '.') for h in heavy)), file=sys.stderr)"
)


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["--help"], "Usage: madrega"),
        (["ref", "--help"], "Usage: madrega ref"),
        (["numeral", "--help"], "Usage: madrega numeral"),
        (["ref", "Job 8:7"], "Job 8:7"),
        (["numeral", "5785"], "ה׳תשפ״ה"),
        (["gematria", "ספר"], "340"),
    ],
)
def test_a_cold_start_imports_nothing_heavy(args: list[str], shown: str) -> None:
    done = _run(IMPORTED, *args)
    assert shown in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


def test_help_and_its_errors_need_no_catalog() -> None:
    for args in (["--help"], ["ref", "--help"], ["ref", "--no-such-option"]):
        done = _run(LISTED + "\nprint('madrega.refs' in sys.modules, file=sys.stderr)", *args)
        assert done.stderr.strip().splitlines()[-1] == "False", (args, done.stderr)
    done = _run(LISTED, "ref", "--no-such-option")
    assert "No such option: --no-such-option" in done.stderr


def test_typers_markdown_and_traceback_are_richs_own_when_used() -> None:
    """The help's stand-ins for rich.markdown and rich.traceback become Rich's classes on first use,
    and a later `import rich.markdown` is Rich's module."""
    code = (
        "import sys; sys.argv[0] = 'madrega'; from madrega.cli import app\n"
        "import typer.rich_utils as r\n"
        "assert 'rich.markdown' not in sys.modules and 'markdown_it' not in sys.modules\n"
        "m = r.Markdown('# hi')\n"
        "import rich.markdown, rich.traceback\n"
        "assert type(m) is rich.markdown.Markdown and isinstance(m, r.Markdown)\n"
        "assert r.Traceback.from_exception is not None\n"
        "assert rich.traceback.Traceback.__module__ == 'rich.traceback'\n"
        "from rich.console import Console\n"
        "c = Console(width=40, color_system=None); c.print(m)\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n"
        "    c.print(r.Traceback.from_exception(type(e), e, e.__traceback__))\n"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert "hi" in done.stdout and "ZeroDivisionError" in done.stdout


def test_no_help_paragraph_breaks_in_the_middle_of_a_sentence() -> None:
    """Typer's Rich help keeps a docstring's line breaks after its first paragraph, so a sentence
    wrapped in the source shows cut in two ('on all' / 'cores'): each paragraph after the first is one
    line, or a list."""
    import inspect

    cli._load()

    def walk(command: object, path: str) -> list[tuple[str, object]]:
        found = [(path, command)]
        for name, sub in getattr(command, "commands", {}).items():
            found += walk(sub, f"{path} {name}")
        return found

    broken = []
    for path, command in walk(typer.main.get_group(app), "madrega"):
        for paragraph in inspect.cleandoc(getattr(command, "help", None) or "").split("\n\n")[1:]:
            lines = paragraph.split("\n")
            if len(lines) > 1 and not all(
                line.lstrip().startswith(("-", "*", "•", "$", "|")) for line in lines
            ):
                broken.append(f"{path}: {lines[0]}")
    assert broken == []
