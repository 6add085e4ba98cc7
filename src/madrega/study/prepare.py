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

import sqlite3
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
    report.corpus = corpus.import_corpus(
        conn,
        only=only,
        progress=None if progress is None else (lambda _label, d, t: progress("import", d, t)),
    )
    report.seconds["import"] = time.perf_counter() - start
    changed = bool(report.corpus.works_added)
    built = prepare_indexes(conn, progress=progress, merge_search=changed, report=report)
    report.built = built
    return report


def prepare_indexes(
    conn: sqlite3.Connection,
    *,
    progress: Progress | None = None,
    merge_search: bool = False,
    report: InitReport | None = None,
) -> list[str]:
    """Build every derived index that is not current (after an import of library texts)."""
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

    if merge_search:
        run("search", lambda _p: optimize(conn))
    has_hebrew = conn.execute("SELECT 1 FROM versions WHERE lang = 'he' LIMIT 1").fetchone() is not None
    if has_hebrew and not cachefile.is_current(conn, quotations.INDEX_NAME, quotations.INDEX_FORMAT):
        run("quotes", lambda p: quotations.build_library_index(conn, p))
    if not cachefile.is_current(conn, english_quotations.INDEX_NAME, english_quotations.INDEX_FORMAT):
        run("english", lambda p: english_quotations.build_library_index(conn, p))
    if not cachefile.is_current(conn, lookup.RUNS_NAME, lookup.RUNS_FORMAT):
        run("gematria", lambda _p: lookup.build_runs(conn))
    run("titles", lambda _p: prepare_titles())
    return built
