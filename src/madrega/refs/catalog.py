"""The catalog of works: loaded once from the packaged data/catalog.json, looked up by any spelling.

Every name (title, transliteration, alias, Hebrew title, group prefix + part name) is reduced to a key —
lowercase, no niqqud, no punctuation or spaces — so `Ps.`, `ps`, `Shir Ha-Shirim` and `Shir HaShirim`
meet in one dict lookup. Two looser keys catch spellings nobody listed: Hebrew without ו/י (plene vs
defective spelling) and an English consonant skeleton (Brachos ~ Berakhot); a loose key that would fit
two works is dropped rather than guessed.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from madrega.errors import MadregaError

__all__ = ["Catalog", "Group", "RefError", "Work", "catalog", "name_key"]


class RefError(MadregaError):
    """A reference that cannot be read or does not exist in the work it names."""


_MARKS = re.compile(r"[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")
_NON_KEY = re.compile(r"[^0-9a-z\u05d0-\u05ea]+")
_HEBREW = re.compile(r"[\u05d0-\u05ea]")
_FINALS = str.maketrans("ךםןףץ", "כמנפצ")


def name_key(name: str) -> str:
    """The exact matching key of a title: 'Shir Ha-Shirim' → 'shirhashirim', 'תְּהִלִּים' → 'תהלים'."""
    return _NON_KEY.sub("", _MARKS.sub("", name).replace("\u05be", " ").lower())


def _loose_key(key: str) -> str:
    """A forgiving key: Hebrew without matres lectionis; English as a consonant skeleton."""
    if _HEBREW.search(key):
        return key.translate(_FINALS).replace("ו", "").replace("י", "")
    k = key.replace("kh", "h").replace("ch", "h").replace("tz", "z").replace("ts", "z").replace("ck", "k")
    k = k.replace("q", "k").replace("w", "v").replace("ph", "f")
    k = re.sub(r"(os|is|es)$", "ot", k)
    k = k[:1] + re.sub(r"[aeiouy']", "", k[1:])
    k = re.sub(r"h$", "", k)
    return re.sub(r"(.)\1+", r"\1", k)


@dataclass(frozen=True, eq=False)
class Work:
    """One citable work and its shape. `kinds` are the address levels a citation uses (chapter, verse;
    daf; volume, daf …); `segments` allows one level more, the segment the library stores."""

    index: int
    title: str
    he_title: str
    translit: str
    category: str
    kinds: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    he_aliases: tuple[str, ...] = ()
    lengths: tuple[int, ...] | None = None  # second-level counts per first-level unit (verses per chapter)
    count: int | None = None  # number of first-level units when only that is known
    span: tuple[int, int] | None = None  # first/last amud (1a = 1) of a daf-addressed work
    spans: tuple[tuple[int, int], ...] | None = None  # the same per volume (Zohar)
    segments: bool = False
    group: str | None = None
    part: int | None = None
    mishnah: str | None = None  # the Mishnah tractate a bare tractate name means with chapter:mishnah
    base: str | None = None  # the work a commentary comments on

    @property
    def depth(self) -> int:
        return len(self.kinds)

    @property
    def max_depth(self) -> int:
        return len(self.kinds) + (1 if self.segments else 0)

    @property
    def display(self) -> str:
        """'Job (Iyov)': the canonical title with its transliteration, for messages and suggestions."""
        if self.translit and name_key(self.translit) != name_key(self.title):
            return f"{self.title} ({self.translit})"
        return self.title

    def top_count(self) -> int | None:
        if self.lengths is not None:
            return len(self.lengths)
        return self.count

    def __repr__(self) -> str:
        return f"Work({self.title!r})"


@dataclass(frozen=True, eq=False)
class Group:
    """A book made of parts that Sefaria names as separate works (Tanya, Shulchan Arukh, Mishneh Torah)."""

    name: str
    he_title: str
    parts: dict[int, Work] = field(default_factory=dict)
    default_part: int | None = None
    numbered_parts: bool = False  # 'Guide for the Perplexed 1:1' — the first number is the part

    def part(self, number: int) -> Work | None:
        return self.parts.get(number)

    def __repr__(self) -> str:
        return f"Group({self.name!r})"


Entry = Work | Group


def _amud(daf: str) -> int:
    return 2 * int(daf[:-1]) - 1 + (daf[-1] == "b")


class Catalog:
    """All works, with one-lookup resolution of any of their names."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.works: list[Work] = []
        self.groups: dict[str, Group] = {}
        self._by_title: dict[str, Work] = {}
        self._keys: dict[str, Entry] = {}
        self._names: list[tuple[str, Entry]] = []
        self.conflicts: list[tuple[str, str, str]] = []
        self._by_script: tuple[list[str], list[str]] | None = None
        raw_works = list(data["works"])
        self._build_works(raw_works, data.get("commentaries", []))
        self._build_groups(data.get("groups", []), raw_works)
        self._build_loose()
        self.max_words = max(len(name.split()) for name, _ in self._names) + 1

    # ---- building
    def _add_name(self, name: str, entry: Entry) -> None:
        key = name_key(name)
        if not key:
            return
        self._names.append((name, entry))
        found = self._keys.get(key)
        if found is None:
            self._keys[key] = entry
        elif found is not entry and not _same_book(found, entry):
            self.conflicts.append((name, _entry_name(found), _entry_name(entry)))

    def _make_work(self, raw: dict[str, Any], **extra: Any) -> Work:
        span = raw.get("span")
        spans = raw.get("spans")
        work = Work(
            index=len(self.works),
            title=raw["title"],
            he_title=raw["he"],
            translit=raw.get("translit", ""),
            category=raw["category"],
            kinds=tuple(raw["kinds"]),
            aliases=tuple(raw.get("aliases", ())),
            he_aliases=tuple(raw.get("he_aliases", ())),
            lengths=tuple(raw["lengths"]) if "lengths" in raw else None,
            count=raw.get("count"),
            span=(_amud(span[0]), _amud(span[1])) if span and len(span) == 2 else None,
            spans=tuple((_amud(a), _amud(b)) for a, b in spans) if spans else None,
            segments=bool(raw.get("segments", False)),
            group=raw.get("group"),
            part=raw.get("part"),
            mishnah=raw.get("mishnah"),
            **extra,
        )
        self.works.append(work)
        self._by_title[work.title] = work
        for name in (work.title, work.he_title, work.translit, *work.aliases, *work.he_aliases):
            if name:
                self._add_name(name, work)
        return work

    def _build_works(self, raw_works: list[dict[str, Any]], commentaries: list[dict[str, Any]]) -> None:
        for raw in raw_works:
            self._make_work(raw)
        for spec in commentaries:
            for base in list(self.works):
                if base.category not in spec["on"] or base.base is not None:
                    continue
                if spec.get("books") and base.title not in spec["books"]:
                    continue
                if spec.get("only_bavli") and base.category == "Talmud" and base.kinds[0] != "daf":
                    continue
                names = [base.title, base.translit, *base.aliases]
                he_names = [base.he_title, *base.he_aliases]
                raw = {
                    "title": spec["title"].format(title=base.title),
                    "he": spec["he"].format(he=base.he_title),
                    "translit": "",
                    "category": spec["category"],
                    "kinds": list(base.kinds),
                    "segments": True,
                    "aliases": [a.format(name=n) for a in spec["aliases"] for n in names if n],
                    "he_aliases": [a.format(name=n) for a in spec["he_aliases"] for n in he_names if n],
                }
                work = self._make_work(raw, base=base.title)
                object.__setattr__(work, "lengths", base.lengths)
                object.__setattr__(work, "count", base.count)
                object.__setattr__(work, "span", base.span)

    def _build_groups(self, raw_groups: list[dict[str, Any]], raw_works: list[dict[str, Any]]) -> None:
        part_names = {raw["title"]: raw for raw in raw_works}
        for raw in raw_groups:
            group = Group(
                name=raw["name"],
                he_title=raw["he"],
                default_part=raw.get("default_part"),
                numbered_parts=bool(raw.get("numbered_parts", False)),
            )
            self.groups[group.name] = group
            members = [w for w in self.works if w.group == group.name]
            for number, work in enumerate(members, 1):
                group.parts[work.part or number] = work
            for name in (raw["name"], raw["he"], *raw.get("aliases", ()), *raw.get("he_aliases", ())):
                self._add_name(name, group)
            for work in members:
                extra = part_names.get(work.title, {})
                en = [*work.aliases, *extra.get("part_names", ())]
                he = [*work.he_aliases, *extra.get("he_part_names", ())]
                for prefix in (raw["name"], *raw.get("aliases", ())):
                    for name in en:
                        self._add_name(f"{prefix} {name}", work)
                for prefix in (raw["he"], *raw.get("he_aliases", ())):
                    for name in he:
                        self._add_name(f"{prefix} {name}", work)

    def _build_loose(self) -> None:
        loose: dict[str, Entry | None] = {}
        for key, entry in self._keys.items():
            lk = _loose_key(key)
            if lk in loose and loose[lk] is not entry:
                loose[lk] = None  # ambiguous: never guess
            else:
                loose[lk] = entry
        self._loose = {k: v for k, v in loose.items() if v is not None and k not in self._keys}

    # ---- lookups
    def lookup_key(self, key: str) -> Entry | None:
        """Resolve a name key (see `name_key`) exactly, then loosely."""
        found = self._keys.get(key)
        if found is None and len(key) > 2:
            found = self._loose.get(_loose_key(key))
        return found

    def work(self, name: str) -> Work:
        """The work called `name` (any alias, English or Hebrew); a group name gives its default part."""
        found = self._by_title.get(name) or self.lookup_key(name_key(name))
        if isinstance(found, Group):
            if found.default_part is None:
                raise RefError(
                    f"{name} has several parts — name one: "
                    + ", ".join(w.title for w in found.parts.values()),
                    suggestions=[w.title for w in found.parts.values()],
                )
            found = found.parts[found.default_part]
        if found is None:
            suggestions = self.suggest(name)
            hint = f" — did you mean {suggestions[0]}?" if suggestions else ""
            raise RefError(f"no work named {name}{hint}", suggestions=suggestions)
        return found

    def by_index(self, index: int) -> Work:
        return self.works[index]

    def titles(self) -> list[str]:
        return [w.title for w in self.works]

    def all_names(self) -> list[tuple[str, Work | Group]]:
        """Every spelling of every work (and book with parts), for building a title automaton."""
        return list(self._names)

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The nearest titles to a misspelled name, as 'Job (Iyov)'."""
        key = name_key(name)
        if not key:
            return []
        if self._by_script is None:
            hebrew = [k for k in self._keys if _HEBREW.search(k)]
            english = [k for k in self._keys if not _HEBREW.search(k)]
            self._by_script = (english, hebrew)
        candidates = self._by_script[1] if _HEBREW.search(key) else self._by_script[0]
        if len(key) > 1:  # a misspelling rarely changes the first letter; this keeps difflib fast
            candidates = [k for k in candidates if k[0] == key[0]]
        out: list[str] = []
        matches = difflib.get_close_matches(key, candidates, n=12, cutoff=0.6)
        best = difflib.SequenceMatcher(None, key, matches[0]).ratio() if matches else 0.0
        for match in matches:
            if difflib.SequenceMatcher(None, key, match).ratio() < best - 0.12:
                break
            entry = self._keys[match]
            shown = entry.display if isinstance(entry, Work) else entry.name
            if shown not in out:
                out.append(shown)
            if len(out) == n:
                break
        return out


def _same_book(a: Entry, b: Entry) -> bool:
    """A book's name that is also its first part's title ('Likutei Moharan') is not a conflict."""
    if isinstance(a, Work) and isinstance(b, Group):
        return a.group == b.name
    if isinstance(a, Group) and isinstance(b, Work):
        return b.group == a.name
    return False


def _entry_name(entry: Entry) -> str:
    return entry.title if isinstance(entry, Work) else entry.name


@cache
def catalog() -> Catalog:
    """The packaged catalog (loaded once per process)."""
    text = resources.files("madrega").joinpath("data/catalog.json").read_text(encoding="utf-8")
    return Catalog(json.loads(text))
