"""`madrega` starts by importing only the command asked for; its listing of every command is the same
as if all were loaded."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer.main

from madrega import cli
from madrega.cli.app import app

ENV = {**os.environ, "COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=ENV, timeout=120, check=False
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


def test_help_lists_every_command_without_loading_them() -> None:
    listed = _run(
        LISTED + "\nprint(sorted(m for m in sys.modules if m.startswith('madrega.cli.')))", "--help"
    )
    loaded = _run(ALL_LOADED, "--help")
    assert listed.returncode == 0, listed.stderr
    help_text, modules = listed.stdout.rsplit("\n", 2)[0], listed.stdout.rsplit("\n", 2)[1]
    assert help_text.strip() == loaded.stdout.strip()
    assert modules == "['madrega.cli.app']"


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
