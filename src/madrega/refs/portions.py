"""The Torah's weekly portions as places: 'Parashat Bo' is Exodus 10:1-13:16, 'פרשת משפטים' Exodus
21:1-24:18 (data/parashot.json, spans from Sefaria's table of contents).

A portion named alone is its verses; a book's name wins over a portion's ('Shemot' is Exodus, as
Sefaria reads it), unless the portion is introduced as one ('Parashat Shoftim' is Deuteronomy
16:18-21:9, never the book of Judges).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from madrega.datafiles import data_file
from madrega.refs.catalog import _loose_key, name_key
from madrega.refs.catalog_file import catalog

__all__ = ["hebrew_names", "portion", "portion_names"]

_INTRO = re.compile(
    r"^\s*(?:the\s+)?(?:parashat|parashath|parshat|parshas|parashas|parasha|parashah|parsha|parshah|"
    r"sidra|sedra|sidrah|portion|torah portion|weekly portion|פרשת|פרשה|פר'|פ')\s+",
    re.IGNORECASE,
)


@cache
def _parashot() -> list[dict[str, Any]]:
    """The weekly portions of data/parashot.json, read once."""
    parashot: list[dict[str, Any]] = json.loads(data_file("parashot.json").read_text(encoding="utf-8"))[
        "parashot"
    ]
    return parashot


@cache
def hebrew_names() -> tuple[str, ...]:
    """Every Hebrew spelling of every weekly portion ('לך לך', 'לך-לך'), as the data gives them."""
    return tuple(n for p in _parashot() for n in (p["he"], *p["he_aliases"]))


@cache
def portion_names() -> tuple[dict[str, str], dict[str, str]]:
    """Every spelling of every portion → its span, by exact key and by loose key."""
    exact: dict[str, str] = {}
    loose: dict[str, str | None] = {}
    for p in _parashot():
        for name in (p["name"], p["he"], *p["aliases"], *p["he_aliases"]):
            key = name_key(name)
            exact.setdefault(key, p["ref"])
            if len(key) >= 5:
                lk = _loose_key(key)
                loose[lk] = p["ref"] if loose.get(lk, p["ref"]) == p["ref"] else None
    return exact, {k: v for k, v in loose.items() if v is not None and k not in exact}


def portion(text: str) -> str | None:
    """The span (a canonical ref) of the portion `text` names, or None."""
    intro = _INTRO.match(text)
    name = text[intro.end() :] if intro else text
    key = name_key(name)
    if not key:
        return None
    exact, loose = portion_names()
    found = exact.get(key) or (loose.get(_loose_key(key)) if len(key) >= 5 else None)
    if found is None:
        return None
    if intro is None and catalog().exact(key) is not None:
        return None  # 'Shemot', 'Shoftim': the book of that name
    return found
