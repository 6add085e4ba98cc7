"""The quoted words decide: a written reference checked against the words quoted beside it.

A careful reader checks a source: when a text writes `(תהלים קי)` and quotes a verse of that psalm,
the citation is that verse; when it writes `(שמות כ, ו)` and quotes 20:7 (another numbering, a slip,
a misprint), the words are the better witness. For each written reference to a book cited by chapter
and verse (with a library holding its Hebrew text), the Hebrew words around it — up to the previous
citation or the line's start before it, and as far after it — are compared with the verses of the
cited chapter (and, when none of them holds the words, with the rest of the book):

- a chapter-only reference whose chapter holds the words becomes that verse;
- a verse whose text holds the words is confirmed (`checked=True`);
- a verse whose words stand in another verse becomes that verse, the written one kept first among the
  alternatives and the disagreement said in `note` (`checked=False`).

Only runs of several uncommon words count (the same measure the quotation finder uses), so a
reference beside prose that happens to share a word with a verse is left as written. Words that are
another citation's are not this one's: a reference is never corrected to a verse the text cites in
another citation (the heading's verse a commentary opens with, the verse a reference just before
introduced), and after a reference that closes its clause (`(פסוק ב), לפיכך …`) the words are the
next clause's. A psalm named as a whole (`מזמור קמ"ה`) stays the psalm: its opening words name it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from madrega.study.linker.hebrew_words import words

if TYPE_CHECKING:
    from madrega.study.linker.quotations import QuoteIndex


class Citation(Protocol):
    """What refine reads and sets of a `linker.Citation` (named here so refine imports no linker)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...

    ref: str
    alternatives: list[str]
    checked: bool | None
    note: str


__all__ = ["Citation", "apply_correction", "refine"]

_WINDOW_WORDS = 18  # words each side of a reference that may be its quotation
_CONFIRM_WORDS_BEFORE = 48  # before it, to confirm the verse written: a quotation of two or three
# verses ends at its reference, the one written first (a wider reach would only find prose to correct by)
MIN_RUN = 3  # words in a row a verse must share with the window
MIN_INFO = 14.0  # and the information they carry (sum of ln(N/df))
MIN_INFO_2 = 15.0  # what two words must carry to be enough


def _chapters(index: QuoteIndex) -> dict[str, list[int]]:
    """Segments of the index by chapter ('Psalms 104' → its verses' segment numbers), made once."""
    table: dict[str, list[int]] | None = getattr(index, "_refine_chapters", None)
    if table is None:
        import numpy as np

        table = defaultdict(list)
        ranks = np.asarray(index.seg_ranks)[: len(index.seg_starts)]
        # Tanakh (rank 0) is cited by chapter and verse; only its refs are read (a cold Hebrew link
        # decoded all 150,000 of the library's before).
        for seg in np.flatnonzero(ranks == 0).tolist():
            head, sep, _ = _segment_ref(index, seg).rpartition(":")
            if sep:
                table[head].append(seg)
        table = dict(table)
        setattr(index, "_refine_chapters", table)  # noqa: B010 — a cache the index carries
    return table


def _segment_ref(index: QuoteIndex, seg: int) -> str:
    ref = getattr(index, "ref", None)  # an index that decodes its refs on demand has ref(seg)
    return str(ref(seg)) if callable(ref) else str(getattr(index, "seg_refs")[seg])  # noqa: B009


def _segment_refs(index: QuoteIndex) -> list[str]:
    return [_segment_ref(index, seg) for seg in range(len(index.seg_starts))]


def _books(index: QuoteIndex) -> dict[str, list[str]]:
    table: dict[str, list[str]] | None = getattr(index, "_refine_books", None)
    if table is None:
        table = defaultdict(list)
        for chapter in _chapters(index):
            table[chapter.rsplit(" ", 1)[0]].append(chapter)
        table = dict(table)
        setattr(index, "_refine_books", table)  # noqa: B010
    return table


def _segment_ids(index: QuoteIndex, seg: int) -> list[int]:
    start = index.seg_starts[seg]
    end = index.seg_starts[seg + 1] - 1 if seg + 1 < len(index.seg_starts) else len(index.words)
    return list(index.words[start:end])


def _best_run(window: list[int], verse: list[int], index: QuoteIndex) -> tuple[int, float]:
    """The longest run of window words that stands in the verse in order: (words, information)."""
    if not window or not verse:
        return 0, 0.0
    best = (0, 0.0)
    prev = [0] * (len(verse) + 1)
    info_prev = [0.0] * (len(verse) + 1)
    for a in window:
        cur = [0] * (len(verse) + 1)
        info = [0.0] * (len(verse) + 1)
        if a:
            idf = index.idf(a)
            for j, b in enumerate(verse, 1):
                if a == b:
                    cur[j] = prev[j - 1] + 1
                    info[j] = info_prev[j - 1] + idf
                    if (cur[j], info[j]) > best:
                        best = (cur[j], info[j])
        prev, info_prev = cur, info
    return best


def _closes_its_clause(text: str, end: int) -> bool:
    """A reference followed (past its closing bracket) by a comma, full stop or semicolon: the words
    after it begin another clause ('(פסוק ב), לפיכך ושמרתם …'); a colon or dash introduces its quote."""
    rest = text[end : end + 6].lstrip(" )]")
    return rest[:1] in (",", ".", ";", "\u05c3")


def _window(
    text: str, start: int, end: int, lo: int, hi: int, index: QuoteIndex, reach_before: int = _WINDOW_WORDS
) -> list[int]:
    """The word ids of the Hebrew words within reach of a reference at [start, end)."""
    before = text[lo:start]
    cut = before.rfind("\n")
    if cut >= 0:
        before = before[cut + 1 :]
    after = "" if _closes_its_clause(text, end) else text[end:hi]
    cut = after.find("\n")
    if cut >= 0:
        after = after[:cut]
    ids: list[int] = []
    for part in (before, after):
        found = [w for w in words(part) if w is not None and not w.elision]
        found = found[-reach_before:] if part is before else found[:_WINDOW_WORDS]
        ids.extend(index.vocab.get(w.key, 0) for w in found)
        ids.append(0)  # the reference itself stands between the two sides
    return ids


def _strong(run: tuple[int, float]) -> bool:
    """Several uncommon words in a row: 'יתמו חטאים' (two rare ones) or three and more."""
    return (run[0] >= MIN_RUN and run[1] >= MIN_INFO) or (run[0] >= 2 and run[1] >= MIN_INFO_2)


def refine(text: str, citations: Sequence[Citation], index: QuoteIndex) -> None:
    """Check each written reference of the Tanakh against the words quoted beside it (in place)."""
    from madrega.refs import RefError, parse

    if index.total_words == 0:
        return
    chapters = _chapters(index)
    refs = sorted((c for c in citations if c.kind == "reference"), key=lambda c: c.start)
    written_refs = [c.ref for c in refs]  # as written, before any is corrected
    for i, c in enumerate(refs):
        try:
            ref = parse(c.ref)
        except RefError:
            continue
        work = ref.work
        if work.category != "Tanakh" or ref.is_range or not ref.sections or len(ref.sections) > 2:
            continue
        chapter = f"{work.title} {ref.sections[0]}"
        if chapter not in chapters:
            continue
        lo = refs[i - 1].end if i else max(0, c.start - 400)
        hi = refs[i + 1].start if i + 1 < len(refs) else min(len(text), c.end + 400)
        lo, hi = max(lo, c.start - 400), min(hi, c.end + 400)
        window = _window(text, c.start, c.end, lo, hi, index)
        if not any(window):
            continue
        scored = _score(window, chapters[chapter], index)
        written = str(ref)
        if len(ref.sections) == 2:
            wide = _window(text, c.start, c.end, lo, hi, index, _CONFIRM_WORDS_BEFORE)
            if _strong(_score(wide, chapters[chapter], index).get(written, (0, 0.0))):
                c.checked = True
                continue
        best = _pick(scored)
        if best is None:  # not in the chapter written: a misprinted chapter, the words say which
            others = [ch for ch in _books(index).get(work.title, ()) if ch != chapter]
            scored = {}
            for other in others:
                scored.update(_score(window, chapters[other], index))
            best = _pick(scored, margin=2)
            if best is None:
                continue
            if len(ref.sections) == 1:
                best = best.rsplit(":", 1)[0]
        if best != written and best in written_refs[:i] + written_refs[i + 1 :]:
            continue  # the words are that other citation's
        if (
            len(ref.sections) == 1
            and c.text.lstrip("ו").startswith("מזמור")
            and best.startswith(written + ":")
        ):
            c.checked = True  # 'מזמור קמ"ה … תהלה לדוד': the psalm, named by its opening words
            continue
        apply_correction(c, written, best, len(ref.sections) == 1)


def _score(window: list[int], segments: list[int], index: QuoteIndex) -> dict[str, tuple[int, float]]:
    out: dict[str, tuple[int, float]] = {}
    for seg in segments:
        run = _best_run(window, _segment_ids(index, seg), index)
        if run[0]:
            out[_segment_ref(index, seg)] = run
    return out


def _pick(scored: dict[str, tuple[int, float]], margin: int = 1) -> str | None:
    """The one verse that holds the words clearly better than any other, or None."""
    ranked = sorted(scored.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or not _strong(ranked[0][1]):
        return None
    if len(ranked) > 1 and ranked[1][1][0] + margin > ranked[0][1][0] and _strong(ranked[1][1]):
        return None  # two verses hold the words alike (a repeated verse): the text does not decide
    return ranked[0][0]


def apply_correction(c: Any, written: str, best: str, chapter_only: bool) -> None:
    """The place the words stand in becomes the citation's, the written one its first alternative."""
    if best == written:
        c.checked = True
        return
    c.alternatives = [written, *(a for a in c.alternatives if a not in (written, best))]
    c.ref = best
    c.checked = False  # corrected below when the verse is within the chapter written
    if chapter_only and best.startswith(written + ":"):
        c.checked = True  # '(תהלים קי)' and a verse of it quoted: the verse
        c.note = f"{written} is written; the words quoted beside it are {best}"
    else:
        c.note = f"{written} is written, but the words quoted beside it are {best}"
