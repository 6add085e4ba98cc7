"""`madrega search`: full-text search across the library (the core is `madrega.study.search.search`)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.text import Text

from madrega.cli.app import DB_OPTION_HELP, app, console, fail, open_db, print_json
from madrega.errors import MadregaError

DbOption = Annotated[Path | None, typer.Option("--db", help=DB_OPTION_HELP, envvar="MADREGA_DB")]
_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


def marked_text(snippet: str) -> Text:
    """A snippet's <mark>ed words in bold for the terminal."""
    out = Text()
    pos = 0
    for m in _MARK.finditer(snippet):
        out.append(html.unescape(snippet[pos : m.start()]))
        out.append(html.unescape(m.group(1)), style="bold yellow")
        pos = m.end()
    out.append(html.unescape(snippet[pos:]))
    return out


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help='Words to find; "quotes" for an exact form or phrase.')],
    in_: Annotated[
        str | None,
        typer.Option("--in", help="Only this work, imported document or category (Genesis, Tanakh, …)."),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(help="Only this category: Tanakh, Mishnah, Talmud, Zohar, Chasidut, Documents."),
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Only segments in this language: he or en.")] = None,
    limit: Annotated[int, typer.Option(min=0, help="How many hits to show.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many hits (paging).")] = 0,
    plene: Annotated[
        bool, typer.Option(help="Match full and defective spellings (with or without ו/י).")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    db: DbOption = None,
) -> None:
    """Search every text in the library, Hebrew (prefix-aware, niqqud-blind) and English (stemmed)."""
    from madrega.study import search

    try:
        conn = open_db(db)
        work, in_category = search.resolve_in(conn, in_) if in_ else (None, None)
        if in_category and category:
            raise MadregaError(f"--in {in_} and --category {category}: give one category")
        result = search.search(
            conn,
            query,
            work=work,
            category=category or in_category,
            lang=lang,
            limit=limit,
            offset=offset,
            plene=plene,
        )
    except MadregaError as exc:
        fail(exc.message, exc.suggestions)
        return
    if json_out:
        print_json(result.to_json())
        return
    if not result.hits:
        console.print(f"no hits for {escape(repr(query))}" + (" on this page" if result.total else ""))
        return
    last = offset + len(result.hits)
    console.print(f"{result.total} hits; showing {offset + 1}–{last}", highlight=False)
    for hit in result.hits:
        console.print(
            Text(f"{hit.ref}", style="bold") + Text(f"  ({hit.work}, {hit.score:.2f})", style="dim")
        )
        console.print(marked_text(hit.snippet))
    if last < result.total:
        console.print(f"[dim]more: --offset {last}[/]")
