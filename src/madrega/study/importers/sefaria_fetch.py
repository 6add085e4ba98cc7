"""Fetch a whole work from Sefaria's API: every part and chapter, Hebrew and English, resumable.

Three endpoints: the index (`/api/v2/raw/index/{title}`: the schema tree, its nodes' titles, depth and
address types), the shape (`/api/shape/{title}`: each leaf node's full title and its chapters' lengths)
and the texts API v3 (`/api/v3/texts/{ref}?version=hebrew&version=english`, one chapter at a time).

Each fetched chapter is kept as Sefaria sent it (table `sefaria_sections`, committed one by one), so an
interrupted fetch resumes where it stopped and a finished one asks the network nothing again. The
versions are then written from what is kept, each one whole, in one transaction (`library.write_version`
with a fingerprint: writing the same text again changes nothing).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from madrega import db, errors
from madrega.errors import ImportFailed, MadregaError, NotFound
from madrega.study import library
from madrega.study.importers.sefaria_api import BASE_URL, LANG_PARAM, Offline, parse_response
from madrega.study.library import SegmentIn

SCHEMA_V1 = """
CREATE TABLE sefaria_plans (
    work TEXT PRIMARY KEY,
    he_title TEXT,
    category TEXT NOT NULL,
    sections TEXT NOT NULL,
    planned_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE sefaria_sections (
    work TEXT NOT NULL,
    ref TEXT NOT NULL,
    response TEXT,
    fetched_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (work, ref)
);
"""

db.register("sefaria_fetch", [SCHEMA_V1])

Progress = Callable[[str, int, int], None]  # (label, sections done, sections in all)
HOST = "www.sefaria.org"


@dataclass
class Plan:
    work: str  # Sefaria's index title, which is the library's work title
    he_title: str | None
    category: str
    sections: list[str] = field(default_factory=list)  # refs to fetch, in reading order


@dataclass
class WorkFetchReport:
    work: str
    sections: int = 0
    fetched: int = 0  # asked of the network in this run
    kept: int = 0  # already fetched before, not asked again
    empty: list[str] = field(default_factory=list)  # sections Sefaria had no text for
    versions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.fetched + self.kept == self.sections

    def to_json(self) -> dict[str, Any]:
        return {
            "work": self.work,
            "sections": self.sections,
            "fetched": self.fetched,
            "kept": self.kept,
            "empty": self.empty,
            "complete": self.complete,
            "versions": self.versions,
        }


# ---------------------------------------------------------------------------- the plan


def _primary_title(node: dict[str, Any]) -> str:
    for t in node.get("titles") or []:
        if isinstance(t, dict) and t.get("lang") == "en" and t.get("primary"):
            return str(t.get("text") or "")
    return str(node.get("title") or "")


@dataclass
class _Leaf:
    title: str
    depth: int
    address_types: list[str]
    lengths: list[int]


def _leaves(node: dict[str, Any], name: str) -> Iterator[_Leaf]:
    """The leaf nodes of a schema with their full English titles (a default node adds no title)."""
    children = node.get("nodes")
    if isinstance(children, list) and children:
        for child in children:
            if not isinstance(child, dict):
                continue
            if child.get("default") or child.get("key") == "default":
                yield from _leaves(child, name)
            else:
                yield from _leaves(child, f"{name}, {_primary_title(child)}")
        return
    depth = int(node.get("depth") or 1)
    types = [str(t) for t in node.get("addressTypes") or []]
    lengths = [int(n) for n in node.get("lengths") or [] if isinstance(n, int)]
    yield _Leaf(name, depth, types, lengths)


def _shapes(data: Any) -> dict[str, Any]:
    """Every leaf shape of a shape API answer by its full title: {title: chapters}."""
    out: dict[str, Any] = {}

    def walk(item: Any) -> None:
        if isinstance(item, list):
            for x in item:
                walk(x)
        elif isinstance(item, dict):
            if item.get("isComplex"):
                walk(item.get("chapters"))
            elif "title" in item and "chapters" in item:
                out[str(item["title"])] = item["chapters"]

    walk(data)
    return out


def _address(index: int, address_types: list[str]) -> str:
    """The top-level address of a leaf's index-th section (0-based): '5', or a daf ('2a') for Talmud."""
    if address_types and address_types[0] == "Talmud":
        return f"{index // 2 + 1}{'ab'[index % 2]}"
    return str(index + 1)


def _has_text(shape: Any) -> bool:
    if isinstance(shape, list):
        return any(_has_text(x) for x in shape)
    return bool(shape)


def plan_from(index: dict[str, Any], shape: Any) -> Plan:
    """The sections to fetch, from the index and shape answers (each chapter with text, in order)."""
    title = str(index.get("title") or "").strip()
    schema = index.get("schema")
    if not title or not isinstance(schema, dict):
        raise ImportFailed("Sefaria's index answer has no title or schema; nothing was fetched")
    categories = index.get("categories") or []
    plan = Plan(
        title, index.get("heTitle") or schema.get("heTitle"), str(categories[0]) if categories else "Other"
    )
    shapes = _shapes(shape)
    for leaf in _leaves(schema, title):
        if leaf.depth <= 1:
            plan.sections.append(leaf.title)
            continue
        chapters = shapes.get(leaf.title)
        if isinstance(chapters, list):
            for i, chapter in enumerate(chapters):
                if _has_text(chapter):
                    plan.sections.append(f"{leaf.title} {_address(i, leaf.address_types)}")
        elif leaf.lengths:
            plan.sections.extend(
                f"{leaf.title} {_address(i, leaf.address_types)}" for i in range(leaf.lengths[0])
            )
        else:
            plan.sections.append(leaf.title)  # no shape known: ask for the node, take what comes
    return plan


# ---------------------------------------------------------------------------- HTTP


def _get(http: httpx.Client, url: str, what: str, params: httpx.QueryParams | None = None) -> Any:
    try:
        response = http.get(url, params=params)
    except httpx.TransportError as exc:
        raise Offline(
            f"cannot reach {HOST} to fetch {what} ({exc.__class__.__name__}); this computer seems to be offline"
        ) from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise Offline(f"{HOST} is not answering right now (HTTP {response.status_code}) for {what}")
    try:
        data = response.json()
    except ValueError as exc:
        raise ImportFailed(
            f"{url}: Sefaria answered HTTP {response.status_code} with something that is not JSON"
        ) from exc
    if response.status_code >= 400 or (isinstance(data, dict) and data.get("error")):
        message = data.get("error") if isinstance(data, dict) else None
        raise NotFound(f"Sefaria has no {what}: {message or f'HTTP {response.status_code}'}")
    return data


def make_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The HTTP client every fetch uses (tests and the web app pass their own transport)."""
    return httpx.Client(timeout=30.0, follow_redirects=True, transport=transport)


def reachable(client: httpx.Client, base_url: str = BASE_URL) -> bool:
    """Whether Sefaria answers at all (a quick look, so pages can offer to fetch)."""
    try:
        client.get(f"{base_url}/api/index/", timeout=3.0, headers={"Range": "bytes=0-0"})
    except httpx.TransportError:
        return False
    return True


# ---------------------------------------------------------------------------- the fetch


def index_titles(name: str) -> list[str]:
    """Sefaria index titles to try for a work the catalog knows, best first: a part of Tanya is a
    node of the index 'Tanya', a part of the Shulchan Arukh an index of its own. A name the catalog
    does not know is tried as given (any other work on Sefaria)."""
    from madrega import refs
    from madrega.refs.catalog import name_key

    name = name.strip()
    try:
        work = refs.parse(name).work
    except refs.RefError:
        return [name]
    if work.group is None:
        return [work.title]
    if name_key(name) == name_key(work.group):
        return [work.group]
    return [work.title, work.group]


def _saved_plan(conn: sqlite3.Connection, work: str) -> Plan | None:
    row = conn.execute(
        "SELECT he_title, category, sections FROM sefaria_plans WHERE work=?", (work,)
    ).fetchone()
    if row is None:
        return None
    return Plan(work, row[0], row[1], json.loads(row[2]))


def _save_plan(conn: sqlite3.Connection, plan: Plan) -> None:
    with db.transaction(conn):
        conn.execute(
            "INSERT INTO sefaria_plans(work, he_title, category, sections) VALUES (?,?,?,?) "
            "ON CONFLICT(work) DO UPDATE SET he_title=excluded.he_title, category=excluded.category, "
            "sections=excluded.sections, planned_at=strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            (plan.work, plan.he_title, plan.category, json.dumps(plan.sections, ensure_ascii=False)),
        )


def fetch_work(
    conn: sqlite3.Connection,
    name: str,
    *,
    langs: tuple[str, ...] = ("he", "en"),
    client: httpx.Client | None = None,
    base_url: str = BASE_URL,
    progress: Progress | None = None,
    refresh: bool = False,
) -> WorkFetchReport:
    """Fetch the whole of `name` from Sefaria into the library; what was fetched before is kept and
    not asked again (`refresh` asks again). An interruption keeps every chapter fetched so far and
    writes them; the next call goes on from there."""
    bad = [lang for lang in langs if lang not in LANG_PARAM]
    if bad:
        raise MadregaError(f"unknown language {', '.join(bad)}; use he, en or he,en")
    db.apply_migrations(conn)  # this module's tables, registered when it was imported
    titles = index_titles(name)
    own = client is None
    http = client or make_client()
    try:
        plan = None if refresh else next(filter(None, (_saved_plan(conn, t) for t in titles)), None)
        if plan is None:
            plan = _plan(http, base_url, titles, name)
            _save_plan(conn, plan)
            if refresh:
                with db.transaction(conn):
                    conn.execute("DELETE FROM sefaria_sections WHERE work=?", (plan.work,))
        report = WorkFetchReport(plan.work, len(plan.sections))
        kept = {r[0] for r in conn.execute("SELECT ref FROM sefaria_sections WHERE work=?", (plan.work,))}
        params = httpx.QueryParams([("version", LANG_PARAM[lang]) for lang in langs])
        done = 0
        if progress:
            progress(plan.work, 0, len(plan.sections))
        try:
            for ref in plan.sections:
                if ref in kept:
                    report.kept += 1
                else:
                    url = f"{base_url}/api/v3/texts/{quote(ref, safe='')}"
                    try:
                        data = _get(http, url, repr(ref), params)
                    except NotFound:
                        data = None
                    with db.transaction(conn):
                        conn.execute(
                            "INSERT OR REPLACE INTO sefaria_sections(work, ref, response) VALUES (?,?,?)",
                            (
                                plan.work,
                                ref,
                                json.dumps(data, ensure_ascii=False) if data is not None else None,
                            ),
                        )
                    report.fetched += 1
                done += 1
                if progress:
                    progress(ref, done, len(plan.sections))
        except Offline as exc:
            _write(conn, plan, langs, report)
            stopped = Offline(
                f"{exc.message}; stopped after {done} of {len(plan.sections)} sections of {plan.work} "
                "(they are kept: fetching it again goes on from there)",
                subject=plan.work,
            )
            stopped.remedy = errors.RESUME_FETCH
            raise stopped from exc
        _write(conn, plan, langs, report)
        return report
    finally:
        if own:
            http.close()


def _plan(http: httpx.Client, base_url: str, titles: list[str], name: str) -> Plan:
    for i, title in enumerate(titles):
        try:
            index = _get(
                http, f"{base_url}/api/v2/raw/index/{quote(title, safe='')}", f"work titled {title!r}"
            )
        except NotFound:
            if i + 1 < len(titles):
                continue
            raise NotFound(f"Sefaria has no work titled {name!r}") from None
        shape = _get(http, f"{base_url}/api/shape/{quote(title, safe='')}", f"shape for {title!r}")
        return plan_from(index, shape)
    raise NotFound(f"Sefaria has no work titled {name!r}")  # pragma: no cover - titles is never empty


def _write(conn: sqlite3.Connection, plan: Plan, langs: tuple[str, ...], report: WorkFetchReport) -> None:
    """Every version in the kept answers, written whole (one transaction)."""
    order = {ref: i for i, ref in enumerate(plan.sections)}
    rows = conn.execute("SELECT ref, response FROM sefaria_sections WHERE work=?", (plan.work,)).fetchall()
    rows.sort(key=lambda r: order.get(r[0], len(order)))
    versions: dict[tuple[str, str], dict[str, Any]] = {}
    he_title, category = plan.he_title, plan.category
    for ref, response in rows:
        data = json.loads(response) if response else None
        if not data:
            report.empty.append(ref)
            continue
        _work, he, cat, found = parse_response(data, f"{HOST} {ref}")
        he_title = he_title or he
        category = category if category != "Other" else cat
        usable = [(v, segs) for v, segs in found if str(v.get("language"))[:2] in langs and segs]
        if not usable:
            report.empty.append(ref)
        for v, segs in usable:
            lang = str(v["language"])[:2]
            key = (lang, str(v.get("versionTitle") or f"Sefaria {lang}"))
            entry = versions.setdefault(
                key, {"source": v.get("versionSource"), "license": v.get("license"), "segments": {}}
            )
            for seg in segs:
                entry["segments"].setdefault(seg.ref, seg)
    with db.transaction(conn):
        work_id = library.ensure_work(conn, plan.work, he_title, category)
        for (lang, title), entry in versions.items():
            segments: list[SegmentIn] = list(entry["segments"].values())
            _, changed = library.write_version(
                conn,
                work_id=work_id,
                lang=lang,
                title=title,
                source=entry["source"],
                license=entry["license"],
                segments=segments,
                fingerprint=library.fingerprint_segments(segments),
            )
            report.versions.append(
                {
                    "lang": lang,
                    "title": title,
                    "license": entry["license"],
                    "source": entry["source"],
                    "segments": len(segments),
                    "changed": changed,
                }
            )


def names_a_passage(text: str) -> bool:
    """Whether `text` is a passage ('Genesis 1', 'Iggeret HaTeshuvah 10') rather than a whole work
    ('Tanya', 'Likutei Moharan, Part II', a work the catalog does not know)."""
    import re

    from madrega import refs

    try:
        return bool(refs.parse(text).sections)
    except refs.RefError:
        return re.search(r"\s\d+[ab]?(?::\d+[ab]?)*(?:\s*-\s*[\d:ab]+)?$", text.strip()) is not None
