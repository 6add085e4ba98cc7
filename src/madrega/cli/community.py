"""`madrega login|logout|sync`: connect this computer's journal to a community server account.

The token is kept in a 0600 file in your config directory, never in the journal database (see
`madrega.community.client`), and never printed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from madrega.cli.app import DB_OPTION_HELP, app, console, fail, open_db, print_json
from madrega.errors import MadregaError

DbOption = Annotated[Path | None, typer.Option("--db", help=DB_OPTION_HELP)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


@app.command()
def login(
    server: Annotated[str, typer.Argument(help="The community server, e.g. https://shul.example.org")],
    user: Annotated[str | None, typer.Option("--user", "-u", help="Your user name on that server.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Log in to a community server so `madrega sync` can push and pull this journal's steps."""
    from madrega.community import client
    from madrega.practice import journal

    try:
        address = client.normalize_server(server)
        conn = open_db(db)
        linked = client.linked_account(conn)
        if user is None:
            default = linked[1] if linked and linked[0] == address else None
            user = typer.prompt("User name", default=default)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("Password", hide_input=True)
        if not password:
            raise MadregaError("no password given")
        name = user.strip().lower()
        with client.CommunityClient(address) as remote:
            token = remote.request_token(name, password, label=f"madrega cli ({journal.device_id(conn)})")
        restarted = client.save_login(conn, address, name, token)
    except MadregaError as exc:
        fail(exc.message, exc.suggestions)
        return
    console.print(f"Logged in to {address} as {name}. `madrega sync` now pushes and pulls your steps.")
    if restarted:
        console.print(
            "This journal synced with another account before: its next sync starts from the beginning."
        )


@app.command()
def logout(db: DbOption = None) -> None:
    """Log this computer out: the server revokes its token, and it is forgotten here (your steps stay)."""
    from madrega.community import client

    problem = None
    try:
        conn = open_db(db)
        try:
            with client.remote_for(conn) as remote:
                remote.revoke()
        except client.ServerError as exc:
            problem = exc.message
        except MadregaError:
            pass  # not logged in here: nothing to revoke
        account = client.forget_login(conn)
    except MadregaError as exc:
        fail(exc.message, exc.suggestions)
        return
    if account is None:
        console.print("This journal is not connected to a server: nothing to forget.")
    elif problem is None:
        console.print(
            f"Logged out of {account[0]} ({account[1]}): the server no longer accepts this computer's token."
        )
    else:
        console.print(
            f"Logged out of {account[0]} ({account[1]}) here, but the server could not be told ({problem}). "
            "End this computer's login on the server's page: Together → Computers logged in to your account."
        )


@app.command()
def sync(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Push this journal's new events to your server account and pull what your other devices pushed."""
    from madrega.community import client
    from madrega.community.sync import sync_journal

    try:
        conn = open_db(db)
        with client.remote_for(conn) as remote:
            result = sync_journal(conn, remote)
    except MadregaError as exc:
        fail(exc.message, exc.suggestions)
        return
    if as_json:
        print_json({"pushed": result.pushed, "pulled": result.pulled, "cursor": result.cursor})
        return
    console.print(
        f"Synced with {remote.server}: pushed {result.pushed} new event(s), pulled {result.pulled}."
    )
