"""`madrega ref`: read references and show their canonical form in English, Hebrew and Sefaria's URL."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from madrega.cli.app import app, console, err_console, print_json


@app.command("ref")
def ref_command(
    texts: Annotated[list[str], typer.Argument(help="References, one per argument: 'Job 8:7' 'ברכות ה.'")],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print a JSON list instead of a table.")
    ] = False,
) -> None:
    """Read each reference and print its canonical ref (English, Hebrew, URL) or what is wrong with it."""
    from madrega.refs import describe  # here: `madrega ref --help` needs no catalog

    results = [describe(text) for text in texts]
    if json_output:
        print_json(results)
    else:
        from rich.table import Table  # here: --json prints none

        table = Table("input", "ref", "hebrew", "url", show_lines=False)
        for row in results:
            if row["error"] is None:
                table.add_row(*(escape(str(row[k])) for k in ("input", "ref", "he", "url")))
        if table.row_count:
            console.print(table)
        for row in results:
            if row["error"] is not None:
                err_console.print(f"[bold red]error:[/] {escape(row['error'])}", highlight=False)
                for suggestion in row["suggestions"][1:]:
                    err_console.print(f"  or: {escape(suggestion)}", highlight=False)
    if any(row["error"] for row in results):
        raise typer.Exit(1)
