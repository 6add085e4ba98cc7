"""`madrega library …` (init, import, fetch, list, show, remove) and `madrega read`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from madrega.cli.app import DB_OPTION_HELP, app, console, open_db, print_json
from madrega.errors import MadregaError
from madrega.study.document import DocSegment, Document

library_app = typer.Typer(
    help="The library: the embedded corpus, Sefaria texts and your imports.", no_args_is_help=True
)
app.add_typer(library_app, name="library")

DbOption = Annotated[Path | None, typer.Option("--db", help=DB_OPTION_HELP, envvar="MADREGA_DB")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _langs(value: str) -> tuple[str, ...]:
    v = value.strip().lower()
    if v in ("both", "all", ""):
        return ("he", "en")
    langs = tuple(p.strip() for p in v.split(",") if p.strip())
    bad = [lang for lang in langs if lang not in ("he", "en")]
    if bad:
        raise MadregaError(f"unknown language {', '.join(bad)}; use he, en, he,en or both")
    return langs


@library_app.command("init")
def init(
    db: DbOption = None,
    only: Annotated[
        str | None, typer.Option(help="Import only these parts: tanakh, mishnah, bavli, yerushalmi, zohar.")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Import the embedded corpus (Tanakh, Mishnah, Bavli, Yerushalmi, Zohar). Safe to run again."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    from madrega.study.importers.corpus import import_corpus

    conn = open_db(db)
    parts = [p.strip() for p in only.split(",")] if only else None
    if json_out:
        report = import_corpus(conn, only=parts)
        print_json(report.to_json())
        return
    with Progress(
        TextColumn("[bold]{task.description:<28}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("checking", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        report = import_corpus(conn, only=parts, progress=progress)
    if report.works_added:
        console.print(
            f"Imported {report.works_added} works ({report.segments:,} segments); "
            f"{report.works_unchanged} already up to date."
        )
    else:
        console.print(f"The corpus is up to date ({report.works_unchanged} works); nothing to do.")


def _read_file(path: Path) -> str:
    from madrega.study.importers import read_file

    return read_file(path)


@library_app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="A lesson (.txt), an article (.txt/.html) or a Sefaria export (.json).")
    ],
    kind: Annotated[str, typer.Option(help="lesson, article, sefaria or auto.")] = "auto",
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Import a file into the library (one transaction: all of it or nothing)."""
    kinds = ("lesson", "article", "sefaria", "auto")
    if kind not in kinds:
        raise MadregaError(f"--kind {kind!r}: expected one of {', '.join(kinds)}")
    conn = open_db(db)
    if kind == "sefaria" or (kind == "auto" and file.suffix.lower() == ".json"):
        from madrega.study.importers.sefaria import import_file

        report = import_file(conn, file)
        if json_out:
            print_json(report.to_json())
        else:
            state = "imported" if report.changed else "already up to date"
            console.print(
                f"{report.work} ({report.lang}, {report.version}): {report.segments:,} segments, "
                f"{report.footnotes} footnotes — {state}."
            )
        return
    from madrega.study.pipeline import import_document

    info = import_document(conn, _read_file(file), source=str(file), kind=kind)
    if json_out:
        print_json(info.to_json())
    else:
        console.print(
            f"Imported {info.kind} [bold]{info.title}[/] as {info.slug} ({info.segments} segments)."
        )


@library_app.command("fetch")
def fetch(
    ref: Annotated[str, typer.Argument(help="A Sefaria ref, e.g. 'Tanya, Part III; Iggeret HaTeshuvah 10'.")],
    lang: Annotated[str, typer.Option("--lang", help="he, en or he,en")] = "he,en",
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Fetch a passage from Sefaria's public API into the library (needs the network)."""
    from madrega.study.importers.sefaria_api import fetch as fetch_ref

    conn = open_db(db)
    report = fetch_ref(conn, ref, langs=_langs(lang))
    if json_out:
        print_json(report.to_json())
        return
    for v in report.versions:
        console.print(f"{report.ref} [{v['lang']}] {v['title']}: {v['segments']} segments ({v['new']} new)")


@library_app.command("list")
def list_(db: DbOption = None, json_out: JsonOption = False) -> None:
    """The works and your imported documents."""
    from madrega.study import library

    conn = open_db(db)
    if json_out:
        print_json(library.overview(conn))
        return
    works = library.list_works(conn)
    docs = library.list_documents(conn)
    if not works and not docs:
        console.print("The library is empty. Run `madrega library init` to import the corpus.")
        return
    table = Table(title="Works", show_lines=False)
    for col in ("work", "Hebrew", "category", "languages", "segments"):
        table.add_column(col, justify="right" if col == "segments" else "left")
    for w in works:
        table.add_row(
            w.title,
            w.he_title or "",
            w.category,
            ",".join(sorted({v.lang for v in w.versions})),
            f"{sum(v.segments for v in w.versions):,}",
        )
    console.print(table)
    if docs:
        dt = Table(title="Imported documents")
        for col in ("id", "slug", "title", "kind", "segments", "imported"):
            dt.add_column(col)
        for d in docs:
            dt.add_row(str(d.id), d.slug, d.title, d.kind, str(d.segments), d.imported_at)
        console.print(dt)


@library_app.command("show")
def show(
    work: Annotated[str, typer.Argument(help="A work title, e.g. Genesis or Tanya.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """A work's versions and their sizes."""
    from madrega.study import library, reader

    conn = open_db(db)
    if json_out:
        print_json(reader.describe_work(conn, work))
        return
    info = library.get_work(conn, work)
    table = Table(title=f"{info.title} — {info.he_title or ''} ({info.category})")
    for col in ("lang", "version", "segments", "source", "license"):
        table.add_column(col)
    for v in info.versions:
        table.add_row(v.lang, v.title, f"{v.segments:,}", v.source or "", v.license or "")
    console.print(table)


@library_app.command("contents")
def contents(
    work: Annotated[str, typer.Argument(help="A work title, e.g. Isaiah, Berakhot or Tanya.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """A work's table of contents: its parts and the chapters (or dapim) the library holds.

    Each chapter is a ref `madrega read` takes, e.g. `madrega read "Isaiah 51"`.
    """
    from madrega.study import reader

    parts = reader.contents(open_db(db), work)
    if json_out:
        print_json([p.to_json() for p in parts])
        return
    if not parts:
        console.print(
            f"{work}: no text of it in the library yet (`madrega library init` or `madrega import`)."
        )
        return
    for p in parts:
        shown = ", ".join(a for a in p.chapters[:40] if a)
        more = f" … ({len(p.chapters)} in all)" if len(p.chapters) > 40 else ""
        console.print(f"[bold]{p.node}[/]: {shown}{more}", highlight=False)


@library_app.command("remove")
def remove(
    doc: Annotated[str, typer.Argument(help="An imported document's id or slug.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Remove an imported document."""
    from madrega.study import library

    info = library.remove_document(open_db(db), doc)
    if json_out:
        print_json({"removed": info.to_json()})
    else:
        console.print(f"Removed {info.slug} ({info.title}).")


# ---------------------------------------------------------------------------- read


def _render_passage(data: dict[str, Any], langs: list[str]) -> None:
    from madrega.study.reader import display_text

    table = Table(title=data.get("ref") or data.get("title"), show_lines=True, expand=True)
    he = "he" in langs
    en = "en" in langs
    if he:
        table.add_column("עברית", justify="right", ratio=1)
    if en:
        table.add_column("English", ratio=1)
    notes: list[RichText] = []
    by_ref: dict[str, dict[str, dict[str, Any]]] = {}
    for s in data["segments"]:
        by_ref.setdefault(s.get("ref") or str(id(s)), {})[s["lang"]] = s
    for ref, texts in by_ref.items():
        cells = []
        for lang in (["he"] if he else []) + (["en"] if en else []):
            s = texts.get(lang)
            cells.append(RichText(display_text(s["text"], s["footnotes"])) if s else RichText(""))
            for f in (s or {}).get("footnotes") or []:
                notes.append(
                    RichText(f"{ref} [{f.get('marker') or '*'}] {display_text(f.get('text') or '')}")
                )
        table.add_row(*cells)
    parts: list[Any] = [table]
    if notes:
        parts.append(Panel(Group(*notes), title="Footnotes", title_align="left"))
    console.print(Group(*parts))


def _render_document(doc: Document, langs: list[str]) -> None:
    from madrega.study.reader import display_text

    table = Table(title=doc.title, show_lines=True, expand=True)
    columns = [lang for lang in ("he", "en") if lang in langs and any(s.lang == lang for s in doc.segments)]
    for lang in columns:
        table.add_column(
            "עברית" if lang == "he" else "English", justify="right" if lang == "he" else "left", ratio=1
        )
    notes = [RichText(f"[{f.marker or '*'}] {f.text}") for s in doc.segments for f in s.footnotes]

    def text(seg: DocSegment) -> str:
        return display_text(seg.text, [f.__dict__ for f in seg.footnotes])

    def alone(seg: DocSegment, style: str) -> None:
        if seg.lang in columns:
            table.add_row(
                *[RichText(text(seg), style=style) if c == seg.lang else RichText("") for c in columns]
            )

    for block in doc.blocks():
        if block.heading is not None:
            alone(block.heading, "bold")
        pair = {s.lang: text(s) for s in (block.source, block.translation) if s is not None}
        if any(lang in pair for lang in columns):
            table.add_row(*[RichText(pair.get(lang, "")) for lang in columns])
        for seg in block.commentary:
            alone(seg, "dim")
    parts: list[Any] = [table]
    if notes:
        parts.append(Panel(Group(*notes), title="Footnotes", title_align="left"))
    console.print(Group(*parts))


@app.command("read")
def read(
    target: Annotated[
        str,
        typer.Argument(
            help="A ref ('Isaiah 51:16', 'Genesis 1:1-5'), a lesson file or an imported document."
        ),
    ],
    lang: Annotated[str, typer.Option("--lang", help="he, en or both")] = "both",
    kind: Annotated[str, typer.Option(help="For a file: lesson, article or auto.")] = "auto",
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Read a passage: Hebrew beside the translation, footnotes under it."""
    from madrega.study import reader

    langs = list(_langs(lang))
    found = reader.read_target(open_db(db), target, langs=tuple(langs), kind=kind)
    if isinstance(found, Document):
        _show_document(found, langs, json_out)
        return
    data = found.to_json()
    if json_out:
        print_json(data)
        return
    _render_passage(data, [lang for lang in langs if lang in found.langs] or found.langs)


def _show_document(doc: Document, langs: list[str], json_out: bool) -> None:
    from madrega.study.reader import read_document

    if json_out:
        data = read_document(doc)
        data["segments"] = [s for s in data["segments"] if s["lang"] in langs]
        print_json(data)
        return
    _render_document(doc, langs)
