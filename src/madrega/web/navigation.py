"""Tables of contents for the reader: a work's parts and chapters, and a passage's neighbours.

NOTE: this reads the library's segment refs directly because `madrega.reader` has no chapter
listing yet; it belongs in the reader (or library) and should move there when one exists.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from madrega import library
from madrega.importers.sefaria import split_ref


@dataclass
class Part:
    """A node of a work (`Isaiah`, `Tanya, Part I; Likkutei Amarim`) and its chapters in order."""

    node: str
    chapters: list[str] = field(default_factory=list)  # addresses: "51", "2a", "1:11b"

    def ref(self, address: str) -> str:
        return f"{self.node} {address}"


def chapter_of(segment_ref: str) -> str:
    """The chapter a segment belongs to: `Isaiah 51:3` → `Isaiah 51`, `Berakhot 2a:3` → `Berakhot 2a`."""
    node, address = split_ref(segment_ref)
    if address is None:
        return node
    return f"{node} {address.rsplit(':', 1)[0]}" if ":" in address else segment_ref


def toc(conn: sqlite3.Connection, work: str) -> list[Part]:
    """The work's parts and chapters, in the order of its fullest version."""
    info = library.get_work(conn, work)
    if not info.versions:
        return []
    version = max(info.versions, key=lambda v: (v.segments, v.lang == "he"))
    parts: dict[str, Part] = {}
    seen: set[str] = set()
    for (ref,) in conn.execute("SELECT ref FROM segments WHERE version_id=? ORDER BY ord", (version.id,)):
        chapter = chapter_of(ref)
        if chapter in seen:
            continue
        seen.add(chapter)
        node, address = split_ref(chapter)
        parts.setdefault(node, Part(node)).chapters.append(address or "")
    return list(parts.values())


def neighbours(
    conn: sqlite3.Connection, work: str, first_ref: str, last_ref: str
) -> tuple[str | None, str | None]:
    """The chapters before and after a passage (which runs from `first_ref` to `last_ref`)."""
    chapters = [p.ref(a) for p in toc(conn, work) for a in p.chapters]
    position = {c: i for i, c in enumerate(chapters)}
    i, j = position.get(chapter_of(first_ref)), position.get(chapter_of(last_ref))
    prev = chapters[i - 1] if i is not None and i > 0 else None
    nxt = chapters[j + 1] if j is not None and j + 1 < len(chapters) else None
    return prev, nxt
