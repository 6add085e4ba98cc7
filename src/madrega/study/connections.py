"""Connections of a passage: the texts in the library that cite or quote it, grouped as people look
for them (Mishnah, Talmud, Midrash, Zohar, Chasidut, the user's documents …), each with the
sentence that cites it; and the commentaries on it that the library holds.

Everything here is read from the anchors the link stage stored (`linker.cited_by`): a group's
count is the number of its anchors, and all the groups together are exactly `cited_by(ref)`.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

from madrega.study import linker
from madrega.study.linker import Anchor

__all__ = ["GROUP_ORDER", "Commentary", "Connection", "Connections", "Group", "connections", "group_of"]

DOCUMENTS = "Your documents"
COMMENTARY = "Commentary"
#: The order groups are shown in; a category the library has beyond these follows them by name.
GROUP_ORDER = (
    "Tanakh",
    "Mishnah",
    "Talmud",
    "Midrash",
    "Zohar",
    "Chasidut",
    "Kabbalah",
    COMMENTARY,
    DOCUMENTS,
)
SHOWN_PER_GROUP = 50
SENTENCE_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?׃:;]\s|\n")


@dataclass
class Connection:
    """One anchor, as the panel shows it."""

    kind: str  # "reference" | "quotation"
    ref: str  # what it cites (the verse, or the chapter holding it)
    source: str  # the citing text's name: its ref, or the document's title
    before: str  # the sentence that cites it: the words before the citation (plain text, shortened)
    quote: str  # the words of the citation itself
    after: str  # and after it
    source_ref: str | None = None  # the citing library segment (to open it)
    document: str | None = None  # the citing document's slug
    segment: int | None = None  # the citing document segment's number (`doc_segments.ord`)
    lang: str = "he"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Group:
    name: str
    count: int
    items: list[Connection] = field(default_factory=list)  # the first `SHOWN_PER_GROUP`

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "count": self.count, "items": [i.to_json() for i in self.items]}


@dataclass
class Commentary:
    work: str
    ref: str
    lang: str
    text: str  # plain text

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Connections:
    ref: str
    total: int
    groups: list[Group] = field(default_factory=list)
    commentaries: list[Commentary] = field(default_factory=list)

    def count(self, group: str) -> int:
        return next((g.count for g in self.groups if g.name == group), 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "total": self.total,
            "groups": [g.to_json() for g in self.groups],
            "commentaries": [c.to_json() for c in self.commentaries],
        }


def group_of(category: str, title: str) -> str:
    """The group a citing work belongs to: its category, with the Talmuds and the Zohar literature
    each as one, and a work named "X on Y" (Sefaria's commentaries) as Commentary."""
    if " on " in title:
        return COMMENTARY
    low = f"{category} {title}".lower()
    if "zohar" in low:
        return "Zohar"
    if category.startswith("Talmud") or "talmud" in low:
        return "Talmud"
    return category or "Other"


def _order(name: str) -> tuple[int, str]:
    return (GROUP_ORDER.index(name), "") if name in GROUP_ORDER else (GROUP_ORDER.index(COMMENTARY), name)


def sentence_around(text: str, start: int, end: int, *, limit: int = SENTENCE_CHARS) -> tuple[str, str]:
    """The words before and after text[start:end] in its sentence (reaching back into the sentence
    before when the citation opens one), cut to about `limit` characters at word boundaries."""
    room = max(40, limit - (end - start)) // 2
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        if start - m.end() >= min(room, 40) or m.end() == start:
            begin = m.end() if start - m.end() >= min(room, 40) else begin
    stop = _SENTENCE_END.search(text, end)
    finish = stop.start() + 1 if stop else len(text)
    if start - begin > room:
        cut = text.find(" ", start - room, start)
        begin = cut + 1 if cut != -1 else start - room
    if finish - end > room:
        cut = text.rfind(" ", end, end + room)
        finish = cut if cut > end else end + room
    before = ("…" if begin > 0 else "") + text[begin:start].lstrip()
    after = text[end:finish].rstrip() + ("…" if finish < len(text) else "")
    return before, after


def _anchors(conn: sqlite3.Connection, refs: list[str]) -> list[Anchor]:
    seen: set[tuple[Any, ...]] = set()
    out: list[Anchor] = []
    for ref in refs:
        for a in linker.cited_by(conn, ref):
            key = (a.source_kind, a.source_id, a.start, a.end, a.ref)
            if key not in seen:
                seen.add(key)
                out.append(a)
    return out


def connections(
    conn: sqlite3.Connection, ref: str, *, rows: list[str] | None = None, shown: int = SHOWN_PER_GROUP
) -> Connections:
    """The connections of `ref` (a verse, a chapter, a page). For a range, give its segment refs as
    `rows`: the range is their union."""
    targets = rows if rows and "-" in ref else [ref]
    anchors = _anchors(conn, targets)
    wide = {ancestor for t in targets for ancestor in _ancestors(t)}  # the chapter (page) holding it
    library_ids = sorted({a.segment_id for a in anchors if a.source_kind == "segment" and a.segment_id})
    doc_ids = sorted({a.segment_id for a in anchors if a.source_kind == "doc_segment" and a.segment_id})
    # what each citing segment is (its text is read below, only for the ones shown)
    segs: dict[int, tuple[str, str, str, int, int]] = {}
    for chunk in _chunks(library_ids):
        for r in conn.execute(
            "SELECT s.id, w.title, w.category, v.lang, w.id, s.ord FROM segments s "
            "JOIN versions v ON v.id = s.version_id JOIN works w ON w.id = v.work_id "
            f"WHERE s.id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            segs[int(r[0])] = (str(r[1]), str(r[2]), str(r[3]), int(r[4]), int(r[5]))
    docs: dict[int, tuple[str, str, int, str, int]] = {}
    for chunk in _chunks(doc_ids):
        for r in conn.execute(
            "SELECT s.id, d.slug, d.title, s.ord, s.lang, d.id FROM doc_segments s "
            f"JOIN documents d ON d.id = s.doc_id WHERE s.id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            docs[int(r[0])] = (str(r[1]), str(r[2]), int(r[3]), str(r[4]), int(r[5]))
    # each group in order: what cites the passage itself first, then what cites the chapter holding it
    grouped: dict[str, list[tuple[tuple[bool, int, int, int], Anchor]]] = {}
    for a in anchors:
        if a.source_kind == "segment" and a.segment_id in segs:
            title, category, _lang, work_id, ord_ = segs[a.segment_id]
            key = (a.ref in wide, work_id, ord_, a.start)
            grouped.setdefault(group_of(category, title), []).append((key, a))
        elif a.source_kind == "doc_segment" and a.segment_id in docs:
            _slug, _title, ord_, _lang, doc_id = docs[a.segment_id]
            grouped.setdefault(DOCUMENTS, []).append(((a.ref in wide, doc_id, ord_, a.start), a))
        else:  # a file linked in bulk (`madrega link --bulk`): not a text of the library
            grouped.setdefault("Files", []).append(((a.ref in wide, 0, 0, a.start), a))
    chosen = {
        name: [a for _, a in sorted(items, key=lambda x: x[0])[:shown]] for name, items in grouped.items()
    }
    plain = _plain_texts(conn, [a for items in chosen.values() for a in items])

    def item(a: Anchor) -> Connection:
        text = plain.get((a.source_kind, a.segment_id or 0), "")
        if a.source_kind == "segment" and a.segment_id in segs:
            title, _category, lang, _work_id, _ord = segs[a.segment_id]
            return Connection(
                a.kind,
                a.ref,
                a.source_ref or title,
                *_sentence(text, a.start, a.end),
                source_ref=a.source_ref,
                lang=lang,
            )
        if a.source_kind == "doc_segment" and a.segment_id in docs:
            slug, title, ord_, lang, _doc_id = docs[a.segment_id]
            return Connection(
                a.kind, a.ref, title, *_sentence(text, a.start, a.end), document=slug, segment=ord_, lang=lang
            )
        return Connection(a.kind, a.ref, a.source_id, "", "", "")

    groups = [
        Group(name, len(grouped[name]), [item(a) for a in chosen[name]])
        for name in sorted(grouped, key=_order)
    ]
    return Connections(ref, len(anchors), groups, [c for t in targets for c in commentaries(conn, t)])


def commentaries(conn: sqlite3.Connection, ref: str) -> list[Commentary]:
    """Segments of the library's commentaries on `ref` ("Rashi on Isaiah 51:16:1" for Isaiah 51:16)."""
    work_row = None
    for w in conn.execute(
        "SELECT title FROM works WHERE ? LIKE title || ' %' ORDER BY length(title) DESC", (ref,)
    ):
        work_row = w
        break
    if work_row is None:
        return []
    work = str(work_row[0])
    address = ref[len(work) :]
    out: list[Commentary] = []
    for (title,) in conn.execute(
        "SELECT title FROM works WHERE title LIKE ? ORDER BY id", (f"% on {work}",)
    ).fetchall():
        prefix = f"{title}{address}"
        for r in conn.execute(
            "SELECT s.ref, v.lang, s.plain FROM segments s JOIN versions v ON v.id = s.version_id "
            "WHERE s.ref = ? OR (s.ref > ? AND s.ref < ?) ORDER BY v.lang, s.ord LIMIT 200",
            (prefix, prefix + ":", prefix + ";"),
        ):
            out.append(Commentary(str(title), str(r[0]), str(r[1]), str(r[2])))
    return out


def _plain_texts(conn: sqlite3.Connection, anchors: list[Anchor]) -> dict[tuple[str, int], str]:
    """The plain text of the segments these anchors stand in, by (source kind, segment id)."""
    out: dict[tuple[str, int], str] = {}
    for kind, table in (("segment", "segments"), ("doc_segment", "doc_segments")):
        ids = sorted({a.segment_id for a in anchors if a.source_kind == kind and a.segment_id})
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for r in conn.execute(f"SELECT id, plain FROM {table} WHERE id IN ({marks})", chunk):
                out[(kind, int(r[0]))] = str(r[1])
    return out


def _sentence(plain: str, start: int, end: int) -> tuple[str, str, str]:
    before, after = sentence_around(plain, start, end)
    return before, plain[start:end], after


def _ancestors(ref: str) -> list[str]:
    out = []
    while ":" in ref:
        ref = ref.rsplit(":", 1)[0]
        out.append(ref)
    return out


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
