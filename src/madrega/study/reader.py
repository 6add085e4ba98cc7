"""What the reader shows: a passage of the library (Hebrew beside its translation, aligned by ref,
footnotes under it) or an imported/parsed document. The CLI and the web both call this module.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from madrega import errors
from madrega.errors import MadregaError, NotFound
from madrega.refs.address import chapter_of, complete_end, split
from madrega.study.document import Document
from madrega.text.markup import insert_at_offsets, plain_text

LANGS = ("he", "en")
_ADDR = r"\d+[ab]?(?::\d+[ab]?)*"
_REF = re.compile(rf"^(?P<node>.+?)(?:[ .](?P<start>{_ADDR})(?:\s*-\s*(?P<end>{_ADDR}))?)?$")
_NORM = re.compile(r"[^0-9a-z\u05d0-\u05ea]+")
MAX_SEGMENTS = 5000


@dataclass
class Text:
    lang: str
    version: str
    text: str  # sanitized HTML as stored
    footnotes: list[dict[str, Any]] = field(default_factory=list)
    markers: list[dict[str, Any]] = field(default_factory=list)
    version_id: int = 0  # the version it was read from (its stored anchors are keyed by it)

    @property
    def display(self) -> str:
        """Plain text with footnote markers put back where they stood, as `[1]`."""
        return display_text(self.text, self.footnotes)


@dataclass
class Row:
    ref: str
    texts: dict[str, Text] = field(default_factory=dict)


@dataclass
class Passage:
    ref: str
    work: str
    he_title: str | None
    category: str
    versions: list[dict[str, Any]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    @property
    def langs(self) -> list[str]:
        return [lang for lang in LANGS if any(lang in r.texts for r in self.rows)]

    def to_json(self) -> dict[str, Any]:
        segments = []
        for r in self.rows:
            for lang in LANGS:
                t = r.texts.get(lang)
                if t is not None:
                    segments.append(
                        {
                            "role": "source" if lang == "he" else "translation",
                            "lang": lang,
                            "ref": r.ref,
                            "text": t.text,
                            "plain": plain_text(t.text),
                            "footnotes": t.footnotes,
                            "markers": t.markers,
                        }
                    )
        pairs = [
            {
                "ref": r.ref,
                "source": r.texts["he"].text if "he" in r.texts else "",
                "translation": r.texts["en"].text if "en" in r.texts else "",
                "commentary": [],
            }
            for r in self.rows
        ]
        return {
            "kind": "text",
            "ref": self.ref,
            "work": self.work,
            "he_title": self.he_title,
            "category": self.category,
            "versions": self.versions,
            "segments": segments,
            "pairs": pairs,
        }


def display_text(text: str, footnotes: list[dict[str, Any]] | None = None) -> str:
    if footnotes:
        text = insert_at_offsets(
            text, [(int(f.get("offset", len(text))), f"[{f.get('marker') or '*'}]") for f in footnotes]
        )
    return plain_text(text)


def _norm(s: str) -> str:
    return _NORM.sub(" ", s.lower()).strip()


def _canonical(text: str) -> str:
    """The ref in canonical form when madrega.refs knows it; the text as typed otherwise."""
    from madrega import refs

    try:
        return str(refs.parse(text))
    except refs.RefError:  # a ref the catalog does not know may still be in the library
        return text.strip()


def _find_work(conn: sqlite3.Connection, node: str) -> sqlite3.Row:
    works = conn.execute("SELECT id, title, he_title, category FROM works").fetchall()
    low = node.lower()
    best = None
    for w in works:
        for title in (w["title"], w["he_title"]):
            if not title:
                continue
            t = title.lower()
            if (low == t or low.startswith(t + ",") or low.startswith(t + " ")) and (
                best is None or len(title) > len(best[1])
            ):
                best = (w, title)
    if best is None:
        titles = [w["title"] for w in works]
        if not works:
            raise NotFound(
                f"{node!r} is not in the library: the library is empty",
                remedy=errors.INIT_LIBRARY,
                subject=node,
            )
        raise NotFound(
            f"{node!r} is not a work in the library",
            suggestions=difflib.get_close_matches(node, titles, n=3, cutoff=0.5),
            remedy=errors.FETCH,
            subject=node,
        )
    return best[0]


def _in_node(conn: sqlite3.Connection, version_ids: list[int], node: str) -> bool:
    q = f"SELECT 1 FROM segments WHERE version_id IN ({','.join('?' * len(version_ids))}) AND ref > ? AND ref < ? LIMIT 1"
    return conn.execute(q, (*version_ids, node + " ", node + "!")).fetchone() is not None


def _nodes(conn: sqlite3.Connection, version_ids: list[int]) -> list[str]:
    q = f"SELECT ref FROM segments WHERE version_id IN ({','.join('?' * len(version_ids))}) ORDER BY version_id, ord"
    seen: dict[str, None] = {}
    for (ref,) in conn.execute(q, version_ids):
        seen.setdefault(split(ref)[0], None)
    return list(seen)


def _resolve_node(conn: sqlite3.Connection, work: sqlite3.Row, node: str, version_ids: list[int]) -> str:
    title = work["title"]
    if node.lower() == title.lower() or (work["he_title"] and node == work["he_title"]):
        node = title
    elif node.lower().startswith(title.lower()):
        node = title + node[len(title) :]
    if _in_node(conn, version_ids, node):
        return node
    nodes = _nodes(conn, version_ids)
    wanted = _norm(node[len(title) :] if node.lower().startswith(title.lower()) else node)
    matches = [n for n in nodes if wanted and wanted in _norm(n[len(title) :])]
    if len(matches) > 1:
        ending = [n for n in matches if _norm(n).endswith(wanted)]
        matches = ending or matches
    if len(matches) == 1 or (matches and len({_norm(m) for m in matches}) == 1):
        return matches[0]
    raise NotFound(
        f"{node!r}: no such part of {title} in the library",
        suggestions=(matches or difflib.get_close_matches(node, nodes, n=3, cutoff=0.4) or nodes[:3])[:5],
    )


def _ord_bounds(conn: sqlite3.Connection, vid: int, node: str, address: str) -> tuple[int, int] | None:
    row = conn.execute(
        "SELECT min(ord), max(ord) FROM segments WHERE version_id=? AND (ref=? OR (ref > ? AND ref < ?))",
        (vid, f"{node} {address}", f"{node} {address}:", f"{node} {address};"),
    ).fetchone()
    return None if row[0] is None else (int(row[0]), int(row[1]))


def read_ref(conn: sqlite3.Connection, text: str, *, langs: tuple[str, ...] = LANGS) -> Passage:
    """A passage of the library by ref: a segment, a range (`Genesis 1:1-5`), a chapter (`Isaiah 51`),
    or a part of a complex work (`Tanya, Iggeret HaTeshuvah 10`)."""
    bad = [lang for lang in langs if lang not in LANGS]
    if bad:
        raise MadregaError(f"unknown language {', '.join(bad)}; use he, en or both")
    wanted = _canonical(text)
    m = _REF.match(wanted)
    if not m or not text.strip():
        raise MadregaError(f"{text!r} is not a reference (try e.g. 'Genesis 1:1-5' or 'Isaiah 51')")
    work = _find_work(conn, m.group("node").strip())
    versions = conn.execute(
        "SELECT id, lang, title, source, license FROM versions WHERE work_id=? ORDER BY CASE lang WHEN 'he' THEN 0 ELSE 1 END, id",
        (work["id"],),
    ).fetchall()
    version_ids = [v["id"] for v in versions]
    node = _resolve_node(conn, work, m.group("node").strip(), version_ids)
    start, end = m.group("start"), m.group("end")
    label = node + (f" {start}" if start else "") + (f"-{end}" if end else "")
    if end:
        end = complete_end(start, end)
    passage = Passage(label, work["title"], work["he_title"], work["category"])
    rows: dict[str, Row] = {}
    chosen: set[str] = set()
    for v in versions:
        if v["lang"] not in langs or v["lang"] in chosen:
            continue
        if start is None:
            lo_hi = conn.execute(
                "SELECT min(ord), max(ord) FROM segments WHERE version_id=? AND ref > ? AND ref < ?",
                (v["id"], node + " ", node + "!"),
            ).fetchone()
            bounds = None if lo_hi[0] is None else (int(lo_hi[0]), int(lo_hi[1]))
        else:
            first = _ord_bounds(conn, v["id"], node, start)
            last = _ord_bounds(conn, v["id"], node, end) if end else first
            bounds = (first[0], last[1]) if first and last and first[0] <= last[1] else None
        if bounds is None:
            continue
        if bounds[1] - bounds[0] >= MAX_SEGMENTS:
            raise MadregaError(
                f"{label} is {bounds[1] - bounds[0] + 1} segments; read a smaller part (a chapter or a range)"
            )
        chosen.add(v["lang"])
        count = 0
        for s in conn.execute(
            "SELECT ref, text, footnotes, markers FROM segments WHERE version_id=? AND ord BETWEEN ? AND ? ORDER BY ord",
            (v["id"], *bounds),
        ):
            if start is None and not (
                s["ref"].startswith(node + " ") and " " not in s["ref"][len(node) + 1 :]
            ):
                continue
            row = rows.setdefault(s["ref"], Row(s["ref"]))
            row.texts[v["lang"]] = Text(
                v["lang"],
                v["title"],
                s["text"],
                json.loads(s["footnotes"]) if s["footnotes"] else [],
                json.loads(s["markers"]) if s["markers"] else [],
                v["id"],
            )
            count += 1
        passage.versions.append(
            {
                "lang": v["lang"],
                "title": v["title"],
                "source": v["source"],
                "license": v["license"],
                "segments": count,
            }
        )
    if not rows:
        raise NotFound(
            f"{label} is not in the library"
            + ("" if any(v["lang"] in langs for v in versions) else f" in {'/'.join(langs)}"),
            remedy=errors.FETCH,
            subject=label,
        )
    passage.rows = list(rows.values())
    return passage


def read_target(
    conn: sqlite3.Connection, target: str, *, langs: tuple[str, ...] = LANGS, kind: str = "auto"
) -> Passage | Document:
    """What `target` names, in this order: a lesson or article file (read, not stored), a passage of
    the library by ref, or an imported document by id or slug. A target that is none of them gets the
    ref's error, which says most about what was meant."""
    from madrega.study import library
    from madrega.study.importers import parse_file

    path = Path(target).expanduser()
    if path.suffix and path.is_file():
        return parse_file(path, kind=kind)
    try:
        return read_ref(conn, target, langs=langs)
    except MadregaError as ref_error:
        try:
            return library.load_document(conn, target)
        except MadregaError:
            raise ref_error from None


def read_document(doc: Document) -> dict[str, Any]:
    """A lesson/article as the reader shows it (the JSON of the structured document)."""
    data = doc.to_json()
    data["kind"] = doc.kind
    return data


# ---- tables of contents


@dataclass
class Part:
    """A node of a work (`Isaiah`, `Tanya, Part I; Likkutei Amarim`) and its chapters in order."""

    node: str
    chapters: list[str] = field(default_factory=list)  # addresses: "51", "2a", "1:11b"

    def ref(self, address: str) -> str:
        return f"{self.node} {address}"

    def to_json(self) -> dict[str, Any]:
        return {"part": self.node, "chapters": [self.ref(a) for a in self.chapters]}


_CONTENTS: dict[tuple[str, str], tuple[int, list[Part]]] = {}  # (db, work) → (library generation, parts)


def describe_work(conn: sqlite3.Connection, work: str) -> dict[str, Any]:
    """A work as every face describes it: its titles, versions (with sizes and licences), and parts with
    their chapters, each a ref to read."""
    from madrega.study import library

    info = library.get_work(conn, work)
    data = info.to_json()
    data["parts"] = [
        {"node": p.node, "chapters": [{"address": a, "ref": p.ref(a)} for a in p.chapters]}
        for p in contents(conn, info.title)
    ]
    return data


def contents(conn: sqlite3.Connection, work: str) -> list[Part]:
    """The table of contents: the work's parts and chapters, in the order of its fullest version.
    Remembered until the library changes (every reader page shows it)."""
    from madrega.study import library

    path = conn.execute("PRAGMA database_list").fetchone()[2]
    generation = library.generation(conn)
    key = (path, work)
    cached = _CONTENTS.get(key) if path else None
    if cached is not None and cached[0] == generation:
        return [Part(p.node, list(p.chapters)) for p in cached[1]]
    parts = _contents(conn, work)
    if path:
        if len(_CONTENTS) > 256:
            _CONTENTS.clear()
        _CONTENTS[key] = (generation, parts)
    return [Part(p.node, list(p.chapters)) for p in parts]


def _contents(conn: sqlite3.Connection, work: str) -> list[Part]:
    from madrega.study import library

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
        node, address = split(chapter)
        parts.setdefault(node, Part(node)).chapters.append(address or "")
    return list(parts.values())


def neighbours(
    conn: sqlite3.Connection, work: str, first_ref: str, last_ref: str
) -> tuple[str | None, str | None]:
    """The chapters before and after a passage (which runs from `first_ref` to `last_ref`)."""
    chapters = [p.ref(a) for p in contents(conn, work) for a in p.chapters]
    position = {c: i for i, c in enumerate(chapters)}
    i, j = position.get(chapter_of(first_ref)), position.get(chapter_of(last_ref))
    prev = chapters[i - 1] if i is not None and i > 0 else None
    nxt = chapters[j + 1] if j is not None and j + 1 < len(chapters) else None
    return prev, nxt
