"""Written references in running prose, English and Hebrew: `Job 8:7`, `Iyov (Job) 8:7`,
`Likkutei Amarim, ch. 46`, `(תהלים פט, כג)`, `בְּלִקּוּטֵי־אֲמָרִים פֶּרֶק מ"ו`, `ibid., 5b`, `(שם)`.

One Aho-Corasick pass over a normalized copy of the text (lowercase, niqqud dropped, maqaf as a
space, one kind of quote mark) finds every title alias at a word boundary; a precompiled address
pattern must follow the title right away, and `refs.parse` must accept title + address. A title
without an address is only remembered as the work the next bare "ch. 3" may mean; it is never a
citation. Bare chapter words and ibid. resolve against that work, the lesson's `context_ref`, or
the previous citation.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Any

from madrega.text.hebrew import MARK_CLASS

__all__ = ["Found", "find_references"]

_MARKS = MARK_CLASS
_MARKS_RE = re.compile(f"[{_MARKS}]")
_KEEP_RE = re.compile(f"[^{_MARKS}]+")
_SAME_LENGTH = str.maketrans(
    {
        "\u05be": " ",  # maqaf joins words of a title: בְּלִקּוּטֵי־אֲמָרִים
        "\u00a0": " ",
        "״": '"',
        "“": '"',
        "”": '"',
        "׳": "'",
        "’": "'",
        "‘": "'",
        "–": "-",
        "—": "-",
    }
)
_HE_PREFIXES = frozenset("ובלמכשדה")
_LETTER_OR_DIGIT = re.compile(r"\w")


@dataclass
class Found:
    start: int
    end: int
    ref: str
    score: float


@dataclass(frozen=True)
class _Title:
    alias: str  # as written in the catalog
    entry: Any  # refs Work or Group
    hebrew: bool
    capitalized: bool
    talmud: bool


# --- normalization with an offset map ------------------------------------------------------------


def _normalize(text: str) -> tuple[str, array | None]:
    """Lowercase, niqqud-free, same-script copy of `text` and the map back to original offsets."""
    low = text.translate(_SAME_LENGTH).lower()
    if len(low) != len(text):  # a character whose lowercase is longer (İ): keep it as is
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text.translate(_SAME_LENGTH))
    if not _MARKS_RE.search(low):
        return low, None
    pieces: list[str] = []
    offsets = array("I")
    for m in _KEEP_RE.finditer(low):
        pieces.append(m.group())
        offsets.extend(range(m.start(), m.end()))
    offsets.append(len(text))
    return "".join(pieces), offsets


def _orig(offsets: array | None, i: int) -> int:
    return i if offsets is None else offsets[i]


def _orig_end(offsets: array | None, i: int, text: str) -> int:
    """Original offset just after normalized char i-1, keeping the marks that belong to it."""
    if offsets is None:
        return i
    if i <= 0:
        return 0
    end = offsets[i - 1] + 1
    while end < len(text) and _MARKS_RE.match(text, end):
        end += 1
    return end


# --- the title automaton --------------------------------------------------------------------------


def _alias_norm(alias: str) -> str:
    norm, _ = _normalize(alias)
    return re.sub(r"\s+", " ", norm).strip()


@cache
def _automaton() -> Any:
    import ahocorasick

    from madrega.refs import catalog

    table: dict[str, list[_Title]] = {}
    for alias, entry in catalog().all_names():
        norm = _alias_norm(alias)
        if len(norm) < 2 or "," in norm:
            continue  # "Tanya, Likkutei Amarim": prose cites the part by its own name
        hebrew = bool(re.search("[\u05d0-\u05ea]", norm))
        if not hebrew and len(norm) < 3:
            continue  # "LM", "Ex": too many false alarms in prose
        category = getattr(entry, "category", "")
        title = _Title(alias, entry, hebrew, alias[:1].isupper(), category == "Talmud")
        table.setdefault(norm, []).append(title)
    auto = ahocorasick.Automaton()
    for norm, titles in table.items():
        auto.add_word(norm, (len(norm), tuple(titles)))
    auto.make_automaton()
    return auto


def _title_scan(norm: str) -> list[tuple[int, int, tuple[_Title, ...]]]:
    """Title matches (start, end, titles) at word boundaries, longest first at each start."""
    auto = _automaton()
    found: list[tuple[int, int, tuple[_Title, ...]]] = []
    n = len(norm)
    for end_idx, (length, titles) in auto.iter(norm):
        start = end_idx - length + 1
        end = end_idx + 1
        if end < n and (norm[end].isalnum() or norm[end] == "_"):
            continue
        if start > 0 and norm[start - 1].isalnum():
            if not titles[0].hebrew:
                continue
            k = start
            while k > 0 and norm[k - 1] in _HE_PREFIXES and start - k < 3:
                k -= 1
            if k > 0 and norm[k - 1].isalnum():
                continue
        found.append((start, end, titles))
    found.sort(key=lambda f: (f[0], -f[1]))
    return found


# --- addresses ------------------------------------------------------------------------------------

_EN_CHAPTER = r"(?:chapters?|chs?\.?|chap\.?|perek|siman|sim\.?|§)"
_EN_NUM = r"\d{1,4}[ab]?"
_EN_ADDRESS = re.compile(
    rf"""
    (?P<paren>[ \t]*\([^()\n]{{1,40}}\))?           # Iyov (Job) 8:7
    (?P<sep>[ \t]*,?[ \t]*)
    (?P<marker>(?:part|vol\.?|volume)[ \t]+[ivx\d]+[,;]?[ \t]*)?
    (?P<chapter>{_EN_CHAPTER}[ \t]*)?
    (?P<daf>(?:daf|folio|fol\.|f\.)[ \t]*)?
    (?P<addr>(?:[ivx]{{1,4}}[:.])?{_EN_NUM}(?:[:.]{_EN_NUM})*(?:[ \t]*-[ \t]*{_EN_NUM}(?:[:.]{_EN_NUM})*)?)
    (?![\w])
    """,
    re.X,
)
_HE_NUM = r"[א-ת]{1,3}(?:\"[א-ת]|')?"
_HE_MARKER = r"(?:פרק|פ'|פסוק|פס'|סימן|סי'|דף|ד'|מזמור|משנה|מ'|הלכה|אות|תורה|עמוד|שער|חלק|ח\"[א-ג])"
_HE_ADDRESS = re.compile(
    rf"""
    (?P<sep>[ \t]*,?[ \t]*)
    (?P<addr>(?:{_HE_MARKER}[ \t]+)?{_HE_NUM}[.:]?
      (?:(?:[ \t]*,[ \t]*|[ \t]+)(?:{_HE_MARKER}[ \t]+|ע"[אב][ \t]*)?{_HE_NUM}[.:]?|[ \t]+ע"[אב])*)
    (?![א-ת"'])
    """,
    re.X,
)
_HE_TOKEN = re.compile(rf"{_HE_MARKER}|ע\"[אב]|{_HE_NUM}[.:]?")
_HE_MARKER_RE = re.compile(_HE_MARKER)


def _roman(text: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    prev = 0
    for ch in reversed(text):
        v = values.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None


def _he_address(addr: str, *, punctuated_required: bool) -> tuple[list[str], bool] | None:
    """Hebrew address → English address parts ('89', '23' or '5a'); whether a marker named it."""
    from madrega.text.numerals import from_hebrew

    parts: list[str] = []
    marked = False
    punctuated = False
    pending_amud: str | None = None
    for tok in _HE_TOKEN.findall(addr):
        if _HE_MARKER_RE.fullmatch(tok):
            marked = True
            continue
        if tok.startswith('ע"'):
            if parts:
                parts[-1] = parts[-1].rstrip("ab") + ("a" if tok.endswith("א") else "b")
            continue
        amud = ""
        if tok[-1] in ".:":
            amud = "a" if tok[-1] == "." else "b"
            tok = tok[:-1]
            punctuated = True
        if '"' in tok or "'" in tok:
            punctuated = True
        try:
            value = from_hebrew(tok)
        except Exception:
            return None
        if value <= 0:
            return None
        parts.append(f"{value}{amud}")
    del pending_amud
    if not parts:
        return None
    if punctuated_required and not (marked or punctuated):
        return None
    return parts, marked


def _parse(title: str, address: str) -> Any | None:
    from madrega import refs

    try:
        return refs.parse(f"{title} {address}".strip())
    except refs.RefError:
        return None
    except Exception:  # a parser bug must not take the linker down with it
        return None


def _parse_shrinking(title: str, address: str) -> tuple[Any, str] | None:
    """Try the address, then without its range (`Psalms 150:1-9` → `Psalms 150:1`)."""
    tried = address
    while tried:
        ref = _parse(title, tried)
        if ref is not None:
            return ref, tried
        if "-" not in tried:
            return None  # a place that does not exist is not a citation (Job 48:7 is not Job 48)
        tried = tried.split("-", 1)[0].strip()
    return None


def _entry_title(entry: Any) -> str:
    return str(getattr(entry, "title", None) or getattr(entry, "name", ""))


# --- context words: bare chapters, ibid -----------------------------------------------------------

_BARE_EN = re.compile(
    # starts with a literal so the regex engine can skip ahead; the word boundary before is checked by hand
    r"ch(?:apters?|aps?\.|s\.|\.|)[ \t]*(?P<nums>\d{1,4}(?:(?:[ \t]*(?:,|and|&|-)[ \t]*)\d{1,4})*)(?![\w:])"
)
_BARE_HE = re.compile(r"(?<![א-ת\"'])(?P<word>[בו]?פרק)[ \t]+(?P<num>[א-ת]{1,3}(?:\"[א-ת]|'))(?![א-ת\"'])")
_IBID_EN = re.compile(
    r"ib(?:id\.?|\.)(?:[ \t]*,?[ \t]*(?P<chapter>ch(?:apter)?s?\.?[ \t]*|v(?:erse)?s?\.?[ \t]*)?(?P<addr>\d{1,4}[ab]?(?::\d{1,4}[ab]?)*))?",
)
_IBID_HE = re.compile(
    r"\((?P<word>שם)(?:[ \t]*,?[ \t]*(?P<marker>פסוק|פרק|דף|משנה|סימן)?[ \t]*(?P<num>[א-ת]{1,3}(?:\"[א-ת]|')?[.:]?))?[ \t]*\)"
)


def _work_of(ref: Any) -> Any:
    return ref.work


def _with_sections(ref: Any, sections: tuple[int, ...]) -> Any | None:
    from madrega.refs.parser import make

    try:
        return make(ref.work.title, sections)
    except Exception:
        return None


def _context_work(context_ref: str | None) -> Any | None:
    if not context_ref:
        return None
    from madrega import refs

    try:
        return refs.parse(context_ref)
    except Exception:
        return None


# --- the scan -------------------------------------------------------------------------------------


def find_references(text: str, *, context_ref: str | None = None) -> list[Found]:
    """Every written reference in `text`, in order, with its exact span and canonical ref."""
    norm, offsets = _normalize(text)
    found: list[tuple[int, int, Any, float]] = []  # normalized spans
    mentions: list[tuple[int, Any]] = []  # (position, entry) of titles without an address
    consumed = 0
    for start, end, titles in _title_scan(norm):
        if start < consumed:
            continue
        hit = _address_after(text, norm, offsets, start, end, titles)
        if hit is None:
            t = titles[0]
            if t.hebrew or not t.capitalized or text[_orig(offsets, start)].isupper():
                mentions.append((end, t.entry))  # "in Likkutei Amarim, as explained in ch. 3"
            continue
        span_start, span_end, ref = hit
        found.append((span_start, span_end, ref, 1.0))
        if not titles[0].hebrew:
            for more in _continuations(norm, span_end, ref):
                found.append(more)
                span_end = more[1]
        consumed = span_end
    context = _context_work(context_ref)
    found.extend(_bare_chapters(norm, found, mentions, context))
    found.sort(key=lambda f: f[0])
    found = _resolve_ibid(norm, found)
    out = []
    for s, e, ref, score in found:
        out.append(Found(_orig(offsets, s), _orig_end(offsets, e, text), str(ref), score))
    return out


def _address_after(
    text: str, norm: str, offsets: array | None, start: int, end: int, titles: tuple[_Title, ...]
) -> tuple[int, int, Any] | None:
    title = titles[0]
    if title.hebrew:
        return _hebrew_address(norm, start, end, titles)
    original_start = _orig(offsets, start)
    if title.capitalized and not text[original_start].isupper():
        return None  # "a job well done", "the numbers 3 and 4"
    m = _EN_ADDRESS.match(norm, end)
    if m is None:
        return None
    if m.group("sep") and "," in m.group("sep") and not m.group("chapter") and not m.group("marker"):
        return None  # "Job, 7 times" — a comma needs "ch." after it
    addr = m.group("addr")
    if title.talmud and not re.search(r"\d[ab]\b|:", addr) and not m.group("daf"):
        return None  # "Shabbat 3 people": a Talmud citation names the amud
    roman = re.match(r"([ivx]{1,4})[:.]", addr)
    candidates = []
    for t in titles:
        name = t.alias
        address = addr
        if roman:
            candidates.append((f"{name} {roman.group(1).upper()}", addr[roman.end() :], roman.end()))
        candidates.append((name, address, 0))
        if m.group("marker"):
            candidates.append((f"{name} {m.group('marker').strip(' ,;')}", address, 0))
    for name, address, skipped in candidates:
        parsed = _parse_shrinking(name, address.replace(" ", ""))
        if parsed is not None:
            ref, used = parsed
            used_len = skipped + _used_length(address, used)
            span_end = m.start("addr") + used_len
            return start, span_end, ref
    return None


# 'Genesis 1:1; 2:3', 'Job 8:7, 9 and 12', 'Berakhot 5a; 6b': more places in the work just cited.
_CONTINUATION = re.compile(
    r"(?P<sep>[ \t]*[;,][ \t]*(?:and[ \t]+|&[ \t]*)?|[ \t]+(?:and|&)[ \t]+)"
    r"(?P<addr>\d{1,4}[ab]?(?::\d{1,4}[ab]?)*(?:[ \t]*-[ \t]*\d{1,4}[ab]?(?::\d{1,4}[ab]?)*)?)(?![\w:])"
)
# A bare number continues a list only where the list visibly goes on or ends: "9," "9)" "9." "9 and".
_LIST_GOES_ON = re.compile(r"[ \t]*(?:[;,.)\]]|(?:and|&)[ \t]|$)")


def _continuations(norm: str, end: int, ref: Any) -> list[tuple[int, int, Any, float]]:
    from madrega import refs

    out: list[tuple[int, int, Any, float]] = []
    work = _work_of(ref)
    while True:
        m = _CONTINUATION.match(norm, end)
        if m is None:
            return out
        addr = m.group("addr").replace(" ", "").replace("\t", "")
        head = addr.split("-")[0]
        daf = work.kinds[0] == "daf" and head[-1] in "ab"
        depth = head.count(":") + 1
        if daf or (depth == len(ref.sections) and (":" in head or depth == 1)):
            text = f"{work.title} {addr}"  # a full place: '2:3', '6b', or a chapter of a one-level ref
        elif depth < len(ref.sections) and work.kinds[0] != "daf" and _LIST_GOES_ON.match(norm, m.end()):
            up = ref.starting()
            for _ in range(depth):
                up = up.parent()
            text = f"{up}:{addr}"  # 'Job 8:7, 9' is Job 8:9
        else:
            return out
        if (
            ";" not in m.group("sep")
            and ":" not in head
            and not daf
            and not _LIST_GOES_ON.match(norm, m.end())
        ):
            return out
        try:
            nxt = refs.parse(text)
        except Exception:
            return out
        out.append((m.start("addr"), m.end("addr"), nxt, 1.0))
        end, ref = m.end("addr"), nxt


def _used_length(addr: str, used: str) -> int:
    """How much of the written address the parsed one covers (spaces were dropped for parsing)."""
    count = 0
    i = 0
    for i, ch in enumerate(addr):
        if ch == " ":
            continue
        if count == len(used):
            return i
        count += 1
    return len(addr) if count == len(used) else i


def _hebrew_address(
    norm: str, start: int, end: int, titles: tuple[_Title, ...]
) -> tuple[int, int, Any] | None:
    m = _HE_ADDRESS.match(norm, end)
    if m is None:
        return None
    in_parens = start > 0 and norm[start - 1] == "(" and norm[m.end() : m.end() + 1] == ")"
    he = _he_address(m.group("addr"), punctuated_required=not in_parens)
    if he is None:
        return None
    parts, _marked = he
    addr_end = m.end()
    word_start = start
    while word_start > 0 and norm[word_start - 1] in _HE_PREFIXES:
        word_start -= 1
    for strip_amud in (False, True):
        if strip_amud:  # 'פרק מ"ו.' — the period ends the sentence, it is not an amud
            if not parts[-1].endswith(("a", "b")) or norm[addr_end - 1] not in ".:":
                break
            parts = [*parts[:-1], parts[-1][:-1]]
            addr_end -= 1
        for joined in (":".join(parts), parts[0]) if len(parts) > 1 else (parts[0],):
            for t in titles:
                parsed = _parse_shrinking(_entry_title(t.entry), joined)
                if parsed is not None:
                    return word_start, addr_end, parsed[0]
    return None


def _bare_chapters(
    norm: str, found: list[tuple[int, int, Any, float]], mentions: list[tuple[int, Any]], context: Any | None
) -> list[tuple[int, int, Any, float]]:
    """'ch. 3', 'chs. 7 and 8', 'פרק ג'' — chapters of the work the sentence or the lesson is about."""
    out: list[tuple[int, int, Any, float]] = []
    starts = [s for s, _, _, _ in found]  # found is in text order and never overlaps itself
    ends = [e for _, e, _, _ in found]
    mention_at = [p for p, _ in mentions]

    def free(s: int, e: int) -> bool:
        i = bisect_right(starts, e - 1)  # spans starting before e; the last of them must end by s
        return i == 0 or ends[i - 1] <= s

    def work_for(pos: int) -> tuple[Any, float] | None:
        i = bisect_right(mention_at, pos)
        if i and pos - mention_at[i - 1] <= 80:
            return ("title", mentions[i - 1][1]), 0.9
        if context is not None:
            return ("ref", context), 0.8
        return None

    if context is None and not mentions:
        return out
    # without a lesson context only the words right after a title can name its chapter
    windows = [(p, min(len(norm), p + 120)) for p in mention_at] if context is None else [(0, len(norm))]
    matches = [m for a, b in _merge(windows) for m in _BARE_EN.finditer(norm, a, b)]
    for m in matches:
        if m.start() and (norm[m.start() - 1].isalnum() or norm[m.start() - 1] in "._"):
            continue  # "which 3", "e.ch 3"
        if not free(m.start(), m.end()):
            continue
        target = work_for(m.start())
        if target is None:
            continue
        (kind, what), score = target
        pos = m.start("nums")
        for num in re.finditer(r"\d{1,4}", m.group("nums")):
            ref = _chapter_of(kind, what, int(num.group()))
            if ref is None:
                continue
            s = m.start() if num.start() == 0 else pos + num.start()
            out.append((s, pos + num.end(), ref, score))
    for m in _BARE_HE.finditer(norm):
        if not free(m.start(), m.end()):
            continue
        target = work_for(m.start())
        if target is None:
            continue
        (kind, what), score = target
        he = _he_address(m.group("num"), punctuated_required=True)
        if he is None:
            continue
        ref = _chapter_of(kind, what, int(he[0][0].rstrip("ab")))
        if ref is not None:
            out.append((m.start(), m.end(), ref, score))
    return out


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(windows):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _chapter_of(kind: str, what: Any, number: int) -> Any | None:
    if kind == "ref":
        if what.work.kinds[:1] not in (("chapter",), ("siman",), ("torah",)):
            return None
        return _with_sections(what, (number,))
    title = _entry_title(what)
    return _parse(title, str(number))


def _resolve_ibid(norm: str, found: list[tuple[int, int, Any, float]]) -> list[tuple[int, int, Any, float]]:
    """ibid. / (שם) take the previous citation's ref, or its work with the new address."""
    ibids: list[tuple[int, int, str, str | None, str | None]] = []
    for m in _IBID_EN.finditer(norm):
        if m.start() and (norm[m.start() - 1].isalnum() or norm[m.start() - 1] == "_"):
            continue
        marker = (
            "verse"
            if (m.group("chapter") or "").startswith("v")
            else ("chapter" if m.group("chapter") else None)
        )
        ibids.append((m.start(), m.end(), "en", m.group("addr"), marker))
    for m in _IBID_HE.finditer(norm):
        marker = {"פסוק": "verse", "פרק": "chapter", "דף": "daf"}.get(m.group("marker") or "")
        num = m.group("num")
        addr: str | None = None
        if num:
            he = _he_address(num, punctuated_required=False)
            if he is None:
                continue
            addr = he[0][0]
        ibids.append(
            (m.start("word"), m.end() - 1 if norm[m.end() - 1] == ")" else m.end(), "he", addr, marker)
        )
    if not ibids:
        return found
    merged = sorted(
        [(s, e, ref, score, None) for s, e, ref, score in found] + [(*i[:2], None, 0.0, i) for i in ibids],
        key=lambda x: x[0],
    )
    out: list[tuple[int, int, Any, float]] = []
    previous: Any | None = None
    for s, e, ref, score, ibid in merged:
        if ibid is None:
            out.append((s, e, ref, score))
            previous = ref
            continue
        if previous is None:
            continue
        _, _, _lang, addr, marker = ibid
        resolved = _ibid_ref(previous, addr, marker)
        if resolved is not None:
            out.append((s, e, resolved, 0.9))
            previous = resolved
    return out


def _ibid_ref(previous: Any, addr: str | None, marker: str | None) -> Any | None:
    if addr is None:
        return previous
    if ":" in addr or addr[-1] in "ab":
        return _parse(previous.work.title, addr)
    number = int(addr)
    sections = tuple(previous.sections)
    if marker == "chapter" or len(sections) <= 1:
        return _with_sections(previous, (number,))
    return _with_sections(previous, (*sections[:-1], number))
