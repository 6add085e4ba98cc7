"""Fetch a passage from Sefaria's texts API (v3) into the library.

GET /api/v3/texts/{tref}?version=hebrew&version=english answers with the passage's `ref`,
`sections`/`toSections`, `textDepth`, `indexTitle`, `heIndexTitle`, `categories` and `versions`
(each with `language`, `versionTitle`, `versionSource`, `license` and `text`: a string for one
segment, nested arrays for more). Fetched segments are merged into the version they belong to.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from madrega import db, errors
from madrega.errors import ImportFailed, MadregaError, NotFound, Unavailable
from madrega.refs.address import split as split_ref
from madrega.study import library
from madrega.study.importers.sefaria import make_segment, walk_arrays
from madrega.study.library import SegmentIn

BASE_URL = "https://www.sefaria.org"


class Offline(Unavailable):
    """Sefaria could not be reached (no network, or it did not answer)."""

    def __init__(self, message: str, *, subject: str | None = None) -> None:
        super().__init__(message, remedy=errors.OFFLINE, subject=subject)


LANG_PARAM = {"he": "hebrew", "en": "english"}


@dataclass
class FetchReport:
    ref: str
    versions: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "versions": self.versions}


def _depth(text: Any) -> int:
    d = 0
    while isinstance(text, list):
        d += 1
        text = next((t for t in text if t not in (None, [])), "")
    return d


def segments_of(response: dict[str, Any], text: Any, where: str) -> list[SegmentIn]:
    """Refs for a version's text, from the response's ref and sections (works for a segment,
    a chapter, a range inside a chapter and a range across chapters)."""
    ref = str(response.get("ref") or "")
    node, _address = split_ref(ref)
    if isinstance(text, str):
        seg = make_segment(ref, text)
        return [seg] if seg else []
    sections = [str(s) for s in response.get("sections") or []]
    depth = _depth(text)
    text_depth = int(response.get("textDepth") or (len(sections) + depth - (1 if sections else 0)))
    top = max(0, text_depth - depth)
    prefix = sections[:top]
    start: list[int] = []
    for s in sections[top:]:
        if not s.isdigit():
            break
        start.append(int(s))
    return list(walk_arrays(node, text, where, [], prefix, start or None))


def parse_response(
    data: Any, where: str
) -> tuple[str, str | None, str, list[tuple[dict[str, Any], list[SegmentIn]]]]:
    if not isinstance(data, dict):
        raise ImportFailed(f"{where}: expected a JSON object from the texts API, found {type(data).__name__}")
    if data.get("error"):
        raise NotFound(f"Sefaria says: {data['error']}")
    for key in ("ref", "versions"):
        if key not in data:
            raise ImportFailed(f"{where}: the response has no {key!r} key; expected the texts API v3 format")
    versions = data["versions"]
    if not isinstance(versions, list):
        raise ImportFailed(f"{where}: key 'versions' should be an array")
    work = str(data.get("indexTitle") or data.get("book") or split_ref(str(data["ref"]))[0])
    he_title = data.get("heIndexTitle") or data.get("heTitle")
    categories = data.get("categories") or []
    category = str(categories[0]) if categories else "Other"
    out = []
    for i, v in enumerate(versions):
        if not isinstance(v, dict) or "text" not in v or "language" not in v:
            raise ImportFailed(f"{where}: versions[{i}] should have 'language' and 'text'")
        out.append((v, segments_of(data, v["text"], f"{where}: versions[{i}]")))
    return work, he_title, category, out


def fetch(
    conn: sqlite3.Connection,
    tref: str,
    *,
    langs: tuple[str, ...] = ("he", "en"),
    client: httpx.Client | None = None,
    base_url: str = BASE_URL,
) -> FetchReport:
    """Fetch `tref` in the given languages and merge it into the library (one transaction)."""
    bad = [lang for lang in langs if lang not in LANG_PARAM]
    if bad:
        raise MadregaError(f"unknown language {', '.join(bad)}; use he, en or he,en")
    url = f"{base_url}/api/v3/texts/{quote(tref.strip(), safe='')}"
    params = httpx.QueryParams([("version", LANG_PARAM[lang]) for lang in langs])
    own = client is None
    http = client or httpx.Client(timeout=30.0, follow_redirects=True)
    try:
        response = http.get(url, params=params)
    except httpx.TransportError as exc:
        raise Offline(
            f"cannot reach {base_url} to fetch {tref!r} ({exc.__class__.__name__}); "
            "this computer seems to be offline"
        ) from exc
    finally:
        if own:
            http.close()
    try:
        data = response.json()
    except ValueError as exc:
        raise ImportFailed(
            f"{url}: Sefaria answered HTTP {response.status_code} with something that is not JSON"
        ) from exc
    if response.status_code >= 400 or (isinstance(data, dict) and data.get("error")):
        message = data.get("error") if isinstance(data, dict) else None
        raise NotFound(f"Sefaria could not give {tref!r}: {message or f'HTTP {response.status_code}'}")
    work, he_title, category, versions = parse_response(data, url)
    report = FetchReport(str(data["ref"]))
    usable = [(v, segs) for v, segs in versions if str(v["language"])[:2] in langs and segs]
    if not usable:
        raise NotFound(f"Sefaria has no {' or '.join(langs)} text for {tref!r}; nothing was imported")
    with db.transaction(conn):
        work_id = library.ensure_work(conn, work, he_title, category)
        for v, segments in usable:
            lang = str(v["language"])[:2]
            title = str(v.get("versionTitle") or f"Sefaria {lang}")
            added = library.merge_segments(
                conn,
                work_id=work_id,
                lang=lang,
                title=title,
                source=v.get("versionSource"),
                license=v.get("license"),
                segments=segments,
            )
            report.versions.append({"lang": lang, "title": title, "segments": len(segments), "new": added})
    return report
