"""`madrega ref` printed without typer or Rich (`madrega.cli.plain`) is what Rich prints, to the character."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from madrega.cli import plain
from madrega.refs import describe

CODE = (
    "import sys; sys.argv[0] = 'madrega'; from madrega.cli import main\ntry:\n    main()\n"
    "finally:\n    print('typer' in sys.modules, 'rich.console' in sys.modules, file=sys.stderr)"
)


def _rich(rows: list[tuple[str, str, str, str]], width: int) -> str:
    """The table as `madrega ref` has Rich print it (madrega.cli.ref), into a file that is no terminal."""
    out = io.StringIO()
    table = Table("input", "ref", "hebrew", "url", show_lines=False)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    Console(file=out, width=width, emoji=False).print(table)
    return out.getvalue()


def _rich_terminal(rows: list[tuple[str, str, str, str]], width: int, term: str = "xterm-256color") -> str:
    """The same table as Rich prints it to a terminal (TERM as given)."""
    out = io.StringIO()
    table = Table("input", "ref", "hebrew", "url", show_lines=False)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    Console(file=out, width=width, emoji=False, force_terminal=True, _environ={"TERM": term}).print(table)
    return out.getvalue()


def _rows(texts: list[str]) -> list[tuple[str, str, str, str]]:
    found = [describe(t) for t in texts]
    return [(r["input"], r["ref"], r["he"], r["url"]) for r in found]


READ = [
    "Job 8:7",
    "ברכות ה.",
    "Genesis 1:1-2:3",
    'רד"ק על שופטים ד, כג',
    "Mishneh Torah, Repentance 3:4",
    "Rashi on Genesis 1:1",
    "Berakhot 2a-b",
    "Psalms 119",
]


def test_a_table_of_references_is_drawn_as_rich_draws_it() -> None:
    for width in (60, 80, 100, 120, 200):
        for n in range(1, len(READ) + 1):
            rows = _rows(READ[:n])
            drawn = plain.ref_table(rows, width)
            if drawn is not None:
                assert drawn == _rich(rows, width), (width, n)
            styled = plain.ref_table(rows, width, styled=True)
            if styled is not None:
                for term in ("xterm-256color", "xterm", "linux", "", "screen-16color"):
                    assert styled == _rich_terminal(rows, width, term), (width, n, term)
    assert plain.ref_table(_rows(["Job 8:7"]), 80) is not None  # the commonest case is drawn here
    assert "\x1b[1m" in (plain.ref_table(_rows(["Job 8:7"]), 80, styled=True) or "")
    assert plain.ref_table(_rows(READ), 20) is None  # too wide: Rich wraps it


CELL = st.text(
    alphabet=st.sampled_from("aZz 09:.,'\"-_!~^[]\\\tאבתת״׳\u05b0\u05bc é中"), min_size=0, max_size=24
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CELL, CELL, CELL, CELL), min_size=1, max_size=4), st.integers(20, 140))
def test_any_table_drawn_here_is_rich_s(rows: list[tuple[str, str, str, str]], width: int) -> None:
    drawn = plain.ref_table(rows, width)
    if drawn is not None:
        assert drawn == _rich(rows, width)


SAFE_CELL = st.text(alphabet=st.sampled_from("aZz 09:.,'\"-_!~^אבתת״׳"), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(SAFE_CELL, SAFE_CELL, SAFE_CELL, SAFE_CELL), min_size=1, max_size=5),
    st.integers(20, 140),
)
def test_tables_of_plain_cells_are_drawn_here_as_rich_draws_them(
    rows: list[tuple[str, str, str, str]], width: int
) -> None:
    drawn = plain.ref_table(rows, width)
    if drawn is not None:
        assert drawn == _rich(rows, width)
    elif all(c == c.strip() and "  " not in c for row in rows for c in row):
        assert _rich(rows, width) != _rich(rows, 1000)  # declined only where Rich wraps the table


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(CELL, CELL, CELL, CELL), min_size=1, max_size=4), st.integers(20, 140))
def test_any_table_drawn_here_for_a_terminal_is_rich_s(
    rows: list[tuple[str, str, str, str]], width: int
) -> None:
    drawn = plain.ref_table(rows, width, styled=True)
    if drawn is not None:
        assert drawn == _rich_terminal(rows, width)


def test_a_table_as_wide_as_the_console_is_drawn_here() -> None:
    rows = _rows(["Job 8:7"])
    width = len(_rich(rows, 200).splitlines()[0])
    assert plain.ref_table(rows, width) == _rich(rows, width)
    assert plain.ref_table(rows, width - 1) is None


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CODE, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_the_command_prints_the_same_either_way() -> None:
    base = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS")}
    for args, env in (
        (["Job 8:7"], base),
        (["Job 8:7", "ברכות ה."], base),
        (READ, {**base, "COLUMNS": "160"}),
    ):
        fast = _run(env, "ref", *args)
        typer_path = _run({**env, "FORCE_COLOR": ""}, "ref", *args)  # Rich: no terminal; plain.py steps aside
        assert fast.returncode == typer_path.returncode == 0, fast.stderr + typer_path.stderr
        assert fast.stdout == typer_path.stdout
        assert typer_path.stderr.strip() == "True True"
        assert fast.stderr.strip() == "False False"  # neither typer nor Rich was imported
    for width in ("30", "60"):  # narrower than the table: Rich wraps it, on the ordinary path
        fast = _run({**base, "COLUMNS": width}, "ref", *READ)
        typer_path = _run({**base, "COLUMNS": width, "FORCE_COLOR": ""}, "ref", *READ)
        assert fast.stdout == typer_path.stdout


def _run_at_terminal(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """The command with a terminal (a pseudo-terminal) as its output: exit code, output, stderr."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", CODE, *args], stdout=follower, stderr=subprocess.PIPE, env=env, text=False
    )
    os.close(follower)
    out = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed: the command is done
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, out.decode("utf-8"), err.decode("utf-8")


def test_at_a_terminal_the_command_prints_what_rich_prints() -> None:
    base = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS")}
    for args, env in (
        (["Job 8:7"], {**base, "TERM": "xterm-256color", "COLUMNS": "100"}),
        (["Job 8:7", "ברכות ה."], {**base, "TERM": "xterm", "COLUMNS": "120"}),
        (["Job 8:7"], {**base, "TERM": "xterm", "COLUMNS": "100", "NO_COLOR": "1"}),
    ):
        code, fast, fast_err = _run_at_terminal(env, "ref", *args)
        code2, typer_path, typer_err = _run_at_terminal({**env, "TTY_COMPATIBLE": "1"}, "ref", *args)
        assert code == code2 == 0, fast_err + typer_err
        assert fast == typer_path
        assert "\x1b[1m" in fast  # the headers bold, as Rich has them
        assert typer_err.strip() == "True True"
        assert fast_err.strip() == "False False"  # neither typer nor Rich was imported
    code, dumb, err = _run_at_terminal({**base, "TERM": "dumb"}, "ref", "Job 8:7")
    assert code == 0 and "True True" in err and "\x1b[" not in dumb  # a dumb terminal: Rich's own path


def test_errors_and_options_take_the_ordinary_path() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    done = _run(env, "ref", "Job 8:7", "Xyzzy 3:4")
    assert done.returncode == 1
    assert "error:" in done.stderr and "True True" in done.stderr
    done = _run(env, "ref", "--json", "Job 8:7")
    assert '"ref": "Job 8:7"' in done.stdout and "True" in done.stderr
