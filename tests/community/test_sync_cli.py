"""`madrega login|logout|sync` against a real community server (uvicorn on a loopback port), and
the HTTP client's answers to every failure a user can run into."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner, Result

import madrega.cli.community  # noqa: F401  (registers the commands)
from madrega import api
from madrega.cli.app import app
from madrega.community import accounts, client
from madrega.community.app import create_community_app
from madrega.community.backend import Backend
from madrega.community.sync import sync_journal
from madrega.errors import MadregaError
from madrega.practice import journal
from serving import HTTP_LIMIT

runner = CliRunner()
PASSWORD = "correct horse battery"


@contextmanager
def _closed_port() -> Iterator[int]:
    """A loopback port held bound but not listening: connecting to it is refused for as long as the
    test runs (no other program can take it meanwhile)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    backend: Backend

    def sign_up(self, prefix: str = "rivka") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:6]}"
        with httpx.Client(base_url=self.url) as http:
            csrf = http.get("/api/community/csrf").json()["csrf"]
            r = http.post(
                "/api/community/signup",
                json={"name": name, "password": PASSWORD},
                headers={"X-CSRF-Token": csrf},
            )
            assert r.status_code == 201, r.text
            if r.json()["user"]["is_admin"]:
                csrf = r.json()["csrf"]
                assert http.put(
                    "/api/community/admin/settings", json={"signup": "open"}, headers={"X-CSRF-Token": csrf}
                ).is_success
        return name

    def steps_of(self, name: str) -> list[dict[str, Any]]:
        with client.CommunityClient(self.url) as anonymous:
            token = anonymous.request_token(name, PASSWORD)
        r = httpx.get(
            self.url + "/api/community/steps",
            headers={"Authorization": f"Bearer {token}"},
            timeout=HTTP_LIMIT,
        )
        assert r.status_code == 200, r.text
        steps: list[dict[str, Any]] = r.json()
        return steps


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The community app served by uvicorn in a thread: real HTTP on a real socket."""
    path = tmp_path_factory.mktemp("server") / "community.sqlite"
    web = create_community_app(f"sqlite://{path}", secure_cookies=False, hasher=accounts.fast_hasher())
    # Bound and listening before uvicorn's thread starts: the first request waits in the backlog.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = int(sock.getsockname()[1])
    uv = uvicorn.Server(uvicorn.Config(web, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{port}", web.state.community.backend)
    uv.should_exit = True
    thread.join(timeout=10)
    sock.close()
    web.state.community.backend.close()


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("MADREGA_CONFIG_DIR", str(home))
    monkeypatch.setenv("MADREGA_OFFLINE", "1")
    return home


def run(journal_db: Path, *args: str, input: str | None = None) -> Result:
    return runner.invoke(app, [*args, "--db", str(journal_db)], input=input)


def log_in(journal_db: Path, server: Server, name: str, password: str = PASSWORD) -> Result:
    return run(journal_db, "login", server.url, "--user", name, "--password-stdin", input=password + "\n")


def sync_json(journal_db: Path) -> dict[str, int]:
    result = run(journal_db, "sync", "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, int] = json.loads(result.stdout)
    return data


def add_steps(journal_db: Path, *refs: str) -> None:
    conn = api.connect(journal_db)
    try:
        for ref in refs:
            journal.add_step(conn, "study", ref=ref, minutes=15)
    finally:
        conn.close()


def local_steps(journal_db: Path) -> dict[str, str | None]:
    conn = api.connect(journal_db)
    try:
        return {s.uid: s.ref for s in journal.list_steps(conn)}
    finally:
        conn.close()


def one_error_line(result: Result, *needles: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    flat = " ".join(result.output.split())  # rich wraps long lines at the test terminal's width
    for needle in needles:
        assert needle in flat, result.output


# ---------------------------------------------------------------- login and logout


def test_login_keeps_the_token_in_a_private_file_never_in_the_journal_or_the_output(
    server: Server, tmp_path: Path, config_dir: Path
) -> None:
    name = server.sign_up()
    laptop = tmp_path / "laptop.sqlite"
    result = log_in(laptop, server, name)
    assert result.exit_code == 0, result.output
    assert f"Logged in to {server.url} as {name}" in result.output
    stored = json.loads((config_dir / "credentials.json").read_text())
    token = stored["servers"][server.url][name]
    assert token.startswith("mdg_") and token not in result.output and PASSWORD not in result.output
    assert stat.S_IMODE((config_dir / "credentials.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    assert token.encode() not in laptop.read_bytes()
    conn = sqlite3.connect(laptop)
    settings = dict(conn.execute("SELECT key, value FROM settings").fetchall())
    conn.close()
    assert (settings["sync.server"], settings["sync.user"]) == (server.url, name)
    # The token works: the server answers the journal's owner, not anyone else.
    me = httpx.get(
        server.url + "/api/community/me", headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_LIMIT
    )
    assert me.json()["user"]["name"] == name

    result = run(laptop, "logout")
    assert result.exit_code == 0 and "no longer accepts" in " ".join(result.output.split())
    assert json.loads((config_dir / "credentials.json").read_text())["servers"] == {}
    # Revoked on the server, not only forgotten here: a copy of the token reads nothing any more.
    gone = httpx.get(
        server.url + "/api/community/steps", headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_LIMIT
    )
    assert gone.status_code == 401
    one_error_line(run(laptop, "sync"), f"not logged in to {server.url}", "madrega login")


def test_login_prompts_for_name_and_hidden_password(server: Server, tmp_path: Path) -> None:
    name = server.sign_up()
    laptop = tmp_path / "laptop.sqlite"
    result = run(laptop, "login", server.url + "/community/", input=f"{name}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "User name" in result.output and "Password" in result.output
    assert PASSWORD not in result.output
    assert sync_json(laptop) == {"pushed": 0, "pulled": 0, "cursor": 0}


def test_wrong_password_is_one_clear_line_and_stores_nothing(
    server: Server, tmp_path: Path, config_dir: Path
) -> None:
    name = server.sign_up()
    result = log_in(tmp_path / "laptop.sqlite", server, name, password="not the password")
    one_error_line(result, "wrong user name or password")
    assert not (config_dir / "credentials.json").exists()


def test_not_logged_in_and_bad_addresses_are_clear_errors(tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.sqlite"
    one_error_line(run(laptop, "sync"), "not connected to a server", "madrega login SERVER_URL")
    one_error_line(
        run(laptop, "login", "shul.example.org", "--user", "x", "--password-stdin", input="x\n"),
        "not a server address",
        "https://shul.example.org",
    )
    assert "nothing to forget" in run(laptop, "logout").output


def test_server_down_is_a_clear_error(server: Server, tmp_path: Path) -> None:
    with _closed_port() as port:
        _server_down_is_a_clear_error(server, tmp_path, f"http://127.0.0.1:{port}")


def _server_down_is_a_clear_error(server: Server, tmp_path: Path, down: str) -> None:
    laptop = tmp_path / "laptop.sqlite"
    one_error_line(
        run(laptop, "login", down, "--user", "rivka", "--password-stdin", input="whatever1\n"),
        f"cannot reach {down}",
    )
    # A journal logged in earlier whose server has gone away since.
    name = server.sign_up()
    assert log_in(laptop, server, name).exit_code == 0
    conn = api.connect(laptop)
    journal.put_setting(conn, "sync.server", down)
    conn.close()
    creds = client.credentials_path()
    data = json.loads(creds.read_text())
    data["servers"][down] = data["servers"][server.url]
    creds.write_text(json.dumps(data))
    one_error_line(run(laptop, "sync"), f"cannot reach {down}", "server up")


def test_a_revoked_token_says_to_log_in_again(server: Server, tmp_path: Path) -> None:
    name = server.sign_up()
    laptop = tmp_path / "laptop.sqlite"
    assert log_in(laptop, server, name).exit_code == 0
    with server.backend.transaction() as tx:
        tx.execute("DELETE FROM api_tokens WHERE user_id=(SELECT id FROM users WHERE name=?)", (name,))
    one_error_line(run(laptop, "sync"), "no longer accepts", f"madrega login {server.url} --user {name}")


def test_the_real_command_fails_without_a_traceback(server: Server, tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.sqlite"
    proc = subprocess.run(
        [sys.executable, "-c", "from madrega.cli import main; main()", "sync", "--db", str(laptop)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MADREGA_CONFIG_DIR": str(tmp_path / "cfg")},
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("error: this journal is not connected to a server")
    assert "Traceback" not in proc.stderr and proc.stderr.count("error:") == 1


def test_help_texts() -> None:
    for command, needles in {
        "login": ["--password-stdin", "--user", "community server"],
        "logout": ["revokes"],
        "sync": ["--json", "Push"],
    }.items():
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        for needle in needles:
            assert needle in result.output, (command, result.output)


# ---------------------------------------------------------------- syncing


def test_sync_twice_does_not_duplicate(server: Server, tmp_path: Path) -> None:
    name = server.sign_up()
    laptop = tmp_path / "laptop.sqlite"
    assert log_in(laptop, server, name).exit_code == 0
    add_steps(laptop, "Job 1", "Job 2", "Job 3")
    first = sync_json(laptop)
    assert (first["pushed"], first["pulled"]) == (3, 0) and first["cursor"] >= 3
    assert sync_json(laptop) == {"pushed": 0, "pulled": 0, "cursor": first["cursor"]}
    text = run(laptop, "sync")
    assert text.exit_code == 0 and "pushed 0 new event(s), pulled 0" in text.output
    assert sorted(s["ref"] for s in server.steps_of(name)) == ["Job 1", "Job 2", "Job 3"]
    assert len(local_steps(laptop)) == 3


def test_two_laptops_converge(server: Server, tmp_path: Path) -> None:
    name = server.sign_up()
    laptop, desktop = tmp_path / "laptop.sqlite", tmp_path / "desktop.sqlite"
    for machine in (laptop, desktop):
        assert log_in(machine, server, name).exit_code == 0
    add_steps(laptop, "Psalms 1", "Psalms 2")
    add_steps(desktop, "Proverbs 3")
    assert sync_json(laptop)["pushed"] == 2
    from_desktop = sync_json(desktop)
    assert (from_desktop["pushed"], from_desktop["pulled"]) == (1, 2)
    back = sync_json(laptop)
    assert (back["pushed"], back["pulled"]) == (0, 1)
    assert local_steps(laptop) == local_steps(desktop) and len(local_steps(laptop)) == 3
    assert sync_json(desktop)["pushed"] == 0  # what it pulled is not pushed back as new
    assert len(server.steps_of(name)) == 3


def test_logging_in_as_someone_else_restarts_the_sync(server: Server, tmp_path: Path) -> None:
    first, second = server.sign_up("leah"), server.sign_up("dina")
    laptop = tmp_path / "laptop.sqlite"
    assert log_in(laptop, server, first).exit_code == 0
    add_steps(laptop, "Ruth 1")
    assert sync_json(laptop)["pushed"] == 1
    switched = log_in(laptop, server, second)
    assert switched.exit_code == 0 and "starts from the beginning" in " ".join(switched.output.split())
    assert sync_json(laptop)["pushed"] == 1  # dina's account gets the journal too
    assert [s["ref"] for s in server.steps_of(second)] == ["Ruth 1"]


class AddsDuringPull:
    """A remote whose first pull lets another madrega process record a step on this laptop meanwhile."""

    def __init__(self, inner: client.CommunityClient, conn: sqlite3.Connection) -> None:
        self.inner, self.conn, self.added = inner, conn, False

    def push(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        return self.inner.push(events)

    def pull(self, since: int) -> dict[str, Any]:
        answer = self.inner.pull(since)
        if not self.added:
            journal.add_step(self.conn, "kindness", note="recorded while the sync ran")
            self.added = True
        return answer


def test_a_step_recorded_during_a_sync_is_pushed_by_the_next(server: Server, tmp_path: Path) -> None:
    name = server.sign_up()
    laptop, phone = tmp_path / "laptop.sqlite", tmp_path / "phone.sqlite"
    for machine in (laptop, phone):
        assert log_in(machine, server, name).exit_code == 0
    add_steps(phone, "Esther 1", "Esther 2")
    assert sync_json(phone)["pushed"] == 2
    conn = api.connect(laptop)
    try:
        with client.remote_for(conn) as remote:
            result = sync_journal(conn, AddsDuringPull(remote, conn))
        assert result.pulled == 2
    finally:
        conn.close()
    assert sync_json(laptop)["pushed"] == 1
    assert sorted(s["kind"] for s in server.steps_of(name)) == ["kindness", "study", "study"]
    assert sync_json(phone)["pulled"] == 1


# ---------------------------------------------------------------- the client's answers


def _client(handler: Any) -> client.CommunityClient:
    return client.CommunityClient("http://shul.test", "mdg_x", transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(500, json={"error": "the database is down"}), "failed (500: the database is down)"),
        (httpx.Response(503, text="<h1>busy</h1>"), "failed (503)"),
        (httpx.Response(404, text="<h1>Not Found</h1>"), "has no community API"),
        (httpx.Response(422, json={"error": "event 0: uid is not a uuid"}), "refused (422): event 0"),
        (httpx.Response(429, json={"error": "too many failed logins"}), "refused (429): too many"),
        (httpx.Response(200, text="<html>a blog</html>"), "did not answer like a madrega community server"),
        (httpx.Response(200, json={"status": "ok"}), "a pull without events and a cursor"),
    ],
)
def test_the_client_names_what_the_server_did(response: httpx.Response, expected: str) -> None:
    with pytest.raises(MadregaError) as caught:
        _client(lambda request: response).pull(0)
    assert expected in caught.value.message


def test_the_client_sends_the_token_and_reads_push_and_pull() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/push"):
            return httpx.Response(200, json={"added": 1, "duplicates": 0, "cursor": 7})
        return httpx.Response(200, json={"events": [], "cursor": 7, "more": False})

    remote = _client(answer)
    assert remote.push([{"uid": "u"}])["added"] == 1
    assert remote.pull(3)["cursor"] == 7
    assert [r.url.path for r in seen] == ["/api/community/sync/push", "/api/community/sync/pull"]
    assert seen[1].url.params["since"] == "3"
    assert all(r.headers["authorization"] == "Bearer mdg_x" for r in seen)


@pytest.mark.parametrize(
    ("given", "address"),
    [
        ("https://shul.example.org", "https://shul.example.org"),
        ("http://127.0.0.1:8000/community/", "http://127.0.0.1:8000"),
        (" https://x.org/api/community ", "https://x.org"),
    ],
)
def test_server_addresses_are_normalized(given: str, address: str) -> None:
    assert client.normalize_server(given) == address
