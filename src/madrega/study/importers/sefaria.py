"""Sefaria's export format (`merged.json` and per-version files of Sefaria-Export).

A file is one version of one work: `title`, `language`, `versionTitle`, `versionSource`, `license`
and `text` — nested arrays for a simple text (chapter → verse), or, for a complex book such as Tanya,
a dict of schema nodes (each a dict again, or nested arrays; the key "" is the node's default part).
Segment refs follow Sefaria: `Tanya, Part I; Likkutei Amarim 1:1`, `Tanya, Part I; Likkutei Amarim,
Title Page 1`, `Genesis 1:1`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from madrega import db
from madrega.errors import ImportFailed
from madrega.study import library
from madrega.study.library import SegmentIn
from madrega.text.markup import plain_text, sanitize

LANGS = {"he": "he", "en": "en", "hebrew": "he", "english": "en"}


@dataclass
class ParsedVersion:
    work: str
    he_title: str | None
    category: str
    lang: str
    title: str
    source: str | None
    license: str | None
    segments: list[SegmentIn] = field(default_factory=list)


@dataclass
class ImportReport:
    work: str
    lang: str
    version: str
    segments: int
    changed: bool
    footnotes: int = 0
    markers: int = 0

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def make_segment(ref: str, raw: str) -> SegmentIn | None:
    if not raw.strip():
        return None
    s = sanitize(raw)
    if not s.text and not s.markers and not s.footnotes:
        return None
    return SegmentIn(ref, s.text, plain_text(s.text), s.footnotes or None, s.markers or None)


def _where(path: list[str | int]) -> str:
    return "text" + "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in path)


def walk_arrays(
    node: str,
    tree: Any,
    where: str,
    key_path: list[str | int],
    address: list[str] | None = None,
    start: list[int] | None = None,
) -> Iterator[SegmentIn]:
    """Segments of nested arrays: numbering starts at 1 (or at `start` for the first element of
    each level, as the texts API returns a range that begins mid-chapter)."""
    address = address or []
    if isinstance(tree, str):
        if not address:
            raise ImportFailed(
                f"{where}: {_where(key_path)}: expected an array of texts, found a single text"
            )
        seg = make_segment(f"{node} {':'.join(address)}", tree)
        if seg:
            yield seg
        return
    if not isinstance(tree, list):
        raise ImportFailed(
            f"{where}: {_where(key_path)}: expected text or an array of texts, found {type(tree).__name__}; "
            "nothing was imported"
        )
    first = start[0] if start else 1
    for i, child in enumerate(tree):
        if child is None or child == []:
            continue
        rest = start[1:] if start and i == 0 else None
        yield from walk_arrays(node, child, where, [*key_path, i], [*address, str(first + i)], rest)


def walk_text(node: str, tree: Any, where: str, key_path: list[str | int]) -> Iterator[SegmentIn]:
    """A simple text's arrays, or a complex text's schema nodes (dict key "" = the default part)."""
    if isinstance(tree, dict):
        for key, child in tree.items():
            if not isinstance(key, str):  # pragma: no cover - JSON keys are strings
                continue
            child_node = node if key == "" else (f"{node}, {key}")
            yield from walk_text(child_node, child, where, [*key_path, key])
        return
    yield from walk_arrays(node, tree, where, key_path)


def _str_field(data: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise ImportFailed(
                f"{where}: missing key {key!r} (a Sefaria export has {key!r}); nothing was imported"
            )
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ImportFailed(f"{where}: key {key!r} should be a non-empty string, found {value!r}")
    return value


def _category_from_path(path: Path | None) -> str:
    """Sefaria-Export keeps files at json/<Category>/.../<Title>/<Language>/<version>.json."""
    if path is None:
        return "Other"
    parts = path.resolve().parts
    if "json" in parts:
        i = len(parts) - 1 - parts[::-1].index("json")
        if i + 1 < len(parts) - 3:
            return parts[i + 1]
    return "Other"


def parse_export(data: Any, *, where: str, path: Path | None = None) -> ParsedVersion:
    if not isinstance(data, dict):
        raise ImportFailed(
            f"{where}: expected a JSON object with title, language and text; found {type(data).__name__}"
        )
    title = _str_field(data, "title", where, required=True) or ""
    lang_raw = _str_field(data, "language", where, required=True) or ""
    lang = LANGS.get(lang_raw.lower())
    if lang is None:
        raise ImportFailed(f"{where}: key 'language' is {lang_raw!r}; expected 'he' or 'en'")
    if "text" not in data:
        raise ImportFailed(
            f"{where}: missing key 'text' (nested arrays or a dict of sections); nothing was imported"
        )
    categories = data.get("categories")
    category = categories[0] if isinstance(categories, list) and categories else _category_from_path(path)
    parsed = ParsedVersion(
        work=title.strip(),
        he_title=_str_field(data, "heTitle", where, required=False),
        category=str(category),
        lang=lang,
        title=_str_field(data, "versionTitle", where, required=False) or f"Sefaria {lang}",
        source=_str_field(data, "versionSource", where, required=False),
        license=_str_field(data, "license", where, required=False),
    )
    text = data["text"]
    if not isinstance(text, (list, dict)):
        raise ImportFailed(
            f"{where}: key 'text' should be an array or an object, found {type(text).__name__}"
        )
    seen: set[str] = set()
    for seg in walk_text(parsed.work, text, where, []):
        if seg.ref in seen:  # pragma: no cover - walk numbering makes refs unique
            raise ImportFailed(f"{where}: two segments share the ref {seg.ref!r}")
        seen.add(seg.ref)
        parsed.segments.append(seg)
    if not parsed.segments:
        raise ImportFailed(f"{where}: the file holds no text; nothing was imported")
    return parsed


def read_export(path: Path) -> Any:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ImportFailed(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path}: cannot read it as UTF-8 text ({exc})") from exc
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); "
            "expected a Sefaria export (merged.json)"
        ) from exc


def store(conn: sqlite3.Connection, parsed: ParsedVersion) -> ImportReport:
    fp = library.fingerprint_segments(parsed.segments)
    with db.transaction(conn):
        work_id = library.ensure_work(conn, parsed.work, parsed.he_title, parsed.category)
        _, changed = library.write_version(
            conn,
            work_id=work_id,
            lang=parsed.lang,
            title=parsed.title,
            source=parsed.source,
            license=parsed.license,
            segments=parsed.segments,
            fingerprint=fp,
        )
    return ImportReport(
        parsed.work,
        parsed.lang,
        parsed.title,
        len(parsed.segments),
        changed,
        sum(len(s.footnotes or []) for s in parsed.segments),
        sum(len(s.markers or []) for s in parsed.segments),
    )


def import_file(conn: sqlite3.Connection, path: str | Path) -> ImportReport:
    """Import one Sefaria export file as a version of its work, in one transaction."""
    p = Path(path)
    return store(conn, parse_export(read_export(p), where=str(p), path=p))
