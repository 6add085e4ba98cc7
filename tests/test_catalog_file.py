"""The compiled catalog (refs/catalog_file.py) is the built catalog, read as it is needed."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from madrega.refs import catalog_file
from madrega.refs.catalog import Ambiguous, Catalog, Group, Work


@pytest.fixture(scope="module")
def built() -> Catalog:
    return catalog_file.build()


@pytest.fixture(scope="module")
def written(built: Catalog, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    digest = catalog_file._digest(catalog_file._sources())
    target = tmp_path_factory.mktemp("catalog") / f"catalog-{digest}.sqlite"
    catalog_file.write(built, target, digest)
    return target, digest


def _open(written: tuple[Path, str]) -> Catalog:
    return catalog_file._open(*written)


def _fields(work: Work) -> list[Any]:
    return [getattr(work, f.name) for f in dataclasses.fields(work)]


def _entry(entry: object) -> object:
    if isinstance(entry, Work):
        return ("work", entry.index)
    if isinstance(entry, Group):
        parts = [(n, w.index) for n, w in entry.parts.items()]
        return ("group", entry.name, entry.he_title, parts, entry.default_part, entry.numbered_parts)
    if isinstance(entry, Ambiguous):
        return ("ambiguous", entry.name, entry.titles)
    return entry


def _table(table: Any) -> list[tuple[str, object]]:
    return [(key, _entry(value)) for key, value in table.items()]


def test_a_compiled_catalog_reads_a_reference_without_reading_every_work(written: tuple[Path, str]) -> None:
    cat = _open(written)
    job = cat.work("Job")
    assert (job.title, job.he_title, job.lengths and len(job.lengths)) == ("Job", "איוב", 42)
    assert cat.resolve("rashiongenesis") is cat.works[cat.work("Rashi on Genesis").index]
    assert cat._complete_from is not None  # nothing walked the whole file
    assert sum(w is not None for w in cat._complete_from._works) < 10


def test_the_compiled_catalog_is_the_built_one(built: Catalog, written: tuple[Path, str]) -> None:
    cat = _open(written)
    assert cat.work("Iyov").title == "Job"  # a lookup before the whole is read: the same objects after
    job = cat.work("Job")
    assert len(cat.works) == len(built.works)
    assert [_fields(w) for w in cat.works] == [_fields(w) for w in built.works]
    assert cat.works[job.index] is job
    assert _table(cat._base) == _table(built._base)
    assert _table(cat._by_title) == _table(built._by_title)
    assert [_entry(g) for g in cat.groups.values()] == [_entry(g) for g in built.groups.values()]

    def families(c: Catalog) -> object:
        seen: dict[int, int] = {}
        every = [*((b, f) for b, found in c._composed.items() for f in found), *((None, f) for f in c._short)]
        return [
            (b, before, after, seen.setdefault(id(t), len(seen)), _table(t))
            for b, (before, after, t) in every
        ]

    assert families(cat) == families(built)
    assert (cat.endings, cat.max_words, cat.alts, cat.curated_count) == (
        built.endings,
        built.max_words,
        built.alts,
        built.curated_count,
    )
    # what every name (the linker's automaton, the conflicts check) is made of
    assert cat._raw_groups == built._raw_groups and cat._unloosened == built._unloosened
    assert {g: [w.index for w in ws] for g, ws in cat._by_group.items()} == {
        g: [w.index for w in ws] for g, ws in built._by_group.items()
    }
    assert [(w.index, en, he, b.index) for w, en, he, b in cat._products] == [
        (w.index, en, he, b.index) for w, en, he, b in built._products
    ]
    parts = [w for w in built.works if w.group]
    assert all(cat._part_names(cat.works[w.index]) == built._part_names(w) for w in parts)
    assert cat.suggest("Bereshiss") == built.suggest("Bereshiss")
    assert cat.in_category("Tanakh") == [w for w in cat.works if w.category == "Tanakh"]


def test_many_lookups_read_the_whole_catalog_into_plain_dicts(
    written: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_file, "COMPLETE_AFTER", 5)
    cat = _open(written)
    for key in ("job", "genesis", "nosuchwork", "nosuchwork2", "berakhot"):
        cat.resolve(key)
    assert cat._complete_from is None
    assert type(cat._base) is dict and type(cat.works) is list and type(cat.groups) is dict
    assert cat.resolve("job") is cat.work("Job")


def test_a_damaged_or_foreign_file_is_rebuilt(
    built: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MADREGA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(catalog_file, "build", lambda sources=None: built)  # built once for the module
    target = catalog_file.path()
    target.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)  # a damaged file
    cat = catalog_file.load()
    assert cat.work("Job").index == built.work("Job").index
    reopened = catalog_file.load()  # the file was written again, whole
    assert reopened._complete_from is not None
    assert reopened.work("Berakhot").title == "Berakhot"


def test_a_changed_catalog_is_another_file() -> None:
    sources = catalog_file._sources()
    changed = [
        (name, content + b" ") if name == "catalog.json" else (name, content) for name, content in sources
    ]
    assert catalog_file._digest(changed) != catalog_file._digest(sources)


@pytest.mark.parametrize(("name", "title"), [("Berachoth", "Berakhot"), ("Tzefania", "Zephaniah")])
def test_a_compiled_catalog_reads_loose_spellings_as_the_built_one(
    built: Catalog, written: tuple[Path, str], name: str, title: str
) -> None:
    """The second process reads the compiled file: a loose spelling must resolve there too."""
    cat = _open(written)
    assert cat.work(name).title == built.work(name).title == title
