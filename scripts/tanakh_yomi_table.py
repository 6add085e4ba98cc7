"""Write the Tanakh Yomi sedarim into src/madrega/data/cycles/learning.json (the key "tanakh_yomi").

    python scripts/tanakh_yomi_table.py [TOOLS_DIR]

The facts are the Masoretic sedarim of the Prophets and Writings as @hebcal/learning lists them
(dist/esm/masoretic.json.js, BSD-2-Clause; TOOLS_DIR is where scripts/cycle_reference.py installs
the packages). hebcal stops a seder that runs on into the next book at the end of its first book
(and so skips, e.g., Jonah, Nahum and Malachi); here every seder runs from its first verse to the
verse before the next seder begins, across books, in refs madrega's parser reads (one per book).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from madrega import refs

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "madrega" / "data" / "cycles" / "learning.json"

# The books of each group, in order (the group names are hebcal's).
GROUPS = {
    "Joshua": ["Joshua"], "Judges": ["Judges"], "Samuel": ["I Samuel", "II Samuel"],
    "Kings": ["I Kings", "II Kings"], "Isaiah": ["Isaiah"], "Jeremiah": ["Jeremiah"], "Ezekiel": ["Ezekiel"],
    "Minor Prophets": ["Hosea", "Joel", "Amos", "Obadiah", "Jonah", "Micah", "Nahum", "Habakkuk",
                       "Zephaniah", "Haggai", "Zechariah", "Malachi"],
    "Psalms": ["Psalms"], "Proverbs": ["Proverbs"], "Job": ["Job"], "Song of Songs": ["Song of Songs"],
    "Ruth": ["Ruth"], "Lamentations": ["Lamentations"], "Ecclesiastes": ["Ecclesiastes"], "Esther": ["Esther"],
    "Daniel": ["Daniel"], "Ezra and Nehemiah": ["Ezra", "Nehemiah"], "Chronicles": ["I Chronicles", "II Chronicles"],
}  # fmt: skip


def lengths(book: str) -> tuple[int, ...]:
    found = refs.parse(book).work.lengths
    assert found is not None, book
    return found


def start_of(group: str, text: str) -> tuple[str, int, int]:
    """'I Samuel 2:10-3:19' or '4:3-6:2' (in the group's one book) -> (book, chapter, verse)."""
    text = text.replace(".", ":")
    match = re.match(r"^(?:(.+?) )?(\d+):(\d+)", text)
    assert match, text
    book = match[1] or GROUPS[group][0]
    return book, int(match[2]), int(match[3])


def span(group: str, first: tuple[str, int, int], following: tuple[str, int, int] | None) -> list[str]:
    """The refs from `first` to the verse before `following` (to the group's end when None)."""
    books = GROUPS[group]
    if following is None:
        last_book = books[-1]
        last = (last_book, len(lengths(last_book)), lengths(last_book)[-1])
    else:
        book, chapter, verse = following
        if verse > 1:
            last = (book, chapter, verse - 1)
        elif chapter > 1:
            last = (book, chapter - 1, lengths(book)[chapter - 2])
        else:
            prior = books[books.index(book) - 1]
            last = (prior, len(lengths(prior)), lengths(prior)[-1])
    out = []
    for book in books[books.index(first[0]) : books.index(last[0]) + 1]:
        a = (first[1], first[2]) if book == first[0] else (1, 1)
        b = (last[1], last[2]) if book == last[0] else (len(lengths(book)), lengths(book)[-1])
        out.append(str(refs.parse(f"{book} {a[0]}:{a[1]}-{b[0]}:{b[1]}")))
    return out


def main() -> None:
    tools = Path(
        sys.argv[1]
        if len(sys.argv) > 1
        else os.environ.get("MADREGA_TOOLS", "~/.cache/madrega/reference-tools")
    )
    module = (
        tools.expanduser() / "node_modules" / "@hebcal" / "learning" / "dist" / "esm" / "masoretic.json.js"
    )
    version = json.loads((module.parents[2] / "package.json").read_text())["version"]
    masoretic = json.loads(module.read_text().removeprefix("export default").strip().rstrip(";"))
    sedarim: dict[str, list[list[str]]] = {}
    for group, listed in masoretic["regular"].items():
        starts = [start_of(group, s) for s in listed]
        sedarim[group] = [
            span(group, s, starts[i + 1] if i + 1 < len(starts) else None) for i, s in enumerate(starts)
        ]
    halves: dict[str, dict[str, list[str]]] = {}
    for group, parts in masoretic["split"].items():
        # a seder read over two days in a long year: the first half to the second half's start
        (k1, v1), (k2, v2) = sorted(parts.items())
        number = int(k1.split(".")[0])
        whole = sedarim[group][number - 1]
        second = start_of(group, v2)
        following = (
            start_of(group, masoretic["regular"][group][number]) if number < len(sedarim[group]) else None
        )
        halves[group] = {k1: span(group, start_of(group, v1), second), k2: span(group, second, following)}
        assert whole[0].split()[-1].split("-")[0] == halves[group][k1][0].split()[-1].split("-")[0], (
            group,
            whole,
        )
    data = json.loads(OUT.read_text(encoding="utf-8"))
    data["tanakh_yomi"] = {
        "_about": (
            f"The Masoretic sedarim of the Prophets and Writings (their first verses as @hebcal/learning "
            f"{version} lists them, BSD-2-Clause), each to the verse before the next, across books; "
            "written by scripts/tanakh_yomi_table.py. The cycle restarts each year on 23 Tishrei (since "
            "26 October 1948)."
        ),
        "start": "1948-10-26",
        "order": list(GROUPS),
        "sedarim": sedarim,
        "split": halves,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
