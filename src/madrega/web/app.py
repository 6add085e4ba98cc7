"""The app factory: wires the pool, templates, error pages and one router per concept.

`create_app(db_path)` is what `madrega serve`, the tests and the bench all start, so they exercise
the same app. Pages and API call the core functions the CLI calls; nothing here decides anything.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from madrega import __version__, errors
from madrega.community.statuses import STATUS_OF_KIND as COMMUNITY_STATUSES
from madrega.errors import ErrorKind, Forbidden, MadregaError
from madrega.study.importers.sefaria_fetch import make_client
from madrega.web.fetch_jobs import Fetches
from madrega.web.guard import LOOPBACK_NAMES, RequestGuard
from madrega.web.pool import ConnectionPool
from madrega.web.render import STATIC_DIR, read_url, render, templates

logger = logging.getLogger("madrega.web")


# How each kind of user mistake is answered over HTTP: the core names kinds, only the faces statuses.
# The one table is the community's (`community.statuses`); the reader's face answers an invalid value
# with 400, the status its pages and API have always given it.
STATUS_OF_KIND: dict[ErrorKind, int] = {**COMMUNITY_STATUSES, ErrorKind.INVALID: 400}

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Inline scripts and styles are never needed: imported HTML cannot run even if it slipped through.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
}


def require_operator(request: Request) -> None:
    """In server mode the library and journal are the operator's: only the server's admin reaches them.

    The community face installs the check (`app.state.operator_check`); without one, nobody does.
    """
    check = getattr(request.app.state, "operator_check", None)
    if check is None:
        raise Forbidden("this server's own library and journal are closed")
    check(request)


def create_app(
    db_path: Path | str,
    *,
    hosts: Collection[str] = LOOPBACK_NAMES,
    trusted_origins: Collection[str] = (),
    operator_only: bool = False,
    clock: Any = None,
) -> FastAPI:
    """The madrega web app over the database at `db_path` (created and migrated if needed).

    `hosts` are the Host names it answers (see `madrega.web.guard`); `operator_only` puts every
    single-user route behind the server admin's login (community server mode). `clock` (anything
    with `now()`, see `practice.calendar.Clock`) is where every page and API call takes "now" from:
    the system clock by default, a `FakeClock` in tests (a Shabbat passes without waiting for one).
    """
    pool = ConnectionPool(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        pool.close()

    app = FastAPI(
        title="madrega",
        version=__version__,
        description="Read, link, search and count Torah texts: the JSON API behind madrega's pages.",
        lifespan=lifespan,
    )
    app.state.pool = pool
    if clock is None:
        from madrega.practice.calendar import SYSTEM_CLOCK

        clock = SYSTEM_CLOCK
    app.state.clock = clock
    app.state.db_path = Path(db_path)
    # Fetches from Sefaria started from a page; tests swap the client factory for recorded answers.
    app.state.fetches = Fetches(Path(db_path), make_client)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(RequestGuard, hosts=hosts, trusted_origins=trusted_origins)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            if name == "Content-Security-Policy" and request.url.path in ("/docs", "/redoc"):
                continue  # Swagger UI loads its assets from a CDN and runs inline scripts
            response.headers.setdefault(name, value)
        return response

    @app.get("/healthz", tags=["meta"], summary="Liveness probe (the bench's trivial baseline)")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    _install_error_handlers(app)
    nav: list[tuple[str, str]] = []
    guard = [Depends(require_operator)] if operator_only else []
    for module in _route_modules():
        # Assets every page needs (the Hebrew font) stay open, as /static does.
        app.include_router(module.router, dependencies=[] if getattr(module, "PUBLIC", False) else guard)
        nav.extend(getattr(module, "NAV", []))
    templates.env.globals["nav"] = nav
    app.state.nav = list(nav)
    return app


def _route_modules() -> tuple[ModuleType, ...]:
    """The concept routers, in navigation order (imported here: an import error is a bug, never skipped)."""
    from madrega.web import prefs
    from madrega.web.routes import (
        documents,
        fonts,
        gematria,
        home,
        journal,
        link,
        reader,
        refs,
        search,
        sefaria,
        sheets,
    )

    return (home, reader, sefaria, documents, sheets, link, search, gematria, journal, refs, fonts, prefs)


def http_status(exc: MadregaError) -> int:
    """The status that answers a user mistake: its kind's."""
    return STATUS_OF_KIND[exc.kind]


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(MadregaError)
    async def madrega_error(request: Request, exc: MadregaError) -> Response:
        status = http_status(exc)
        if status == 401 and request.method == "GET" and not wants_json(request):
            return RedirectResponse("/community", status_code=303)  # the sign-in page
        return error_response(request, status, exc.message, exc.suggestions, error=exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail) if exc.status_code != 404 else "There is no page at this address."
        if exc.status_code == 404 and exc.detail not in (None, "Not Found"):
            message = str(exc.detail)
        return error_response(request, exc.status_code, message, [], headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        # A bug, not a user mistake: say so plainly, log the traceback on the server, never show it.
        logger.exception("unhandled error on %s", request.url.path, exc_info=exc)
        return error_response(request, 500, "Something went wrong on our side; it has been logged.", [])

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [f"{'.'.join(str(p) for p in e['loc'] if p != 'body')}: {e['msg']}" for e in exc.errors()]
        return error_response(request, 422, "Some of what you sent is not valid: " + "; ".join(problems), [])


def error_response(
    request: Request,
    status: int,
    message: str,
    suggestions: list[str],
    headers: Mapping[str, str] | None = None,
    error: MadregaError | None = None,
) -> Response:
    """The same error as JSON for the API, as a helpful page for a browser — never a traceback.

    What the user can do about it (the error's remedy) is worded here, in the web's own words: a work
    that is not in the library gets a button that fetches it from Sefaria, when Sefaria is reachable."""
    remedy = error.remedy if error is not None else None
    subject = error.subject if error is not None else None
    if wants_json(request):
        body: dict[str, Any] = {"error": message, "suggestions": suggestions}
        if remedy:
            body.update(remedy=remedy, subject=subject)
        return JSONResponse(body, status_code=status, headers=headers)
    can_fetch = False
    if remedy in (errors.FETCH, errors.INIT_LIBRARY) and subject:
        try:
            can_fetch = request.app.state.fetches.reachable()
        except MadregaError:  # a failed look is an unreachable Sefaria, never a second error
            can_fetch = False
    return render(
        request,
        "error.html",
        {
            "status": status,
            "message": message,
            "suggestions": suggestions,
            # Suggestions for a bad ref are refs: make each one a link to the reader.
            "suggestion_base": read_url if request.url.path.startswith("/read/") else None,
            "remedy": remedy,
            "subject": subject,
            "can_fetch": can_fetch,
            "here": request.url.path,
        },
        status_code=status,
        headers=headers,
    )
