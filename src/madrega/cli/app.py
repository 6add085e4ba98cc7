"""The shared typer app and the helpers every command module uses (JSON output, errors, db)."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from madrega.errors import MadregaError

app = typer.Typer(
    name="madrega",
    help="madrega — study Torah with its sources, and climb from stage to stage.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

console = Console()
err_console = Console(stderr=True)

DB_OPTION_HELP = "SQLite file to use (default: $MADREGA_DB or madrega.sqlite in your data directory)."


def open_db(db: Path | None) -> sqlite3.Connection:
    from madrega import api

    return api.connect(db)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def fail(message: str, suggestions: list[str] | None = None, code: int = 1) -> None:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    for s in suggestions or []:
        err_console.print(f"  did you mean: {s}", highlight=False)
    raise typer.Exit(code)


def run() -> None:
    """Run the app, turning user mistakes into a message and exit code 1 (never a traceback)."""
    try:
        app()
    except MadregaError as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
        for s in exc.suggestions:
            err_console.print(f"  did you mean: {s}", highlight=False)
        sys.exit(1)
