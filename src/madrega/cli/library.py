"""`madrega library …` (init, import, fetch, list, show, remove) and `madrega read`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from madrega.cli.app import DB_OPTION_HELP, app, console, count_bar, open_db, print_json, step_bars
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
        str | None,
        typer.Option(
            help="Import only these parts: tanakh, english (the English Tanakh), mishnah, bavli, yerushalmi, zohar."
        ),
    ] = None,
    json_out: JsonOption = False,
    link: Annotated[
        bool,
        typer.Option(
            "--link/--no-link",
            help="Build the connections (link the corpus) in the background once it is imported.",
        ),
    ] = True,
) -> None:
    """Import the embedded corpus (Tanakh in Hebrew and English, Mishnah, Bavli, Yerushalmi, Zohar) and
    build its search, quotation and gematria indexes. Safe to run again.

    Its connections (who cites and quotes what) are then built in the background, on all cores.

    `madrega library status` shows how far they are.
    """
    from madrega.study.prepare import STEP_LABELS, init_library

    conn = open_db(db)
    parts = [p.strip() for p in only.split(",")] if only else None
    if json_out:
        data = init_library(conn, only=parts).to_json()
        data["linking"] = _start_linking(conn) if link else "queued"
        print_json(data)
        return
    with step_bars(STEP_LABELS) as progress:
        report = init_library(conn, only=parts, progress=progress)
    corpus = report.corpus
    if corpus.works_added or corpus.translations_added:
        english = (
            f" and {corpus.translations_added} English translations" if corpus.translations_added else ""
        )
        console.print(
            f"Imported {corpus.works_added} works{english} ({corpus.segments:,} segments); "
            f"{corpus.works_unchanged} already up to date."
        )
    else:
        console.print(f"The corpus is up to date ({corpus.works_unchanged} works); nothing to do.")
    indexes = [i for i in report.built if i != "titles"]
    if indexes:
        console.print(f"Built: {', '.join(indexes)} ({sum(report.seconds.values()):.0f} s in all).")
    state = _start_linking(conn) if link else "queued"
    if state == "started":
        console.print("Building its connections in the background; `madrega library status` shows how far.")
    elif state == "queued":
        console.print("Its connections are queued: `madrega library link` builds them.")


def _start_linking(conn: Any) -> str:
    """Start the link job in the background if anything is queued: started, running, queued or done."""
    from madrega.study.linker import queue

    progress = queue.progress(conn)
    if progress is None:
        return "done"
    if progress.running:
        return "running"
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        return "queued"
    spawn_link_job(Path(path), detach=True)
    return "started"


_MAIN = "from madrega.cli import main; main()"


def spawn_link_job(db_path: Path, *, detach: bool) -> Any:
    """`madrega library link` in another process (its output goes to a log beside the database)."""
    import subprocess
    import sys

    with Path(str(db_path) + ".link.log").open("a") as log:  # the child keeps its own copy of the file
        return subprocess.Popen(
            [sys.executable, "-c", _MAIN, "library", "link", "--db", str(db_path), "--quiet"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=detach,
        )


@library_app.command("link")
def link_queued(
    db: DbOption = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Processes (default: all cores).")] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar (for a background job).")] = False,
    json_out: JsonOption = False,
) -> None:
    """Build the connections: link every text the library has queued (the corpus after `init`)."""
    import os
    import signal
    import sys

    from madrega.study.linker import queue

    conn = open_db(db)
    path = Path(conn.execute("PRAGMA database_list").fetchone()[2])
    conn.close()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop cleanly: what is stored stays stored
    try:
        with count_bar("linking", show=not (quiet or json_out)) as progress:
            report = queue.run(path, workers=workers, scheduler=scheduler, progress=progress)
    except SystemExit as stop:
        if stop.code != 143:
            raise
        # Asked to stop: the job has unwound (what it stored is committed, its workers are gone).
        # End here, without the interpreter's exit hooks: Python 3.11's hook for process pools can
        # race the pool's own thread on a closed pipe and print a traceback after a clean stop.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(143)
    if json_out:
        print_json(report.to_json())
    elif report.already_running:
        console.print(
            "A link job is already running on this library; `madrega library status` shows how far."
        )
    else:
        console.print(
            f"Linked {report.versions} texts and {report.documents} documents "
            f"({report.segments:,} passages, {report.anchors:,} citations) in {report.seconds:.0f} s."
        )


@library_app.command("status")
def status(db: DbOption = None, json_out: JsonOption = False) -> None:
    """What the library holds, and how far its connections are built."""
    from madrega.study import library
    from madrega.study.linker import queue

    conn = open_db(db)
    works = library.list_works(conn)
    docs = library.list_documents(conn)
    st = queue.status(conn)
    if json_out:
        print_json(
            {
                "works": len(works),
                "segments": st.segments,
                "documents": len(docs),
                "connections": st.to_json(),
            }
        )
        return
    console.print(
        f"{len(works)} works, {st.segments:,} passages, {len(docs)} imported document{'' if len(docs) == 1 else 's'}."
    )
    if st.complete:
        console.print(f"Connections: built ({st.anchors:,} citations).")
    else:
        job = st.job
        state = "being built" if st.running else "waiting (`madrega library link` builds them)"
        console.print(
            f"Connections: {state}: {st.percent}% of the passages linked, {st.anchors:,} citations so far; "
            f"{st.queued_versions} texts and {st.queued_documents} documents queued."
        )
        if st.running and job.get("total"):
            console.print(
                f"  this job: {job['done']:,} of {job['total']:,} passages (started {job['started_at']})."
            )
        if job.get("error"):
            console.print(f"  the last job stopped: {escape(str(job['error']))}")


def _read_file(path: Path) -> str:
    from madrega.study.importers import read_file

    return read_file(path)


@library_app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="A lesson (.txt), an article (.txt/.html) or a Sefaria export (.json).")
    ],
    kind: Annotated[str, typer.Option(help="lesson, article, sefaria or auto.")] = "auto",
    title: Annotated[
        str | None,
        typer.Option(help="The document's title, when the file's first line is not the name you want."),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Import a file into the library (one transaction: all of it or nothing)."""
    kinds = ("lesson", "article", "sefaria", "auto")
    if kind not in kinds:
        raise MadregaError(f"--kind {kind!r}: expected one of {', '.join(kinds)}")
    conn = open_db(db)
    if kind == "sefaria" or (kind == "auto" and file.suffix.lower() == ".json"):
        if title:
            raise MadregaError(
                "--title names a lesson or an article; a Sefaria export keeps its work's title"
            )
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

    info = import_document(conn, _read_file(file), source=str(file), kind=kind, title=title)
    if json_out:
        print_json(info.to_json())
    else:
        console.print(
            f"Imported {info.kind} [bold]{info.title}[/] as {info.slug} ({info.segments} segments)."
        )


@library_app.command("fetch")
def fetch(
    target: Annotated[
        str,
        typer.Argument(
            help="A work ('Tanya', 'Likutei Moharan', any work on Sefaria) or a passage "
            "('Tanya, Part III; Iggeret HaTeshuvah 10')."
        ),
    ],
    lang: Annotated[str, typer.Option("--lang", help="he, en or he,en")] = "he,en",
    refresh: Annotated[bool, typer.Option(help="Ask Sefaria again for what was fetched before.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Fetch a whole work (every part, Hebrew and English) or a passage from Sefaria (needs the network).

    A whole work is fetched chapter by chapter. Interrupted, it keeps what it has.

    The same command goes on from there; run again when the work is complete, it asks Sefaria nothing.
    """
    from madrega.study.importers import sefaria_fetch

    conn = open_db(db)
    if sefaria_fetch.names_a_passage(target):
        from madrega.study.importers.sefaria_api import fetch as fetch_ref

        passage = fetch_ref(conn, target, langs=_langs(lang))
        if json_out:
            print_json(passage.to_json())
            return
        for v in passage.versions:
            console.print(
                f"{passage.ref} [{v['lang']}] {v['title']}: {v['segments']} segments ({v['new']} new)"
            )
        return
    if json_out:
        report = sefaria_fetch.fetch_work(conn, target, langs=_langs(lang), refresh=refresh)
        print_json(report.to_json())
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[bold]{task.description:<40.40}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(f"asking Sefaria for {target}", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        report = sefaria_fetch.fetch_work(
            conn, target, langs=_langs(lang), refresh=refresh, progress=progress
        )
    console.print(
        f"{report.work}: {report.sections} sections ({report.fetched} fetched now, {report.kept} already here"
        + (f", {len(report.empty)} without text" if report.empty else "")
        + ")."
    )
    for v in report.versions:
        state = "" if v["changed"] else " (unchanged)"
        console.print(
            f"  {v['lang']}: {v['title']} — {v['segments']:,} segments — licence {v['license'] or 'not stated'}{state}",
            highlight=False,
        )


@library_app.command("import-export")
def import_export(
    directory: Annotated[
        Path, typer.Argument(help="A copy of Sefaria's export: the folder that holds json/ and schemas/.")
    ],
    title: Annotated[
        list[str] | None, typer.Option("--title", help="A work to import (repeat for more), e.g. Tanya.")
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option("--category", help="Every work in this category (repeat for more), e.g. Chasidut."),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Import works from a local copy of Sefaria's export (merged.json per work and language).

    With neither --title nor --category, every work in the copy is imported. One transaction.
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from madrega.study.importers.sefaria_export import import_export as run_import

    conn = open_db(db)
    if json_out:
        print_json(run_import(conn, directory, titles=title, categories=category).to_json())
        return
    with Progress(
        TextColumn("[bold]{task.description:<32.32}"),
        BarColumn(),
        DownloadColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("reading", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        report = run_import(conn, directory, titles=title, categories=category, progress=progress)
    for r in report.imported:
        state = "imported" if r.changed else "already up to date"
        console.print(
            f"{r.work} ({r.lang}, {r.version}): {r.segments:,} segments — {state}.", highlight=False
        )


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
            dt.add_row(str(d.id), d.slug, escape(d.title), d.kind, str(d.segments), d.imported_at)
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
        console.print(f"[bold]{escape(str(p.node))}[/]: {escape(shown)}{more}", highlight=False)


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
        console.print(f"Removed {info.slug} ({escape(info.title)}).")


# ---------------------------------------------------------------------------- read


def _columns(count: int) -> int:
    """The cells each of `count` equal columns gets in a bordered table as wide as the console."""
    return max(8, (console.width - 1 - 3 * count) // max(count, 1))


def _render_passage(data: dict[str, Any], langs: list[str], order: str = "logical") -> None:
    from madrega.cli.terminal import hebrew_cell
    from madrega.study.reader import display_text

    he = "he" in langs
    en = "en" in langs
    width = _columns(int(he) + int(en))
    title = data.get("ref") or data.get("title")
    table = Table(title=title, show_lines=True, expand=True)
    if he:
        if order == "visual":
            table.add_column(hebrew_cell("עברית", width, order), justify="right", width=width, no_wrap=True)
        else:
            table.add_column("עברית", justify="right", ratio=1)
    if en:
        table.add_column("English", ratio=1, width=width if order == "visual" else None)
    notes: list[RichText] = []
    by_ref: dict[str, dict[str, dict[str, Any]]] = {}
    for s in data["segments"]:
        by_ref.setdefault(s.get("ref") or str(id(s)), {})[s["lang"]] = s
    for ref, texts in by_ref.items():
        cells = []
        for lang in (["he"] if he else []) + (["en"] if en else []):
            s = texts.get(lang)
            shown = display_text(s["text"], s["footnotes"]) if s else ""
            cells.append(hebrew_cell(shown, width, order) if lang == "he" else RichText(shown))
            for f in (s or {}).get("footnotes") or []:
                note = f"{ref} [{f.get('marker') or '*'}] {display_text(f.get('text') or '')}"
                notes.append(hebrew_cell(note, console.width - 4, order) if lang == "he" else RichText(note))
        table.add_row(*cells)
    parts: list[Any] = [table]
    if notes:
        parts.append(Panel(Group(*notes), title="Footnotes", title_align="left"))
    sources = [
        f"{'Hebrew' if v['lang'] == 'he' else 'English'}: {v['title']} — licence {v.get('license') or 'not stated'}"
        for v in data.get("versions") or []
        if v.get("segments")
    ]
    if sources:
        parts.append(RichText(" · ".join(sources), style="dim"))
    console.print(Group(*parts))


def _render_document(doc: Document, langs: list[str], order: str = "logical") -> None:
    from madrega.cli.terminal import hebrew_cell
    from madrega.study.reader import display_text

    table = Table(title=doc.title, show_lines=True, expand=True)
    columns = [lang for lang in ("he", "en") if lang in langs and any(s.lang == lang for s in doc.segments)]
    width = _columns(len(columns))
    fixed = width if order == "visual" else None
    for lang in columns:
        table.add_column(
            hebrew_cell("עברית", width, order) if lang == "he" else "English",
            justify="right" if lang == "he" else "left",
            ratio=None if fixed else 1,
            width=fixed,
            no_wrap=bool(fixed) and lang == "he",
        )
    notes = [RichText(f"[{f.marker or '*'}] {f.text}") for s in doc.segments for f in s.footnotes]

    def cell(lang: str, value: str, style: str = "") -> RichText:
        return hebrew_cell(value, width, order, style) if lang == "he" else RichText(value, style=style)

    def text(seg: DocSegment) -> str:
        return display_text(seg.text, [f.__dict__ for f in seg.footnotes])

    def alone(seg: DocSegment, style: str) -> None:
        if seg.lang in columns:
            table.add_row(*[cell(c, text(seg), style) if c == seg.lang else RichText("") for c in columns])

    for block in doc.blocks():
        if block.heading is not None:
            alone(block.heading, "bold")
        pair = {s.lang: text(s) for s in (block.source, block.translation) if s is not None}
        if any(lang in pair for lang in columns):
            table.add_row(*[cell(lang, pair.get(lang, "")) for lang in columns])
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
    bidi: Annotated[
        str,
        typer.Option(
            "--bidi",
            help="Hebrew order: logical (for terminals that reorder right-to-left text), visual (for "
            "tmux, screen, xterm), or auto (visual where the terminal is known not to reorder).",
        ),
    ] = "auto",
    connections: Annotated[
        bool,
        typer.Option("--connections", help="Also the texts that cite or quote it, and its commentaries."),
    ] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Read a passage: Hebrew beside the translation, footnotes and sources under it."""
    from madrega.cli.terminal import mode
    from madrega.study import reader

    order = mode(bidi, is_terminal=console.is_terminal)
    langs = list(_langs(lang))
    conn = open_db(db)
    found = reader.read_target(conn, target, langs=tuple(langs), kind=kind)
    if isinstance(found, Document):
        _show_document(found, langs, json_out, order)
        return
    data = found.to_json()
    shown = None
    if connections:
        from madrega.study.connections import connections as connections_of

        shown = connections_of(conn, found.ref, rows=[r.ref for r in found.rows])
        data["connections"] = shown.to_json()
    if json_out:
        print_json(data)
        return
    _render_passage(data, [lang for lang in langs if lang in found.langs] or found.langs, order)
    if shown is not None:
        _render_connections(shown, order)


def _render_connections(found: Any, order: str = "logical") -> None:
    from madrega.cli.terminal import hebrew_cell

    console.print(RichText(f"Connections of {found.ref}: {found.total}", style="bold"))
    for g in found.groups:
        console.print(RichText(f"{g.name} ({g.count})", style="bold cyan"))
        for item in g.items:
            verb = "quotes" if item.kind == "quotation" else "cites"
            console.print(RichText(f"  {item.source} {verb} {item.ref}", style="bold"))
            if item.lang == "he" and order == "visual":  # no highlight: the words are reordered line by line
                console.print(hebrew_cell(item.before + item.quote + item.after, console.width - 4, order))
                continue
            line = RichText("    " + item.before)
            line.append(item.quote, style="reverse")
            line.append(item.after)
            console.print(line)
        if g.count > len(g.items):
            console.print(RichText(f"  and {g.count - len(g.items)} more (--json lists them)", style="dim"))
    if found.commentaries:
        console.print(RichText(f"Commentaries ({len(found.commentaries)})", style="bold cyan"))
        for m in found.commentaries:
            console.print(RichText(f"  {m.ref}: {m.text[:300]}"))


def _show_document(doc: Document, langs: list[str], json_out: bool, order: str = "logical") -> None:
    from madrega.study.reader import read_document

    if json_out:
        data = read_document(doc)
        data["segments"] = [s for s in data["segments"] if s["lang"] in langs]
        print_json(data)
        return
    _render_document(doc, langs, order)
