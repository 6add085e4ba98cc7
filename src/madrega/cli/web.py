"""`madrega serve` and `madrega demo`: the web face over the same database as the CLI."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path
from typing import Annotated

import typer

from madrega.cli.app import DB_OPTION_HELP, app, console
from madrega.errors import MadregaError

HostOption = Annotated[
    str, typer.Option(help="Address to listen on (loopback by default: only this machine can connect).")
]
PortOption = Annotated[
    int,
    typer.Option(
        min=0, max=65535, help="TCP port to listen on (0: a free one; the address printed says which)."
    ),
]
DbOption = Annotated[Path | None, typer.Option("--db", help=DB_OPTION_HELP)]
AllowHostOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-host",
        help="Also answer requests for this host name (the name people type, e.g. shul.example.org); "
        "repeatable. Loopback names and the listening address are always answered; '*' answers any.",
    ),
]
TrustedProxyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--trusted-proxy",
        help="Believe X-Forwarded-For/-Proto only from this proxy address (repeatable); "
        "without it the headers are ignored.",
    ),
]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="Run the multi-user community server on this database "
        "(postgresql://user@host/dbname); without it madrega serves you alone from SQLite.",
    ),
]


def _db_path(db: Path | None) -> Path:
    from madrega import db as dbmod

    return db if db is not None else dbmod.default_path()


def _serve(
    db_path: Path,
    host: str,
    port: int,
    database: str | None = None,
    allow_hosts: list[str] | None = None,
    trusted_proxies: list[str] | None = None,
) -> None:
    from madrega.web import create_app, guard, server

    names = allow_hosts or []
    hosts = guard.allowed_hosts(host, names)
    # Pages served under an allowed name (behind a proxy that rewrites Host) may write too.
    origins = [n.lower() for n in names if n != guard.ANY_HOST]
    # Server mode: the library and journal on this machine are the operator's, behind the admin's login.
    web_app = create_app(db_path, hosts=hosts, trusted_origins=origins, operator_only=bool(database))
    if database:
        from madrega.community.app import mount_community

        # Secure cookies need https; on plain-http loopback the browser would drop them.
        mount_community(web_app, database, secure_cookies=host not in ("127.0.0.1", "localhost", "::1"))
        console.print("community server mode: accounts, groups and minyanim at /community/")

    try:
        # Listening before the address is printed: whoever reads it (a person, a script) can connect.
        sock = server.listen(host, port)
    except OSError as exc:
        raise MadregaError(
            f"cannot listen on {_url_host(host)}:{port} ({exc.strerror or exc})",
            suggestions=["choose another port (0 picks a free one)", "stop the other server on that port"],
        ) from None
    port = int(sock.getsockname()[1])
    preparing = threading.Thread(target=_prepare_linker, args=(db_path,), name="madrega-prepare", daemon=True)
    preparing.start()
    _warm_up(db_path)
    # Ready before the address is printed: the first pages do not wait for indexes opened alongside
    # them (an index that must be built first goes on in the background past this wait).
    preparing.join(timeout=READY_WAIT)
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(f"[yellow]note:[/] listening on {host}: other machines on the network can connect.")
    console.print(
        f"madrega is serving {db_path} at [bold]http://{_url_host(host)}:{port}/[/]  (Ctrl-C stops)"
    )
    if host in ("0.0.0.0", "::") and not names:
        console.print(
            "[yellow]note:[/] only loopback names are answered; add the name people use with --allow-host NAME."
        )
    job = _start_link_job(db_path)
    try:
        server.run(web_app, host, port, trusted_proxies=trusted_proxies or (), sock=sock)
    finally:
        if job is not None and job.poll() is None:  # what it stored stays; the rest waits for the next start
            job.terminate()
            job.wait()


def _start_link_job(db_path: Path) -> subprocess.Popen[bytes] | None:
    """Build the connections in the background while the server answers, if any text is queued."""
    from madrega import api
    from madrega.cli.library import spawn_link_job
    from madrega.study.linker import queue

    conn = api.connect(db_path)
    try:
        progress = queue.progress(conn)
    finally:
        conn.close()
    if progress is None or progress.running:
        return None
    console.print(
        "Building the library's connections in the background (the pages show how far; "
        "`madrega library status` too)."
    )
    job: subprocess.Popen[bytes] = spawn_link_job(db_path, detach=False)
    return job


READY_WAIT = 10.0  # seconds the address waits for the linker's indexes to open


def _warm_up(db_path: Path) -> None:
    """What the first pages would otherwise each do first: the page templates compiled, the search
    ranking read."""
    from madrega import api
    from madrega.study import search
    from madrega.web.render import compile_templates

    compile_templates()
    conn = api.connect(db_path)
    try:
        search.prepare(conn)
    finally:
        conn.close()


def _prepare_linker(db_path: Path) -> None:
    """Build the quotation indexes while the server already answers (the first linked page would wait)."""
    from madrega.study import linker

    try:
        linker.prepare(db_path)
    except Exception as exc:  # a slower first page is all this costs: never stop the server for it
        console.print(f"[yellow]note:[/] the quotation index was not prepared in advance ({exc})")


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


@app.command()
def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    db: DbOption = None,
    database: DatabaseOption = None,
    allow_host: AllowHostOption = None,
    trusted_proxy: TrustedProxyOption = None,
) -> None:
    """Serve the library in your browser: reader, documents, linker, search, gematria, and a JSON API."""
    _serve(_db_path(db), host, port, database, allow_host, trusted_proxy)


@app.command()
def demo(host: HostOption = "127.0.0.1", port: PortOption = 8000, db: DbOption = None) -> None:
    """Build the embedded library if it is missing, then serve it (what `make demo` runs)."""
    path = _db_path(db)
    ensure_library(path)
    _serve(path, host, port)


def ensure_library(path: Path) -> None:
    """Import the embedded corpus and build its indexes unless they are there (each step skips what is
    current)."""
    from madrega import api
    from madrega.cli.app import step_bars
    from madrega.study.prepare import STEP_LABELS, init_library

    conn = api.connect(path)
    try:
        with step_bars(STEP_LABELS) as progress:
            report = init_library(conn, progress=progress)
        corpus = report.corpus
        if corpus.groups_skipped and not (corpus.works_added or corpus.translations_added):
            console.print(
                f"The library at {path} is ready ({corpus.works_unchanged} works and translations)."
            )
        else:
            console.print(
                f"Imported {corpus.works_added} works and {corpus.translations_added} English translations "
                f"({corpus.segments} passages) into {path}."
            )
    finally:
        conn.close()
