"""English (King James) verse numbers → the library's Masoretic numbers, from `data/versification.json`.

The table is data (facts with their sources); this module only reads it. `Versification.targets`
says where an English verse goes: usually the same number, sometimes another chapter (Malachi 4:1 →
3:19), several Hebrew verses (a psalm's title and first verse: Psalms 51:1 → 51:1, 51:2, 51:3) or,
with its neighbours, one (Exodus 20:13-16 → 20:13). `remap` applies it to a translation's verses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from madrega.errors import MadregaError

Verse = tuple[int, int]  # (chapter, verse)

_SPEC = re.compile(r"^(\d+):(\d+)(?:-(?:(\d+):)?(\d+))?$")


def table_text() -> str:
    return resources.files("madrega").joinpath("data/versification.json").read_text(encoding="utf-8")


def _expand(spec: str, lengths: list[int], where: str) -> list[Verse]:
    """'5:1' → [(5, 1)]; '5:2-20' → (5, 2) … (5, 20); '20:42-21:1' across the chapter end."""
    m = _SPEC.match(spec.strip())
    if not m:
        raise MadregaError(f"versification table, {where}: {spec!r} is not c:v, c:v-v or c:v-c:v")
    c, v = int(m[1]), int(m[2])
    if m[4] is None:
        return [(c, v)]
    c2, v2 = int(m[3] or c), int(m[4])
    out: list[Verse] = []
    while (c, v) <= (c2, v2):
        out.append((c, v))
        v += 1
        if c < c2 and c - 1 < len(lengths) and v > lengths[c - 1]:
            c, v = c + 1, 1
    if not out or out[-1] != (c2, v2):
        raise MadregaError(f"versification table, {where}: {spec!r} runs past its chapter")
    return out


@dataclass
class Versification:
    """One book's rules: English verse → the Hebrew verses it becomes (absent: the same number)."""

    book: str
    rules: dict[Verse, tuple[Verse, ...]] = field(default_factory=dict)

    def targets(self, verse: Verse) -> tuple[Verse, ...]:
        return self.rules.get(verse, (verse,))


def _rule_pairs(
    book: str, rules: list[list[str]], lengths: list[int]
) -> Iterable[tuple[Verse, tuple[Verse, ...]]]:
    for i, rule in enumerate(rules):
        where = f"{book} rule {i + 1}"
        if len(rule) != 2:
            raise MadregaError(f"versification table, {where}: a rule is [english, hebrew]")
        en, he = _expand(rule[0], lengths, where), _expand(rule[1], lengths, where)
        if len(en) == len(he):
            yield from ((a, (b,)) for a, b in zip(en, he, strict=True))
        elif len(en) == 1:
            yield en[0], tuple(he)
        elif len(he) == 1:
            yield from ((a, (he[0],)) for a in en)
        else:
            raise MadregaError(
                f"versification table, {where}: {len(en)} English verses cannot become {len(he)} Hebrew ones"
            )


def _psalm_titles(
    data: Mapping[str, Any], lengths: list[int], own: set[int]
) -> dict[Verse, tuple[Verse, ...]]:
    rules: dict[Verse, tuple[Verse, ...]] = {}
    for extra, key in ((1, "one_verse"), (2, "two_verses")):
        for psalm in data.get(key, []):
            if psalm in own:
                continue
            total = lengths[psalm - 1]
            rules[(psalm, 1)] = tuple((psalm, v) for v in range(1, extra + 2))
            for v in range(2, total - extra + 1):
                rules[(psalm, v)] = ((psalm, v + extra),)
    return rules


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(table_text())
    return data


def load(book: str, lengths: list[int]) -> Versification:
    """The rules for `book` (a library title); `lengths` are its Hebrew chapters' verse counts."""
    data = _table()
    rules = data["books"].get(book, [])
    result = Versification(book)
    if book == "Psalms":
        own = {int(str(r[0]).split(":")[0]) for r in rules}
        result.rules.update(_psalm_titles(data.get("psalm_titles", {}), lengths, own))
    for verse, targets in _rule_pairs(book, rules, lengths):
        if verse in result.rules and book != "Psalms":
            raise MadregaError(f"versification table: {book} {verse[0]}:{verse[1]} has two rules")
        result.rules[verse] = targets
    return result


@dataclass
class Remapped:
    """A translation's verses in the library's numbering, and what could not be placed."""

    verses: dict[Verse, str] = field(default_factory=dict)
    unsplit: list[Verse] = field(default_factory=list)  # English verses kept whole on their first target
    outside: list[Verse] = field(default_factory=list)  # Hebrew verses the book does not have


Splitter = Callable[[Verse, str, int], list[str] | None]


def remap(
    verses: Iterable[tuple[Verse, str]],
    versification: Versification,
    lengths: list[int],
    split: Splitter,
) -> Remapped:
    """Place English verses (in their printed order) on the Hebrew verses the table sends them to.

    `split(verse, text, n)` cleans one English verse and cuts it into n pieces (at the translation's own
    marks; n = 1 only cleans), or None when it cannot: then the whole text goes to the first target. Pieces that land on one Hebrew
    verse are joined in English order.
    """
    out = Remapped()
    pieces: dict[Verse, list[str]] = {}
    for verse, text in verses:
        targets = versification.targets(verse)
        parts = split(verse, text, len(targets))
        if parts is None or len(parts) != len(targets):
            out.unsplit.append(verse)
            parts, targets = split(verse, text, 1) or [text], targets[:1]
        for target, part in zip(targets, parts, strict=True):
            if part.strip():
                pieces.setdefault(target, []).append(part.strip())
    for target in sorted(pieces):
        c, v = target
        if c < 1 or c > len(lengths) or v < 1 or v > lengths[c - 1]:
            out.outside.append(target)
            continue
        out.verses[target] = " ".join(pieces[target])
    return out
