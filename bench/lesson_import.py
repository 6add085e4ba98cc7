"""How long parsing a lesson / an article takes, against merely splitting the same text into paragraphs."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from madrega import api
from madrega.study.importers.align import align_document
from madrega.study.importers.article import parse_article, text_blocks
from madrega.study.importers.lesson import parse_lesson

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def per_call(fn: Callable[[], object], repeat: int = 200) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def library(conn: sqlite3.Connection, verses: int) -> None:
    work = conn.execute("INSERT INTO works(title, category) VALUES ('Bench', 'Test')").lastrowid
    version = conn.execute(
        "INSERT INTO versions(work_id, lang, title) VALUES (?, 'he', 'b')", (work,)
    ).lastrowid
    words = [
        "בנאות",
        "דשא",
        "ירביצני",
        "על",
        "מי",
        "מנחת",
        "ינהלני",
        "נפשי",
        "ישובב",
        "ינחני",
        "במעגלי",
        "צדק",
        "למען",
        "שמו",
    ]
    rows = []
    for n in range(verses):
        text = " ".join(words[(n * 7 + k) % len(words)] for k in range(12)) + f" {n}"
        rows.append((version, f"Bench {n // 20 + 1}:{n % 20 + 1}", n, text, text))
    conn.executemany("INSERT INTO segments(version_id, ref, ord, text, plain) VALUES (?,?,?,?,?)", rows)


def main() -> None:
    lesson = (FIXTURES / "lessons" / "psalm-en-first.txt").read_text(encoding="utf-8") * 10
    page = (FIXTURES / "articles" / "wordpress.html").read_text(encoding="utf-8")
    split = per_call(lambda: text_blocks(lesson))
    parse = per_call(lambda: parse_lesson(lesson))
    article = per_call(lambda: parse_article(page))
    with tempfile.TemporaryDirectory() as tmp:
        conn = api.connect(Path(tmp) / "bench.sqlite")
        library(conn, 20_000)
        doc = parse_lesson(lesson)
        align = per_call(lambda: align_document(conn, parse_lesson(lesson)), repeat=3)
        placed = sum(1 for s in align_document(conn, doc).segments if s.ref)
        conn.close()
    figures = {
        "split_ms": round(split * 1e3, 3),
        "parse_lesson_ms": round(parse * 1e3, 3),
        "parse_article_html_ms": round(article * 1e3, 3),
        "align_20k_segments_ms": round(align * 1e3, 1),
        "aligned_lines": placed,
    }
    ratios = {"parse_lesson_vs_split": round(parse / split, 2), "align_vs_parse": round(align / parse, 1)}
    for key, value in figures.items():
        print(f"{key:>24}: {value}")
    for key, value in ratios.items():
        print(f"{key:>24}: {value}x")
    print(json.dumps({"bench": "lesson_import", "figures": figures, "ratios": ratios}))


if __name__ == "__main__":
    main()
