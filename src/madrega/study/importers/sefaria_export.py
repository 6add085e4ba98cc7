"""Works from a local copy of Sefaria's public export (the Sefaria-Export tree), for people who keep one.

The tree holds `json/<categories…>/<Title>/<Language>/merged.json` (one file per work and language, the
fullest text Sefaria has, `versionTitle` "merged") and `schemas/<Title>.json` (the work's index: its
Hebrew title and categories). Works are chosen by title or category; each file is read by the same
parser as `madrega.study.importers.sefaria` and everything chosen is stored in one transaction.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from madrega import db
from madrega.errors import ImportFailed, NotFound
from madrega.study.importers.sefaria import ImportReport, parse_export, read_export, store

LANGUAGES = {"hebrew": "he", "english": "en"}
MERGED_TITLE = "Sefaria export (merged)"
Progress = Callable[[str, int, int], None]  # (label, bytes done, bytes in all)


@dataclass
class ExportFile:
    title: str  # the work's folder name: Sefaria's title
    lang: str
    categories: list[str]
    path: Path


@dataclass
class ExportReport:
    root: str
    imported: list[ImportReport] = field(default_factory=list)

    @property
    def works(self) -> list[str]:
        return sorted({r.work for r in self.imported})

    def to_json(self) -> dict[str, Any]:
        return {"root": self.root, "works": self.works, "versions": [r.to_json() for r in self.imported]}


def scan(root: Path) -> list[ExportFile]:
    """Every merged.json under root/json, with the categories its folders name."""
    base = root / "json"
    if not base.is_dir():
        raise ImportFailed(
            f"{root}: no json/ folder here; a copy of Sefaria's export has json/<category>/…/<title>/"
            "<language>/merged.json and schemas/"
        )
    found = []
    for path in sorted(base.rglob("merged.json")):
        parts = path.relative_to(base).parts  # (*categories, title, language, "merged.json")
        if len(parts) < 3:
            continue
        lang = LANGUAGES.get(parts[-2].lower())
        if lang is None:
            continue
        found.append(ExportFile(parts[-3], lang, list(parts[:-3]), path))
    return found


def _schema(root: Path, title: str) -> dict[str, Any]:
    for name in (title.replace(" ", "_"), title):
        path = root / "schemas" / f"{name}.json"
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ImportFailed(f"{path}: cannot read the work's schema ({exc})") from exc
            return data if isinstance(data, dict) else {}
    return {}


def select(
    files: list[ExportFile], titles: Iterable[str] | None = None, categories: Iterable[str] | None = None
) -> list[ExportFile]:
    """The files of the named works and of the works in the named categories (all when neither)."""
    wanted_titles = {t.strip().lower() for t in titles or [] if t.strip()}
    wanted_cats = {c.strip().lower() for c in categories or [] if c.strip()}
    if not wanted_titles and not wanted_cats:
        return files
    have = {f.title.lower() for f in files}
    missing = sorted(t for t in wanted_titles if t not in have)
    if missing:
        names = sorted({f.title for f in files})
        close = [m for t in missing for m in difflib.get_close_matches(t, names, n=3, cutoff=0.5)]
        close += [n for n in names for t in missing if t in n.lower() and n not in close]
        raise NotFound(f"this export has no work titled {', '.join(missing)}", suggestions=close[:5])
    chosen = [
        f
        for f in files
        if f.title.lower() in wanted_titles or wanted_cats & {c.lower() for c in f.categories}
    ]
    if not chosen:
        cats = sorted({c for f in files for c in f.categories})
        raise NotFound(
            f"this export has no work in the category {', '.join(sorted(wanted_cats))}",
            suggestions=difflib.get_close_matches(next(iter(wanted_cats)), cats, n=5, cutoff=0.4),
        )
    return chosen


def import_export(
    conn: sqlite3.Connection,
    root: str | Path,
    *,
    titles: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    """Import the chosen works of an export tree (one transaction: all of them or none)."""
    base = Path(root).expanduser()
    chosen = select(scan(base), titles, categories)
    report = ExportReport(str(base))
    total = sum(f.path.stat().st_size for f in chosen)
    done = 0
    if progress:
        progress("reading", 0, total)
    parsed = []
    schemas: dict[str, dict[str, Any]] = {}
    for f in chosen:
        data = read_export(f.path)
        if not isinstance(data, dict):
            raise ImportFailed(f"{f.path}: expected a JSON object with title, language and text")
        schema = schemas.setdefault(f.title, _schema(base, f.title))
        data = dict(data)
        data.setdefault("title", f.title)
        data.setdefault("language", f.lang)
        if schema.get("heTitle") and not data.get("heTitle"):
            data["heTitle"] = schema["heTitle"]
        if not data.get("categories"):
            data["categories"] = schema.get("categories") or f.categories or ["Other"]
        if data.get("versionTitle") in (None, "", "merged"):
            data["versionTitle"] = MERGED_TITLE
        parsed.append(parse_export(data, where=str(f.path), path=f.path))
        done += f.path.stat().st_size
        if progress:
            progress(f"{f.title} ({f.lang})", done, total)
    with db.transaction(conn):
        for version in parsed:
            report.imported.append(store(conn, version))
    return report
