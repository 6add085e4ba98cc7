"""The title automaton, kept in the cache so a process loads it in milliseconds instead of building it.

`references` decides which aliases stand for which works (`_title_table`); this module only builds the
Aho-Corasick automaton over them and keeps it: the automaton's own node data (pyahocorasick's raw
form, values are ints) and the table of titles each value names, in a `madrega.cachefile` file under
the user's cache directory. The file's name carries a digest of everything the automaton derives from
(the catalog, the code that reads it, pyahocorasick's version), so a changed catalog or a new madrega
never reads an old one. Titles are decoded only for the aliases a text contains.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from madrega import cachefile
from madrega.datafiles import DATA

__all__ = ["Titles", "automaton", "cache_path"]

FORMAT = "3"  # 3: a title's flags all kept (2 lost `short`, so a cached automaton read 'Lm' as 'LM')
_KIND = "titles"


class Titles:
    """The automaton and its titles: `iter(norm)` yields (end index, (length, titles))."""

    def __init__(self, auto: Any, decode: Callable[[int], tuple[int, tuple[Any, ...]]]) -> None:
        self.raw = auto
        self._decode = decode
        self._decoded: dict[int, tuple[int, tuple[Any, ...]]] = {}

    def iter(self, text: str) -> Iterator[tuple[int, tuple[int, tuple[Any, ...]]]]:
        decoded = self._decoded
        for end, value in self.raw.iter(text):
            found = decoded.get(value)
            if found is None:
                found = decoded[value] = self._decode(value)
            yield end, found


def _sources_digest() -> str:
    """What the automaton derives from: the catalog data, the code that reads it, the library that
    stores the automaton."""
    digest = hashlib.blake2b(digest_size=10)
    digest.update(FORMAT.encode())
    data = DATA
    for found in sorted(data.iterdir(), key=lambda f: f.name):  # the catalogs and the parser's word lists
        if found.name.endswith(".json") and found.is_file():
            digest.update(found.name.encode() + found.read_bytes())
    here = Path(__file__).resolve().parent
    refs_code = sorted((here.parent.parent / "refs").glob("*.py"))
    for source in (here / "references.py", here / "titles.py", *refs_code):
        try:
            digest.update(source.read_bytes())
        except OSError:  # installed without sources: the catalog and the version still decide
            digest.update(source.name.encode())
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        digest.update(importlib.metadata.version("pyahocorasick").encode())
    return digest.hexdigest()


def cache_path() -> Path:
    return cachefile.cache_dir() / f"titles-{_sources_digest()}.idx"


def _flags(title: Any) -> list[Any]:
    """A title's fields after its alias and entry, in their order (hebrew, capitalized, talmud, short):
    every one is kept, so a title read from the cache is the title that was built."""
    names = [f.name for f in dataclasses.fields(title)][2:]
    return [getattr(title, name) for name in names]


def _entry_ref(entry: Any) -> list[Any]:
    index = getattr(entry, "index", None)
    if isinstance(index, int) and hasattr(entry, "kinds"):
        return ["w", index]
    return ["g", entry.name]


def _entry_of(ref: list[Any]) -> Any:
    from madrega.refs import catalog

    if ref[0] == "w":
        return catalog().by_index(int(ref[1]))
    return catalog().groups[ref[1]]


def automaton(build_table: Callable[[], dict[str, list[Any]]], title: type) -> Titles:
    """The automaton from the cache, else built (and written to the cache for the next process)."""
    path = cache_path()
    loaded = _load(path, title)
    if loaded is not None:
        return loaded
    import ahocorasick

    table = build_table()
    norms = sorted(table)
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, norm in enumerate(norms):
        auto.add_word(norm, i)
    auto.make_automaton()
    values = [(len(norm), tuple(table[norm])) for norm in norms]
    _save(path, auto, values)
    return Titles(auto, values.__getitem__)


def _save(path: Path, auto: Any, values: list[tuple[int, tuple[Any, ...]]]) -> None:
    import numpy as np

    args = auto.__reduce__()[1]
    if len(args) != 7 or not isinstance(args[0], list) or not all(isinstance(c, bytes) for c in args[0]):
        return  # a pyahocorasick that keeps its nodes otherwise: build in each process
    lines = [
        json.dumps(
            [length, [[t.alias, _entry_ref(t.entry), *_flags(t)] for t in titles]],
            ensure_ascii=False,
        ).encode("utf-8")
        for length, titles in values
    ]
    offsets = np.zeros(len(lines) + 1, dtype=np.int64)
    np.cumsum([len(line) for line in lines], out=offsets[1:])
    meta = {"args": list(args[1:6]), "chunks": len(args[0])}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        stamp = cachefile.write_file(
            path,
            kind=_KIND,
            fmt=FORMAT,
            meta=meta,
            arrays={
                **{f"automaton.{i}": chunk for i, chunk in enumerate(args[0])},
                "titles": b"".join(lines),
                "title_offsets": offsets,
            },
        )
        _stamp_path(path).write_text(json.dumps(stamp.__dict__), encoding="utf-8")
        for old in path.parent.glob("titles-*.idx"):  # the automata of older catalogs
            if old != path:
                old.unlink(missing_ok=True)
                _stamp_path(old).unlink(missing_ok=True)
    except OSError:
        return  # no writable cache: the next process builds it again


def _stamp_path(path: Path) -> Path:
    return path.with_suffix(".stamp")


def _load(path: Path, title: type) -> Titles | None:
    import ahocorasick

    if not path.exists():
        return None
    trusted = None
    try:
        raw = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
        trusted = cachefile.Stamp(str(raw["digest"]), int(raw["size"]), int(raw["mtime_ns"]))
    except (OSError, ValueError, KeyError, TypeError):
        trusted = None  # no stamp: the checksum is verified instead
    try:
        found = cachefile.open_file(path, kind=_KIND, fmt=FORMAT, trusted=trusted)
    except cachefile.CorruptFile:
        path.unlink(missing_ok=True)
        return None
    try:
        args = [int(a) for a in found.meta["args"]]
        chunks = [found.blob(f"automaton.{i}") for i in range(int(found.meta["chunks"]))]
        auto = ahocorasick.Automaton(chunks, *args, None)
    # Another pyahocorasick's layout (ValueError, TypeError), a header that lies about sizes
    # (MemoryError) or misses a field (KeyError): build instead.
    except (KeyError, TypeError, ValueError, MemoryError):
        path.unlink(missing_ok=True)
        return None
    offsets = found.items("title_offsets")
    blob = found.memory("titles")

    def decode(value: int) -> tuple[int, tuple[Any, ...]]:
        length, rows = json.loads(bytes(blob[offsets[value] : offsets[value + 1]]))
        return int(length), tuple(title(alias, _entry_of(ref), *flags) for alias, ref, *flags in rows)

    if trusted != found.stamp:
        with contextlib.suppress(OSError):
            _stamp_path(path).write_text(json.dumps(found.stamp.__dict__), encoding="utf-8")
    return Titles(auto, decode)
