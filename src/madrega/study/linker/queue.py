"""The link queue's job: every text the link stage queued, linked on all cores (or a Dask cluster)
and stored batch by batch, while the library stays readable and writable.

Library texts are linked for their written references and, when they are Hebrew and not Scripture
themselves, for the verses they quote: the quotation index here holds the Tanakh only, which is
what "the Talmud quotes Isaiah 51:16" means (a verse is not said to quote its parallels, nor the
Gemara to quote the Mishnah it explains). A user's documents are linked against the whole library
(`madrega.study.linker.stage.link_document`).

One job runs at a time per database (a lock file beside it, released if the process dies). It
keeps its progress in `link_job`, which `status()` reads for the pages and `madrega library status`.
A job that is killed loses only the batches in flight: what it stored stays, what it did not is
still queued, and the next job goes on from there. A text that changed while it was being linked
is stored by the next job, never with anchors of its old words.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from madrega import db
from madrega.study.linker.bulk import (
    Item,
    _worker_conn,
    anchor_rows,
    batches_of,
    insert_anchors,
    iter_linked,
    not_itself,
)
from madrega.study.linker.citations import Citation
from madrega.study.linker.stage import link_document, mark_linked

__all__ = ["JobProgress", "JobReport", "LinkStatus", "is_running", "progress", "run", "status"]

JOB_V1 = """
CREATE TABLE link_job (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pid INTEGER,
    started_at TEXT,
    updated_at TEXT,
    finished_at TEXT,
    total INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    anchors INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
"""

db.register("link_job", [JOB_V1])

Progress = Callable[[int, int], None]  # (segments done, segments in this run)
SCRIPTURE = "Tanakh"
_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


@dataclass
class JobReport:
    versions: int = 0
    documents: int = 0
    segments: int = 0
    anchors: int = 0
    seconds: float = 0.0
    already_running: bool = False
    skipped: int = 0  # texts that changed while they were being linked (still queued)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LinkStatus:
    """How far the library's connections are built."""

    segments: int  # library segments in all
    linked_segments: int  # in versions whose anchors are all stored
    queued_versions: int
    queued_documents: int
    anchors: int
    running: bool
    job: dict[str, Any] = field(default_factory=dict)  # the last (or current) job: total, done, times

    @property
    def complete(self) -> bool:
        return not self.queued_versions and not self.queued_documents

    @property
    def percent(self) -> int:
        """Share of the library's segments linked, for a progress bar (100 when nothing is queued)."""
        if self.complete or not self.segments:
            return 100
        return min(99, self.linked_segments * 100 // self.segments)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(complete=self.complete, percent=self.percent)
        return data


@dataclass
class JobProgress:
    """What a page says while connections are being built (cheap: no counting over the library)."""

    queued: int  # texts waiting
    done: int  # segments linked by the current (or last) job
    total: int
    running: bool

    @property
    def percent(self) -> int:
        return min(99, self.done * 100 // self.total) if self.total else 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["percent"] = self.percent
        return data


def progress(conn: sqlite3.Connection) -> JobProgress | None:
    """None when every text is linked; else how far the link job is."""
    queued = conn.execute("SELECT count(*) FROM link_queue").fetchone()[0]
    if not queued:
        return None
    row = conn.execute("SELECT done, total, finished_at FROM link_job WHERE id = 1").fetchone()
    done, total = (int(row[0]), int(row[1])) if row else (0, 0)
    path = _db_path(conn)
    return JobProgress(int(queued), done, total, is_running(path) if path else False)


def _db_path(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA database_list").fetchone()[2] or "")


def _lock_path(db_path: str) -> Path:
    return Path(db_path + ".link.lock")


@contextlib.contextmanager
def _job_lock(db_path: str) -> Iterator[bool]:
    """Hold the database's link lock for a `with` block; yields False if another job holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: one job at a time is then the user's care
        yield True
        return
    path = _lock_path(db_path)
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def is_running(db_path: str | os.PathLike[str]) -> bool:
    """Whether a link job holds this database's lock right now (in any process)."""
    path = str(db_path)
    if not path or not _lock_path(path).exists():
        return False
    with _job_lock(path) as free:
        return not free


def status(conn: sqlite3.Connection) -> LinkStatus:
    total = conn.execute("SELECT count(*) FROM segments").fetchone()[0]
    linked = conn.execute(
        "SELECT count(*) FROM segments s JOIN linked l ON l.owner = 'version' AND l.owner_id = s.version_id "
        "WHERE NOT EXISTS (SELECT 1 FROM link_queue q WHERE q.owner = 'version' AND q.owner_id = s.version_id)"
    ).fetchone()[0]
    queued = dict(conn.execute("SELECT owner, count(*) FROM link_queue GROUP BY owner").fetchall())
    anchors = conn.execute("SELECT count(*) FROM anchors").fetchone()[0]
    row = conn.execute("SELECT * FROM link_job WHERE id = 1").fetchone()
    job = {k: row[k] for k in row.keys() if k != "id"} if row else {}  # noqa: SIM118 (a Row iterates values)
    path = _db_path(conn)
    return LinkStatus(
        int(total),
        int(linked),
        int(queued.get("version", 0)),
        int(queued.get("document", 0)),
        int(anchors),
        is_running(path) if path else False,
        job,
    )


# --------------------------------------------------------------------------- linking a version


_VERSES: dict[tuple[str, int], Any] = {}  # (db path, library generation) → the Tanakh quotation index


def verse_index(conn: sqlite3.Connection) -> Any:
    """The quotation index of the library's Hebrew Tanakh (one version per verse), built once per
    process and library generation."""
    from madrega.study import library
    from madrega.study.linker.quotations import build_index

    key = (_db_path(conn), library.generation(conn))
    index = _VERSES.get(key)
    if index is None:
        rows = conn.execute(
            "SELECT s.ref, w.category || ' ' || w.title, s.plain FROM segments s "
            "JOIN versions v ON v.id = s.version_id JOIN works w ON w.id = v.work_id "
            "WHERE v.lang = 'he' AND w.category = ? ORDER BY w.id, v.id, s.ord",
            (SCRIPTURE,),
        )
        seen: set[str] = set()

        def verses() -> Iterator[tuple[str, str, str]]:
            for ref, category, plain in rows:
                if ref not in seen:
                    seen.add(ref)
                    yield ref, category, plain

        index = build_index(verses(), version=f"verses:{key[1]}")
        _VERSES.clear()
        _VERSES[key] = index
    return index


def link_library_batch(batch: list[Item], db_path: str | None) -> list[list[Citation]]:
    """Link one batch of library segments (runs in a worker process): written references, and the
    verses a Hebrew text quotes."""
    from madrega.study.linker.quotations import find_quotations
    from madrega.study.linker.references import find_references

    conn = _worker_conn(db_path)
    verses = verse_index(conn) if conn is not None and any(i.quotations for i in batch) else None
    out: list[list[Citation]] = []
    for item in batch:
        text = item.text
        citations = [
            Citation(f.start, f.end, text[f.start : f.end], "reference", f.ref, [], f.score)
            for f in find_references(text, context_ref=item.context_ref)
        ]
        if verses is not None and item.quotations and verses.total_words:
            written = list(citations)
            for q in find_quotations(text, verses):
                if any(q.start < r.end and r.start < q.end for r in written):
                    continue  # the words of a written reference are not a quotation
                citations.append(
                    Citation(
                        q.start, q.end, text[q.start : q.end], "quotation", q.refs[0], q.refs[1:], q.score
                    )
                )
            citations.sort(key=lambda c: (c.start, c.end))
        out.append(not_itself(item, citations))
    return out


def _version_items(conn: sqlite3.Connection, version_id: int) -> list[Item]:
    row = conn.execute(
        "SELECT v.lang, w.category FROM versions v JOIN works w ON w.id = v.work_id WHERE v.id = ?",
        (version_id,),
    ).fetchone()
    if row is None:
        return []
    quotes = row[0] == "he" and row[1] != SCRIPTURE
    return [
        Item("segment", str(r[0]), r[1], r[2], None, quotes)
        for r in conn.execute(
            "SELECT id, ref, plain FROM segments WHERE version_id = ? ORDER BY ord", (version_id,)
        )
    ]


# --------------------------------------------------------------------------- the job


def run(
    db_path: str | os.PathLike[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> JobReport:
    """Link everything queued (and what is queued while it runs) until the queue is empty."""
    path = str(db_path)
    report = JobReport()
    started = clock()
    with _job_lock(path) as mine:
        if not mine:
            report.already_running = True
            return report
        conn = db.connect(path)
        try:
            _job_started(conn)
            try:
                while _run_once(conn, path, report, workers, scheduler, progress):
                    pass
            except BaseException as exc:
                conn.execute(
                    f"UPDATE link_job SET error = ?, updated_at = {_NOW} WHERE id = 1",
                    (f"{type(exc).__name__}: {exc}",),
                )
                raise
            conn.execute(f"UPDATE link_job SET finished_at = {_NOW}, updated_at = {_NOW} WHERE id = 1")
        finally:
            conn.close()
    report.seconds = clock() - started
    return report


def _job_started(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO link_job(id, pid, started_at, updated_at, finished_at, total, done, anchors, error) "
        f"VALUES (1, ?, {_NOW}, {_NOW}, NULL, 0, 0, 0, NULL) ON CONFLICT(id) DO UPDATE SET "
        "pid = excluded.pid, started_at = excluded.started_at, updated_at = excluded.updated_at, "
        "finished_at = NULL, total = 0, done = 0, anchors = 0, error = NULL",
        (os.getpid(),),
    )


def _run_once(
    conn: sqlite3.Connection,
    path: str,
    report: JobReport,
    workers: int | None,
    scheduler: str | None,
    progress: Progress | None,
) -> bool:
    """One pass over what is queued now; False when there was nothing left to do."""
    queued = conn.execute(
        "SELECT owner, owner_id, queued FROM link_queue ORDER BY owner, owner_id"
    ).fetchall()
    if not queued:
        return False
    tokens = {(r[0], r[1]): r[2] for r in queued}
    did_something = False
    for (owner, owner_id), token in tokens.items():
        if owner != "document":
            continue
        with db.transaction(conn):
            if _still_queued(conn, owner, owner_id, token):
                report.anchors += link_document(conn, owner_id)
                report.documents += 1
                did_something = True
    items_of: dict[int, list[Item]] = {}
    for (owner, owner_id), _token in tokens.items():
        if owner == "version":
            items_of[owner_id] = _version_items(conn, owner_id)
    items = [item for vid in items_of for item in items_of[vid]]
    owner_of = {item.source_id: vid for vid, its in items_of.items() for item in its}
    remaining = {vid: len(its) for vid, its in items_of.items()}
    for vid, count in list(remaining.items()):
        if count == 0:  # an empty version: nothing to link, but it is linked
            _finish_version(conn, vid, tokens[("version", vid)], report)
            del remaining[vid]
            did_something = True
    total = len(items)
    done = 0
    conn.execute(f"UPDATE link_job SET total = total + ?, updated_at = {_NOW} WHERE id = 1", (total,))
    if items:
        batches = batches_of(items)
        for i, results in iter_linked(
            batches, db_path=path, workers=workers, scheduler=scheduler, linker=link_library_batch
        ):
            batch = batches[i]
            stored = _store_batch(conn, batch, results, owner_of, tokens)
            for item in batch:
                vid = owner_of[item.source_id]
                remaining[vid] -= 1
            done += len(batch)
            report.segments += len(batch)
            report.anchors += sum(stored.values())
            conn.execute(
                f"UPDATE link_job SET done = done + ?, anchors = anchors + ?, updated_at = {_NOW} WHERE id = 1",
                (len(batch), sum(stored.values())),
            )
            for vid in [v for v, left in remaining.items() if left == 0]:
                _finish_version(conn, vid, tokens[("version", vid)], report)
                del remaining[vid]
            if progress:
                progress(done, total)
        did_something = True
    return did_something


def _still_queued(conn: sqlite3.Connection, owner: str, owner_id: int, token: int) -> bool:
    row = conn.execute(
        "SELECT queued FROM link_queue WHERE owner = ? AND owner_id = ?", (owner, owner_id)
    ).fetchone()
    return row is not None and row[0] == token


def _store_batch(
    conn: sqlite3.Connection,
    batch: list[Item],
    results: list[list[Citation]],
    owner_of: dict[str, int],
    tokens: dict[tuple[str, int], int],
) -> dict[int, int]:
    """Store a batch's anchors for the versions still queued as they were read; anchors per version."""
    stored: dict[int, int] = {}
    with db.transaction(conn):
        current = {
            vid
            for vid in {owner_of[item.source_id] for item in batch}
            if _still_queued(conn, "version", vid, tokens[("version", vid)])
        }
        keep = [
            (item, res)
            for item, res in zip(batch, results, strict=True)
            if owner_of[item.source_id] in current
        ]
        if not keep:
            return stored
        conn.executemany(
            "DELETE FROM anchors WHERE source_kind = 'segment' AND segment_id = ?",
            [(int(item.source_id),) for item, _ in keep],
        )
        rows = anchor_rows([item for item, _ in keep], [res for _, res in keep])
        insert_anchors(conn, rows)
        for item, res in keep:
            vid = owner_of[item.source_id]
            stored[vid] = stored.get(vid, 0) + len(res)
    return stored


def _finish_version(conn: sqlite3.Connection, vid: int, token: int, report: JobReport) -> None:
    with db.transaction(conn):
        if _still_queued(conn, "version", vid, token):
            count = conn.execute(
                "SELECT count(*) FROM anchors WHERE source_kind = 'segment' AND owner_id = ?", (vid,)
            ).fetchone()[0]
            mark_linked(conn, "version", vid, int(count))
            report.versions += 1
        else:
            report.skipped += 1
