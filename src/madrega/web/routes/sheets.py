"""Source sheets: a list, a page per sheet (add refs and notes, reorder, drop), exports, and the API
(the core is `madrega.study.sheets`; nothing is decided here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from madrega.errors import MadregaError
from madrega.study import library, sheets
from madrega.study.sheets import export
from madrega.web.deps import Conn
from madrega.web.render import render

router = APIRouter()
NAV = [("Sheets", "/sheets")]


@dataclass
class ShownItem:
    item: sheets.Item
    source: sheets.Source | None = None


def _back(slug: str, number: int | None = None) -> RedirectResponse:
    return RedirectResponse(f"/sheets/{quote(slug)}" + (f"#item-{number}" if number else ""), status_code=303)


def _number(value: str | int | None, what: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise MadregaError(f"{what} must be a number, not {value!r}") from None


# ----------------------------------------------------------------------------------- pages


@router.get("/sheets", include_in_schema=False)
def sheets_page(request: Request, conn: Conn) -> Response:
    context = {"sheets": sheets.list_sheets(conn), "documents": list(reversed(library.list_documents(conn)))}
    return render(request, "sheets.html", context)


@router.post("/sheets", include_in_schema=False)
def create_sheet(conn: Conn, title: Annotated[str, Form()] = "") -> Response:
    return _back(sheets.new(conn, title).slug)


@router.post("/sheets/from-document", include_in_schema=False)
def sheet_from_document(conn: Conn, document: Annotated[str, Form()] = "") -> Response:
    return _back(sheets.from_document(conn, document).slug)


@router.get("/sheets/{slug}", include_in_schema=False)
def sheet_page(request: Request, conn: Conn, slug: str) -> Response:
    sheet = sheets.load(conn, slug)
    shown = [ShownItem(i, sheets.resolve(conn, i) if i.kind == "source" else None) for i in sheet.items]
    return render(request, "sheet.html", {"sheet": sheet, "items": shown, "formats": export.FORMATS})


@router.post("/sheets/{slug}/add", include_in_schema=False)
def add_to_sheet(
    conn: Conn,
    slug: str,
    ref: Annotated[str | None, Form()] = None,
    note: Annotated[str | None, Form()] = None,
    at: Annotated[str | None, Form()] = None,
) -> Response:
    position = _number(at, "the position") if at and at.strip() else None
    if ref and ref.strip():
        item = sheets.add_source(conn, slug, ref, at=position)
    elif note and note.strip():
        item = sheets.add_note(conn, slug, note, at=position)
    else:
        raise MadregaError("give a ref to add, or write a note")
    return _back(slug, item.number)


@router.post("/sheets/{slug}/move", include_in_schema=False)
def move_in_sheet(
    conn: Conn, slug: str, number: Annotated[str, Form()] = "", to: Annotated[str, Form()] = ""
) -> Response:
    n, t = _number(number, "the item"), _number(to, "the position")
    sheets.move(conn, slug, n, t)
    return _back(slug, t)


@router.post("/sheets/{slug}/drop", include_in_schema=False)
def drop_from_sheet(conn: Conn, slug: str, number: Annotated[str, Form()] = "") -> Response:
    sheets.remove_item(conn, slug, _number(number, "the item"))
    return _back(slug)


@router.get("/sheets/{slug}/export.{fmt}", tags=["sheets"], summary="A sheet as html, pdf, epub or json")
def export_sheet(request: Request, conn: Conn, slug: str, fmt: str, base: str | None = None) -> Response:
    """Links in the export go to this reader (`base`, by default the address the page was asked at)."""
    sheet = sheets.load(conn, slug)
    base_url = base if base is not None else str(request.base_url).rstrip("/")
    data = export.export(conn, sheet, fmt, base_url=base_url or None)
    headers = {"Content-Disposition": f'attachment; filename="{sheet.info.slug}.{fmt}"'}
    if fmt == "html":  # its own styles are inside it: let them apply if it is opened from here
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return Response(data, media_type=export.MEDIA_TYPES[fmt], headers=headers)


# ------------------------------------------------------------------------------------- API


class NewSheet(BaseModel):
    title: str
    document: str | None = None


class NewItem(BaseModel):
    ref: str | None = None
    note: str | None = None
    at: int | None = None


class Move(BaseModel):
    number: int
    to: int


@router.get("/api/sheets", tags=["sheets"], summary="Source sheets, most recently changed first")
def api_sheets(conn: Conn) -> list[dict[str, Any]]:
    return [s.to_json() for s in sheets.list_sheets(conn)]


@router.post("/api/sheets", tags=["sheets"], status_code=201, summary="A new sheet (of a document, if named)")
def api_new_sheet(conn: Conn, body: NewSheet) -> JSONResponse:
    info = (
        sheets.from_document(conn, body.document, title=body.title or None)
        if body.document
        else sheets.new(conn, body.title)
    )
    return JSONResponse(
        info.to_json(), status_code=201, headers={"Location": f"/api/sheets/{quote(info.slug)}"}
    )


@router.get("/api/sheets/{slug}", tags=["sheets"], summary="A sheet, each source with its passage")
def api_sheet(conn: Conn, slug: str) -> dict[str, Any]:
    return export.to_json(conn, sheets.load(conn, slug))


@router.post("/api/sheets/{slug}/items", tags=["sheets"], status_code=201, summary="Add a ref or a note")
def api_add(conn: Conn, slug: str, body: NewItem) -> dict[str, Any]:
    if (body.ref is None) == (body.note is None):
        raise MadregaError("give either a ref or a note")
    item = (
        sheets.add_source(conn, slug, body.ref, at=body.at)
        if body.ref is not None
        else sheets.add_note(conn, slug, body.note or "", at=body.at)
    )
    return item.to_json()


@router.post("/api/sheets/{slug}/move", tags=["sheets"], summary="Move an item to another position")
def api_move(conn: Conn, slug: str, body: Move) -> dict[str, Any]:
    sheets.move(conn, slug, body.number, body.to)
    return export.to_json(conn, sheets.load(conn, slug))


@router.delete("/api/sheets/{slug}/items/{number}", tags=["sheets"], summary="Drop an item")
def api_drop(conn: Conn, slug: str, number: int) -> dict[str, Any]:
    sheets.remove_item(conn, slug, number)
    return export.to_json(conn, sheets.load(conn, slug))
