"""The title automaton, kept in the cache so a process loads it in milliseconds instead of building it.

`references` decides which aliases stand for which works (`_title_table`); this module only finds
them in a text and keeps what it finds them with, in a `madrega.cachefile` file under the user's cache
directory: the table of titles each alias names (one JSON line per alias, decoded only for the aliases
a text contains), and two ways to find aliases, by the kind of title:

- a Hebrew title (its `hebrew` flag) may begin inside a word (after a prefix letter, 'ובספר'): an
  Aho-Corasick automaton over the Hebrew titles (pyahocorasick's raw node data, values are ints),
  read only for a text that has a Hebrew letter (every Hebrew title has one, checked when built);
- any other title only begins after a character that is not a letter or digit and only ends before
  one (`references._title_scan` drops the rest): looked up by its span, between such places, in a
  table of their 64-bit hashes (a sorted array, read in place; a hit is checked against its text).
  Most of the catalog's 270,000 aliases are these: an English page never reads the automaton.

The file also keeps `extra`, what the caller derives from the same catalog (JSON). The file's name
carries a digest of everything it derives from (the catalog, the code that reads it, pyahocorasick's
build), so a changed catalog or a new madrega never reads an old one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.util
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping
from itertools import accumulate, compress, repeat
from operator import and_, is_not, not_
from pathlib import Path
from typing import Any

from madrega import cachefile
from madrega.datafiles import DATA

__all__ = ["Titles", "automaton", "cache_path"]

FORMAT = "6"  # 4: the titles that are not Hebrew looked up by span, not in the automaton; `extra`
# 5: every word-boundary prefix of those titles in the table too (PREFIX), so a span stops growing
# 6: the characters, not a word's, that begin one of those titles or prefixes (`firsts`)
_UNSEEN: Any = object()
PREFIX = -1  # the value of a span that only begins titles ('shulchan' of 'shulchan arukh')
_MOST_REMEMBERED = 500_000  # spans whose lookup a process remembers (some 60 MB at most), then forgets
_KIND = "titles"

_HEBREW_LETTER = re.compile("[\u05d0-\u05ea]")
_WORD_END = re.compile(r"\W")  # where a plain title may end: not a letter, digit or '_' (norm)
_START_AFTER = re.compile(r"[\W_]| ")  # after which one may begin: not a letter or digit, or a space
_SPLIT = re.compile(r"(\W)")  # the text in words (maybe empty) and the characters between them
_UNDERSCORE = re.compile("_")
_NOTE_NUMBER = re.compile(r"[.;:!?\"”’)]\d{1,2}(?=[^\W\d_])")  # '.2Hag. 14a': a footnote's number glued


def _hash(norm: str) -> int:
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")


class _NoTitles:
    """The automaton of a table without Hebrew titles (pyahocorasick cannot make one of no words)."""

    def iter(self, text: str) -> Iterator[tuple[int, int]]:
        return iter(())


class Titles:
    """Where titles are in a text: `iter(scan, norm)` yields (end index, (length, titles)), for every
    Hebrew title anywhere and every other title between places where one may begin and end."""

    def __init__(
        self,
        hebrew: Callable[[], Any],
        plain: Callable[[str], int | None],
        longest: int,
        needs_letter: bool,
        decode: Callable[[int], tuple[int, tuple[Any, ...]]],
        extra: Any = None,
        firsts: str | None = None,
    ) -> None:
        self._hebrew = hebrew
        self._auto: Any = None
        self._plain = plain
        self._longest = longest
        self._needs_letter = needs_letter
        self._decode = decode
        self._decoded: dict[int, tuple[int, tuple[Any, ...]]] = {}
        self._looked_up: dict[str, int | None] = {}  # span → value: prose repeats its words
        # the characters, not a word's, a plain title (or its beginning) begins with; None: any may
        self._begins = None if firsts is None else frozenset(firsts).__contains__
        self.extra = extra

    @property
    def raw(self) -> Any:
        """The automaton of the Hebrew titles (made when first asked for)."""
        if self._auto is None:
            self._auto = self._hebrew()
        return self._auto

    def iter(self, scan: str, norm: str | None = None) -> Iterator[tuple[int, tuple[int, tuple[Any, ...]]]]:
        """Every title in `scan` (the text searched), by end then longest first; `norm` is the text
        whose characters say where a title that is not Hebrew may begin and end (default: `scan`,
        which has the same length)."""
        norm = scan if norm is None else norm
        found: list[tuple[int, int]] = []
        if not self._needs_letter or _HEBREW_LETTER.search(scan):
            found.extend(self.raw.iter(scan))
        found.extend(self._plain_spans(scan, norm))
        decoded = self._decoded
        out = []
        for end, value in found:
            title = decoded.get(value)
            if title is None:
                title = decoded[value] = self._decode(value)
            out.append((end, title))
        out.sort(key=lambda f: (f[0], -f[1][0]))
        yield from out

    def _plain_spans(self, scan: str, norm: str) -> list[tuple[int, int]]:
        """(end index, value) of the titles that are not Hebrew: a span of `scan` that starts at the
        text's start or after a character of `norm` that is not a letter or digit (or of `scan` that is
        a space) and ends at the text's end or before a character of `norm` that is not a letter, digit
        or '_'. A span grows only while it is a title or begins one (PREFIX).

        Most places a span may begin are a word's beginning, and most words begin no title: the text
        is split at its characters that are not word characters (in C), every word looked up at once
        (in the table of spans already seen), and only the spans that begin at a word that is a title
        or begins one, at a character that is not a word's but begins one (`firsts`; with none known,
        any), or inside a word (after '_', a footnote's number) grow one end at a time (`_grow`). When `scan` differs from `norm` other than
        by a hyphen read as a space ('law's of'), every place is read that way (`_plain_spans_each`)."""
        if scan is not norm and scan.replace("-", " ") != norm.replace("-", " "):
            return self._plain_spans_each(scan, norm)
        n = len(scan)
        parts = _SPLIT.split(scan)  # words (maybe empty) at even indexes, one non-word character between
        at = list(accumulate(map(len, parts), initial=0))
        ends = at[1 : len(parts) : 2]  # where a span may end: before a character that is not a word's
        ends.append(n)
        if len(self._looked_up) > _MOST_REMEMBERED:
            self._looked_up.clear()
        seen = self._looked_up
        words = parts[0::2]
        values = list(map(seen.get, words, repeat(_UNSEEN)))
        plain = self._plain
        for i in [i for i, v in enumerate(values) if v is _UNSEEN]:
            word = words[i]
            value = seen.get(word, _UNSEEN)
            if value is _UNSEEN:
                value = seen[word] = plain(word)
            values[i] = value
        # (start, index in ends of the first place after it a span may end): a word that is a title
        # or begins one, and after a character that is not a word's another (', as'), its span's first
        indexes = range(len(words))
        tasks = [(at[2 * i], i) for i in compress(indexes, map(is_not, values, repeat(None))) if words[i]]
        if self._begins is None:
            tasks.extend((at[2 * i + 1], i + 1) for i in compress(indexes[:-1], map(not_, words)))
        else:  # only a character a title begins with (the catalog's begin with none)
            after_another = map(and_, map(not_, words), map(self._begins, parts[1::2]))
            tasks.extend((at[2 * i + 1], i + 1) for i in compress(indexes[:-1], after_another))
        inside = {m.end() for m in _NOTE_NUMBER.finditer(norm)}  # the linker decides if it is one
        if "_" in scan:
            inside.update(m.end() for m in _UNDERSCORE.finditer(scan))
        tasks.extend((s, bisect_right(ends, s)) for s in inside if s < n)
        tasks.sort()
        return self._grow(scan, ends, tasks)

    def _grow(self, scan: str, ends: list[int], tasks: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """(end index, value) of the titles of the spans that begin at each start of `tasks` (with the
        index in `ends` of the first place after it a span may end), in their order."""
        n = len(scan)
        plain, longest = self._plain, self._longest
        seen = self._looked_up
        get = seen.get
        word_end = _WORD_END.match
        found: list[tuple[int, int]] = []
        last = len(ends)
        for s, j in tasks:
            while j < last:  # a span grows while it is a title or begins one (a longer one is neither)
                e = ends[j]
                span = scan[s:e]
                value = get(span, _UNSEEN)
                if value is _UNSEEN:
                    value = seen[span] = plain(span)
                if value is None:
                    if e == n or word_end(scan, e) or e - s > longest:
                        break  # no title begins with this span: none is longer either
                elif value != PREFIX:
                    found.append((e - 1, value))
                j += 1
        return found

    def _plain_spans_each(self, scan: str, norm: str) -> list[tuple[int, int]]:
        """`_plain_spans`, every place a span may begin read one at a time."""
        n = len(scan)
        ends = [m.start() for m in _WORD_END.finditer(norm)]
        ends.append(n)
        starts = {0}
        starts.update(m.end() for m in _START_AFTER.finditer(norm))
        if scan is not norm:
            starts.update(m.end() for m in _START_AFTER.finditer(scan))
        starts.update(m.end() for m in _NOTE_NUMBER.finditer(norm))  # the linker decides if it is one
        plain, longest = self._plain, self._longest
        if len(self._looked_up) > _MOST_REMEMBERED:
            self._looked_up.clear()
        seen = self._looked_up
        get = seen.get
        word_end = _WORD_END.match
        found: list[tuple[int, int]] = []
        last = len(ends)
        k = 0
        for s in sorted(starts):
            if s >= n:
                break
            while ends[k] <= s:  # the first place after s a span may end (ends holds n: it stops)
                k += 1
            j = k
            while j < last:  # a span grows while it is a title or begins one (a longer one is neither)
                e = ends[j]
                span = scan[s:e]
                value = get(span, _UNSEEN)
                if value is _UNSEEN:
                    value = seen[span] = plain(span)
                if value is None:
                    if e == n or word_end(scan, e) or e - s > longest:
                        break  # no title begins with this span: none is longer either
                elif value != PREFIX:
                    found.append((e - 1, value))
                j += 1
        return found


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
    # pyahocorasick's own build, whose node layout the file keeps: its module's bytes (a few hundred
    # kilobytes; cheaper than importlib.metadata, whose import alone costs a cold process 30 ms).
    spec = importlib.util.find_spec("ahocorasick")
    try:
        digest.update(Path(spec.origin).read_bytes() if spec is not None and spec.origin else b"none")
    except OSError:
        digest.update(b"unreadable")
    return digest.hexdigest()


def cache_path() -> Path:
    return cachefile.cache_dir() / f"titles-{_sources_digest()}.idx"


def _flags(title: Any) -> list[Any]:
    """A title's fields after its alias and entry, in their order (hebrew, capitalized, talmud, short):
    every one is kept, so a title read from the cache is the title that was built."""
    names = _FLAG_NAMES.get(type(title))
    if names is None:
        names = _FLAG_NAMES[type(title)] = tuple(f.name for f in dataclasses.fields(title))[2:]
    return [getattr(title, name) for name in names]


_FLAG_NAMES: dict[type, tuple[str, ...]] = {}  # per title class: ~300k titles are written at a build


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


def automaton(
    build_table: Callable[[], dict[str, list[Any]]],
    title: type,
    extra: Callable[[], Any] | None = None,
) -> Titles:
    """The titles from the cache, else built (and written to the cache for the next process); `extra`
    is what the caller derives from the same catalog, kept beside them."""
    path = cache_path()
    loaded = _load(path, title, build_table)
    if loaded is not None:
        return loaded
    import ahocorasick

    table = build_table()
    norms = sorted(table)
    values = [(len(norm), tuple(table[norm])) for norm in norms]
    hebrew = [i for i, norm in enumerate(norms) if table[norm][0].hebrew]
    plain = {norm: i for i, norm in enumerate(norms) if not table[norm][0].hebrew}
    lookup = _with_prefixes(plain)
    auto: Any = _NoTitles()
    if hebrew:
        auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for i in hebrew:
            auto.add_word(norms[i], i)
        auto.make_automaton()
    longest = max(map(len, plain), default=0)
    needs_letter = all(_HEBREW_LETTER.search(norms[i]) for i in hebrew)
    more = extra() if extra is not None else None
    firsts = "".join(sorted({norm[0] for norm in lookup if _WORD_END.match(norm)}))
    _save(path, auto, values, lookup, longest, needs_letter, more, firsts)
    return Titles(lambda: auto, lookup.get, longest, needs_letter, values.__getitem__, more, firsts)


def _with_prefixes(plain: Mapping[str, int]) -> dict[str, int]:
    """The titles, and each of their beginnings that ends where a span may end (before a character
    that is not a letter, digit or '_') as PREFIX: a span that is neither cannot grow into a title."""
    out: dict[str, int] = {}
    for norm in plain:
        for m in _WORD_END.finditer(norm):
            if m.start():
                out.setdefault(norm[: m.start()], PREFIX)
    out.update(plain)
    return out


def _save(
    path: Path,
    auto: Any,
    values: list[tuple[int, tuple[Any, ...]]],
    plain: Mapping[str, int],
    longest: int,
    needs_letter: bool,
    extra: Any,
    firsts: str,
) -> None:
    import numpy as np

    args: tuple[Any, ...] = ([], None, None, None, None, None, None)  # no Hebrew titles: no automaton
    if not isinstance(auto, _NoTitles):
        args = auto.__reduce__()[1]
    if len(args) != 7 or not isinstance(args[0], list) or not all(isinstance(c, bytes) for c in args[0]):
        return  # a pyahocorasick that keeps its nodes otherwise: build in each process
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for ~270k lines
    lines = [
        encode([length, [[t.alias, _entry_ref(t.entry), *_flags(t)] for t in titles]]).encode("utf-8")
        for length, titles in values
    ]
    offsets = np.zeros(len(lines) + 1, dtype=np.int64)
    np.cumsum([len(line) for line in lines], out=offsets[1:])
    by_hash = sorted((_hash(norm), norm, value) for norm, value in plain.items())
    texts = [norm.encode("utf-8") for _, norm, _ in by_hash]
    text_offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=text_offsets[1:])
    meta = {
        "args": list(args[1:6]),
        "chunks": len(args[0]),
        "longest": longest,
        "needs_letter": needs_letter,
        "extra": extra,
        "firsts": firsts,
    }
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
                "plain_hashes": np.array([h for h, _, _ in by_hash], dtype=np.uint64),
                "plain_values": np.array([v for _, _, v in by_hash], dtype=np.int64),
                "plain_text": b"".join(texts),
                "plain_offsets": text_offsets,
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


def _load(path: Path, title: type, build_table: Callable[[], dict[str, list[Any]]]) -> Titles | None:
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
    # A header that misses a field (KeyError) or holds another shape (TypeError, ValueError): build.
    try:
        meta = found.meta
        chunks = int(meta["chunks"])
        args = [int(a) for a in meta["args"]] if chunks else []
        longest, needs_letter, extra = int(meta["longest"]), bool(meta["needs_letter"]), meta["extra"]
        firsts = meta["firsts"]
        if not isinstance(firsts, str):
            raise ValueError("firsts is no string")
        offsets = found.items("title_offsets")
        blob = found.memory("titles")
        hashes = found.items("plain_hashes")
        plain_values = found.items("plain_values")
        plain_text = found.memory("plain_text")
        plain_offsets = found.items("plain_offsets")
        if not len(hashes) == len(plain_values) == len(plain_offsets) - 1:
            raise ValueError("plain tables of different lengths")
    except (KeyError, TypeError, ValueError):
        path.unlink(missing_ok=True)
        return None

    def hebrew() -> Any:
        if not chunks:
            return _NoTitles()
        import ahocorasick

        try:
            return ahocorasick.Automaton([found.blob(f"automaton.{i}") for i in range(chunks)], *args, None)
        # Another pyahocorasick's layout (ValueError, TypeError), a header that lies about sizes
        # (MemoryError) or misses a chunk (KeyError): the file is dropped, this process builds.
        except (KeyError, TypeError, ValueError, MemoryError):
            path.unlink(missing_ok=True)
            auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            table = build_table()
            for i, norm in enumerate(sorted(table)):
                if table[norm][0].hebrew:
                    auto.add_word(norm, i)
            auto.make_automaton()  # there are Hebrew titles: the file had their automaton
            return auto

    def plain(norm: str) -> int | None:
        key = _hash(norm)
        i = bisect_left(hashes, key)
        if i == len(hashes) or hashes[i] != key:
            return None
        data = norm.encode("utf-8")
        while i < len(hashes) and hashes[i] == key:  # two titles of one hash: the text decides
            if plain_text[plain_offsets[i] : plain_offsets[i + 1]] == data:
                return int(plain_values[i])
            i += 1
        return None

    def decode(value: int) -> tuple[int, tuple[Any, ...]]:
        length, rows = json.loads(bytes(blob[offsets[value] : offsets[value + 1]]))
        return int(length), tuple(title(alias, _entry_of(ref), *flags) for alias, ref, *flags in rows)

    if trusted != found.stamp:
        with contextlib.suppress(OSError):
            _stamp_path(path).write_text(json.dumps(found.stamp.__dict__), encoding="utf-8")
    return Titles(hebrew, plain, longest, needs_letter, decode, extra, firsts)
