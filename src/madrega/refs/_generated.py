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

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from madrega.refs.catalog import Catalog, Entry, Work

_EN_FORMS = ("{c} on ", "{c} ", "{c}, ", "{c} to ")
_HE_FORMS = ("{c} על ", "{c} ")


def merge(cat: Catalog, data: dict[str, Any]) -> None:
    from madrega.refs.catalog import Ambiguous, Group, Work

    index = data["index"]
    by_title = cat._by_title
    skip_groups = {
        g["name"] for g in data.get("groups", ()) if g["name"] in by_title or g["name"] in cat.groups
    }
    fields = {f: None for f in ("translit", "lengths", "count", "span", "spans", "part", "mishnah")}
    works: list[Work | None] = []
    new = object.__new__
    for raw in data["works"]:
        title = raw["title"]
        group = raw.get("group")
        if title in by_title or group in skip_groups:
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
        group_entry = Group(name=raw["name"], he_title=raw["he"])
        for number, member in enumerate(cat._by_group.get(raw["name"], ()), 1):
            group_entry.parts[number] = member
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
        for prefixes, table in ((tables["en"], tables["en_table"]), (tables["he"], tables["he_table"])):
            resolved = {k: works[p] for k, p in table.items() if works[p] is not None}
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
