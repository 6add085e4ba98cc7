"""Imported lessons and articles: list, read (source beside translation, commentary below), import."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from madrega.study import library
from madrega.study.document import Block, DocSegment, Document
from madrega.study.pipeline import import_document
from madrega.web.deps import Conn
from madrega.web.present import citations_json, linked_html
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


def _shown(conn: sqlite3.Connection, seg: DocSegment, context_ref: str | None) -> Shown:
    return Shown(seg.role, seg.lang, linked_html(conn, seg.text, context_ref=seg.ref or context_ref), seg.ref)


def blocks(conn: sqlite3.Connection, doc: Document) -> list[Block[Shown]]:
    """The document's blocks (grouped by the core) with each segment made linked HTML."""
    return [b.map(lambda seg: _shown(conn, seg, doc.teaches_ref)) for b in doc.blocks()]


def import_text(conn: sqlite3.Connection, text: str, source: str, kind: Kind) -> library.DocumentInfo:
    return import_document(conn, text, source=source, kind=kind)


async def _form_text(upload: UploadFile | None, text: str | None) -> tuple[str, str]:
    if upload is not None and upload.filename:
        return await read_text_upload(upload)
    if text and text.strip():
        return "pasted text", decode_text("pasted text", text.encode("utf-8"))
    raise UploadRejected("choose a file to upload or paste a text to import", status=400)


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
) -> Response:
    source, body = await _form_text(file, text)
    info = await run_in_threadpool(import_text, conn, body, source, kind)
    return RedirectResponse(f"/documents/{info.slug}", status_code=303)


@router.get("/documents/{slug}", include_in_schema=False)
def document_page(request: Request, conn: Conn, slug: str) -> Response:
    info = library.document_info(conn, slug)
    doc = library.load_document(conn, info.id)
    return render(request, "document.html", {"info": info, "doc": doc, "blocks": blocks(conn, doc)})


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
    data["citations"] = [
        {"segment": i, "citations": cites}
        for i, seg in enumerate(doc.segments)
        if (cites := citations_json(conn, seg.text, context_ref=seg.ref or doc.teaches_ref))
    ]
    return data


@router.post("/api/documents", tags=["documents"], status_code=201, summary="Import a lesson or article")
async def api_import(
    conn: Conn,
    file: Annotated[UploadFile | None, File(description="a .txt or .html file, UTF-8, at most 2 MB")] = None,
    text: Annotated[str | None, Form(description="or the text itself")] = None,
    kind: Annotated[Kind, Form()] = "auto",
) -> JSONResponse:
    source, body = await _form_text(file, text)
    info = await run_in_threadpool(import_text, conn, body, source, kind)
    return JSONResponse(info.to_json(), status_code=201, headers={"Location": f"/api/documents/{info.slug}"})
