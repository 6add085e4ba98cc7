"""Dump what `madrega.refs.parse` gives for every citation string the project measures, one line each,
so that a change meant to be only faster can be checked to change nothing:

    python scripts/parse_dump.py > before.txt
    # ... change the parser ...
    python scripts/parse_dump.py > after.txt && cmp before.txt after.txt

The strings: bench/refs.py's pool and warm-up strings and its misspellings, the `input` and `expected`
columns of tests/data/realtext/citations*.tsv and of the peers' tables, the peers' linker texts and
their refs, and the text and ref of every gold and ignored span of tests/data/realtext/*.json. Each
line is the string, then the ref (its canonical form, sections, Hebrew and URL forms) or the error
(its class, message, suggestions and alternatives). The strings are read in order with the parser's
memory filling as it goes, then again from its memory; `--fresh N` instead reads every N-th string
with every cache cleared before it (first-time parsing), which must print the same lines.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import refs as refs_bench  # noqa: E402  (bench/refs.py)
from madrega.refs import RefError, catalog, parse  # noqa: E402
from madrega.refs.parser import clear_caches  # noqa: E402

TABLES = ("peers/bcv_ot.tsv", "peers/bcv_refuse.tsv", "peers/sefaria_ref.tsv")


def _bench_strings() -> list[str]:
    """bench/refs.py's pool and warm-up strings, drawn as it draws them, and its misspellings."""
    rng = random.Random(5785)
    catalog()
    draws = (refs_bench._variants(refs_bench._sample(rng), rng) for _ in range(refs_bench.POOL * 3))
    distinct = list(dict.fromkeys(draws))
    return [*distinct[: refs_bench.POOL + 2_000], *refs_bench.MISSPELT]


def _table_strings(path: Path) -> list[str]:
    rows = [line for line in path.read_text(encoding="utf-8").splitlines(True) if not line.startswith("#")]
    out: list[str] = []
    for row in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
        out += [row[column] for column in ("input", "expected") if row.get(column)]
    return out


def strings() -> list[str]:
    data = ROOT / "tests" / "data"
    out = _bench_strings()
    for path in [*sorted((data / "realtext").glob("citations*.tsv")), *(data / t for t in TABLES)]:
        out += _table_strings(path)
    for case in json.loads((data / "peers" / "sefaria_link.json").read_text(encoding="utf-8")):
        out += [case["text"], *case["expected"], *case["expected_as_written"]]
    for path in sorted((data / "realtext").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for span in [*doc.get("gold", []), *doc.get("ignore", [])]:
            out += [span["text"], *([span["ref"]] if span.get("ref") else [])]
    return out


def reading(text: str) -> str:
    try:
        ref = parse(text)
    except RefError as exc:
        alternatives = getattr(exc, "alternatives", None)
        return f"ERR {type(exc).__name__}: {exc} | sug={exc.suggestions} | alt={alternatives}"
    return f"OK {ref} | {ref.sections} {ref.end} | {ref.he()} | {ref.url()}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--fresh", type=int, metavar="N", help="every N-th string, each with every cache cleared"
    )
    args = parser.parse_args()
    texts = strings()
    clear_caches()
    out = sys.stdout
    if args.fresh:
        for text in texts[:: args.fresh]:
            clear_caches()
            out.write(f"{text!r}\t{reading(text)}\n")
        return
    for text in texts:
        out.write(f"{text!r}\t{reading(text)}\n")
    for text in texts:  # the same strings again, from the parser's memory
        out.write(f"again {text!r}\t{reading(text)}\n")


if __name__ == "__main__":
    main()
