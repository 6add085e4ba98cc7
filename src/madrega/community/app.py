"""The community face mounted on a web app: its API and pages, the body limit, and the answer to
every community error — the one place a community error's kind becomes an HTTP status.

`mount_community(app, database_url)` adds it to the madrega web app (what `madrega serve
--database postgresql://…` does); `create_community_app` makes a bare app with only this face.
"""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from madrega import db
from madrega.community import accounts, api, pages, schema
from madrega.community.backend import CommunityError, open_backend
from madrega.community.http import BodyLimit, CommunityConfig, operator_check
from madrega.community.statuses import STATUS_OF_KIND
from madrega.errors import ErrorKind

RETRY_LATER = (ErrorKind.TOO_MANY, ErrorKind.UNAVAILABLE)


def status_of(exc: CommunityError) -> int:
    return STATUS_OF_KIND[exc.kind]


def mount_community(
    app: FastAPI,
    database_url: str,
    *,
    secure_cookies: bool = True,
    hasher: PasswordHasher | None = None,
) -> CommunityConfig:
    """Add the community API and pages to `app`, over the database at `database_url` (migrated now)."""
    backend = open_backend(database_url)
    schema.migrate(backend)
    cfg = CommunityConfig(backend, hasher or accounts.default_hasher(), secure_cookies)
    app.state.community = cfg
    app.state.operator_check = operator_check
    nav = getattr(app.state, "nav", None)
    if nav is not None and ("Together", "/community") not in nav:
        nav.append(("Together", "/community"))
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(BodyLimit)

    @app.exception_handler(CommunityError)
    async def community_error(request: Request, exc: CommunityError) -> Response:
        status = status_of(exc)
        headers = {"Retry-After": "2"} if exc.kind in RETRY_LATER else None
        if (
            exc.kind is ErrorKind.UNAUTHORIZED
            and request.method == "GET"
            and not request.url.path.startswith("/api/")
        ):
            return RedirectResponse("/community", status_code=303)  # a page that needs you: sign in first
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": exc.message, "suggestions": exc.suggestions},
                status_code=status,
                headers=headers,
            )
        return pages.error_page(request, status, exc.message, headers)

    @app.exception_handler(db.StorageError)
    async def storage_error(request: Request, exc: db.StorageError) -> Response:
        """The community's SQLite file is full, read-only or gone: refused, nothing acknowledged."""
        if request.url.path.startswith("/api/"):
            body = {"error": exc.message, "suggestions": exc.suggestions}
            return JSONResponse(body, status_code=STATUS_OF_KIND[exc.kind], headers={"Retry-After": "5"})
        return pages.error_page(request, STATUS_OF_KIND[exc.kind], exc.message, {"Retry-After": "5"})

    return cfg


def create_community_app(database_url: str, **options: Any) -> FastAPI:
    """A bare app with only the community face (tests, the bench; `madrega serve` uses the full app)."""
    app = FastAPI(title="madrega community")
    mount_community(app, database_url, **options)
    return app
