"""Who may talk to the web app at all: the Host names it answers, and where a write may come from.

The single-user app has no accounts: whoever reaches it is its owner. Two browser tricks would let
another web page act as that owner, and this middleware closes both before any route runs:

- **DNS rebinding**: a page on `evil.example` whose name is made to resolve to 127.0.0.1 reads the
  app as `Host: evil.example`. The app answers only the names it is bound to (loopback names, the
  address it listens on, and names given with `--allow-host`); any other Host gets 421.
- **Cross-site writes** (CSRF): a page on another origin — another port on localhost counts —
  posts a form or a `fetch` to the app. Browsers say where a request comes from (`Sec-Fetch-Site`,
  and `Origin` on every non-GET); a state-changing request from anywhere but the app's own origin
  gets 403. A request with neither header is not from a browser page (curl, the CLI, scripts), and
  a non-browser client is the owner anyway.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ANY_HOST = "*"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def host_name(host_header: str) -> str:
    """`Example.org:8000` → `example.org`; `[::1]:8000` → `::1` (what the allow list holds)."""
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def allowed_hosts(bound: str, extra: Collection[str] = ()) -> frozenset[str]:
    """The names a server bound to `bound` answers: loopback, the bound address, and `extra`."""
    names = {*LOOPBACK_NAMES, *(host_name(h) if h != ANY_HOST else ANY_HOST for h in extra)}
    if bound not in ("0.0.0.0", "::", ""):
        names.add(host_name(bound) if not bound.count(":") > 1 else bound.lower())
    return frozenset(names)


def _origin_netloc(origin: str) -> str | None:
    """`https://Shul.example.org` → `shul.example.org`, `http://127.0.0.1:8000` → `127.0.0.1:8000`."""
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default = 443 if parts.scheme == "https" else 80
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return host if port in (None, default) else f"{host}:{port}"


def _host_netloc(host_header: str, scheme: str) -> str:
    value = host_header.strip().lower()
    default = ":443" if scheme == "https" else ":80"
    return value.removesuffix(default)


class RequestGuard:
    """ASGI middleware: refuse unknown Host names (421) and cross-origin writes (403)."""

    def __init__(self, app: Any, hosts: Collection[str], *, trusted_origins: Collection[str] = ()) -> None:
        self.app = app
        self.hosts = frozenset(hosts)
        # Behind a proxy that rewrites Host, the public origins are the names given with --allow-host.
        self.trusted_origins = frozenset(o.lower() for o in trusted_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        host = headers.get("host", "")
        if ANY_HOST not in self.hosts and host_name(host) not in self.hosts:
            await _refuse(
                scope,
                receive,
                send,
                421,
                f"this server does not answer to the name '{host_name(host)[:100]}'",
                ["ask the operator of this server to allow this name"],
            )
            return
        if scope.get("method", "GET") not in SAFE_METHODS and not self._same_origin(headers, scope):
            await _refuse(
                scope,
                receive,
                send,
                403,
                "a page on another site tried to change something here; it was refused",
                ["use madrega's own pages to make changes"],
            )
            return
        await self.app(scope, receive, send)

    def _same_origin(self, headers: dict[str, str], scope: Scope) -> bool:
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return False  # "same-site" too: another port on localhost is another origin
        origin = headers.get("origin")
        if origin is None:
            return site is not None or "referer" not in headers or self._referer_ok(headers, scope)
        if origin == "null":
            return False  # sandboxed frames, data: URLs and file:// pages send "null"
        netloc = _origin_netloc(origin)
        if netloc is None:
            return False
        own = _host_netloc(headers.get("host", ""), str(scope.get("scheme", "http")))
        return netloc == own or netloc in self.trusted_origins

    def _referer_ok(self, headers: dict[str, str], scope: Scope) -> bool:
        """An old browser sends no Origin on a form POST, but a Referer: it must be our own page."""
        netloc = _origin_netloc(headers["referer"])
        own = _host_netloc(headers.get("host", ""), str(scope.get("scheme", "http")))
        return netloc is not None and (netloc == own or netloc in self.trusted_origins)


async def _refuse(
    scope: Scope, receive: Receive, send: Send, status: int, message: str, suggestions: list[str]
) -> None:
    """A short answer in the request's own language (JSON for the API, text for pages)."""
    path = str(scope.get("path", ""))
    if path.startswith("/api/"):
        body = json.dumps({"error": message, "suggestions": suggestions}).encode("utf-8")
        content_type = b"application/json"
    else:
        body = (message + "\n" + "\n".join(suggestions) + "\n").encode("utf-8")
        content_type = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
