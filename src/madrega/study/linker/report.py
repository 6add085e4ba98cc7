"""A text linked and its sources: what every face shows after linking a pasted page or a file.

The citations alone say where a text points; a reader also wants to see what is there. A report adds,
for each cited ref (once, in the order first cited), the opening rows of the passage and the notes the
quoted words left on it, so the web page, its JSON API and `madrega link` show the same thing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from madrega.errors import MadregaError
from madrega.study import reader
from madrega.study.linker.citations import Citation, link
from madrega.text.markup import plain_text

SOURCE_ROWS = 3


@dataclass(frozen=True)
class SourcePreview:
    """The opening rows of a cited passage (`{"ref": ..., "he": ..., "en": ...}`, text without markup),
    whether it goes on, the notes its citations carry, or why it cannot be read from this library."""

    ref: str
    rows: list[dict[str, str]] = field(default_factory=list)
    more: bool = False
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def first_text(self) -> str:
        """The first row's Hebrew, else its English: what a one-line listing shows."""
        if not self.rows:
            return ""
        row = self.rows[0]
        return row.get("he") or row.get("en") or next((v for k, v in row.items() if k != "ref"), "")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ref": self.ref, "rows": self.rows, "more": self.more, "notes": self.notes}
        if self.error is not None:
            data["error"] = self.error
        return data


@dataclass(frozen=True)
class LinkReport:
    """The citations of a text, in order, and a preview of each source they cite."""

    citations: list[Citation]
    sources: list[SourcePreview]

    def to_json(self) -> dict[str, Any]:
        return {
            "citations": [c.to_json() for c in self.citations],
            "sources": [s.to_json() for s in self.sources],
        }


def preview(conn: sqlite3.Connection, ref: str, *, rows: int = SOURCE_ROWS) -> SourcePreview:
    """The first `rows` rows of `ref` as this library has it; an error (not an exception) when it has not."""
    try:
        passage = reader.read_ref(conn, ref)
    except MadregaError as exc:
        return SourcePreview(ref, error=exc.message)
    shown = [
        {"ref": r.ref, **{lang: plain_text(t.text) for lang, t in r.texts.items()}}
        for r in passage.rows[:rows]
    ]
    return SourcePreview(passage.ref, shown, len(passage.rows) > rows)


def report(
    conn: sqlite3.Connection,
    text: str,
    *,
    context_ref: str | None = None,
    rows: int = SOURCE_ROWS,
    citations: list[Citation] | None = None,
) -> LinkReport:
    """Link `text` (plain text; quotations of this library included) unless its `citations` are given,
    and preview each ref they cite, with the notes that the quoted words left on it."""
    found = link(text, conn=conn, context_ref=context_ref) if citations is None else citations
    notes: dict[str, list[str]] = {}
    for c in found:
        listed = notes.setdefault(c.ref, [])
        if c.note and c.note not in listed:
            listed.append(c.note)
    sources = []
    for ref, ref_notes in notes.items():  # dicts keep the order each ref was first cited in
        shown = preview(conn, ref, rows=rows)
        sources.append(SourcePreview(shown.ref, shown.rows, shown.more, ref_notes, shown.error))
    return LinkReport(found, sources)


__all__ = ["SOURCE_ROWS", "LinkReport", "SourcePreview", "preview", "report"]
