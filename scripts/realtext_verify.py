"""Re-check the real-text gold against the embedded corpus (a maintenance tool, not a test).

For every gold item with a `check` (words the cited place must contain) and every quotation (its
quoted words), read the cited ref from a library and report the items whose words are not there, in
order, by the matching key of `madrega.hebrew` (plene spelling folded). A report line is a gold item
to look at by hand (the corpus may also hold a ketiv/qere pair the words cannot match).

    madrega library init --db dev.sqlite      # once
    python scripts/realtext_verify.py --db dev.sqlite
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from madrega import Library
from madrega.text.hebrew import tokenize, word_key

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "realtext"


def _keys(text: str) -> list[str]:
    return [k for t in tokenize(text) if t.kind == "he" and (k := word_key(t.text, plene=True))]


def _text_of(library: Library, ref: str) -> str:
    passage = library.read(ref, langs=("he",))
    return " ".join(t.text for row in passage.rows for t in row.texts.values())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="a library built with `madrega library init`")
    args = ap.parse_args(argv)
    library = Library.open(args.db)
    checked = bad = 0
    for path in sorted(DATA.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for g in doc["gold"]:
            words = g.get("check") or (g["text"] if g["category"] == "quotation" else None)
            if not words:
                continue
            checked += 1
            try:
                have = _keys(_text_of(library, g["ref"]))
            except Exception as e:
                bad += 1
                print(f"{doc['id']}: {g['ref']}: cannot read ({e})")
                continue
            want = _keys(words)
            if not any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1)):
                bad += 1
                print(f"{doc['id']}: {words!r} not found in {g['ref']}")
    print(f"{checked} gold items checked against the corpus, {bad} to look at")
    return 0


if __name__ == "__main__":
    sys.exit(main())
