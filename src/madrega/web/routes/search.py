"""Search: Hebrew prefix-aware and English full text over the library and imported documents."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from madrega.errors import MadregaError
from madrega.study import search
from madrega.text import hebrew
from madrega.web.deps import Conn
from madrega.web.render import read_url, render

router = APIRouter()
NAV = [("Search", "/search")]
PAGE_SIZE = 20

Lang = Annotated[str | None, Query(description="he or en: only hits in that language")]


def hit_url(hit: search.Hit) -> str:
    return f"/documents/{hit.document}" if hit.document else read_url(hit.ref)


def _as_ref(conn: sqlite3.Connection, q: str) -> str | None:
    """When the query is itself a reference the library holds, offer to open it."""
    from madrega.study import reader

    try:
        return reader.read_ref(conn, q).ref
    except MadregaError:  # not a ref, or not in the library: nothing to offer
        return None


def _hints(q: str, work: str | None, category: str | None, lang: str | None) -> list[str]:
    hints = []
    if work or category or lang:
        hints.append("remove the filters (work, category, language) to search the whole library")
    if hebrew.MARKS_RE.search(q):
        hints.append("vowel points are ignored, so the unpointed word finds the same places")
    hints.append("try fewer words, or a word's root form; Hebrew prefixes (ו, ה, ב, ל, מ, ש, כ) are matched")
    return hints


@router.get("/search", include_in_schema=False)
def search_page(
    request: Request,
    conn: Conn,
    q: str = "",
    work: str | None = None,
    category: str | None = None,
    lang: Lang = None,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    context: dict[str, Any] = {"q": q, "work": work or "", "category": category or "", "lang": lang or ""}
    if q.strip():
        result = search.search(
            conn,
            q,
            work=work or None,
            category=category or None,
            lang=lang or None,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        context.update(
            result=result,
            # snippets are the search module's own output: text HTML-escaped, matches in <mark>
            hits=[(h, hit_url(h), Markup(h.snippet)) for h in result.hits],
            page=page,
            pages=max(1, -(-result.total // PAGE_SIZE)),
            as_ref=_as_ref(conn, q) if not result.hits or page == 1 else None,
            hints=[] if result.total else _hints(q, work, category, lang),
        )
    return render(request, "search.html", context)


@router.get("/api/search", tags=["search"], summary="Full-text search with snippets")
def api_search(
    conn: Conn,
    q: Annotated[str, Query(min_length=1)],
    work: str | None = None,
    category: str | None = None,
    lang: Lang = None,
    limit: Annotated[int, Query(ge=0, le=200)] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    result = search.search(conn, q, work=work, category=category, lang=lang, limit=limit, offset=offset)
    data = result.to_json()
    data.update(query=q, limit=limit, offset=offset)
    for hit, item in zip(result.hits, data["hits"], strict=True):
        item["url"] = hit_url(hit)
    return data
