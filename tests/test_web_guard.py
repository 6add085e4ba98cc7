"""The single-user app answers only its own Host names and takes writes only from its own pages;
the server closes connections that dribble their headers, and believes proxy headers only from
the proxies it was told about."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from madrega.web import create_app, guard, server

BASE = "http://127.0.0.1"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(tmp_path / "lib.sqlite"), base_url=BASE, raise_server_exceptions=False) as c:
        yield c


def _steps(client: TestClient) -> int:
    return len(client.get("/api/journal").json())


def test_unknown_host_names_are_refused(client: TestClient) -> None:
    assert client.get("/journal").status_code == 200
    for host in ("evil.example", "127.0.0.1.evil.example", "localhost.", ""):
        r = client.get("/api/journal", headers={"Host": host})
        assert r.status_code == 421, host
        assert "allow this name" in r.json()["suggestions"][0]
    assert client.get("/journal", headers={"Host": "LOCALHOST:8000"}).status_code == 200
    assert client.get("/journal", headers={"Host": "[::1]:8000"}).status_code == 200


def test_allowed_hosts_are_loopback_the_bound_address_and_the_named_ones() -> None:
    assert guard.allowed_hosts("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    assert "192.0.2.10" in guard.allowed_hosts("192.0.2.10")
    assert "0.0.0.0" not in guard.allowed_hosts("0.0.0.0")
    assert "shul.example.org" in guard.allowed_hosts("0.0.0.0", ["Shul.Example.org"])
    assert guard.host_name("[::1]:8000") == "::1" and guard.host_name("Example.org:80") == "example.org"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://127.0.0.1:9999"},  # another port on the same machine
        {"Origin": "http://localhost:8000"},  # another name is another origin
        {"Origin": "null"},  # a sandboxed frame or a file:// page
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://127.0.0.1"},
        {"Referer": "http://evil.example/page"},
    ],
)
def test_cross_origin_writes_are_refused_and_change_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    r = client.post("/api/journal", data={"kind": "study", "note": "planted"}, headers=headers)
    assert r.status_code == 403 and "another site" in r.json()["error"]
    page = client.post("/journal", data={"kind": "study"}, headers=headers, follow_redirects=False)
    assert page.status_code == 403
    assert _steps(client) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, scripts, the CLI: not a browser page
        {"Origin": "http://127.0.0.1"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1"},
        {"Sec-Fetch-Site": "none"},
        {"Referer": "http://127.0.0.1/journal"},
    ],
)
def test_own_pages_and_non_browser_clients_write(client: TestClient, headers: dict[str, str]) -> None:
    r = client.post("/api/journal", data={"kind": "study"}, headers=headers)
    assert r.status_code == 201, r.text
    assert _steps(client) == 1


def test_reading_stays_open_to_any_origin_of_ours(client: TestClient) -> None:
    r = client.get("/api/journal", headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 200  # a cross-site GET can be sent but not read back (no CORS)
    assert "access-control-allow-origin" not in r.headers


def test_a_trusted_origin_behind_a_proxy(tmp_path: Path) -> None:
    app = create_app(
        tmp_path / "lib.sqlite", hosts={"127.0.0.1", "shul.example.org"}, trusted_origins={"shul.example.org"}
    )
    with TestClient(app, base_url=BASE) as c:
        r = c.post("/api/journal", data={"kind": "study"}, headers={"Origin": "https://shul.example.org"})
        assert r.status_code == 201
        r = c.post("/api/journal", data={"kind": "study"}, headers={"Origin": "https://evil.example.org"})
        assert r.status_code == 403


# ---------------------------------------------------------------- a real server: header deadline, proxies


async def _whoami(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A tiny ASGI app that answers the client address uvicorn decided on."""
    if scope["type"] != "http":
        return
    body = str((scope.get("client") or ("?", 0))[0]).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _Server:
    """uvicorn in a thread on a socket that listens before the thread starts (as `madrega serve` does):
    a first request waits in the backlog, so nothing waits for the server to be ready."""

    def __init__(self, **options: Any) -> None:
        self.sock = server.listen("127.0.0.1", 0)
        self.port = int(self.sock.getsockname()[1])
        config = uvicorn.Config(_whoami, log_level="warning", **options)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()

    def ask(self, headers: dict[str, str] | None = None) -> str:
        import httpx

        return httpx.get(f"http://127.0.0.1:{self.port}/", headers=headers or {}, timeout=60).text


def test_a_connection_that_dribbles_its_headers_is_closed() -> None:
    with _Server(**server.uvicorn_options(header_timeout=0.5)) as srv:
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
        started = time.monotonic()
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        # one header byte every 0.1 s would keep uvicorn's own timer alive forever
        closed_in = _dribble_until_closed(sock)
        sock.close()
        assert closed_in is not None, "a connection dribbling its headers was never closed"
        assert closed_in - started < DEADLINE_BOUND  # closed at the deadline (0.5 s), not when done
        assert srv.ask() == "127.0.0.1"  # the server itself still answers


def test_the_next_request_on_a_kept_alive_connection_has_the_same_deadline() -> None:
    with _Server(**server.uvicorn_options(header_timeout=0.5)) as srv:
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert b"200" in sock.recv(1024)
        started = time.monotonic()
        sock.sendall(b"GET / HTTP/1.1\r\n")
        closed_in = _dribble_until_closed(sock)
        sock.close()
        assert closed_in is not None, "the second request's dribbled headers were never cut off"
        assert closed_in - started < DEADLINE_BOUND


# The header deadline of these servers is 0.5 s. The bound on when the connection is closed is 20
# times that, so a loaded machine passes; a server without the deadline is dribbled at until
# DRIBBLE_FOR and fails (it would never close the connection).
DEADLINE_BOUND = 10.0
DRIBBLE_FOR = 30.0


def _dribble_until_closed(sock: socket.socket) -> float | None:
    """Send a header byte every 0.1 s until the server closes the connection: the moment it did, or
    None if it still had not after DRIBBLE_FOR seconds."""
    until = time.monotonic() + DRIBBLE_FOR
    while time.monotonic() < until:
        try:
            sock.sendall(b"X")
            data = sock.recv(1024) if _readable(sock, 0.1) else None
        except OSError:
            return time.monotonic()
        if data == b"":
            return time.monotonic()
    return None


def _readable(sock: socket.socket, timeout: float) -> bool:
    import select

    return bool(select.select([sock], [], [], timeout)[0])


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted() -> None:
    spoof = {"X-Forwarded-For": "203.0.113.9"}
    with _Server(**server.uvicorn_options()) as srv:
        assert srv.ask(spoof) == "127.0.0.1"
    with _Server(**server.uvicorn_options(trusted_proxies=["127.0.0.1"])) as srv:
        assert srv.ask(spoof) == "203.0.113.9"
    with _Server(**server.uvicorn_options(trusted_proxies=["192.0.2.1"])) as srv:
        assert srv.ask(spoof) == "127.0.0.1"


def test_serve_passes_hosts_and_proxies(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import madrega.cli.web  # noqa: F401  (registers serve)
    from madrega.cli.app import app

    seen: dict[str, Any] = {}

    def fake_run(web_app: Any, host: str, port: int, **kw: Any) -> None:
        seen.update(app=web_app, host=host, port=port, **kw)

    monkeypatch.setattr(server, "run", fake_run)
    result = CliRunner().invoke(
        app,
        [
            "serve",
            "--db",
            str(tmp_path / "x.sqlite"),
            "--allow-host",
            "study.example.org",
            "--trusted-proxy",
            "10.1.2.3",
            "--port",
            "0",  # the socket is bound for real before the (faked) server runs: any free port
        ],
    )
    assert result.exit_code == 0, result.output
    seen["sock"].close()
    assert seen["trusted_proxies"] == ["10.1.2.3"]
    with TestClient(seen["app"], base_url="http://study.example.org") as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz", headers={"Host": "other.example.org"}).status_code == 421
    asyncio.set_event_loop(asyncio.new_event_loop())  # TestClient closed its loop
