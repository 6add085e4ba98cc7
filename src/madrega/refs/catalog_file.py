"""The catalog compiled into a small SQLite file, so a process reads only the works it needs.

Building the catalog from its JSON (2 MB, 4,500 works, 80,000 name keys) costs a cold process more
than everything else `madrega ref` does. The built catalog is therefore written once into
`catalog-<digest>.sqlite` in the cache directory (`$MADREGA_CACHE_DIR`, else the user's cache), and a
later process opens it and looks up each key, work and book as it is asked for: `madrega ref 'Job 8:7'`
decodes a handful of rows. A process that reads many references (the linker, a bulk parse) passes
`COMPLETE_AFTER` lookups and loads the whole file into the same plain dicts and lists a built catalog
has, so its warm path is the built catalog's.

The file's name carries a digest of everything the catalog derives from (its JSON, the code that
builds and reads it, this file's format): a changed catalog or a new madrega never reads an old file.
The file also records that digest, and a file that is not whole (a damaged or foreign file, one
another process is still writing) is ignored and rebuilt. Never a pickle: a row is JSON.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import threading
from array import array
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, cast

from madrega.datafiles import DATA
from madrega.refs.catalog import Ambiguous, Catalog, Entry, Group, Work, _Composed

__all__ = ["COMPLETE_AFTER", "FORMAT", "build", "load", "path", "write"]

FORMAT = "1"
COMPLETE_AFTER = 3000  # lookups in the file after which the whole catalog is read into memory
_BASE, _TITLES = 0, -1  # name tables: the works' own names, titles; families' tables are 1, 2, …
_FIELDS = (
    "title",
    "he_title",
    "translit",
    "category",
    "kinds",
    "aliases",
    "he_aliases",
    "lengths",
    "count",
    "span",
    "spans",
    "segments",
    "group",
    "part",
    "mishnah",
    "base",
    "folio",
    "view_of",
    "generated",
)
_TUPLES = frozenset(["kinds", "aliases", "he_aliases", "lengths", "span"])
_RAW_EXTRA = ("part_names", "he_part_names", "parasha")  # what a loaded catalog reads of a work's raw entry

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE works (idx INTEGER PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE names (tab INTEGER NOT NULL, key TEXT NOT NULL, code INTEGER NOT NULL,
                    PRIMARY KEY (tab, key)) WITHOUT ROWID;
CREATE TABLE tables (tab INTEGER PRIMARY KEY, keys TEXT NOT NULL, codes BLOB NOT NULL);
CREATE TABLE families (ord INTEGER PRIMARY KEY, bucket TEXT, before TEXT NOT NULL, after TEXT NOT NULL,
                       tab INTEGER NOT NULL);
CREATE TABLE groups (ord INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, row TEXT NOT NULL);
CREATE TABLE ambiguous (ord INTEGER PRIMARY KEY, row TEXT NOT NULL);
"""


def _sources() -> list[tuple[str, bytes]]:
    data = DATA
    out = []
    for name in ("catalog.json", "catalog_sefaria.json"):
        found = data.joinpath(name)
        out.append((name, found.read_bytes() if found.is_file() else b""))
    here = Path(__file__).resolve().parent
    for source in (here / "catalog.py", here / "catalog_file.py"):
        try:
            out.append((source.name, source.read_bytes()))
        except OSError:  # installed without sources: the data and the format still decide
            out.append((source.name, b""))
    return out


def _digest(sources: list[tuple[str, bytes]]) -> str:
    digest = hashlib.blake2b(digest_size=10)
    digest.update(FORMAT.encode())
    for name, content in sources:
        digest.update(f"{name}:{len(content)}:".encode() + content)
    return digest.hexdigest()


def _cache_dir() -> Path:
    env = os.environ.get("MADREGA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("madrega"))


def path(digest: str | None = None) -> Path:
    """Where the compiled catalog of this madrega and its data is kept."""
    return _cache_dir() / f"catalog-{digest or _digest(_sources())}.sqlite"


def build(sources: list[tuple[str, bytes]] | None = None) -> Catalog:
    """The catalog built from its JSON (what every process did before the compiled file)."""
    found = dict(sources or _sources())
    curated = json.loads(found["catalog.json"].decode("utf-8"))
    generated = (
        json.loads(found["catalog_sefaria.json"].decode("utf-8")) if found["catalog_sefaria.json"] else None
    )
    return Catalog(curated, generated)


def load() -> Catalog:
    """The catalog from its compiled file, else built (and the file written for the next process)."""
    sources = _sources()
    digest = _digest(sources)
    target = path(digest)
    with contextlib.suppress(sqlite3.Error, OSError, ValueError, KeyError, TypeError):
        return _open(target, digest)
    cat = build(sources)
    with contextlib.suppress(sqlite3.Error, OSError):
        write(cat, target, digest)
    return cat


# ---------------------------------------------------------------- writing


def _work_row(work: Work) -> str:
    values = []
    for name in _FIELDS:
        value = getattr(work, name)
        values.append([list(v) for v in value] if name == "spans" and value is not None else value)
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def write(cat: Catalog, target: Path, digest: str) -> None:
    """Write `cat` (a built catalog) into `target`, whole or not at all (a temporary file, renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(temporary)
        try:
            _fill(conn, cat, digest)
            conn.commit()
        finally:
            conn.close()
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _fill(conn: sqlite3.Connection, cat: Catalog, digest: str) -> None:
    conn.executescript(_SCHEMA)
    group_names = list(cat.groups)
    group_code = {id(cat.groups[name]): -1 - i for i, name in enumerate(group_names)}
    ambiguous: dict[int, int] = {}
    ambiguous_rows: list[tuple[int, str]] = []

    def code(entry: Entry) -> int:
        if isinstance(entry, Work):
            if cat.works[entry.index] is not entry:
                raise ValueError(f"{entry!r} is not the catalog's work {entry.index}")
            return entry.index
        if isinstance(entry, Group):
            return group_code[id(entry)]
        found = ambiguous.get(id(entry))
        if found is None:
            found = ambiguous[id(entry)] = -1 - len(group_names) - len(ambiguous_rows)
            row = json.dumps([entry.name, list(entry.titles)], ensure_ascii=False)
            ambiguous_rows.append((len(ambiguous_rows), row))
        return found

    conn.executemany("INSERT INTO works VALUES (?, ?)", ((w.index, _work_row(w)) for w in cat.works))
    tables: dict[int, int] = {}
    names: list[tuple[int, str, int]] = []  # each table in its order (kept in `tables`)

    def add_table(tab: int, table: Mapping[str, Entry]) -> None:
        names.extend((tab, key, code(entry)) for key, entry in table.items())

    add_table(_BASE, cat._base)
    add_table(_TITLES, cat._by_title)
    family_rows = []
    buckets: list[tuple[str | None, _Composed]] = [
        (bucket, family) for bucket, found in cat._composed.items() for family in found
    ]
    buckets += [(None, family) for family in cat._short]
    for ord_, (bucket, (before, after, table)) in enumerate(buckets):
        tab = tables.get(id(table))
        if tab is None:
            tab = tables[id(table)] = len(tables) + 1
            add_table(tab, table)
        family_rows.append((ord_, bucket, before, after, tab))
    conn.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
    whole: dict[int, tuple[list[str], array[int]]] = {}  # each table in one row, for reading it whole
    for tab, key, entry_code in names:
        if "\n" in key:
            raise ValueError(f"a name key holds a line break: {key!r}")
        keys, codes = whole.setdefault(tab, ([], array("i")))
        keys.append(key)
        codes.append(entry_code)
    conn.executemany(
        "INSERT INTO tables VALUES (?, ?, ?)",
        ((tab, "\n".join(keys), codes.tobytes()) for tab, (keys, codes) in whole.items()),
    )
    conn.executemany("INSERT INTO families VALUES (?, ?, ?, ?, ?)", family_rows)
    group_rows = []
    for i, name in enumerate(group_names):
        group = cat.groups[name]
        parts = [[number, work.index] for number, work in group.parts.items()]
        row = [group.he_title, parts, group.default_part, group.numbered_parts]
        group_rows.append((i, name, json.dumps(row, ensure_ascii=False)))
    conn.executemany("INSERT INTO groups VALUES (?, ?, ?)", group_rows)
    conn.executemany("INSERT INTO ambiguous VALUES (?, ?)", ambiguous_rows)
    raw_extra = {
        title: {k: raw[k] for k in _RAW_EXTRA if k in raw}
        for title, raw in cat._raw_by_title.items()
        if any(k in raw for k in _RAW_EXTRA)
    }
    rare = {
        "raw_groups": cat._raw_groups,
        "raw_extra": raw_extra,
        "by_group": {g: [w.index for w in works] for g, works in cat._by_group.items()},
        "products": [[w.index, en, he, b.index] for w, en, he, b in cat._products],
        "unloosened": sorted(cat._unloosened),
    }
    meta = {
        "format": FORMAT,
        "byteorder": sys.byteorder,
        "digest": digest,
        "works": str(len(cat.works)),
        "groups": str(len(group_names)),
        "max_words": str(cat.max_words),
        "curated_count": str(cat.curated_count),
        "endings": "\n".join(sorted(cat.endings)),
        "alts": json.dumps({str(k): v for k, v in cat.alts.items()}, ensure_ascii=False),
        "rare": json.dumps(rare, ensure_ascii=False),
    }
    by_category: dict[str, list[int]] = {}
    for work in cat.works:
        by_category.setdefault(work.category, []).append(work.index)
    meta.update((f"category:{c}", json.dumps(found)) for c, found in by_category.items())
    # `whole` last: a file without it was not finished
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [*meta.items(), ("whole", "1")])


# ---------------------------------------------------------------- reading


def _open(target: Path, digest: str) -> Catalog:
    if not target.is_file():
        raise FileNotFoundError(target)
    source = _Source(target)
    meta = dict(
        source.query("SELECT name, value FROM meta WHERE name IN ('format', 'digest', 'whole', 'byteorder')")
    )
    if (meta.get("format"), meta.get("digest"), meta.get("whole"), meta.get("byteorder")) != (
        FORMAT,
        digest,
        "1",
        sys.byteorder,
    ):
        raise ValueError(f"{target} is not this catalog's file")
    return source.catalog()


class _Source:
    """The open file and what has been decoded from it (each work, book and ambiguity once, so a work
    is the same object however it was reached)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self._lock = threading.RLock()
        self._pid = os.getpid()
        self._conn = self._connect()
        self.lookups = 0
        self.cat: Catalog | None = None
        self._lazy: list[_LazyNames] = []

    def _connect(self) -> sqlite3.Connection:
        uri = f"file:{self.target.resolve().as_posix()}?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            if os.getpid() != self._pid:  # a forked process opens its own connection
                self._conn = self._connect()
                self._pid = os.getpid()
            return self._conn.execute(sql, args).fetchall()

    def catalog(self) -> Catalog:
        meta = dict(
            self.query(
                "SELECT name, value FROM meta WHERE name NOT IN ('rare') AND name NOT LIKE 'category:%'"
            )
        )
        cat = Catalog.__new__(Catalog)
        self.cat = cat
        count = int(meta["works"])
        self._works: list[Work | None] = [None] * count
        self._group_names = [name for (name,) in self.query("SELECT name FROM groups ORDER BY ord")]
        self._groups: dict[str, Group] = {}
        self._ambiguous: dict[int, Ambiguous] = {}
        self._complete = False
        base = _LazyNames(self, _BASE)
        titles = _LazyNames(self, _TITLES)
        tables: dict[int, _LazyNames] = {}
        composed: dict[str, list[_Composed]] = {}
        short: list[_Composed] = []
        for bucket, before, after, tab in self.query(
            "SELECT bucket, before, after, tab FROM families ORDER BY ord"
        ):
            table = tables.get(tab)
            if table is None:
                table = tables[tab] = _LazyNames(self, tab)
            family = (before, after, cast(dict[str, Entry], table))
            (short if bucket is None else composed.setdefault(bucket, [])).append(family)
        self._lazy = [base, titles, *tables.values()]
        cat.__dict__.update(
            works=_LazyWorks(self, count),
            groups=_LazyGroups(self),
            _by_title=titles,
            _base=base,
            _composed=composed,
            _short=short,
            _raw_groups=None,
            _raw_by_title=None,
            _full=None,
            _loose={},
            _family_loose={},
            _family_names={},
            _loose_keys=None,
            _loose_names={},
            _unloosened=None,
            _by_letter=None,
            max_words=int(meta["max_words"]),
            _endings=frozenset(meta["endings"].split("\n")) if meta["endings"] else frozenset(),
            _resolved={},
            _key_of={},
            _by_group=None,
            _products=None,
            alts={int(k): v for k, v in json.loads(meta["alts"]).items()},
            curated_count=int(meta["curated_count"]),
            _complete_from=self,
        )
        return cat

    # ---- decoding
    def entry(self, code: int) -> Entry:
        if code >= 0:
            return self.work(code)
        if -code <= len(self._group_names):
            return self.group(self._group_names[-1 - code])
        found = self._ambiguous.get(code)
        if found is None:
            with self._lock:
                found = self._ambiguous.get(code)
                if found is None:
                    ordinal = -1 - len(self._group_names) - code
                    ((row,),) = self.query("SELECT row FROM ambiguous WHERE ord = ?", (ordinal,))
                    name, titles = json.loads(row)
                    found = self._ambiguous[code] = Ambiguous(name, tuple(titles))
        return found

    def work(self, index: int) -> Work:
        found = self._works[index]
        if found is None:
            with self._lock:
                found = self._works[index]
                if found is None:
                    ((row,),) = self.query("SELECT row FROM works WHERE idx = ?", (index,))
                    found = self._works[index] = _decode_work(index, row)
        return found

    def group(self, name: str) -> Group:
        found = self._groups.get(name)
        if found is None:
            with self._lock:
                found = self._groups.get(name)
                if found is None:
                    ((row,),) = self.query("SELECT row FROM groups WHERE name = ?", (name,))
                    he, parts, default_part, numbered = json.loads(row)
                    found = Group(
                        name=name,
                        he_title=he,
                        parts={number: self.work(index) for number, index in parts},
                        default_part=default_part,
                        numbered_parts=numbered,
                    )
                    self._groups[name] = found
        return found

    def in_category(self, category: str) -> list[Work]:
        rows = self.query("SELECT value FROM meta WHERE name = ?", (f"category:{category}",))
        return [self.work(index) for index in json.loads(rows[0][0])] if rows else []

    def lookup(self, tab: int, key: str) -> Entry | None:
        rows = self.query("SELECT code FROM names WHERE tab = ? AND key = ?", (tab, key))
        self.lookups += 1
        if self.lookups >= COMPLETE_AFTER:
            self.complete()
        return self.entry(rows[0][0]) if rows else None

    def table(self, tab: int) -> dict[str, Entry]:
        """A whole name table, in the order it was built."""
        self.complete()
        found = next(t for t in self._lazy if t.tab == tab)
        assert found.real is not None
        return found.real

    # ---- everything
    def complete(self) -> None:
        """Read the whole file into the catalog: plain lists and dicts, as a built catalog has them."""
        if self._complete:
            return
        with self._lock:
            if self._complete:
                return
            cat = self.cat
            assert cat is not None
            rows = self.query("SELECT idx, row FROM works ORDER BY idx")
            for (index, _), values in zip(
                rows, json.loads("[" + ",".join(r for _, r in rows) + "]"), strict=True
            ):
                if self._works[index] is None:
                    self._works[index] = _make_work(index, values)
            works = cast(list[Work], self._works)
            for name in self._group_names:
                self.group(name)
            base = -1 - len(self._group_names)
            for ordinal, row in self.query("SELECT ord, row FROM ambiguous ORDER BY ord"):
                if base - ordinal not in self._ambiguous:
                    name, titles = json.loads(row)
                    self._ambiguous[base - ordinal] = Ambiguous(name, tuple(titles))
            entries: dict[int, Entry] = {}
            tables: dict[int, dict[str, Entry]] = {}
            for tab, keys, codes in self.query("SELECT tab, keys, codes FROM tables"):
                numbers = array("i")
                numbers.frombytes(codes)
                found = []
                for code in numbers.tolist():
                    entry = works[code] if code >= 0 else entries.get(code)
                    if entry is None:
                        entry = entries[code] = self.entry(code)
                    found.append(entry)
                tables[tab] = dict(zip(keys.split("\n") if keys else [], found, strict=True))
            (rare_text,) = self.query("SELECT value FROM meta WHERE name = 'rare'")[0]
            rare = json.loads(rare_text)
            for lazy in self._lazy:
                lazy.real = tables[lazy.tab]
            real = {id(lazy): tables[lazy.tab] for lazy in self._lazy}

            def family(found: _Composed) -> _Composed:
                before, after, table = found
                return before, after, real[id(table)]

            cat.__dict__.update(
                works=list(works),
                groups={name: self._groups[name] for name in self._group_names},
                _by_title=real[id(cat._by_title)],
                _base=real[id(cat._base)],
                _composed={b: [family(f) for f in found] for b, found in cat._composed.items()},
                _short=[family(f) for f in cat._short],
                _raw_groups=rare["raw_groups"],
                _raw_by_title=rare["raw_extra"],  # what `_part_names` reads of the raw entries
                _by_group={g: [works[i] for i in found] for g, found in rare["by_group"].items()},
                _products=[(works[w], en, he, works[b]) for w, en, he, b in rare["products"]],
                _unloosened=set(rare["unloosened"]),
                _family_loose={},
                _family_names={},
                _complete_from=None,
            )
            self._complete = True


def _decode_work(index: int, row: str) -> Work:
    return _make_work(index, json.loads(row))


def _make_work(index: int, values: list[Any]) -> Work:
    work: Work = object.__new__(Work)
    d = work.__dict__
    d["index"] = index
    d.update(zip(_FIELDS, values, strict=True))
    for name in _TUPLES:
        if d[name] is not None:
            d[name] = tuple(d[name])
    if d["spans"] is not None:
        d["spans"] = tuple(tuple(v) for v in d["spans"])
    return work


class _LazyNames(Mapping[str, Entry]):
    """A name table read key by key from the file (each answer kept), whole once the catalog is."""

    __slots__ = ("_memo", "_source", "real", "tab")

    def __init__(self, source: _Source, tab: int) -> None:
        self._source = source
        self.tab = tab
        self._memo: dict[str, Entry | None] = {}
        self.real: dict[str, Entry] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        if self.real is not None:
            return self.real.get(key, default)
        try:
            found = self._memo[key]
        except KeyError:
            found = self._memo[key] = self._source.lookup(self.tab, key)
        return default if found is None else found

    def __getitem__(self, key: str) -> Entry:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return cast(Entry, found)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._source.table(self.tab))

    def __len__(self) -> int:
        return len(self._source.table(self.tab))


class _LazyWorks:
    """`Catalog.works` read work by work until the catalog is whole."""

    def __init__(self, source: _Source, count: int) -> None:
        self._source = source
        self._count = count

    def __getitem__(self, index: int) -> Work:
        if not isinstance(index, int):
            return cast(Work, self._whole()[index])
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("catalog work index out of range")
        return self._source.work(index)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Work]:
        return iter(self._whole())

    def _whole(self) -> list[Work]:
        self._source.complete()
        assert self._source.cat is not None
        return self._source.cat.works


class _LazyGroups:
    """`Catalog.groups` read book by book until the catalog is whole."""

    def __init__(self, source: _Source) -> None:
        self._source = source
        self._names = frozenset(source._group_names)

    def get(self, name: str, default: Any = None) -> Any:
        return self._source.group(name) if name in self._names else default

    def __getitem__(self, name: str) -> Group:
        if name not in self._names:
            raise KeyError(name)
        return self._source.group(name)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __len__(self) -> int:
        return len(self._names)

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def keys(self) -> Any:
        return self._whole().keys()

    def values(self) -> Any:
        return self._whole().values()

    def items(self) -> Any:
        return self._whole().items()

    def _whole(self) -> dict[str, Group]:
        self._source.complete()
        assert self._source.cat is not None
        return self._source.cat.groups


@cache
def catalog() -> Catalog:
    """The packaged catalog (loaded once per process): the hand-curated catalog.json, with the works
    generated from Sefaria's index data (catalog_sefaria.json) merged in where it has none of their
    names. Read from its compiled file, which the first process builds (`load`)."""
    return load()
