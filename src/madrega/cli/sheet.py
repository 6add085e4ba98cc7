"""`madrega sheet …`: source sheets (the core is `madrega.study.sheets`, called through `madrega.Library`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from madrega.cli.app import DB_OPTION_HELP, app, console, print_json
from madrega.errors import MadregaError

sheet_app = typer.Typer(
    help="Source sheets: your text, and under each citation the passage it cites.", no_args_is_help=True
)
app.add_typer(sheet_app, name="sheet")

DbOption = Annotated[Path | None, typer.Option("--db", help=DB_OPTION_HELP, envvar="MADREGA_DB")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
SheetArg = Annotated[
    str, typer.Argument(help="The sheet's slug (or number), as `madrega sheet list` shows it.")
]


def _lib(db: Path | None):  # type: ignore[no-untyped-def]
    from madrega import Library

    return Library.open(db)


@sheet_app.command("new")
def new(
    title: Annotated[str, typer.Argument(help="The sheet's title.")],
    from_document: Annotated[
        str | None,
        typer.Option("--from", help="Make it of an imported lesson or article (its id or slug)."),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Start a sheet: empty, or of an imported document (its text, each citation's passage under it)."""
    with _lib(db) as lib:
        info = lib.sheet_from_document(from_document, title=title) if from_document else lib.new_sheet(title)
    if json_out:
        print_json(info.to_json())
    else:
        console.print(
            f"Sheet [bold]{escape(info.title)}[/] is {info.slug} ({info.items} items).", highlight=False
        )


@sheet_app.command("add")
def add(
    sheet: SheetArg,
    refs: Annotated[list[str] | None, typer.Argument(help="Refs to add, e.g. 'Isaiah 51:16'.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Add your own note instead.")] = None,
    at: Annotated[
        int | None, typer.Option("--at", min=1, help="Put it at this position (1 is first).")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Add passages by ref, or a note of your own, at the end or at a position."""
    if not refs and note is None:
        raise MadregaError(
            "give refs to add, or --note TEXT", suggestions=["madrega sheet add my-sheet 'Isaiah 51:16'"]
        )
    with _lib(db) as lib:
        added = []
        if note is not None:
            added.append(lib.add_to_sheet(sheet, note=note, at=at))
        for i, ref in enumerate(refs or []):
            added.append(
                lib.add_to_sheet(sheet, ref=ref, at=None if at is None else at + i + (note is not None))
            )
    if json_out:
        print_json([a.to_json() for a in added])
    else:
        for a in added:
            console.print(f"{a.number}. {escape(a.ref or 'note')}", highlight=False)


@sheet_app.command("move")
def move(
    sheet: SheetArg,
    number: Annotated[int, typer.Argument(help="The item to move.")],
    to: Annotated[int, typer.Argument(help="Its new position.")],
    db: DbOption = None,
) -> None:
    """Move an item to another position."""
    with _lib(db) as lib:
        lib.move_in_sheet(sheet, number, to)
    console.print(f"Moved item {number} to {to}.")


@sheet_app.command("drop")
def drop(
    sheet: SheetArg, number: Annotated[int, typer.Argument(help="The item to drop.")], db: DbOption = None
) -> None:
    """Take an item out of the sheet."""
    with _lib(db) as lib:
        lib.remove_from_sheet(sheet, number)
    console.print(f"Dropped item {number}.")


@sheet_app.command("remove")
def remove(sheet: SheetArg, db: DbOption = None) -> None:
    """Delete a whole sheet."""
    with _lib(db) as lib:
        info = lib.remove_sheet(sheet)
    console.print(f"Removed the sheet {info.slug} ({escape(info.title)}).", highlight=False)


@sheet_app.command("list")
def list_(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Your sheets, most recently changed first."""
    with _lib(db) as lib:
        found = lib.sheets()
    if json_out:
        print_json([s.to_json() for s in found])
        return
    if not found:
        console.print("No sheets yet: `madrega sheet new TITLE` (or `--from DOCUMENT`).")
        return
    table = Table(title="Source sheets")
    for col in ("slug", "title", "items", "changed"):
        table.add_column(col)
    for s in found:
        table.add_row(s.slug, escape(s.title), str(s.items), s.updated_at)
    console.print(table)


@sheet_app.command("show")
def show(sheet: SheetArg, db: DbOption = None, json_out: JsonOption = False) -> None:
    """A sheet with each source's passage as the library has it."""
    from madrega.study.sheets import export, resolve
    from madrega.text.markup import plain_text

    with _lib(db) as lib:
        found = lib.sheet(sheet)
        if json_out:
            print_json(export.to_json(lib.conn, found))
            return
        console.print(Text(found.info.title, style="bold"))
        for item in found.items:
            if item.kind == "source":
                source = resolve(lib.conn, item)
                console.print(
                    Text(
                        f"{item.number}. {source.ref}" + (f"  {source.he_ref}" if source.he_ref else ""),
                        style="bold cyan",
                    )
                )
                if source.missing:
                    console.print(Text(f"   {source.missing}", style="dim"))
                for _ref, he, en in source.rows:
                    if he:
                        console.print(Text(plain_text(he), justify="right"))
                    if en:
                        console.print(Text(plain_text(en), style="green"))
            elif item.kind == "note":
                console.print(Text(f"{item.number}. {item.text}", style="italic"))
            else:
                console.print(
                    Text(
                        f"{item.number}. {plain_text(item.text or '')}",
                        style="bold" if item.role == "heading" else "",
                    )
                )


@sheet_app.command("export")
def export_command(
    sheet: SheetArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html, pdf, epub or json.")] = "html",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The file to write (default: SLUG.FORMAT).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url", help="Link to your reader here (e.g. http://127.0.0.1:8000) instead of Sefaria."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write a sheet as printable HTML (self-contained), PDF, EPUB or JSON."""
    from madrega.study.sheets.export import FORMATS

    if fmt not in FORMATS:
        raise MadregaError(f"unknown format {fmt!r}", suggestions=list(FORMATS))
    with _lib(db) as lib:
        info = lib.sheet(sheet).info
        data = lib.export_sheet(sheet, fmt, base_url=base_url)
    path = output or Path(f"{info.slug}.{fmt}")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise MadregaError(f"cannot write {path}: {exc.strerror}") from exc
    console.print(f"Wrote {escape(str(path))} ({len(data):,} bytes).", highlight=False)
