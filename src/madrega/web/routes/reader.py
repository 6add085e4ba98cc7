"""The reader: the library by work, part and chapter; a passage with Hebrew beside its translation."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from madrega.study import connections, library, reader, shelves
from madrega.study.linker import Citation
from madrega.study.linker import queue as link_queue
from madrega.study.linker import stage as link_stage
from madrega.text.markup import insert_at_offsets
from madrega.web.deps import Conn
from madrega.web.prefs import LAYOUTS, Prefs, local_path, remember
from madrega.web.present import linked_html, linked_with, strip_for_display
from madrega.web.render import read_url, render

router = APIRouter()
NAV = [("Library", "/library")]

Niqqud = Annotated[bool, Query(description="show vowel points (0 hides them, and the accents with them)")]
Cantillation = Annotated[bool, Query(description="show the accents (ta'amim)")]
Layout = Annotated[str, Query(description="he, en, side (side by side) or stacked")]
Back = Annotated[str | None, Query(description="the page (and place) to offer a way back to")]


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


def segment_url(ref: str, **params: Any) -> str:
    """Where a library segment is read: its chapter (or page), scrolled to the segment."""
    return read_url(reader.chapter_of(ref), **params) + "#" + _anchor(ref)


def _text_html(
    conn: sqlite3.Connection,
    text: reader.Text,
    row: ShownRow,
    *,
    niqqud: bool,
    cantillation: bool,
    stored: dict[str, list[Citation]] | None,
    back: str | None = None,
) -> Markup:
    """One version's text of a row: citations linked when it has any, else its own inline marks and
    footnote markers; niqqud/cantillation stripped as asked. A linked version's citations are its
    stored anchors; one still waiting for the link job is linked here for written references only."""
    if stored is not None:
        linked = linked_with(text.text, stored.get(row.ref, []), back=back)
    else:
        linked = linked_html(conn, text.text, context_ref=row.ref, quotations=False, back=back)
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
    conn: sqlite3.Connection,
    passage: reader.Passage,
    *,
    niqqud: bool,
    cantillation: bool,
    langs: tuple[str, ...] = reader.LANGS,
    back: str | None = None,
) -> list[ShownRow]:
    refs = [r.ref for r in passage.rows]
    versions = {t.version_id for r in passage.rows for t in r.texts.values()}
    stored = {vid: link_stage.stored_citations(conn, vid, refs) for vid in versions}
    rows = []
    for r in passage.rows:
        row = ShownRow(r.ref, _anchor(r.ref))
        for lang, text in r.texts.items():
            if lang not in langs:
                continue
            html = _text_html(
                conn,
                text,
                row,
                niqqud=niqqud,
                cantillation=cantillation,
                stored=stored[text.version_id],
                back=f"{back}#{row.anchor}" if back else None,
            )
            setattr(row, lang, html)
        rows.append(row)
    return rows


def _he_ref(ref: str) -> str | None:
    from madrega import refs

    try:
        return refs.parse(ref).he()
    except refs.RefError:  # refs may not know every work the library holds
        return None


def _neighbours(conn: sqlite3.Connection, passage: reader.Passage) -> tuple[str | None, str | None]:
    return reader.neighbours(conn, passage.work, passage.rows[0].ref, passage.rows[-1].ref)


# ----------------------------------------------------------------------------------- pages


@router.get("/library", include_in_schema=False)
def library_page(request: Request, conn: Conn) -> Response:
    context = {"shelves": shelves.shelves(conn), "linking": link_queue.progress(conn)}
    return render(request, "library.html", context)


@router.get("/library/{work}", include_in_schema=False)
def work_page(request: Request, conn: Conn, work: str) -> Response:
    info = library.get_work(conn, work)
    return render(request, "work.html", {"work": info, "parts": reader.contents(conn, info.title)})


@router.get("/read/{ref:path}", include_in_schema=False)
def read_page(
    request: Request,
    conn: Conn,
    ref: str,
    niqqud: Niqqud | None = None,
    cantillation: Cantillation | None = None,
    layout: Layout | None = None,
    back: Back = None,
) -> Response:
    prefs = Prefs.of(request)
    passage = reader.read_ref(conn, ref)
    prev, nxt = _neighbours(conn, passage)
    chapter = reader.chapter_of(passage.rows[0].ref)
    here = read_url(passage.ref)
    langs = {"he": ("he",), "en": ("en",)}.get(prefs.layout, reader.LANGS)
    if not any(lang in passage.langs for lang in langs):
        langs = reader.LANGS  # a layout of one language the passage does not have: show what it has
    shown = shown_rows(
        conn, passage, niqqud=prefs.niqqud, cantillation=prefs.cantillation, langs=langs, back=here
    )
    context = {
        "passage": passage,
        "he_ref": _he_ref(passage.ref),
        "rows": shown,
        "two_columns": sum(lang in passage.langs for lang in langs) > 1,
        "niqqud": prefs.niqqud,
        "cantillation": prefs.cantillation,
        "layout": prefs.layout,
        "layouts": LAYOUTS,
        "prev": prev,
        "next": nxt,
        "chapter": chapter if chapter != passage.ref else None,
        "connections": connections.connections(conn, passage.ref, rows=[r.ref for r in passage.rows]),
        "linking": link_queue.progress(conn),
        "here": here,
        "back": local_path(back),
        "segment_url": segment_url,
    }
    return remember(request, render(request, "reader.html", context))


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


@router.get(
    "/api/connections/{ref:path}",
    tags=["library"],
    summary="A passage's connections: the texts citing or quoting it, by category, and its commentaries",
)
def api_connections(conn: Conn, ref: str) -> dict[str, Any]:
    passage = reader.read_ref(conn, ref)
    found = connections.connections(conn, passage.ref, rows=[r.ref for r in passage.rows])
    data = found.to_json()
    progress = link_queue.progress(conn)
    data["linking"] = progress.to_json() if progress else None
    return data
