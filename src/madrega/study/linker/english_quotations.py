"""Unreferenced quotations in English: runs of words that stand in the library's English texts.

A blogger writes "for the heart of the matter is this: in the beginning God created the heaven and
the earth" without a reference; if the library holds an English version of the verse (Sefaria's
export or API), the run is found and linked. English repeats its small words far more than Hebrew
repeats its roots, so a run must be longer (six words), carry several words that are not function
words, and stand in few places.

The index is a sorted array of four-word shingle hashes with the corpus position of each (numpy, no
per-entry Python objects), built when the library changes and kept beside the database as a
memory-mapped file (`madrega.cachefile`); a query looks up all of its shingles at once and grows each
hit along its diagonal word by word.
"""

from __future__ import annotations

import re
import sqlite3
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from madrega import cachefile
from madrega.study.linker import _index_cache

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "EnglishIndex",
    "EnglishQuotation",
    "build_english_index",
    "build_library_index",
    "english_index_for",
    "find_english_quotations",
]

SHINGLE = 4
INDEX_NAME = "english"
INDEX_FORMAT = "1-" + cachefile.code_digest("madrega.study.linker.english_quotations")
MIN_WORDS = 6  # a run shorter than this is a phrase, not a quotation
MIN_CONTENT_WORDS = 3  # words outside STOP_WORDS a run needs
MAX_PLACES = 8  # a run standing in more places than this is a common phrase
MAX_SEED_POSTINGS = 200  # a shingle this common ("and it came to") only grows runs other shingles start
_MULTIPLIER = 1_000_003
_MASK = (1 << 64) - 1  # the hashes wrap as uint64

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_STOP_TEXT = (
    "a an and are as at be but by for from he her him his i in is it its me my not of on or our shall "
    "she so that the thee their them they this thou thy to unto upon us was we were which who will "
    "with ye you your all said say says there then when what have has had do did no nor let o"
)
STOP_WORDS = frozenset(_STOP_TEXT.split(" "))


def _key(word: str) -> str:
    return word.lower().replace("’", "").replace("'", "")


# An index's arrays: numpy arrays when it was just built, typed views on its file when it was opened
# (a link of one page then never imports numpy: ~0.15 s of a cold start).
Ints = Any


@dataclass
class EnglishIndex:
    version: str
    vocab_text: str  # the word keys by id from 1, one per line
    words: Ints  # the corpus as word ids (0 = none), uint32
    segment_starts: Ints  # first word of each segment, int64
    ref_offsets: Ints  # segment i's ref is ref_text[ref_offsets[i]:ref_offsets[i + 1]], int64
    ref_text: bytes
    hashes: Ints = field(default_factory=lambda: memoryview(array("Q")))  # sorted, uint64
    positions: Ints = field(default_factory=lambda: memoryview(array("q")))  # int64
    _vocab: dict[str, int] | None = field(default=None, repr=False)

    @property
    def vocab(self) -> dict[str, int]:
        if self._vocab is None:
            keys = self.vocab_text.split("\n") if self.vocab_text else []
            self._vocab = {key: i for i, key in enumerate(keys, start=1)}
        return self._vocab

    @property
    def total_words(self) -> int:
        return len(self.words)

    def ref(self, segment: int) -> str:
        a, b = int(self.ref_offsets[segment]), int(self.ref_offsets[segment + 1])
        return self.ref_text[a:b].decode("utf-8")

    def segment_of(self, position: int) -> int:
        return bisect_right(self.segment_starts, position) - 1

    def to_arrays(self) -> dict[str, Any]:
        return {
            "vocab_text": self.vocab_text.encode("utf-8"),
            "words": self.words,
            "segment_starts": self.segment_starts,
            "ref_offsets": self.ref_offsets,
            "ref_text": self.ref_text,
            "hashes": self.hashes,
            "positions": self.positions,
        }

    @classmethod
    def from_file(cls, found: cachefile.CacheFile) -> EnglishIndex:
        return cls(
            version=str(found.meta.get("version", "")),
            vocab_text=found.text("vocab_text"),
            words=found.items("words"),
            segment_starts=found.items("segment_starts"),
            ref_offsets=found.items("ref_offsets"),
            ref_text=found.blob("ref_text"),
            hashes=found.items("hashes"),
            positions=found.items("positions"),
        )


@dataclass
class EnglishQuotation:
    start: int
    end: int
    refs: list[str]  # best first
    words: int


def _shingles(ids: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    """One hash per run of SHINGLE word ids (a polynomial over uint64, wrapping)."""
    import numpy as np

    n = len(ids) - SHINGLE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    wide = ids.astype(np.uint64)
    out = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            out = out * np.uint64(_MULTIPLIER) + wide[k : k + n]
    return out


def _query_shingles(ids: Sequence[int]) -> list[int]:
    """`_shingles` of a query's few hundred words, in Python (the same uint64 arithmetic)."""
    out = []
    for i in range(len(ids) - SHINGLE + 1):
        h = 0
        for k in range(SHINGLE):
            h = (h * _MULTIPLIER + ids[i + k]) & _MASK
        out.append(h)
    return out


def build_english_index(segments: Iterable[tuple[str, str]], *, version: str = "") -> EnglishIndex:
    """The index of (ref, plain English text) segments, in the order given (earlier wins ties)."""
    import numpy as np

    vocab: dict[str, int] = {}
    ids = array("I")
    starts = array("q")
    refs: list[bytes] = []
    keys_of: dict[str, int] = {}
    findall = _WORD.findall
    for ref, text in segments:
        starts.append(len(ids))
        refs.append(ref.encode("utf-8"))
        for word in findall(text):
            found = keys_of.get(word)
            if found is None:
                found = keys_of[word] = vocab.setdefault(_key(word), len(vocab) + 1)
            ids.append(found)
    words = np.array(ids, dtype=np.uint32)
    offsets = np.zeros(len(refs) + 1, dtype=np.int64)
    if refs:
        np.cumsum([len(r) for r in refs], out=offsets[1:])
    index = EnglishIndex(
        version,
        "\n".join(vocab),
        words,
        np.array(starts, dtype=np.int64),
        offsets,
        b"".join(refs),
    )
    index._vocab = vocab
    hashes = _shingles(words)
    order = np.argsort(hashes, kind="stable")
    index.hashes = hashes[order]
    index.positions = order.astype(np.int64)
    return index


def english_segments(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """English segments of the library, Tanakh first, one version per ref."""
    cur = conn.execute(
        "SELECT s.ref, s.plain FROM segments s JOIN versions v ON v.id = s.version_id "
        "JOIN works w ON w.id = v.work_id WHERE v.lang = 'en' "
        "ORDER BY CASE w.category WHEN 'Tanakh' THEN 0 WHEN 'Mishnah' THEN 1 WHEN 'Talmud' THEN 2 ELSE 3 END, "
        "w.id, v.id, s.ord"
    )
    cur.row_factory = None
    seen: set[str] = set()
    for ref, plain in cur:
        if ref not in seen:
            seen.add(ref)
            yield ref, plain or ""


def _library_version(conn: sqlite3.Connection) -> str:
    row = conn.execute(
        "SELECT count(*), coalesce(max(s.id), 0), coalesce(sum(length(s.plain)), 0) FROM segments s "
        "JOIN versions v ON v.id = s.version_id WHERE v.lang = 'en'"
    ).fetchone()
    return f"{row[0]}:{row[1]}:{row[2]}"


def build_library_index(
    conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None
) -> EnglishIndex:
    """Build this library's English index and keep it beside the database."""
    from madrega.study import library

    generation = library.generation(conn)
    if progress is not None:
        progress(0, 1)
    index = build_english_index(english_segments(conn), version=_library_version(conn))
    stored = cachefile.store(
        conn,
        INDEX_NAME,
        kind=INDEX_NAME,
        fmt=INDEX_FORMAT,
        meta={"version": index.version},
        arrays=index.to_arrays(),
        generation=generation,
    )
    if stored is not None:
        index = EnglishIndex.from_file(stored)
    _remember(conn, generation, index)
    if progress is not None:
        progress(1, 1)
    return index


_CACHE: dict[str, tuple[int, EnglishIndex]] = {}  # db path → (library generation, index)
_IN_MEMORY: dict[str, EnglishIndex] = {}  # library version → index, for libraries without a file


_KEEP = 8  # libraries a cache holds before it is cleared


def _remember(conn: sqlite3.Connection, generation: int, index: EnglishIndex) -> None:
    _index_cache.remember(_CACHE, conn, generation, index, _KEEP)


def english_index_for(conn: sqlite3.Connection) -> EnglishIndex:
    """This library's English index: already open, else its file beside the database, else built."""
    return _index_cache.index_for(
        conn,
        name=INDEX_NAME,
        fmt=INDEX_FORMAT,
        from_file=EnglishIndex.from_file,
        build=lambda c, version: build_english_index(english_segments(c), version=version),
        version=_library_version,
        build_library=build_library_index,
        opened=_CACHE,
        in_memory=_IN_MEMORY,
        keep=_KEEP,
    )


def find_english_quotations(text: str, index: EnglishIndex) -> list[EnglishQuotation]:
    """Runs of `text`'s words that stand in the index, in text order, each with every place it stands."""
    if index.total_words < SHINGLE or not len(index.hashes):
        return []
    tokens = list(_WORD.finditer(text))
    if len(tokens) < MIN_WORDS:
        return []
    vocab = index.vocab
    query = [vocab.get(_key(t.group()), 0) for t in tokens]
    hashes, corpus, positions = index.hashes, index.words, index.positions
    runs: dict[tuple[int, int], list[int]] = {}  # (query start, length) → corpus starts
    covered: set[tuple[int, int]] = set()  # (query position, diagonal) already inside a run
    for i, h in enumerate(_query_shingles(query)):
        if 0 in query[i : i + SHINGLE]:
            continue
        lo = bisect_left(hashes, h)
        hi = bisect_right(hashes, h, lo)
        if not 0 < hi - lo <= MAX_SEED_POSTINGS:
            continue
        for j in positions[lo:hi].tolist():
            if (i, j - i) in covered:
                continue
            if corpus[j : j + SHINGLE].tolist() != query[i : i + SHINGLE]:
                continue  # a hash collision
            start_q, start_c = i, j
            while (
                start_q > 0
                and start_c > 0
                and query[start_q - 1]
                and corpus[start_c - 1] == query[start_q - 1]
            ):
                start_q, start_c = start_q - 1, start_c - 1
            end_q, end_c = i + SHINGLE, j + SHINGLE
            while (
                end_q < len(query) and end_c < len(corpus) and query[end_q] and corpus[end_c] == query[end_q]
            ):
                end_q, end_c = end_q + 1, end_c + 1
            for q in range(start_q, end_q):
                covered.add((q, start_c - start_q))
            runs.setdefault((start_q, end_q - start_q), []).append(start_c)
    found: list[EnglishQuotation] = []
    taken_until = -1
    for (start_q, length), places in sorted(runs.items(), key=lambda item: (item[0][0], -item[0][1])):
        if start_q < taken_until or length < MIN_WORDS or len(places) > MAX_PLACES:
            continue
        content = sum(1 for t in tokens[start_q : start_q + length] if _key(t.group()) not in STOP_WORDS)
        if content < MIN_CONTENT_WORDS:
            continue
        refs = list(dict.fromkeys(_ref_of(index, int(c), length) for c in sorted(places)))
        found.append(
            EnglishQuotation(tokens[start_q].start(), tokens[start_q + length - 1].end(), refs, length)
        )
        taken_until = start_q + length
    return found


def _ref_of(index: EnglishIndex, start: int, length: int) -> str:
    """The segment a run stands in, or the range of segments it crosses."""
    first = index.ref(index.segment_of(start))
    last = index.ref(index.segment_of(start + length - 1))
    if first == last:
        return first
    from madrega import refs

    try:
        a, b = refs.parse(first), refs.parse(last)
    except refs.RefError:
        return first
    if a.index != b.index:
        return first
    return str(refs.Ref(a.index, a.sections, b.end))
