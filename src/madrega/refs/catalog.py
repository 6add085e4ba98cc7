"""The catalog of works: loaded once from the packaged data/catalog.json, looked up by any spelling.

Every name (title, transliteration, alias, Hebrew title, group prefix + part name) is reduced to a key —
lowercase, no niqqud, no punctuation or spaces — so `Ps.`, `ps`, `Shir Ha-Shirim` and `Shir HaShirim`
meet in one dict lookup. Two looser keys catch spellings nobody listed: Hebrew without ו/י (plene vs
defective spelling) and an English consonant skeleton (Brachos ~ Berakhot); a loose key that would fit
two works is dropped rather than guessed.

Most names are products — 'Rashi on' × every name of every book, 'Mishneh Torah' × every name of every
part — so loading keeps them as products: a prefix key and a table of the names that may follow it.
A key is a concatenation of its words' keys, so 'rashiongenesis' is found as 'rashion' + 'genesis'
without 60,000 keys ever being built. The flat list of every name (for the linker's automaton,
suggestions and loose keys) is built the first time something asks for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from madrega.errors import MadregaError

__all__ = ["Ambiguous", "AmbiguousRef", "Catalog", "Group", "PlaceNotInWork", "RefError", "Work", "name_key"]


class RefError(MadregaError):
    """A reference that cannot be read or does not exist in the work it names."""


class PlaceNotInWork(RefError):
    """A reference read in full whose place the work does not have: past its last chapter or verse, a
    daf before its first. No other spelling of the same words names it (a misprint, or another
    numbering), so the parser tries none."""


class AmbiguousRef(RefError):
    """A reference that fits more than one place: `alternatives` are canonical refs (or titles), the
    likeliest first. The linker cites the first and keeps the others beside it; `parse` never picks
    one silently."""

    def __init__(
        self, message: str, *, alternatives: list[str], suggestions: list[str] | None = None
    ) -> None:
        super().__init__(message, suggestions=suggestions if suggestions is not None else list(alternatives))
        self.alternatives = list(alternatives)


ENDING = 4  # letters of a key's end kept in `Catalog.endings`
_NON_KEY = re.compile(r"[^0-9a-z\u05d0-\u05ea]+")
_HEBREW = re.compile(r"[\u05d0-\u05ea]")
_DIGITS = re.compile(r"[0-9]")
_GLUED = re.compile(r"(?:I{1,3}|IV|[1-4](?:st|nd|rd|th)?|First|Second|Third|Fourth)(?=[A-Z])")  # 'IIChr'
_FINALS = str.maketrans("ךםןףץ", "כמנפצ")
_VOWELS = str.maketrans("", "", "aeiouy'")
_REPEATS = re.compile(r"(.)\1+")


_ORDINALS = frozenset(["1", "1st", "2", "2nd", "3", "3rd", "4", "4th", "first", "second", "third", "fourth"])
_ORDINALS |= {"i", "ii", "iii", "iv"}
_ORDINAL_STARTS = frozenset("1234IiFfSsTt")
_LOOSE_FIRST = {"kh": "h", "ch": "h", "tz": "z", "ts": "z", "ph": "f", "ck": "k"}


# The words a weekly portion is introduced with ('Kedushat Levi, Parshas Pinchas', 'קדושת לוי, פרשת פינחס').
_PORTION_LEADS = ("Parashat", "Parshat", "Parshas", "Parashas")
_HE_PORTION_LEADS = ("פרשת",)
_PORTION_LEAD_KEYS = tuple(lead.lower() for lead in _PORTION_LEADS)
_HE_PORTION_LEAD_KEYS = _HE_PORTION_LEADS


def _loose_first(key: str) -> str:
    """The first letter of `_loose_key(key)`, without making it."""
    if _HEBREW.search(key):  # as `_loose_key` decides the script
        rest = key.lstrip("וי")
        return rest[:1].translate(_FINALS)
    first = _LOOSE_FIRST.get(key[:2])
    if first is not None:
        return first
    return {"q": "k", "w": "v"}.get(key[:1], key[:1])


def name_key(name: str) -> str:
    """The exact matching key of a title: 'Shir Ha-Shirim' → 'shirhashirim', 'תְּהִלִּים' → 'תהלים'."""
    # Niqqud, cantillation and the maqaf are no key characters: the one pass drops them with the rest.
    return _NON_KEY.sub("", name.lower())


def _loose_key(key: str) -> str:
    """A forgiving key: Hebrew without matres lectionis; English as a consonant skeleton."""
    if _HEBREW.search(key):
        return key.translate(_FINALS).replace("ו", "").replace("י", "")
    k = key.replace("kh", "h").replace("ch", "h").replace("tz", "z").replace("ts", "z").replace("ck", "k")
    k = k.replace("q", "k").replace("w", "v").replace("ph", "f")
    if k.endswith(("os", "is", "es")):
        k = k[:-2] + "ot"
    k = k[:1] + k[1:].translate(_VOWELS)
    if k.endswith("h"):
        k = k[:-1]
    return _REPEATS.sub(r"\1", k)


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
    folio: int | None = None  # the index of this work read by folio (Yerushalmi: 'Berakhot 2a')
    view_of: int | None = None  # a folio view: the index of the work it is a view of (same title)
    generated: bool = False  # from catalog_sefaria.json (Sefaria's index data), not hand-curated

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


@dataclass(frozen=True, eq=False)
class Ambiguous:
    """A name several works answer to ('Kli Yakar' without its book): never guessed, the parser reports
    the candidates."""

    name: str
    titles: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Ambiguous({self.name!r})"


Entry = Work | Group | Ambiguous


def _amud(daf: str) -> int:
    return 2 * int(daf[:-1]) - 1 + (daf[-1] == "b")


# A family of names built as prefix + name + suffix: keys are prefix key + name key + suffix key.
_Composed = tuple[str, str, dict[str, "Entry"]]


# The families by prefix (see `Catalog._prefix_index`), with the bucket table it was built from.
_PrefixIndex = tuple[
    dict[str, list[_Composed]], dict[str, list[tuple[int, _Composed]]], dict[str, list[tuple[int, _Composed]]]
]


def _first(numbered: tuple[int, _Composed]) -> int:
    return numbered[0]


def _template(template: str, slot: str) -> tuple[str, str]:
    """The key before and after `{slot}` in a name template ('Rashi on {name}' → 'rashion', '')."""
    if template.count("{" + slot + "}") != 1:
        raise ValueError(f"catalog.json: the name template {template!r} must hold {{{slot}}} once")
    before, _, after = template.partition("{" + slot + "}")
    return name_key(before), name_key(after)


def _words(template: str, slot: str, names: list[str], most: int) -> int:
    """The most words `template` filled with one of `names` (the longest has `most` words) has."""
    before, _, after = template.partition("{" + slot + "}")
    delimited = (not before or before[-1].isspace()) and (not after or after[0].isspace())
    if delimited and "{" not in before + after and "}" not in before + after:
        return len(before.split()) + len(after.split()) + most
    return max(len(template.format(**{slot: n}).split()) for n in names)


def _most_words(names: list[str]) -> int:
    return max(len(n.split()) for n in names)


class Catalog:
    """All works, with one-lookup resolution of any of their names."""

    def __init__(self, data: dict[str, Any], generated: dict[str, Any] | None = None) -> None:
        self.works: list[Work] = []
        self.groups: dict[str, Group] = {}
        self._by_title: dict[str, Work] = {}
        self._base: dict[str, Entry] = {}  # keys of the works' own names and of the books' names
        self._composed: dict[str, list[_Composed]] = {}  # by the first two letters of the prefix key
        self._short: list[_Composed] = []  # families whose prefix key is shorter than two letters
        self._prefixes: _PrefixIndex | None = None  # see `_prefix_index`
        self._raw_groups: list[dict[str, Any]] = list(data.get("groups", []))
        self._raw_by_title: dict[str, dict[str, Any]] = {}
        self._full: tuple[list[tuple[str, Entry]], dict[str, Entry], list[tuple[str, str, str]]] | None = None
        self._loose: dict[str, dict[str, Entry | None]] = {}  # by the loose key's first letter, built on use
        self._family_loose: dict[int, dict[str, Entry | None]] = {}  # a family table's loose keys
        self._family_names: dict[tuple[int, str], str] = {}  # (table, loose key) → a key it came from
        self._loose_keys: dict[str, list[str]] | None = None  # base keys that loosen, by loose first letter
        self._loose_names: dict[str, list[str]] = {}  # a loose key's base keys, for the closeness check
        self._unloosened: set[str] = set()  # base keys of names led by an ordinal
        self._by_letter: dict[str, list[str]] | None = None  # base keys by first letter, for suggestions
        self.max_words = 0
        self._endings: frozenset[str] | None = None
        self._resolved: dict[str, Entry | None] = {}
        self._key_of: dict[str, str] = {}  # while building: names repeat across commentaries and parts
        self._by_group: dict[str, list[Work]] = {}
        # Generated commentaries named as a collective + their base's names (lazy, see _every_name).
        self._products: list[tuple[Work, tuple[str, ...], tuple[str, ...], Work]] = []
        self.alts: dict[int, dict[str, Any]] = {}  # work index → its alternate structures (raw)
        self.curated_count = 0
        self._complete_from: Any = None  # a compiled file's reader, until everything is read (catalog_file)
        raw_works = list(data["works"])
        self._build_works(raw_works, data.get("commentaries", []))
        self._build_groups(self._raw_groups)
        self.curated_count = len(self.works)
        self._build_folios()
        if generated:
            _merge_generated(self, generated)
        self.max_words += 1
        self._key_of = {}

    def _whole(self) -> None:
        """Read everything a compiled catalog has not read yet (what a few rare lookups walk over)."""
        if self._complete_from is not None:
            self._complete_from.complete()

    # ---- building
    def _key(self, name: str) -> str:
        key = self._key_of.get(name)
        if key is None:
            key = self._key_of[name] = name_key(name)
        return key

    def _add_base(self, name: str, entry: Entry) -> None:
        key = self._key(name)
        if key:
            self._base.setdefault(key, entry)
            self.max_words = max(self.max_words, len(name.split()))
            if name[:1] in _ORDINAL_STARTS and (
                _GLUED.match(name) or name.split()[0].lower().rstrip(".") in _ORDINALS
            ):
                self._unloosened.add(
                    key
                )  # 'I Samuel', '1st Ch', 'IIChr': an ordinal loosens into other books

    def _add_family(self, before: str, after: str, table: dict[str, Entry]) -> None:
        family = (before, after, table)
        bucket = self._composed.setdefault(before[:2], []) if len(before) >= 2 else self._short
        if not any(b == before and a == after and t is table for b, a, t in bucket):
            bucket.append(family)
            self._prefixes = None

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
        self._by_title.setdefault(work.title, work)
        if work.group:
            self._by_group.setdefault(work.group, []).append(work)
        return work

    def _build_works(self, raw_works: list[dict[str, Any]], commentaries: list[dict[str, Any]]) -> None:
        for raw in raw_works:
            self._raw_by_title[raw["title"]] = raw
            work = self._make_work(raw)
            for name in (work.title, work.he_title, work.translit, *work.aliases, *work.he_aliases):
                if name:
                    self._add_base(name, work)
        for spec in commentaries:
            self._build_commentary(spec)

    def _build_commentary(self, spec: dict[str, Any]) -> None:
        """'Rashi on {name}' for every name of every book it covers, kept as one family per template."""
        titles: dict[str, Entry] = {}
        he_titles: dict[str, Entry] = {}
        names: dict[str, Entry] = {}
        he_names: dict[str, Entry] = {}
        longest = 0
        for base in list(self.works):
            if base.category not in spec["on"] or base.base is not None:
                continue
            if spec.get("books") and base.title not in spec["books"]:
                continue
            if spec.get("only_bavli") and base.category == "Talmud" and base.kinds[0] != "daf":
                continue
            en = [n for n in (base.title, base.translit, *base.aliases) if n]
            he = [n for n in (base.he_title, *base.he_aliases) if n]
            raw = {
                "title": spec["title"].format(title=base.title),
                "he": spec["he"].format(he=base.he_title),
                "translit": "",
                "category": spec["category"],
                "kinds": list(base.kinds),
                "segments": True,
                "aliases": [a.format(name=n) for a in spec["aliases"] for n in en],
                "he_aliases": [a.format(name=n) for a in spec["he_aliases"] for n in he],
            }
            work = self._make_work(raw, base=base.title)
            object.__setattr__(work, "lengths", base.lengths)
            object.__setattr__(work, "count", base.count)
            object.__setattr__(work, "span", base.span)
            titles.setdefault(self._key(base.title), work)
            he_titles.setdefault(self._key(base.he_title), work)
            for table, spelled in ((names, en), (he_names, he)):
                for name in spelled:
                    table.setdefault(self._key(name), work)
            longest = max(
                longest,
                _words(spec["title"], "title", [base.title], _most_words([base.title])),
                _words(spec["he"], "he", [base.he_title], _most_words([base.he_title])),
            )
            for templates, spelled in ((spec["aliases"], en), (spec["he_aliases"], he)):
                if spelled:
                    most = _most_words(spelled)
                    longest = max([longest, *(_words(a, "name", spelled, most) for a in templates)])
        self.max_words = max(self.max_words, longest)
        en_affixes = [_template(template, "name") for template in spec["aliases"]]
        he_affixes = [_template(template, "name") for template in spec["he_aliases"]]
        for affixes in en_affixes:
            self._add_family(*affixes, names)
        for affixes in he_affixes:
            self._add_family(*affixes, he_names)
        # The title is one of the names the aliases take ('Rashi on {title}' ~ 'Rashi on {name}').
        if _template(spec["title"], "title") not in en_affixes:
            self._add_family(*_template(spec["title"], "title"), titles)
        if _template(spec["he"], "he") not in he_affixes:
            self._add_family(*_template(spec["he"], "he"), he_titles)

    def _members(self, group: str) -> list[Work]:
        self._whole()
        return list(self._by_group.get(group, ()))

    def _build_folios(self) -> None:
        """A work marked `folio` is also cited by folio ('Jerusalem Talmud Berakhot 2a', the Vilna
        pages): a view of it with the same title, addressed by daf, that the parser turns to when the
        address starts with an amud."""
        for work in list(self.works):
            raw = self._raw_by_title.get(work.title, {})
            if not raw.get("folio"):
                continue
            view = Work(
                index=len(self.works),
                title=work.title,
                he_title=work.he_title,
                translit=work.translit,
                category=work.category,
                kinds=("daf",),
                segments=True,
                view_of=work.index,
            )
            self.works.append(view)
            object.__setattr__(work, "folio", view.index)

    def _part_names(self, work: Work) -> tuple[list[str], list[str]]:
        """The names a part is called by after its book's name ('Mishneh Torah' + 'Hilchot Teshuvah')."""
        self._whole()
        extra = self._raw_by_title.get(work.title, {})
        en = [*work.aliases, *extra.get("part_names", ())]
        he = [*work.he_aliases, *extra.get("he_part_names", ())]
        portion = extra.get("parasha")
        source = self._by_title.get(f"Midrash Tanchuma, {portion}") if portion else None
        if source is not None and source is not work:  # a section named for a portion: its names
            pen, phe = self._part_names(source)
            en += [portion, *pen, *(f"{lead} {n}" for n in (portion, *pen) for lead in _PORTION_LEADS)]
            named = [source.he_title.split(", ", 1)[1], *phe]
            he += [*named, *(f"{lead} {n}" for n in named for lead in _HE_PORTION_LEADS)]
        return en, he

    def _build_groups(self, raw_groups: list[dict[str, Any]]) -> None:
        for raw in raw_groups:
            group = Group(
                name=raw["name"],
                he_title=raw["he"],
                default_part=raw.get("default_part"),
                numbered_parts=bool(raw.get("numbered_parts", False)),
            )
            self.groups[group.name] = group
            members = self._members(group.name)
            for number, work in enumerate(members, 1):
                group.parts[work.part or number] = work
            for name in (raw["name"], raw["he"], *raw.get("aliases", ()), *raw.get("he_aliases", ())):
                self._add_base(name, group)
            en_table: dict[str, Entry] = {}
            he_table: dict[str, Entry] = {}
            en_words = he_words = 0
            for work in members:
                en, he = self._part_names(work)
                for table, spelled in ((en_table, en), (he_table, he)):
                    for name in spelled:
                        table.setdefault(self._key(name), work)
                en_words = max([en_words, *(len(n.split()) for n in en)])
                he_words = max([he_words, *(len(n.split()) for n in he)])
            for prefixes, table, words in (
                ((raw["name"], *raw.get("aliases", ())), en_table, en_words),
                ((raw["he"], *raw.get("he_aliases", ())), he_table, he_words),
            ):
                if not table:
                    continue
                for prefix in prefixes:
                    self._add_family(name_key(prefix), "", table)
                    self.max_words = max(self.max_words, len(prefix.split()) + words)

    def _every_name(self) -> tuple[list[tuple[str, Entry]], dict[str, Entry], list[tuple[str, str, str]]]:
        """Every spelling in catalog order, the flat key table and the names two works claim."""
        self._whole()
        if self._full is not None:
            return self._full
        names: list[tuple[str, Entry]] = []
        keys: dict[str, Entry] = {}
        conflicts: list[tuple[str, str, str]] = []

        def add(name: str, entry: Entry) -> None:
            key = name_key(name)
            if not key:
                return
            names.append((name, entry))
            found = keys.get(key)
            if found is None:
                keys[key] = entry
            elif found is not entry and not _same_book(found, entry):
                conflicts.append((name, _entry_name(found), _entry_name(entry)))

        for work in self.works:
            if work.view_of is not None:
                continue  # a folio view shares its work's names
            for name in (work.title, work.he_title, work.translit, *work.aliases, *work.he_aliases):
                if name:
                    add(name, work)
        for raw in self._raw_groups:
            group = self.groups[raw["name"]]
            for name in (raw["name"], raw["he"], *raw.get("aliases", ()), *raw.get("he_aliases", ())):
                add(name, group)
            for work in self._members(group.name):
                en, he = self._part_names(work)
                for prefix in (raw["name"], *raw.get("aliases", ())):
                    for name in en:
                        add(f"{prefix} {name}", work)
                for prefix in (raw["he"], *raw.get("he_aliases", ())):
                    for name in he:
                        add(f"{prefix} {name}", work)
        # A generated commentary's collective names ('Ritva Berakhot'); one an earlier entry already has
        # is that entry's (lookups try the curated names and families first), so it is no conflict.
        for work, en_prefixes, he_prefixes, base in self._products:
            en = [n for n in (base.title, base.translit, *base.aliases) if n]
            he = [n for n in (base.he_title, *base.he_aliases) if n]
            for prefixes, spelled in ((en_prefixes, en), (he_prefixes, he)):
                for prefix in prefixes:
                    for name in spelled:
                        if name_key(prefix + name) not in keys:
                            add(prefix + name, work)
        self._full = (names, keys, conflicts)
        return self._full

    @property
    def conflicts(self) -> list[tuple[str, str, str]]:
        """Names that two different works claim (the catalog's tests keep this empty)."""
        return self._every_name()[2]

    def _loose_bucket(self, first: str) -> dict[str, Entry | None]:
        """The loose keys (see `_loose_key`) starting with `first`, of the works' and books' own names.
        A loose key that two entries share maps to None: never guess. Only the bucket a lookup needs is
        built, from the base keys whose loose key can start so (a few hundred to a few thousand)."""
        self._whole()
        bucket = self._loose.get(first)
        if bucket is None:
            if self._loose_keys is None:
                by_first: dict[str, list[str]] = {}
                for key in self._base:
                    if len(key) >= 5 and key not in self._unloosened and not _DIGITS.search(key):
                        by_first.setdefault(_loose_first(key), []).append(
                            key
                        )  # 'san', '1st Ch' loosen into others
                self._loose_keys = by_first
            bucket = {}
            for key in self._loose_keys.get(first, ()):
                entry = self._base[key]
                lk = _loose_key(key)
                self._loose_names.setdefault(lk, []).append(key)
                if bucket.get(lk, entry) is not entry:
                    bucket[lk] = None
                else:
                    bucket[lk] = entry
            self._loose[first] = bucket
        return bucket

    def _close_to_a_name(self, key: str, lk: str) -> bool:
        """A skeleton loses the words' boundaries, so names far apart can meet in one ('Shach Yoreh Deah'
        and 'Shaar HaYichud' are both sh-r-h-d): a loose spelling must also stay close to a name that
        loosens to it ('Berachos' to 'Berakhot', 'Shabbos' to 'Shabbat')."""
        from rapidfuzz import fuzz

        return any(fuzz.ratio(key, name) >= 60 for name in self._loose_names.get(lk, ()))

    def _loose_in_family(self, table: dict[str, Entry], rest: str) -> Entry | None:
        """A loosely spelled name after a family's prefix ('Rashi on' + 'Bereishiss'). A family's table
        holds thousands of short names whose skeletons meet by chance ('bereshiss' and 'b. rosh hash'
        are both b-r-sh-s), so the spelling must also be close to the name it loosens to."""
        self._whole()
        from rapidfuzz import fuzz

        if len(rest) < 5:
            return None
        loose = self._family_loose.get(id(table))
        if loose is None:
            loose = {}
            for key, entry in table.items():
                if len(key) >= 5 and not _DIGITS.search(key):
                    lk = _loose_key(key)
                    loose[lk] = None if lk in loose and loose[lk] is not entry else entry
                    self._family_names.setdefault((id(table), lk), key)
            self._family_loose[id(table)] = loose
        lk = _loose_key(rest)
        found = loose.get(lk)
        if found is None or fuzz.ratio(rest, self._family_names[(id(table), lk)]) < 80:
            return None
        return found

    # ---- lookups
    def families(self, key: str) -> list[_Composed]:
        """The name families whose prefix key starts `key` — and so every longer key that starts
        like it: a parser computes this once for the longest candidate title."""
        index = self.__dict__.get("_prefixes")  # a catalog read from its file starts without one
        if index is None or index[0] is not self._composed:  # built, or the file read whole since
            index = self._prefix_index()
        _, short, long = index
        found: list[tuple[int, _Composed]] = []
        if len(key) >= 2:
            found += short.get(key[:2], ())
            if len(key) >= 3:
                found += short.get(key[:3], ())
                bucket = long.get(key[:4])
                if bucket:
                    found += [f for f in bucket if key.startswith(f[1][0])]
        out = [family for _, family in (sorted(found, key=_first) if len(found) > 1 else found)]
        if self._short:
            out += [family for family in self._short if key.startswith(family[0])]
        return out

    def _prefix_index(self) -> _PrefixIndex:
        """The families by their prefix key: those of two or three letters by the whole prefix, the
        others by its first four letters (a handful each), every one numbered in its bucket's order, so
        `families` makes three lookups and a few `startswith` tests instead of testing a whole bucket."""
        short: dict[str, list[tuple[int, _Composed]]] = {}
        long: dict[str, list[tuple[int, _Composed]]] = {}
        for bucket in self._composed.values():
            for number, family in enumerate(bucket):
                before = family[0]
                if len(before) < 4:
                    short.setdefault(before, []).append((number, family))
                else:
                    long.setdefault(before[:4], []).append((number, family))
        self._prefixes = (self._composed, short, long)
        return self._prefixes

    def exact(self, key: str, families: list[_Composed] | None = None) -> Entry | None:
        """Resolve a name key exactly; `families` may be `families(longer)` of a key that starts with
        this one."""
        found = self._base.get(key)
        if found is not None:
            return found
        for before, after, table in self.families(key) if families is None else families:
            if len(key) >= len(before) + len(after) and key.startswith(before) and key.endswith(after):
                found = table.get(key[len(before) : len(key) - len(after)])
                if found is not None:
                    return found
        return None

    @property
    def endings(self) -> frozenset[str]:
        """The last four letters (or fewer) of every key `exact` resolves. A candidate title whose key
        ends otherwise resolves to nothing, so a parser skips it without a lookup."""
        if self._endings is None:
            found = {key[-ENDING:] for key in self._base}
            families = [*(f for bucket in self._composed.values() for f in bucket), *self._short]
            for after, table in {(after, id(table)): (after, table) for _, after, table in families}.values():
                found.update((key + after)[-ENDING:] for key in table)
            short: dict[int, list[str]] = {}  # per table, its keys too short to be an ending alone
            for before, after, table in families:  # short names: the prefix is part of the ending
                keys = short.get(id(table))
                if keys is None:
                    keys = short[id(table)] = [key for key in table if len(key) < ENDING]
                found.update(
                    (before + key + after)[-ENDING:] for key in keys if len(key) + len(after) < ENDING
                )
            self._endings = frozenset(found)
        return self._endings

    def resolve(self, key: str) -> Entry | None:
        """`exact`, remembered: the same few thousand titles recur in every text."""
        try:
            return self._resolved[key]
        except KeyError:
            if len(self._resolved) >= 100_000:
                self._resolved.clear()
            found = self._resolved[key] = self.exact(key)
            return found

    def forget(self) -> None:
        """Drop what `resolve` remembered (for measuring first-time lookups)."""
        self._resolved.clear()

    def lookup_key(self, key: str) -> Entry | None:
        """Resolve a name key (see `name_key`) exactly, then loosely."""
        found = self.exact(key)
        if found is None and len(key) >= 5 and not _DIGITS.search(key):  # short keys loosen into others
            lk = _loose_key(key)
            if self.exact(lk) is None:  # a loose spelling that is another work's exact name is not this one
                found = self._loose_bucket(lk[:1]).get(lk)
                if found is not None and not self._close_to_a_name(key, lk):
                    found = None
            if found is None:
                for before, after, table in self.families(key):
                    if before and key.startswith(before) and key.endswith(after):
                        found = self._loose_in_family(table, key[len(before) : len(key) - len(after)])
                        if found is not None:
                            break
        return found

    def work(self, name: str) -> Work:
        """The work called `name` (any alias, English or Hebrew); a group name gives its default part."""
        found = self._by_title.get(name) or self.lookup_key(name_key(name))
        if isinstance(found, Ambiguous):
            raise ambiguity(name, found)
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

    def in_category(self, category: str) -> list[Work]:
        """The works of one category, in catalog order (a compiled catalog reads only those)."""
        if self._complete_from is not None:
            return list(self._complete_from.in_category(category))
        return [w for w in self.works if w.category == category]

    def titles(self) -> list[str]:
        return [w.title for w in self.works]

    def all_names(self) -> list[tuple[str, Work | Group]]:
        """Every spelling of every work (and book with parts), for building a title automaton."""
        return [(name, entry) for name, entry in self._every_name()[0] if not isinstance(entry, Ambiguous)]

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The nearest titles to a misspelled name, as 'Job (Iyov)': of the works' and books' own names
        that start with its letter, and of the names in the families whose prefix it (nearly) starts
        with ('Mishne Tora Hilchos Tshuva' → the Mishneh Torah's parts). Milliseconds: a user who typed
        a wrong reference is waiting for them."""
        self._whole()
        from rapidfuzz import fuzz, process

        key = name_key(name)
        if not key:
            return []
        if self._by_letter is None:
            by_letter: dict[str, list[str]] = {}
            for k in self._base:
                by_letter.setdefault(k[0], []).append(k)
            self._by_letter = by_letter
        choices: dict[str, Entry] = {}
        for k in self._by_letter.get(key[0], ()) if len(key) > 1 else self._base:
            choices[k] = self._base[k]
        for before, after, table in self._near_families(key):
            for k, entry in table.items():
                choices.setdefault(before + k + after, entry)
        matches = process.extract(key, list(choices), scorer=fuzz.ratio, limit=12, score_cutoff=60)
        out: list[str] = []
        best = matches[0][1] if matches else 0.0
        for match, score, _ in matches:
            if score < best - 12:
                break
            entry = choices[match]
            shown = entry.display if isinstance(entry, Work) else entry.name
            if shown not in out:
                out.append(shown)
            if len(out) == n:
                break
        return out

    def _near_families(self, key: str) -> list[_Composed]:
        """The families whose prefix the key starts with, or nearly (a letter or two spelled otherwise)."""
        self._whole()
        from rapidfuzz import fuzz

        out = []
        for bucket in (*self._composed.values(), self._short):
            for family in bucket:
                before = family[0]
                if len(before) < 4:
                    if key.startswith(before):
                        out.append(family)
                elif fuzz.ratio(before, key[: len(before)]) >= 80:
                    out.append(family)
        return out


def ambiguity(original: str, entry: Ambiguous) -> RefError:
    """The error for a name several works answer to, with the candidates in catalog order."""
    titles = list(entry.titles)
    shown = ", ".join(titles[:6]) + (f" and {len(titles) - 6} more" if len(titles) > 6 else "")
    return AmbiguousRef(f"{original}: {entry.name} is ambiguous — name one: {shown}", alternatives=titles)


def _same_book(a: Entry, b: Entry) -> bool:
    """A book's name that is also its first part's title ('Likutei Moharan') is not a conflict."""
    if isinstance(a, Work) and isinstance(b, Group):
        return a.group == b.name
    if isinstance(a, Group) and isinstance(b, Work):
        return b.group == a.name
    return False


def _entry_name(entry: Entry) -> str:
    return entry.title if isinstance(entry, Work) else entry.name


# ---------------------------------------------------------------- the generated catalog

_EN_FORMS = ("{c} on ", "{c} ", "{c}, ", "{c} to ")
_HE_FORMS = ("{c} על ", "{c} ")


def _merge_generated(cat: Catalog, data: dict[str, Any]) -> None:
    """Merging the generated catalog (data/catalog_sefaria.json, from Sefaria's index data) into the curated one.

    The rules that keep it from ever changing what a curated name means:
    - a generated work whose title (or whose book's title) the curated catalog has is left out;
    - a generated name that is already a key is not added, so curated names always win;
    - the converter dropped every name two generated works share and listed it under `index.ambiguous`:
      those become `Ambiguous` entries, which the parser reports with their candidates instead of guessing.

    The converter stores every generated name as its matching key (`index`), so loading is building dicts,
    not making keys. The names themselves (for the linker's automaton, suggestions and the conflict check)
    are read only when something asks for every name (`Catalog._every_name`).
    """
    index = data["index"]
    by_title = cat._by_title
    skip_groups = {
        g["name"] for g in data.get("groups", ()) if g["name"] in by_title or g["name"] in cat.groups
    }
    # a generated work that a curated group names (Sefaria's old one-work 'Aruch HaShulchan', now the
    # curated group of its four parts) is that group's, not a second work under the same name
    group_keys = {name_key(n) for raw in cat._raw_groups for n in (raw["name"], *raw.get("aliases", ()))}
    fields = {f: None for f in ("translit", "lengths", "count", "span", "spans", "part", "mishnah")}
    works: list[Work | None] = []
    new = object.__new__
    for raw in data["works"]:
        title = raw["title"]
        group = raw.get("group")
        if title in by_title or group in skip_groups or name_key(title) in group_keys:
            works.append(None)
            continue
        work: Work = new(Work)
        d = work.__dict__
        d.update(fields)
        d.update(
            index=len(cat.works),
            title=title,
            he_title=raw["he"],
            translit="",
            category=raw["category"],
            kinds=tuple(raw["kinds"]),
            aliases=tuple(raw.get("aliases", ())),
            he_aliases=tuple(raw.get("he_aliases", ())),
            segments=bool(raw.get("segments", False)),
            group=group,
            base=raw.get("base"),
            folio=None,
            view_of=None,
            generated=True,
        )
        if "part" in raw:
            d["part"] = raw["part"]
        base = by_title.get(raw["base"]) if "base" in raw else None
        if base is not None and base.kinds == work.kinds:  # a commentary is cited by its base's places
            d.update(lengths=base.lengths, count=base.count, span=base.span)
        cat.works.append(work)
        by_title[title] = work
        cat._raw_by_title[title] = raw
        if group:
            cat._by_group.setdefault(group, []).append(work)
        works.append(work)
    groups: list[Group | None] = []
    for raw in data.get("groups", ()):
        if raw["name"] in skip_groups:
            groups.append(None)
            continue
        numbered = bool(raw.get("numbered_parts", False))
        group_entry = Group(name=raw["name"], he_title=raw["he"], numbered_parts=numbered)
        for number, member in enumerate(cat._by_group.get(raw["name"], ()), 1):
            # a book of numbered treatises: 'Duties of the Heart 4' is the fourth; its introductions,
            # which no number names, keep a place out of the numbers' way
            key = member.part if numbered and member.part else 1000 + number if numbered else number
            group_entry.parts[key] = member
        cat.groups[raw["name"]] = group_entry
        cat._raw_groups.append(raw)
        groups.append(group_entry)

    def entry(position: int) -> Entry | None:
        return works[position] if position >= 0 else groups[-1 - position]

    base_keys = cat._base
    for key, position in index["base"].items():
        if key not in base_keys:
            found = entry(position)
            if found is not None:
                base_keys[key] = found
    for raw, tables in zip(data.get("groups", ()), index["groups"], strict=True):
        if raw["name"] in skip_groups:
            continue
        for prefixes, table, leads in (
            (tables["en"], tables["en_table"], _PORTION_LEAD_KEYS),
            (tables["he"], tables["he_table"], _HE_PORTION_LEAD_KEYS),
        ):
            resolved = {k: works[p] for k, p in table.items() if works[p] is not None}
            for k, work in list(resolved.items()):  # a section named for a portion, with the portion's lead
                if cat._raw_by_title[work.title].get("parasha"):
                    for lead in leads:
                        resolved.setdefault(lead + k, work)
            if resolved:
                for prefix in prefixes:
                    cat._add_family(prefix, "", resolved)
    base_names: dict[int, tuple[list[str], list[str]]] = {}
    for family in index["families"]:
        _add_collective(cat, family, works, base_names)
    for key, (name, titles) in index["ambiguous"].items():
        if key not in base_keys:
            base_keys[key] = Ambiguous(name, tuple(titles))
    for title, alt in data.get("alts", {}).items():
        work_entry = by_title.get(title)
        if work_entry is not None:
            cat.alts[work_entry.index] = alt
    cat.max_words = max(cat.max_words, int(index.get("max_words", 0)))


def _add_collective(
    cat: Catalog,
    family: dict[str, Any],
    works: list[Work | None],
    base_names: dict[int, tuple[list[str], list[str]]],
) -> None:
    """'Ritva on {name}' … for every name of each work's base, as one table per language for every form.
    A base's keys are made once (most are the curated catalog's own, made while it loaded)."""
    en_table: dict[str, Entry] = {}
    he_table: dict[str, Entry] = {}
    key = cat._key
    for position, base_title in family["works"]:
        work = works[position]
        base = cat._by_title.get(base_title)
        if work is None or base is None:
            continue
        keys = base_names.get(base.index)
        if keys is None:
            en = [key(n) for n in (base.title, base.translit, *base.aliases) if n]
            he = [key(n) for n in (base.he_title, *base.he_aliases) if n]
            keys = base_names[base.index] = (en, he)
        for k in keys[0]:
            if k not in en_table:
                en_table[k] = work
        for k in keys[1]:
            if k not in he_table:
                he_table[k] = work
        cat._products.append((work, family["en_names"], family["he_names"], base))
    for prefixes, table in ((family["en"], en_table), (family["he"], he_table)):
        if table:
            for prefix in prefixes:
                if len(prefix) >= 2:
                    cat._add_family(prefix, "", table)
