"""Unreferenced quotations: runs of Hebrew words that stand in the library's Hebrew sources.

The index maps word-key bigrams to the corpus positions where they stand (sorted arrays, no
per-entry Python objects, so Tanakh + Mishnah + Talmud + Zohar fit in well under 1 GB). Finding
seeds every bigram of the input, extends each hit greedily in both directions along its diagonal,
bridges וגו'/וכו' elisions inside the same segment, and keeps only runs whose words carry enough
information (rare words, few places) to be a quotation rather than a common phrase.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import pickle
import re
import sqlite3
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from madrega.study.linker.hebrew_words import HebrewWord, segment_keys, words

__all__ = ["Quotation", "QuoteIndex", "build_index", "find_quotations", "index_for", "segments_from_library"]

#: Where a quotation is most likely to come from when the same words stand in several places.
CATEGORY_ORDER = ("tanakh", "mishnah", "talmud", "zohar")
_CITED_BY_PAGE = (2, 3)  # Talmud and Zohar are cited by page (Berakhot 5a, Zohar 1:11b), not paragraph

_DAF_END = re.compile(r"\d[ab]$")
INDEX_FORMAT = "2"  # bump when the index's layout or what it derives from the text changes

MAX_SEED_POSTINGS = 400
COMMON_BIGRAM = 40  # a bigram in more places than this starts only runs of three words or more  # bigrams standing in more places than this only extend runs, never start one
ELISION_WINDOW = 40  # words a וגו' may skip inside one segment
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
    'שנאמר שנא\' כמ"ש כמש"נ כדכתיב דכתיב כתיב וכתיב שכתוב שכתב ככתוב כנאמר כאמור כמאמר מאמר '
    'כדאמר דאמר ואומר שאמרו אמרו כמארז"ל כדתנן תנן כדאיתא שאמר דכתב כדכתב כמאמרם פסוק הפסוק'
)

# Function words that never make a quotation by themselves (keys, plene form).
_STOP_SURFACES = (
    "את של על אל כי אשר לא כל הוא היא הם זה זו זאת גם או אם עם מן מי מה אין יש לו לה לי לך בו בה "
    "כן אף הנה הרי אלא אבל רק עד כמו כך ולא וכל ואת ועל ואם והוא שהוא אותו אותה ביד על ידי"
)


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


@dataclass
class QuoteIndex:
    """Corpus word ids (0 between segments) and a bigram → positions table over them."""

    vocab: dict[str, int]
    words: array  # array('I')
    seg_starts: array  # array('I'), first position of each segment
    seg_refs: list[str]
    seg_ranks: array  # array('B'), category rank of each segment
    df: array  # array('I'), occurrences of each word id
    bigram_keys: array  # array('Q'), sorted
    bigram_starts: array  # array('I'), len(bigram_keys) + 1 offsets into postings
    postings: array  # array('I'), corpus positions of a bigram's first word
    id_bits: int
    version: str = ""
    _idf_cache: dict[int, float] = field(default_factory=dict, repr=False)
    _keys_by_id: list[str] = field(default_factory=list, repr=False)

    def key_of_id(self, word_id: int) -> str:
        if not self._keys_by_id:
            keys = [""] * (len(self.vocab) + 1)
            for key, i in self.vocab.items():
                keys[i] = key
            self._keys_by_id = keys
        return self._keys_by_id[word_id]

    @property
    def total_words(self) -> int:
        return len(self.words) - len(self.seg_starts)

    def bigram(self, a: int, b: int) -> tuple[int, int]:
        """[lo, hi) slice of `postings` for the bigram (a, b)."""
        key = (a << self.id_bits) | b
        i = bisect_left(self.bigram_keys, key)
        if i < len(self.bigram_keys) and self.bigram_keys[i] == key:
            return self.bigram_starts[i], self.bigram_starts[i + 1]
        return 0, 0

    def idf(self, word_id: int) -> float:
        cached = self._idf_cache.get(word_id)
        if cached is None:
            cached = math.log(max(self.total_words, 1) / max(self.df[word_id], 1))
            self._idf_cache[word_id] = cached
        return cached

    def segment_of(self, pos: int) -> int:
        return bisect_right(self.seg_starts, pos) - 1

    def cited_ref(self, seg: int) -> str:
        """The ref a reader cites for a segment: the verse or mishnah, the page of Talmud or Zohar."""
        ref = self.seg_refs[seg]
        if self.seg_ranks[seg] in _CITED_BY_PAGE and ":" in ref:
            head, _last = ref.rsplit(":", 1)
            if ":" in head or _DAF_END.search(head):
                return head
        return ref


def build_index(segments: Iterable[tuple[str, str, str]], *, version: str = "") -> QuoteIndex:
    """Index (ref, category, text) segments, given in reading order within each category."""
    vocab: dict[str, int] = {}
    corpus = array("I")
    seg_starts = array("I")
    seg_refs: list[str] = []
    seg_ranks = array("B")
    for ref, category, text in segments:
        seg_starts.append(len(corpus))
        seg_refs.append(ref)
        seg_ranks.append(_category_rank(category))
        corpus.extend([vocab.setdefault(k, len(vocab) + 1) for k in segment_keys(text) if k])
        corpus.append(0)
    df = array("I", bytes(4 * (len(vocab) + 1)))
    for word_id, count in Counter(corpus).items():
        df[word_id] = count
    id_bits = max(len(vocab) + 1, 2).bit_length()
    pos_bits = max(len(corpus), 2).bit_length()
    pos_mask = (1 << pos_bits) - 1
    shift = id_bits + pos_bits
    packed = [
        (a << shift) | (b << pos_bits) | i for i, (a, b) in enumerate(itertools.pairwise(corpus)) if a and b
    ]
    packed.sort()
    keys = array("Q")
    starts = array("I")
    postings = array("I", [c & pos_mask for c in packed])
    last = -1
    for n, c in enumerate(packed):
        key = c >> pos_bits
        if key != last:
            keys.append(key)
            starts.append(n)
            last = key
    starts.append(len(packed))
    return QuoteIndex(
        vocab, corpus, seg_starts, seg_refs, seg_ranks, df, keys, starts, postings, id_bits, version
    )


# --- the library as a source ---------------------------------------------------------------------


def segments_from_library(conn: sqlite3.Connection) -> Iterable[tuple[str, str, str]]:
    """Hebrew segments of the library, Tanakh first, then Mishnah, Talmud, Zohar, then the rest."""
    works = conn.execute(
        "SELECT DISTINCT w.id, w.category, w.title FROM works w JOIN versions v ON v.work_id = w.id "
        "WHERE v.lang = 'he'"
    ).fetchall()
    ordered = sorted(works, key=lambda row: (_category_rank(row[1], row[2]), row[0]))
    for work_id, category, title in ordered:
        rows = conn.execute(
            "SELECT s.ref, s.plain FROM segments s JOIN versions v ON v.id = s.version_id "
            "WHERE v.work_id = ? AND v.lang = 'he' ORDER BY v.id, s.ord",
            (work_id,),
        )
        seen: set[str] = set()
        for ref, plain in rows:
            if ref not in seen:  # one Hebrew version per ref is enough to find a quotation
                seen.add(ref)
                yield ref, f"{category} {title}", plain


def library_version(conn: sqlite3.Connection) -> str:
    """Changes whenever Hebrew segments are added, removed or replaced."""
    row = conn.execute(
        "SELECT count(*), coalesce(max(s.id), 0), coalesce(sum(length(s.plain)), 0) FROM segments s "
        "JOIN versions v ON v.id = s.version_id WHERE v.lang = 'he'"
    ).fetchone()
    return hashlib.sha1(f"{INDEX_FORMAT}:{tuple(row)}".encode()).hexdigest()[:16]


_MEMORY_CACHE: dict[tuple[str, str], QuoteIndex] = {}


def _db_path(conn: sqlite3.Connection) -> str:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return str(row[2] or "")
    return ""


_VERSIONS: dict[str, tuple[int, str]] = {}  # db path → (library generation, library_version then)


def index_for(conn: sqlite3.Connection) -> QuoteIndex:
    """The quotation index of this library: from memory, else from the cache file beside the db, else built."""
    from madrega.study import library

    path = _db_path(conn)
    generation = library.generation(conn)
    known = _VERSIONS.get(path)
    if known is not None and known[0] == generation and path:
        version = known[1]  # nothing changed since: skip summing the Hebrew text again
    else:
        version = library_version(conn)
        _VERSIONS[path] = (generation, version)
    cached = _MEMORY_CACHE.get((path, version))
    if cached is not None:
        return cached
    cache_file = Path(path + ".quotes.pickle") if path else None
    index: QuoteIndex | None = None
    if cache_file is not None and cache_file.exists():
        try:
            with cache_file.open("rb") as fh:
                loaded = pickle.load(fh)
            if isinstance(loaded, QuoteIndex) and loaded.version == version:
                index = loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            index = None
    if index is None:
        index = build_index(segments_from_library(conn), version=version)
        if cache_file is not None:
            tmp = cache_file.with_suffix(".tmp")
            try:
                with tmp.open("wb") as fh:
                    pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
                tmp.replace(cache_file)
            except OSError:
                pass
    _MEMORY_CACHE.clear()
    _MEMORY_CACHE[(path, version)] = index
    return index


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


def _stop_ids(index: QuoteIndex) -> frozenset[int]:
    from madrega.study.linker.hebrew_words import key_of

    ids = {index.vocab.get(key_of(w), 0) for w in _STOP_SURFACES.split()}
    ids.discard(0)
    return frozenset(ids)


_STOP_CACHE: dict[int, frozenset[int]] = {}


def find_quotations(text: str, index: QuoteIndex) -> list[Quotation]:
    """Quotations in `text`, in text order; each lists every place its words stand, best first."""
    tokens = words(text)
    if len(tokens) < 2:
        return []
    vocab_get = index.vocab.get
    seq = [0 if t is None or t.elision else vocab_get(t.key, 0) for t in tokens]
    keys = ["" if t is None or t.elision else t.key for t in tokens]
    runs = _runs(seq, keys, index)
    if not runs:
        return []
    stops = _STOP_CACHE.get(id(index))
    if stops is None:
        stops = _STOP_CACHE[id(index)] = _stop_ids(index)
    places = Counter((s, e, index.seg_ranks[index.segment_of(q)]) for s, e, q in runs)
    introducers = _introducer_keys()
    candidates: list[_Candidate] = []
    marked: dict[int, bool] = {}
    for s, e, q in runs:
        cand = _grow_across_elisions(s, e, q, seq, tokens, index)
        cand.places = places[(s, e, index.seg_ranks[cand.seg])]
        is_marked = marked.get(cand.first)
        if is_marked is None:
            is_marked = marked[cand.first] = _is_marked(text, tokens, cand.first, introducers)
        cand.marked = is_marked
        if _is_quotation(cand, seq, stops):
            candidates.append(cand)
    return _choose(candidates, tokens, index)


def _loosely_equal(a: str, b: str) -> bool:
    """The same word but for a conjunction ו or an inflection ending (חשיב / חשיבין, כולא / וכלא)."""
    if a == b or not a or not b:
        return a == b
    if a[0] != b[0] and a[0] != "ו" and b[0] != "ו":
        return False
    if (a[0] == "ו" and a[1:] == b) or (b[0] == "ו" and b[1:] == a):
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 3 and len(long_) - len(short) <= 2 and long_.startswith(short)


def _runs(seq: list[int], keys: list[str], index: QuoteIndex) -> list[tuple[int, int, int]]:
    """Maximal runs (first, last, corpus position) of two exact words or more, plus one loosely
    matching word at each end."""
    corpus = index.words
    postings = index.postings
    n = len(seq)
    reached: dict[int, int] = {}  # diagonal (corpus pos - input index) → input index extended to
    runs: list[tuple[int, int, int]] = []
    for j in range(n - 1):
        a, b = seq[j], seq[j + 1]
        if not a or not b:
            continue
        lo, hi = index.bigram(a, b)
        if hi == lo or hi - lo > MAX_SEED_POSTINGS:
            continue
        common = hi - lo > COMMON_BIGRAM
        for k in range(lo, hi):
            p = postings[k]
            diagonal = p - j
            if reached.get(diagonal, -1) > j:
                continue
            s, q = j, p
            while s > 0 and seq[s - 1] and q > 0 and seq[s - 1] == corpus[q - 1]:
                s -= 1
                q -= 1
            e, r = j + 2, p + 2
            while e < n and seq[e] and seq[e] == corpus[r]:
                e += 1
                r += 1
            reached[diagonal] = e
            if common and e - s < 3:
                continue  # two words standing in many places: a common phrase, never a quotation
            if (
                s > 0
                and q > 0
                and corpus[q - 1]
                and _loosely_equal(keys[s - 1], index.key_of_id(corpus[q - 1]))
            ):
                s -= 1
                q -= 1
            if e < n and corpus[r] and _loosely_equal(keys[e], index.key_of_id(corpus[r])):
                e += 1
            runs.append((s, e, q))
    return runs


def _grow_across_elisions(
    s: int, e: int, q: int, seq: list[int], tokens: list[HebrewWord | None], index: QuoteIndex
) -> _Candidate:
    """Join the words on the far side of a וגו' when they stand shortly before/after in the same segment."""
    corpus = index.words
    idf = index.idf
    first, last, matched = s, e, e - s
    core_info = sum(idf(corpus[r]) for r in range(q, q + e - s))
    info = core_info  # grows with the words joined across elisions
    before = tokens[s - 1] if s > 0 else None
    if before is not None and before.elision and s >= 2 and seq[s - 2]:
        j = s - 2
        for r in range(q - 1, max(q - 1 - ELISION_WINDOW, -1), -1):
            w = corpus[r]
            if not w:
                break
            if w == seq[j]:
                m = 1
                while j - m >= 0 and seq[j - m] and r - m >= 0 and seq[j - m] == corpus[r - m]:
                    m += 1
                first = j - m + 1
                matched += m
                info += sum(idf(x) for x in seq[first : j + 1])
                break
    after = tokens[e] if e < len(tokens) else None
    end_pos = q + (e - s)
    if after is not None and after.elision and e + 1 < len(seq) and seq[e + 1]:
        j = e + 1
        for r in range(end_pos, min(end_pos + ELISION_WINDOW, len(corpus))):
            w = corpus[r]
            if not w:
                break
            if w == seq[j]:
                m = 1
                while j + m < len(seq) and seq[j + m] and seq[j + m] == corpus[r + m]:
                    m += 1
                last = j + m
                matched += m
                info += sum(idf(x) for x in seq[j:last])
                break
    return _Candidate(first, last, index.segment_of(q), q, matched, info, (s, e), core_info)


_INTRODUCER_KEYS: frozenset[str] | None = None


def _introducer_keys() -> frozenset[str]:
    global _INTRODUCER_KEYS
    if _INTRODUCER_KEYS is None:
        from madrega.study.linker.hebrew_words import key_of

        _INTRODUCER_KEYS = frozenset(key_of(w) for w in _INTRODUCERS.split())
    return _INTRODUCER_KEYS


def _is_marked(text: str, tokens: list[HebrewWord | None], first: int, introducers: frozenset[str]) -> bool:
    """Set off as a quotation: opened by a quotation mark, or right after שנאמר / כמו שכתוב / …"""
    tok = tokens[first]
    assert tok is not None
    before = text[max(0, tok.start - 4) : tok.start]
    if any(ch in _QUOTE_MARKS for ch in before):
        return True
    for back in (1, 2):
        prev = tokens[first - back] if first - back >= 0 else None
        if prev is None:
            return False
        if prev.key in introducers or (back == 1 and prev.elision):
            return True
    return False


def _is_quotation(cand: _Candidate, seq: list[int], stops: frozenset[int]) -> bool:
    s, e = cand.core
    core_words = seq[s:e]
    if cand.matched < 2 or all(w in stops for w in core_words):
        return False
    if not cand.marked and (cand.matched < MIN_WORDS_UNMARKED or cand.info < MIN_INFO_UNMARKED):
        return False
    if cand.matched == 2:
        return cand.info >= MIN_INFO_2 and cand.places <= MAX_PLACES_2
    content = sum(1 for w in core_words if w not in stops)
    if content < 2 and cand.matched < 4:
        return False
    return cand.info >= MIN_INFO and cand.places <= MAX_PLACES + 10 * (cand.matched - 3)


def _choose(
    candidates: list[_Candidate], tokens: list[HebrewWord | None], index: QuoteIndex
) -> list[Quotation]:
    """Within each cluster of overlapping candidates: best first; those it overlaps are its alternatives."""
    out: list[Quotation] = []
    cluster: list[_Candidate] = []
    reach = -1
    for cand in sorted(candidates, key=lambda c: c.first):
        if cluster and cand.first >= reach:
            out.extend(_choose_in_cluster(cluster, tokens, index))
            cluster = []
        cluster.append(cand)
        reach = max(reach, cand.last) if len(cluster) > 1 else cand.last
    if cluster:
        out.extend(_choose_in_cluster(cluster, tokens, index))
    out.sort(key=lambda x: x.start)
    return out


def _choose_in_cluster(
    candidates: list[_Candidate], tokens: list[HebrewWord | None], index: QuoteIndex
) -> list[Quotation]:
    longest = max(c.core[1] - c.core[0] for c in candidates)
    near = longest - max(1, longest // 6)  # a verse the Zohar quotes with its 'ואומר' is still the verse
    ranked = sorted(
        candidates,
        key=lambda c: (
            (c.core[1] - c.core[0]) < near,
            index.seg_ranks[c.seg] if (c.core[1] - c.core[0]) >= near else 0,
            -(c.core[1] - c.core[0]),
            -c.core_info,
            index.seg_ranks[c.seg],
            -c.matched,
            -c.info,
            c.pos,
        ),
    )
    taken: list[tuple[int, int]] = []
    out: list[Quotation] = []
    for best in ranked:
        if any(best.first < b and a < best.last for a, b in taken):
            continue
        refs = [index.cited_ref(best.seg)]
        for c in ranked:
            if min(c.core[1], best.last) - max(c.core[0], best.first) >= 2:  # the same words, elsewhere
                ref = index.cited_ref(c.seg)
                if ref not in refs:
                    refs.append(ref)
        taken.append((best.first, best.last))
        first_tok = tokens[best.first]
        last_tok = tokens[best.last - 1]
        assert first_tok is not None and last_tok is not None
        score = round(min(1.0, best.info / 40.0), 3)
        out.append(Quotation(first_tok.start, last_tok.end, refs, score, best.matched))
    out.sort(key=lambda x: x.start)
    return out
