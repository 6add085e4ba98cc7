"""`madrega link FILE|-` (one text) and `madrega link --bulk DIR | --library` (many, stored as anchors)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer

from madrega.cli import linktext
from madrega.cli.app import DB_OPTION_HELP, app, console, count_bar, open_db, print_json
from madrega.errors import MadregaError

DbOption = Annotated[Path | None, typer.Option("--db", help=DB_OPTION_HELP, envvar="MADREGA_DB")]
FORMATS = ("text", "json", "html")


@app.command("link")
def link_command(
    source: Annotated[
        str | None, typer.Argument(help="A text file to link, or - for standard input.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json or html.")] = "text",
    context: Annotated[
        str | None,
        typer.Option("--context", help="The ref the text teaches, for bare 'ch. 3' (e.g. 'Tanya 10')."),
    ] = None,
    bulk: Annotated[Path | None, typer.Option("--bulk", help="Link every text file in this folder.")] = None,
    library_all: Annotated[bool, typer.Option("--library", help="Link the whole library.")] = False,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786) for --bulk/--library."),
    ] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Processes for --bulk/--library.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    db: DbOption = None,
) -> None:
    """Find written references, and quotations of the library's sources (Hebrew, or English translations), in a text."""
    if json_out:
        fmt = "json"
    if fmt not in FORMATS:
        raise MadregaError(f"unknown format {fmt!r}; use text, json or html", suggestions=list(FORMATS))
    if bulk is not None or library_all:
        _bulk(bulk, library_all, db, scheduler, workers, fmt)
        return
    if source is None:
        raise MadregaError("give a file to link (or - for standard input), or --bulk DIR / --library")
    text = linktext.read_source(source)
    from madrega.study import linker
    from madrega.study.linker.report import report

    conn = open_db(db)
    if fmt == "html":
        sys.stdout.write(linker.to_html(text, linker.link(text, conn=conn, context_ref=context)) + "\n")
        return
    linked = report(conn, text, context_ref=context)
    if fmt == "json":
        print_json(linked.to_json())
    else:
        linktext.print_text(console, text, linked)


def _bulk(
    folder: Path | None,
    library_all: bool,
    db: Path | None,
    scheduler: str | None,
    workers: int | None,
    fmt: str,
) -> None:
    from madrega.study.linker import bulk as bulkmod

    conn = open_db(db)
    db_path = str(conn.execute("PRAGMA database_list").fetchone()[2] or "") or None
    if folder is None and db_path:
        _relink_library(conn, db_path, scheduler, workers, fmt)
        return
    items = bulkmod.items_from_dir(folder) if folder is not None else list(bulkmod.items_from_library(conn))
    with count_bar("linking", show=fmt != "json") as progress:
        results = bulkmod.link_items(
            items, db_path=db_path, workers=workers, scheduler=scheduler, progress=progress
        )
    stored = bulkmod.store_anchors(conn, items, results)
    if fmt == "json":
        print_json({"items": len(items), "anchors": stored})
    else:
        console.print(f"linked {len(items)} texts; stored {stored} anchors")


def _relink_library(
    conn: sqlite3.Connection, db_path: str, scheduler: str | None, workers: int | None, fmt: str
) -> None:
    """The whole library through the link stage again: every text queued, then the link job."""
    from madrega import db as dbmod
    from madrega.study.linker import queue, stage

    with dbmod.transaction(conn):
        stage.queue(conn, "version", [r[0] for r in conn.execute("SELECT id FROM versions")])
        stage.queue(conn, "document", [r[0] for r in conn.execute("SELECT id FROM documents")])
    with count_bar("linking", show=fmt != "json") as progress:
        report = queue.run(db_path, workers=workers, scheduler=scheduler, progress=progress)
    if report.already_running:
        raise MadregaError("a link job is already running on this library; wait for it to finish")
    stored = conn.execute("SELECT count(*) FROM anchors WHERE source_kind <> 'file'").fetchone()[0]
    items = report.segments + report.documents
    if fmt == "json":
        print_json({"items": items, "anchors": stored})
    else:
        console.print(f"linked {items} texts; stored {stored} anchors")
