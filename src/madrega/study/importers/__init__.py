"""Importers turn what people have (the embedded corpus, Sefaria exports and API responses, lesson
pages, articles) into library rows. `parse_document` reads a user's lesson or article; the import
itself is `madrega.study.pipeline.import_document`, the one path the CLI and the web share."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from madrega.errors import ImportFailed

if TYPE_CHECKING:
    from madrega.study.document import Document

DocumentKind = Literal["auto", "lesson", "article"]
DOCUMENT_KINDS: tuple[str, ...] = ("auto", "lesson", "article")


def read_file(path: Path) -> str:
    """A lesson or article file's text (UTF-8), or an import error that names the file."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ImportFailed(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path}: cannot read it as UTF-8 text ({exc})") from exc


def parse_file(path: Path, *, kind: str = "auto") -> Document:
    """A lesson or article file, read and parsed (not stored)."""
    return parse_document(read_file(path), source=str(path), kind=kind)


def parse_document(text: str, *, source: str | None = None, kind: str = "auto") -> Document:
    """A lesson when Hebrew lines alternate with their translations, else an article."""
    from madrega.study.importers import article, lesson

    if kind not in DOCUMENT_KINDS:
        raise ImportFailed(
            f"{source or 'input'}: kind {kind!r} — expected one of {', '.join(DOCUMENT_KINDS)}"
        )
    chosen = lesson.detect_kind(text) if kind == "auto" else kind
    if chosen == "lesson":
        return lesson.parse_lesson(text, source=source)
    return article.parse_article(text, source=source)
