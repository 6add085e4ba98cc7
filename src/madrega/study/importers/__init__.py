"""Importers turn what people have (the embedded corpus, Sefaria exports and API responses, lesson
pages, articles) into library rows. `import_document` is the one path the CLI and the web share
for a user's lesson or article: parse, align its Hebrew to the library, store."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from madrega.study.document import Document
    from madrega.study.library import DocumentInfo

DocumentKind = Literal["auto", "lesson", "article"]
DOCUMENT_KINDS: tuple[str, ...] = ("auto", "lesson", "article")


def parse_document(text: str, *, source: str | None = None, kind: str = "auto") -> Document:
    """A lesson when Hebrew lines alternate with their translations, else an article."""
    from madrega.errors import ImportFailed
    from madrega.study.importers import article, lesson

    if kind not in DOCUMENT_KINDS:
        raise ImportFailed(
            f"{source or 'input'}: kind {kind!r} — expected one of {', '.join(DOCUMENT_KINDS)}"
        )
    chosen = lesson.detect_kind(text) if kind == "auto" else kind
    if chosen == "lesson":
        return lesson.parse_lesson(text, source=source)
    return article.parse_article(text, source=source)


def import_document(
    conn: sqlite3.Connection, text: str, *, source: str | None = None, kind: str = "auto"
) -> DocumentInfo:
    """Parse, align the Hebrew source lines to the library's text where it says what it teaches,
    and store it in one transaction."""
    from madrega.study import library
    from madrega.study.importers.align import align_document

    doc = parse_document(text, source=source, kind=kind)
    if doc.teaches_ref:
        align_document(conn, doc, everywhere=False)
    doc_id = library.save_document(conn, doc)
    return library.document_info(conn, doc_id)
