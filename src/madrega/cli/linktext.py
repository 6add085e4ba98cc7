"""What `madrega link FILE` prints, and that command without typer: a one-page link's cold start.

`madrega link FILE` with no option is the common case, and typer with its click costs such a process
more than a tenth of its time before it reads a word. `plain` runs it directly: the file read as the
command reads it, the same Rich console (`Console(emoji=False)`, as `madrega.cli.app` makes it) printing
the same lines. Anything else takes the ordinary path (`madrega.cli.main`), which says what went wrong
and exits as typer does: a file that cannot be read, an error of the library, shell completion, an
argument that is not UTF-8.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from madrega.errors import MadregaError

if TYPE_CHECKING:
    from madrega.study.linker.report import LinkReport


def read_source(source: str) -> str:
    """The text of a file to link, or of standard input ('-')."""
    if source == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MadregaError(
                f"standard input is not UTF-8 text (byte {exc.start}): convert it first, e.g. with iconv"
            ) from None
    path = Path(source)
    try:
        is_file = path.is_file()
    except OSError:  # a name too long for the file system, or otherwise unusable
        is_file = False
    if not is_file:
        raise MadregaError(f"no such file: {source[:200]}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MadregaError(f"{source} is not UTF-8 text") from exc


def print_text(console: Any, text: str, linked: LinkReport) -> None:
    """Each citation: its place, ref, kind and score; the words around it; what the quoted words said
    of it; the text it points to."""
    from rich.markup import escape

    if not linked.citations:
        console.print("no citations found")
        return
    shown = {}
    for s in linked.sources:
        line = s.first_text()
        shown[s.ref] = line if len(line) <= 160 else line[:157] + "…"
    for c in linked.citations:
        before = text[max(0, c.start - 30) : c.start].replace("\n", " ")
        after = text[c.end : c.end + 30].replace("\n", " ")
        console.print(
            f"[dim]{c.start}-{c.end}[/] [bold]{escape(c.ref)}[/] ({c.kind}, {c.score:.2f})",
            highlight=False,
        )
        console.print(f"  …{escape(before)}[reverse]{escape(c.text)}[/]{escape(after)}…", highlight=False)
        if c.alternatives:
            console.print(f"  also: {escape(', '.join(c.alternatives))}", highlight=False)
        if c.note:
            console.print(f"  [yellow]{escape(c.note)}[/]", highlight=False)
        if shown.get(c.ref):
            console.print(f"  [green]{escape(shown[c.ref])}[/]", highlight=False)


def _connect() -> sqlite3.Connection:
    """The library `link` reads, as the command opens it (`MADREGA_DB` as typer hands it to `--db`).

    A library that exists is opened with the components linking reads (the texts, the linker's tables,
    the derived files) brought up to date, not the journal's, plans' or search's, whose modules a link
    does not need (importing them costs a cold start 30 ms); the next command that opens the library
    through `madrega.api` brings those up to date, as it would have. A new file gets every component."""
    from madrega import db

    env = os.environ.get("MADREGA_DB")
    path = Path(env) if env else None
    if not (path if path is not None else db.default_path()).is_file():
        from madrega import api

        return api.connect(path)
    import madrega.study.linker  # noqa: F401  (registers the texts', the linker's and the derived files' tables)

    return db.connect(path)


def plain(source: str) -> bool:
    """`madrega link SOURCE` (a file) printed without typer, and True; False (nothing printed) when the
    ordinary path must run it."""
    if any(name.endswith("_COMPLETE") for name in os.environ):
        return False  # perhaps a shell asking typer to complete the command line
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        return False  # the ordinary path says the argument is not UTF-8
    if source.startswith("-"):
        return False
    try:
        text = read_source(source)
        conn = _connect()
        from madrega.study.linker.report import report

        linked = report(conn, text)
    except MadregaError:
        return False  # the ordinary path reads it again and reports the error as every command does
    except KeyboardInterrupt:
        sys.exit(130)
    from rich.console import Console

    try:
        print_text(Console(emoji=False), text, linked)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        from typer._click.utils import PacifyFlushWrapper  # as typer ends on a closed pipe

        sys.stdout = PacifyFlushWrapper(sys.stdout)
        sys.stderr = PacifyFlushWrapper(sys.stderr)
        sys.exit(1)
    return True
