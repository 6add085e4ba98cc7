"""`madrega ref TEXT…` without typer or Rich, when its output is plain text: the commonest cold start.

A person who runs `madrega ref 'Job 8:7'` at a terminal gets the table Rich draws with bold headers;
into a pipe, a file or a script, with no styles at all. Here that table is drawn directly, character
for character as Rich would (tests/test_cli_plain.py compares the two), so the process imports neither
typer with its click nor rich.console and rich.table. Anything else takes the ordinary path
(`madrega.cli.main`): an option, an error to report, a table wider than the console (Rich wraps it), a
character whose width or markup Rich treats otherwise, a dumb terminal, or any setting Rich reads to
force or colour its output.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping

# Text every character of which is one cell wide and the same in Rich's markup: printable ASCII
# without markup's brackets and backslash, and the Hebrew letters with geresh and gershayim.
_PLAIN_CELL = re.compile(r"[ !-Z^-~\u05d0-\u05ea\u05f3\u05f4]*")
_HEADERS = ("input", "ref", "hebrew", "url")


def console_width(environ: Mapping[str, str]) -> int:
    """The width Rich's `Console` takes for output that is not a terminal (`Console.size`)."""
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)  # as Console.__init__ sets its width (legacy_windows is False here)
    width: int | None = None
    for fd in (0, 1, 2):
        try:
            width, _ = os.get_terminal_size(fd)
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def output_mode(environ: Mapping[str, str]) -> str | None:
    """How Rich's consoles would print here: "plain" (no terminal), "styled" (a terminal: bold headers,
    no colour in this table), or None when this module cannot say (forced settings, a dumb terminal,
    Windows, a notebook, a stream that is not UTF-8)."""
    if sys.platform == "win32" or "idlelib" in sys.modules or "ipykernel" in sys.modules:
        return None
    if environ.get("TTY_COMPATIBLE") is not None or environ.get("FORCE_COLOR") is not None:
        return None
    stream = sys.stdout  # what `ref` prints when every reference reads (errors take the ordinary path)
    try:
        if stream is None:
            return None
        terminal = stream.isatty()
    except ValueError:
        return None
    if not (getattr(stream, "encoding", None) or "utf-8").lower().startswith("utf"):
        return None
    if not terminal:
        return "plain"
    if environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return None  # Rich sizes a dumb terminal its own way
    return "styled"


_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def ref_table(rows: list[tuple[str, str, str, str]], width: int, styled: bool = False) -> str | None:
    """Rich's `Table('input', 'ref', 'hebrew', 'url')` of these rows as printed without styles (or, on
    a terminal, `styled`: its headers bold, as Rich's default theme has them), or None when Rich would
    draw it otherwise (wider than `width`, or a cell Rich reads differently)."""
    cells = [_HEADERS, *rows]
    for row in cells:
        for cell in row:
            if not cell or cell != cell.strip() or "  " in cell or _PLAIN_CELL.fullmatch(cell) is None:
                return None
    widths = [max(len(row[i]) for row in cells) + 2 for i in range(4)]
    if sum(widths) + 5 > width:
        return None

    def line(row: tuple[str, ...], edge: str) -> str:
        return (
            edge
            + edge.join(" " + cell.ljust(w - 2) + " " for cell, w in zip(row, widths, strict=True))
            + edge
        )

    def header() -> str:
        if not styled:
            return line(_HEADERS, "┃")
        pad = _BOLD + " " + _RESET
        return (
            "┃"
            + "┃".join(
                pad + _BOLD + c.ljust(w - 2) + _RESET + pad for c, w in zip(_HEADERS, widths, strict=True)
            )
            + "┃"
        )

    out = [
        "┏" + "┳".join("━" * w for w in widths) + "┓",
        header(),
        "┡" + "╇".join("━" * w for w in widths) + "┩",
        *(line(row, "│") for row in rows),
        "└" + "┴".join("─" * w for w in widths) + "┘",
    ]
    return "\n".join(out) + "\n"


def ref(texts: list[str]) -> bool:
    """Print `madrega ref` of these texts as Rich would, and say True; False (nothing printed) when
    the ordinary path must print it."""
    environ = os.environ
    mode = output_mode(environ)
    if not texts or mode is None:
        return False
    for text in texts:
        if text.startswith("-") or _PLAIN_CELL.fullmatch(text) is None:
            return False  # an option (or '--'), or text the checks below would have to see as typer does
    from madrega.refs import describe

    results = [describe(text) for text in texts]
    if any(row["error"] is not None for row in results):
        return False  # the errors and their exit code: the ordinary path
    rows = [(str(r["input"]), str(r["ref"]), str(r["he"]), str(r["url"])) for r in results]
    table = ref_table(rows, console_width(environ), styled=mode == "styled")
    if table is None:
        return False
    sys.stdout.write(table)
    sys.stdout.flush()
    return True
