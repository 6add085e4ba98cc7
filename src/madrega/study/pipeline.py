"""The import pipeline: what a user brings passes through named stages, as spaCy passes a `Doc`
through its components.

    read → segment → align → store → link → index

- **read**: the input as text (HTML or plain), Unicode-normalized, its chrome and markup reduced to
  blocks with their lines (`importers.article.read_blocks`, shared by both importers).
- **segment**: the blocks become a `Document` of segments with roles: a bilingual lesson's
  source/translation pairs and commentary, or an article's paragraphs and posts.
- **align**: the Hebrew source lines of a lesson that says what it teaches are placed in the
  library's text (`importers.align`), so each carries its canonical ref.
- **store**: one transaction writes the document (`library.save_document`); killing it midway
  leaves the library as it was.
- **link**, **index**: the stages every change of the library's text passes through, whatever brought
  it (a lesson, a Sefaria export, the embedded corpus): components register them with
  `library.on_change(stage=...)` and they run inside the same transaction as *store*, so a derived
  index never disagrees with the text it was derived from, and a removal takes its derived rows with it.

`stage_names()` lists them as they are wired in this process.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from madrega import db
from madrega.study import library
from madrega.study.document import Document
from madrega.study.importers import parse_document
from madrega.study.importers.align import align_document
from madrega.study.linker import stage as _link_stage  # noqa: F401  (wires the link stage)

__all__ = ["DOCUMENT_STAGES", "Job", "Stage", "import_document", "run", "stage_names"]


@dataclass
class Job:
    """One thing being imported, as it moves through the stages."""

    text: str
    source: str | None = None
    kind: str = "auto"
    title: str | None = None  # the user's own title, in place of the one read from the text
    document: Document | None = None
    doc_id: int | None = None
    done: list[str] = field(default_factory=list)


Stage = Callable[[sqlite3.Connection, Job], None]


def _segment(conn: sqlite3.Connection, job: Job) -> None:
    job.document = parse_document(job.text, source=job.source, kind=job.kind)
    if job.title and job.title.strip():
        job.document.title = " ".join(job.title.split())


def _align(conn: sqlite3.Connection, job: Job) -> None:
    assert job.document is not None
    if job.document.teaches_ref:
        align_document(conn, job.document, everywhere=False)


def _store(conn: sqlite3.Connection, job: Job) -> None:
    assert job.document is not None
    job.doc_id = library.save_document(conn, job.document)  # runs the library's change stages too


# The stages a user's document passes through before the library's own change stages.
DOCUMENT_STAGES: tuple[tuple[str, Stage], ...] = (
    ("segment", _segment),
    ("align", _align),
    ("store", _store),
)


def stage_names() -> list[str]:
    """Every stage an imported document passes through, in order (`read` is part of `segment`)."""
    return ["read", *(name for name, _ in DOCUMENT_STAGES), *library.hook_stages()]


def run(conn: sqlite3.Connection, job: Job) -> library.DocumentInfo:
    """Pass `job` through every stage in one transaction and say what was stored."""
    with db.transaction(conn):
        for name, stage in DOCUMENT_STAGES:
            stage(conn, job)
            job.done.append(name)
        assert job.doc_id is not None
        return library.document_info(conn, job.doc_id)


def import_document(
    conn: sqlite3.Connection,
    text: str,
    *,
    source: str | None = None,
    kind: str = "auto",
    title: str | None = None,
) -> library.DocumentInfo:
    """A user's lesson or article, parsed, aligned to the library where it says what it teaches, and
    stored with its derived rows in one transaction: the one import path of the CLI and the web.
    `title` names it when the text's own first line is not the name the user wants."""
    return run(conn, Job(text, source=source, kind=kind, title=title))
