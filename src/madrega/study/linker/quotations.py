"""Unreferenced quotations: runs of Hebrew words that stand in the library's Hebrew sources.

The index holds the library's Hebrew words as ids one after the other (0 between segments) and, for
every bigram of ids, the corpus positions where it stands (sorted arrays, no per-entry Python object).
It is built when the library is imported and kept beside the database as a memory-mapped file
(`madrega.cachefile`), so a process opens it in milliseconds and processes share one copy.

Finding reads the text in blocks cut where a run of quoted words breaks anyway (a new line), so
memory stays bounded whatever the size of the input, and does a block's work on whole arrays:

1. seeds: the input's bigrams that stand in the library in at most MAX_SEED_POSTINGS places; a bigram
   in more than COMMON_BIGRAM places only where the library's text goes on with a third input word
   (such a bigram never makes a quotation of two words);
2. every seed grows along its diagonal (input word i against corpus word p), all seeds one step at a
   time, while the words are the same: the maximal runs of two exact words or more; then one loosely
   matching word joins at each end;
3. a vectorized test drops the runs that cannot be quotations (too little information, too many
   places); the few left are joined across וגו'/וכו' elisions inside the segment and judged word by
   word, and the best run of each cluster of overlapping ones is chosen, its other places kept.

The result is the same as growing each seed by itself, word by word (the finder before this one):
`tests/test_linker_quotes_equivalence.py` holds that reference and checks it.
"""

from __future__ import annotations

import hashlib
import math
import re
import sqlite3
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from madrega import cachefile
from madrega.study.linker import _index_cache
from madrega.study.linker.hebrew_words import (
    ELISION,
    WORD,
    WORD_RE,
    WordBlock,
    bare,
    editorial_free,
    key_of,
    word_blocks,
)

__all__ = [
    "Quotation",
    "QuoteIndex",
    "build_index",
    "build_library_index",
    "find_quotations",
    "index_for",
    "iter_quotations",
    "segments_from_library",
]

#: Where a quotation is most likely to come from when the same words stand in several places.
CATEGORY_ORDER = ("tanakh", "mishnah", "talmud", "zohar")
_CITED_BY_PAGE = (2, 3)  # Talmud and Zohar are cited by page (Berakhot 5a, Zohar 1:11b), not paragraph

_DAF_END = re.compile(r"\d[ab]$")
# The layout's number, and the code that derives words and keys from the text (a change there is a
# new format: the index is rebuilt rather than read with keys it was not built with).
INDEX_FORMAT = "4-" + cachefile.code_digest(
    "madrega.text.hebrew", "madrega.study.linker.hebrew_words", "madrega.study.linker.quotations"
)
INDEX_NAME = "quotes"

MAX_SEED_POSTINGS = 400
COMMON_BIGRAM = 40  # a bigram in more places than this starts only runs of three words or more
ELISION_WINDOW = 40  # words a וגו' may skip inside one segment
MIN_GAP_INFO = 8.0  # information the first word joined past a gap of one word needs (not ה', not את)
MIN_INFO_2 = 16.0  # information a two-word run needs (sum of ln(N/df) of its words)
MIN_INFO = 18.0  # information a longer run needs
MAX_PLACES_2 = 4  # a two-word run standing in more places than this is a common phrase
MAX_PLACES = 25
# Words not set off by quotation marks or an introducing formula must say more to count.
MIN_WORDS_UNMARKED = 3
MIN_INFO_UNMARKED = 27.0

_QUOTE_MARKS = frozenset('"״“”„«»')
# Formulas that introduce a quotation (שנאמר, כמו שכתוב, כמ"ש, דכתיב …), as surfaces.
_INTRODUCERS = (
    'שנאמר נאמר ונאמר שנא\' כמ"ש כמש"נ כדכתיב דכתיב כתיב וכתיב שכתוב שכתב ככתוב כנאמר כאמור כמאמר מאמר '
    'כדאמר דאמר ואומר שאמרו אמרו כמארז"ל כדתנן תנן כדאיתא שאמר דכתב כדכתב כמאמרם פסוק הפסוק'
)

# Function words that never make a quotation by themselves (keys, plene form).
_STOP_SURFACES = (
    "את של על אל כי אשר לא כל הוא היא הם זה זו זאת גם או אם עם מן מי מה אין יש לו לה לי לך בו בה "
    "כן אף הנה הרי אלא אבל רק עד כמו כך ולא וכל ואת ועל ואם והוא שהוא אותו אותה ביד על ידי"
)
_VAV = ord("ו")
# Letters that stand before a word (ו, the article, a preposition, ש): a quotation adds or drops one.
_PREFIX_LETTERS = "והבכלמש"
_PREFIX_TABLE = np.zeros(0x800, dtype=bool)  # by first letter's code point (Hebrew is below 0x800)
_PREFIX_TABLE[[ord(c) for c in _PREFIX_LETTERS]] = True


def _category_rank(category: str, title: str = "") -> int:
    """0 Tanakh, 1 Mishnah, 2 Talmud, 3 Zohar, 4 anything else."""
    name = f"{category} {title}".lower()
    if "zohar" in name:
        return 3
    if "talmud" in name or "bavli" in name or "yerushalmi" in name:
        return 2
    for rank, word in enumerate(CATEGORY_ORDER):
        if word in name:
            return rank
    return len(CATEGORY_ORDER)


# ---------------------------------------------------------------------------- the index

_SHAPE = 6  # first letter, length, crc(key), crc(key[:-1]), crc(key[:-2]), crc(key[1:])


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _shape(key: str) -> tuple[int, int, int, int, int, int]:
    """What `_loosely_equal` compares, as numbers (equal strings give equal CRCs; a match of CRCs is
    confirmed on the strings)."""
    if not key:
        return (0, 0, 0, 0, 0, 0)
    return (ord(key[0]), len(key), _crc(key), _crc(key[:-1]), _crc(key[:-2]), _crc(key[1:]))


@dataclass
class QuoteIndex:
    """The library's Hebrew words as ids and the bigram → positions table over them (numpy arrays,
    in memory or views on the index file)."""

    words: npt.NDArray[np.uint32]  # corpus word ids, 0 after each segment
    seg_starts: npt.NDArray[np.int64]  # first position of each segment
    seg_ranks: npt.NDArray[np.uint8]  # category rank of each segment
    ref_offsets: npt.NDArray[np.int64]  # segment i's ref is ref_text[ref_offsets[i]:ref_offsets[i + 1]]
    ref_text: bytes
    vocab_text: str  # the keys, by id from 1, one per line
    df: npt.NDArray[np.uint32]  # occurrences of each word id
    idf_exact: npt.NDArray[np.float64]  # ln(N / df) of each id, as math.log gives it
    # each id's key as the loose test reads it: first letter, length, CRC-32 of the key, of the key
    # without its last letter, without its last two, and without its first (a shape, see `_features`)
    key_shape: npt.NDArray[np.uint32]
    bigram_keys: npt.NDArray[np.uint64]  # sorted, (first id << id_bits) | second id
    bigram_starts: npt.NDArray[np.int64]  # len(bigram_keys) + 1 offsets into postings
    postings: npt.NDArray[np.uint32]  # corpus positions of a bigram's first word, ascending
    id_bits: int
    version: str = ""
    _vocab: dict[str, int] | None = field(default=None, repr=False)
    _keys: list[str] | None = field(default=None, repr=False)
    _idf_exact: dict[int, float] = field(default_factory=dict, repr=False)
    _stops: npt.NDArray[np.bool_] | None = field(default=None, repr=False)
    _surface_rows: dict[str | None, int] = field(default_factory=dict, repr=False)
    _feature_table: npt.NDArray[np.int64] | None = field(default=None, repr=False)
    _feature_count: int = field(default=1, repr=False)
    _refs: dict[int, str] = field(default_factory=dict, repr=False)
    _cited: dict[int, str] = field(default_factory=dict, repr=False)

    @property
    def vocab(self) -> dict[str, int]:
        if self._vocab is None:
            self._vocab = {key: i for i, key in enumerate(self.keys) if i}
        return self._vocab

    @property
    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = ["", *self.vocab_text.split("\n")] if self.vocab_text else [""]
        return self._keys

    def key_of_id(self, word_id: int) -> str:
        return self.keys[word_id]

    @property
    def total_words(self) -> int:
        return len(self.words) - len(self.seg_starts)

    def idf(self, word_id: int) -> float:
        """ln(N / df) of one word id, as a Python float."""
        cached = self._idf_exact.get(word_id)
        if cached is None:
            cached = self._idf_exact[word_id] = float(self.idf_exact[word_id])
        return cached

    @property
    def stops(self) -> npt.NDArray[np.bool_]:
        if self._stops is None:
            stops = np.zeros(len(self.df), dtype=bool)
            for word in _STOP_SURFACES.split():
                i = self.vocab.get(key_of(word), 0)
                if i:
                    stops[i] = True
            self._stops = stops
        return self._stops

    def segment_of(self, pos: int) -> int:
        return int(np.searchsorted(self.seg_starts, pos, side="right")) - 1

    def ref(self, seg: int) -> str:
        found = self._refs.get(seg)
        if found is None:
            a, b = int(self.ref_offsets[seg]), int(self.ref_offsets[seg + 1])
            found = self._refs[seg] = self.ref_text[a:b].decode("utf-8")
        return found

    def cited_ref(self, seg: int) -> str:
        """The ref a reader cites for a segment: the verse or mishnah, the page of Talmud or Zohar."""
        found = self._cited.get(seg)
        if found is None:
            if len(self._cited) > 200_000:
                self._cited.clear()
            found = self._cited[seg] = self._cited_ref(seg)
        return found

    def _cited_ref(self, seg: int) -> str:
        ref = self.ref(seg)
        if self.seg_ranks[seg] in _CITED_BY_PAGE and ":" in ref:
            head, _last = ref.rsplit(":", 1)
            if ":" in head or _DAF_END.search(head):
                return head
        return ref

    def features(self, surfaces: list[str | None]) -> npt.NDArray[np.int64]:
        """Per surface: word id (0: a break, an elision or a word the library does not have), whether
        it introduces a quotation (שנאמר …), and its key's shape — an (n, 2 + _SHAPE) array. Each
        distinct surface is worked out once and kept as a row of a table; a block is one gather."""
        rows = self._surface_rows
        if len(rows) > 200_000:
            rows.clear()
            self._feature_count = 1
        if self._feature_table is None:
            self._feature_table = np.zeros((4096, 2 + _SHAPE), dtype=np.int64)
            self._feature_count = 1  # row 0: no word
        rows[None] = 0  # a break or an elision: the row of no word
        try:
            at = list(map(rows.__getitem__, surfaces))
        except KeyError:
            new: list[tuple[int, ...]] = []
            introducers = _introducer_keys()
            for surface in surfaces:
                if surface is not None and surface not in rows:
                    key = key_of(bare(surface))
                    rows[surface] = self._feature_count + len(new)
                    new.append((self.vocab.get(key, 0), int(key in introducers), *_shape(key)))
            table, count = self._feature_table, self._feature_count
            if count + len(new) > len(table):  # grow by doubling: each row is written once
                grown = np.zeros((max(2 * len(table), count + len(new)), 2 + _SHAPE), dtype=np.int64)
                grown[:count] = table[:count]
                self._feature_table = table = grown
            table[count : count + len(new)] = np.array(new, dtype=np.int64).reshape(len(new), 2 + _SHAPE)
            self._feature_count = count + len(new)
            at = list(map(rows.__getitem__, surfaces))
        return self._feature_table[np.array(at, dtype=np.int64)]

    def to_arrays(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "seg_starts": self.seg_starts,
            "seg_ranks": self.seg_ranks,
            "ref_offsets": self.ref_offsets,
            "ref_text": self.ref_text,
            "vocab_text": self.vocab_text.encode("utf-8"),
            "df": self.df,
            "idf": self.idf_exact,
            "key_shape": self.key_shape,
            "bigram_keys": self.bigram_keys,
            "bigram_starts": self.bigram_starts,
            "postings": self.postings,
        }

    @classmethod
    def from_file(cls, found: cachefile.CacheFile) -> QuoteIndex:
        return cls(
            words=found.array("words"),
            seg_starts=found.array("seg_starts"),
            seg_ranks=found.array("seg_ranks"),
            ref_offsets=found.array("ref_offsets"),
            ref_text=found.blob("ref_text"),
            vocab_text=found.text("vocab_text"),
            df=found.array("df"),
            idf_exact=found.array("idf"),
            key_shape=found.array("key_shape"),
            bigram_keys=found.array("bigram_keys"),
            bigram_starts=found.array("bigram_starts"),
            postings=found.array("postings"),
            id_bits=int(found.meta["id_bits"]),
            version=str(found.meta.get("version", "")),
        )


def build_index(segments: Iterable[tuple[str, str, str]], *, version: str = "") -> QuoteIndex:
    """Index (ref, category, text) segments, given in reading order within each category."""
    vocab: dict[str, int] = {}
    surface_ids: dict[str, int] = {}
    bare_ids: dict[str, int] = {}
    corpus = array("I")
    seg_starts = array("q")
    seg_ranks = array("B")
    ref_parts: list[bytes] = []
    ranks: dict[str, int] = {}
    findall = WORD_RE.findall

    for ref, category, text in segments:
        seg_starts.append(len(corpus))
        ref_parts.append(ref.encode("utf-8"))
        rank = ranks.get(category)
        if rank is None:
            rank = ranks[category] = _category_rank(category)
        seg_ranks.append(rank)
        surfaces = findall(editorial_free(text))
        try:
            ids = list(map(surface_ids.__getitem__, surfaces))
        except KeyError:
            for s in surfaces:
                if s not in surface_ids:
                    plain = bare(s)
                    found = bare_ids.get(plain)
                    if found is None:
                        k = key_of(plain)
                        found = bare_ids[plain] = vocab.setdefault(k, len(vocab) + 1) if k else 0
                    surface_ids[s] = found
            ids = list(map(surface_ids.__getitem__, surfaces))
        if 0 in ids:
            ids = [i for i in ids if i]
        corpus.extend(ids)
        corpus.append(0)

    words = np.frombuffer(corpus, dtype=np.uint32).copy() if len(corpus) else np.zeros(0, dtype=np.uint32)
    size = len(vocab) + 1
    df = np.bincount(words, minlength=size).astype(np.uint32)
    df[0] = np.count_nonzero(words == 0)
    total = max(len(words) - len(seg_starts), 1)
    idf = np.array([math.log(total / (c if c > 1 else 1)) for c in df.tolist()], dtype=np.float64)
    keys = [""] * size
    for key, i in vocab.items():
        keys[i] = key
    key_shape = np.array([_shape(k) for k in keys], dtype=np.uint32).reshape(len(keys), _SHAPE)

    id_bits = max(size, 2).bit_length()
    bigram_keys, bigram_starts, postings = _bigrams(words, id_bits)
    offsets = np.zeros(len(ref_parts) + 1, dtype=np.int64)
    if ref_parts:
        np.cumsum([len(p) for p in ref_parts], out=offsets[1:])
    return QuoteIndex(
        words=words,
        seg_starts=np.frombuffer(seg_starts, dtype=np.int64).copy()
        if len(seg_starts)
        else np.zeros(0, dtype=np.int64),
        seg_ranks=np.frombuffer(seg_ranks, dtype=np.uint8).copy()
        if len(seg_ranks)
        else np.zeros(0, dtype=np.uint8),
        ref_offsets=offsets,
        ref_text=b"".join(ref_parts),
        vocab_text="\n".join(keys[1:]),
        df=df,
        idf_exact=idf,
        key_shape=key_shape,
        bigram_keys=bigram_keys,
        bigram_starts=bigram_starts,
        postings=postings,
        id_bits=id_bits,
        version=version,
    )


def _bigrams(
    words: npt.NDArray[np.uint32], id_bits: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
    """Every bigram of non-zero ids, sorted, with the positions where it stands (ascending)."""
    if len(words) < 2:
        return np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.uint32)
    a = words[:-1].astype(np.uint64)
    b = words[1:].astype(np.uint64)
    at = np.flatnonzero((a != 0) & (b != 0))
    pos_bits = max(len(words), 2).bit_length()
    shift = np.uint64(id_bits + pos_bits)
    if 2 * id_bits + pos_bits <= 64:  # one sort of packed (bigram, position) numbers
        packed = (a[at] << shift) | (b[at] << np.uint64(pos_bits)) | at.astype(np.uint64)
        packed.sort()
        keys = packed >> np.uint64(pos_bits)
        postings = (packed & np.uint64((1 << pos_bits) - 1)).astype(np.uint32)
    else:  # pragma: no cover - a vocabulary of more than a million words
        keys = (a[at] << np.uint64(id_bits)) | b[at]
        order = np.argsort(keys, kind="stable")
        keys, postings = keys[order], at[order].astype(np.uint32)
    if not len(keys):
        return np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64), postings
    new = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    starts = np.append(new, len(keys)).astype(np.int64)
    return keys[new].copy(), starts, postings


# --- the library as a source ---------------------------------------------------------------------


def segments_from_library(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str]]:
    """Hebrew segments of the library, Tanakh first, then Mishnah, Talmud, Zohar, then the rest."""
    works = conn.execute(
        "SELECT DISTINCT w.id, w.category, w.title FROM works w JOIN versions v ON v.work_id = w.id "
        "WHERE v.lang = 'he'"
    ).fetchall()
    ordered = sorted(works, key=lambda row: (_category_rank(row[1], row[2]), row[0]))
    for work_id, category, title in ordered:
        cur = conn.execute(
            "SELECT s.ref, s.plain FROM segments s JOIN versions v ON v.id = s.version_id "
            "WHERE v.work_id = ? AND v.lang = 'he' ORDER BY v.id, s.ord",
            (work_id,),
        )
        cur.row_factory = None
        seen: set[str] = set()
        label = f"{category} {title}"
        for ref, plain in cur:
            if ref not in seen:  # one Hebrew version per ref is enough to find a quotation
                seen.add(ref)
                yield ref, label, plain


def library_version(conn: sqlite3.Connection) -> str:
    """Changes whenever Hebrew segments are added, removed or replaced."""
    row = conn.execute(
        "SELECT count(*), coalesce(max(s.id), 0), coalesce(sum(length(s.plain)), 0) FROM segments s "
        "JOIN versions v ON v.id = s.version_id WHERE v.lang = 'he'"
    ).fetchone()
    return hashlib.sha1(f"{INDEX_FORMAT}:{tuple(row)}".encode()).hexdigest()[:16]


Progress = Callable[[int, int], None]  # (segments done, segments in all)


def build_library_index(conn: sqlite3.Connection, progress: Progress | None = None) -> QuoteIndex:
    """Build this library's index and keep it beside the database (what `library init` does)."""
    from madrega.study import library

    generation = library.generation(conn)
    total = conn.execute(
        "SELECT count(*) FROM segments s JOIN versions v ON v.id = s.version_id WHERE v.lang = 'he'"
    ).fetchone()[0]

    def counted() -> Iterator[tuple[str, str, str]]:
        for n, seg in enumerate(segments_from_library(conn), start=1):
            if progress is not None and n % 20_000 == 0:
                progress(n, total)
            yield seg

    index = build_index(counted(), version=library_version(conn))
    if progress is not None:
        progress(total, total)
    stored = cachefile.store(
        conn,
        INDEX_NAME,
        kind=INDEX_NAME,
        fmt=INDEX_FORMAT,
        meta={"id_bits": index.id_bits, "version": index.version},
        arrays=index.to_arrays(),
        generation=generation,
    )
    index = QuoteIndex.from_file(stored) if stored is not None else index
    _remember(conn, generation, index)
    path = cachefile.db_file(conn)
    if path:  # the pickled index of earlier versions (never read again: a pickle can run code)
        Path(path + ".quotes.pickle").unlink(missing_ok=True)
    return index


_MEMORY: dict[str, tuple[int, QuoteIndex]] = {}  # db path → (library generation, index)
_IN_MEMORY: dict[str, QuoteIndex] = {}  # library_version → index, for libraries without a file


_KEEP = 4  # libraries a cache holds before it is cleared


def _remember(conn: sqlite3.Connection, generation: int, index: QuoteIndex) -> None:
    _index_cache.remember(_MEMORY, conn, generation, index, _KEEP)


def index_for(conn: sqlite3.Connection) -> QuoteIndex:
    """The quotation index of this library: already open, else its file, else built (and kept)."""
    return _index_cache.index_for(
        conn,
        name=INDEX_NAME,
        fmt=INDEX_FORMAT,
        from_file=QuoteIndex.from_file,
        build=lambda c, version: build_index(segments_from_library(c), version=version),
        version=library_version,
        build_library=build_library_index,
        opened=_MEMORY,
        in_memory=_IN_MEMORY,
        keep=_KEEP,
    )


# --- finding -------------------------------------------------------------------------------------


@dataclass
class Quotation:
    start: int
    end: int
    refs: list[str]  # best first
    score: float
    words: int


@dataclass
class _Candidate:
    first: int  # input word index of the first matched word
    last: int  # input word index after the last matched word
    seg: int
    pos: int  # corpus position of the core run
    matched: int
    info: float
    core: tuple[int, int]  # the contiguous run (first, last) the candidate grew from
    core_info: float
    places: int = 1
    marked: bool = False


def find_quotations(text: str, index: QuoteIndex) -> list[Quotation]:
    """Quotations in `text`, in text order; each lists every place its words stand, best first."""
    return list(iter_quotations(text, index))


def iter_quotations(text: str, index: QuoteIndex, *, block_chars: int | None = None) -> Iterator[Quotation]:
    """`find_quotations`, a block of text at a time (memory does not grow with the text)."""
    if index.total_words == 0 or len(index.bigram_keys) == 0:
        return
    blocks = word_blocks(text) if block_chars is None else word_blocks(text, block_chars)
    for block in blocks:
        yield from _find_in_block(text, block, index)


@dataclass
class _Block:
    """One block's tokens as arrays (positions are block-local)."""

    text: str
    starts: list[int]
    ends: list[int]
    kinds: npt.NDArray[np.int8]
    seq: npt.NDArray[np.int64]  # word ids, 0 for breaks, elisions and unknown words
    intro: npt.NDArray[np.bool_]  # the word introduces a quotation (שנאמר, כמו שכתוב …)
    shape: npt.NDArray[np.int64]  # (n, _SHAPE): each token's key as the loose test reads it
    _keys: dict[int, str] = field(default_factory=dict)

    def key(self, i: int) -> str:
        """The matching key of token i ('' for a break or an elision)."""
        found = self._keys.get(i)
        if found is None:
            found = key_of(self.text[self.starts[i] : self.ends[i]]) if self.kinds[i] == WORD else ""
            self._keys[i] = found
        return found


def _find_in_block(text: str, block: WordBlock, index: QuoteIndex) -> list[Quotation]:
    if len(block.starts) < 2:
        return []
    feats = index.features(block.surfaces)
    kinds = np.array(block.kinds, dtype=np.int8)
    blk = _Block(text, block.starts, block.ends, kinds, feats[:, 0].copy(), feats[:, 1] != 0, feats[:, 2:])
    runs = _runs(blk, index)
    if runs is None:
        return []
    return _judge(blk, index, *runs)


_Runs = tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.bool_],
    npt.NDArray[np.bool_],
]


def _runs(blk: _Block, index: QuoteIndex) -> _Runs | None:
    """Every maximal run of exact words seeded by a bigram the library has in few places, as arrays
    (input start, input end, corpus position of the start, whether a loose word joined at the start,
    at the end), one loosely matching word joined at each end."""
    q = blk.seq
    n = len(q)
    corpus = index.words
    a, b = q[:-1], q[1:]
    js = np.flatnonzero((a != 0) & (b != 0))
    if not len(js):
        return None
    keys = (a[js].astype(np.uint64) << np.uint64(index.id_bits)) | b[js].astype(np.uint64)
    ordered = np.argsort(keys)  # looked up in order: each search starts where the one before ended
    js, keys = js[ordered], keys[ordered]
    at = np.searchsorted(index.bigram_keys, keys)
    inside = at < len(index.bigram_keys)
    js, keys, at = js[inside], keys[inside], at[inside]
    hit = index.bigram_keys[at] == keys
    js, at = js[hit], at[hit]
    lo = index.bigram_starts[at]
    count = index.bigram_starts[at + 1] - lo
    seeded = count <= MAX_SEED_POSTINGS
    js, lo, count = js[seeded], lo[seeded], count[seeded]
    if not len(js):
        return None
    # every (input position, corpus position) pair of every seed
    total = int(count.sum())
    first_of = np.repeat(np.cumsum(count) - count, count)
    j = np.repeat(js, count)
    p = index.postings[np.repeat(lo, count) + (np.arange(total, dtype=np.int64) - first_of)].astype(np.int64)
    common = np.repeat(count > COMMON_BIGRAM, count)
    if common.any():  # a common bigram seeds only where a third word matches too
        c = np.flatnonzero(common)
        jc, pc = j[c], p[c]
        fwd = jc + 2 < n
        go_on = np.zeros(len(c), dtype=bool)
        f = np.flatnonzero(fwd)
        nxt = q[jc[f] + 2]
        go_on[f] = (nxt != 0) & (corpus[pc[f] + 2] == nxt)
        back = np.flatnonzero(~go_on & (jc > 0) & (pc > 0))
        prv = q[jc[back] - 1]
        go_on[back] = (prv != 0) & (corpus[pc[back] - 1] == prv)
        keep = np.ones(len(j), dtype=bool)
        keep[c[~go_on]] = False
        j, p = j[keep], p[keep]
        if not len(j):
            return None
    # seeds on one diagonal at consecutive input positions are one run: keep the first of each
    # one sort of (diagonal, input position) packed in one number (diagonals may be negative)
    packed = (p - j + n) * (n + 1) + j
    packed.sort()
    diagonal = packed // (n + 1) - n
    j = packed % (n + 1)
    starts_run = np.ones(len(j), dtype=bool)
    starts_run[1:] = (diagonal[1:] != diagonal[:-1]) | (j[1:] != j[:-1] + 1)
    last_of_run = np.append(starts_run[1:], True)
    s = j[starts_run]
    d = diagonal[starts_run]
    e = j[last_of_run] + 2
    # grow both ways while the words are the same (all runs one word per step)
    active = np.arange(len(s))
    while len(active):
        sa = s[active]
        ok = (sa > 0) & (sa + d[active] > 0)
        active, sa = active[ok], sa[ok]
        prev = q[sa - 1]
        ok = (prev != 0) & (corpus[sa - 1 + d[active]] == prev)
        active = active[ok]
        s[active] -= 1
    active = np.arange(len(s))
    while len(active):
        ea = e[active]
        ok = ea < n
        active, ea = active[ok], ea[ok]
        nxt = q[ea]
        ok = (nxt != 0) & (corpus[ea + d[active]] == nxt)
        active = active[ok]
        e[active] += 1
    # groups that grew into one another are one run
    order = np.argsort((d + n) * (n + 1) + s)
    s, e, d = s[order], e[order], d[order]
    distinct = np.ones(len(s), dtype=bool)
    distinct[1:] = (d[1:] != d[:-1]) | (s[1:] != s[:-1])
    s, e, d = s[distinct], e[distinct], d[distinct]
    pos = s + d
    # one loosely matching word at each end
    left = np.flatnonzero((s > 0) & (pos > 0))
    left = left[corpus[pos[left] - 1] != 0]
    left = left[~blk.intro[s[left] - 1]]  # שנאמר is not the source's נאמר: no loose join
    left = left[_loose(blk, index, s[left] - 1, corpus[pos[left] - 1])]
    end_pos = pos + (e - s)
    right = np.flatnonzero(e < n)
    right = right[corpus[end_pos[right]] != 0]
    right = right[~blk.intro[e[right]]]
    right = right[_loose(blk, index, e[right], corpus[end_pos[right]])]
    s[left] -= 1
    pos[left] -= 1
    e[right] += 1
    loose_left = np.zeros(len(s), dtype=bool)
    loose_left[left] = True
    loose_right = np.zeros(len(s), dtype=bool)
    loose_right[right] = True
    return s, e, pos, loose_left, loose_right


def _loose(
    blk: _Block, index: QuoteIndex, at: npt.NDArray[np.int64], ids: npt.NDArray[Any]
) -> npt.NDArray[np.bool_]:
    """`_loosely_equal(key of input token at[i], key of corpus id ids[i])` for each i, on the keys'
    shapes; the few matches are confirmed on the strings."""
    out = np.zeros(len(at), dtype=bool)
    if not len(at):
        return out
    # first letter and length first (most pairs differ there), the CRCs only for the few left
    shape, theirs_all = blk.shape, index.key_shape
    fa, la = shape[at, 0], shape[at, 1]
    fb, lb = theirs_all[ids, 0].astype(np.int64), theirs_all[ids, 1].astype(np.int64)
    pa, pb = _PREFIX_TABLE[np.minimum(fa, 0x7FF)], _PREFIX_TABLE[np.minimum(fb, 0x7FF)]
    maybe = np.flatnonzero(
        (la > 0)
        & (lb > 0)
        & (((fa == fb) & (np.abs(la - lb) <= 2)) | (pa & (la == lb + 1)) | (pb & (lb == la + 1)))
    )
    if not len(maybe):
        return out
    at, ids = at[maybe], ids[maybe]
    fa, la, fb, lb, pa, pb = fa[maybe], la[maybe], fb[maybe], lb[maybe], pa[maybe], pb[maybe]
    mine = shape[at]
    theirs = theirs_all[ids].astype(np.int64)
    full_a, m1_a, m2_a, tail_a = (mine[:, k] for k in range(2, _SHAPE))
    full_b, m1_b, m2_b, tail_b = (theirs[:, k] for k in range(2, _SHAPE))
    # a prefix letter more on one side (ו before any word, another before a word of three letters or more)
    vav = (pa & (la == lb + 1) & (tail_a == full_b) & ((fa == _VAV) | (lb >= 3))) | (
        pb & (lb == la + 1) & (tail_b == full_a) & ((fb == _VAV) | (la >= 3))
    )
    a_short = (
        (la <= lb)
        & (la >= 3)
        & (
            ((lb == la) & (full_b == full_a))
            | ((lb == la + 1) & (m1_b == full_a))
            | ((lb == la + 2) & (m2_b == full_a))
        )
    )
    b_short = (
        (la > lb) & (lb >= 3) & (((la == lb + 1) & (m1_a == full_b)) | ((la == lb + 2) & (m2_a == full_b)))
    )
    hit = vav | a_short | b_short
    key, key_of_id = blk.key, index.key_of_id
    for i in np.flatnonzero(hit).tolist():
        out[maybe[i]] = _loosely_equal(key(int(at[i])), key_of_id(int(ids[i])))
    return out


def _loosely_equal(a: str, b: str) -> bool:
    """The same word but for a conjunction ו, another prefix letter before a word of three letters or
    more (אדם / האדם), or an inflection ending (חשיב / חשיבין, כולא / וכלא)."""
    if a == b or not a or not b:
        return a == b
    if a[0] != b[0] and a[0] not in _PREFIX_LETTERS and b[0] not in _PREFIX_LETTERS:
        return False
    if a[0] in _PREFIX_LETTERS and a[1:] == b and (a[0] == "ו" or len(b) >= 3):
        return True
    if b[0] in _PREFIX_LETTERS and b[1:] == a and (b[0] == "ו" or len(a) >= 3):
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 3 and len(long_) - len(short) <= 2 and long_.startswith(short)


def _judge(
    blk: _Block,
    index: QuoteIndex,
    s: npt.NDArray[np.int64],
    e: npt.NDArray[np.int64],
    pos: npt.NDArray[np.int64],
    loose_left: npt.NDArray[np.bool_],
    loose_right: npt.NDArray[np.bool_],
) -> list[Quotation]:
    """Keep the runs that are quotations and choose among overlapping ones."""
    q = blk.seq
    n = len(q)
    kinds = blk.kinds
    seg = np.searchsorted(index.seg_starts, pos, side="right") - 1
    rank = index.seg_ranks[seg].astype(np.int64)
    # places: the runs over the same words in segments of the same rank
    span_key = (s * (n + 1) + e) * 8 + rank
    _, inverse, counts = np.unique(span_key, return_inverse=True, return_counts=True)
    places = counts[inverse.reshape(-1)]
    # elisions next to a run may join more words to it: those runs are judged one by one
    elided = np.zeros(len(s), dtype=bool)
    b = np.flatnonzero(s >= 2)
    elided[b] = (kinds[s[b] - 1] == ELISION) & (q[s[b] - 2] != 0)
    a = np.flatnonzero(e + 1 < n)
    elided[a] |= (kinds[e[a]] == ELISION) & (q[e[a] + 1] != 0)
    # information: the sum of the library's words' idf over the run, summed left to right as
    # Python's sum() does (column by column), so thresholds and ties are exactly the word-by-word ones
    core_info = _sequential_sums(index.idf_exact, index.words, pos, e - s)
    stops = index.stops
    content_prefix = np.concatenate([[0], np.cumsum(~stops[q])])
    content = content_prefix[e] - content_prefix[s]
    matched = e - s
    marked = _marked(blk)[s]
    accepted = (
        (content > 0)
        & (marked | ((matched >= MIN_WORDS_UNMARKED) & (core_info >= MIN_INFO_UNMARKED)))
        & (
            ((matched == 2) & (core_info >= MIN_INFO_2) & (places <= MAX_PLACES_2))
            | (
                (matched >= 3)
                & ((content >= 2) | (matched >= 4))
                & (core_info >= MIN_INFO)
                & (places <= MAX_PLACES + 10 * (matched - 3))
            )
        )
    )
    # a word more or less on either side (a word the author left out or added, a ketiv beside its
    # qere, a word spelt another way) may make a quotation of a run that is none by itself
    gapped = (content > 0) & (~accepted | elided) & _gaps(blk, index, s, e, pos)
    plain = np.flatnonzero(accepted & ~elided)  # judged above: no Python object for them
    candidates: list[_Candidate] = []
    for i in np.flatnonzero(elided | gapped).tolist():  # few: word by word
        cand = None
        for gaps in (False, True) if elided[i] else (True,):
            if gaps and not gapped[i]:
                break
            cand = _grow_across_gaps(
                int(s[i]), int(e[i]), int(pos[i]), int(seg[i]), float(core_info[i]), blk, index, gaps=gaps
            )
            cand.places = int(places[i])
            cand.marked = bool(marked[i]) if cand.first == s[i] else _is_marked(blk, cand.first)
            if _is_quotation(cand, int(content[i])):
                candidates.append(cand)
                break
    ps, pe = s[plain], e[plain]
    cands = _Cands(
        first=np.concatenate([ps, np.array([c.first for c in candidates], dtype=np.int64)]),
        last=np.concatenate([pe, np.array([c.last for c in candidates], dtype=np.int64)]),
        seg=np.concatenate([seg[plain], np.array([c.seg for c in candidates], dtype=np.int64)]),
        pos=np.concatenate([pos[plain], np.array([c.pos for c in candidates], dtype=np.int64)]),
        matched=np.concatenate([pe - ps, np.array([c.matched for c in candidates], dtype=np.int64)]),
        info=np.concatenate([core_info[plain], np.array([c.info for c in candidates], dtype=np.float64)]),
        core_s=np.concatenate([ps, np.array([c.core[0] for c in candidates], dtype=np.int64)]),
        core_e=np.concatenate([pe, np.array([c.core[1] for c in candidates], dtype=np.int64)]),
        core_info=np.concatenate(
            [core_info[plain], np.array([c.core_info for c in candidates], dtype=np.float64)]
        ),
    )
    return _choose(cands, blk, index)


@dataclass
class _Cands:
    """The candidates of a block as columns (what `_Candidate` holds, one entry per candidate)."""

    first: npt.NDArray[np.int64]
    last: npt.NDArray[np.int64]
    seg: npt.NDArray[np.int64]
    pos: npt.NDArray[np.int64]
    matched: npt.NDArray[np.int64]
    info: npt.NDArray[np.float64]
    core_s: npt.NDArray[np.int64]
    core_e: npt.NDArray[np.int64]
    core_info: npt.NDArray[np.float64]


def _sequential_sums(
    values: npt.NDArray[np.float64],
    words: npt.NDArray[Any],
    pos: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """sum(values[words[p]] for p in range(pos[i], pos[i] + lengths[i])) for each i, added left to right."""
    order = np.argsort(-lengths, kind="stable")
    sorted_len = lengths[order]
    start = pos[order]
    acc = np.zeros(len(pos), dtype=np.float64)
    longest = int(sorted_len[0]) if len(sorted_len) else 0
    for c in range(longest):
        k = int(np.searchsorted(-sorted_len, -c, side="left"))  # rows longer than c come first
        acc[:k] += values[words[start[:k] + c]]
    out = np.empty_like(acc)
    out[order] = acc
    return out


_QUOTE_MARK_RE = re.compile("[" + "".join(sorted(_QUOTE_MARKS)) + "]")


def _marked(blk: _Block) -> npt.NDArray[np.bool_]:
    """For every token: whether a quotation starting there is set off as one (`_is_marked`)."""
    starts = np.array(blk.starts, dtype=np.int64)
    n = len(starts)
    lo = max(0, int(starts[0]) - 4)
    marks = np.array(
        [m.start() for m in _QUOTE_MARK_RE.finditer(blk.text, lo, int(starts[-1]))], dtype=np.int64
    )
    out = np.zeros(n, dtype=bool)
    if len(marks):
        out = np.searchsorted(marks, np.maximum(starts - 4, 0)) < np.searchsorted(marks, starts)
    kinds = blk.kinds
    word = (kinds == WORD) | (kinds == ELISION)
    intro = blk.intro
    out[1:] |= word[:-1] & (intro[:-1] | (kinds[:-1] == ELISION))
    out[2:] |= word[1:-1] & word[:-2] & intro[:-2]
    return out


# Where the words after a run may go on: (input words skipped, corpus words skipped) — the next
# word (after a loosely matching one), a word of the source the author left out, a word the author
# added, a word of his that is not the source's.
_GAPS = ((0, 0), (0, 1), (1, 0), (1, 1))


def _gaps(
    blk: _Block,
    index: QuoteIndex,
    s: npt.NDArray[np.int64],
    e: npt.NDArray[np.int64],
    pos: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """For each run: whether the words go on past one of `_GAPS` at either end (an elision there
    is not a gap: `_grow_across_gaps` reads it as an elision)."""
    q, kinds, corpus = blk.seq, blk.kinds, index.words
    rare = ~index.stops & (index.idf_exact >= MIN_GAP_INFO)  # a word that may go on past a gap
    n, size = len(q), len(corpus)
    out = np.zeros(len(s), dtype=bool)
    # the end: input words e, e+1 against corpus words end, end+1
    r = np.flatnonzero(e < n)
    r = r[kinds[e[r]] != ELISION]
    end = pos[r] + (e[r] - s[r])
    c0 = corpus[end].astype(np.int64)
    c1 = np.where(c0 != 0, corpus[np.minimum(end + 1, size - 1)], 0).astype(np.int64)
    w0 = q[e[r]]
    w1 = np.where(e[r] + 1 < n, q[np.minimum(e[r] + 1, n - 1)], 0)
    skip = kinds[e[r]] == WORD
    go0, go1 = (w0 != 0) & rare[w0], skip & (w1 != 0) & rare[w1]
    out[r] = (go0 & ((c0 == w0) | (c1 == w0))) | (go1 & ((c0 == w1) | (c1 == w1)))
    # the start: input words s-1, s-2 against corpus words pos-1, pos-2
    b = np.flatnonzero((s > 0) & (pos > 0))
    b = b[kinds[s[b] - 1] != ELISION]
    c0 = corpus[pos[b] - 1].astype(np.int64)
    c1 = np.where((c0 != 0) & (pos[b] > 1), corpus[np.maximum(pos[b] - 2, 0)], 0).astype(np.int64)
    w0 = q[s[b] - 1]
    w1 = np.where(s[b] > 1, q[np.maximum(s[b] - 2, 0)], 0)
    skip = kinds[s[b] - 1] == WORD
    go0, go1 = (w0 != 0) & rare[w0], skip & (w1 != 0) & rare[w1]
    out[b] |= (go0 & ((c0 == w0) | (c1 == w0))) | (go1 & ((c0 == w1) | (c1 == w1)))
    return out


def _gap_after(
    e: int,
    end: int,
    seq: npt.NDArray[np.int64],
    kinds: npt.NDArray[np.int8],
    corpus: Any,
    idf: Any,
    stops: Any,
) -> tuple[int, int]:
    """(first input word joined, words joined) past a gap after a run, or (0, 0); the first place
    the words go on decides, with a first word that is no function word and says enough
    (`MIN_GAP_INFO`)."""
    n, size = len(seq), len(corpus)
    for di, dc in _GAPS:
        j, r = e + di, end + dc
        if j >= n or r >= size or (di and kinds[e] != WORD) or (dc and not corpus[end]):
            continue
        w = seq[j]
        if not w or stops[w] or idf[w] < MIN_GAP_INFO or corpus[r] != w:
            continue
        m = 1
        while j + m < n and seq[j + m] and seq[j + m] == corpus[r + m]:
            m += 1
        return j, m
    return 0, 0


def _gap_before(
    s: int, q: int, seq: npt.NDArray[np.int64], kinds: npt.NDArray[np.int8], corpus: Any, idf: Any, stops: Any
) -> tuple[int, int]:
    """(last input word joined, words joined) past a gap before a run, or (0, 0), as `_gap_after`."""
    for di, dc in _GAPS:
        j, r = s - 1 - di, q - 1 - dc
        if j < 0 or r < 0 or (di and kinds[s - 1] != WORD) or (dc and not corpus[q - 1]):
            continue
        w = seq[j]
        if not w or stops[w] or idf[w] < MIN_GAP_INFO or corpus[r] != w:
            continue
        m = 1
        while j - m >= 0 and seq[j - m] and r - m >= 0 and seq[j - m] == corpus[r - m]:
            m += 1
        return j, m
    return 0, 0


def _grow_across_gaps(
    s: int, e: int, q: int, seg: int, core_info: float, blk: _Block, index: QuoteIndex, *, gaps: bool
) -> _Candidate:
    """Join the words on the far side of a וגו' when they stand shortly before/after in the same
    segment, else the words past a gap of one word (`_GAPS`)."""
    corpus = index.words
    seq = blk.seq
    kinds = blk.kinds
    idf = index.idf
    first, last, matched = s, e, e - s
    info = core_info  # grows with the words joined across elisions
    if s >= 2 and kinds[s - 1] == ELISION and seq[s - 2]:
        j = s - 2
        for r in range(q - 1, max(q - 1 - ELISION_WINDOW, -1), -1):
            w = int(corpus[r])
            if not w:
                break
            if w == seq[j]:
                m = 1
                while j - m >= 0 and seq[j - m] and r - m >= 0 and seq[j - m] == corpus[r - m]:
                    m += 1
                first = j - m + 1
                matched += m
                info += sum(map(idf, seq[first : j + 1].tolist()))
                break
    elif gaps and s > 0 and kinds[s - 1] != ELISION:
        j, m = _gap_before(s, q, seq, kinds, corpus, index.idf_exact, index.stops)
        if m:
            first = j - m + 1
            matched += m
            info += sum(map(idf, seq[first : j + 1].tolist()))
    end_pos = q + (e - s)
    if e + 1 < len(seq) and kinds[e] == ELISION and seq[e + 1]:
        j = e + 1
        for r in range(end_pos, min(end_pos + ELISION_WINDOW, len(corpus))):
            w = int(corpus[r])
            if not w:
                break
            if w == seq[j]:
                m = 1
                while j + m < len(seq) and seq[j + m] and seq[j + m] == corpus[r + m]:
                    m += 1
                last = j + m
                matched += m
                info += sum(map(idf, seq[j:last].tolist()))
                break
    elif gaps and e < len(seq) and kinds[e] != ELISION:
        j, m = _gap_after(e, end_pos, seq, kinds, corpus, index.idf_exact, index.stops)
        if m:
            last = j + m
            matched += m
            info += sum(map(idf, seq[j:last].tolist()))
    return _Candidate(first, last, seg, q, matched, info, (s, e), core_info)


_INTRODUCER_KEYS: frozenset[str] | None = None


def _introducer_keys() -> frozenset[str]:
    global _INTRODUCER_KEYS
    if _INTRODUCER_KEYS is None:
        _INTRODUCER_KEYS = frozenset(key_of(w) for w in _INTRODUCERS.split())
    return _INTRODUCER_KEYS


def _is_marked(blk: _Block, first: int) -> bool:
    """Set off as a quotation: opened by a quotation mark, or right after שנאמר / כמו שכתוב / …"""
    start = blk.starts[first]
    before = blk.text[max(0, start - 4) : start]
    if any(ch in _QUOTE_MARKS for ch in before):
        return True
    for back in (1, 2):
        at = first - back
        if at < 0 or blk.kinds[at] not in (WORD, ELISION):
            return False
        if blk.intro[at] or (back == 1 and blk.kinds[at] == ELISION):
            return True
    return False


def _is_quotation(cand: _Candidate, content: int) -> bool:
    """`content`: the words of the core run that are not function words."""
    if cand.matched < 2 or content == 0:
        return False
    if not cand.marked and (cand.matched < MIN_WORDS_UNMARKED or cand.info < MIN_INFO_UNMARKED):
        return False
    if cand.matched == 2:
        return cand.info >= MIN_INFO_2 and cand.places <= MAX_PLACES_2
    if content < 2 and cand.matched < 4:
        return False
    return cand.info >= MIN_INFO and cand.places <= MAX_PLACES + 10 * (cand.matched - 3)


def _choose(c: _Cands, blk: _Block, index: QuoteIndex) -> list[Quotation]:
    """Within each cluster of overlapping candidates (in text order): best first; those it overlaps
    are its alternatives. The ranking is one sort of all candidates (cluster first); only the choice
    inside a cluster of several is read candidate by candidate."""
    n = len(c.first)
    if not n:
        return []
    order = np.argsort(c.first, kind="stable")
    first, last, seg = c.first[order], c.last[order], c.seg[order]
    core_len = (c.core_e - c.core_s)[order]
    # a cluster starts where a candidate begins at or after the end of every one before it
    reach = np.maximum.accumulate(last)
    new = np.ones(n, dtype=bool)
    new[1:] = first[1:] >= reach[:-1]
    starts = np.flatnonzero(new)
    cluster = np.cumsum(new) - 1
    longest = np.maximum.reduceat(core_len, starts)
    near = (longest - np.maximum(1, longest // 6))[cluster]  # a verse the Zohar quotes with its
    short = core_len < near  # 'ואומר' is still the verse
    rank = index.seg_ranks[seg].astype(np.int64)
    ranked = np.lexsort(
        (
            np.arange(n),
            c.pos[order],
            -c.info[order],
            -c.matched[order],
            rank,
            -c.core_info[order],
            -core_len,
            np.where(short, 0, rank),
            short,
            cluster,
        )
    )
    at = order[ranked]  # candidate columns in ranked order, cluster by cluster
    firsts, lasts, segs = c.first[at].tolist(), c.last[at].tolist(), c.seg[at].tolist()
    infos, matched = c.info[at].tolist(), c.matched[at].tolist()
    core_s, core_e = c.core_s[at].tolist(), c.core_e[at].tolist()
    bounds = [*starts.tolist(), n]
    cited = index.cited_ref
    out: list[Quotation] = []
    for lo, hi in pairwise(bounds):
        if hi - lo == 1:
            out.append(
                Quotation(
                    blk.starts[firsts[lo]],
                    blk.ends[lasts[lo] - 1],
                    [cited(segs[lo])],
                    round(min(1.0, infos[lo] / 40.0), 3),
                    matched[lo],
                )
            )
            continue
        taken: list[tuple[int, int]] = []
        chosen: list[Quotation] = []
        for b in range(lo, hi):
            bf, bl = firsts[b], lasts[b]
            overlaps = False
            for ta, tb in taken:
                if bf < tb and ta < bl:
                    overlaps = True
                    break
            if overlaps:
                continue
            refs = [cited(segs[b])]
            for k in range(lo, hi):
                ce, cs = core_e[k], core_s[k]
                if (ce if ce < bl else bl) - (cs if cs > bf else bf) >= 2:  # the same words, elsewhere
                    ref = cited(segs[k])
                    if ref not in refs:
                        refs.append(ref)
            taken.append((bf, bl))
            chosen.append(
                Quotation(
                    blk.starts[bf], blk.ends[bl - 1], refs, round(min(1.0, infos[b] / 40.0), 3), matched[b]
                )
            )
        chosen.sort(key=lambda x: x.start)
        out.extend(chosen)
    out.sort(key=lambda x: x.start)
    return out
