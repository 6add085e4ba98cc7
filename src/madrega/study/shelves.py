"""The library arranged as people know it: the Tanakh as Torah, Nevi'im and Ketuvim; the Mishnah and
both Talmuds by their six orders; the Zohar by volume and by weekly portion. The arrangement is data
(`data/shelves.json`, made by scripts/shelves_data.py); only the works the library holds are shown,
and works beyond the shelves (fetched from Sefaria, say) follow by category.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["Entry", "Section", "Shelf", "shelves"]

_TORAH_BOOKS = {
    "בראשית": "Bereshit",
    "שמות": "Shemot",
    "ויקרא": "Vayikra",
    "במדבר": "Bamidbar",
    "דברים": "Devarim",
}


@dataclass
class Entry:
    """A work to open (`work`), or a place in one to read (`ref`: a Zohar portion)."""

    name: str
    he: str | None = None
    work: str | None = None
    ref: str | None = None


@dataclass
class Section:
    name: str
    he: str | None = None
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Shelf:
    name: str
    he: str | None = None
    sections: list[Section] = field(default_factory=list)
    views: dict[str, list[Section]] = field(default_factory=dict)  # other arrangements (Zohar by portion)


@cache
def _data() -> dict[str, Any]:
    text = resources.files("madrega").joinpath("data/shelves.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def shelves(conn: sqlite3.Connection) -> list[Shelf]:
    """The shelves with what this library holds (empty sections and shelves left out)."""
    works = {
        r[0]: (r[1], r[2]) for r in conn.execute("SELECT title, he_title, category FROM works ORDER BY id")
    }
    placed: set[str] = set()
    out: list[Shelf] = []
    for spec in _data()["shelves"]:
        shelf = Shelf(spec["name"], spec.get("he"))
        by_book: dict[str, Section] = {}
        for sec in spec["sections"]:
            section = Section(sec["name"], sec.get("he"))
            for title in sec.get("works", []):
                if title in works:
                    placed.add(title)
                    section.entries.append(Entry(title, works[title][0], work=title))
            for portion in sec.get("portions", []):
                work = portion["ref"].rsplit(" ", 1)[0]
                if work in works:
                    placed.add(work)
                    entry = Entry(portion["name"], portion.get("he"), ref=portion["ref"])
                    section.entries.append(entry)
                    book = _TORAH_BOOKS.get(portion.get("book", ""), "Idrot and more")
                    by_book.setdefault(book, Section(book, portion.get("book"))).entries.append(entry)
            if section.entries:
                shelf.sections.append(section)
        if by_book:
            shelf.views["By weekly portion"] = list(by_book.values())
        if shelf.sections:
            out.append(shelf)
    rest: dict[str, Shelf] = {}
    for title, (he, category) in works.items():
        if title not in placed:
            shelf = rest.setdefault(category, Shelf(category, None, [Section("Works")]))
            shelf.sections[0].entries.append(Entry(title, he, work=title))
    return out + list(rest.values())
