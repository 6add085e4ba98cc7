"""`madrega gematria` and `madrega numeral`: the Hebrew basics, one call into the core each."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from madrega.cli.app import DB_OPTION_HELP, app, console, fail, open_db, print_json
from madrega.errors import MadregaError
from madrega.text import gematria, numerals

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@contextmanager
def _user_errors() -> Iterator[None]:
    """Show a user mistake as a message and exit 1, whoever runs the app (the CLI or a test runner)."""
    try:
        yield
    except MadregaError as exc:
        fail(exc.message, exc.suggestions)


@app.command("gematria")
def gematria_command(
    text: Annotated[list[str], typer.Argument(help="A Hebrew word or phrase (quotes optional).")],
    method: Annotated[
        str | None, typer.Option("--method", "-m", help="Show one method only (e.g. gadol, milui, atbash).")
    ] = None,
    json_output: JsonOption = False,
    in_: Annotated[
        str | None, typer.Option("--in", help="With a number: only this work or category (e.g. Tanakh).")
    ] = None,
    words: Annotated[
        int, typer.Option("--words", min=1, max=4, help="With a number: also phrases of up to N words.")
    ] = 1,
    limit: Annotated[
        int, typer.Option(min=1, help="With a number: how many matches to show (one page).")
    ] = 50,
    offset: Annotated[int, typer.Option(min=0, help="With a number: skip this many matches (paging).")] = 0,
    db: Annotated[Path | None, typer.Option("--db", help=DB_OPTION_HELP, envvar="MADREGA_DB")] = None,
) -> None:
    """The gematria of a word or phrase under every method (or one, with --method); a number lists the
    words and phrases in the library with that value."""
    joined = " ".join(text).strip()
    with _user_errors():
        number = gematria.read_number(joined)
        if number is not None:
            _words_with_value(number, method or "standard", in_, words, json_output, db, limit, offset)
            return
        _show_values(joined, method, json_output)


def _show_values(text: str, method: str | None, json_output: bool) -> None:
    data = gematria.report(text, method)
    results = data["values"]
    if json_output:
        print_json(data)
        return
    from rich.table import Table  # here: `numeral` and --json print no table

    chosen = [gematria.get_method(name) for name in results]
    table = Table(title=f"gematria of {text}", show_header=True, header_style="bold")
    table.add_column("method")
    table.add_column("שם")
    table.add_column("value", justify="right")
    for m in chosen:
        table.add_row(m.name, m.hebrew, str(results[m.name]))
    console.print(table)


def _words_with_value(
    number: int,
    method: str,
    in_: str | None,
    words: int,
    json_output: bool,
    db: Path | None,
    limit: int,
    offset: int,
) -> None:
    """A purely numeric argument asks which words have this value: a lookup in the search index, one
    page of it."""
    from madrega.study import search

    conn = open_db(db)
    work, category = search.resolve_in(conn, in_) if in_ else (None, None)
    result = search.gematria_lookup(
        conn, number, method, work=work, category=category, max_words=words, limit=limit, offset=offset
    )
    if json_output:
        print_json(result.to_json())
        return
    if not result.matches:
        if result.total:
            console.print(f"{result.total} matches; none from {offset + 1} on", highlight=False)
        else:
            console.print(
                f"no words in the library have the value {number} ({result.method})", highlight=False
            )
        return
    from rich.table import Table

    table = Table(title=f"{number} ({result.method})", show_header=True, header_style="bold")
    table.add_column("text")
    table.add_column("count", justify="right")
    table.add_column("for example")
    for m in result.matches:
        table.add_row(escape(m.text), str(m.count), escape(", ".join(m.refs)))
    console.print(table)
    last = offset + len(result.matches)
    if last < result.total or offset:
        console.print(f"{offset + 1}–{last} of {result.total}", highlight=False)
    if last < result.total:
        console.print(f"[dim]more: --offset {last}[/]")


@app.command("numeral")
def numeral_command(
    value: Annotated[list[str], typer.Argument(help="A number (5785) or a Hebrew numeral (ה׳תשפ״ה).")],
    ascii_marks: Annotated[
        bool, typer.Option("--ascii", help="Write geresh and gershayim as ' and \".")
    ] = False,
    no_thousands: Annotated[
        bool, typer.Option("--no-thousands", help="Omit the thousands (5785 → תשפ״ה).")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Hebrew numerals both ways: a number gives its letters, letters give their number."""
    text = " ".join(value).strip()
    with _user_errors():
        data = numerals.convert(
            text, geresh_style="ascii" if ascii_marks else "hebrew", thousands=not no_thousands
        )
    if json_output:
        print_json(data)
    else:
        console.print(f"{data['number']} = {data['hebrew']}", highlight=False)
