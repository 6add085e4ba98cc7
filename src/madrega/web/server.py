"""How the web app is put on the network: uvicorn, with the limits a public server needs.

- **Header deadline**: uvicorn waits for a request's headers as long as bytes keep trickling in
  (its keep-alive timer restarts on every byte), so a few hundred slow sockets hold the server.
  `HeaderDeadlineProtocol` closes a connection whose request line and headers are not complete
  within `HEADER_TIMEOUT` seconds of it opening (or of the previous response on it).
- **Proxy headers**: `X-Forwarded-For` / `X-Forwarded-Proto` are believed only from the proxies
  named with `--trusted-proxy`; uvicorn's default believes them from 127.0.0.1, which would let
  anyone on the machine pick their own client address (and so dodge the per-address login limit).
"""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import Sequence
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0  # seconds for a request line and its headers
KEEP_ALIVE = 5  # seconds an idle connection stays open between requests
BACKLOG = 2048  # connections the system holds for us before the server accepts them (uvicorn's own)
STARTUP_FAILURE = 3  # the exit status uvicorn gives a server that could not start


class HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, with a fixed deadline for each request's line and headers.

    The clock starts when the connection opens and again when the first byte of each later
    request arrives (an idle kept-alive connection is uvicorn's own keep-alive timer's business);
    it stops when the headers are complete. More bytes do not move it.
    """

    header_timeout: float = HEADER_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_deadline: asyncio.TimerHandle | None = None
        self._arm_header_deadline()

    def _arm_header_deadline(self) -> None:
        self._cancel_header_deadline()
        self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _cancel_header_deadline(self) -> None:
        deadline = getattr(self, "_header_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._header_deadline = None

    def data_received(self, data: bytes) -> None:
        if self._header_deadline is None and self.conn.their_state is h11.IDLE:
            self._arm_header_deadline()  # a new request on a kept-alive connection begins
        super().data_received(data)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # the request line and headers are in
            self._cancel_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_deadline()
        super().connection_lost(exc)

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def uvicorn_options(
    trusted_proxies: Sequence[str] = (), header_timeout: float = HEADER_TIMEOUT
) -> dict[str, Any]:
    """The uvicorn settings every madrega server runs with."""
    protocol = type("MadregaH11", (HeaderDeadlineProtocol,), {"header_timeout": header_timeout})
    return {
        "http": protocol,
        "proxy_headers": bool(trusted_proxies),
        "forwarded_allow_ips": ",".join(trusted_proxies) if trusted_proxies else "",
        "timeout_keep_alive": KEEP_ALIVE,
        "server_header": False,
    }


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to `host:port` and listening, before the server runs: the address a face prints
    then already answers (a request made meanwhile waits in the backlog). Port 0 lets the system pick
    a free one (`sock.getsockname()[1]` says which). Raises `OSError` (address in use, not allowed)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run(
    app: Any,
    host: str,
    port: int,
    *,
    trusted_proxies: Sequence[str] = (),
    header_timeout: float = HEADER_TIMEOUT,
    sock: socket.socket | None = None,
) -> None:
    """Serve `app` until interrupted, on `sock` (from `listen`) or on `host:port` bound now."""
    import uvicorn

    sock = sock if sock is not None else listen(host, port)
    config = uvicorn.Config(app, log_level="warning", **uvicorn_options(trusted_proxies, header_timeout))
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    if not server.started:
        sys.exit(STARTUP_FAILURE)
