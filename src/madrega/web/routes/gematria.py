"""Gematria: the value of a word by every method, and the words in the library that share it."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from madrega.text import gematria
from madrega.web.deps import Conn
from madrega.web.render import render

router = APIRouter()
NAV = [("Gematria", "/gematria")]

Method = Annotated[str, Query(description="a gematria method (see /api/gematria/methods)")]


def _target(q: str, method: str) -> tuple[int, dict[str, int]]:
    """The number asked about: digits as given, else the text's value (and its value by every method)."""
    number = gematria.read_number(q)
    if number is not None:
        return number, {}
    gematria.get_method(method)  # an unknown method is a user mistake with suggestions
    by_method = gematria.report(q.strip())["values"]
    return by_method[gematria.get_method(method).name], by_method


PAGE_SIZE = 50


def _lookup(
    conn: sqlite3.Connection,
    number: int,
    method: str,
    work: str | None,
    max_words: int,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> tuple[list[Any], int]:
    """One page of the words and phrases with the value, and how many there are in all."""
    from madrega.study import search  # imported on the first lookup, not when the server starts

    scope_work, scope_category = search.resolve_in(conn, work) if work else (None, None)
    found = search.gematria_lookup(
        conn,
        number,
        method=method,
        work=scope_work,
        category=scope_category,
        max_words=max_words,
        limit=limit,
        offset=offset,
    )
    return list(found.matches), found.total


@router.get("/gematria", include_in_schema=False)
def gematria_page(
    request: Request,
    conn: Conn,
    q: str = "",
    method: str = "standard",
    work: str | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    context: dict[str, Any] = {
        "q": q,
        "method": method,
        "work": work or "",
        "methods": gematria.METHODS,
    }
    if q.strip():
        number, by_method = _target(q, method)
        matches, total = _lookup(conn, number, method, work, 3, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        context.update(
            value=number,
            by_method=by_method,
            matches=matches,
            total=total,
            page=page,
            pages=max(1, -(-total // PAGE_SIZE)),
            first=(page - 1) * PAGE_SIZE + 1,
        )
    return render(request, "gematria.html", context)


@router.get("/api/gematria/methods", tags=["gematria"], summary="The gematria methods")
def api_methods() -> list[dict[str, str]]:
    return [
        {"name": m.name, "hebrew": m.hebrew, "description": m.description} for m in gematria.METHODS.values()
    ]


@router.get("/api/gematria", tags=["gematria"], summary="Value of a Hebrew word or phrase")
def api_value(q: Annotated[str, Query(min_length=1)], method: Method = "standard") -> dict[str, Any]:
    number, by_method = _target(q, method)
    return {
        "text": q.strip(),
        "values": by_method,
        "method": gematria.get_method(method).name,
        "value": number,
        "by_method": by_method,
    }


@router.get(
    "/api/gematria/lookup", tags=["gematria"], summary="Words and phrases in the library with a value"
)
def api_lookup(
    conn: Conn,
    q: Annotated[str, Query(min_length=1, description="a number, or a Hebrew word whose value to use")],
    method: Method = "standard",
    work: Annotated[str | None, Query(description="a work title or a category")] = None,
    max_words: Annotated[int, Query(ge=1, le=4)] = 3,
    limit: Annotated[int, Query(ge=1, le=500, description="matches per page")] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    number, _ = _target(q, method)
    matches, total = _lookup(conn, number, method, work, max_words, limit, offset)
    return {
        "value": number,
        "method": method,
        "total": total,
        "limit": limit,
        "offset": offset,
        "matches": [m.to_json() for m in matches],
    }
