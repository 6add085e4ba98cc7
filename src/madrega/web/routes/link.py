"""The link page: paste or upload a text, get it back with every citation linked and its sources."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from madrega.errors import MadregaError
from madrega.study import reader
from madrega.text.markup import plain_text
from madrega.web.deps import Conn
from madrega.web.present import citations_json, linked_html
from madrega.web.render import read_url, render, templates
from madrega.web.uploads import decode_text, read_text_upload

router = APIRouter()
NAV = [("Link", "/link")]
SOURCE_ROWS = 3


class LinkRequest(BaseModel):
    text: str = Field(min_length=1, max_length=2 * 1024 * 1024, description="plain text or HTML")
    context_ref: str | None = Field(default=None, description="the work the text discusses, for short refs")


def _source(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """The cited passage's first rows, for the list under the text."""
    try:
        passage = reader.read_ref(conn, ref)
    except MadregaError as exc:
        return {"ref": ref, "url": read_url(ref), "error": exc.message, "rows": []}
    rows = [
        {"ref": r.ref, **{lang: plain_text(t.text) for lang, t in r.texts.items()}}
        for r in passage.rows[:SOURCE_ROWS]
    ]
    return {
        "ref": passage.ref,
        "url": read_url(passage.ref),
        "rows": rows,
        "more": len(passage.rows) > SOURCE_ROWS,
    }


def annotate(conn: sqlite3.Connection, text: str, context_ref: str | None) -> dict[str, Any]:
    """The text linked, its citations, and each cited source (once), as the page and API show them."""
    citations = citations_json(conn, text, context_ref=context_ref)
    refs = list(dict.fromkeys(str(c.get("ref")) for c in citations if c.get("ref")))
    notes: dict[str, list[str]] = {}
    for c in citations:  # what the quoted words said of a written reference, under its source
        if c.get("note") and c["note"] not in notes.setdefault(str(c.get("ref")), []):
            notes[str(c["ref"])].append(c["note"])
    return {
        "html": linked_html(conn, text, context_ref=context_ref),
        "citations": citations,
        "sources": [{**_source(conn, r), "notes": notes.get(r, [])} for r in refs],
    }


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
