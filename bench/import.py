"""Corpus import speed against a floor measured in the same run.

floor  = json.load of the same corpus files, reading the English Tanakh's rows from its packages, and one
         executemany of the same rows into a fresh SQLite file (a bare table, no indexes, one transaction)
import = `import_corpus` into a fresh database (sanitizing, refs, plain text, the English Tanakh's
         versification, indexes, one transaction), library change hooks off — derived indexes (search)
         are timed separately.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from madrega import api
from madrega.study import library
from madrega.study.importers import corpus, english_tanakh


def _rows() -> tuple[list[tuple[int, str, int, str, str, str | None, str | None]], int]:
    """The rows the import writes, and how many of them are English."""
    base = corpus.data_dir()
    rows = []
    vid = english = 0
    for g in corpus.selected_groups(None):
        for work in g.build(base):
            vid += 1
            if work.lang == "en":
                english += len(work.segments)
            for i, s in enumerate(work.segments, start=1):
                rows.append((vid, s.ref, i, s.text, s.plain, None, None))
    return rows, english


def floor(
    files: list[Path], rows: list[tuple[int, str, int, str, str, str | None, str | None]], tmp: Path
) -> float:
    import sqlite3

    t0 = time.perf_counter()
    for f in files:
        with open(f, encoding="utf-8") as fh:
            json.load(fh)
    jps = english_tanakh.jps_raw()
    english_tanakh.leeser_raw([t for t in corpus._tanakh_titles() if not jps.get(t)])
    conn = sqlite3.connect(tmp / "floor.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE segments (id INTEGER PRIMARY KEY, version_id INTEGER, ref TEXT, ord INTEGER, "
        "text TEXT, plain TEXT, footnotes TEXT, markers TEXT)"
    )
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO segments(version_id, ref, ord, text, plain, footnotes, markers) VALUES (?,?,?,?,?,?,?)",
        rows,
    )
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - t0


def ours(tmp: Path, name: str) -> float:
    conn = api.connect(tmp / name)
    t0 = time.perf_counter()
    corpus.import_corpus(conn)
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def main() -> None:
    base = corpus.data_dir()
    files = [base / "json" / f for g in corpus.selected_groups(None) for f in g.files]
    mb = sum(f.stat().st_size for f in files) / 1e6
    rows, english = _rows()
    import madrega.api  # noqa: F401  (registers every hook first, then set them aside)

    hooks = list(library._HOOKS)
    library._HOOKS.clear()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        floors, runs = [], []
        for i in range(3):
            floors.append(floor(files, rows, tmp))
            (tmp / "floor.sqlite").unlink()
            runs.append(ours(tmp, f"ours{i}.sqlite"))
        conn = api.connect(tmp / "ours0.sqlite")
        t0 = time.perf_counter()
        corpus.import_corpus(conn)
        rerun = time.perf_counter() - t0
        conn.close()
    library._HOOKS[:] = hooks
    f, s = min(floors), min(runs)
    print(f"corpus: {mb:.1f} MB of JSON, {len(rows):,} segments ({english:,} of them the English Tanakh)")
    print(f"floor (json.load + executemany): {f:.2f} s")
    print(f"import_corpus:                   {s:.2f} s  ({mb / s:.1f} MB/s, {s / f:.2f}x floor)")
    print(f"second run (nothing to do):      {rerun * 1000:.1f} ms")
    print(
        json.dumps(
            {
                "bench": "import",
                "figures": {
                    "seconds": round(s, 3),
                    "mb_per_s": round(mb / s, 1),
                    "floor_seconds": round(f, 3),
                    "megabytes": round(mb, 1),
                    "segments": len(rows),
                    "english_segments": english,
                    "rerun_ms": round(rerun * 1000, 1),
                },
                "ratios": {"vs_floor": round(s / f, 2)},
            }
        )
    )


if __name__ == "__main__":
    main()
