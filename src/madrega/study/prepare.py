"""A library made ready: the embedded corpus imported, then every index derived from it built, so that no
later command, page or link waits for one. `library init` and `madrega demo` run `init_library`.

The steps, each reported to `progress(step, done, total)` as it goes (a new step starts at done 0):
- `import`: the corpus (units: bytes of its JSON; the search index grows with it, inside the import);
- `search`: the full-text index merged into one segment (`optimize`), so queries read one b-tree;
- `quotes`: the Hebrew quotation index beside the database (units: segments);
- `english`: the English quotation index;
- `gematria`: the runs of words of the whole library by value (standard method);
- `titles`: the title automaton of the catalog, in the cache.
A step whose index is already current is skipped. Each index stays usable if a later step fails.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["InitReport", "init_library", "prepare_indexes"]

Progress = Callable[[str, int, int], None]

STEP_LABELS = {
    "import": "importing the corpus",
    "search": "merging the search index",
    "quotes": "quotation index (Hebrew)",
    "english": "quotation index (English)",
    "gematria": "gematria runs",
    "titles": "title automaton",
}


@dataclass
class InitReport:
    corpus: Any = None  # importers.corpus.CorpusReport
    built: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.corpus.to_json()) if self.corpus is not None else {}
        data["indexes_built"] = list(self.built)
        data["seconds"] = {k: round(v, 3) for k, v in self.seconds.items()}
        return data


def init_library(
    conn: sqlite3.Connection, *, only: list[str] | None = None, progress: Progress | None = None
) -> InitReport:
    """Import the embedded corpus (or the `only` parts), then build what is derived from the library."""
    from madrega.study.importers import corpus

    report = InitReport()
    start = time.perf_counter()
    # The title automaton depends on the catalog only: on a second core it is built (into the cache)
    # while this process imports, instead of after.
    titles = _titles_beside() if (os.cpu_count() or 1) > 1 else None
    report.corpus = corpus.import_corpus(
        conn,
        only=only,
        progress=None if progress is None else (lambda _label, d, t: progress("import", d, t)),
    )
    report.seconds["import"] = time.perf_counter() - start
    changed = bool(report.corpus.works_added or getattr(report.corpus, "translations_added", 0))
    try:
        built = prepare_indexes(conn, progress=progress, merge_search=changed, report=report, titles=titles)
    finally:
        if titles is not None and titles.is_alive():
            titles.kill()
    report.built = built
    return report


def prepare_indexes(
    conn: sqlite3.Connection,
    *,
    progress: Progress | None = None,
    merge_search: bool = False,
    report: InitReport | None = None,
    titles: Any = None,
) -> list[str]:
    """Build every derived index that is not current (after an import of library texts); `titles`:
    the process building the title automaton beside, if one was started."""
    from madrega import cachefile
    from madrega.study.linker import english_quotations, quotations
    from madrega.study.linker.references import prepare_titles
    from madrega.study.search import lookup
    from madrega.study.search.index import optimize

    built: list[str] = []

    def run(step: str, fn: Callable[[Callable[[int, int], None]], Any]) -> None:
        began = time.perf_counter()

        def report_progress(done: int, total: int) -> None:
            if progress is not None:
                progress(step, done, total)

        report_progress(0, 1)
        fn(report_progress)
        report_progress(1, 1)
        built.append(step)
        if report is not None:
            report.seconds[step] = time.perf_counter() - began

    has_hebrew = conn.execute("SELECT 1 FROM versions WHERE lang = 'he' LIMIT 1").fetchone() is not None
    quotes_due = has_hebrew and not cachefile.is_current(conn, quotations.INDEX_NAME, quotations.INDEX_FORMAT)
    # The Hebrew quotation index is the longest step and needs nothing the others write: on a machine
    # with a second core it is built there while this process does the rest.
    beside = _Beside(conn, progress) if quotes_due and (os.cpu_count() or 1) > 1 and _db_path(conn) else None
    if beside is not None:
        beside.start()
    try:
        if merge_search:
            run("search", lambda _p: optimize(conn))
        if not cachefile.is_current(conn, english_quotations.INDEX_NAME, english_quotations.INDEX_FORMAT):
            run("english", lambda p: english_quotations.build_library_index(conn, p))
        if not cachefile.is_current(conn, lookup.RUNS_NAME, lookup.RUNS_FORMAT):
            run("gematria", lambda _p: lookup.build_runs(conn))
        # built beside the import (prepare_titles then finds it in the cache) or here
        run("titles", lambda _p: _titles_ready(titles, prepare_titles))
    finally:
        if beside is not None:
            run("quotes", lambda _p: beside.join())
    if quotes_due and not cachefile.is_current(conn, quotations.INDEX_NAME, quotations.INDEX_FORMAT):
        run("quotes", lambda p: quotations.build_library_index(conn, p))
    return built


def _titles_ready(beside: Any, prepare: Callable[[], None]) -> None:
    if beside is not None:
        beside.join()
    prepare()


def _titles_beside() -> Any:
    """A second process building the title automaton into the cache, unless it is there already."""
    import multiprocessing

    from madrega.study.linker import titles

    if titles.cache_path().exists():
        return None
    process = multiprocessing.get_context("spawn").Process(target=_build_titles, daemon=True)
    process.start()
    return process


def _build_titles() -> None:
    from madrega.study.linker.references import prepare_titles

    # Behind the import and its search index (the steps a user waits on) when the cores are busy:
    # the automaton is needed only at the end of `library init`.
    with contextlib.suppress(OSError):
        os.nice(10)

    prepare_titles()


def _db_path(conn: sqlite3.Connection) -> str:
    from madrega import cachefile

    return cachefile.db_file(conn)


class _Beside:
    """The Hebrew quotation index built in a second process (its progress relayed to this one)."""

    def __init__(self, conn: sqlite3.Connection, progress: Progress | None) -> None:
        import multiprocessing

        self.path = _db_path(conn)
        self.progress = progress
        self.context = multiprocessing.get_context("spawn")
        self.messages = self.context.SimpleQueue()
        self.process = self.context.Process(
            target=_build_quotes, args=(self.path, self.messages), daemon=True
        )
        self.done = False

    def start(self) -> None:
        import threading

        self.process.start()
        self.relay = threading.Thread(target=self._relay, name="madrega-quotes-progress", daemon=True)
        self.relay.start()

    def _relay(self) -> None:
        while True:
            message = self.messages.get()
            if message is None or message == "failed":
                return
            if self.progress is not None:
                self.progress("quotes", *message)

    def join(self) -> None:
        self.process.join()
        self.relay.join(timeout=5)
        self.done = self.process.exitcode == 0


def _build_quotes(path: str, messages: Any) -> None:
    """In the second process: build the index beside the database and say how far it has come."""
    from madrega import db
    from madrega.errors import MadregaError
    from madrega.study.linker import quotations

    try:
        conn = db.connect(path, migrate=False)  # the parent made the tables: this process only reads
        quotations.build_library_index(conn, lambda done, total: messages.put((done, total)))
        conn.close()
    except (MadregaError, sqlite3.Error, OSError, MemoryError):
        # No traceback on the user's screen: the parent sees the failure and builds the index itself,
        # where the error is raised again and reported as every other one is.
        messages.put("failed")
        sys.exit(1)
    except BaseException:
        messages.put("failed")
        raise
    messages.put(None)
