"""The link page: paste or upload a text, get it back with every citation linked and its sources."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from markupsafe import Markup
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from madrega.errors import MadregaError
from madrega.study.linker import link_markup
from madrega.study.linker.report import report
from madrega.text.markup import plain_text, sanitize
from madrega.web.deps import Conn
from madrega.web.render import read_url, render, templates
from madrega.web.uploads import decode_text, read_text_upload

router = APIRouter()
NAV = [("Link", "/link")]


class LinkRequest(BaseModel):
    text: str = Field(min_length=1, max_length=2 * 1024 * 1024, description="plain text or HTML")
    context_ref: str | None = Field(default=None, description="the work the text discusses, for short refs")


def annotate(conn: sqlite3.Connection, text: str, context_ref: str | None) -> dict[str, Any]:
    """The text linked (once), its citations, and each cited source, as the page and the API show them."""
    markup = sanitize(text).text
    linked = report(conn, plain_text(markup), context_ref=context_ref)
    html = link_markup(markup, linked.citations) if linked.citations else markup
    data = linked.to_json()
    for source in data["sources"]:
        source["url"] = read_url(source["ref"])
    return {"html": Markup(html), **data}


async def _input(upload: UploadFile | None, text: str | None) -> tuple[str, str]:
    if upload is not None and upload.filename:
        return await read_text_upload(upload)
    if text and text.strip():
        return "pasted text", decode_text("pasted text", text.encode("utf-8"))
    raise MadregaError("paste a text or choose a file to link")


@router.get("/link", include_in_schema=False)
def link_form(request: Request) -> Response:
    return render(request, "link.html", {"text": "", "context_ref": ""})


@router.post("/link", include_in_schema=False)
async def link_submit(
    request: Request,
    conn: Conn,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str | None, Form()] = None,
    context_ref: Annotated[str | None, Form()] = None,
    download: Annotated[Literal["", "html", "json"], Form()] = "",
) -> Response:
    name, body = await _input(file, text)
    result = await run_in_threadpool(annotate, conn, body, context_ref or None)
    if download == "json":
        payload = {
            "source": name,
            "text": body,
            "citations": result["citations"],
            "sources": result["sources"],
        }
        return Response(
            json.dumps(payload, ensure_ascii=False, indent=2),
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="linked.json"'},
        )
    context = {"text": body, "context_ref": context_ref or "", "source": name, **result}
    if download == "html":
        html = templates.get_template("linked_export.html").render(context)
        return Response(
            html,
            media_type="text/html; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="linked.html"'},
        )
    return render(request, "link.html", context)


@router.post("/api/link", tags=["linker"], summary="Find the citations in a text and link them")
def api_link(conn: Conn, body: LinkRequest) -> dict[str, Any]:
    result = annotate(conn, body.text, body.context_ref)
    result["html"] = str(result["html"])
    return result
