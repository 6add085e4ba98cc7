"""Write src/madrega/data/parashot.json: the Torah's weekly portions and the verses each one spans.

The spans are facts from Sefaria's table of contents (the "Parasha" alternate structure of the five
books, in Sefaria's public mobile export `API_UpdateForSefariaMobileDatabase.db`, CC-BY-NC / GPL
data): the first verse of a portion's first aliyah to the last verse of its last. Spellings people
use besides Sefaria's are kept from the current file, so the script can be re-run after editing them.

    python scripts/parashot.py PATH/TO/API_UpdateForSefariaMobileDatabase.db
    python scripts/parashot.py PATH --check   # fail if the file is stale
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "madrega" / "data" / "parashot.json"
BOOKS = ("Genesis", "Exodus", "Leviticus", "Numbers", "Deuteronomy")
ABOUT = (
    "The Torah's weekly portions: Sefaria's names (English, Hebrew), other spellings people write, and "
    "the verses each spans (from Sefaria's table of contents, by scripts/parashot.py). A portion named "
    "alone ('Parashat Bo', 'פרשת משפטים') is read as its verses."
)


def _portions(db: Path) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT / "src"))
    from madrega.refs import parse

    conn = sqlite3.connect(db)
    marks = ",".join("?" * len(BOOKS))
    rows = conn.execute(
        "SELECT b.title, n._id, n.enTitle, n.heTitle FROM Nodes n JOIN Books b ON b._id = n.bid "
        "WHERE n.parentNode IN (SELECT _id FROM Nodes WHERE enTitle = 'Parasha' AND structNum = 2 "
        f"AND bid IN (SELECT _id FROM Books WHERE title IN ({marks}))) ORDER BY n.bid, n.siblingNum",
        BOOKS,
    ).fetchall()
    out = []
    for _book, node, en, he in rows:
        aliyot = [
            r[0]
            for r in conn.execute(
                "SELECT extraTids FROM Nodes WHERE parentNode = ? ORDER BY siblingNum", (node,)
            )
        ]
        first, last = parse(aliyot[0]).starting(), parse(aliyot[-1]).ending()
        span = parse(f"{first}-{':'.join(map(str, last.sections))}")
        out.append({"name": en, "he": he, "ref": str(span)})
    return out


def build(db: Path, current: dict[str, Any]) -> dict[str, Any]:
    kept = {p["name"]: p for p in current.get("parashot", [])}
    parashot = []
    for portion in _portions(db):
        old = kept.get(portion["name"], {})
        portion["aliases"] = old.get("aliases", [])
        portion["he_aliases"] = old.get("he_aliases", [])
        parashot.append(portion)
    return {"about": ABOUT, "parashot": parashot}


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("db", type=Path)
    args.add_argument("--check", action="store_true")
    opts = args.parse_args()
    current = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    fresh = json.dumps(build(opts.db, current), ensure_ascii=False, indent=1) + "\n"
    if opts.check:
        if OUT.read_text(encoding="utf-8") != fresh:
            raise SystemExit(f"{OUT} is stale: run scripts/parashot.py")
        return
    OUT.write_text(fresh, encoding="utf-8")


if __name__ == "__main__":
    main()
