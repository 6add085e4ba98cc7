"""The Python API: a `Library` object over the embedded database, the one front door the CLI and the
web call (as sqlite-utils' `Database` is the object its CLI mirrors).

    >>> from madrega import Library
    >>> with Library.open("madrega.sqlite") as lib:
    ...     passage = lib.read("Isaiah 51:16")
    ...     citations = lib.link("As Job 8:7 says, …")

Each component owns its tables and registers their migrations and its pipeline stages (library
change hooks) when imported; this module imports them by name, so a library opened here always
has all of them: the texts, their search index, the linker's anchors, the journal. The lowest layer
(`madrega.db`) knows none of them.

A `Library` lends connections to one borrower at a time (`borrow()`), so a web server's threads
share one object; `conn` is the connection of a single-threaded caller (the CLI, a script).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from madrega import db
from madrega.practice import journal, plans  # noqa: F401  (plans marks study passes on every step: journal.on_step_recorded)
from madrega.study import library, linker, pipeline, search
from madrega.study import sheets as source_sheets
from madrega.study.linker import queue as link_queue
from madrega.study.linker import stage as link_stage

if TYPE_CHECKING:
    from madrega.study.connections import Connections
    from madrega.study.document import Document
    from madrega.study.importers.sefaria_export import ExportReport
    from madrega.study.importers.sefaria_fetch import WorkFetchReport
    from madrega.study.reader import Part, Passage
    from madrega.study.search import GematriaResult, SearchResult

__all__ = ["COMPONENTS", "Library", "connect"]

# The components whose tables live in the embedded file, in the order their migrations run.
COMPONENTS = (library, search, linker, link_stage, link_queue, source_sheets, journal)


def connect(path: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the embedded database with every component's tables up to date."""
    return db.connect(path, migrate=migrate)


class Library:
    """The embedded library and journal in one SQLite file, and what is derived from them."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> None:
        self.path = Path(path) if path is not None else db.default_path()
        self._pool = db.ConnectionPool(self.path, migrate=migrate)
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Library:
        """Open (creating if needed) the library at `path` (default: `MADREGA_DB` or the user's data dir)."""
        return cls(path, migrate=migrate)

    # --------------------------------------------------------------------------- connections

    @contextmanager
    def borrow(self) -> Iterator[sqlite3.Connection]:
        """A connection of this library's own for the length of a `with` block (thread-safe)."""
        with self._pool.borrow() as conn:
            yield conn

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection of a single-threaded caller, opened on first use and kept until `close()`."""
        if self._conn is None:
            self._conn = db.connect(self.path, migrate=False)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._pool.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Library {str(self.path)!r}>"

    # --------------------------------------------------------------------------- the texts

    def generation(self) -> int:
        """A number that changes whenever the library's texts change."""
        return library.generation(self.conn)

    def works(self) -> list[library.WorkInfo]:
        return library.list_works(self.conn)

    def work(self, title: str) -> library.WorkInfo:
        return library.get_work(self.conn, title)

    def contents(self, work: str) -> list[Part]:
        """A work's table of contents: its parts and the chapters of each, every one a ref to read."""
        from madrega.study import reader

        return reader.contents(self.conn, work)

    def read(self, ref: str, *, langs: tuple[str, ...] | None = None) -> Passage:
        """A passage by ref (a segment, a range, a chapter, a part of a complex work)."""
        from madrega.study import reader

        return (
            reader.read_ref(self.conn, ref) if langs is None else reader.read_ref(self.conn, ref, langs=langs)
        )

    # --------------------------------------------------------------------------- documents

    def import_document(
        self, text: str, *, source: str | None = None, kind: str = "auto", title: str | None = None
    ) -> library.DocumentInfo:
        """A lesson or an article through the import pipeline (`madrega.study.pipeline`)."""
        return pipeline.import_document(self.conn, text, source=source, kind=kind, title=title)

    def documents(self) -> list[library.DocumentInfo]:
        return library.list_documents(self.conn)

    def document(self, id_or_slug: int | str) -> Document:
        return library.load_document(self.conn, id_or_slug)

    def remove_document(self, id_or_slug: int | str) -> library.DocumentInfo:
        return library.remove_document(self.conn, id_or_slug)

    # --------------------------------------------------------------------------- works from Sefaria

    def fetch(self, work: str, **options: Any) -> WorkFetchReport:
        """A whole work from Sefaria's API, every part, Hebrew and English, resumable (`langs`,
        `client`, `progress`, `refresh` as in `sefaria_fetch.fetch_work`; needs the network)."""
        from madrega.study.importers import sefaria_fetch

        return sefaria_fetch.fetch_work(self.conn, work, **options)

    def import_export(self, directory: str | os.PathLike[str], **options: Any) -> ExportReport:
        """Works from a local copy of Sefaria's export (`titles`, `categories`, `progress`)."""
        from madrega.study.importers import sefaria_export

        return sefaria_export.import_export(self.conn, Path(directory), **options)

    # --------------------------------------------------------------------------- citations, search

    def link(
        self, text: str, *, context_ref: str | None = None, quotations: bool = True
    ) -> list[linker.Citation]:
        """Written references in `text`, and (with `quotations`) the library's texts it quotes."""
        return linker.link(text, conn=self.conn if quotations else None, context_ref=context_ref)

    def cited_by(self, ref: str) -> list[linker.Anchor]:
        """The stored citations of `ref` (or of a place inside it)."""
        return linker.cited_by(self.conn, ref)

    def search(self, query: str, **filters: Any) -> SearchResult:
        """Ranked hits (`work`, `category`, `lang`, `limit`, `offset`, `plene` as in `search.search`)."""
        return search.search(self.conn, query, **filters)

    def gematria(self, value: int, **options: Any) -> GematriaResult:
        """Words and runs of words whose value is `value` (`method`, `work`, `category`, `max_words`)."""
        return search.gematria_lookup(self.conn, value, **options)

    # --------------------------------------------------------------------------- connections

    def connections(self, ref: str) -> Connections:
        """The texts in the library that cite or quote a passage, by category, and its commentaries."""
        from madrega.study import connections, reader

        passage = reader.read_ref(self.conn, ref)
        return connections.connections(self.conn, passage.ref, rows=[r.ref for r in passage.rows])

    def link_status(self) -> link_queue.LinkStatus:
        """How far the library's connections are built (what the link queue still holds)."""
        return link_queue.status(self.conn)

    def link_queued(
        self, *, workers: int | None = None, scheduler: str | None = None
    ) -> link_queue.JobReport:
        """Link everything the link stage queued (the embedded corpus after `init`), on all cores."""
        return link_queue.run(self.path, workers=workers, scheduler=scheduler)

    # --------------------------------------------------------------------------- source sheets

    def sheets(self) -> list[source_sheets.SheetInfo]:
        return source_sheets.list_sheets(self.conn)

    def sheet(self, slug: str | int) -> source_sheets.Sheet:
        return source_sheets.load(self.conn, slug)

    def new_sheet(self, title: str) -> source_sheets.SheetInfo:
        return source_sheets.new(self.conn, title)

    def sheet_from_document(
        self, id_or_slug: int | str, *, title: str | None = None
    ) -> source_sheets.SheetInfo:
        """A sheet of an imported lesson or article: its text, and under each citation the passage."""
        return source_sheets.from_document(self.conn, id_or_slug, title=title)

    def add_to_sheet(
        self, slug: str | int, *, ref: str | None = None, note: str | None = None, at: int | None = None
    ) -> source_sheets.Item:
        """Add a passage (by ref) or a note of your own, at the end or at position `at`."""
        if (ref is None) == (note is None):
            from madrega.errors import MadregaError

            raise MadregaError("add either a ref or a note")
        if ref is not None:
            return source_sheets.add_source(self.conn, slug, ref, at=at)
        assert note is not None
        return source_sheets.add_note(self.conn, slug, note, at=at)

    def move_in_sheet(self, slug: str | int, number: int, to: int) -> None:
        source_sheets.move(self.conn, slug, number, to)

    def remove_from_sheet(self, slug: str | int, number: int) -> None:
        source_sheets.remove_item(self.conn, slug, number)

    def remove_sheet(self, slug: str | int) -> source_sheets.SheetInfo:
        return source_sheets.remove(self.conn, slug)

    def export_sheet(self, slug: str | int, fmt: str, *, base_url: str | None = None) -> bytes:
        """The sheet as html (self-contained), pdf, epub or json."""
        from madrega.study.sheets import export

        return export.export(self.conn, source_sheets.load(self.conn, slug), fmt, base_url=base_url)
