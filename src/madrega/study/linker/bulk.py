"""Linking many texts at once — a folder or the whole library — and storing the citations as anchors.

Work is cut into batches of about the same number of words (a batch of long Hebrew passages costs
what a batch of many short files does), several per worker so that all cores stay busy to the end;
each batch runs in a worker process (all cores) or on a Dask cluster (`scheduler=`). The indexes are
built once, before the workers start, and kept beside the database: workers open the database
read-only and map the same index files (one copy in memory for all of them), so every worker links
against the same indexes and the result does not depend on where a batch ran. Anchors are written by
the caller in one transaction per run.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from madrega import db
from madrega.errors import MadregaError
from madrega.refs.address import ancestors
from madrega.study.linker.citations import Anchor, Citation, link

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = [
    "Item",
    "batches_of",
    "cited_by",
    "insert_anchors",
    "items_from_dir",
    "items_from_library",
    "iter_linked",
    "link_items",
    "not_itself",
    "store_anchors",
]

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
BATCH_WORDS = 40_000  # at most this much work (`work_of`) in a batch
MIN_BATCH_WORDS = 2_000
BATCHES_PER_WORKER = 12  # enough batches that a slow one at the end does not leave cores idle

Progress = Callable[[int, int], None]  # (items done, items total)


@dataclass(frozen=True)
class Item:
    source_kind: str  # 'segment' | 'doc_segment' | 'file'
    source_id: str
    source_ref: str | None
    text: str
    context_ref: str | None = None
    quotations: bool = True  # False: written references only (a verse is not "quoting" its parallels)


def items_from_dir(root: Path) -> list[Item]:
    """Every text file under `root` (sorted, so runs are reproducible)."""
    if not root.is_dir():
        raise MadregaError(f"{root} is not a folder", suggestions=["give a folder of .txt/.md files"])
    items = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES):
        text = path.read_text(encoding="utf-8", errors="replace")
        items.append(Item("file", str(path.relative_to(root)), None, text))
    return items


def items_from_library(conn: sqlite3.Connection) -> Iterator[Item]:
    """Library segments and document segments, in storage order."""
    for row in conn.execute("SELECT id, ref, plain FROM segments ORDER BY id"):
        yield Item("segment", str(row[0]), row[1], row[2])
    for row in conn.execute(
        "SELECT s.id, s.ref, s.plain, d.teaches_ref FROM doc_segments s JOIN documents d ON d.id = s.doc_id "
        "ORDER BY s.id"
    ):
        yield Item("doc_segment", str(row[0]), row[1], row[2], row[3])


def words_of(text: str) -> int:
    """About how many words a text has."""
    return text.count(" ") + text.count("\n") + 1


# A Hebrew word whose quotations are looked up costs ~8x an English word (measured on the embedded
# library: 140 against 17 us a word): batches of equal words would leave a core idle at the end.
HEBREW_QUOTATION_WEIGHT = 8


def work_of(item: Item) -> int:
    """What linking an item costs, in English words."""
    words = words_of(item.text)
    if item.quotations and any("\u05d0" <= ch <= "\u05ea" for ch in item.text[:80]):
        return words * HEBREW_QUOTATION_WEIGHT
    return words


def _batches(items: list[Item], workers: int = 1) -> list[list[Item]]:
    """Consecutive items in batches of about equal work (`work_of`): small enough that every worker
    gets several, never more than BATCH_WORDS."""
    sizes = [work_of(item) for item in items]
    total = sum(sizes)
    target = max(MIN_BATCH_WORDS, min(BATCH_WORDS, total // max(1, workers * BATCHES_PER_WORKER) + 1))
    batches: list[list[Item]] = []
    current: list[Item] = []
    size = 0
    for item, words in zip(items, sizes, strict=True):
        if current and size + words > target:
            batches.append(current)
            current, size = [], 0
        current.append(item)
        size += words
    if current:
        batches.append(current)
    return batches


_WORKER_CONN: dict[str, sqlite3.Connection] = {}


def _open_indexes(conn: sqlite3.Connection) -> None:
    """Open (map) the library's indexes and the title automaton in this process: a worker forked
    after this inherits them instead of loading its own, and a library copied with its index files is
    vouched for here, where the database can be written (a worker opens it read-only)."""
    from madrega.study.linker.english_quotations import english_index_for
    from madrega.study.linker.quotations import index_for
    from madrega.study.linker.references import prepare_titles

    index_for(conn)
    english_index_for(conn)
    prepare_titles()


def prepare_worker(db_path: str | None) -> None:
    """Ready a (Dask) worker before its first batch: the title automaton and the library's indexes,
    so that batches are not held up by a worker still loading them."""
    from madrega.study.linker.references import prepare_titles

    prepare_titles()
    conn = _worker_conn(db_path)
    if conn is not None:
        from madrega.study.linker.english_quotations import english_index_for
        from madrega.study.linker.quotations import index_for

        index_for(conn)
        english_index_for(conn)


def _worker_conn(db_path: str | None) -> sqlite3.Connection | None:
    if not db_path:
        return None
    conn = _WORKER_CONN.get(db_path)
    if conn is None:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
        _WORKER_CONN[db_path] = conn
    return conn


def not_itself(item: Item, citations: list[Citation]) -> list[Citation]:
    """A library segment's citations without the ones of itself (or of the unit holding it)."""
    if item.source_kind == "file" or not item.source_ref:
        return citations
    own = item.source_ref
    return [c for c in citations if not (own == c.ref or own.startswith(c.ref + ":"))]


def link_batch(batch: list[Item], db_path: str | None) -> list[list[Citation]]:
    """Link one batch (runs in a worker process or on a Dask worker)."""
    conn = _worker_conn(db_path)
    out = []
    for item in batch:
        citations = link(item.text, conn=conn if item.quotations else None, context_ref=item.context_ref)
        out.append(not_itself(item, citations))
    return out


BatchLinker = Callable[[list[Item], str | None], list[list[Citation]]]


def link_items(
    items: list[Item],
    *,
    db_path: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> list[list[Citation]]:
    """Citations of every item, in item order, computed in parallel."""
    if db_path:
        from madrega.study.linker.indexes import build_indexes

        conn = db.connect(db_path)
        try:
            build_indexes(conn)  # what is not current yet, once, before the workers need it
            _open_indexes(conn)  # vouched for here (workers only read), and shared by the forked workers
        finally:
            conn.close()
    workers = workers or os.cpu_count() or 1
    batches = _batches(items, 8 if scheduler else workers)  # a cluster's size is its own: plan for 8
    results: list[list[list[Citation]] | None] = [None] * len(batches)
    done = 0
    for i, result in iter_linked(batches, db_path=db_path, workers=workers, scheduler=scheduler):
        results[i] = result
        done += len(batches[i])
        if progress:
            progress(done, len(items))
    return [citations for batch_result in results for citations in (batch_result or [])]


def batches_of(items: list[Item], workers: int | None = None) -> list[list[Item]]:
    """Items cut into batches of about equal words, several per worker (a worker's unit of work)."""
    return _batches(items, workers or os.cpu_count() or 1)


def iter_linked(
    batches: list[list[Item]],
    *,
    db_path: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    linker: BatchLinker = link_batch,
) -> Iterator[tuple[int, list[list[Citation]]]]:
    """(batch index, citations of each of its items) as each batch is done: in a worker process per
    core, on a Dask cluster (`scheduler`), or here when one core or one batch is all there is.
    `linker` is the module-level function a worker runs on a batch (it must pickle)."""
    if scheduler:
        yield from _run_dask(batches, db_path, scheduler, linker)
    elif (workers or os.cpu_count() or 1) <= 1 or len(batches) <= 1:
        for i, batch in enumerate(batches):
            yield i, linker(batch, db_path)
    else:
        # imported here: multiprocessing costs every `madrega` process that links one text ~20 ms
        from concurrent.futures import ProcessPoolExecutor, as_completed

        pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_signals)
        try:
            # the biggest batches first, so the last ones to finish are small (no core idle at the end)
            order = sorted(range(len(batches)), key=lambda i: -sum(map(work_of, batches[i])))
            futures = {pool.submit(linker, batches[i], db_path): i for i in order}
            for future in as_completed(futures):
                yield futures[future], future.result()
        except BaseException:
            _stop_pool(pool)  # asked to stop (SIGTERM, Ctrl-C) or failed: never wait for batches in flight
            raise
        pool.shutdown()


def _worker_signals() -> None:
    """A worker ends when it is told to: the job's own SIGTERM handler is not for it, and Ctrl-C in
    the terminal is the job's to answer (it stops its workers)."""
    import signal
    from concurrent.futures import process

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the job's record of its pools' wake-up pipes; at the worker's exit
    # Python 3.11 would write to those copies and print a traceback (the pipes are the job's, not its).
    with contextlib.suppress(AttributeError):
        process._threads_wakeups.clear()


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers now: they only read, so what the job stored is untouched."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    # Let the pool's manager thread see its dead workers and close its wake-up pipe before the
    # interpreter exits: otherwise Python 3.11's exit hook may write to that pipe as the thread
    # closes it, and print a traceback after a clean stop.
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=2)
        if manager.is_alive():
            from concurrent.futures import process

            with contextlib.suppress(Exception):
                process._threads_wakeups.pop(manager, None)


def _run_dask(
    batches: list[list[Item]], db_path: str | None, scheduler: str | Any, linker: BatchLinker = link_batch
) -> Iterator[tuple[int, Any]]:
    """Run the batches on a Dask cluster; every worker must see `db_path` (shared storage)."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # the optional `cluster` extra
        raise MadregaError(
            "linking on a Dask cluster needs dask[distributed], which is not installed",
            suggestions=[
                "pip install 'madrega[cluster]'",
                "or link on this machine's cores: drop --scheduler",
            ],
        ) from exc
    try:
        client = Client(scheduler)
    except OSError as exc:
        raise MadregaError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    paused = False
    try:
        client.run(prepare_worker, db_path)  # every worker at once, not each on its first batch
        client.run(_profiler, False)
        paused = True
        # the biggest batches first (they run first), so the last ones to finish are small
        order = sorted(range(len(batches)), key=lambda i: -sum(map(work_of, batches[i])))
        futures = [
            client.submit(linker, batches[i], db_path, pure=False, priority=-n) for n, i in enumerate(order)
        ]
        index_of = {f.key: i for f, i in zip(futures, order, strict=True)}
        for future in dask_completed(futures):
            yield index_of[future.key], future.result()
    finally:
        if paused:
            with contextlib.suppress(Exception):
                client.run(_profiler, True)  # the cluster is the user's: its profiler as it was
        client.close()


_PROFILER_CALLBACKS = ("profile", "profile-cycle")
_PAUSED: list[str] = []  # in a Dask worker: the profiler callbacks `_profiler` stopped


def _profiler(on: bool, dask_worker: Any = None) -> None:
    """Pause a Dask worker's statistical profiler while the linker's batches run, or start again what
    was paused. It samples the running batch's stack every 10 ms in the worker's event loop, taking
    the GIL from it each time: on the linker's deep stacks that cost the worker about a fifth more CPU
    than its batches took (measured with 4 workers: 1.5 s beside 6.3 s of linking each; 0.65 s with
    the profiler stopped)."""
    callbacks = getattr(dask_worker, "periodic_callbacks", None) or {}
    if on:
        for name in _PAUSED:
            if name in callbacks and not callbacks[name].is_running():
                callbacks[name].start()
        _PAUSED.clear()
        return
    for name in _PROFILER_CALLBACKS:
        callback = callbacks.get(name)
        if callback is not None and callback.is_running():
            callback.stop()
            _PAUSED.append(name)


_INSERT_ANCHOR = (
    'INSERT INTO anchors(source_kind, source_id, source_ref, start, "end", kind, ref, score, alternatives, '
    "segment_id, owner_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CASE ?1 "
    "WHEN 'segment' THEN (SELECT version_id FROM segments WHERE id = ?10) "
    "WHEN 'doc_segment' THEN (SELECT doc_id FROM doc_segments WHERE id = ?10) END)"
)


def anchor_rows(items: list[Item], results: list[list[Citation]]) -> list[tuple[Any, ...]]:
    """The rows `insert_anchors` writes: one per citation, with the library segment it stands in."""
    return [
        (
            item.source_kind,
            item.source_id,
            item.source_ref,
            c.start,
            c.end,
            c.kind,
            c.ref,
            c.score,
            "|".join(c.alternatives) or None,
            int(item.source_id) if item.source_kind != "file" else None,
        )
        for item, citations in zip(items, results, strict=True)
        for c in citations
    ]


def insert_anchors(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Write anchor rows (inside the caller's transaction); each finds the version or document holding it."""
    conn.executemany(_INSERT_ANCHOR, rows)


def store_anchors(conn: sqlite3.Connection, items: list[Item], results: list[list[Citation]]) -> int:
    """Replace the anchors of these sources with the new citations (one transaction)."""
    rows = anchor_rows(items, results)
    with db.transaction(conn):
        conn.executemany(
            "DELETE FROM anchors WHERE source_kind = ? AND source_id = ?",
            [(item.source_kind, item.source_id) for item in items],
        )
        insert_anchors(conn, rows)
    return len(rows)


def cited_by(conn: sqlite3.Connection, ref: str) -> list[Anchor]:
    """Anchors citing `ref` itself, a place inside it (Job 8 → Job 8:7) or the unit holding it."""
    names = [ref, *ancestors(ref)]
    marks = ",".join("?" * len(names))
    rows = conn.execute(
        f'SELECT source_kind, source_id, source_ref, start, "end", kind, ref, score, segment_id, owner_id '
        f"FROM anchors WHERE ref IN ({marks}) OR (ref >= ? AND ref < ?) ORDER BY score DESC, id",
        (*names, ref + ":", ref + ";"),
    ).fetchall()
    return [Anchor(*tuple(r)) for r in rows]
