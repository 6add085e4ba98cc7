"""The reader: the library by work, part and chapter; a passage with Hebrew beside its translation."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from madrega.study import library, reader
from madrega.text.markup import insert_at_offsets
from madrega.web.deps import Conn
from madrega.web.present import linked_html, strip_for_display
from madrega.web.render import read_url, render

router = APIRouter()
NAV = [("Library", "/library")]

Niqqud = Annotated[bool, Query(description="show vowel points (0 hides them, and the accents with them)")]
Cantillation = Annotated[bool, Query(description="show the accents (ta'amim)")]


@dataclass
class Note:
    lang: str
    marker: str
    text: str
    anchor: str


@dataclass
class ShownRow:
    ref: str
    anchor: str
    he: Markup | None = None
    en: Markup | None = None
    notes: list[Note] = field(default_factory=list)


def _anchor(ref: str) -> str:
    return "s-" + "".join(ch if ch.isalnum() else "-" for ch in ref.rsplit(" ", 1)[-1])


def _text_html(
    conn: sqlite3.Connection, text: reader.Text, row: ShownRow, *, niqqud: bool, cantillation: bool
) -> Markup:
    """One version's text of a row: citations linked when it has any, else its own inline marks and
    footnote markers; niqqud/cantillation stripped as asked."""
    linked = linked_html(conn, text.text, context_ref=row.ref, quotations=False)
    if "<a " not in linked:
        html = str(linked)  # already the sanitized text: no citation was linked
        inserts = []
        for n, f in enumerate(text.footnotes, start=1):
            marker = str(f.get("marker") or n)
            anchor = f"fn-{row.anchor}-{text.lang}-{n}"
            row.notes.append(Note(text.lang, marker, str(f.get("text") or ""), anchor))
            inserts.append(
                (
                    int(f.get("offset", len(html))),
                    f'<sup class="fn"><a href="#{anchor}">{escape(marker)}</a></sup>',
                )
            )
        linked = Markup(insert_at_offsets(html, inserts))
    if text.lang == "he":
        linked = Markup(strip_for_display(str(linked), niqqud=niqqud, cantillation=cantillation))
    return linked


def shown_rows(
    conn: sqlite3.Connection, passage: reader.Passage, *, niqqud: bool, cantillation: bool
) -> list[ShownRow]:
    rows = []
    for r in passage.rows:
        row = ShownRow(r.ref, _anchor(r.ref))
        for lang, text in r.texts.items():
            setattr(row, lang, _text_html(conn, text, row, niqqud=niqqud, cantillation=cantillation))
        rows.append(row)
    return rows


def _he_ref(ref: str) -> str | None:
    try:
        from madrega import refs

        return refs.parse(ref).he()
    except Exception:  # refs may not know every work the library holds
        return None


def _neighbours(conn: sqlite3.Connection, passage: reader.Passage) -> tuple[str | None, str | None]:
    return reader.neighbours(conn, passage.work, passage.rows[0].ref, passage.rows[-1].ref)


# ----------------------------------------------------------------------------------- pages


@router.get("/library", include_in_schema=False)
def library_page(request: Request, conn: Conn) -> Response:
    by_category: dict[str, list[library.WorkInfo]] = defaultdict(list)
    for work in library.list_works(conn):
        by_category[work.category].append(work)
    return render(request, "library.html", {"categories": dict(by_category)})


@router.get("/library/{work}", include_in_schema=False)
def work_page(request: Request, conn: Conn, work: str) -> Response:
    info = library.get_work(conn, work)
    return render(request, "work.html", {"work": info, "parts": reader.contents(conn, info.title)})


@router.get("/read/{ref:path}", include_in_schema=False)
def read_page(
    request: Request, conn: Conn, ref: str, niqqud: Niqqud = True, cantillation: Cantillation = True
) -> Response:
    passage = reader.read_ref(conn, ref)
    prev, nxt = _neighbours(conn, passage)
    chapter = reader.chapter_of(passage.rows[0].ref)
    context = {
        "passage": passage,
        "he_ref": _he_ref(passage.ref),
        "rows": shown_rows(conn, passage, niqqud=niqqud, cantillation=cantillation),
        "two_columns": len(passage.langs) > 1,
        "niqqud": niqqud,
        "cantillation": cantillation,
        "prev": prev,
        "next": nxt,
        "chapter": chapter if chapter != passage.ref else None,
        "cited_by": _cited_by(conn, passage.ref),
    }
    return render(request, "reader.html", context)


def _cited_by(conn: sqlite3.Connection, ref: str) -> list[Any]:
    try:
        from madrega.study import linker

        found = linker.cited_by(conn, ref)
    except (ImportError, AttributeError):
        return []
    return [c.to_json() if hasattr(c, "to_json") else c for c in found][:50]


# ------------------------------------------------------------------------------------- API


@router.get("/api/library", tags=["library"], summary="The works and your imported documents")
def api_library(conn: Conn) -> dict[str, Any]:
    return library.overview(conn)


@router.get("/api/works", tags=["library"], summary="Works in the library with their versions")
def api_works(conn: Conn) -> list[dict[str, Any]]:
    return [w.to_json() for w in library.list_works(conn)]


@router.get("/api/works/{work}", tags=["library"], summary="A work: versions, parts and chapters")
def api_work(conn: Conn, work: str) -> dict[str, Any]:
    return reader.describe_work(conn, work)


@router.get("/api/works/{work}/contents", tags=["library"], summary="A work's parts and their chapters")
def api_contents(conn: Conn, work: str) -> list[dict[str, Any]]:
    return [p.to_json() for p in reader.contents(conn, work)]


@router.get("/api/text/{ref:path}", tags=["library"], summary="A passage: Hebrew and translation by ref")
def api_text(
    conn: Conn,
    ref: str,
    niqqud: Niqqud = True,
    cantillation: Cantillation = True,
    preview: Annotated[bool, Query(description="only the first few segments (for hover previews)")] = False,
) -> dict[str, Any]:
    passage = reader.read_ref(conn, ref)
    total = len(passage.rows)
    if preview:
        passage.rows = passage.rows[:3]
    data = passage.to_json()
    for seg in data["segments"]:
        if seg["lang"] == "he":
            seg["plain"] = strip_for_display(seg["plain"], niqqud=niqqud, cantillation=cantillation)
    prev, nxt = _neighbours(conn, passage)
    data.update(
        he_ref=_he_ref(passage.ref),
        url=read_url(passage.ref),
        rows=total,
        truncated=len(passage.rows) < total,
        prev=prev,
        next=nxt,
    )
    return data
