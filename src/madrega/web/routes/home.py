"""The home page: the doors into everything else (search, gematria, link a text, recent documents)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from madrega.study import library
from madrega.web.deps import Conn
from madrega.web.render import render

router = APIRouter()
NAV: list[tuple[str, str]] = []


@router.get("/", include_in_schema=False)
def home(request: Request, conn: Conn) -> Response:
    documents = library.list_documents(conn)[:8]
    return render(request, "home.html", {"documents": documents})
