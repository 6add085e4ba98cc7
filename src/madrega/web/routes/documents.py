"""Imported lessons and articles: list, read (source beside translation, commentary below), import."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from madrega.errors import ErrorKind
from madrega.study import library
from madrega.study.document import Block, DocSegment, Document
from madrega.study.linker import Citation
from madrega.study.linker import stage as link_stage
from madrega.study.pipeline import import_document
from madrega.web.deps import Conn
from madrega.web.prefs import local_path
from madrega.web.present import linked_with
from madrega.web.render import render
from madrega.web.uploads import UploadRejected, decode_text, read_text_upload

router = APIRouter()
NAV = [("Documents", "/documents")]

Kind = Literal["auto", "lesson", "article"]


@dataclass
class Shown:
    """A segment ready for a page: its role, language and linked HTML."""

    role: str
    lang: str
    html: Markup
    ref: str | None = None
    number: int = 0  # the segment's place in the document (its anchor on the page: seg-N)


def _shown(seg: DocSegment, number: int, citations: list[Citation], back: str | None) -> Shown:
    return Shown(seg.role, seg.lang, linked_with(seg.text, citations, back=back), seg.ref, number)


def blocks(
    conn: sqlite3.Connection, doc: Document, doc_id: int, *, back: str | None = None
) -> list[Block[Shown]]:
    """The document's blocks (grouped by the core) with each segment made linked HTML. Citations are
    the ones the link stage stored when it was imported: nothing is linked here."""
    stored = link_stage.document_citations(conn, doc_id)
    number_of = {id(seg): n for n, seg in enumerate(doc.segments, start=1)}

    def show(seg: DocSegment) -> Shown:
        n = number_of[id(seg)]
        return _shown(seg, n, stored.get(n, []), f"{back}#seg-{n}" if back else None)

    return [b.map(show) for b in doc.blocks()]


def import_text(
    conn: sqlite3.Connection, text: str, source: str, kind: Kind, title: str | None = None
) -> library.DocumentInfo:
    return import_document(conn, text, source=source, kind=kind, title=title)


async def _form_text(upload: UploadFile | None, text: str | None) -> tuple[str, str]:
    if upload is not None and upload.filename:
        return await read_text_upload(upload)
    if text and text.strip():
        return "pasted text", decode_text("pasted text", text.encode("utf-8"))
    raise UploadRejected("choose a file to upload or paste a text to import", kind=ErrorKind.INVALID)


# ----------------------------------------------------------------------------------- pages


@router.get("/documents", include_in_schema=False)
def documents_page(request: Request, conn: Conn) -> Response:
    docs = list(reversed(library.list_documents(conn)))
    return render(request, "documents.html", {"documents": docs})


@router.get("/documents/import", include_in_schema=False)
def import_form(request: Request) -> Response:
    return render(request, "import.html", {})


@router.post("/documents/import", include_in_schema=False)
async def import_submit(
    conn: Conn,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str | None, Form()] = None,
    kind: Annotated[Kind, Form()] = "auto",
    title: Annotated[str | None, Form()] = None,
) -> Response:
    source, body = await _form_text(file, text)
    info = await run_in_threadpool(import_text, conn, body, source, kind, title)
    return RedirectResponse(f"/documents/{quote(info.slug)}", status_code=303)


@router.get("/documents/{slug}", include_in_schema=False)
def document_page(request: Request, conn: Conn, slug: str, back: str | None = None) -> Response:
    info = library.document_info(conn, slug)
    doc = library.load_document(conn, info.id)
    here = f"/documents/{info.slug}"
    context = {
        "info": info,
        "doc": doc,
        "blocks": blocks(conn, doc, info.id, back=here),
        "linked": link_stage.is_linked(conn, "document", info.id),
        "back": local_path(back),
    }
    return render(request, "document.html", context)


# ------------------------------------------------------------------------------------- API


@router.get("/api/documents", tags=["documents"], summary="Imported documents, newest first")
def api_documents(conn: Conn) -> list[dict[str, Any]]:
    return [d.to_json() for d in reversed(library.list_documents(conn))]


@router.get("/api/documents/{slug}", tags=["documents"], summary="A document: segments, pairs, citations")
def api_document(conn: Conn, slug: str) -> dict[str, Any]:
    info = library.document_info(conn, slug)
    doc = library.load_document(conn, info.id)
    data = doc.to_json()
    data.update(info.to_json())
    stored = link_stage.document_citations(conn, info.id)
    data["citations"] = [
        {"segment": number - 1, "citations": [c.to_json() for c in cites]}
        for number, cites in sorted(stored.items())
    ]
    return data


@router.post("/api/documents", tags=["documents"], status_code=201, summary="Import a lesson or article")
async def api_import(
    conn: Conn,
    file: Annotated[UploadFile | None, File(description="a .txt or .html file, UTF-8, at most 2 MB")] = None,
    text: Annotated[str | None, Form(description="or the text itself")] = None,
    kind: Annotated[Kind, Form()] = "auto",
    title: Annotated[
        str | None, Form(description="the document's title (default: read from the text)", max_length=300)
    ] = None,
) -> JSONResponse:
    source, body = await _form_text(file, text)
    info = await run_in_threadpool(import_text, conn, body, source, kind, title)
    # A slug may be Hebrew: headers are Latin-1, so the address is percent-encoded (it still reads back).
    location = f"/api/documents/{quote(info.slug)}"
    return JSONResponse(info.to_json(), status_code=201, headers={"Location": location})
