"""The words around titles and numbers in a written reference, read from data/refwords.json.

A citation is a title, an address, and words that are neither: 'see', 'ch.', 'verse', 'NIV', 'פרק',
'ArtScroll', 'Bavli'. They are data beside the catalog, so that a new way of writing a citation is a
new word in the data file, not a new branch in the parser. `words()` loads them once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from madrega.datafiles import data_file

__all__ = ["Outside", "Words", "words"]


@dataclass(frozen=True)
class Outside:
    """A book madrega does not cite (the New Testament, the Apocrypha), named so that it is refused
    by name instead of being mistaken for a book of the Tanakh that it resembles."""

    title: str
    corpus: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Words:
    noise: frozenset[str]  # words inside an English address that carry no number: 'ch.', 'verse'
    translations: frozenset[str]  # 'NIV', 'JPS' after a Bible place
    part_words: frozenset[str]  # 'Part', 'Vol.' before a part number
    roman_parts: dict[str, int]
    ordinals: dict[str, int]  # '1st', 'First', 'II' before a numbered book's name
    trailing_ordinals: dict[str, int]  # 'Alef', 'Bet' after it ('Shmuel Bet'), with the ordinals
    ordinal_titles: dict[str, str]  # 'the 23rd Psalm': a work named after its ordinal
    skip_before_title: tuple[str, ...]  # 'the book of', 'ArtScroll', 'Masechet'
    corpus_prefixes: dict[str, tuple[str, ...]]  # 'b.', 'Bavli', 'JT', 'm.' — which corpus a title means
    lead_ins: tuple[str, ...]  # 'see', 'cf.', 'עיין'
    he_mention_leads: frozenset[str]  # 'בספר', 'במסכת': words after which a Hebrew title names a work
    he_noise: frozenset[str]
    he_markers: dict[str, str]  # 'פרק' → chapter: the level a Hebrew marker names
    he_parts: dict[str, int]
    he_position_words: dict[str, str]
    he_first_chapter: tuple[str, ...]
    chapter_ordinals: dict[str, int]  # 'the first chapter of …'
    chapter_cardinals: dict[str, int]  # 'chapter two of …'
    he_chapter_ordinals: dict[str, int]  # 'פרק ראשון של …'
    he_editions: tuple[str, ...]  # 'קדושת לוי המלא': an edition's word after a title
    he_expansions: dict[str, str]  # 'זח"ב' → 'זוהר ח"ב': abbreviations that stand for a title and more
    outside_prefixes: tuple[str, ...]  # 'Gospel of', 'St.': what only a refused book is called with
    outside: tuple[Outside, ...]


def _longest_first(items: list[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(items), key=len, reverse=True))


@cache
def words() -> Words:
    """The packaged word lists (loaded once per process)."""
    text = data_file("refwords.json").read_text(encoding="utf-8")
    raw = json.loads(text)
    outside = tuple(
        Outside(names[0], group["corpus"], tuple(names))
        for group in raw["outside"]
        for names in group["names"]
    )
    return Words(
        noise=frozenset(raw["noise"]),
        translations=frozenset(raw["translations"]),
        part_words=frozenset(raw["part_words"]),
        roman_parts=dict(raw["roman_parts"]),
        ordinals=dict(raw["ordinals"]),
        trailing_ordinals={**raw["ordinals"], **raw["trailing_ordinals"]},
        ordinal_titles=dict(raw["ordinal_titles"]),
        skip_before_title=_longest_first(raw["skip_before_title"]),
        corpus_prefixes={k: _longest_first(v) for k, v in raw["corpus_prefixes"].items()},
        lead_ins=_longest_first(raw["lead_ins"]),
        he_mention_leads=frozenset(raw["he_mention_leads"]),
        he_noise=frozenset(raw["he_noise"]),
        he_markers=dict(raw["he_markers"]),
        he_parts=dict(raw["he_parts"]),
        he_position_words=dict(raw["he_position_words"]),
        he_first_chapter=tuple(raw["he_first_chapter"]),
        chapter_ordinals=dict(raw["chapter_ordinals"]),
        chapter_cardinals=dict(raw["chapter_cardinals"]),
        he_chapter_ordinals=dict(raw["he_chapter_ordinals"]),
        he_editions=tuple(raw["he_editions"]),
        he_expansions=dict(raw["he_expansions"]),
        outside_prefixes=_longest_first(raw["outside_prefixes"]),
        outside=outside,
    )
