"""The community's HTTP plumbing, shared by its JSON API and its pages: who is asking, the CSRF check,
the session cookies, the database of a request, and the request-body limit.

Who is asking is decided once, in `viewer()`: an API token (`Authorization: Bearer mdg_…`, for the
CLI) or a session cookie (HTTP-only, SameSite=Lax, Secure unless turned off for loopback tests).
Every state-changing request made with a cookie must carry the session's CSRF token (header
`X-CSRF-Token` or form field `csrf_token`); the anonymous forms (login, sign-up, reset) use a
double-submit cookie instead. Bearer requests carry no cookie and so need no CSRF token.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Annotated, Any

from argon2 import PasswordHasher
from fastapi import Depends, Request
from fastapi.responses import JSONResponse, Response

from madrega.community import accounts
from madrega.community.accounts import Forbidden, Session, Unauthorized, User
from madrega.community.backend import Backend

SESSION_COOKIE = "madrega_session"
CSRF_COOKIE = "madrega_csrf"
CSRF_HEADER = "X-CSRF-Token"
MAX_BODY = 1_048_576  # bytes: a sync push of 1000 events fits; nothing else comes near
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PREFIXES = ("/api/community", "/community")


@dataclass
class CommunityConfig:
    backend: Backend
    hasher: PasswordHasher
    secure_cookies: bool = True


@dataclass(frozen=True)
class Viewer:
    user: User | None
    session: Session | None = None
    via_token: bool = False


def config_of(request: Request) -> CommunityConfig:
    cfg: CommunityConfig = request.app.state.community
    return cfg


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def bearer_token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else ""


def viewer(request: Request) -> Viewer:
    cfg = config_of(request)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = accounts.user_for_api_token(cfg.backend, bearer_token(request))
        if user is None:
            raise Unauthorized("that API token is not valid (revoked or mistyped)")
        return Viewer(user, via_token=True)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        session = accounts.session_for(cfg.backend, token)
        if session is not None:
            return Viewer(session.user, session)
    return Viewer(None)


def _sent_token(request: Request, form_token: str | None) -> str:
    return request.headers.get(CSRF_HEADER) or form_token or ""


def check_csrf(request: Request, who: Viewer, form_token: str | None = None) -> None:
    """A state-changing request made with a cookie must prove it came from our own page."""
    if request.method in SAFE_METHODS or who.via_token:
        return
    sent = _sent_token(request, form_token)
    expected = who.session.csrf if who.session is not None else request.cookies.get(CSRF_COOKIE, "")
    if not expected or not sent or not secrets.compare_digest(sent, expected):
        raise Forbidden("missing or wrong CSRF token: reload the page and try again")


def current(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> User:
    """The signed-in user (401 otherwise), with the CSRF check done for state-changing calls."""
    if who.user is None:
        raise Unauthorized("sign in first")
    check_csrf(request, who)
    return who.user


Me = Annotated[User, Depends(current)]


def anonymous_csrf(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    check_csrf(request, who)
    return who


def backend_of(request: Request) -> Backend:
    return config_of(request).backend


DB = Annotated[Backend, Depends(backend_of)]


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=config_of(request).secure_cookies,
        path="/",
    )


def ensure_csrf_cookie(request: Request, response: Response, token: str | None = None) -> str:
    token = token or request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=config_of(request).secure_cookies,
        path="/",
    )
    return token


def operator_check(request: Request) -> None:
    """The single-user routes in server mode: the server admin only (session cookie or API token)."""
    who = viewer(request)
    if who.user is None:
        raise Unauthorized("this server's library and journal are its admin's: sign in as the admin")
    if not who.user.is_admin:
        raise Forbidden("only the server's admin may use its own library and journal")


# ---------------------------------------------------------------- the body limit


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413 before any endpoint reads them."""

    def __init__(self, app: Any, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def limited_receive() -> MutableMapping[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        response = JSONResponse(
            {"error": f"the request body is over {self.limit} bytes", "suggestions": []}, status_code=413
        )
        await response(scope, receive, send)
