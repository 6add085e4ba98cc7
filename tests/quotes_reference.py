"""The quotation finder as it was before it worked on arrays: every seed grown by itself, word by word.

Kept as the reference the array finder must agree with (tests/test_linker_quotes_equivalence.py); it
reads the same index (`QuoteIndex`) and the same tokens (`hebrew_words.words`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from madrega.study.linker import quotations as Q
from madrega.study.linker.hebrew_words import HebrewWord, key_of, words


@dataclass
class Cand:
    first: int
    last: int
    seg: int
    pos: int
    matched: int
    info: float
    core: tuple[int, int]
    core_info: float
    places: int = 1
    marked: bool = False


def _bigram(index: Q.QuoteIndex, a: int, b: int) -> tuple[int, int]:
    key = np.uint64((a << index.id_bits) | b)
    i = int(np.searchsorted(index.bigram_keys, key))
    if i < len(index.bigram_keys) and index.bigram_keys[i] == key:
        return int(index.bigram_starts[i]), int(index.bigram_starts[i + 1])
    return 0, 0


def find(text: str, index: Q.QuoteIndex) -> list[Q.Quotation]:
    tokens = words(text)
    if len(tokens) < 2:
        return []
    vocab = index.vocab
    seq = [0 if t is None or t.elision else vocab.get(t.key, 0) for t in tokens]
    keys = ["" if t is None or t.elision else t.key for t in tokens]
    corpus = index.words.tolist()
    runs = _runs(seq, keys, index, corpus)
    if not runs:
        return []
    stops = {i for i in range(len(index.stops)) if index.stops[i]}
    places = Counter((s, e, int(index.seg_ranks[index.segment_of(q)])) for s, e, q in runs)
    introducers = frozenset(key_of(w) for w in Q._INTRODUCERS.split())
    candidates = []
    for s, e, q in runs:
        for gaps in (False, True):  # a gap of one word only where the run is no quotation without
            cand = _grow(s, e, q, seq, tokens, index, corpus, gaps=gaps)
            cand.places = places[(s, e, int(index.seg_ranks[cand.seg]))]
            cand.marked = _is_marked(text, tokens, cand.first, introducers)
            if _is_quotation(cand, seq, stops):
                candidates.append(cand)
                break
    return _choose(candidates, tokens, index)


def _runs(
    seq: list[int], keys: list[str], index: Q.QuoteIndex, corpus: list[int]
) -> list[tuple[int, int, int]]:
    postings = index.postings
    introducers = frozenset(key_of(w) for w in Q._INTRODUCERS.split())
    n = len(seq)
    reached: dict[int, int] = {}
    runs = []
    for j in range(n - 1):
        a, b = seq[j], seq[j + 1]
        if not a or not b:
            continue
        lo, hi = _bigram(index, a, b)
        if hi == lo or hi - lo > Q.MAX_SEED_POSTINGS:
            continue
        common = hi - lo > Q.COMMON_BIGRAM
        for k in range(lo, hi):
            p = int(postings[k])
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
                continue
            if (
                s > 0
                and q > 0
                and corpus[q - 1]
                and keys[s - 1] not in introducers
                and Q._loosely_equal(keys[s - 1], index.key_of_id(corpus[q - 1]))
            ):
                s -= 1
                q -= 1
            if (
                e < n
                and corpus[r]
                and keys[e] not in introducers
                and Q._loosely_equal(keys[e], index.key_of_id(corpus[r]))
            ):
                e += 1
            runs.append((s, e, q))
    return runs


def _grow(
    s: int,
    e: int,
    q: int,
    seq: list[int],
    tokens: list[HebrewWord | None],
    index: Q.QuoteIndex,
    corpus: list[int],
    *,
    gaps: bool,
) -> Cand:
    idf = index.idf
    first, last, matched = s, e, e - s
    core_info = sum(idf(corpus[r]) for r in range(q, q + e - s))
    info = core_info
    before = tokens[s - 1] if s > 0 else None
    if before is not None and before.elision and s >= 2 and seq[s - 2]:
        j = s - 2
        for r in range(q - 1, max(q - 1 - Q.ELISION_WINDOW, -1), -1):
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
    elif gaps and s > 0 and (before is None or not before.elision):
        for di, dc in Q._GAPS:  # a word more or less: the first of these that goes on
            j, r = s - 1 - di, q - 1 - dc
            if j < 0 or r < 0 or (di and before is None) or (dc and not corpus[q - 1]):
                continue
            if not seq[j] or index.stops[seq[j]] or idf(seq[j]) < Q.MIN_GAP_INFO or corpus[r] != seq[j]:
                continue
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
        for r in range(end_pos, min(end_pos + Q.ELISION_WINDOW, len(corpus))):
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
    elif gaps and e < len(tokens) and (after is None or not after.elision):
        for di, dc in Q._GAPS:
            j, r = e + di, end_pos + dc
            if j >= len(seq) or r >= len(corpus) or (di and after is None) or (dc and not corpus[end_pos]):
                continue
            if not seq[j] or index.stops[seq[j]] or idf(seq[j]) < Q.MIN_GAP_INFO or corpus[r] != seq[j]:
                continue
            m = 1
            while j + m < len(seq) and seq[j + m] and seq[j + m] == corpus[r + m]:
                m += 1
            last = j + m
            matched += m
            info += sum(idf(x) for x in seq[j:last])
            break
    return Cand(first, last, index.segment_of(q), q, matched, info, (s, e), core_info)


def _is_marked(text: str, tokens: list[HebrewWord | None], first: int, introducers: frozenset[str]) -> bool:
    tok = tokens[first]
    assert tok is not None
    before = text[max(0, tok.start - 4) : tok.start]
    if any(ch in Q._QUOTE_MARKS for ch in before):
        return True
    for back in (1, 2):
        prev = tokens[first - back] if first - back >= 0 else None
        if prev is None:
            return False
        if prev.key in introducers or (back == 1 and prev.elision):
            return True
    return False


def _is_quotation(cand: Cand, seq: list[int], stops: set[int]) -> bool:
    s, e = cand.core
    core_words = seq[s:e]
    if cand.matched < 2 or all(w in stops for w in core_words):
        return False
    if not cand.marked and (cand.matched < Q.MIN_WORDS_UNMARKED or cand.info < Q.MIN_INFO_UNMARKED):
        return False
    if cand.matched == 2:
        return cand.info >= Q.MIN_INFO_2 and cand.places <= Q.MAX_PLACES_2
    content = sum(1 for w in core_words if w not in stops)
    if content < 2 and cand.matched < 4:
        return False
    return cand.info >= Q.MIN_INFO and cand.places <= Q.MAX_PLACES + 10 * (cand.matched - 3)


def _choose(
    candidates: list[Cand], tokens: list[HebrewWord | None], index: Q.QuoteIndex
) -> list[Q.Quotation]:
    out: list[Q.Quotation] = []
    cluster: list[Cand] = []
    reach = -1
    for cand in sorted(candidates, key=lambda c: c.first):
        if cluster and cand.first >= reach:
            out.extend(_in_cluster(cluster, tokens, index))
            cluster = []
        cluster.append(cand)
        reach = max(reach, cand.last) if len(cluster) > 1 else cand.last
    if cluster:
        out.extend(_in_cluster(cluster, tokens, index))
    out.sort(key=lambda x: x.start)
    return out


def _in_cluster(
    candidates: list[Cand], tokens: list[HebrewWord | None], index: Q.QuoteIndex
) -> list[Q.Quotation]:
    longest = max(c.core[1] - c.core[0] for c in candidates)
    near = longest - max(1, longest // 6)  # nearly as long: the Tanakh's verse before a text quoting it
    ranked = sorted(
        candidates,
        key=lambda c: (
            (c.core[1] - c.core[0]) < near,
            int(index.seg_ranks[c.seg]) if (c.core[1] - c.core[0]) >= near else 0,
            -(c.core[1] - c.core[0]),
            -c.core_info,
            int(index.seg_ranks[c.seg]),
            -c.matched,
            -c.info,
            c.pos,
        ),
    )
    taken: list[tuple[int, int]] = []
    out = []
    for best in ranked:
        if any(best.first < b and a < best.last for a, b in taken):
            continue
        refs = [index.cited_ref(best.seg)]
        for c in ranked:
            if min(c.core[1], best.last) - max(c.core[0], best.first) >= 2:
                ref = index.cited_ref(c.seg)
                if ref not in refs:
                    refs.append(ref)
        taken.append((best.first, best.last))
        first_tok, last_tok = tokens[best.first], tokens[best.last - 1]
        assert first_tok is not None and last_tok is not None
        out.append(
            Q.Quotation(
                first_tok.start, last_tok.end, refs, round(min(1.0, best.info / 40.0), 3), best.matched
            )
        )
    out.sort(key=lambda x: x.start)
    return out
