"""Written references in running prose, English and Hebrew: `Job 8:7`, `Gen. 12:1`, `Iyov (Job) 8:7`,
`Likkutei Amarim, ch. 46`, `Hilchot Deot, Chapter 2, Halacha 3`, `(תהלים פט, כג)`, `(שמות, כ"ד, יג-יד)`,
`ברכות ח, א`, `ibid., 5b`, `(שם יג, יז)`, `(ירמיהו שם)`, and bare `Chapter 5` / `פרק ג` under a heading.

Three stages, after Sefaria's linker (recognize → resolve → refine):

1. **Recognize** candidate spans in one pass over a normalized copy of the text (lowercase, niqqud
   dropped, maqaf as a space, one kind of quote mark): every catalog title at a word boundary (one
   Aho-Corasick automaton, built once by `_title_table`/`_automaton`) with the address tokens that
   follow it (numbers, level words such as `chapter`/`פרק`, separators); bare addresses (`ch. 3`,
   `daf 22`, `פרק ג`, a line that starts with `83:` or `א,א`); ibid. and שם; hashtags (`#BavaMetzia`).
   A title with an address is read by `refs.parse`, trying the longest address first and dropping
   tokens from the end until it reads (so prose after a ref never loses the ref). A Hebrew address
   outside parentheses must look like one (a geresh, a level word or two numbers with a comma),
   since Hebrew numerals are also words.
2. **Resolve** the context-dependent candidates in text order: a bare chapter against the work the
   text is about (a heading's title, the last work named or cited nearby, the lesson's `context_ref`),
   a bare verse or halakha against the last cited chapter, ibid. / שם against the last citation at
   its depth, `(ירמיהו שם)` against the last citation of that work.
3. **Refine** happens in `linker.link` with a library: the quoted words beside a reference choose
   its verse (`linker.refine`).
"""

from __future__ import annotations

import contextlib
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

from madrega.errors import MadregaError
from madrega.refs import AmbiguousRef, RefError, catalog, parse
from madrega.refs.catalog import Group, Work, _loose_key, name_key
from madrega.refs.parser import clear_caches as _parser_clear_caches
from madrega.refs.parser import parse_composed
from madrega.refs.words import words
from madrega.text.hebrew import MARK_CLASS

__all__ = ["Found", "find_references", "prepare_titles"]

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
        "„": '"',
        "׳": "'",
        "’": "'",
        "‘": "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        **{
            c: b
            for b, cs in (
                ("a", "áàâäãå"),
                ("e", "éèêë"),
                ("i", "íìîï"),
                ("o", "óòôöõ"),
                ("u", "úùûü"),
                ("n", "ñ"),
                ("c", "ç"),
                # the scholars' ḥet and ṭet ('Pesaḥim', 'Menaḥot'), and 'Pesaĉim' of those who write ĉ for ח
                ("h", "ḥĉ"),
                ("t", "ṭ"),
                ("s", "ṣ"),
                ("z", "ẓ"),
                ("k", "ḳ"),
            )
            for c in cs
        },
        **{
            c.upper(): b.upper()
            for b, cs in (
                ("a", "áàâäã"),
                ("e", "éèêë"),
                ("i", "íìîï"),
                ("o", "óòôö"),
                ("u", "úùûü"),
                ("h", "ḥĉ"),
                ("t", "ṭ"),
                ("s", "ṣ"),
                ("z", "ẓ"),
                ("k", "ḳ"),
            )
            for c in cs
        },
    }
)
_HE_PREFIXES = frozenset("ובלמכשדה")
_HEBREW = re.compile("[\u05d0-\u05ea]")
_HE_HYPHEN = re.compile(r"(?<=[\u05d0-\u05ea]{3})-(?=[\u05d0-\u05ea])")  # שמואל-א, but not כ-ב


@dataclass
class Found:
    start: int
    end: int
    ref: str
    score: float
    alternatives: list[str] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class _Title:
    alias: str  # as written in the catalog
    entry: Any  # refs Work or Group
    hebrew: bool
    capitalized: bool
    talmud: bool
    short: bool = False  # two letters ('OC', 'BM'): only in capitals and with a full address


# --- normalization with an offset map ------------------------------------------------------------


# a Hebrew title in single quotes: ('פרקי דרבי אליעזר' פרק יג); a geresh never opens a word
_HE_QUOTED_TITLE = re.compile(r"(?<![\w'\"])'(?=[\u05d0-\u05ea])([^'\n]{2,40}?)'(?=[ \t,.;:)\]])")


def _normalize(text: str) -> tuple[str, array | None]:
    """Lowercase, niqqud-free, same-script copy of `text` and the map back to original offsets."""
    low = text.translate(_SAME_LENGTH).lower()
    if len(low) != len(text):  # a character whose lowercase is longer (İ): keep it as is
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text.translate(_SAME_LENGTH))
    if "'" in low:
        low = _HE_QUOTED_TITLE.sub(lambda m: " " + m.group(1) + " ", low)
    drops = {i for m in _SPACED_AMUD.finditer(low) for i in range(m.start(1), m.end(2)) if low[i] in " \t"}
    if not drops and not _MARKS_RE.search(low):
        return low, None
    pieces: list[str] = []
    offsets = array("I")
    for m in _KEEP_RE.finditer(low):
        if drops:  # 'לד ע " ב' of a PDF's text: the amud's spaced quote mark closed up ('ע"ב')
            kept = [i for i in range(m.start(), m.end()) if i not in drops]
            pieces.append("".join(low[i] for i in kept))
            offsets.extend(kept)
            continue
        pieces.append(m.group())
        offsets.extend(range(m.start(), m.end()))
    offsets.append(len(text))
    return "".join(pieces), offsets


# 'לד ע " ב': an amud written with spaces around its quote mark, after a daf's numeral
_SPACED_AMUD = re.compile(r"(?<=[א-ת] )ע([ \t]*)\"([ \t]*)(?=[אב](?![א-ת\"']))")


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


def _title_table() -> dict[str, list[_Title]]:
    """Every title alias, normalized as text is, with the catalog entries it names."""
    from madrega.refs import catalog

    table: dict[str, list[_Title]] = {}
    variants: list[tuple[str, _Title]] = []
    made: set[str] = set()
    for alias, entry in catalog().all_names():
        norm = _alias_norm(alias)
        hebrew = bool(_HEBREW.search(norm))
        if len(norm) < 2 or ("," in norm and not hebrew) or norm[-1].isdigit():
            # "Tanya, Likkutei Amarim": prose cites the part by its own name; "Kings 2" its number. A
            # Hebrew title is written with its comma ('נתיבות עולם, נתיב התורה פ"ח')
            continue
        short = not hebrew and len(norm) < 3
        if short and not alias[:1].isupper():
            continue
        category = getattr(entry, "category", "")
        title = _Title(alias, entry, hebrew, alias[:1].isupper(), category == "Talmud", short)
        table.setdefault(norm, []).append(title)
        if hebrew and '"' in norm:
            # 'הקדמת הרמב׳׳ם לאבות': the gershayim typed as two gereshes (normalized to '') is the same title
            table.setdefault(norm.replace('"', "''"), []).append(title)
        if not hebrew and " " in norm and "ah" in norm:
            variants.append((norm, title))
    for norm, title in variants:
        # 'Mishna Berurah', 'Exod. Rabba': transliterations drop a word's final h ('Berura', 'Rabba'); a
        # spelling that is some other work's name stays that work's
        words_ = norm.split(" ")
        for k, word in enumerate(words_):
            if word.endswith("ah") and len(word) > 3:
                variant = " ".join([*words_[:k], word[:-1], *words_[k + 1 :]])
                if variant not in table:
                    table[variant] = []
                    made.add(variant)
                if variant in made and title not in table[variant]:
                    table[variant].append(title)
    from madrega.refs.parser import _find_title

    for abbreviation, expansion in words().he_expansions.items():  # 'זח"ב' is the Zohar's second volume
        found = _find_title(expansion)
        if found is not None and isinstance(found[0], Work | Group):
            table.setdefault(_alias_norm(abbreviation), []).append(
                _Title(abbreviation, found[0], True, False, getattr(found[0], "category", "") == "Talmud")
            )
    return table


@cache
def _automaton() -> Any:
    """The title automaton: `iter(norm)` yields (end index, (length, titles)) for every alias found.
    Loaded from the cache when this catalog's was built before (`madrega.study.linker.titles`)."""
    from madrega.study.linker import titles

    return titles.automaton(_title_table, _Title, _short_commentary_table)


def prepare_titles() -> None:
    """Have the title automaton ready, and kept in the cache for the next process."""
    _automaton()


# '(ישעיהונד:א)': a book of the Tanakh glued to its chapter and verse, in parentheses
_GLUED_HE = re.compile(r"[א-ת]{1,3}:[א-ת]{1,3}[ \t]*\)")


def _glued_book(norm: str, start: int, titles: tuple[_Title, ...]) -> bool:
    return norm[start - 1 : start] == "(" and getattr(titles[0].entry, "category", "") == "Tanakh"


_LAWS_OF = re.compile(r"(?<![a-z])law's of")


_NOTE_NUMBER_BEFORE = re.compile(r"(?<=[.;:!?\"”’)])\d{1,2}$")


def _title_scan(norm: str) -> list[tuple[int, int, tuple[_Title, ...]]]:
    """Title matches (start, end, titles) at word boundaries, longest first at each start."""
    auto = _automaton()
    found: list[tuple[int, int, tuple[_Title, ...]]] = []
    n = len(norm)
    scan = _HE_HYPHEN.sub(" ", norm) if "-" in norm else norm
    if "law's of" in scan:
        scan = _LAWS_OF.sub(" laws of", scan)  # "Law's of Kings": the laws, as the title has it (same length)
    for end_idx, (length, titles) in auto.iter(scan, norm):
        start = end_idx - length + 1
        end = end_idx + 1
        if scan[start - 1 : start] == " " and norm[start - 1 : start] == "l":
            start -= 1  # the span starts where the written word does
        if (
            end < n
            and (norm[end].isalnum() or norm[end] == "_")
            and not (titles[0].hebrew and _GLUED_HE.match(norm, end) and _glued_book(norm, start, titles))
        ):
            continue
        if start > 0 and norm[start - 1].isalnum():
            if not titles[0].hebrew:
                if not _NOTE_NUMBER_BEFORE.search(norm, max(0, start - 4), start):
                    continue  # 'differed.2Hag. 14a': a footnote's number glued to the title it cites
                found.append((start, end, titles))
                continue
            k = start
            while k > 0 and norm[k - 1] in _HE_PREFIXES and start - k < 3:
                k -= 1
            if k > 0 and norm[k - 1].isalnum():
                continue
        found.append((start, end, titles))
    found.sort(key=lambda f: (f[0], -f[1]))
    return found


# --- address tokens ------------------------------------------------------------------------------


def _alternation(items: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(items), key=len, reverse=True))


# Inside an English address: level words ('chapter', 'halacha', 'vol.'), not the connectors the parser
# also skips ('in', 'the', 'of').
_NOT_LEVELS = frozenset(
    [
        "in",
        "on",
        "at",
        "to",
        "the",
        "and",
        "of",
        "ad",
        "loc",
        "n",
        "note",
        "fn",
        "footnote",
        "f",
        "ff",
        "s",
        "p",
        "no",
        "number",
        "beginning",
        "end",
        "middle",
        "start",
        "top",
        "bottom",
        "translation",
        "trans",
        "tr",
        "transl",
        "version",
        "ver",
    ]
)


@cache
def _en_token() -> re.Pattern[str]:
    w = words()
    levels = [x for x in (*w.noise, *w.part_words) if x not in _NOT_LEVELS and not x.isdigit()]
    levels += ["torah-teaching", "§"]
    return re.compile(
        r"[ \t]*(?:"
        r"(?P<num>\d{1,4}(?:[ab](?![a-z])|:[ab](?![a-z0-9]))?)"
        r"|(?P<sep>[:.,]|-(?!-))"
        r"|(?P<lone>[ab](?![a-z]))"
        rf"|(?P<pos>(?:the[ \t]+)?(?:beginning|end|middle|start|top|bottom)[ \t]+of)(?![a-z])"
        rf"|(?P<lvl>{_alternation(levels)})\.?(?![a-z])"
        r"|(?P<rom>[ivxlc]{1,8})(?![a-z])"
        r")"
    )


_HE_NUM = r"(?:תתק[א-ת]{1,2}|[א-ת]{1,4})(?:(?:\"|'')[א-ת]|')?"


@cache
def _he_token() -> re.Pattern[str]:
    # "עמ' קלח" is a page of an edition, not a place in the work: the address ends before it
    markers = [m for m in words().he_markers if m not in ("פ'", "ד'", "מ'", "ה'", "ס'", "עמ'")]
    markers += ['ס"ק', 'סק"', "ס'ק", 'סס"ק']
    return re.compile(
        r"[ \t]*(?:"
        r"(?P<amud>ס?ע[\"'][אב](?![א-ת])|עמוד[ \t]+[אב]['\"]?(?![א-ת])|(?<=[א-ת])/[אב](?![א-ת]))"
        rf"|(?P<lvl>(?:{_alternation(markers)}|ח\"[א-ה])(?![א-ת])|[פדמהס]'(?=[ \t]*[א-ת]))"
        # "שמות כ'ה פסוק לא": one geresh typed between a numeral's letters for the gershayim (כ"ה, 25) —
        # read so, not as 'כ' and a stray letter
        r"|(?P<geresh>[א-ת]{1,3}'[א-ת](?![א-ת\"']))"
        rf"|(?P<num>{_HE_NUM}(?![א-ת]|'[א-ת])[.:]?)"
        # 'בראשית 15:5', 'בראשית 25:19–28:9': a Hebrew book's chapter and verse in digits, always with the
        # colon (a lone number after 'במדבר' is a count in the desert, not a chapter of Numbers)
        r"|(?P<digits>\d{1,3}:[ \t]?\d{1,3}(?:[ \t]*[-–][ \t]*\d{1,3}(?::[ \t]?\d{1,3})?)?(?![\d:])"
        # 'במדבר 5:30 בבוקר' is a time of day in the desert
        r"(?![ \t]*(?:בבוקר|בערב|בלילה|בצהר|אחה\"צ|לפנה\"צ|בדיוק|שעות|דקות|AM|PM|am|pm)))"
        r"|(?P<sep>[,:.]|-(?!-))"
        r")"
    )


_HE_IBID_WORDS = frozenset(["שם", "ושם", "בשם"])
# Words that read as numerals but end the place: an edition's page ("עמ' קלח") and the opening words
# of a comment ('ד"ה בעבור') come after the place in the work
_HE_ADDRESS_ENDS = frozenset(["עמ'", "עמוד", 'ד"ה', 'בד"ה', 'וד"ה', 'סד"ה'])
_HE_PAGE_OR_COMMENT = re.compile(r"[ \t,]*(?:עמ'|עמוד|ד\"ה|בד\"ה|וד\"ה|סד\"ה)(?![א-ת])")
# Abbreviations that read as a prefix and a numeral but are words: 'במ"ב מש"כ' is 'what the Mishnah
# Berurah wrote' (מה שכתב), not its siman 320; 'כמ"ש' is 'as is written'.
_HE_ABBREVIATION_WORDS = frozenset(
    ['מש"כ', 'כמש"כ', 'ומש"כ', 'דמש"כ', 'במש"כ', 'מ"ש', 'כמ"ש', 'ומ"ש', 'דמ"ש', 'במ"ש', 'ע"ש', 'עי"ש', 'וע"ש']
)
# Words that read as numerals but end the place: an edition's page ("עמ' קלח") and the opening words
# of a comment ('ד"ה בעבור') come after the place in the work
_HE_ADDRESS_ENDS = frozenset(["עמ'", "עמוד", 'ד"ה', 'בד"ה', 'וד"ה', 'סד"ה'])
_HE_PAGE_OR_COMMENT = re.compile(r"[ \t,]*(?:עמ'|עמוד|ד\"ה|בד\"ה|וד\"ה|סד\"ה)(?![א-ת])")
# Abbreviations that read as a prefix and a numeral but are words: 'במ"ב מש"כ' is 'what the Mishnah
# Berurah wrote' (מה שכתב), not its siman 320; 'כמ"ש' is 'as is written'.
_HE_ABBREVIATION_WORDS = frozenset(
    ['מש"כ', 'כמש"כ', 'ומש"כ', 'דמש"כ', 'במש"כ', 'מ"ש', 'כמ"ש', 'ומ"ש', 'דמ"ש', 'במ"ש', 'ע"ש', 'עי"ש', 'וע"ש']
)


@dataclass(slots=True)
class _Address:
    end: int  # where the tokens stop (normalized offset)
    cuts: list[int]  # ends of the numbers, longest address last
    after_comma: set[int]  # the cuts whose number follows a comma ('Ps. XXIII, 1')
    bound: set[int]  # cuts a ':' or '-' joins to what follows ('12:13' never ends at '12')
    levels: int  # level words seen
    has_colon: bool
    roman_only: bool


# After a plural level word a comma lists more places of that level ('Genesis chapters 1, 2 and 5',
# 'פרקים ה, ו'), never the next level down.
_PLURAL_LEVELS = frozenset(
    ("chapters", "chs", "chs.", "perakim", "dapim", "simanim", "pages", "pp.", "sections", "paragraphs")
) | frozenset(("פרקים", "דפים", "סימנים", "סעיפים", "משניות", "פסוקים"))


_V_BETWEEN = re.compile(r"v\.?(?=[ \t]*\d)")


def _address(norm: str, pos: int, hebrew: bool, limit: int = 16) -> _Address | None:
    """The address tokens from `pos`: where each number ends (candidate ends of the address)."""
    token = _he_token() if hebrew else _en_token()
    cuts: list[int] = []
    comma_cuts: set[int] = set()
    bound: set[int] = set()
    levels = pending = 0
    colon = False
    digits = False
    last_roman = after_roman = False
    last_sep = ""
    plural = False
    range_end = False  # the last number closes a range ('טו-טז')
    n = 0
    while n < limit:
        m = token.match(norm, pos)
        if m is None or m.end() == pos:
            break
        kind = m.lastgroup
        if kind == "sep":
            sep = m.group("sep")
            if last_sep and last_sep != "num":  # two separators in a row end the address
                break
            if plural and sep == ",":
                break  # 'chapters 1, 2': a list of chapters, not chapter 1 verse 2
            if sep == ":":
                colon = True
            joined = sep == "-" or (sep == ":" and norm[m.end() : m.end() + 1] not in (" ", "\t"))
            if cuts and last_sep == "num" and (joined or (hebrew and sep == "," and not range_end)):
                bound.add(cuts[-1])  # but "אבות א' טו-טז, ועוד": a range's end before a comma can end it
            last_sep = sep
        elif kind in ("lvl", "pos"):
            if not hebrew and cuts and (m.group("lvl") or "") in words().part_words:
                break  # 'Chapter 9 Part 2': a part after the chapter is the lesson's, not the work's
            pending += 1  # counted once a number follows: 'עד ה' אלהיך' has no level, only the Name
            plural = m.group().strip() in _PLURAL_LEVELS
            last_sep = "lvl"
        elif kind == "lone":
            if last_sep != "-":
                break
            cuts.append(m.end())  # 'Zohar 2:170a-b'
            last_sep = "num"
            last_roman = False
        elif kind == "rom":
            verse = _V_BETWEEN.match(norm, m.start("rom")) if not hebrew and last_sep == "num" else None
            if verse is not None:  # 'Exodus Chapter 2 V 10', 'ch. 2 v. 10': 'v' for verse, no numeral
                pending += 1
                last_sep = "lvl"
                pos = verse.end()
                n += 1
                continue
            if last_sep == "num" or (cuts and last_sep not in (":", ".", ",", "lvl")):
                break
            cuts.append(m.end())
            last_sep = "num"
            levels, pending = levels + pending, 0
            last_roman = after_roman = True
            n += 1
            pos = m.end()
            continue
        else:  # num, amud
            if hebrew and m.group().strip() in _HE_IBID_WORDS:
                break  # 'שם ס"ק טו, ושם סק"ד': 'and there' begins the next place, it is no number
            if hebrew and m.group().strip() in _HE_ABBREVIATION_WORDS:
                break
            if hebrew and m.group().strip() in _HE_ADDRESS_ENDS:
                break  # "פי"ח, עמ' קלח ד"ה בעבור": an edition's page and a comment's opening words follow
            if hebrew and m.group().strip() in _HE_ABBREVIATION_WORDS:
                break
            if hebrew and m.group().strip() in _HE_ADDRESS_ENDS:
                break  # "פי"ח, עמ' קלח ד"ה בעבור": an edition's page and a comment's opening words follow
            if last_sep == "num" and not hebrew and not last_roman:
                break  # 'Genesis 1 2 people': English numbers need a separator
            if hebrew and last_sep == "," and len(cuts) >= 2 and _he_work_named(norm, m.start("num")):
                break  # 'שו"ע י"ד צ"א ג', ש"ך י"ד': the next source (the Shach), not a third number
            if not hebrew:
                digits = True
            if last_sep == "," and not after_roman:
                comma_cuts.add(m.end())  # 'Job 8:7, 12 times' — but 'Ps. XXIII, 1' is chapter and verse
            cuts.append(m.end())
            range_end = last_sep == "-"
            last_sep = "num"
            levels, pending = levels + pending, 0
            if hebrew and m.group()[-1:] in ".:" and norm[m.end() : m.end() + 1] in (" ", "\n", ")"):
                break  # 'זח"ב יט, א. שלא': a sentence's period ends the address
        last_roman = last_roman and kind == "rom"
        pos = m.end()
        n += 1
    if not cuts:
        return None
    return _Address(cuts[-1], cuts, comma_cuts, bound, levels, colon, not hebrew and not digits)


_HE_TWO_WORDS = re.compile(r"([א-ת\"']+)(?:[ \t]+([א-ת\"']+))?")


def _he_work_named(norm: str, pos: int) -> bool:
    """Do the words at `pos` name a work ('ש"ך', 'רמ"א', 'ערוך השלחן') rather than a number?"""
    m = _HE_TWO_WORDS.match(norm, pos)
    if m is None:
        return False
    first = m.group(1).rstrip("'")
    names = [first] if '"' in first else []
    if m.group(2):
        names.append(f"{first} {m.group(2)}")
    return any(catalog().exact(name_key(n)) is not None for n in names)


# --- stage 1: recognize --------------------------------------------------------------------------


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    kind: str  # ref, mention, work_ibid, bare, ibid, line
    ref: Any = None
    entry: Any = None
    level: str = ""  # bare: the level word; ibid: the marker
    addr: str = ""
    hebrew: bool = False
    persistent: bool = False
    alternatives: list[str] = field(default_factory=list)
    score: float = 1.0
    group: int = -1  # bare: where its list starts ('chs. 16, 38': both items read or neither)
    guarded: bool = False  # a place only when the text has already cited or named its work
    options: list[Any] = field(default_factory=list)  # part_ref: the readings, one per part of the book
    seif: str = ""  # bare siman: the seif written after it ('סימן תרכ"ט סי"ד')
    part: int = 0  # bare: the part of the book written before it ('בספר השני בסימן ח'), 0 for none
    partial: bool = False  # part_ref: the catalog holds the work on some of the parts only ('Taz')
    seif_katan: str = ""  # bare siman: the commentary's own seif katan after it ('סימן י"ז סק"ה')
    finer: str = ""  # bare chapter: the level a word right after it names ('פרק ב הלכה יא': halakha)


# 'דף' names a daf: a book cited by chapter and verse is never cited by it ('בראשית (דף ח, א)' after
# 'ובזוהר פרשת' is the Zohar's page, not Genesis 8:1)
_HE_DAF_WORD = re.compile(r"(?<![א-ת])(?:דף|דפים)(?![א-ת\"'])")
_HE_SIMAN_WORD = re.compile(r"(?<![א-ת])ו?ב?(?:סימן|סימנים|סי')(?![א-ת\"])")


_HE_BARE_VERSES = re.compile(
    rf"[ \t]*,[ \t]*(?P<v>{_HE_NUM}(?:[ \t]*-[ \t]*{_HE_NUM})?)(?![א-ת\"'])(?![ \t]*[,:][ \t]*[א-ת])"
)
_HE_FINER_AFTER = re.compile(r"[ \t,]*(?P<w>הלכה|הל'|משנה|מש'|פסוק|פס')(?![א-ת])")


def _finer_after(norm: str, end: int) -> str:
    """The level a word right after a bare chapter names: 'פרק ב הלכה יא' is a chapter of a work with
    halakhot (the Rambam's), never of a book of the Bible."""
    m = _HE_FINER_AFTER.match(norm, end)
    return "" if m is None else words().he_markers.get(m.group("w"), "")


_HE_CHAPTER_LETTER = re.compile(r"[ \t(]*פ\"([א-ט])(?![א-ת\"'])")


_HE_GERESH_INSIDE = re.compile(
    r"(?<=(?<![א-ת\"'])[א-ת])'(?=[א-ת](?![א-ת\"']))|(?<=(?<![א-ת\"'])[א-ת]{2})'(?=[א-ת](?![א-ת\"']))"
)


def _try_parse(name: str, address: str) -> tuple[Any, list[str]] | None:
    # One space after the title, as people write it: the parser's plain fast lane reads it then (the
    # written address begins with the space the title scan left, and parse collapses spaces anyway).
    if "'" in address:
        address = _HE_GERESH_INSIDE.sub('"', address)  # "כ'ה" typed for כ"ה
    text = f"{name} {address.strip()}".strip()
    chapter = _HE_CHAPTER_LETTER.match(address) if 'פ"' in address else None
    if chapter is not None:
        # 'נתיבות עולם, נתיב התורה פ"ח', 'תומר דבורה (פ"א)': פ"ח is פרק ח, chapter 8, not the numeral
        # 88 — in a work cited by chapters other than the Bible's (a psalm's number is written so)
        with contextlib.suppress(RefError):
            ref = parse(f"{name} פרק {chapter.group(1)}{address[chapter.end() :]}")
            if ref.work.category != "Tanakh" and ref.work.kinds[0] in ("chapter", "section"):
                return ref, []
    try:
        ref = parse(text)
        if "דף" in address and _HE_DAF_WORD.search(address) and "daf" not in ref.work.kinds:
            return None
        if (
            "סי" in address
            and _HE_SIMAN_WORD.search(address)
            and ref.work.kinds[:2] == ("chapter", "halakha")
        ):
            return None  # 'שולחן ערוך הלכות שבת סימן א': a code of chapters and halakhot has no simanim
        return ref, []
    except AmbiguousRef as exc:
        refs = []
        for alt in exc.alternatives:
            try:
                refs.append(parse(alt))
            except RefError:
                return None
        return (refs[0], [str(r) for r in refs[1:]]) if refs else None
    except RefError:
        return None


_SINGLE_NUMBER = re.compile(r"[\s(]*\d{1,4}[\s)]*$")
# a word after a bare number makes it a count ('On Shabbat 3 people came'), but not a word no count is of:
# 'a pasuk in Mishlei 7 where it describes', 'my blog on Horayos 2 from last year', 'Avot 3 teaches',
# 'With today's daf Taanit 18 we finish', 'a passage from Vayikra Rabbah 36 that grapples with'
_FOLLOWED_BY_WORD = re.compile(
    r"[ \t]+(?!(?:and|ff|where|wherein|which|that|from|says|states|teaches|tells|writes|explains|describes"
    r"|discusses|records|relates|recounts|mentions|deals|speaks|grapples|we|begins|continues|concludes|opens|asks"
    r"|brings|quotes|cites)\b)[a-z]"
)
_HE_MARKED = re.compile(r"[\"'א-ת]['\"]|ע\"|[,:]")


def _he_looks_like_address(addr: str, marked_level: bool) -> bool:
    """Hebrew numerals are words too: outside parentheses an address shows itself by a geresh or
    gershayim, a level word, an amud, or two numbers set apart by a comma or colon."""
    if marked_level or '"' in addr or "'" in addr:
        return True
    return bool(re.search(r"[א-ת][.:]?[ \t]*[,:][ \t]*[א-ת]|\d:[ \t]?\d", addr))


_HE_LINE_END = re.compile(r"[ \t]*(?:\n|$|[-–][ \t])")
_HE_TALMUD_LEADS = frozenset(["בבלי", "מסכת", "במסכת", "גמרא", "בגמרא"])
_HE_MIKRAOT_LEAD = re.compile(r"(?:^|\n)[ \t]*(?:ביאור:)?מ\"ג[ \t]+$")


def _he_line_of_its_own(norm: str, start: int, cut: int) -> bool:
    """A title and its address that make a line by themselves ('סנהדרין צז ב', 'רמב"ם תשובה ב ז' heading
    the passage below them, 'גמרא תלמוד בבלי סנהדרין מב' ending one): the line says it is a reference,
    so the numerals need no marks."""
    if not _HE_LINE_END.match(norm, cut):
        return False
    if _HE_LINE_START.search(norm, max(0, start - 12), start):
        return True
    if _HE_MIKRAOT_LEAD.search(norm, max(0, start - 16), start):
        return True  # 'מ"ג תהלים לד יד': a page of the Mikraot Gedolot on the verse, heading it
    before = norm[max(0, start - 12) : start].split()
    return bool(before) and before[-1] in _HE_TALMUD_LEADS


_DASH_BEFORE = re.compile(r"[^\s][ \t]+[-–][ \t]+$")
_COMMA_AFTER = re.compile(r"[ \t]*,[ \t]")


def _he_dash_gloss(norm: str, start: int, cut: int) -> bool:
    """'בל תשקצו – ויקרא יא מג, ודרשו': a quotation's source after a dash, its two numbers closed by a
    comma, is an address though its numerals carry no marks."""
    return bool(_DASH_BEFORE.search(norm, max(0, start - 4), start)) and bool(_COMMA_AFTER.match(norm, cut))


def _in_parens(norm: str, start: int) -> bool:
    window = norm[max(0, start - 40) : start]
    return window.rfind("(") > window.rfind(")") or window.rfind("[") > window.rfind("]")


def _common_word(text: str, offsets: array | None, start: int, titles: tuple[_Title, ...]) -> bool:
    """One-word titles of works that are also English words ('Song', 'Is', 'Job'), every one of them,
    written in lowercase as the word is (but 't. Berakhot': the corpus's initial before a tractate; and
    'the Zohar Noach 60a' is no word: a title of several words is read on)."""
    at = _orig(offsets, start)
    return (
        not text[at].isupper()
        and all(
            t.capitalized and not t.hebrew and type(t.entry) is Work and " " not in t.alias for t in titles
        )
        and _CORPUS_INITIAL.match(text, at) is None
    )


# 'לרבינו יונה', 'להרב ...' after a title: its author, when a level word (a gate, chapter...) follows
_HE_BY_AUTHOR = re.compile(
    r"[ \t]+ל(?:רבינו|רבנו|הרב|רבי|ר')[ \t]+[א-ת]+(?:[ \t]+[א-ת]+)?(?=[ \t]*\n?[ \t]*(?:שער|פרק|מאמר|חלק)[ \t])"
)


def _cite(
    norm: str,
    text: str,
    offsets: array | None,
    start: int,
    end: int,
    titles: tuple[_Title, ...],
    ordinal_start: int,
) -> _Cand | None:
    """A title and the address after it, read by the parser longest first; None for a title alone."""
    title = titles[0]
    hebrew = title.hebrew
    written_title = ""
    if not hebrew:
        first = text[_orig(offsets, start)]
        if (
            title.capitalized
            and not first.isupper()
            and not _CORPUS_INITIAL.match(text, _orig(offsets, start))
        ):
            return None  # "a job well done", "the numbers 3 and 4" (but 't. Berakhot 3:1')
        written_title = text[_orig(offsets, start) : _orig(offsets, end)]
        if title.short and not (written_title.isupper() or written_title == title.alias):
            return None  # 'OC 90:1', 'BM 59b', 'Ps. 23:1': a two-letter title as the catalog spells it
    pos = end
    on_base = _ON_BASE.match(norm, pos)
    if on_base is not None:
        pos = _base_named(norm, on_base.end(), title) or pos
    if hebrew and (author := _HE_BY_AUTHOR.match(norm, pos)) is not None:
        pos = author.end()  # 'שערי תשובה לרבינו יונה שער א': the author named between title and address
    lead = _EN_LEAD.match(norm, pos) if not hebrew else _HE_LEAD.match(norm, pos)
    if lead is not None:
        pos = lead.end()
    if hebrew and _IBID_HE.match(norm, pos):
        return None  # 'כה"ח שם ס"ק יט': the work's ibid, not siman שם (340)
    addr = _address(norm, pos, hebrew)
    if addr is None:
        return None
    if addr.roman_only and not addr.levels:
        return None  # 'Genesis I' is a title, not chapter one: prose has digits
    in_parens = _in_parens(norm, start)
    paren_lead = hebrew and lead is not None and "(" in lead.group()
    # '+הושע יד+': the Talmud's editions mark a verse's book and chapter between plus signs
    plus = hebrew and not paren_lead and start > 0 and norm[start - 1] == "+"
    glued = not hebrew and lead is not None and lead.group() == "-" and norm[pos : pos + 1].isdigit()
    guard = False
    for cut in reversed(addr.cuts):
        if (
            cut in addr.bound
            and cut != addr.cuts[-1]
            and not (hebrew and norm[cut : cut + 1] in (" ", "\t") and _he_line_of_its_own(norm, start, cut))
        ):
            # 'Isaiah 12:13' that does not exist is not 'Isaiah 12'; a bad range is no citation (but
            # 'מגילה כא - דף יומי' heading a page is the daf, then the page's name)
            continue
        written = norm[pos:cut]
        if not hebrew:
            if (
                title.short
                and not (glued and written_title.isupper())  # 'LM-24': the number joined to the title
                and ":" not in written
                and "," not in written
                and not re.search(r"\d[ab]\b", written)
            ):
                continue  # 'OC 90:1', 'BM 59b', 'Ps. XXIII, 1': a short title needs a full address
            if (
                cut in addr.after_comma or (_SINGLE_NUMBER.match(written) and not addr.levels)
            ) and _FOLLOWED_BY_WORD.match(norm, cut):
                if not (glued and title.short):
                    continue  # 'On Shabbat 3 people came', 'Job 8:7, 12 times': a count, not a place
                guard = True  # 'LM-24 teaches': a place only in a text that has cited the work
            comma_lead = (
                lead is not None
                and "," in lead.group()
                and not addr.levels
                and ":" not in written
                # 'Hebrew Bible, Deuteronomy, 3.23 (…)': chapter.verse (but 'Genesis, 3.5 million' is a count)
                and not (_DOTTED_VERSE.match(written) and not _FOLLOWED_BY_WORD.match(norm, cut))
                # 'Anon., Sifre Deuteronomy, 26' ending its line: a heading's place, nothing counted
                and not (cut == addr.cuts[-1] and _LINE_ENDS.match(norm, cut))
            )
            if comma_lead and not title.talmud and not re.search(r"\d[ab]\b", written):
                continue  # 'Job, 7 times over': after a comma a place says what it is
        elif plus:
            if norm[cut : cut + 1] != "+":
                continue
        elif paren_lead:
            # a chapter ('(פרק א)', '(פ"א)'), not 'במדבר (פסוק ה)': 'in the desert (verse 5)'
            marked = _HE_CHAPTER_LETTER.match(written) is not None or written.lstrip(" \t(").startswith(
                "פרק "
            )
            if (
                (len(addr.cuts) < 2 and not marked)
                or cut != addr.cuts[-1]
                or not (_CLOSE.match(norm, cut) or (marked and _HE_PAGE_OR_COMMENT.match(norm, cut)))
            ):
                # 'שבת (לב, א)', 'באבות (ו ה)': a whole place in the parentheses; 'שבת (ב)' is a note
                # mark, but 'תומר דבורה (פ"א ד"ה הז')' a chapter and the words its comment opens with
                continue
        elif (
            not in_parens
            and not _he_looks_like_address(written, addr.levels > 0)
            and not _he_line_of_its_own(norm, start, cut)
            and not (cut != addr.cuts[0] and _he_dash_gloss(norm, start, cut))
        ):
            continue
        hyphen = (
            _HE_PAREN_HYPHEN.match(written)
            if hebrew and norm[start - 1 : start] == "(" and _CLOSE.match(norm, cut)
            else None
        )
        for t in titles:
            found = None
            if hyphen is not None and isinstance(t.entry, Work) and t.entry.kinds[0] == "chapter":
                # '(דברים יב-יז)': the whole parentheses a book and two bare numbers joined by a hyphen are
                # its chapter and verse, as the parser reads the form ('(ספר X-Y)', refs.footnotes)
                found = _try_parse(t.alias, f"{hyphen[1]}, {hyphen[2]}")
                if found is not None and len(found[0].sections) < 2:
                    found = None
            if found is None and hebrew and cut == addr.cuts[-1] and len(addr.cuts) == 3:
                found = _two_verses(t, norm, written, cut)
            if found is None:
                found = _try_parse(t.alias, written.replace("(", " ").replace(")", " "))
            if found is None:
                continue
            ref, alternatives = found
            if not ref.sections and not (
                isinstance(t.entry, Group) and t.entry.numbered_parts and ref.work.group == t.entry.name
            ):
                continue  # a title alone; but 'Duties of the Heart 4' is its fourth treatise
            if alternatives and _parts_unnamed(t.entry, ref, alternatives):
                continue  # 'שו"ע סי' צ סעיף כא': a part not named, for `_partless` and the text to choose
            if paren_lead and ref.work is not t.entry:
                continue  # 'במדרש קהלת (רבה ז, יג)': a word in the parentheses that names another work
            span_end = cut
            if written[-1:] in ".:" and _try_parse(t.alias, written[:-1]) == (ref, alternatives):
                span_end -= 1  # 'פרק מ"ו.': the sentence's period, not an amud
            close = _CLOSE.match(norm, cut)
            if close is not None and lead is not None and "(" in lead.group():
                span_end = close.end()
            word_start = start
            if hebrew:
                while word_start > 0 and norm[word_start - 1] in _HE_PREFIXES and start - word_start < 3:
                    word_start -= 1
            elif t.alias[:1].isdigit() or t.alias.split()[0] in _ORDINAL_WORDS:
                word_start = ordinal_start
            return _Cand(
                word_start,
                span_end,
                "ref",
                ref,
                t.entry,
                hebrew=hebrew,
                alternatives=alternatives,
                guarded=guard,
            )
    return None


_HE_THREE_NUMBERS = re.compile(
    rf"[ \t(]*(?P<c>{_HE_NUM})[ \t]+(?P<v>{_HE_NUM})(?:[ \t]+|(?P<comma>[ \t]*,[ \t]*))(?P<w>{_HE_NUM})[ \t]*$"
)


def _two_verses(title: _Title, norm: str, written: str, cut: int) -> tuple[Any, list[str]] | None:
    """'(דברים לב מט נ)': a book of chapters and verses and three bare numbers closing the parentheses
    are its chapter and two verses, when the second verse follows the first (32:49-50); other numbers
    stay the chapter and its first verse."""
    m = _HE_THREE_NUMBERS.match(written)
    if m is None or not _CLOSE.match(norm, cut) or not isinstance(title.entry, Work):
        return None
    if title.entry.kinds[:2] != ("chapter", "verse"):
        return None
    if m["comma"]:
        # '(דברים לג כ,כב)': a chapter and a list of verses; the first verse is the place, when the
        # second comes after it in the same chapter (not 'לג כ, כב' read as a third level)
        first, second = (
            _try_parse(title.alias, f"{m['c']} {m['v']}"),
            _try_parse(title.alias, f"{m['c']} {m['w']}"),
        )
        if first is None or second is None or first[1] or second[1]:
            return None
        if len(first[0].sections) != 2 or second[0].sections[1] <= first[0].sections[1]:
            return None
        return first
    found = _try_parse(title.alias, f"{m['c']} {m['v']}-{m['w']}")
    if found is None or found[1] or not found[0].is_range:
        return None
    start, end = found[0].sections, found[0].end
    if len(start) != 2 or len(end) != 2 or start[0] != end[0] or end[1] != start[1] + 1:
        return None
    return found


def _parts_unnamed(entry: Any, ref: Any, alternatives: list[str]) -> bool:
    """Whether the readings of a citation are its book's parts ('S"A 90:21': one in each part of the
    Shulchan Arukh), the part not written."""
    if not isinstance(entry, Group) or ref.work.group != entry.name:
        return False
    readings = [_parse_in(a) for a in alternatives]
    return all(r is not None and r.work.group == entry.name for r in readings)


_ON_BASE = re.compile(r"[ \t]+(?:על|on)[ \t]+")


def _base_named(norm: str, pos: int, title: _Title) -> int:
    """'משנה ברורה על אורח חיים תרל', 'Mishnah Berurah on Orach Chayim 630': a commentary's title
    followed by the work it is on, then the address it shares with it; where that work's name ends (0
    when the words are not its base)."""
    base = _follows(title.entry) if isinstance(title.entry, Work) else None
    base = base or getattr(title.entry, "base", None)
    if not base:
        return 0
    for a, b, titles in _title_scan(norm[pos : pos + 40]):
        if a == 0 and any(getattr(t.entry, "title", None) == base for t in titles):
            return pos + b
    return 0


_EN_LEAD = re.compile(
    r"\.?(?:\"(?=[ \t]*\d))?(?:[ \t]*\([^()\n\d]{1,40}\))?(?:[ \t]*,(?![ \t]*[,:]))?(?:[ \t]*-(?=[ \t]*\d))?(?:[ \t]*\()?"
    r"(?:[ \t]*#(?=\d))?"  # 'Likutey Moharan #6:1': a number sign before the address
    r"(?:[ \t]*(?:around|approximately|circa|ca\.)[ \t]+(?=\d))?"  # 'Massechet Berakhot (around 31a)'
)
# '(' opens a place when the parentheses close soon, or when the place in them is followed by an
# edition's page or a comment's opening words ('(פ"א ד"ה הז' ישוב ירחמנו)')
_HE_LEAD = re.compile(
    r"[ \t]*,?(?:[ \t]*\((?=[^()\n]{1,20}\)|[^()\n]{1,14}?[ \t,](?:עמ'|עמוד|ד\"ה|בד\"ה|וד\"ה)(?![א-ת])))?"
)
_LINE_ENDS = re.compile(r"[ \t]*(?:\n|$)")
_DOTTED_VERSE = re.compile(r"[ \t]*\d{1,3}\.\d{1,3}$")
_CLOSE = re.compile(r"[ \t]*\)")
_HE_PAREN_HYPHEN = re.compile(r"[ \t]*([א-ת]{1,3})-([א-ת]{1,3})[ \t]*$")
_ORDINAL_WORDS = frozenset(["1st", "2nd", "first", "second", "i", "ii"])
_ORDINAL_BEFORE = re.compile(r"(?:^|(?<=[\s(\[]))(1st|2nd|first|second|i{1,2}|[12])\.?[ \t]+$")


def _ordinal_title(
    norm: str, start: int, end: int, titles: tuple[_Title, ...]
) -> tuple[tuple[_Title, ...], int]:
    """'Second Kings 3:4', '1st Sam. 2': an ordinal before a book's name says which book; the span
    then starts at the ordinal."""
    m = _ORDINAL_BEFORE.search(norm, max(0, start - 8), start)
    if m is None:
        return titles, start
    ordinal = m.group(1)
    name = norm[start:end]
    try:
        work = parse(f"{ordinal} {name} 1").work
    except RefError:
        return titles, start
    if work.category != "Tanakh" or any(t.entry is work for t in titles):
        return titles, start
    return (_Title(f"{ordinal} {name}", work, False, True, False), *titles), m.start(1)


# 'Genesis 1:1; 2:3', 'Job 8:7, 9 and 12', 'Berakhot 5a; 6b', 'Exod 1:1, verses 3 and 5'.
_CONTINUATION = re.compile(
    r"(?P<sep>[ \t]*[;,][ \t]*(?:and[ \t]+|&[ \t]*)?|[ \t]+(?:and|&|or)[ \t]+)(?P<lvl>(?:verses?|vv?\.|vs\.)[ \t]*)?"
    r"(?P<addr>\d{1,4}[ab]?(?::\d{1,4}[ab]?)*(?:[ \t]*-[ \t]*\d{1,4}[ab]?(?::\d{1,4}[ab]?)*)?)(?![\w:])"
)
_DOTTED_NEXT = re.compile(r"\.(\d{1,3})(?![\w:.])")
# A bare number continues a list only where the list visibly goes on or ends: "9," "9)" "9." "9 and",
# "12:7,12 - Danny" (a dash set off by spaces: a signature or an aside follows, not a count)
_LIST_GOES_ON = re.compile(r"[ \t]*(?:[;,.)\]]|(?:and|&)[ \t]|\n|$)|[ \t]+[-–—][ \t]")
_HE_CONTINUATION = re.compile(r"[ \t]*;[ \t]*(?=[א-ת])")


_COUNTED = re.compile(r"[ \t]+(?:times|people|men|women|years|days|verses|chapters|words|letters|of)\b")


def _after_a_range(norm: str, ref: Any, addr: str, addr_end: int) -> bool:
    """'Isaiah 42:6–7, 16 echoes': a number after a range of verses, past its end, is one more verse of
    the chapter even with words after it (a count follows a single place: 'Job 8:7, 12 times')."""
    if not ref.is_range or not addr.isdigit() or _COUNTED.match(norm, addr_end):
        return False
    end = ref.end
    return len(end) == len(ref.sections) and end[:-1] == ref.sections[:-1] and int(addr) > end[-1]


def _continuations(norm: str, end: int, ref: Any, title: str) -> list[_Cand]:
    out: list[_Cand] = []
    work = ref.work
    while True:
        m = _CONTINUATION.match(norm, end)
        if m is None:
            return out
        addr = m.group("addr").replace(" ", "").replace("\t", "")
        addr_end = m.end("addr")
        dot = _DOTTED_NEXT.match(norm, addr_end)
        if (
            dot is not None
            and ":" not in addr
            and "-" not in addr
            and work.kinds[0] != "daf"
            and not _FOLLOWED_BY_WORD.match(norm, dot.end())
        ):
            addr, addr_end = f"{addr}:{dot.group(1)}", dot.end()  # 'Numbers, 11.16, 15.31': 15:31
        head = addr.split("-")[0]
        daf = work.kinds[0] == "daf" and head[-1] in "ab"
        depth = head.count(":") + 1
        verses = m.group("lvl") is not None
        if daf or (depth == len(ref.sections) and (":" in head or depth == 1) and not verses):
            text = f"{title} {addr}"  # a full place: '2:3', '6b', or a chapter of a one-level ref
        elif (
            depth < len(ref.sections)
            and work.kinds[0] != "daf"
            and (verses or _LIST_GOES_ON.match(norm, addr_end) or _after_a_range(norm, ref, addr, addr_end))
        ):
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
            and not verses
            and not _LIST_GOES_ON.match(norm, addr_end)
            and not _after_a_range(norm, ref, addr, addr_end)
        ):
            return out
        try:
            nxt = parse(text)
        except RefError:
            return out
        out.append(_Cand(m.start("lvl") if verses else m.start("addr"), addr_end, "ref", nxt, work))
        end, ref = addr_end, nxt


def _he_continuations(norm: str, end: int, ref: Any, title: str) -> list[_Cand]:
    """'(ויקרא טז,כט; כג,כח)': more places in the work just cited, after a semicolon."""
    out: list[_Cand] = []
    while True:
        m = _HE_CONTINUATION.match(norm, end)
        if m is None:
            return out
        if any(a == 0 for a, _b, _t in _title_scan(norm[m.end() : m.end() + 40])):
            return out  # '; מ"ב ס"ק ג': a work's name (the Mishnah Berurah), not siman 42
        addr = _address(norm, m.end(), True)
        if addr is None:
            return out
        for cut in reversed(addr.cuts):
            written = norm[m.end() : cut]
            if not _he_looks_like_address(written, addr.levels > 0):
                continue
            found = _try_parse(title, written)
            if found is not None and found[0].sections:
                out.append(_Cand(m.end(), cut, "ref", found[0], ref.work, hebrew=True))
                end, ref = cut, found[0]
                break
        else:
            return out


# Bare addresses: 'ch. 3', 'Chapters 51-3', 'daf 22', 'verse 4', 'פרק ג', 'ובסימן ה'.
_BARE_EN = re.compile(
    r"(?<![a-z.])(?P<lvl>chapters?|chaps?\.|chs?\.|ch(?=[ \t]*\d)|perek|siman|daf|folio|halach(?:a|ah)|halakh(?:a|ah)|verses?|vv?\.|vs\.|lessons?|mishnah?|law)"
    r"[ \t]*#?(?P<nums>\d{1,4}[ab]?(?:[ \t]*-[ \t]*\d{1,4}[ab]?)?(?:(?:[ \t]*(?:,[ \t]*(?:and|&)?|and|&)[ \t]*)\d{1,4}[ab]?(?![\w:]))*)(?!\w|:[ \t]*\d)"  # '(Vs. 28a:)': a colon after, no number
)
# 'Gate 1, 10', 'Gate 2:5', 'Gate 3': a gate (and paragraph) of the work by gates the text is on
_BARE_GATE_EN = re.compile(
    r"(?<![a-z.])gate[ \t]+(?P<g>\d{1,2})(?:[ \t]*[,:][ \t]*(?:(?:paragraph|para\.|section|no\.|§)[ \t]*)?"
    r"(?P<p>\d{1,3})(?!\d|:\d))?(?!\w|:\d)"
)
# 'v. 5:23', 'verses 3:4-6', 'chapter 5:23' with no book: a chapter and verse of the book cited before
_BARE_ADDRESS_EN = re.compile(
    r"(?<![a-z.])(?:verses?|vv?\.|vs\.|chapter|ch\.)[ \t]*(?P<addr>\d{1,3}:\d{1,3}(?:[ \t]*-[ \t]*\d{1,3})?)(?!\w|:[ \t]*\d)"  # 'Verses 40:1-2: God made'
)
# 'Chapter 1 Mishna 11', 'Chapter 2, Halachah 1' with no work: the chapter and its mishnah (halakha) of the
# work the page is about
_BARE_CHAPTER_AND_EN = re.compile(
    r"(?<![a-z.])(?:chapter|ch\.|perek)[ \t]*(?P<ch>\d{1,3})[ \t]*,?[ \t]*"
    r"(?:mishnah?|halach(?:a|ah)|halakh(?:a|ah))[ \t]*(?P<n>\d{1,3})(?![0-9a-z]|:\d)"
)
_AMUD_AFTER_WORD = re.compile(
    r"(?<![a-z])(?:in|on|at|see|cf\.|until|till|from|to)[ \t]+(?P<addr>\d{1,3}[ab])(?![\w:]|[ \t]*[-–]?[ \t]*\d)"
)
_AMUD_DIGITS = re.compile(r"(?<=[ \t])\d{1,3}[ab](?![\w:])")
_AMUD_WORD_LONGEST = len("until") + 1  # the longest word `_AMUD_AFTER_WORD` takes, and a space


def _amuds_after_a_word(norm: str) -> Iterator[re.Match[str]]:
    """`_AMUD_AFTER_WORD.finditer(norm)`, found from the amuds back: a text has few of them, and the
    pattern's short words ('in', 'on', 'to') begin at nearly every word."""
    match = _AMUD_AFTER_WORD.match
    for d in _AMUD_DIGITS.finditer(norm):
        at = d.start()
        gap = at
        while gap > 0 and norm[gap - 1] in " \t":
            gap -= 1
        for i in range(max(0, gap - _AMUD_WORD_LONGEST), gap):
            m = match(norm, i)
            if m is not None and m.start("addr") == at:
                yield m
                break


_PEREK_HE_NUM = re.compile(
    r"(?<![a-z])perek[ \t]+(?P<ch>[א-ת]{1,3})(?:[ \t]*,?[ \t]*(?:pasuk|posuk|passuk)[ \t]+(?P<v>[א-ת]{1,3}))?(?![א-ת\"'])"
)
# 'בספר השני בסימן ח', 'חלק ראשון סימן ה': the part of the book a bare place is in
_HE_PART_BEFORE = re.compile(
    r"(?:^|(?<=[\s(\[,]))ו?ב?(?:ספר|חלק)[ \t]+(?P<n>ה?ראשון|ה?שני|ה?שלישי|א'|ב'|ג')[ \t]*,?[ \t]+$"
)
_HE_PART_NUMBERS = {"ראשון": 1, "שני": 2, "שלישי": 3, "א'": 1, "ב'": 2, "ג'": 3}
_BARE_HE = re.compile(
    rf"(?:(?<![א-ת\"'])|(?<=(?<![א-ת\"'])''))(?:ו?ב?|ל)(?P<lvl>פרק|סימן|סי'|סעיף|דף|פסוק|מזמור|הלכה)[ \t]+(?P<nums>{_HE_NUM}(?:[ \t]*-[ \t]*{_HE_NUM})?)(?![א-ת\"'])"
    r"(?:[ \t]*,?[ \t]*(?:עמוד|ע[\"'])[ \t]*(?P<amud>[אב])['\"]?(?![א-ת]))?"
    # 'סימן תרכ"ט סי"ד', "סי' ע"ט ס"ב": a siman and its seif (ס"ק, the seif katan, is a commentary's own)
    # 'סימן י"ז סק"ה': the seif katan of the commentary the page is (not seif ק"ה, 105, nor ס"ק seif 100)
    r"(?:[ \t]+(?:ס\"ק[ \t]+(?P<k1>[א-ת]{1,2}(?:\"[א-ת])?)'?|סק\"(?P<k2>[א-ת])"
    r"|ס\"(?P<s1>[א-פצר-ת])|ס(?!ק\")(?P<s2>[א-ת])\"(?P<s3>[א-ת])|סעיף[ \t]+(?P<s4>[א-ת]{1,2}(?:\"[א-ת])?))(?![א-ת\"']))?"
)


# '(מא: שליש תחתון - מב. סוף פרק היו בודקין)': from a daf's amud (':' the second, '.' the first) to
# another's, with words on where in the amud, opening the parentheses
_HE_LIST_NUMBER = re.compile(rf"[ \t]+(?P<n>{_HE_NUM})(?![א-ת\"'])")


def _more_simanim(norm: str, end: int) -> list[_Cand]:
    """'בסימן כ"ה כ"ו תי"ז תי"ח': after a siman, two or more numbers more, each marked as a numeral, are
    more simanim (three numbers are no siman and seif); the numbers that follow one siman otherwise
    are read as they were."""
    found: list[tuple[int, int, str]] = []
    pos = end
    while (m := _HE_LIST_NUMBER.match(norm, pos)) is not None:
        n = m.group("n")
        if ('"' not in n and not n.endswith("'")) or n in _HE_IBID_WORDS or n in _HE_ABBREVIATION_WORDS:
            break
        found.append((m.start("n"), m.end("n"), n))
        pos = m.end()
    if len(found) < 2 or _HE_LIST_NUMBER.match(norm, pos) is not None:
        return []
    return [_Cand(start, stop, "bare", level="siman", addr=n, hebrew=True) for start, stop, n in found]


_HE_PAREN_DAF_RANGE = re.compile(
    r"\((?P<a>[א-ת]{1,3})(?P<am>[.:])(?:[ \t]+[א-ת\"']+){0,4}[ \t]*-[ \t]*(?P<b>[א-ת]{1,3})(?P<bm>[.:])"
    r"(?:[ \t]+[^()\n]{0,60})?\)"
)


def _he_amud_range(m: re.Match[str]) -> str | None:
    from madrega.text.numerals import from_hebrew

    try:
        a, b = from_hebrew(m.group("a")), from_hebrew(m.group("b"))
    except MadregaError:
        return None
    side = {".": "a", ":": "b"}
    return f"{a}{side[m.group('am')]}-{b}{side[m.group('bm')]}" if a <= b else None


@cache
def _spelt_chapter_line() -> re.Pattern[str]:
    """'CHAPTER ELEVEN' alone on its line: a chapter heading, its number in words."""
    cardinals = _alternation(list(words().chapter_cardinals))
    return re.compile(rf"(?m)^[ \t]*(?P<lvl>chapter)[ \t]+(?P<n>{cardinals})[ \t:.]*$")


@cache
def _spelt_chapter_in_text() -> re.Pattern[str]:
    """'Chapter two begins with the editor of the Mishnah' after 'Pirke Avot': a chapter, its number in words,
    opening a paragraph's first sentence (of the work named before it); 'in chapter twelve of it' inside a
    sentence is prose, not read."""
    cardinals = _alternation(list(words().chapter_cardinals))
    return re.compile(rf"(?m)^[ \t]*(?P<lvl>chapter)[ \t]+(?P<n>{cardinals})(?=[ \t]+[a-z])")


# 'Halachah 4:10': a chapter and its halakha of the laws the text is on
_BARE_HALAKHA = re.compile(
    r"(?<![a-z.])(?:halach(?:a|ah)|halakh(?:a|ah))[ \t]+(?P<addr>\d{1,3}:\d{1,3}(?:[ \t]*-[ \t]*\d{1,3})?)(?!\w|:[ \t]*\d)"  # 'Verses 40:1-2: God made'
)
_PAREN_DAF = re.compile(r"\((?P<addr>\d{1,3}[ab](?:[ \t]*-[ \t]*\d{1,3}[ab])?)\)")
_LIST_ITEM = re.compile(r"\d{1,4}[ab]?(?:[ \t]*-[ \t]*\d{1,4}[ab]?)?")
_HE_LEVEL = {
    "פרק": "chapter",
    "מזמור": "psalm",  # a mizmor is a psalm whatever work was cited before
    "סימן": "chapter",
    "סי'": "chapter",
    "סעיף": "seif",
    "דף": "daf",
    "פסוק": "verse",
    "הלכה": "halakha",
}
# 'ibid.', 'ib.'; 'op. cit.', 'loc. cit.': the place cited last
_IBID_EN = re.compile(r"(?<![a-z])(?:ib(?:id)?\.?|(?:op|loc)\.?[ \t]?cit\.?)(?=[\s,;:)\]]|$)")
_IBID_HE = re.compile(r"(?<![א-ת\"'])שם(?![א-ת\"'])")
# '(240:1)', '(see 240:2-3,7-8;242:35)', '(5:1)': an address alone in parentheses, of the work the text is
# about; each item of its list its own place ('7-8' after '240:2-3,' is 240:7-8). In brackets too: 'and it
# is written [10:2]'.
_PAREN_ADDRESSES = re.compile(
    r"(?:\((?:(?:see|cf\.?|comp\.?|also)[ \t]+)?|\[)(?P<list>\d{1,3}:\d{1,3}(?:[ \t]*-[ \t]*\d{1,3})?"
    r"(?:[ \t]*[,;][ \t]*(?:\d{1,3}:)?\d{1,3}(?:[ \t]*-[ \t]*\d{1,3})?)*)[ \t]*[)\]]"
)
_ADDRESS_ITEM = re.compile(r"(?:(?P<ch>\d{1,3}):)?(?P<v>\d{1,3}(?:[ \t]*-[ \t]*\d{1,3})?)")
_LINE_HE_NUMERAL = re.compile(r"(?m)^[ \t]*(?P<addr>[א-ת]{1,3})[ \t]*$")
_LINE_HE_BRACED = re.compile(r"(?m)(?<=^)[ \t]*\{(?P<addr>[א-ת]{1,3})\}")
_LINE_EN = re.compile(r"(?m)^[ \t]*(?P<addr>\d{1,3}[ab]?)(?=:[ \t])")
# '18:1 “Hashem appeared...' opening a note under 'Genesis 18:1 – 18:16': a verse of the passage the notes are on
_LINE_VERSE_EN = re.compile(r"(?m)^[ \t]*(?P<addr>\d{1,3}:\d{1,3})(?=[ \t]+[^\d\s:])")
_LINE_EN_FULL = re.compile(r"(?m)^[ \t]*(?P<addr>\d{1,3}:\d{1,3})(?=[ \t]+[a-z])")
_MIDRASH_RABBAH_EN = re.compile(r"(?<![a-z])m[ei]drash[ \t]+rabb?ah?(?![a-z])")


def _rabbah_heading(norm: str, cands: list[_Cand]) -> None:
    """'Doreish Tov on Medrash Rabbah / Parashas Bereishis': a book of the Torah (or a Megillah) named in a
    heading that names the Midrash Rabbah is that book's Rabbah (Bereshit Rabbah), for what follows."""
    m = _MIDRASH_RABBAH_EN.search(norm, 0, 300)
    if m is None:
        return
    for c in cands:
        if c.kind == "mention" and c.start < 300 and getattr(c.entry, "category", "") == "Tanakh":
            ref = _parse_in(f"{c.entry.title} Rabbah 1")
            if ref is not None and ref.work.category != "Tanakh":
                c.entry = ref.work
                c.persistent = True


_LINE_HE = re.compile(r"(?m)^[ \t]*(?P<addr>[א-ת]{1,3}[ \t]*[,:][ \t]*[א-ת]{1,3})(?=[ \t])")
_SPELT = re.compile(
    r"(?<![\w.])([A-Z][a-z]{3,11})\.?[ \t]+(\d{1,3}:\d{1,3}(?:[ \t]*-[ \t]*\d{1,3})?)(?![\w:])"
)


@cache
def _ordinal_title_re() -> re.Pattern[str]:
    names = _alternation(list(words().ordinal_titles))
    return re.compile(rf"(?<![a-z])(?:the[ \t]+)?(\d{{1,3}})(?:st|nd|rd|th)[ \t]+({names})(?![a-z])")


@cache
def _ordinal_title_gate() -> re.Pattern[str]:
    """What every match of `_ordinal_title_re` holds ('rd Psalm'), found by its first letters in C: a
    text without it is not read for the whole pattern, which `re` tries at every place."""
    names = _alternation(list(words().ordinal_titles))
    return re.compile(rf"(?:st|nd|rd|th)[ \t]+(?:{names})(?![a-z])")


def _misspelt(name: str, address: str) -> Any | None:
    """A capitalized word before a chapter and verse that spells one book of the Tanakh (by the
    parser's rules for names, short of letters in order) is that book."""
    book = _misspelt_book(name)
    return None if book is None else _parse_in(f"{book.title} {address}")


@lru_cache(maxsize=4096)
def _misspelt_book(name: str) -> Work | None:
    """The one book of the Tanakh a capitalized word spells, or None; remembered, since a text
    repeats its words ('Metzia', 'Kamma' before a chapter and verse) and the reading costs a millisecond."""
    from madrega.refs import names

    found = names.bible_book(f"{name} 1:1")
    if found is None:
        return None
    candidates, _ = found
    if len(candidates) != 1 or candidates[0].level > 2 or not isinstance(candidates[0].book, Work):
        return None
    return candidates[0].book


_RAMBAM_BEFORE = re.compile(r"(?<![א-ת])(?:ו?ה?רמב[\"״]ם|ו?מיי['׳]|ו?ה?מיימוני)[ \t]*$")
_HE_WORDS_BEFORE = re.compile(r"(?:^|(?<=[\s(\[\-]))((?:[א-ת\"']+[ \t]+)?[א-ת\"']+)[ \t]*,?[ \t]+$")


def _commentary_before(norm: str, cite: _Cand, paren: bool = False) -> _Cand:
    """'רש"י, בראשית לז:ד', 'מצודת דוד, משלי י:יח': a commentator named before the verse cites his
    comment on it (Rashi on Genesis 37:4), not the verse. With `paren`, also before the parentheses
    the citation opens ('וברש"י (שם)')."""
    end = cite.start
    if paren and end > 0 and norm[end - 1] == "(":
        end -= 1
    m = _HE_WORDS_BEFORE.search(norm, max(0, end - 24), end)
    if m is None:
        return cite
    words_ = m.group(1).split()
    for k in range(len(words_)):
        name = " ".join(words_[k:])
        if name in ("שם", "ראה", "עיין", "כמו", 'כמ"ש', "וכן", "ועיין", "וראה"):
            continue
        ref = _parse_in(f"{name} על {cite.ref.he()}")
        if ref is None and norm[cite.start] == "ל" and cite.ref.work.category == "Tanakh":
            # 'במכילתא לשמות י"ב מ'': a midrash on the book, cited by the book's chapter and verse
            bare = name[1:] if name[:1] in "בו" and len(name) > 3 else name
            ref = _parse_in(f"{bare} {':'.join(str(n) for n in cite.ref.sections)}")
            if ref is not None and not (
                ref.work.category == "Midrash" and ref.work.kinds == cite.ref.work.kinds
            ):
                ref = None
            if ref is not None:
                return _Cand(cite.start - len(name) - 1, cite.end, "ref", ref, ref.work, hebrew=True)
        if ref is not None and ref.work.base == cite.ref.work.title:
            return _Cand(
                m.start(1) + len(" ".join(words_[:k])) + (1 if k else 0),
                cite.end,
                "ref",
                ref,
                ref.work,
                hebrew=True,
            )
    return cite


_EN_WORDS_BEFORE_BRACKET = re.compile(r"((?:[a-z][a-z'’\-]*[ \t]+){0,2}[a-z][a-z'’\-]*)[ \t]*[\[(,][ \t]*$")


def _en_commentary_before(norm: str, cite: _Cand) -> _Cand:
    """'Ramban [Exodus 13:16]', 'Rashi (Gen. 1:1)', 'Sforno, Bereishit 1:1': a commentator named right
    before a verse in brackets or parentheses or after a comma cites his comment on it (a work whose
    base is the verse's book), not the verse."""
    if cite.ref.work.category != "Tanakh":
        return cite
    m = _EN_WORDS_BEFORE_BRACKET.search(norm, max(0, cite.start - 40), cite.start)
    if m is None:
        return cite
    words_ = m.group(1).split()
    for k in range(len(words_)):
        ref = _parse_in(f"{' '.join(words_[k:])} on {cite.ref}")
        if ref is not None and ref.work.base == cite.ref.work.title:
            start = m.start(1) + len(" ".join(words_[:k])) + (1 if k else 0)
            return _Cand(start, cite.end, "ref", ref, ref.work)
    return cite


_SPELT_DAF = re.compile(
    r"(?<![\w.'])((?:[A-Z][a-z']+[ \t]){0,2}[A-Z][a-z']{2,})[ \t]+(\d{1,3}[ab](?:[ \t]*-[ \t]*(?:\d{1,3})?[ab])?)(?![\w:])"
)


def _misspelt_daf(text: str, m: re.Match[str], offsets: array | None) -> _Cand | None:
    """Capitalized words before a daf and amud that loosely spell a tractate's name (by the catalog's
    loose keys: 'Kamah' ~ 'Kamma', 'Metziah' ~ 'Metzia') are that tractate; the longest run that does."""
    words_ = m.group(1).split()
    for k in range(len(words_)):
        name = " ".join(words_[k:])
        key = name_key(name)
        if catalog().exact(key) is not None:
            return None  # a title the automaton read (or refused) as written
        entry = catalog().lookup_key(key)
        if not isinstance(entry, Work):
            # 'Moed Kuttun 16b': a spelling loose enough to be the Mishnah's tractate too is, before a daf
            # and amud, the Gemara's ('Gemara Moed Kuttun')
            entry = catalog().lookup_key(name_key(f"Gemara {name}"))
        if isinstance(entry, Work) and entry.kinds[0] == "daf" and entry.category == "Talmud":
            ref = _parse_in(f"{entry.title} {m.group(2)}")
            if ref is None:
                return None
            start = m.start(1) + len(" ".join(words_[:k])) + (1 if k else 0)
            return _Cand(_norm_pos(offsets, start), _norm_pos(offsets, m.end()), "ref", ref, entry, score=0.8)
    return None


_PARASHA_AFTER = re.compile(
    r"[ \t]*[,:]?[ \t]+(?:(?:on[ \t]+)?par(?:a)?sh(?:at|as|ah|a)?[ \t]+)?((?:[a-z'\-]+[ \t]?){1,3})"
)
_PARASHA_BEFORE = re.compile(
    r"(?:^|\n)[ \t]*(?:parash(?:at|as|ah|a)?[ \t]+)?((?:[a-z'\-]+[ \t]){0,2}[a-z'\-]+)[ \t]*:[ \t]*$"
)


@cache
def _he_parasha_after() -> re.Pattern[str]:
    """'קדושת לוי, פינחס', 'קדושת לוי המלא, פרשת פינחס': after a Hebrew title a portion's name needs a
    comma or the word פרשת (Hebrew names are words too); an edition's word ('המלא') may stand between."""
    editions = _alternation(list(words().he_editions))
    return re.compile(
        rf"(?:[ \t]+(?:{editions}))?(?:[ \t]*,[ \t]*(?:ב?פרשת[ \t]+)?|[ \t]+ב?פרשת[ \t]+)((?:[א-ת'\"]+[ \t]?){{1,3}})"
    )


@cache
def _portion_first_words() -> frozenset[str]:
    """The first two letters of every weekly portion's key, exact and loose: most words after a title
    start otherwise, and are no portion."""
    from madrega.refs import portions

    exact, loose = portions.portion_names()
    return frozenset([*(k[:2] for k in exact), *(k[:2] for k in loose)])


@lru_cache(maxsize=8192)
def _names_a_portion(words_: str, firsts: frozenset[str]) -> bool:
    """Whether `words_` (stripped) is a weekly portion's name (`_by_parasha`: prose repeats the words
    after a title, each read once)."""
    from madrega.refs import portions

    key = name_key(words_)
    if key[:2] not in firsts and _loose_key(key)[:2] not in firsts:
        return False
    return portions.portion(words_) is not None


def _by_parasha(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'Kedushat Levi, Pinchas', 'Bechukotai: Degel Machane Ephraim' (a heading): a work whose parts
    are the weekly portions, cited by a portion's name after it, or before it at a line's start."""

    firsts = _portion_first_words()

    def part(words_: str) -> Any | None:
        words_ = words_.strip()
        if not _names_a_portion(words_, firsts):
            return None  # only a weekly portion's name: not any word after the title
        try:
            ref = parse(f"{title.alias}, {words_}")
        except RefError:
            return None
        return ref if ref.work.group == title.entry.name else None

    m = (_he_parasha_after() if title.hebrew else _PARASHA_AFTER).match(norm, end)
    if m is not None:
        names = m.group(1).split()
        for k in range(len(names), 0, -1):
            ref = part(" ".join(names[:k]))
            if ref is not None:
                stop = m.start(1) + len(" ".join(names[:k]))
                return _Cand(start, stop, "ref", ref, ref.work, persistent=True)
    b = None if title.hebrew else _PARASHA_BEFORE.search(norm, max(0, start - 40), start)
    if b is not None:
        ref = part(b.group(1))
        if ref is not None:
            return _Cand(b.start(1), end, "ref", ref, ref.work, persistent=True)
    return None


@cache
def _chapter_before_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """'the first perek of', 'the 3rd chapter of', 'chapter two of'; 'פרק ראשון של', 'בפרק ג' מ': a
    chapter named before its work, by an ordinal or a number."""
    w = words()
    ordinals = _alternation(list(w.chapter_ordinals))
    cardinals = _alternation(list(w.chapter_cardinals))
    level = r"(?:chapter|chap\.|ch\.|perek|pereq)"
    en = re.compile(
        rf"(?:^|(?<=[\s(\[]))(?:(?:the[ \t]+)?(?P<ord>{ordinals}|\d{{1,3}}(?:st|nd|rd|th))[ \t]+{level}"
        rf"|{level}[ \t]+(?P<num>\d{{1,3}}|{cardinals}))[ \t]+(?:of|in)[ \t]+(?:the[ \t]+)?$"
    )
    he_ordinals = _alternation(list(w.he_chapter_ordinals))
    he = re.compile(
        rf"(?:^|(?<=[\s(\[]))[ובלמ]{{0,2}}ה?פרק[ \t]+(?P<ord>{he_ordinals}|[א-ת](?:['\"]|[א-ת]?['\"][א-ת])?)"
        r"[ \t]+(?:של[ \t]+)?[מבדל]?$"
    )
    return en, he


def _chapter_named_before(norm: str, start: int, end: int, titles: tuple[_Title, ...]) -> _Cand | None:
    """'the first perek of Hilchos Teshuva' is its chapter 1, 'chapter two of Genesis' Genesis 2,
    'בפרק שני של הלכות תשובה' chapter 2: in a work whose first level is the chapter."""
    hebrew = titles[0].hebrew
    found = _chapter_before(norm, start, hebrew)
    if found is None:
        return None
    at, value = found
    for t in titles:
        ref = _parse_in(f"{t.alias} {value}")
        if ref is not None and ref.work.kinds[0] == "chapter" and len(ref.sections) == 1:
            return _Cand(at, end, "ref", ref, t.entry, hebrew=hebrew)
    return None


@cache
def _gate_before_re() -> re.Pattern[str]:
    """'Gate 6 of', 'the fourth gate of', 'Treatise 2 of': a gate or treatise named before its book."""
    w = words()
    ordinals = _alternation(list(w.chapter_ordinals))
    cardinals = _alternation(list(w.chapter_cardinals))
    level = r"(?:gate|treatise|sha'?ar|sha’ar)"
    return re.compile(
        rf"(?:^|(?<=[\s(\[]))(?:(?:the[ \t]+)?(?P<ord>{ordinals}|\d{{1,2}}(?:st|nd|rd|th))[ \t]+{level}"
        rf"|{level}[ \t]+(?P<num>\d{{1,2}}|{cardinals}))[ \t]+of[ \t]+(?:the[ \t]+)?$"
    )


def _gate_named_before(norm: str, start: int, end: int, titles: tuple[_Title, ...]) -> _Cand | None:
    """'Gate 6 of Chovos Halevavos' is its sixth treatise, 'the second gate of Shaarei Teshuvah' gate 2:
    in a book of numbered treatises or a work whose first level is the gate."""
    if titles[0].hebrew or _OF_BEFORE.search(norm, max(0, start - 30), start) is None:
        return None
    m = _gate_before_re().search(norm, max(0, start - 40), start)
    if m is None:
        return None
    w = words()
    if m.group("ord") is not None:
        value = w.chapter_ordinals.get(m.group("ord")) or int(re.sub(r"\D", "", m.group("ord")) or 0)
    else:
        value = w.chapter_cardinals.get(m.group("num")) or int(m.group("num"))
    for t in titles:
        entry = t.entry
        part = entry.part(value) if isinstance(entry, Group) and entry.numbered_parts else None
        if part is not None:
            try:
                whole = parse(part.title)
            except RefError:
                continue
            return _Cand(m.start(), end, "ref", whole, entry)
        if isinstance(entry, Work) and entry.kinds[0] == "gate":
            gate = _parse_in(f"{t.alias} {value}")
            if gate is not None and len(gate.sections) == 1:
                return _Cand(m.start(), end, "ref", gate, entry)
    return None


_SECTION_WORDS = re.compile(r"[ \t]*,?[ \t]*((?:[^\s,.;:()\[\]]+[ \t]+){0,4}[^\s,.;:()\[\]]+)")


def _named_section_after(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'ארחות צדיקים, שער השמחה', 'Orchot Tzadikim, Gate of Joy': a work's section named by its name
    (the catalog's alternate structure), the longest name that the words after the title spell."""
    entry = title.entry
    if not isinstance(entry, Work) or entry.index not in catalog().alts:
        return None
    m = _SECTION_WORDS.match(norm, end)
    if m is None:
        return None
    from madrega.refs.structures import section_names

    names = section_names(entry.index)
    if not names:
        return None
    spelled = m.group(1).split()
    for n in range(len(spelled), 0, -1):
        phrase = " ".join(spelled[:n])
        if name_key(phrase) in names:
            try:
                ref = parse(f"{entry.title}, {phrase}")
            except RefError:
                return None
            stop = norm.index(spelled[n - 1], m.start(1)) + len(spelled[n - 1])
            return _Cand(start, stop, "ref", ref, entry, hebrew=title.hebrew)
    return None


# how the English patterns of a level named before a title end (`_chapter_before_res`, `_level_res`)
_OF_BEFORE = re.compile(r"(?:of|in)[ \t]+(?:the[ \t]+)?$")


def _chapter_before(norm: str, start: int, hebrew: bool) -> tuple[int, int] | None:
    """Where a chapter named before `start` ('the first perek of', 'פרק ג' מ') starts, and its number."""
    en, he = _chapter_before_res()
    if not hebrew and _OF_BEFORE.search(norm, max(0, start - 40), start) is None:
        return None  # the English pattern ends 'of' or 'in' (and 'the'): found fast when it is not there
    m = (he if hebrew else en).search(norm, max(0, start - 40), start)
    if m is None:
        return None
    w = words()
    number = m.group("ord")
    if hebrew:
        value = w.he_chapter_ordinals.get(number)
        if value is None:
            try:
                from madrega.text.numerals import from_hebrew

                value = from_hebrew(number.strip("'\""))
            except MadregaError:
                return None
    elif number is not None:
        value = w.chapter_ordinals.get(number) or int(re.sub(r"\D", "", number) or 0)
    else:
        number = m.group("num")
        value = w.chapter_cardinals.get(number) or int(number)
    if not value:
        return None
    return m.start(), value


# 'Chapter 1:1, Hilchot Teshuva, Mishneh Torah', 'רמב"ם, פרק ראשון, הלכות תשובה': a chapter (and its
# halakha) before a title set off by commas, the title standing alone (no address, a comma or the line's
# end after it), as a source line under a quoted passage is written
_EN_CHAPTER_COMMA = re.compile(
    r"(?:^|(?<=[\s(\[]))(?:chapter|chap\.|ch\.|perek|pereq)[ \t]+(?P<num>\d{1,3})(?::(?P<sub>\d{1,3}))?"
    r"[ \t]*,[ \t]*$"
)
# 'Chapter 1:1, Teshuva Laws,': the laws named by their subject before the word (the 'Laws of Teshuva')
_NAME_LAWS = re.compile(
    r"(?:^|(?<=[\s(\[]))(?:chapter|chap\.|ch\.|perek)[ \t]+(?P<addr>\d{1,3}(?::\d{1,3})?)[ \t]*,[ \t]*"
    r"(?P<name>[a-z][a-z']{2,20}(?:[ \t]+[a-z][a-z']{2,20})?)[ \t]+laws(?=[ \t]*(?:[,.;)\]]|\n|$))"
)
_STANDS_ALONE = re.compile(r"[ \t]*(?:[,.;)\]]|\n|$)")


@cache
def _he_chapter_comma() -> re.Pattern[str]:
    ordinals = _alternation(list(words().he_chapter_ordinals))
    return re.compile(
        rf"(?:^|(?<=[\s(\[]))[ובל]{{0,2}}ה?פרק[ \t]+(?P<ord>{ordinals}|[א-ת](?:['\"]|[א-ת]?['\"][א-ת])?)"
        r"[ \t]*,[ \t]*$"
    )


def _chapter_before_comma(norm: str, start: int, end: int, titles: tuple[_Title, ...]) -> _Cand | None:
    """'Chapter 1:1, Hilchot Teshuva,' is Mishneh Torah, Repentance 1:1, 'פרק ראשון, הלכות תשובה' its
    chapter 1: in a work whose first level is the chapter (and whose second the address's second
    number fits)."""
    if _STANDS_ALONE.match(norm, end) is None:
        return None
    hebrew = titles[0].hebrew
    m = (_he_chapter_comma() if hebrew else _EN_CHAPTER_COMMA).search(norm, max(0, start - 30), start)
    if m is None:
        return None
    if hebrew:
        number = m.group("ord")
        address = str(words().he_chapter_ordinals.get(number) or "")
        if not address:
            from madrega.text.numerals import from_hebrew

            try:
                address = str(from_hebrew(number.strip("'\"").replace('"', "")))
            except MadregaError:
                return None
    else:
        address = m.group("num") + (f":{m.group('sub')}" if m.group("sub") else "")
    depth = address.count(":") + 1
    for t in titles:
        ref = _parse_in(f"{t.alias} {address}")
        if ref is not None and ref.work.kinds[0] == "chapter" and len(ref.sections) == depth:
            return _Cand(m.start(), end, "ref", ref, t.entry, hebrew=hebrew)
    return None


# An address written before its title names a level of the work's structure: 'verse 5 of Psalm 23',
# 'Halacha 4 of Hilchot Shabbat chapter 2', 'section 7 of Likutei Moharan 6', 'פסוק ה' בתהלים כג',
# 'פרק ב' ממסכת אבות משנה ח''. Each level word with the kinds of level it can name.
_EN_LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "verse": ("verse",),
    "v.": ("verse",),
    "vs.": ("verse",),
    "pasuk": ("verse",),
    "passuk": ("verse",),
    "posuk": ("verse",),
    "mishnah": ("mishnah",),
    "mishna": ("mishnah",),
    "halacha": ("halakha",),
    "halachah": ("halakha",),
    "halakha": ("halakha",),
    "halakhah": ("halakha",),
    "seif": ("seif",),
    "se'if": ("seif",),
    "paragraph": ("seif", "paragraph"),
    "section": ("section",),
    "siman": ("siman",),
    "chapter": ("chapter",),
    "ch.": ("chapter",),
    "chap.": ("chapter",),
    "perek": ("chapter",),
}
_HE_LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "פסוק": ("verse",),
    "משנה": ("mishnah",),
    "הלכה": ("halakha",),
    "סעיף": ("seif",),
    "אות": ("section",),
    "סימן": ("siman",),
    "פרק": ("chapter",),
}


@cache
def _level_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """'verse 5 of', 'the fifth mishnah of' before a title; ', mishnah 8' after it; the same in Hebrew
    ('פסוק ה' ב', 'משנה ח'')."""
    w = words()
    ordinals = _alternation(list(w.chapter_ordinals))
    cardinals = _alternation(list(w.chapter_cardinals))
    level = _alternation(list(_EN_LEVEL_WORDS))
    number = rf"(?P<num>\d{{1,3}}|{cardinals})(?![\w:])"
    en_before = re.compile(
        rf"(?:^|(?<=[\s(\[]))(?:(?P<lvl>{level})[ \t]+{number}"
        rf"|(?:the[ \t]+)?(?P<ord>{ordinals}|\d{{1,3}}(?:st|nd|rd|th))[ \t]+(?P<lvl2>{level}))"
        r"[ \t]+(?:of|in)[ \t]+(?:the[ \t]+)?$"
    )
    en_after = re.compile(rf"[ \t]*,?[ \t]*(?P<lvl>{level})[ \t]+{number}")
    he_level = _alternation(list(_HE_LEVEL_WORDS))
    he_ordinals = _alternation(list(w.he_chapter_ordinals))
    he_number = rf"(?P<num>{he_ordinals}|{_HE_NUM})(?![א-ת\"'])"
    he_before = re.compile(
        rf"(?:^|(?<=[\s(\[]))[ובל]{{0,2}}ה?(?P<lvl>{he_level})[ \t]+{he_number}[ \t]*,?[ \t]+(?:של[ \t]+)?[מב]?$"
    )
    he_after = re.compile(rf"[ \t]*,?[ \t]*(?P<lvl>{he_level})[ \t]+{he_number}")
    return en_before, en_after, he_before, he_after


def _level_number(m: re.Match[str], hebrew: bool) -> int:
    """The number a level word's match names (0 when it names none)."""
    w = words()
    number = m.group("num") or m.groupdict().get("ord") or ""
    if hebrew:
        if number in w.he_chapter_ordinals:
            return w.he_chapter_ordinals[number]
        from madrega.text.numerals import from_hebrew

        try:
            return from_hebrew(number.replace('"', "").replace("'", ""))
        except MadregaError:
            return 0
    if number.isdigit():
        return int(number)
    return (
        w.chapter_ordinals.get(number)
        or w.chapter_cardinals.get(number)
        or int(re.sub(r"\D", "", number) or 0)
    )


def _one_level_down(ref: Any, level: str, n: int, hebrew: bool) -> Any | None:
    """`ref` one level deeper at `n`, when `level` is the name of the work's next level (a level word
    that does not fit the work's structure names no place of it: None)."""
    kinds = ref.work.kinds
    depth = len(ref.sections)
    if not n or ref.is_range or depth >= len(kinds):
        return None
    fits = (_HE_LEVEL_WORDS if hebrew else _EN_LEVEL_WORDS).get(level, ())
    if kinds[depth] not in fits:
        return None
    return _parse_in(f"{ref}:{n}")


_HE_ONE_NUMBER = re.compile(rf"[ \t]+(?P<a>{_HE_NUM})(?![א-ת\"'])")
_EN_ONE_NUMBER = re.compile(r"[ \t]+(?P<a>\d{1,3})(?![\w:])")


def _level_named_before(
    norm: str, start: int, end: int, titles: tuple[_Title, ...], cite: _Cand | None
) -> _Cand | None:
    """'verse 5 of Psalm 23' is Psalms 23:5, 'Halacha 4 of Hilchot Shabbat chapter 2' Sabbath 2:4,
    'פסוק ה' בתהלים כג' Psalms 23:5: the level below the title's address, named before the title. A
    number after the title that alone would not be read ('Psalm 23 again', 'תהלים כג' in prose) is read
    here, the level word before vouching for it."""
    en_before, _, he_before, _ = _level_res()
    hebrew = titles[0].hebrew
    if not hebrew and _OF_BEFORE.search(norm, max(0, start - 30), start) is None:
        return None  # the English pattern ends 'of' or 'in' (and 'the'): found fast when it is not there
    m = (he_before if hebrew else en_before).search(norm, max(0, start - 30), start)
    if m is None:
        return None
    level = m.group("lvl") or m.groupdict().get("lvl2") or ""
    n = _level_number(m, hebrew)
    if cite is not None:
        if cite.kind != "ref":
            return None
        ref = _one_level_down(cite.ref, level, n, hebrew)
        return None if ref is None else _Cand(m.start(), cite.end, "ref", ref, cite.entry, hebrew=hebrew)
    a = (_HE_ONE_NUMBER if hebrew else _EN_ONE_NUMBER).match(norm, end)
    if a is None:
        return None
    for t in titles:
        base = _parse_in(f"{t.alias} {a.group('a')}")
        if base is None or len(base.sections) != 1:
            continue
        ref = _one_level_down(base, level, n, hebrew)
        if ref is not None:
            return _Cand(m.start(), a.end(), "ref", ref, t.entry, hebrew=True)
    return None


def _level_named_after(norm: str, cite: _Cand) -> _Cand:
    """'chapter 2 of Avot, mishnah 8', 'פרק ב' ממסכת אבות משנה ח'': a chapter named before its title
    and the level below it after the title (Pirkei Avot 2:8); the chapter alone when the word after
    does not name the work's next level."""
    _, en_after, _, he_after = _level_res()
    m = (he_after if cite.hebrew else en_after).match(norm, cite.end)
    if m is None:
        return cite
    ref = _one_level_down(cite.ref, m.group("lvl"), _level_number(m, cite.hebrew), cite.hebrew)
    if ref is None:
        return cite
    return _Cand(cite.start, m.end(), "ref", ref, cite.entry, hebrew=cite.hebrew)


# The level words that name a level below a work's first, never its first ('Psalms, verse 5')
_LOWER_LEVELS = frozenset(["verse", "mishnah", "halakha", "seif"])


def _lower_level_read_as_first(norm: str, start: int, end: int, cite: _Cand) -> _Cand | None:
    """'Hilchot Deot, halacha 2' is not its chapter 2, nor 'Psalms, verse 5' Psalm 5: a level word after
    the title naming a level below the work's first, its number read as the first. With the chapter
    named before the title ('the third chapter of Hilchot Deot, halacha 2', 'בפרק ג' מהלכות דעות הלכה
    ב'') it is that chapter's halakha; without, no place (None). Any other cite is returned as it is."""
    if cite.kind != "ref" or len(cite.ref.sections) != 1 or cite.ref.is_range:
        return cite
    kinds = cite.ref.work.kinds
    _, en_after, _, he_after = _level_res()
    m = (he_after if cite.hebrew else en_after).match(norm, end)
    if m is None or abs(m.end() - cite.end) > 1:
        return cite
    fits = (_HE_LEVEL_WORDS if cite.hebrew else _EN_LEVEL_WORDS).get(m.group("lvl"), ())
    if kinds[0] in fits or not _LOWER_LEVELS.intersection(fits):
        return cite
    found = _chapter_before(norm, start, cite.hebrew)
    if found is None or kinds[0] != "chapter" or len(kinds) < 2 or kinds[1] not in fits:
        return None
    ref = _parse_in(f"{cite.ref.work.title} {found[1]}:{_level_number(m, cite.hebrew)}")
    if ref is None:
        return None
    return _Cand(found[0], max(m.end(), cite.end), "ref", ref, cite.entry, hebrew=cite.hebrew)


def _book_before_its_part(cands: list[_Cand], norm: str, start: int, titles: tuple[_Title, ...]) -> int:
    """Where the book a part's title follows is named ('Shulchan Arukh, Orach Chayim', 'Mishneh Torah,
    Hilchot Shabbat': the book read as a mention of its own), or -1."""
    if not cands or not isinstance(titles[0].entry, Work):
        return -1
    prev = cands[-1]
    if (
        prev.kind != "mention"
        or not isinstance(prev.entry, Group)
        or titles[0].entry.group != prev.entry.name
    ):
        return -1
    return prev.start if re.fullmatch(r"[ \t]*,?[ \t]*", norm[prev.end : start]) else -1


@cache
def _he_chapter_ordinal_re() -> re.Pattern[str]:
    ordinals = _alternation(list(words().he_chapter_ordinals))
    return re.compile(rf"[ \t]*[-–,]?[ \t]*פרק[ \t]+(?P<ord>{ordinals})(?![א-ת])")


def _he_chapter_ordinal_after(norm: str, end: int, start: int, titles: tuple[_Title, ...]) -> _Cand | None:
    """'הלכות בכורות - פרק רביעי': a chapter by its ordinal word after the title, in a work whose first
    level is the chapter."""
    m = _he_chapter_ordinal_re().match(norm, end)
    if m is None:
        return None
    value = words().he_chapter_ordinals[m.group("ord")]
    for t in titles:
        ref = _parse_in(f"{t.alias} {value}")
        if ref is not None and ref.work.kinds[0] == "chapter" and len(ref.sections) == 1:
            return _Cand(start, m.end(), "ref", ref, t.entry, hebrew=True)
    return None


_BOOK_AND_NUMBER = re.compile(r"[ \t]*\((?P<book>[a-z]+|[א-ת]+)[ \t]+(?P<n>\d{1,4})\)")


def _remez_by_book(norm: str, start: int, end: int, titles: tuple[_Title, ...]) -> _Cand | None:
    """'ילקוט שמעוני (Exodus 176)': a work numbered by remez across the books it is on, the book named
    beside the number only to say where: the remez."""
    m = _BOOK_AND_NUMBER.match(norm, end)
    if m is None:
        return None
    book = _parse_in(f"{m.group('book')} 1")
    if book is None or book.work.category != "Tanakh":
        return None
    torah = book.work.title in ("Genesis", "Exodus", "Leviticus", "Numbers", "Deuteronomy")
    for t in titles:
        if isinstance(t.entry, Work) and t.entry.kinds[0] == "remez":
            title = t.entry.title
            if title.endswith(" on Torah") and not torah:
                title = (
                    title[: -len("Torah")] + "Nach"
                )  # 'Yalkut Shimoni (Isaiah 300)': its remez on the Prophets
            ref = _parse_in(f"{title} {m.group('n')}")
            if ref is not None:
                return _Cand(start, m.end(), "ref", ref, t.entry, hebrew=t.hebrew)
    return None


# 'Page 117 Mesectas Chullin', 'daf 5 of Tractate Berakhot': a daf named before its tractate; the word
# for a tractate in any of its spellings ('masechet', 'maseches', 'mesechta', 'mesectas', 'masekhet')
_DAF_BEFORE = re.compile(
    r"(?:^|(?<=[\s(\[]))(?:daf|page|folio)[ \t]+(?P<n>\d{1,3}[ab]?)[ \t]+(?:of[ \t]+)?"
    r"(?:(?:the[ \t]+)?(?:tractate|m[ae]ss?[ae]?(?:ch|kh|k|c)h?[ea]?[ts]h?[aeso]{0,2}s?)[ \t]+)?$"
)


def _daf_named_before(norm: str, start: int, end: int, titles: tuple[_Title, ...]) -> _Cand | None:
    """'Page 117 Mesectas Chullin' is Chullin 117: a daf named before a tractate cited by daf."""
    if titles[0].hebrew or not any(map(str.isdigit, norm[max(0, start - 30) : start])):
        return None
    m = _DAF_BEFORE.search(norm, max(0, start - 40), start)
    if m is None:
        return None
    for t in titles:
        if isinstance(t.entry, Work) and t.entry.kinds[0] == "daf":
            ref = _parse_in(f"{t.entry.title} {m.group('n')}")
            if ref is not None:
                return _Cand(m.start(), end, "ref", ref, t.entry)
    return None


# 'פ"א מהל' שבת הלכה ג'', 'פי"ב מהלכות תפלה', '(פ"יג מהל' תפילה ה"ח)': the chapter in letters before the
# title (the Ein Mishpat's and the Rambam's commentators' way), the halakha after it
# 'פ"א מהל' שבת', 'בפ"ב מהלכות מגילה', 'דבפרק א' מהלכות תפילין': the chapter before the title
_HE_CHAPTER_LETTERS = re.compile(
    r"(?:^|(?<=[\s(\[]))[ובדלש]{0,2}(?:פ(?:\"(?P<a>[א-ת]{1,2})|(?P<b>[א-ת]?)\"(?P<c>[א-ת]))"
    r"|פרק[ \t]+(?P<d>[א-ת]{1,2}(?:\"[א-ת])?)'?)[ \t]+[מבד]?$"
)
_HE_HALAKHA_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?:(?:הלכה|הל'|ה')[ \t]+(?P<n>[א-ת]{1,2}(?:\"[א-ת])?)(?![א-ת])'?"
    r"|ה(?P<p>[א-ת]?)\"(?P<q>[א-ת])(?![א-ת]))"
)


def _chapter_letters_before(norm: str, start: int, end: int, titles: tuple[_Title, ...]) -> _Cand | None:
    """'פ"א מהל' שבת הלכה ג'' is Mishneh Torah, Sabbath 1:3, 'פי"ב מהלכות תפלה' its laws of prayer,
    chapter 12: a chapter written in letters after 'פ' before a work whose first level is the chapter,
    and the halakha after the title (read alone, 'הלכה ג' would be chapter 3)."""
    m = _HE_CHAPTER_LETTERS.search(norm, max(0, start - 14), start)
    if m is None:
        return None
    from madrega.text.numerals import from_hebrew

    try:
        chapter = from_hebrew(m.group("a") or m.group("d") or (m.group("b") + m.group("c")))
    except MadregaError:
        return None
    after = _HE_HALAKHA_AFTER.match(norm, end)
    halakha = 0
    if after is not None:
        try:
            halakha = from_hebrew(
                (after.group("n") or (after.group("p") + after.group("q"))).replace('"', "")
            )
        except MadregaError:
            after = None
    for t in titles:
        ref = _parse_in(f"{t.alias} {chapter}")
        if ref is None or ref.work.kinds[0] != "chapter" or len(ref.sections) != 1:
            continue
        if after is not None and halakha:
            full = _parse_in(f"{t.alias} {chapter}:{halakha}")
            if full is not None:
                return _Cand(m.start(), after.end(), "ref", full, t.entry, hebrew=True)
        return _Cand(m.start(), end, "ref", ref, t.entry, hebrew=True)
    return None


_HE_CHAPTER_AFTER = re.compile(
    r"[ \t]+(?:פ\"(?P<a>[א-ת]{1,2})|פ(?P<b>[א-ת]?)\"(?P<c>[א-ת])|פרק[ \t]+(?P<d>[א-ת]{1,2}(?:\"[א-ת])?)'?)(?![א-ת\"'])"
)


def _book_unsaid(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'ברמב"ם פי"ג הלכה ח'': a book of books (the Mishneh Torah) cited by chapter and halakha without
    the book: that of its books the text cited last (`_resolve`)."""
    if not title.hebrew:
        return None
    m = _HE_CHAPTER_AFTER.match(norm, end)
    if m is None:
        return None
    after = _HE_HALAKHA_AFTER.match(norm, m.end())
    if after is None:
        return None
    from madrega.text.numerals import from_hebrew

    try:
        chapter = from_hebrew(
            (m.group("a") or m.group("d") or (m.group("b") + m.group("c"))).replace('"', "")
        )
        halakha = from_hebrew((after.group("n") or (after.group("p") + after.group("q"))).replace('"', ""))
    except MadregaError:
        return None
    word_start = start
    while word_start > 0 and norm[word_start - 1] in _HE_PREFIXES and start - word_start < 3:
        word_start -= 1
    return _Cand(
        word_start, after.end(), "book_ref", entry=title.entry, addr=f"{chapter}:{halakha}", hebrew=True
    )


_MIDRASH_NAMED = re.compile(
    r"(?<![א-ת])[ובלמ]{0,2}מדרש[ \t]+(?:רב(?:ה|ות)[ \t]+)?(?:ב?פרשת[ \t]+)?(?P<name>[א-ת]+(?:[ \t]+[א-ת]+)?)[ \t]*"
    r"(?P<paren>\((?:רבה[ \t]+)?(?P<addr>[^()\n]{1,20})\))"
)


@cache
def _portion_alternation() -> str:
    """The weekly portions' Hebrew names as one alternation of a pattern, the longest first."""
    from madrega.refs import portions

    return _alternation(list(portions.hebrew_names()))


@cache
def _rabbot_by_portion_re() -> re.Pattern[str]:
    """'ברבות נשא פי"א', 'ברבות פרשת לך לך פ' מ"ד': the Midrash Rabbah (רבות) by a weekly portion and the
    parashah's number: the Rabbah of the portion's book."""
    return re.compile(
        rf"(?<![א-ת])(?P<rabbot>[ובלמ]{{0,2}}(?:רבות|מדרש[ \t]+רבה,?))[ \t]+(?:ב?פרשת[ \t]+)?"
        rf"(?P<name>{_portion_alternation()})[ \t,]+"
        r"(?P<addr>(?:פרשה[ \t]+|פ'[ \t]*)?[א-ת]{1,3}(?:\"[א-ת])?'?)(?![א-ת\"'])"
    )


@cache
def _next_portion_re() -> re.Pattern[str]:
    """', אמור פרשה כז' right after a Rabbah cited by portion and parashah: another portion's parashah, in
    the same list ('(מדרש רבה, צו פרשה ט, אמור פרשה כז)'). The word פרשה is required: a bare name and
    number after a comma may be anything."""
    return re.compile(
        rf"[ \t]*[,;][ \t]*(?:ו?ב?פרשת[ \t]+)?(?P<name>{_portion_alternation()})[ \t,]+"
        r"(?P<addr>פרשה[ \t]+[א-ת]{1,3}(?:\"[א-ת])?'?)(?![א-ת\"'])"
    )


def _rabbot_by_portion(norm: str) -> Iterator[_Cand]:
    """'(וכ"ה ברבות נשא פי"א)' is Bamidbar Rabbah 11; '(מדרש רבה, צו פרשה ט, אמור פרשה כז)' Vayikra Rabbah
    9, then 27: the Rabbah of each portion's book, by its parashah."""
    for m in _rabbot_by_portion_re().finditer(norm):
        ref = _rabbah_of(m.group("name"), m.group("addr"))
        if ref is None:
            continue
        yield _Cand(m.start("rabbot"), m.end("addr"), "ref", ref, ref.work, hebrew=True, score=0.85)
        end = m.end()
        while (nxt := _next_portion_re().match(norm, end)) is not None:
            ref = _rabbah_of(nxt.group("name"), nxt.group("addr"))
            if ref is None:
                break
            yield _Cand(nxt.start("name"), nxt.end("addr"), "ref", ref, ref.work, hebrew=True, score=0.85)
            end = nxt.end()


def _rabbah_of(name: str, addr: str) -> Any | None:
    """The Midrash Rabbah named by its book or by a weekly portion of it, before a parenthesized
    address: 'במדרש קהלת (רבה ז, יג)' is Kohelet Rabbah 7:13, 'במדרש רבות בפרשת לך לך (פ' מ"ד)' is
    Bereshit Rabbah 44 (the Rabbah of the portion's book)."""
    from madrega.refs import portions

    book = _parse_in(f"{name} 1")
    if book is None or book.work.category != "Tanakh":
        span = portions.portion(name)
        book = _parse_in(span) if span is not None else None
    if book is None or book.work.category != "Tanakh":
        return None
    return _parse_in(f"{book.work.he_title} רבה {addr}")


def _norm_pos(offsets: array | None, i: int) -> int:
    return i if offsets is None else bisect_left(offsets, i)


_HASHTAG = re.compile(r"#([A-Z][a-z]+(?:[A-Z][a-z]+)+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


# 'Zohar Bereishit 25b', 'Zohar (Vayeshev 192b)', 'Zohar, Terumah, p. 177a': a work by volume and daf cited
# by a weekly portion's name instead of its volume (the parser turns the portion into the volume).
_PORTION_DAF = re.compile(
    r"[ \t]*(?:,[ \t]*|\([ \t]*)?(?:(?:parashat|parshat|parashas|parshas|parsha)[ \t]+)?"
    r"(?P<name>[a-z][a-z'\-]*(?:[ \t][a-z][a-z'\-]*){0,2}?)"
    r"(?:[ \t]*,[ \t]*(?:chapter|ch\.)[ \t]*\d{1,2})?[ \t]*,?[ \t]*(?:(?:p|fol|f)\.[ \t]*|page[ \t]+|folio[ \t]+)?"
    r"(?:(?P<vol>iii|ii|i|[123])[ \t]*:[ \t]*)?"  # 'Zohar (Pekudei II:251a)': the volume before the daf
    r"(?P<daf>\d{1,3}[ab](?:[ \t]*-[ \t]*(?:\d{1,3})?[ab])?)(?![\w:])"
)
_VOLUMES = {"i": 1, "ii": 2, "iii": 3, "1": 1, "2": 2, "3": 3}


# 'זוהר פרשת בראשית דף טו.', 'זוהר הקדמה דף ה ע"א': the portion (or the introduction), then the daf
_HE_DAF = (
    r"(?P<daf>(?:דף|ד[\"'])[ \t]*[א-ת]{1,3}(?:[\"'][א-ת])?(?:[.:]|[ \t]*,?[ \t]*ע(?:מוד|[\"'])[ \t]*[אב]'?))"
)
_HE_PORTION_DAF = re.compile(
    r"[ \t]*,?[ \t]*(?P<name>(?:פרשת[ \t]+)?[א-ת]+(?:[ \t]+[א-ת]+){0,2}?)[ \t]*,?[ \t]+" + _HE_DAF
)
_HE_DAF_AFTER = re.compile(r"[ \t]*,?[ \t]*" + _HE_DAF)
_HE_INTRODUCTION_OF = re.compile(r"(?:^|(?<=[\s(\[]))ו?ב?הקדמת[ \t]+ה?$")


def _volume_by_portion(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    entry = title.entry
    if type(entry) is not Work or entry.kinds[:1] != ("volume",) or not entry.spans:
        return None
    if title.hebrew:
        return _volume_by_portion_he(norm, start, end, title)
    m = _PORTION_DAF.match(norm, end)
    if m is None:
        return None
    daf = m.group("daf").replace(" ", "")
    try:
        ref = parse(f"{title.alias}, {m.group('name')} {daf}")
    except RefError:
        return None
    if ref.work is not entry or len(ref.sections) < 2:
        return None
    if m.group("vol") and _VOLUMES[m.group("vol")] != ref.sections[0]:
        # 'Zohar (Vayikra II:5a)': the volume written is not the portion's; the address as written, the
        # portion's reading beside it (and no verse of Leviticus)
        written = _parse_in(f"{entry.title} {_VOLUMES[m.group('vol')]}:{daf}")
        if written is None or written.work is not entry:
            return None
        return _Cand(start, m.end(), "ref", written, entry, alternatives=[str(ref)], score=0.6)
    return _Cand(start, m.end(), "ref", ref, entry)


_ABBREVIATED_DAF = re.compile(r"\.[ \t]+(?P<daf>\d{1,3}[ab](?:[ \t]*-[ \t]*\d{0,3}[ab])?)(?![\w:])")


def _tractate_abbreviated(
    norm: str, text: str, offsets: array | None, start: int, end: int, title: _Title
) -> _Cand | None:
    """'Hag. 14a', 'Shab. 31a': an abbreviation that is a book of the Bible's alias too, with a daf and
    its amud (no chapter of a book of verses): the tractate, as the parser reads a footnote's form."""
    if title.hebrew or getattr(title.entry, "category", "") != "Tanakh":
        return None
    m = _ABBREVIATED_DAF.match(norm, end)
    if m is None:
        return None
    written = text[_orig(offsets, start) : _orig(offsets, end)]
    ref = _parse_in(f"{written}. {m.group('daf').replace(' ', '')}")
    if ref is None or ref.work.kinds[:1] != ("daf",):
        return None
    return _Cand(start, m.end(), "ref", ref, ref.work)


def _volume_by_portion_he(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'זוהר פרשת ויחי דף רטז:', 'זוהר הקדמה דף ה.', 'הקדמת הזהר דף ה.': the Zohar by its portion's name (or
    its introduction's) and a daf, read as the parser reads it (the portion gives the volume)."""
    before = _HE_INTRODUCTION_OF.search(norm, max(0, start - 12), start)
    if before is not None:  # the Zohar's own introduction (1:1a-14b), by daf
        m = _HE_DAF_AFTER.match(norm, end)
        name, first = "הקדמה", before.start()
    else:
        m = _HE_PORTION_DAF.match(norm, end)
        name, first = (m.group("name") if m else ""), start
    if m is None:
        return None
    found = _try_parse(title.alias, f"{name} {m.group('daf')}")
    if found is None or found[0].work is not title.entry or len(found[0].sections) < 2:
        return None
    return _Cand(first, m.end(), "ref", found[0], title.entry, hebrew=True)


# 'Jerusalem Talmud, Nedarim 3', 'Yerushalmi, Berakhot 2:1': the Talmud named apart from its tractate
_YERUSHALMI_BEFORE = re.compile(r"(?:jerusalem[ \t]+talmud|talmud[ \t]+yerushalmi|yerushalmi)[ \t]*,[ \t]*$")


_CORPUS_INITIAL = re.compile(r"[ytmb]\.[ \t]?[A-Z]")  # 't. Berakhot': the corpus's initial, then the tractate
_CORPUS_BEFORE = re.compile(r"(?:^|(?<=[\s(\[;,]))(?P<lead>y\.|t\.|m\.|b\.|jt|pt|bt|tb|yer\.|tosefta)[ \t]*$")


def _corpus_before(norm: str, cite: _Cand) -> _Cand | None:
    """'y. Ber. 1:1', 'JT Ber. 2a', 't. Sanh. 13:2': a corpus lead before a tractate's citation says which
    tractate it is (the parser reads the two together); None when that corpus has no such tractate
    ('y. Zevachim': no answer rather than the Mishnah)."""
    if cite.ref.work.category not in ("Talmud", "Mishnah", "Tosefta"):
        return cite
    b = _CORPUS_BEFORE.search(norm, max(0, cite.start - 12), cite.start)
    if b is None:
        return cite
    try:
        ref = parse(f"{b.group('lead')} {norm[cite.start : cite.end]}")
    except RefError:
        return None
    if ref == cite.ref:
        return cite
    return _Cand(b.start(), cite.end, "ref", ref, ref.work, alternatives=cite.alternatives)


_RABBAH_BEFORE = re.compile(
    r"(?:^|(?<=[\s(\[;,]))(?:(?:the[ \t]+)?m[ei]drash[ \t]+rabb?ah?|ו?ב?ה?מדרש[ \t]+רבה)[ \t]*,?[ \t]*$"
)


def _rabbah_before(norm: str, cite: _Cand) -> _Cand:
    """'Midrash Rabbah Bereishit 1:1', 'מדרש רבה שמות א, א': the Midrash Rabbah on the book named, not
    the book's verse."""
    work = cite.ref.work
    if work.category != "Tanakh":
        return cite
    b = _RABBAH_BEFORE.search(norm, max(0, cite.start - 24), cite.start)
    if b is None:
        return cite
    written = str(cite.ref)
    try:
        ref = parse(f"{work.title} Rabbah{written[len(work.title) :]}")
    except RefError:
        return cite
    if not ref.work.title.endswith("Rabbah"):
        return cite
    return _Cand(b.start(), cite.end, "ref", ref, ref.work, hebrew=cite.hebrew)


def _yerushalmi_before(norm: str, cite: _Cand) -> _Cand:
    b = _YERUSHALMI_BEFORE.search(norm, max(0, cite.start - 30), cite.start)
    if (
        b is None
        or cite.ref.work.category not in ("Talmud", "Mishnah")
        or cite.ref.work.title.startswith("Jerusalem")
    ):
        return cite
    try:
        ref = parse(f"Jerusalem Talmud {norm[cite.start : cite.end]}")
    except RefError:
        return cite
    if not ref.work.title.startswith("Jerusalem Talmud"):
        return cite
    return _Cand(b.start(), cite.end, "ref", ref, ref.work)


_HE_YERUSHALMI_BEFORE = re.compile(r"(?<![א-ת])(?:ו?ב?ה?)ירושלמי[ \t]+$")


def _he_yerushalmi_before(norm: str, cite: _Cand) -> _Cand:
    """'ובירושלמי פ"ב דפאה': a tractate's chapter after the word ירושלמי is the Jerusalem Talmud's (its
    chapter, as written), not the Mishnah's."""
    b = _HE_YERUSHALMI_BEFORE.search(norm, max(0, cite.start - 12), cite.start)
    if b is None:
        return cite
    ref = _parse_in("Jerusalem Talmud " + str(cite.ref).removeprefix("Mishnah "))
    if ref is None or not ref.work.title.startswith("Jerusalem Talmud"):
        return cite
    return _Cand(b.start(), cite.end, "ref", ref, ref.work, hebrew=True)


_COMMA_GAP = re.compile(r"[ \t]*,[ \t]*")


def _part_named(
    norm: str, end: int, group: Group, scan: list[tuple[int, int, tuple[_Title, ...]]]
) -> tuple[Work, int] | None:
    """'Tur, Orach Chaim 90:1': a book of parts numbered by siman, a comma, and a part's name (which
    alone names the Shulchan Arukh's part): the book's own part of that number, and where its name ends."""
    gap = _COMMA_GAP.match(norm, end)
    if gap is None or not _parts_of(group.name):
        return None
    at = gap.end()
    for i in range(bisect_left(scan, at, key=_start_of), len(scan)):  # the scan is in order of start
        s, e, titles = scan[i]
        if s != at:
            break
        work = titles[0].entry
        if isinstance(work, Work) and work.part is not None and work.kinds[:1] == ("siman",):
            part = group.part(work.part)
            return (part, e) if part is not None else None
    return None


def _start_of(found: tuple[int, int, tuple[_Title, ...]]) -> int:
    return found[0]


def _address_follows(norm: str, end: int, hebrew: bool) -> bool:
    """Whether numbers follow a title ('Jerusalem Talmud Sanhedrin 1:5'), whatever they are."""
    lead = (_HE_LEAD if hebrew else _EN_LEAD).match(norm, end)
    return _address(norm, lead.end() if lead is not None else end, hebrew) is not None


_MIDRASH_BEFORE = re.compile(r"(?:^|(?<=[\s(\[;,]))m\.[ \t]*$")


def _midrash_before(norm: str, cite: _Cand) -> _Cand | None:
    """'M. Pss. 105:9' in the notes of midrash translations is the Midrash on Psalms at 105:9, not the
    verse ('M.' before a tractate is its Mishnah, which the title says already); None when the
    catalog has no midrash named for that book: the verse would be a wrong place."""
    b = _MIDRASH_BEFORE.search(norm, max(0, cite.start - 4), cite.start)
    if b is None or cite.ref.work.category != "Tanakh":
        return cite
    try:
        ref = parse(f"מדרש {cite.ref.he()}")  # the midrashim are named by the book's Hebrew name
    except RefError:
        return None
    if ref.work.category != "Midrash":
        return None
    return _Cand(b.start(), cite.end, "ref", ref, ref.work)


# A pattern that opens with an assertion on what comes before it ('(?<![a-z.])') has no character it must
# begin with, so `re` tries it at every place of the text. Without that opening (its lead) it begins
# with a letter or a set of them, which `re` scans for in C: `_finditer` reads the lead's matches and
# tries the whole pattern only where the lead matches.
_OPENINGS = (r"(?<![a-z.])", r"(?<![a-z])", r"(?<![\w.])", r"(?:^|(?<=[\s(\[]))", r"(?<![א-ת\"'])")
# 'Bava Kamah 9a': the name's first capital first (the same names), so the lead scans for capitals
_SPELT_DAF_LEAD = re.compile(r"[A-Z](?:[a-z']+[ \t][A-Z]){0,2}[a-z']{2,}[ \t]+\d")


@cache
def _lead(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """`pattern` without its opening assertion (it matches wherever `pattern` does, and more), or None."""
    if pattern is _SPELT_DAF:
        return _SPELT_DAF_LEAD
    for opening in _OPENINGS:
        if pattern.pattern.startswith(opening):
            return re.compile(pattern.pattern[len(opening) :], pattern.flags)
    return None


def _finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`: the same matches, the whole pattern tried only where its lead
    (`_lead`) matches, the next search from the place after a place it did not match at."""
    lead = _lead(pattern)
    if lead is None:
        yield from pattern.finditer(text)
        return
    search, match = lead.search, pattern.match
    pos, n = 0, len(text)
    while pos <= n:
        found = search(text, pos)
        if found is None:
            return
        at = found.start()
        m = match(text, at)
        if m is None:
            pos = at + 1
            continue
        yield m
        pos = m.end() if m.end() > at else at + 1


def _line_starts_finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` of a pattern that begins with '^' (multiline) and never reads past its
    line's end: tried at the text's start and after each newline only."""
    at, end = 0, -1
    while at >= 0:
        if at >= end:
            m = pattern.match(text, at)
            if m is not None:
                yield m
                end = m.end()
        at = text.find("\n", at)
        if at >= 0:
            at += 1


def _recognize(text: str, norm: str, offsets: array | None) -> list[_Cand]:
    cands: list[_Cand] = []
    consumed = 0
    # the end of a work's title whose address did not read: no other work's title inside it reads it
    shadow, shadowed = 0, None
    scan = _title_scan(norm)
    for start, end, titles in scan:
        if start < consumed:
            continue
        if start < shadow and end <= shadow and all(t.entry is not shadowed for t in titles):
            continue
        if isinstance(titles[0].entry, Group) and not titles[0].hebrew:
            named = _part_named(norm, end, titles[0].entry, scan)
            if named is not None:
                part, end = named
                titles = (_Title(part.title, part, False, True, False),)
        ordinal_start = start
        if not titles[0].hebrew:
            titles, ordinal_start = _ordinal_title(norm, start, end, titles)
            if _common_word(text, offsets, start, titles):
                continue  # 'what is said', 'a song of joy': a title that is also a word, written as the word
        if not titles[0].hebrew and _refused_before(norm, start, end):
            continue  # 'Epistle of Jeremiah 1:1', 'St Mk 1:1', 'Gk Est 1:1': a book madrega does not cite
        if not titles[0].hebrew and _part_of_another_book(text, offsets, norm, start, end, titles):
            own = _part_in_parens_after_its_own(norm, cands, start, end, titles)
            if own is not None:  # 'Orach Chaim (O.C. 98:1)', 'Kaf Hachaim (O.C. 98:2)'
                cands[-1] = own
                consumed = own.end
            continue  # 'Igrot Moshe Orach Chaim 2:17': responsa ordered by the Shulchan Arukh's parts
        if titles[0].hebrew and _he_person_before(norm, start, titles):
            continue  # 'שערי תשובה לרבינו יונה שער א': Rabbenu Yonah, a man, not the book of Jonah
        cite = _chapter_letters_before(norm, start, end, titles) if titles[0].hebrew else None
        if cite is not None and cite.end == end:
            cite = _level_named_after(norm, cite)  # 'פרק ב' ממסכת אבות משנה ח''
        if cite is None:
            cite = _cite(norm, text, offsets, start, end, titles, ordinal_start)
        if cite is None and titles[0].hebrew and "פרק" in norm[end : end + 8]:
            cite = _he_chapter_ordinal_after(norm, end, start, titles)
        if cite is None and norm[end : end + 3].lstrip()[:1] == "(":
            cite = _remez_by_book(norm, start, end, titles)
        if cite is None and isinstance(titles[0].entry, Group):
            cite = (
                _by_parasha(norm, start, end, titles[0])
                or _part_by_its_name(norm, text, offsets, start, end, titles[0])
                or _part_spelt_otherwise(norm, start, end, titles[0])
                or _klal_cite(norm, start, end, titles[0])
                or _partless(norm, start, end, titles[0])
                or _book_unsaid(norm, start, end, titles[0])
                or _part_after_comma(norm, start, end, titles[0])
            )
        elif cite is None:
            cite = (
                _the_megillah(norm, start, end, titles[0])
                or _named_section_after(norm, start, end, titles[0])
                or _volume_by_portion(norm, start, end, titles[0])
                or _tractate_abbreviated(norm, text, offsets, start, end, titles[0])
                or _perek_by_letter(norm, start, end, titles[0])
                or _daf_by_letters(norm, start, end, titles[0])
            )
        elif cite.hebrew and cite.ref.work.kinds[:1] == ("siman",):
            cite = _seif_only(norm, end, cite)
        if cite is not None:
            read = cite
            cite = _lower_level_read_as_first(norm, start, end, cite)
            if cite is None:
                consumed = read.end  # 'Psalms, verse 5': a verse of a chapter not said; no title in it
                continue
        book = _book_before_its_part(cands, norm, start, titles)
        deeper = _level_named_before(norm, start if cite is None else cite.start, end, titles, cite)
        if deeper is None and book >= 0 and (cite is None or cite.start == start):
            deeper = _level_named_before(norm, book, end, titles, cite)  # 'Paragraph 1 of Shulchan Arukh, …'
            if deeper is not None:
                cands.pop()  # the book's mention is part of the citation
        if deeper is not None:
            cite = deeper  # 'verse 5 of Psalm 23': the level below the title's address, named before it
        if cite is None:
            cite = (
                _chapter_named_before(norm, start, end, titles)
                or _gate_named_before(norm, start, end, titles)
                or _chapter_before_comma(norm, start, end, titles)
                or _daf_named_before(norm, start, end, titles)
            )
            if cite is None and book >= 0:
                cite = _chapter_named_before(
                    norm, book, end, titles
                )  # 'the third chapter of Mishneh Torah, …'
                if cite is not None:
                    cands.pop()
            if cite is not None and cite.kind == "ref" and cite.ref.work.kinds[0] == "chapter":
                cite = _level_named_after(norm, cite)  # 'פרק ב' ממסכת אבות משנה ח''
                cite = _level_named_before(norm, cite.start, cite.end, titles, cite) or cite
            if cite is not None:
                cands.append(cite)
                consumed = cite.end
                continue
            t = titles[0]
            if isinstance(t.entry, Work) and _address_follows(norm, end, t.hebrew):
                shadow, shadowed = (
                    end,
                    t.entry,
                )  # 'Jerusalem Talmud Sanhedrin 1:5' that does not exist is not Mishnah Sanhedrin 1:5
            if t.hebrew and _WORK_IBID.match(norm, end):
                m = _WORK_IBID.match(norm, end)
                assert m is not None
                seif = _SEIF_ONLY.match(norm, m.end())
                stop = m.end() if seif is None else seif.end()
                addr = "" if seif is None else seif.group("n")
                place = _HE_PLACE_AFTER_IBID.match(norm, m.end()) if isinstance(t.entry, Group) else None
                if seif is None and place is not None:  # 'רמב"ם שם ב:ו': chapter and halakha there
                    stop, addr = place.end(), place.group("n")
                cands.append(_Cand(start, stop, "work_ibid", entry=t.entry, hebrew=True, addr=addr))
                consumed = stop
                continue
            if t.short:
                continue
            if t.hebrew and not _he_mention(norm, start):
                continue  # 'וידוי דברים': a Hebrew title is also a word; named as a work it leads a line or follows 'ספר'
            if t.hebrew or not t.capitalized or text[_orig(offsets, start)].isupper():
                cands.append(
                    _Cand(
                        start,
                        end,
                        "mention",
                        entry=t.entry,
                        hebrew=t.hebrew,
                        persistent=_heading(norm, start),
                    )
                )
            continue
        if cite.kind != "ref":  # a part-less or seif-only citation, read against the text later
            cands.append(cite)
            consumed = cite.end
            continue
        cite = _commentary_before(norm, cite) if cite.hebrew else _yerushalmi_before(norm, cite)
        cite = _rabbah_before(norm, cite)
        if not cite.hebrew:
            cite = _en_commentary_before(norm, cite)
            in_corpus = _corpus_before(norm, cite)
            if in_corpus is None:
                consumed = cite.end
                continue
            cite = in_corpus
        if cite.hebrew and cite.ref.work.category == "Mishnah":
            cite = _he_yerushalmi_before(norm, cite)
        if (
            cite.hebrew
            and cite.ref.work.kinds[:1] == ("daf",)
            and _HE_CHAPTER_WORD.search(norm, cite.start, cite.end)
        ):
            mishnah = _mishnah_before(norm, cite)  # 'משנה מסכת ברכות, פרק ד'': the Mishnah's chapter
            cite = mishnah or _daf_after_chapter(
                norm, cite
            )  # 'במסכת ברכות פרק ב' (יז, א)': the daf, not daf 2
            if cite is None:
                continue
        if not cite.hebrew:
            midrash = _midrash_before(norm, cite)
            if midrash is None:
                consumed = cite.end
                continue
            cite = midrash
        if cite.ref.work.kinds[:1] == ("daf",) and _short_line(norm, cite.start, cite.end):
            cite.persistent = True  # 'מסכת יומא דף פו עמוד א' heading a page: its bare 'דף' marks are Yoma's
        if cite.start < 300 and _alone_on_its_line(norm, cite):
            cite.persistent = True  # 'משנה ברורה על אורח חיים תרל' heading the page: it governs the text
        elif _subtitled_heading(norm, cite):
            cite.persistent = True  # 'Tanya: Chapter 35 - Part 3 - video' heading a section of the page
        cands.append(cite)
        consumed = cite.end
        name = next((t.alias for t in titles if t.entry is cite.entry), titles[0].alias)
        more = (
            _he_continuations(norm, cite.end, cite.ref, name)
            if cite.hebrew
            else _continuations(norm, cite.end, cite.ref, cite.ref.work.title)
        )
        for c in more:
            cands.append(c)
            consumed = c.end
    if ("salm" in norm or "tehil" in norm) and _ordinal_title_gate().search(norm):
        for m in _ordinal_title_re().finditer(norm):  # 'the 23rd Psalm'
            ref = _parse_in(f"{words().ordinal_titles[m.group(2)]} {m.group(1)}")
            if ref is not None:
                cands.append(_Cand(m.start(), m.end(), "ref", ref, ref.work))
    if "laws" in norm:
        for m in _finditer(_NAME_LAWS, norm):  # 'Chapter 1:1, Teshuva Laws, Mishnah Torah'
            addr = m.group("addr")
            ref = _parse_in(f"Laws of {m.group('name')} {addr}")
            if ref is None or ref.work.kinds[0] != "chapter" or len(ref.sections) != addr.count(":") + 1:
                continue
            if not any(c.start < m.end() and m.start() < c.end for c in cands if c.kind == "ref"):
                cands.append(_Cand(m.start(), m.end(), "ref", ref, ref.work))
    short = _short_commentaries()
    if short[1] is not None:
        taken = [(c.start, c.end) for c in cands]
        for m in _finditer(short[1], norm):  # 'Taz 90:5': a commentary on the Shulchan Arukh, its part unsaid
            if not text[_orig(offsets, m.start())].isupper() or any(
                a < m.end() and m.start() < b for a, b in taken
            ):
                continue
            options = [
                r for r in (_parse_in(f"{w.title} {m.group('addr')}") for w in short[0][m.group(1)]) if r
            ]
            if options:
                cands.append(
                    _Cand(
                        m.start(), m.end(), "part_ref", entry=options[0].work, options=options, partial=True
                    )
                )
    spans = sorted((c.start, c.end) for c in cands if c.kind == "ref")
    span_starts = [a for a, _ in spans]
    for m in _finditer(_SPELT, text):  # 'Numbrs 5:6-7', 'Breisheet 4:10': a book's name misspelt
        s, e = _norm_pos(offsets, m.start()), _norm_pos(offsets, m.end())
        i = bisect_right(span_starts, e - 1)
        if i and spans[i - 1][1] > s:
            continue
        if catalog().exact(name_key(m.group(1))) is not None:
            continue  # a title the automaton read (or refused) as written
        ref = _misspelt(m.group(1), m.group(2))
        if ref is not None:
            cands.append(_Cand(s, e, "ref", ref, ref.work, score=0.7))
    if re.search(r"\d[ab]\b", text):
        for m in _finditer(_SPELT_DAF, text):  # 'Bava Kamah 9a', 'Berachoth 2a': a tractate spelt otherwise
            cand = _misspelt_daf(text, m, offsets)
            if cand is not None:
                i = bisect_right(span_starts, cand.end - 1)
                if not (i and spans[i - 1][1] > cand.start):
                    cands.append(cand)
    if "מדרש" in norm:
        for m in _MIDRASH_NAMED.finditer(norm):  # 'במדרש קהלת (רבה ז, יג)', 'במדרש רבות בפרשת לך לך (פ' מ"ד)'
            ref = _rabbah_of(m.group("name"), m.group("addr"))
            if ref is not None:
                cands.append(
                    _Cand(m.start("paren"), m.end("paren"), "ref", ref, ref.work, hebrew=True, score=0.85)
                )
    if "רבות" in norm or "מדרש רבה" in norm:
        cands.extend(_rabbot_by_portion(norm))
    for m in _HASHTAG.finditer(text):
        name = _CAMEL.sub(" ", m.group(1))
        entry = catalog().lookup_key(name_key(name))
        if entry is not None and isinstance(entry, Work | Group):
            cands.append(
                _Cand(
                    _norm_pos(offsets, m.start()),
                    _norm_pos(offsets, m.end()),
                    "mention",
                    entry=entry,
                    persistent=True,
                )
            )
    for m in _finditer(_BARE_EN, norm):
        lvl = m.group("lvl")
        level = "siman" if lvl == "siman" else "lesson" if lvl.startswith("lesson") else _en_level(lvl)
        if lvl == "law":
            level = "law"  # 'Law 10' under a chapter of the Mishneh Torah in English: its halakha
        base = m.start("nums")
        for i, item in enumerate(_LIST_ITEM.finditer(m.group("nums"))):  # 'chs. 7 and 8': each its own place
            start = m.start() if i == 0 else base + item.start()
            cands.append(
                _Cand(start, base + item.end(), "bare", level=level, addr=item.group(), group=m.start())
            )
    if "mishn" in norm or "hala" in norm:
        for m in _finditer(_BARE_CHAPTER_AND_EN, norm):
            addr = f"{m.group('ch')}:{m.group('n')}"
            cands.append(_Cand(m.start(), m.end(), "bare", level="address", addr=addr))
    if ":" in norm:
        for m in _finditer(_BARE_ADDRESS_EN, norm):
            addr = m.group("addr").replace(" ", "").replace("\t", "")
            cands.append(_Cand(m.start(), m.end(), "bare", level="address", addr=addr))
    if "b" in norm and ":" in norm:
        cands.extend(_mishnah_berurah_initials(text, norm, offsets))
    if "mb" in norm or "sha" in norm:
        cands.extend(_digest_notes(text, norm, offsets))
    if "samuel" in norm or "kings" in norm or "chronicles" in norm:
        cands.extend(_book_number_first(text, norm, offsets))
    if (":" in norm or "chapter" in norm) and (
        _RAMBAM_NAMED.search(norm) or any(getattr(c.entry, "group", None) == "Mishneh Torah" for c in cands)
    ):  # a text that names the Rambam, or a part of his ('Beginning the Laws of Mezuzah')
        cands.extend(_mt_parts_alone(text, norm, offsets))
    if ":" in norm and ("fetz" in norm or "חפץ" in norm) and _KLAL_BOOK.search(norm):
        for m in _KLAL_BARE.finditer(norm):
            cands.append(_Cand(m.start(), m.end(), "bare", level="klal", addr=m.group("addr")))
    if "perek" in norm and _HEBREW.search(norm):
        for m in _PEREK_HE_NUM.finditer(norm):  # 'Perek מא, pasuk נא' in English: letters for numbers
            ch, v = _arabic(m.group("ch")), _arabic(m.group("v") or "")
            if ch.isdigit() and (not m.group("v") or v.isdigit()):
                addr = f"{ch}:{v}" if m.group("v") else ch
                cands.append(_Cand(m.start(), m.end(), "bare", level="chapter", addr=addr, group=m.start()))
    for m in _amuds_after_a_word(norm):  # 'Further on in 31b' under 'Brachot 31': that tractate's amud
        cands.append(_Cand(m.start("addr"), m.end("addr"), "bare", level="daf", addr=m.group("addr")))
    if "a)" in norm or "b)" in norm:
        for m in _PAREN_DAF.finditer(norm):  # '(12a-13b)' alone: a daf of the tractate the text is on
            cands.append(
                _Cand(m.start(), m.end(), "bare", level="daf", addr=m.group("addr").replace(" ", ""))
            )
    if "(" in norm and "-" in norm:
        for m in _HE_PAREN_DAF_RANGE.finditer(norm):  # '(מא: שליש תחתון - מב. סוף פרק ...)' under a tractate
            addr = _he_amud_range(m)
            if addr is not None:
                cands.append(_Cand(m.start(), m.end(), "bare", level="daf", addr=addr, hebrew=True))
    if "chapter " in norm:
        for m in _spelt_chapter_line().finditer(norm):  # 'CHAPTER ELEVEN' heading the text below it
            addr = str(words().chapter_cardinals[m.group("n")])
            cands.append(_Cand(m.start("lvl"), m.end("n"), "bare", level="chapter", addr=addr))
        for m in _spelt_chapter_in_text().finditer(norm):
            if not text[_orig(offsets, m.start("lvl"))].isupper():
                continue  # 'chapter two of my life' opening a line: no sentence naming a chapter
            addr = str(words().chapter_cardinals[m.group("n")])
            cands.append(_Cand(m.start("lvl"), m.end("n"), "bare", level="chapter", addr=addr))
    if "gate" in norm:
        for m in _finditer(_BARE_GATE_EN, norm):  # 'Gate 1, 10' under 'Shaarei Teshuvah'
            addr = m.group("g") + (f":{m.group('p')}" if m.group("p") else "")
            cands.append(_Cand(m.start(), m.end(), "bare", level="gate", addr=addr))
    if "hala" in norm:
        for m in _finditer(_BARE_HALAKHA, norm):
            cands.append(_Cand(m.start(), m.end(), "bare", level="halakhot", addr=m.group("addr")))
    if (
        "פ" in norm or "ס" in norm or "ד" in norm or "ה" in norm or "זמור" in norm
    ):  # פרק, סימן, דף, הלכה, מזמור
        for m in _BARE_HE.finditer(norm):
            addr, end = m.group("nums"), m.end()
            if m.group("amud") is not None:
                daf = _arabic(addr)
                if m.group("lvl") == "דף" and daf.isdigit():
                    addr = daf + ("a" if m.group("amud") == "א" else "b")  # 'דף פו עמוד ב': 86b
                else:
                    end = m.end("nums")
            verses = _HE_BARE_VERSES.match(norm, end) if m.group("lvl") == "פרק" and "-" not in addr else None
            if verses is not None and verses.group("v") in _HE_IBID_WORDS:
                verses = None  # 'פרק ג, שם': there, not verse 340
            if verses is not None:  # 'פרק ג, א-י' after 'בראשית פרק ב, א-יז': the chapter's verses too
                addr, end = f"{addr}:{verses.group('v')}", verses.end()
            if m.group("lvl") == "סעיף" and _alone_on_its_line(norm, _Cand(m.start(), end, "bare")):
                continue  # 'סעיף א' heading a section of a commentary's page: a division, no citation
            siman = m.group("lvl") in ("סימן", "סי'")
            seif_no = m.group("s1") or m.group("s4") or ((m.group("s2") or "") + (m.group("s3") or ""))
            in_part = _HE_PART_BEFORE.search(norm, max(0, m.start() - 16), m.start())
            cands.append(
                _Cand(
                    m.start() if in_part is None else in_part.start(),
                    end,
                    "bare",
                    level="siman" if siman else _HE_LEVEL[m.group("lvl")],
                    addr=addr,
                    hebrew=True,
                    seif=seif_no if siman else "",
                    part=0 if in_part is None else _HE_PART_NUMBERS[in_part.group("n").removeprefix("ה")],
                    seif_katan=(m.group("k1") or m.group("k2") or "") if siman else "",
                    finer=_finer_after(norm, end) if m.group("lvl") == "פרק" else "",
                )
            )
            if siman and not seif_no and not m.group("k1") and not m.group("k2") and "-" not in addr:
                cands.extend(_more_simanim(norm, end))
    if "(" in norm and "," in norm:
        for m in _HE_PAREN_VERSE.finditer(norm):  # '(ו', ד–ט)' in a text on a book of the Bible
            addr = _he_paren_verse(m)
            if addr is not None:
                cands.append(_Cand(m.start(), m.end(), "bare", level="he_verse", addr=addr, hebrew=True))
    if "(" in norm:
        for m in _HE_PAREN_VERSE_SPACED.finditer(norm):  # '(לג יט)' in a quiz on a portion: no comma
            addr = _he_spaced_verse(m)
            if addr is not None:
                cands.append(_Cand(m.start(), m.end(), "bare", level="he_verse", addr=addr, hebrew=True))
    if "(" in norm and "ע" in norm:
        for m in _HE_PAREN_AMUD_ALONE.finditer(norm):  # '(בע"ב)' in a note on a daf: that daf's other side
            cands.append(_Cand(m.start(), m.end(), "ibid", addr=m.group("amud"), hebrew=True))
        for m in _HE_PAREN_DAF_AMUD.finditer(norm):  # 'בסוף מסכת נדרים אומרת (פ"א ע"א)': a daf and amud alone
            addr = _he_daf_amud(m)
            if addr is not None:
                cands.append(_Cand(m.start(), m.end(), "bare", level="daf", addr=addr, hebrew=True))
    if "(" in norm and ("–" in norm or " - " in norm):
        for m in _HE_PAREN_DASHED_VERSE.finditer(norm):  # '(כ"א – י"ט)': chapter, dash, verse
            addr = _he_dashed_verse(m)
            if addr is not None:
                cands.append(_Cand(m.start(), m.end(), "bare", level="he_verse", addr=addr, hebrew=True))
    if "(" in norm and ("לעיל" in norm or "לקמן" in norm or "להלן" in norm):
        for m in _HE_HERE_CHAPTER.finditer(norm):  # '(לעיל כב)' in a commentary on a book of the Bible
            ch = _arabic(m.group("ch").rstrip("'"))
            v = m.group("v")
            if ch.isdigit() and (v is None or _arabic(v.rstrip("'")).isdigit()):
                addr = ch if v is None else f"{ch}:{_arabic(v.rstrip(chr(39)))}"
                level = "he_before" if m.group("dir").endswith("לעיל") else "he_after"
                cands.append(_Cand(m.start(), m.end(), "bare", level=level, addr=addr, hebrew=True))
    if 'רמב"ם' in norm and "(" in norm:
        for m in _HE_RAMBAM_PAREN_HILCHOT.finditer(norm):  # 'הרמב"ם (בית הבחירה פרק ב הלכה יא)'
            ref = _parse_in(f"הלכות {m.group('name')} {m.group('addr')}")
            if ref is not None and ref.work.title.startswith("Mishneh Torah, "):
                cands.append(_Cand(m.start("name"), m.end("addr"), "ref", ref, ref.work, hebrew=True))
    if "," in norm and _HEBREW.search(norm):
        for m in _he_portion_verse().finditer(norm):  # 'והאמין בה' – לך לך טו, ו': the portion's book
            name = m.group("name")
            if (
                " " not in name
                and len(name) <= 3
                and not m.group("intro")
                and not _after_source_dash(norm, m, name)
            ):
                continue  # 'ראה יב, ג' is 'see 12:3' of the book cited before; 'פרשת ראה יב, ג' the portion
            ref = _verse_in_portion(name, m.group("ch"), m.group("v"))
            if ref is not None:
                cands.append(_Cand(m.start(), m.end(), "ref", ref, ref.work, hebrew=True))
    if "(" in norm and '"' in norm:
        for m in _HE_VERSE_BY_QUOTE.finditer(norm):  # '"בן חכם ישמח אב" (א)' under 'בפרק י' בספר משלי'
            n = _verse_number(m.group("n") or m.group("n2"))
            if n is not None:
                p0 = m.start("p") if m.group("p") else m.start("p2")
                p1 = m.end("p") if m.group("p") else m.end("p2")
                cands.append(_Cand(p0, p1, "bare", level="verse_of_chapter", addr=n, hebrew=True))
    if "ספר" in norm and "פרק" in norm:
        for m in _HE_CHAPTER_OF_BOOK.finditer(norm):  # 'בפרק י' בספר משלי': the chapter before its book
            found = _chapter_of_book(m)
            if found is not None:
                ref, end = found
                cands.append(_Cand(m.start("lvl"), end, "ref", ref, ref.work, hebrew=True))
    if "(" in norm and _HEBREW.search(norm):
        for m in _he_paren_portion_verse().finditer(
            norm
        ):  # '(פקודי מ' ל"ד)': the portion alone in parentheses
            name = m.group("name")
            if " " not in name and len(name) <= 3:
                continue  # '(ראה יב ג)' is 'see 12:3'
            ref = _verse_in_portion(name, m.group("ch"), m.group("v"))
            if ref is not None:
                cands.append(_Cand(m.start("name"), m.end("v"), "ref", ref, ref.work, hebrew=True))
    if "(" in norm and ('"' in norm or "שיר" in norm):
        from madrega.text.numerals import is_numeral

        for m in _HE_PAREN_BOOK_ABBREVIATION.finditer(norm):  # '(שיר ג ח)', '(מ"א א)' in a midrash's sources
            if not all(is_numeral(n) for n in m.group("addr").replace(",", " ").split()):
                continue  # '(מ"א ס"ק ג)': the Magen Avraham's seif katan
            ref = _parse_in(f"{_HE_PAREN_BOOKS[m.group('book')]} {m.group('addr')}")
            if ref is not None:
                cands.append(_Cand(m.start("book"), m.end("addr"), "ref", ref, ref.work, hebrew=True))
    if ":" in norm and ("(" in norm or "[" in norm):
        for m in _PAREN_ADDRESSES.finditer(norm):
            chapter = ""
            base = m.start("list")
            for item in _ADDRESS_ITEM.finditer(m.group("list")):
                chapter = item.group("ch") or chapter
                addr = f"{chapter}:{item.group('v')}"
                cands.append(
                    _Cand(base + item.start(), base + item.end(), "bare", level="address", addr=addr)
                )
    ibids = [_ibid(norm, m.start(), m.end(), False) for m in _finditer(_IBID_EN, norm)]
    if "שם" in norm:
        ibids += [_ibid(norm, m.start(), m.end(), True) for m in _finditer(_IBID_HE, norm)]
    cands.extend(c for c in ibids if c is not None)
    if "פרשת" in norm or "pars" in norm or "paras" in norm:
        for m in _PORTION_LINE.finditer(norm):
            cands.append(_Cand(m.start("lead"), m.end("name"), "portion", addr=m.group("name")))
    for m in _line_starts_finditer(_LINE_EN, norm):
        cands.append(_Cand(m.start("addr"), m.end("addr"), "line", addr=m.group("addr")))
    if ":" in norm:
        for m in _line_starts_finditer(
            _LINE_EN_FULL, norm
        ):  # '1:1 The Medrash states': a full address opening a line
            cands.append(_Cand(m.start("addr"), m.end("addr"), "line", addr=m.group("addr")))
    if "rabb" in norm[:300]:
        _rabbah_heading(norm, cands)
    for m in _line_starts_finditer(_LINE_HE, norm):
        cands.append(_Cand(m.start("addr"), m.end("addr"), "line", addr=m.group("addr"), hebrew=True))
    if _HEBREW.search(norm):
        for m in _LINE_HE_NUMERAL.finditer(norm):  # 'נג' alone on a line of a list under 'Bava Kamma'
            cands.append(_Cand(m.start("addr"), m.end("addr"), "line", level="numeral", addr=m.group("addr")))
        if "{" in norm:
            for m in _LINE_HE_BRACED.finditer(norm):  # '{א} ועתה ישראל' under 'אור החיים, דברים פרק ד'
                cands.append(
                    _Cand(m.start(), m.end(), "line", level="braced", addr=m.group("addr"), hebrew=True)
                )
    cands = [c for c in cands if c is not None]
    if ":" in norm:  # only where no other reading starts
        starts = {c.start for c in cands}
        for m in _LINE_VERSE_EN.finditer(norm):
            if m.start("addr") not in starts:
                cands.append(
                    _Cand(m.start("addr"), m.end("addr"), "bare", level="line_verse", addr=m.group("addr"))
                )
    cands.sort(key=lambda c: (c.start, _RANK[c.kind], -c.end))
    out: list[_Cand] = []
    taken_end = -1
    unread = -1  # the list whose first item is of a part not read: its other items are too
    for c in cands:  # a span is read once: an explicit reference owns its words, then ibid, then bare
        if c.kind == "mention":
            out.append(c)
        elif c.kind == "bare" and c.group >= 0 and c.group == unread:
            continue
        elif c.kind == "bare" and out and out[-1].kind == "mention" and _of_a_part_not_read(norm, out[-1], c):
            unread = c.group
            continue  # 'Peri Eitz Chaim, Sha'ar Kriat Shema, Chapter 3': a chapter of a part not read
        elif c.start >= taken_end:
            out.append(c)
            taken_end = c.end
    return out


_SUBTITLE = re.compile(r"[ \t]+-[ \t]+[^\n:]{1,30}(?:[ \t]+-[ \t]+[^\n:]{1,20})?[ \t]*")


_HE_CHAPTER_WORD = re.compile(r"(?<![א-ת])(?:פרק|פ')[ \t]+[א-ת]")
_HE_PAREN_DAF_AFTER = re.compile(
    r"[ \t]*\((?:דף[ \t]+)?(?P<daf>[א-ת]{1,3}(?:\"[א-ת])?)(?:(?P<mark>[.:])|[ \t]*,?[ \t]*(?:ע[\"']|עמוד[ \t]*)?(?P<amud>[אב])['\"]?)[ \t]*\)"
)


# a verse's number alone in parentheses right after the quoted verse ('"..." (א)') or right before it
# ('(יב): "...'): a verse of the chapter of the Bible cited last
_HE_VERSE_BY_QUOTE = re.compile(
    rf"[\"”][ \t]*(?P<p>\((?P<n>{_HE_NUM})\))|(?P<p2>\((?P<n2>{_HE_NUM})\))[ \t]*:?[ \t]*[\"“]"
)


def _verse_number(written: str) -> str | None:
    """A Hebrew numeral as written ('א', 'י"ב') as digits, else None ('שם', words)."""
    from madrega.text.numerals import is_numeral

    written = written.rstrip("'")
    if written in _HE_IBID_WORDS or not is_numeral(written.replace('"', "")):
        return None
    n = _arabic(written)
    return n if n.isdigit() and 0 < int(n) < 180 else None


def _verse_of_chapter(ctx: _Context, c: _Cand) -> Any | None:
    """A verse's number alone: of the chapter of the Bible cited last by its chapter alone ('(תהלים מה)',
    'בפרק י' בספר משלי'), only verses of that chapter cited since; else refused."""
    since: list[Any] = []
    for _p, _e, ref, _h, _he in reversed(ctx.history):
        if ref is None:
            continue
        if ref.work.category != "Tanakh" or len(since) > 30:
            return None
        if len(ref.sections) == 1 and getattr(ref, "end", None) in (None, ref.sections):
            if all(r.work is ref.work and r.sections[0] == ref.sections[0] for r in since):
                return _parse_in(f"{ref}:{c.addr}")
            return None
        since.append(ref)
    return None


# 'בפרק י' בספר משלי', 'פרק ג בספר שמואל א': a chapter, then the book of the Bible it is of
_HE_CHAPTER_OF_BOOK = re.compile(
    rf"(?<![א-ת])(?P<lvl>ו?ב?פרק)[ \t]+(?P<ch>{_HE_NUM})[ \t]+ב?ספר[ \t]+"
    r"(?P<book>[א-ת\"']+(?:[ \t]+[א-ת\"']+)?)"
)


def _chapter_of_book(m: re.Match[str]) -> tuple[Any, int] | None:
    """The chapter of the book named after it and where the name ends, of the Bible only; the name is
    one or two words, the longer tried first ('שיר השירים', 'שמואל א'); two words naming another work
    ('בספר בראשית רבה') are no book of the Bible."""
    ch = _arabic(m.group("ch").rstrip("'"))
    if not ch.isdigit():
        return None
    words_ = m.group("book").split()
    for n in (2, 1):
        if len(words_) < n:
            continue
        ref = _parse_in(f"{' '.join(words_[:n])} {ch}")
        if ref is None:
            continue
        if ref.work.category != "Tanakh" or len(ref.sections) != 1:
            return None
        end = m.start("book") + len(words_[0]) if n == 1 else m.end("book")
        return ref, end
    return None


_HE_MISHNAH_BEFORE = re.compile(r"(?<![א-ת])ו?ה?משנה[ \t]*,?[ \t]*$")


def _mishnah_before(norm: str, cite: _Cand) -> _Cand | None:
    """'משנה מסכת ברכות, פרק ד'': a tractate's chapter with the word Mishnah before it is the Mishnah's."""
    m = _HE_MISHNAH_BEFORE.search(norm, max(0, cite.start - 12), cite.start)
    if m is None:
        return None
    ref = _parse_in("משנה " + norm[cite.start : cite.end])
    if ref is None or ref.work.category != "Mishnah":
        return None
    return _Cand(m.start(), cite.end, "ref", ref, ref.work, hebrew=True)


def _daf_after_chapter(norm: str, cite: _Cand) -> _Cand | None:
    """A tractate's chapter ('במסכת ברכות פרק ב'') is no daf of it: the daf is the one in the parentheses
    after it ('(יז, א)', '(יז.)'), or there is no place to link."""
    m = _HE_PAREN_DAF_AFTER.match(norm, cite.end)
    if m is None:
        return None
    daf = _arabic(m.group("daf").replace('"', ""))
    if not daf.isdigit():
        return None
    side = m.group("amud") or ("א" if m.group("mark") == "." else "ב")
    ref = _parse_in(f"{cite.ref.work.title} {daf}{'a' if side == 'א' else 'b'}")
    if ref is None:
        return None
    return _Cand(cite.start, m.end(), "ref", ref, ref.work, hebrew=True)


# The Rambam named, then his hilchot by their name alone and the chapter in parentheses
_HE_RAMBAM_PAREN_HILCHOT = re.compile(
    r"(?<![א-ת])[הלבו]?רמב\"ם[ \t]*\((?P<name>[א-ת]+(?:[ \t]+[א-ת]+){0,3}?)[ \t]+"
    r"(?P<addr>(?:פרק|פ')[ \t]+[א-ת\"']{1,4}(?:[ \t]*,?[ \t]*(?:הלכה|הל'|ה')[ \t]+[א-ת\"']{1,4})?)[ \t]*\)"
)
# Books of the Bible an edition abbreviates only inside its parenthesized sources, before a chapter (and
# verse) and nothing else: '(שיר ג ח)' in the Zohar, '(מ"א א)' in the Midrash Rabbah ('מ"א ס"ק ג' with a
# level word is the Magen Avraham, and outside parentheses 'שיר' is a song)
_HE_PAREN_BOOKS = {
    "שיר": "שיר השירים",
    'מ"א': "מלכים א",
    'מ"ב': "מלכים ב",
    'ש"א': "שמואל א",
    'ש"ב': "שמואל ב",
    'דה"א': "דברי הימים א",
    'דה"ב': "דברי הימים ב",
}
_HE_PAREN_BOOK_ABBREVIATION = re.compile(
    rf"\([ \t]*(?P<book>{_alternation(list(_HE_PAREN_BOOKS))})[ \t]+"
    rf"(?P<addr>{_HE_NUM}(?![א-ת])(?:[ \t]*,?[ \t]*{_HE_NUM}(?![א-ת]))?)[ \t]*\)"
)


def _opens_its_line(norm: str, start: int, chars: str | None = None) -> bool:
    """Whether nothing but whitespace (or only `chars`) stands between the line's start and `start`:
    `norm[line_start:start].strip(chars)` is empty, read back from `start` (a long line is not copied
    for every candidate on it)."""
    k = start - 1
    while k >= 0:
        ch = norm[k]
        if ch == "\n":
            return True
        if not (ch.isspace() if chars is None else ch in chars):
            return False
        k -= 1
    return True


def _subtitled_heading(norm: str, c: _Cand) -> bool:
    """Whether a citation opens a line that holds only it and a subtitle after a dash ('Tanya: Chapter 35
    - Part 3 - video'): a section's heading."""
    if not _opens_its_line(norm, c.start):
        return False
    line_end = norm.find("\n", c.end)
    return bool(_SUBTITLE.fullmatch(norm, c.end, len(norm) if line_end < 0 else line_end))


def _alone_on_its_line(norm: str, c: _Cand) -> bool:
    """Whether a candidate is all its line holds (a heading), but for brackets, quotes and dashes."""
    line_start = norm.rfind("\n", 0, c.start) + 1
    line_end = norm.find("\n", c.end)
    before = norm[line_start : c.start]
    if 'מ"ג' in before:
        before = _HE_MIKRAOT_LEAD.sub("", "\n" + before)  # 'מ"ג דברים יא ז': the Mikraot Gedolot's page
    rest = before + norm[c.end : len(norm) if line_end < 0 else line_end]
    if "[" in rest:
        rest = re.sub(r"\[[^\]\n]{0,12}\]", "", rest)  # 'סעיף א[עריכה]': a wiki's edit link
    return not rest.strip(" \t'\"*-–()[]:.,")


# 'ס"ק י', 'סק"ד', "סע' א", 'סעיף יד': the second level of a siman-addressed work, its siman unsaid.
_SEIF_ONLY = re.compile(
    rf"[ \t]*,?[ \t]*(?:(?:ס\"ק|ס'ק|סעיף|סעי'|סע'|ס\"ס)[ \t]*(?P<n>{_HE_NUM})|סק\"(?P<glued>[א-ת]))(?![א-ת\"'])"
)


def _seif_number(m: re.Match[str]) -> str:
    return m.group("n") or m.group("glued")


def _seif_only(norm: str, end: int, cite: _Cand) -> _Cand:
    """'משנ"ב ס"ק י': a seif katan with no siman is of the siman the text is on (resolved later), not
    siman 10 as the parser reads the lone number."""
    lead = _HE_LEAD.match(norm, end)
    m = _SEIF_ONLY.match(norm, end if lead is None else lead.end())
    if m is None:
        return cite  # the address starts with its siman
    return _Cand(cite.start, m.end(), "seif", entry=cite.ref.work, addr=_seif_number(m), hebrew=True)


@cache
def _parts_of(group: str) -> tuple[Work, ...]:
    """The parts of a book of parts addressed by siman (the Shulchan Arukh's four), once per process."""
    return tuple(w for w in catalog().works if w.group == group and w.kinds[:1] == ("siman",))


_HE_PART_WORD = re.compile(r"[ \t]+([א-ת][א-ת\"']*)")


def _part_spelt_otherwise(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'(חובת הלבבות שער הפרישות פ"ד)', 'חובות הלבבות שער הבטחון פרק ד': a book of parts and, after it,
    the name of one of its parts in a spelling the catalog does not list (the parser reads it loosely,
    only as a part of that same book), then the address in it."""
    if not title.hebrew:
        return None
    from madrega.refs.parser import _find_title

    ends: list[int] = []
    pos = end
    for _ in range(3):
        m = _HE_PART_WORD.match(norm, pos)
        if m is None:
            break
        pos = m.end()
        ends.append(pos)
    group = title.entry.name
    for word_end in reversed(ends):
        name = f"{title.alias}{norm[end:word_end]}"
        found = _find_title(name, lead_ins=False)
        if found is None or type(found[0]) is not Work or found[0].group != group or found[1].strip():
            continue
        addr = _address(norm, word_end, True)
        if addr is None:
            return None
        for cut in reversed(addr.cuts):
            if cut in addr.bound and cut != addr.cuts[-1]:
                continue
            parsed = _try_parse(name, norm[word_end:cut])
            if parsed is None or parsed[1] or parsed[0].work is not found[0] or not parsed[0].sections:
                continue
            word_start = start
            while word_start > 0 and norm[word_start - 1] in _HE_PREFIXES and start - word_start < 3:
                word_start -= 1
            return _Cand(word_start, cut, "ref", parsed[0], parsed[0].work, hebrew=True)
        return None
    return None


def _part_by_its_name(
    norm: str, text: str, offsets: array | None, start: int, end: int, title: _Title
) -> _Cand | None:
    """'פרי עץ חיים שער קריאת שמע פרק ג': a book of parts, a part's Hebrew name (as the parser reads it,
    with or without the article), then the place in that part."""
    from madrega.refs.parser import _part_by_name

    if not title.hebrew or title.entry.default_part:
        return None
    line_end = norm.find("\n", end, end + 80)
    rest = norm[end : min(len(norm) if line_end < 0 else line_end, end + 80)]
    named = _part_by_name(title.entry, rest)
    if named is None:
        return None
    work, taken = named
    m = re.match(r"(?:[ \t]*(?:,|[^\s,]+)){" + str(taken) + "}", rest)
    if m is None:
        return None
    part = _Title(work.he_title, work, True, False, False)
    cite = _cite(norm, text, offsets, end + m.end(), end + m.end(), (part,), start)
    if cite is None:
        return None
    cite.start = start
    while cite.start > 0 and norm[cite.start - 1] in _HE_PREFIXES and start - cite.start < 3:
        cite.start -= 1
    return cite


_PART_AFTER_COMMA = re.compile(
    r"[ \t]*(?:,|(?P<paren>\())[ \t]*(?P<name>[a-z][a-z'\-]*(?:[ \t][a-z][a-z'\-]*){0,3})[ \t]+"
    r"(?P<addr>\d{1,3}(?::\d{1,3})?(?:[ \t]*-[ \t]*\d{1,3})?)(?![\w:])(?(paren)[ \t]*\))"
)


def _part_after_comma(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'Mishnah Torah, Avel 14:2', 'Rambam, Teshuvah 3:4': a book of parts, a comma, a part's own name
    (no 'Hilchot' before it) and the place in that part, read as the parser reads it; or the part and
    place in parentheses ('Sefer HaMitzvot (positive commandment 210)')."""
    if title.hebrew:
        return None
    m = _PART_AFTER_COMMA.match(norm, end)
    if m is None:
        return None
    ref = _parse_in(f"{title.entry.name}, {m.group('name')} {m.group('addr').replace(' ', '')}")
    if ref is None or ref.work.group != title.entry.name:
        return None
    return _Cand(start, m.end(), "ref", ref, ref.work)


def _partless(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'שו"ע תרב סע' א', 'רמ"א תרג': a book of parts (the Shulchan Arukh) cited by its siman without
    the part: every part it can be read in (a siman past a part's end is not of it), for the text's
    other citations to choose between (`_choose_part`). In English ('S"A 90:21', 'Tur 94:3') only a
    siman and its seif, or a siman named by its word."""
    hebrew = title.hebrew
    pos = end
    lead = (_HE_LEAD if hebrew else _EN_LEAD).match(norm, pos)
    if lead is not None:
        pos = lead.end()
    addr = _address(norm, pos, hebrew)
    if addr is None:
        return None
    parts = _parts_of(title.entry.name)
    if not parts:
        return None
    for cut in reversed(addr.cuts):
        written = norm[pos:cut]
        if not hebrew:
            if cut in addr.bound and cut != addr.cuts[-1]:
                continue  # '90:21' never ends at '90'
            if not (re.fullmatch(r"[ \t]*\d{1,3}:\d{1,3}(?:[ \t]*-[ \t]*\d{1,3})?", written) or addr.levels):
                continue
        elif not _in_parens(norm, start) and not _he_looks_like_address(written, addr.levels > 0):
            continue
        options = [r for r in (_parse_in(f"{w.title} {written}") for w in parts) if r is not None]
        if options:
            word_start = start
            while word_start > 0 and norm[word_start - 1] in _HE_PREFIXES and start - word_start < 3:
                word_start -= 1
            return _Cand(word_start, cut, "part_ref", entry=title.entry, hebrew=hebrew, options=options)
    return None


# Books of parts numbered alike (klal and seif) whose part a text names by its subject, not by its title:
# the Chofetz Chaim's laws of lashon hara (Part One) and of rechilus (Part Two)
_KLAL_SUBJECTS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "Chofetz Chaim": (
        (
            "Chofetz Chaim, Part One, The Prohibition Against Lashon Hara, Principle",
            re.compile(
                r"(?<![a-z])(?:l[ao]sh[ao]n[ \t-]?h[ao]r[aeo]h?|lh|motzi[ \t]+shem[ \t]+ra)(?![a-z])|לשון[ \t]+הרע"
            ),
        ),
        (
            "Chofetz Chaim, Part Two, The Prohibition Against Rechilut, Principle",
            re.compile(r"(?<![a-z])r[e']?chil(?:us|ut|as|ous)(?![a-z])|רכילות"),
        ),
    ),
}
_KLAL_ADDRESS = re.compile(
    r"[ \t]*,?[ \t]*(?:klal[ \t]*)?(?P<k>\d{1,2})[ \t]*(?::|,[ \t]*seif[ \t]*)(?P<s>\d{1,2}(?:[ \t]*-[ \t]*\d{1,2})?)(?![\w:])"
)
# 'Chofetz Chaim Daily 29 Sivan 1:8 Asur to write LH. 1:9 Asur even if': a klal and seif alone
_KLAL_BARE = re.compile(r"(?<![\w:./-])(?P<addr>\d{1,2}:\d{1,2}(?:-\d{1,2})?)(?![\w:]|-\d)")
_KLAL_BOOK = re.compile(
    r"(?<![a-z])(?:chofetz|chafetz|hafetz)[ \t]+(?:chaim|chayim|hayim)(?![a-z])|חפץ[ \t]+חיים"
)


# A text on the Rambam ('Rambam, Hilchos Deos', 'Maimonides', 'Mishneh Torah', 'רמב"ם') may name the
# Mishneh Torah's parts alone: 'Deos 1:2 + Teshuva 5:2,4', 'Teshuvah, Chapter 3'
_RAMBAM_NAMED = re.compile(
    r"(?<![a-z])(?:rambam|maimonides|mishn[ae]h?[ \t]+torah|hilch[oa]s|hilchot|hilkhot|hilkhos)(?![a-z])|רמב\"ם|משנה[ \t]+תורה"
)
# A part's name: one or two words ('Deos', 'Hilchot Shabbat'), or 'Tefillin, Mezuzah v’Sefer Torah'.
_MT_NAME = (
    r"(?<![a-z'’.,\-])(?P<name>[a-z][a-z'’]{3,}(?:[ \t]+[a-z][a-z'’]{2,}|,[ \t]+[a-z][a-z'’]{2,}(?=[ \t]+[vu]['’]))?"
    r"(?:[ \t]+[vu]['’][a-z]{3,}(?:[ \t]+[a-z][a-z'’]{2,})?)?)"
)
# Its place: a chapter and halakha, or 'chapter N' after it (with a comma or a dash, or none).
_MT_PLACE = (
    r"(?:[ \t]+(?P<addr>\d{1,2}:\d{1,3}(?:[ \t]*-[ \t]*\d{1,3})?)"
    r"|[ \t]*[,\-–—]?[ \t]*chapter[ \t]+(?P<ch>\d{1,2}))(?!\w|:\d)"
)
_MT_PART_ALONE = re.compile(_MT_NAME + _MT_PLACE)

# The shortcut to `_MT_PART_ALONE`'s matches (`_mt_part_matches`): where a place may begin (found from its
# digits or the word 'chapter'), and a name that ends there, searched back.
_MT_ADDRESS_DIGITS = re.compile(r"[ \t]+\d{1,2}:\d")
_MT_CHAPTER_WORD = re.compile(r"chapter[ \t]+\d")
_MT_NAME_ENDING = re.compile(_MT_NAME + r"\Z")
_MT_LONGEST_NAME = 80


def _mt_place_starts(norm: str) -> list[int]:
    """Where a part's name may end before its place: before the whitespace of a chapter and halakha, or
    before what comes between it and 'chapter N' (spaces, a comma or a dash). `_mt_part_matches` checks
    each with the whole pattern."""
    places = [m.start() for m in _MT_ADDRESS_DIGITS.finditer(norm)]
    for m in _MT_CHAPTER_WORD.finditer(norm):
        at = m.start()
        places.append(at)
        while at > 0 and norm[at - 1] in " \t":
            at -= 1
            places.append(at)
        if at > 0 and norm[at - 1] in ",-–—":
            at -= 1
            places.append(at)
            while at > 0 and norm[at - 1] in " \t":
                at -= 1
                places.append(at)
    return sorted(set(places))


def _mt_part_matches(norm: str) -> Iterator[re.Match[str]]:
    """`_MT_PART_ALONE.finditer(norm)`, found from the addresses back: a text has far fewer of them than
    words, where the pattern would be tried."""
    for at in _mt_place_starts(norm):
        name = _MT_NAME_ENDING.search(norm, max(0, at - _MT_LONGEST_NAME), at)
        if name is None:
            continue
        m = _MT_PART_ALONE.match(norm, name.start())
        if m is not None and m.end("name") == at:
            yield m


# 'MB 263:51' of a halacha column: the Mishnah Berurah's siman and seif katan ('MB' is also Melachim Bet)
_MB = re.compile(r"(?<![\w.])m\.?[ \t]?b\.?[ \t]+(?P<addr>\d{1,3}:\d{1,3}(?:[ \t]*-[ \t]*\d{1,3})?)(?![\w:])")
_HALAKHA_NAMED = re.compile(
    r"(?<![a-z])(?:mishn[ae]h?[ \t]+b[e]?rur[ae]h?|shulch?an[ \t]+aruch?|orach[ \t]+chay?im|kitzur|siman)(?![a-z])"
)


# the Hebrew letters by their names, as English writes a chapter's number ('perek beis')
_LETTER_NAMES = {
    **dict.fromkeys(("aleph", "alef"), 1),
    **dict.fromkeys(("beis", "bais", "bet", "beit", "beth"), 2),
    **dict.fromkeys(("gimmel", "gimel"), 3),
    **dict.fromkeys(("daled", "dalet"), 4),
    **dict.fromkeys(("hei", "heh", "hey"), 5),
    **dict.fromkeys(("vav", "vov"), 6),
    "zayin": 7,
    **dict.fromkeys(("ches", "cheis", "chet", "het"), 8),
    **dict.fromkeys(("tes", "teis", "tet"), 9),
    **dict.fromkeys(("yud", "yod"), 10),
}
# the tens and hundreds, as a daf's number is spelt ('daf chof tes', 29)
_TENS_NAMES = {
    **dict.fromkeys(("chof", "kaf", "kof", "chaf"), 20),
    "lamed": 30,
    "mem": 40,
    "nun": 50,
    **dict.fromkeys(("samech", "samekh"), 60),
    "ayin": 70,
    **dict.fromkeys(("pei", "peh", "pey"), 80),
    **dict.fromkeys(("tzadi", "tzadik", "tzaddi"), 90),
    **dict.fromkeys(("kuf", "kuph", "koof"), 100),
}
_DAF_LETTERS = re.compile(
    rf"[ \t]*[:,]?[ \t]+daf[ \t]+(?P<d>(?:(?:{_alternation([*_TENS_NAMES, *_LETTER_NAMES])})(?:[ \t]+|(?=[ \t]*,)|$)){{1,3}})"
    r"[ \t]*,?[ \t]*amud[ \t]+(?P<a>aleph|alef|beis|bais|bet|beit|beth)(?!\w)"
)
_PEREK_MISHNAH = re.compile(
    rf"[ \t]*,?[ \t]+perek[ \t]+(?P<ch>\d{{1,2}}|{_alternation(list(_LETTER_NAMES))})[ \t]*,?[ \t]*"
    rf"mishn(?:ah|a|ayos|ayot)?[ \t]+(?P<n>\d{{1,2}}|{_alternation(list(_LETTER_NAMES))})(?![\w:])"
)


_THE_BEFORE = re.compile(r"(?<![a-z])the[ \t]+$")
_VERSE_IN_BRACKETS = re.compile(r"[ \t]*[\[(][ \t]*(?P<addr>\d{1,2}:\d{1,2})[ \t]*[\])]")


def _the_megillah(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'It is written in the Megillah [2:5]': the Megillah with the article is the scroll of Esther, not
    the tractate, and a chapter and verse after it are Esther's."""
    if title.hebrew or getattr(title.entry, "title", "") not in ("Megillah", "Mishnah Megillah"):
        return None
    if not _THE_BEFORE.search(norm, max(0, start - 5), start):
        return None
    m = _VERSE_IN_BRACKETS.match(norm, end)
    if m is None:
        return None
    ref = _parse_in(f"Esther {m.group('addr')}")
    return None if ref is None else _Cand(m.start("addr"), m.end("addr"), "ref", ref, ref.work)


def _daf_by_letters(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'Brochas: Daf Chof Tes amud beis': a tractate of the Talmud, its daf spelt by the Hebrew letters'
    names and the amud by its letter: that amud (29b)."""
    if title.hebrew or not isinstance(title.entry, Work) or title.entry.category != "Talmud":
        return None
    m = _DAF_LETTERS.match(norm, end)
    if m is None:
        return None
    names = m.group("d").split()
    values = [_TENS_NAMES.get(w, _LETTER_NAMES.get(w, 0)) for w in names]
    if any(a <= b for a, b in pairwise(values)):
        return None  # the letters of a number run from the greatest down ('chof tes', never 'tes chof')
    amud = "a" if _LETTER_NAMES[m.group("a")] == 1 else "b"
    ref = _parse_in(f"{title.entry.title} {sum(values)}{amud}")
    return None if ref is None else _Cand(start, m.end(), "ref", ref, ref.work)


def _perek_by_letter(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'Rosh hashana perek beis mishna 8': a tractate, its chapter (a number, or a Hebrew letter by its
    name) and the mishnah in it: the Mishnah at that place."""
    if title.hebrew or not isinstance(title.entry, Work) or title.entry.category not in ("Talmud", "Mishnah"):
        return None
    m = _PEREK_MISHNAH.match(norm, end)
    if m is None:
        return None
    ch, n = (g if g.isdigit() else str(_LETTER_NAMES[g]) for g in (m.group("ch"), m.group("n")))
    tractate = title.entry.title.removeprefix("Mishnah ")
    ref = _parse_in(f"Mishnah {tractate} {ch}:{n}")
    return None if ref is None else _Cand(start, m.end(), "ref", ref, ref.work)


def _mishnah_berurah_initials(text: str, norm: str, offsets: array | None) -> list[_Cand]:
    """'MB 263:51', 'M.B. 1:4': the Mishnah Berurah, where the siman is past the 25 chapters of II Kings
    (the other book 'MB' names) or the text names the Shulchan Aruch, the Mishnah Berurah, Orach Chaim, the
    Kitzur or a siman; else nothing (the initials in capitals only)."""
    out: list[_Cand] = []
    for m in _finditer(_MB, norm):
        written = text[_orig(offsets, m.start()) : _orig(offsets, m.start("addr"))]
        if written.replace(".", "").replace(" ", "").replace("\t", "") != "MB":
            continue
        siman = int(m.group("addr").split(":")[0])
        if siman <= 25 and not _HALAKHA_NAMED.search(norm):
            continue
        ref = _parse_in(f"Mishnah Berurah {m.group('addr').replace(' ', '').replace(chr(9), '')}")
        if ref is not None:
            out.append(_Cand(m.start(), m.end(), "ref", ref, ref.work))
    return out


# A digest of the Mishnah Berurah ('Siman 40' above its rulings): each ruling's source as the Shulchan Arukh's
# seif ('ShA2') and the Mishnah Berurah's notes ('MB6', '(MB 4)', 'MB1,2', 'MB4,5,6,7'), or 'Section 25 in MB
# 31'. Capitals only, never with a colon after ('MB 263:51' is read whole).
_DIGEST_NOTE = re.compile(
    r"(?<![\w.])(?P<w>sha|mb)[ \t]?(?P<n>\d{1,3}(?:[ \t]*,[ \t]*\d{1,3})*)(?![\w:]|[ \t]*:[ \t]*\d|,\d)"
)
_SECTION_IN_MB = re.compile(
    r"(?<![\w.])section[ \t]+(?P<s>\d{1,3})[ \t]+in[ \t]+mb[ \t]?(?P<n>\d{1,3})(?![\w:])"
)


def _digest_notes(text: str, norm: str, offsets: array | None) -> list[_Cand]:
    """The Mishnah Berurah digest's sources: 'Section 25 in MB 31' a note of that siman; 'ShA2', 'MB6'
    bare, of the siman the digest is on (resolved by the siman cited last)."""
    out: list[_Cand] = []
    for m in _finditer(_SECTION_IN_MB, norm):
        if text[_orig(offsets, m.start("n")) - 3 : _orig(offsets, m.start("n"))].strip() != "MB":
            continue
        ref = _parse_in(f"Mishnah Berurah {m.group('s')}:{m.group('n')}")
        if ref is not None:
            out.append(_Cand(m.start(), m.end(), "ref", ref, ref.work))
    for m in _finditer(_DIGEST_NOTE, norm):
        written = text[_orig(offsets, m.start()) : _orig(offsets, m.end("w"))]
        if written not in ("ShA", "MB"):
            continue
        numbers = [int(n) for n in re.split(r"[ \t]*,[ \t]*", m.group("n"))]
        if any(b != a + 1 for a, b in pairwise(numbers)):
            continue  # 'MB1,2', 'MB4,5,6,7': notes in a row are a range; others no guess
        addr = str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}"
        out.append(_Cand(m.start(), m.end(), "bare", level="digest_" + m.group("w"), addr=addr))
    return out


# '(Samuel 2:23:1)': a book of the Bible in two, its number, chapter and verse (three numbers: no chapter
# and verse of a book called so alone)
_BOOK_NUMBER_FIRST = re.compile(
    r"(?<![\w.])(?P<book>samuel|kings|chronicles)[ \t]+(?P<n>[12])[ \t]*:[ \t]*"
    r"(?P<addr>\d{1,3}[ \t]*:[ \t]*\d{1,3}(?:[ \t]*-[ \t]*\d{1,3})?)(?![\w:])"
)


def _book_number_first(text: str, norm: str, offsets: array | None) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _finditer(_BOOK_NUMBER_FIRST, norm):
        if not text[_orig(offsets, m.start())].isupper() or _ORDINAL_BEFORE.search(
            norm, max(0, m.start() - 9), m.start()
        ):
            continue  # 'I Samuel 2:23:1' names its book: a verse's segment, not the book's number
        ref = _parse_in(f"{'I' * int(m.group('n'))} {m.group('book')} {m.group('addr').replace(' ', '')}")
        if ref is not None and ref.work.category == "Tanakh":
            out.append(_Cand(m.start(), m.end(), "ref", ref, ref.work))
    return out


@lru_cache(maxsize=4096)
def _mt_part_named(name: str) -> Work | None:
    """The part of the Mishneh Torah a name alone names ('deos', 'teshuvah'), or None: asked once per
    name, as a text repeats them, and not again for each address after it. Never a name that is also a
    work's ('Shabbat', 'Avot')."""
    named = catalog().lookup_key(name_key(name))
    if named is not None and getattr(named, "group", None) != "Mishneh Torah":
        return None
    try:
        ref = parse_composed(f"Mishneh Torah, {name} 1")
    except RefError:
        return None
    return ref.work if ref.sections and ref.work.group == "Mishneh Torah" else None


def _mt_parts_alone(text: str, norm: str, offsets: array | None) -> list[_Cand]:
    """'Deos 1:2', 'Teshuva 5:2,4', 'Teshuvah, Chapter 3' in a text that names the Rambam: a part of the
    Mishneh Torah by its own name (capitalized, as the parser reads it after 'Mishneh Torah, '), never a
    name that is also a work's ('Shabbat 5:3', 'Avot 2:5') nor a word of its English title ('Kings 11:1');
    glued to a number before it, as a table's cells run together ('Chassid22:49Deos 1:4-5'), still read."""
    out: list[_Cand] = []
    for m in _mt_part_matches(norm):
        words_ = m.group("name").split()
        addr = m.group("addr") or m.group("ch")
        for n in (len(words_), 1) if len(words_) > 1 else (1,):
            name = " ".join(words_[-n:])
            start = m.start("name") if n == len(words_) else m.end("name") - len(name)
            if not text[_orig(offsets, start)].isupper():
                continue
            part = _mt_part_named(name)
            if part is None:
                continue
            ref = _parse_in(f"{part.title} {addr.replace(' ', '').replace(chr(9), '')}")
            if ref is None:
                continue
            if n == 1 and name in ref.work.title.lower().removeprefix("mishneh torah, ").split():
                break  # 'Kings 11:1', 'Repentance 2:3': an English word, not the part's own name
            out.append(_Cand(start, m.end(), "ref", ref, ref.work))
            if m.group("addr"):
                out.extend(_continuations(norm, m.end(), ref, ref.work.title))
            break
    return out


def _klal_part(norm: str, group: str, since: int, at: int) -> tuple[str | None, list[str]]:
    """The part of `group` a klal and seif at `at` is in, by the subject the text names (rechilus, lashon
    hara): the first it names after the book's name at `since`, before the book is named again (a digest
    naming it before each day's seifim); none there, the one the whole text names (alone, or three times
    as often as the other); else the parts in order, as a ranked ambiguity (first None: no choice)."""
    subjects = _KLAL_SUBJECTS[group]
    again = _KLAL_BOOK.search(norm, max(since, at))
    stop = min(len(norm) if again is None else again.start(), max(since, at) + 1500)
    first: tuple[int, str] | None = None
    for title, pattern in subjects:
        m = pattern.search(norm, since, stop)
        if m is not None and (first is None or m.start() < first[0]):
            first = (m.start(), title)
    if first is not None:
        return first[1], []
    counts = sorted(((len(pattern.findall(norm)), title) for title, pattern in subjects), reverse=True)
    if counts[0][0] and counts[0][0] >= 3 * counts[1][0]:
        return counts[0][1], []
    return None, [title for title, _p in subjects]


def _klal_cite(norm: str, start: int, end: int, title: _Title) -> _Cand | None:
    """'Chofetz Chaim 2:3', 'Chafetz Chaim, klal 5, seif 2': the klal and seif of the part the text's subject
    is (`_klal_part`); with no subject named, a ranked ambiguity, lashon hara first."""
    if title.hebrew or title.entry.name not in _KLAL_SUBJECTS:
        return None
    m = _KLAL_ADDRESS.match(norm, end)
    if m is None:
        return None
    addr = f"{m.group('k')}:{m.group('s').replace(' ', '').replace(chr(9), '')}"
    part, ranked = _klal_part(norm, title.entry.name, end, m.end())
    refs = [r for r in (_parse_in(f"{t} {addr}") for t in ([part] if part else ranked)) if r is not None]
    if not refs:
        return None
    return _Cand(
        start,
        m.end(),
        "ref",
        refs[0],
        refs[0].work,
        alternatives=[str(r) for r in refs[1:]],
        score=0.6 if len(refs) > 1 else 1.0,
    )


def _klal_ref(ctx: _Context, c: _Cand) -> Any | None:
    """A klal and seif alone: of the part of the book of `_KLAL_SUBJECTS` named last (a heading or a name
    within a paragraph's reach), that the text's subject is; no part named, none."""
    for pos, entry, ref, persistent, he in reversed(ctx.history):
        if he != c.hebrew:
            continue
        if not persistent and c.start - pos > _WINDOW:
            return None
        name = getattr(entry, "name", None) if isinstance(entry, Group) else getattr(entry, "group", None)
        if name not in _KLAL_SUBJECTS:
            return None
        if ref is not None and isinstance(entry, Work):
            return _parse_in(f"{entry.title} {c.addr}")  # the part cited last
        part, _ranked = _klal_part(ctx.norm, name, pos, c.start)
        return None if part is None else _parse_in(f"{part} {c.addr}")
    return None


@cache
def _short_commentaries() -> tuple[dict[str, list[Work]], re.Pattern[str] | None]:
    """Commentaries on the Shulchan Arukh by the short name their part-named aliases begin with ('Taz'
    of 'Taz OC', 'Taz on Orach Chayim'): the works it may be, and a pattern for the name and a
    siman:seif after it (a title the scan read there keeps its place)."""
    table = _automaton().extra  # kept with the titles: finding them reads every work of the catalog
    if not isinstance(table, list):
        table = _short_commentary_table()
    cat = catalog()
    names = {str(name): [cat.by_index(int(i)) for i in found] for name, found in table}
    if not names:
        return {}, None
    pattern = re.compile(
        rf"(?<![\w.])({_alternation(list(names))})[ \t]+(?P<addr>\d{{1,3}}:\d{{1,3}})(?![\w:]|\.\d)"
    )
    return names, pattern


def _short_commentary_table() -> list[tuple[str, list[int]]]:
    """`_short_commentaries`' names and the indexes of the works each may be, in order (JSON, for the
    cache)."""
    cat = catalog()
    group = cat.groups.get("Shulchan Arukh")
    if group is None:
        return []
    names: dict[str, list[Work]] = {}
    for work in cat.works:
        part_title = _follows(work)
        if part_title is None or work.group == "Shulchan Arukh":
            continue
        part = cat.work(part_title)
        for alias in work.aliases:
            for name in part.aliases:
                for suffix in (f" on {name}", f" {name}"):
                    head = alias[: -len(suffix)].strip(" ,")
                    if alias.endswith(suffix) and len(head) >= 3 and not head.endswith(" on"):
                        found = names.setdefault(_alias_norm(head), [])
                        if work not in found:
                            found.append(work)
                        break
    return [(name, [work.index for work in found]) for name, found in names.items()]


# Works on one part of the Shulchan Arukh that Sefaria's title does not name it in.
_ON_PART = {"Mishnah Berurah": "Shulchan Arukh, Orach Chayim", "Biur Halacha": "Shulchan Arukh, Orach Chayim"}


def _follows(work: Any) -> str | None:
    """The part of the Shulchan Arukh whose simanim `work` is numbered by: the part itself, or the part a
    commentary is on ('Kaf HaChayim on Shulchan Arukh, Orach Chayim', the Mishnah Berurah)."""
    if not isinstance(work, Work) or work.kinds[:1] != ("siman",):
        return None
    if work.group == "Shulchan Arukh":
        return work.title
    if work.group == "Tur" and work.part is not None:  # the Tur's four parts are the Shulchan Arukh's
        part = catalog().groups["Shulchan Arukh"].part(work.part)
        return part.title if part is not None else None
    base = work.base or _ON_PART.get(work.title)
    if base is None and " on Shulchan Arukh, " in work.title:
        base = work.title.split(" on ", 1)[1]
    return base if base is not None and base.startswith("Shulchan Arukh, ") else None


@cache
def _part_names_re() -> tuple[re.Pattern[str], dict[str, str]] | None:
    """The Hebrew names of the Shulchan Arukh's parts ('אורח חיים', 'או"ח'), normalized as text is, and
    the part each names."""
    cat = catalog()
    group = cat.groups.get("Shulchan Arukh")
    if group is None:
        return None
    names: dict[str, str] = {}
    for work in group.parts.values():
        for name in cat._part_names(work)[1]:
            names.setdefault(_alias_norm(name), work.title)
    pattern = re.compile(rf"(?<![א-ת\"'])(?:[ובלמה]{{0,2}})({_alternation(list(names))})(?![א-ת\"'])")
    return pattern, names


def _parts_written(norm: str, before: int) -> set[str]:
    """The Shulchan Arukh's parts named by their Hebrew name anywhere before `before` ('הלכות תפילה -
    אורח חיים' heading the page): context for a citation of a siman without its part."""
    found = _part_names_re()
    if found is None or before <= 0:
        return set()
    pattern, names = found
    return {names[m.group(1)] for m in pattern.finditer(norm, 0, before)}


def _choose_part(cands: list[_Cand], c: _Cand, norm: str = "") -> tuple[Any | None, list[Any]]:
    """The reading of a part-less citation in the one part the text's other citations are in (before or
    after it, of the part or of a commentary on it, or named: 'Orach Chayim', 'או"ח'); with none, the
    one part its siman exists in; else every reading, those of the parts the text cites first, then in
    the book's order, as a ranked ambiguity (the first and the others), never one of them silently."""
    cited = {p for p in (_follows(x.ref.work) for x in cands if x.kind == "ref") if p is not None}
    cited |= {
        p for p in (_follows(x.entry) for x in cands if x.kind in ("seif", "work_ibid", "mention")) if p
    }
    cited |= {x.options[0].work.title for x in cands if x.kind == "part_ref" and len(x.options) == 1}
    if not cited and c.hebrew:
        cited = _parts_written(norm, c.start)
    fitting = [r for r in c.options if _follows(r.work) in cited] if cited else []
    if len(fitting) == 1:
        return fitting[0], []
    if c.partial:
        return None, []  # 'Taz 90:5' with no part: the catalog lacks the others, so no ranked list either
    if not cited and len(c.options) == 1:
        return c.options[0], []
    ranked = fitting + [r for r in c.options if r not in fitting]
    return ranked[0], ranked[1:]


def _siman_now(ctx: _Context, c: _Cand, part: str | None) -> Any | None:
    """The siman the text is on at `c`: that of the last citation near it numbered as `part` is."""
    for pos, _entry, last, _persistent, _he in reversed(ctx.history):
        if last is None:
            continue
        if c.start - pos > _WINDOW:
            return None
        if part is not None and _follows(last.work) == part:
            return last.starting().top()
        return None
    return None


_PORTION_LINE = re.compile(
    r"(?m)^[ \t]*(?P<lead>ב?פרשת|parashat|parashas|parshat|parshas|parasha)[ \t]+(?P<name>[^\n\d,.:;()\[\]]{2,30}?)[ \t]*$"
)
_SUBDIVISION = re.compile(r"[ \t]*,[ \t]*[^,.;:()\[\]\n\d]{3,40},[ \t]*$")
_PART = re.compile(r"[ \t]*,[ \t]*(part[ \t]+[ivx]+|volume[ \t]+[ivx\d]+),[ \t]*$")


def _of_a_part_not_read(norm: str, mention: _Cand, c: _Cand) -> bool:
    """Whether words between a work's name and its bare chapter name a part of it that was not read
    ('Sha'ar Kriat Shema'); a part the name already is ('Likkutei Amarim, Part I, ch. 16') is not one."""
    between = norm[mention.end : c.start]
    if not _SUBDIVISION.match(between):
        return False
    part = _PART.match(between)
    if part is None:
        return True
    title = _title_of(mention.entry).lower()
    return f"{part.group(1)};" not in title and not title.endswith(part.group(1))


_RANK = {
    "ref": 0,
    "part_ref": 0,
    "book_ref": 0,
    "seif": 0,
    "work_ibid": 1,
    "ibid": 2,
    "bare": 3,
    "line": 4,
    "portion": 4,
    "mention": 5,
}


_WORK_IBID = re.compile(r"[ \t]*,?[ \t]*שם(?![א-ת\"'])")
_HE_PLACE_AFTER_IBID = re.compile(
    r"[ \t]+(?P<n>[א-ת]{1,2}(?:\"[א-ת])?[ \t]*[:,][ \t]*[א-ת]{1,2}(?:\"[א-ת])?)(?![א-ת\"'])"
)


_WORDS_BEFORE = re.compile(r"(?:[a-z0-9.&']+[ \t]+){1,4}$")


@cache
def _refused_endings() -> frozenset[str]:
    """The last words of refused books' names ('jeremiah' of 'Epistle of Jeremiah', 'mk' of 'St Mk'):
    only a title written so can be the end of one."""
    out: set[str] = set()
    for outside in words().outside:
        for name in outside.names:
            parts = name.lower().replace(".", " ").split()
            out.add(parts[-1])
            out.add(" ".join(parts[-2:]))
    return frozenset(out)


# A name before a part of the Shulchan Arukh ('Igrot Moshe Orach Chaim', 'Yabia Omer 7 OC', 'Beis Yosef (OC'):
# capitalized words right before it, a volume's number or a parenthesis between.
_NAME_BEFORE_PART = re.compile(r"(?<![\w'’])([A-Z][A-Za-z'’]+)[ \t]+(?:\d{1,2}[ \t]+)?\(?[ \t]*$")
# The words that may stand there and leave the part the Shulchan Arukh's own ('the Rema (OC 671:7)').
_OWN_BEFORE_PART = frozenset(
    (
        "see",
        "cf",
        "compare",
        "in",
        "the",
        "also",
        "and",
        "rema",
        "rama",
        "mechaber",
        "shulchan",
        "aruch",
        "arukh",
        "sa",
    )
)


def _part_of_another_book(
    text: str, offsets: array | None, norm: str, start: int, end: int, titles: tuple[_Title, ...]
) -> bool:
    """Whether a part's name alone ('Orach Chaim', 'OC') follows the name of another book: responsa and
    codes divided by the Shulchan Arukh's parts ('Igrot Moshe Orach Chaim 2:17', 'Yabia Omer 7 OC 57:4')
    and its commentaries ('Beis Yosef (OC 671:7)') cite their own simanim there, not the Shulchan Arukh's.
    Another book madrega may not know is no reason to read the Shulchan Arukh: the reference is refused."""
    entry = titles[0].entry
    if getattr(entry, "group", None) != "Shulchan Arukh" or "shulch" in norm[start:end]:
        return False
    begin = _orig(offsets, start)
    m = _NAME_BEFORE_PART.search(text, max(0, begin - 40), begin)
    return m is not None and m.group(1).lower() not in _OWN_BEFORE_PART


_OPEN_PAREN_GAP = re.compile(r"[ \t]*\([ \t]*")


def _part_in_parens_after_its_own(
    norm: str, cands: list[_Cand], start: int, end: int, titles: tuple[_Title, ...]
) -> _Cand | None:
    """'The Shulchan Aruch in Orach Chaim (O.C. 98:1)', 'the Kaf Hachaim (O.C. 98:2)': a part of the
    Shulchan Arukh and its place in parentheses right after the part's own name, or after a commentary
    on that part: the part's place, or the commentary's there. Any other book before it is refused."""
    if (
        not cands
        or cands[-1].kind != "mention"
        or _OPEN_PAREN_GAP.fullmatch(norm, cands[-1].end, start) is None
    ):
        return None
    part, before = titles[0].entry, cands[-1].entry
    if not isinstance(before, Work) or (before is not part and _follows(before) != part.title):
        return None
    lead = _EN_LEAD.match(norm, end)
    pos = lead.end() if lead is not None else end
    addr = _address(norm, pos, False)
    if addr is None:
        return None
    ref = _parse_in(f"{before.title} {norm[pos : addr.end].strip()}")
    if ref is None or ref.work is not before:
        return None
    return _Cand(cands[-1].start, addr.end, "ref", ref, ref.work)


def _refused_before(norm: str, start: int, end: int) -> bool:
    """Whether the title is the end of a refused book's name ('Epistle of Jeremiah', 'St. Mark')."""
    from madrega.refs import names

    if norm[start:end].rstrip(".") not in _refused_endings():
        return False
    before = _WORDS_BEFORE.search(norm, max(0, start - 40), start)
    if before is None:
        return False
    words_before = before.group().split()
    for k in range(len(words_before)):
        phrase = " ".join(words_before[k:]) + " " + norm[start:end]
        if names.outside_named(phrase + " 1") is not None:
            return True
        if " ".join(words_before[k:]).replace(".", "") in _outside_leads():
            return True
    return False


# A rabbi's title before a name: 'רבינו יונה', 'לרבנו יונה', 'ר' יהושע', 'ורבי שמואל'.
_HE_HONORIFIC_BEFORE = re.compile(r"(?:^|[\s(\[\-])[ולדשכה]{0,2}(?:רבינו|רבנו|רבי|רב|ר')[ \t]+$")


def _he_person_before(norm: str, start: int, titles: tuple[_Title, ...]) -> bool:
    """Whether a book of the Bible named after a person is that person's namesake, a rabbi: the
    title follows 'רבינו', 'רבי' or "ר'" (a book is never cited so)."""
    if not all(getattr(t.entry, "category", "") == "Tanakh" for t in titles):
        return False
    return _HE_HONORIFIC_BEFORE.search(norm, max(0, start - 12), start) is not None


@cache
def _outside_leads() -> frozenset[str]:
    """What only a refused book is called with ('St.', 'Gospel of', 'Greek'), without periods."""
    return frozenset(p.replace(".", "") for p in words().outside_prefixes if len(p.rstrip(".")) > 1)


# a line's start, after the blessing a Hebrew page opens with ('ב"ה הלכות תשובה', 'בס"ד פרשת נח')
_HE_LINE_START = re.compile(
    r"(?:^|\n)[ \t\[(\-–*•]*(?:(?:ב[\"”]ה|בס[\"”]ד|בע[\"”]ה)[ \t.,]+)?(?:[ובלמכשדה]{0,2})$"
)


def _he_mention(norm: str, start: int) -> bool:
    """Whether a Hebrew title with no address names a work: at a line's start, or after a word that
    names one ('בספר', 'במסכת', 'במדרש')."""
    if _HE_LINE_START.search(norm, max(0, start - 12), start):
        return True
    before = norm[max(0, start - 12) : start].split()
    return bool(before) and before[-1] in words().he_mention_leads


def _heading(norm: str, start: int) -> bool:
    """Whether a title stands in a heading (a short line, or the document's first lines): the work a
    lesson's bare 'Chapter 5' means."""
    if start < 300:
        return True
    # Only the 120 characters around `start` can hold a short line's ends: a page written as one
    # long line must not be scanned from its start (and to its end) for every title in it.
    line_start = norm.rfind("\n", start - 121, start) + 1
    if line_start == 0:
        return False  # no line break in the 120 characters before: the line is longer
    line_end = norm.find("\n", start, line_start + 121)
    if line_end < 0:
        line_end = min(len(norm), line_start + 121)
    return line_end - line_start <= 120


def _short_line(norm: str, start: int, end: int, most: int = 80) -> bool:
    """Whether the span stands on a line of at most `most` characters (a heading, not prose)."""
    line_start = norm.rfind("\n", max(0, start - most), start) + 1
    if line_start == 0 and start > most:
        return False
    line_end = norm.find("\n", end, line_start + most + 1)
    if line_end < 0:
        line_end = len(norm) if len(norm) - line_start <= most else line_start + most + 1
    return line_end - line_start <= most


def _en_level(word: str) -> str:
    word = word.rstrip(".")
    if word.startswith(("v", "verse")):
        return "verse"
    if word in ("daf", "folio"):
        return "daf"
    if word.startswith("hal"):
        return "halakha"
    if word.startswith("mishn"):
        return "mishnah"
    return "chapter"


_SAME_CHAPTER = re.compile(r"[ \t]+שם(?![א-ת\"'])[ \t]*,?[ \t]*")


# 'כמו שכתוב (שם', 'שנאמר (שם': the words that bring a verse, right before an ibid.
_SCRIPTURE_BEFORE = re.compile(r"(?<![א-ת])(?:שכתוב|שנאמר|דכתיב|כתיב|וכתיב|הכתוב)[ \t]*[:,]?[ \t]*\(?[ \t]*$")
# 'שם יהו"ה', 'שם ה'': the Name, not 'there'.
_HE_NAME_AFTER = re.compile(r"[ \t]+(?:יהו\"ה|יקו\"ק|יקוק|הוי\"ה|ה'(?![א-ת])|אלהי\"ם)")
# 'עין שם', 'עיין שם', 'ע' שם': 'see there', the place just cited, not a citation of it again.
_SEE_BEFORE = re.compile(r"(?:^|(?<=[\s(\[,;]))ו?(?:עיין|עין|עי'|ע')[ \t]+$")


def _not_ibid(norm: str, start: int, end: int) -> bool:
    """Is this Hebrew 'שם' no ibid: the Name ('שם יהו"ה'), or 'see there' ('עין שם') with no address?"""
    if _HE_NAME_AFTER.match(norm, end):
        return True
    return bool(_SEE_BEFORE.search(norm, max(0, start - 8), start)) and bool(
        re.match(r"[ \t]*[)\].,;]", norm[end : end + 3])
    )


def _ibid(norm: str, start: int, end: int, hebrew: bool) -> _Cand | None:
    if hebrew and _not_ibid(norm, start, end):
        return None
    pos = end
    twice = _SAME_CHAPTER.match(norm, pos) if hebrew else None
    if twice is not None:  # 'שם שם, ג - ד': the same book and chapter, these verses
        addr = _address(norm, twice.end(), hebrew, limit=10)
        if addr is not None and _in_parens(norm, start):
            return _Cand(
                start, addr.end, "ibid", level="same_chapter", addr=norm[twice.end() : addr.end], hebrew=True
            )
    lead = re.compile(r"[ \t]*,?[ \t]*").match(norm, pos)
    if lead is not None:
        pos = lead.end()
    addr = _address(norm, pos, hebrew, limit=10)
    in_parens = _in_parens(norm, start) or (start > 0 and norm[start - 1] in "([")
    # 'תחתים שנים גו' – שם.': in a list of sources, the place after the dash is the one cited before
    if (
        hebrew
        and not in_parens
        and _SOURCE_DASH.search(norm, max(0, start - 3), start)
        and re.match(r"[.,;]", norm[end : end + 1])
    ):
        return _Cand(start, end, "ibid", hebrew=hebrew)
    if addr is not None:
        written = norm[pos : addr.end]
        level = ""
        lvl = re.match(r"[ \t]*(chapters?|ch\.?|verses?|vv?\.?|פסוק|פרק|דף|משנה|סימן|הלכה)", written)
        if lvl:
            level = {"פסוק": "verse", "פרק": "chapter", "דף": "daf"}.get(
                lvl.group(1), "verse" if lvl.group(1).startswith("v") else "chapter"
            )
        if not hebrew or in_parens or _he_looks_like_address(written, addr.levels > 0):
            return _Cand(start, addr.end, "ibid", level=level, addr=written, hebrew=hebrew)
    if hebrew and not in_parens:
        return None  # 'שם' is also a word ('there', 'name'): alone it is ibid only in parentheses
    if hebrew and not re.match(r"[ \t]*[)\].,]", norm[end : end + 3]):
        return None
    return _Cand(start, end, "ibid", hebrew=hebrew)


# --- stage 2: resolve ----------------------------------------------------------------------------

_WINDOW = 300  # how far a work named in passing governs the bare references after it
_CITED_WINDOW = 80  # how far a citation does


@dataclass(slots=True)
class _Context:
    history: list[tuple[int, Any, Any, bool, bool]] = field(
        default_factory=list
    )  # pos, entry, ref, heading, hebrew
    last: Any = None
    by_work: dict[int, Any] = field(default_factory=dict)
    default: Any = None  # the lesson's context_ref
    norm: str = ""  # the text read

    def cited(self, pos: int, ref: Any, hebrew: bool = False, heading: bool = False) -> None:
        self.last = ref
        self.by_work[ref.index] = ref
        work = ref.work
        if work.group:
            self.by_work[-hash(work.group)] = ref
        self.history.append((pos, work, ref, heading, hebrew))

    def last_cited(self, where: Callable[[Any], bool], default: Any = None) -> Any:
        """The last ref cited whose work passes `where` ('there' of a kind of work), else `default`."""
        return next((h[2] for h in reversed(self.history) if h[2] is not None and where(h[2].work)), default)

    def seen(self, work: Any) -> bool:
        """Whether the text has cited or named `work` (or another part of its book) so far."""
        for _pos, entry, _ref, _persistent, _he in self.history:
            if entry is work or (work.group and getattr(entry, "name", None) == work.group):
                return True
            if work.group and getattr(entry, "group", None) == work.group:
                return True
        return False

    def works(self, pos: int, hebrew: bool) -> list[tuple[Any, Any]]:
        """Works the text is about at `pos`, nearest first: (entry, last ref cited in it or None). A
        heading governs the whole text, a work named in passing the next few lines, a citation only
        the words right after it ('במדבר ח, יז-יח ופרק ח')."""
        out: list[tuple[Any, Any]] = []
        for p, entry, ref, persistent, he in reversed(self.history):
            if ref is not None and he != hebrew:
                continue  # a Hebrew verse quoted in an English lesson is not what its 'ch. 1' means
            if persistent or pos - p <= (_CITED_WINDOW if ref is not None else _WINDOW):
                out.append((entry, ref))
        if self.default is not None:
            out.append((self.default.work, self.default))
        return out


def _resolve(cands: list[_Cand], context_ref: str | None, norm: str = "") -> list[_Cand]:
    ctx = _Context(norm=norm)
    if context_ref:
        with contextlib.suppress(RefError):
            ctx.default = parse(context_ref)
    out: list[_Cand] = []
    for i, c in enumerate(cands):
        if c.kind == "ref":
            if c.guarded and not ctx.seen(c.ref.work):
                continue
            if c.alternatives:
                _rank_by_context(ctx, c)
            out.append(c)
            ctx.cited(c.start, c.ref, c.hebrew, c.persistent)
        elif c.kind == "mention":
            ctx.history.append((c.start, c.entry, None, c.persistent, c.hebrew))
        elif c.kind == "book_ref":
            last = ctx.by_work.get(-hash(c.entry.name))
            ref = None if last is None else _parse_in(f"{last.work.title} {c.addr}")
            if ref is not None:
                out.append(_Cand(c.start, c.end, "ref", ref, ref.work, hebrew=True, score=0.85))
                ctx.cited(c.start, ref, True)
        elif c.kind == "part_ref":
            ref, others = _choose_part(cands, c, norm)
            if ref is None:
                continue
            alternatives = [str(r) for r in others]
            score = 0.6 if alternatives else 0.85
            out.append(
                _Cand(
                    c.start,
                    c.end,
                    "ref",
                    ref,
                    ref.work,
                    hebrew=c.hebrew,
                    alternatives=alternatives,
                    score=score,
                )
            )
            ctx.cited(c.start, ref, c.hebrew)
        elif c.kind == "seif":
            siman = _siman_now(ctx, c, _follows(c.entry))
            ref = (
                None if siman is None else _parse_in(f"{c.entry.title} {siman.sections[0]}:{_arabic(c.addr)}")
            )
            if ref is not None:
                out.append(_Cand(c.start, c.end, "ref", ref, ref.work, hebrew=True, score=0.85))
                ctx.cited(c.start, ref, True)
        elif c.kind == "work_ibid":
            if isinstance(c.entry, Group) and c.addr:
                # 'רמב"ם הל' תשובה א:א ... רמב"ם שם ב:ו': the part of the book cited last, at that place
                book = c.entry.name
                last = ctx.last_cited(lambda w: w.group == book)  # noqa: B023  (called at once)
                ref = None if last is None else _parse_in(f"{last.work.title} {c.addr}")
                if ref is not None:
                    out.append(_Cand(c.start, c.end, "ref", ref, score=0.9))
                    ctx.cited(c.start, ref)
                continue
            ref = ctx.by_work.get(c.entry.index) if isinstance(c.entry, Work) else None
            if ref is None or c.addr:
                # 'כה"ח שם ס"ק יט': the work at the siman the text is on (its own last one, else the
                # last citation's, when numbered alike), at the seif katan given
                siman = ref.starting().top() if ref is not None else _siman_now(ctx, c, _follows(c.entry))
                ref = None
                if siman is not None:
                    tail = f":{_arabic(c.addr)}" if c.addr else ""
                    ref = _parse_in(f"{c.entry.title} {siman.sections[0]}{tail}")
            if ref is not None:
                out.append(_Cand(c.start, c.end, "ref", ref, score=0.9))
                ctx.cited(c.start, ref)
        elif c.kind == "ibid":
            if ctx.last is None:
                continue
            last = ctx.last
            if norm and _RAMBAM_BEFORE.search(norm, max(0, c.start - 12), c.start):
                # 'טור ושו"ע או"ח סי' שמ"ז: ... מיי' שם הל' ח': the Rambam's 'there' is the Mishneh
                # Torah's place cited last, not the Shulchan Arukh's since; none cited, no guess
                last = ctx.last_cited(lambda w: w.group == "Mishneh Torah")
                if last is None:
                    continue
            if (
                norm
                and last.work.category != "Tanakh"
                and _SCRIPTURE_BEFORE.search(norm, max(0, c.start - 14), c.start)
            ):
                # 'כמו שכתוב (שם ק"ד)' after the Tikkunim cited: 'as it is written', a verse, of the book of the
                # Bible cited last; none cited, no guess
                last = ctx.last_cited(lambda w: w.category == "Tanakh")
                if last is None:
                    continue
            if _AMUD_ONLY.fullmatch(c.addr.strip(" ,.")) and last.work.kinds[:1] != ("daf",):
                # '(נדרים כב א) ... (דברים כח סה) ... (שם ע"ב)': an amud alone is of the daf cited last,
                # across the verses cited since
                last = ctx.last_cited(lambda w: w.kinds[:1] == ("daf",), last)
            level = c.level
            if c.hebrew and not level and last.work.category == "Tanakh" and _spaced_book_before(norm, c):
                level = "chapter"  # '(משלי ח ד) ... (שם א)': where a verse is '(ספר פרק פסוק)', one number is a chapter
            ref = _ibid_ref(last, c.addr, level)
            if ref is not None:
                start = c.start
                if norm and ref.work.category in ("Tanakh", "Talmud") and _HEBREW.match(norm, c.start):
                    # ')עיין רש"י שם לא, י"ג(': the commentator named before 'there' is cited on the verse;
                    # 'בגמ' (שבת קיד.) וברש"י (שם)': on the daf, before the parentheses too
                    before = _commentary_before(
                        norm, _Cand(c.start, c.end, "ref", ref, ref.work, hebrew=True), paren=True
                    )
                    start, ref = before.start, before.ref
                out.append(_Cand(start, c.end, "ref", ref, score=0.9))
                ctx.cited(start, ref)
        elif c.kind == "bare":
            ref = _daf_of_next_line(norm, cands, i) if c.level == "daf" else None
            if c.level in ("he_before", "he_after"):
                ref = _here_ref(ctx, c)
                if ref is not None:
                    out.append(_Cand(c.start, c.end, "ref", ref, score=0.8))
                    ctx.cited(c.start, ref, True)
                continue
            if c.level == "he_verse":
                ref = _he_verse_ref(ctx, c, norm)
                if ref is not None:
                    out.append(_Cand(c.start, c.end, "ref", ref, score=0.8))
                    ctx.cited(c.start, ref, True)
                continue
            if ref is None and c.level == "address" and not c.hebrew:
                ref = _address_in_portion_before(norm, ctx, c)
            if ref is None:
                ref = _bare_ref(ctx, c)
            if ref is None and c.level == "chapter" and not c.hebrew:
                ref = _chapter_of_portion_before(norm, c)
            if ref is not None:
                out.append(_Cand(c.start, c.end, "ref", ref, score=0.85))
                ctx.cited(c.start, ref, c.hebrew)
        elif c.kind == "portion":
            ref = _portion_line_ref(ctx, c)
            if ref is not None:
                out.append(_Cand(c.start, c.end, "ref", ref, score=0.85))
                ctx.cited(c.start, ref, bool(_HEBREW.search(c.addr)), heading=True)
        elif c.kind == "line":
            ref = _line_ref(ctx, c)
            if ref is not None:
                out.append(_Cand(c.start, c.end, "ref", ref, score=0.8))
                ctx.cited(c.start, ref)
    return out


def _daf_of_next_line(norm: str, cands: list[_Cand], i: int) -> Any | None:
    """'דף קי"ז' beginning a line, a tractate named on the line under it ('Page 117 Mesectas Chullin',
    'מסכת חולין'): the daf of that tractate (a heading of two lines), whatever the text cited before."""
    c = cands[i]
    line_end = norm.find("\n", c.end)
    if line_end < 0 or not _opens_its_line(norm, c.start, " \t'\"*-(["):
        return None  # the daf begins its line
    next_end = norm.find("\n", line_end + 1)
    next_end = len(norm) if next_end < 0 else next_end
    for nxt in cands[i + 1 :]:
        if nxt.start > next_end:
            return None
        if nxt.kind in ("ref", "mention") and nxt.start > line_end:
            entry = nxt.entry
            if not isinstance(entry, Work) or entry.kinds[0] != "daf":
                return None
            daf = _arabic(c.addr.replace("''", '"'))
            return _parse_in(f"{entry.title} {daf}")
    return None


def _rank_by_context(ctx: _Context, c: _Cand) -> None:
    """An ambiguous reference ('LM 1:1': Likutei Moharan or Lamentations) is read first as the work,
    else the kind of work, the text has already cited or named; with no such sign the parser's order
    stands. The other readings stay beside it as alternatives."""
    seen = [entry for _pos, entry, _ref, _persistent, _he in ctx.history if entry is not None]
    if not seen:
        return
    works = {id(e) for e in seen}
    categories = {getattr(e, "category", "") for e in seen}
    readings = [c.ref]
    for alt in c.alternatives:
        ref = _parse_in(alt)
        if ref is None:
            return
        readings.append(ref)

    def sign(ref: Any) -> int:
        return 2 if id(ref.work) in works else 1 if ref.work.category in categories else 0

    best = max(readings, key=sign)  # the first of the best: ties keep the parser's order
    if best is not c.ref and sign(best) > sign(c.ref):
        c.alternatives = [str(r) for r in readings if r is not best]
        c.ref = best
        c.entry = best.work


def _title_of(entry: Any) -> str:
    return str(getattr(entry, "title", None) or getattr(entry, "name", ""))


def _numbers(addr: str) -> tuple[str, str | None] | None:
    """'51-3' → ('51', '53'); '48-49'; '5a-b'; a single number → (n, None)."""
    parts = [p.strip() for p in addr.split("-")]
    if len(parts) == 1:
        return parts[0], None
    start, end = parts[0], parts[1]
    if start.isdigit() and end.isdigit() and len(end) < len(start) and int(end) < int(start):
        end = start[: len(start) - len(end)] + end  # 'chapters 51-3' are 51 to 53
    return start, end


def _address_ref(ctx: _Context, c: _Cand) -> Any | None:
    """'(240:1)' alone: the work a heading or a name before it governs, else the work the text cited
    last (within a paragraph's reach), at that address."""
    for entry, _last in ctx.works(c.start, c.hebrew):
        if getattr(entry, "kinds", ("",))[0] in ("daf", "volume"):
            continue
        ref = _parse_in(f"{_title_of(entry)} {c.addr}")
        if ref is not None:
            return ref
    for pos, _entry, last, _persistent, he in reversed(ctx.history):
        if last is None:
            continue
        if he != c.hebrew or last.work.kinds[0] in ("daf", "volume"):
            return None
        if (
            c.start - pos > _WINDOW
            and not (c.start - pos <= 6 * _WINDOW and _in_chapters_of(last, c.addr))
            and not _next_source_in_a_list(ctx, c, pos, last)
        ):
            # '(Ezekiel 33:10) ... the quoted prophecy ... (33:11)': further than a paragraph's reach only
            # in the chapter (or chapters) the book was cited at
            return None
        return _parse_in(f"{last.work.title} {c.addr}")
    return None


# 'Talmud, Niddah, … Chapter 3': the Talmud named, not the Mishnah.
_TALMUD_SAID = re.compile(r"(?<![a-z])(?:talmud|gemara|gemora|bavli)(?![a-z])")


def _next_source_in_a_list(ctx: _Context, c: _Cand, pos: int, last: Any) -> bool:
    """'1) ... (Likutey Moharan I, 2:6). 2) ... (4:8).': in a list of teachings each closed by its source
    in parentheses, a bare address is the next place in the work (not of the Bible) cited last, as far
    as two paragraphs back, when nothing was cited since."""
    if last.work.category == "Tanakh" or c.start - pos > 3 * _WINDOW or c.hebrew:
        return False
    norm = ctx.norm
    return norm[c.start - 1 : c.start] == "(" and norm[c.end : c.end + 1] == ")"


# '(לעיל כב)', '(לקמן מ, ג)': a chapter (and verse) of the book the page is on, before or after the one it is on
_HE_HERE_CHAPTER = re.compile(
    rf"\((?P<dir>ו?(?:לעיל|לקמן|להלן))[ \t]+(?:פרק[ \t]+)?(?P<ch>{_HE_NUM})(?:[ \t]*,[ \t]*(?P<v>{_HE_NUM}))?[ \t]*\)"
)


def _here_ref(ctx: _Context, c: _Cand) -> Any | None:
    """'(לעיל כב)', '(לקמן מ)' with no book: the book of the Bible the page's heading cites (a commentary
    on Isaiah 33), at a chapter before it ('לעיל') or after it ('לקמן', 'להלן') — else nothing."""
    for _pos, _entry, ref, heading, _he in reversed(ctx.history):
        if not heading or ref is None:
            continue
        work = ref.work
        if work.category != "Tanakh" or work.kinds[:2] != ("chapter", "verse"):
            return None  # the page is on another work: its own places, not the Bible's
        here = _parse_in(f"{work.title} {c.addr}")
        if here is None or not ref.sections:
            return None
        if (here.sections[0] < ref.sections[0]) != (c.level == "he_before") or here.sections[
            0
        ] == ref.sections[0]:
            return None  # 'לעיל' is a chapter before the one the page is on, 'לקמן' one after it
        return here
    return None


_HE_PAREN_VERSE = re.compile(
    rf"\((?P<ch>{_HE_NUM})[ \t]*,[ \t]*(?P<v>{_HE_NUM})"
    rf"(?:[ \t]*[-–][ \t]*(?:(?P<ch2>{_HE_NUM})[ \t]*,[ \t]*)?(?P<v2>{_HE_NUM}))?[ \t]*\)"
)


# '(כ"א – י"ט)', '(לג – א)': a chapter and a verse split by a spaced dash, not a comma
_HE_PAREN_DASHED_VERSE = re.compile(rf"\((?P<ch>{_HE_NUM})[ \t]+[-–][ \t]+(?P<v>{_HE_NUM})\)")


# '(בע"ב)', '(ע"א)': an amud alone in parentheses, of the daf cited last
_HE_PAREN_AMUD_ALONE = re.compile(r"\([בו]?(?P<amud>ע[\"״][אב])\)")
# '(פ"א ע"א)', '(כב ע"ב)': a daf and its amud alone in parentheses
_HE_PAREN_DAF_AMUD = re.compile(rf"\((?P<daf>{_HE_NUM})[ \t]+ע[\"״](?P<amud>[אב])\)")


def _he_daf_amud(m: re.Match[str]) -> str | None:
    """'(פ"א ע"א)' is 81a where the daf is a numeral as written (not '(שם ע"א)', ibid's amud)."""
    from madrega.text.numerals import is_numeral

    daf = m.group("daf").rstrip("'")
    if daf in _HE_IBID_WORDS or not is_numeral(daf.replace('"', "")):
        return None
    number = _arabic(daf)
    if not number.isdigit() or not 1 < int(number) < 200:
        return None
    return f"{number}{'a' if m.group('amud') == 'א' else 'b'}"


# '(לג יט)': a chapter and a verse split by a space alone, nothing else in the parentheses
_HE_PAREN_VERSE_SPACED = re.compile(rf"\((?P<ch>{_HE_NUM})[ \t]+(?P<v>{_HE_NUM})\)")


def _he_spaced_verse(m: re.Match[str]) -> str | None:
    """'(לג יט)' is 33:19 where both words are numerals as written ('(שם א)' is ibid, '(כי טוב)' words)."""
    from madrega.text.numerals import is_numeral

    parts = [m.group(k).rstrip("'") for k in ("ch", "v")]
    if m.group("ch") in _HE_PAREN_BOOKS or re.fullmatch(r"ע[\"״][אב]", m.group("v")):
        return None  # '(מ"א א)': the book abbreviated (I Kings), its chapter; '(פ"א ע"א)': a daf's amud
    if any(p in _HE_IBID_WORDS or not is_numeral(p.replace('"', "")) for p in parts):
        return None
    ch, v = (_arabic(p) for p in parts)
    if not (ch.isdigit() and v.isdigit()) or not 0 < int(ch) <= 150:
        return None
    return f"{ch}:{v}"


def _he_dashed_verse(m: re.Match[str]) -> str | None:
    """'(כ"א – י"ט)' is 21:19; '(כ"א - כ"ד)' could be chapters 21 to 24 as well as 21:24: only a second
    number below the first is surely a verse (None otherwise, and where a part is no number)."""
    ch, v = (_arabic(m.group(k).rstrip("'")) for k in ("ch", "v"))
    if not (ch.isdigit() and v.isdigit()) or not 0 < int(v) < int(ch) <= 150:
        return None
    return f"{ch}:{v}"


def _he_paren_verse(m: re.Match[str]) -> str | None:
    """'(ו', ד–ט)', '(כ"ו, ב-ס"ג)': the chapter:verse (or range) of the parentheses, or None where a part
    is no number ('(שם, ו)' is ibid)."""
    parts = [m.group(k) for k in ("ch", "v", "ch2", "v2")]
    if any(p is not None and p.rstrip("'") in _HE_IBID_WORDS for p in parts):
        return None
    nums = [None if p is None else _arabic(p.rstrip("'")) for p in parts]
    if not all(n is None or n.isdigit() for n in nums):
        return None
    ch, v, ch2, v2 = nums
    if int(ch or 0) > 150:
        return None
    if v2 is None:
        return f"{ch}:{v}"
    return f"{ch}:{v}-{ch2}:{v2}" if ch2 is not None else f"{ch}:{v}-{v2}"


def _he_verse_ref(ctx: _Context, c: _Cand, norm: str) -> Any | None:
    """'(ט"ז, י"ד)' with no book: the book of the Bible the text names ('ספר במדבר', a heading) or cited
    just before; a citation of another work just before it governs it, not a book named further up. With
    none, the book of the weekly portion the text's first line is headed by ('עקב | ...')."""
    from madrega.refs import portions

    named = None
    for m in _portion_named_re().finditer(norm, max(0, c.start - 1500), c.start):
        named = m  # the portion named last before the parentheses
    for entry, last in ctx.works(c.start, True):
        if isinstance(entry, Work) and entry.category == "Tanakh" and entry.kinds[:2] == ("chapter", "verse"):
            return _parse_in(f"{entry.title} {c.addr}")
        if last is None:
            # another work named: its place, not the Bible's — unless a weekly portion is named after it
            # ('נזכרת השבת ... בתחילת פרשת כי תשא (לא, יב-יז)': the word Shabbat, then the portion)
            mentioned = next((p for p, e, _r, _h, _he in reversed(ctx.history) if e is entry), c.start)
            if named is None or named.start() < mentioned:
                return None
            break
    if named is not None:
        # 'בתחילת פרשת כי תשא (לא, יב-יז)', 'פרשת "וארא" ... (ו, ב-יג)': the book of the portion named
        # last before it, when the portion has that chapter
        span = portions.portion(f"פרשת {named.group('name')}")
        portion = None if span is None else _parse_in(span)
        if portion is not None and portion.work.kinds[:2] == ("chapter", "verse"):
            ref = _parse_in(f"{portion.work.title} {c.addr}")
            if ref is not None and portion.sections[0] <= ref.sections[0] <= portion.end[0]:
                return ref
    first = norm[: norm.find("\n")] if "\n" in norm else norm
    heading = _portion_heading_re().match(first) if len(first) <= 80 else None
    if heading is None:
        return None

    span = portions.portion(f"פרשת {heading.group('name')}")
    portion = None if span is None else _parse_in(span)
    if portion is None or portion.work.kinds[:2] != ("chapter", "verse"):
        return None
    return _parse_in(f"{portion.work.title} {c.addr}")


@cache
def _portion_named_re() -> re.Pattern[str]:
    """'פרשת כי תשא', 'פרשת "וארא"', 'לפרשת בחוקתי', 'פרשת השבוע – משפטים': a weekly portion named with its
    lead word (quotes allowed)."""
    return re.compile(
        rf"(?<![א-ת])(?:[ובלמ]|של|שב)?פרשת(?:[ \t]+השבוע[ \t]*[-–:])?[ \t]+[\"'“”]?(?P<name>{_portion_alternation()})(?![א-ת])"
    )


@cache
def _portion_heading_re() -> re.Pattern[str]:
    """A weekly portion's Hebrew name opening a heading, before a bar, colon or dash ('עקב | ...')."""
    return re.compile(rf"[ \t]*(?:פרשת[ \t]+)?(?P<name>{_portion_alternation()})[ \t]*[|:–\-]")


def _in_chapters_of(ref: Any, addr: str) -> bool:
    """Whether `addr` ('33:11') is a verse of the chapters a citation of a book of verses spans."""
    m = re.match(r"(\d{1,3}):\d", addr)
    if m is None or ref.work.kinds[:2] != ("chapter", "verse"):
        return False
    first, last = ref.sections[0], (ref.end or ref.sections)[0]
    return int(first) <= int(m.group(1)) <= int(last)


_SPACED_IBID = re.compile(rf"\(שם[ \t]+{_HE_NUM}\)")
_SPACED_BOOK_VERSE = re.compile(rf"\([א-ת\"']+(?:[ \t][א-ת\"']+)?[ \t]+{_HE_NUM}[ \t]+{_HE_NUM}\)")


def _spaced_book_before(norm: str, c: _Cand) -> bool:
    """'(שם א)' after '(משלי ח ד)': a text that writes a verse as book, chapter and verse with no comma
    writes one number alone as a chapter ('(יהושע א)'), so 'there, 1' is the same book's chapter 1."""
    if c.start < 1 or _SPACED_IBID.fullmatch(norm, c.start - 1, c.end + 1) is None:
        return False
    paren = norm.rfind("(", 0, c.start - 1)
    return paren >= 0 and _SPACED_BOOK_VERSE.match(norm, paren) is not None


def _note_heading(norm: str, c: _Cand) -> bool:
    """Whether `c` opens its line and a colon follows it ('דף ה ע"א: ...'): the heading of a note."""
    line_start = norm.rfind("\n", 0, c.start) + 1
    return not norm[line_start : c.start].strip() and norm[c.end : c.end + 1] == ":"


def _persistent_in(ctx: _Context, entry: Any) -> bool:
    """Whether `entry` was named or cited by a heading (a persistent entry of the history)."""
    return any(e is entry and persistent for _p, e, _r, persistent, _he in ctx.history)


def _bare_ref(ctx: _Context, c: _Cand) -> Any | None:
    if c.level == "verse_of_chapter":
        return _verse_of_chapter(ctx, c)
    if c.level == "klal":
        return _klal_ref(ctx, c)
    if c.level == "address":
        return _address_ref(ctx, c)
    if c.level == "gate":
        for entry, _last in ctx.works(c.start, c.hebrew):
            if getattr(entry, "kinds", ("",))[:1] == ("gate",):
                return _parse_in(f"{_title_of(entry)} {c.addr}")
        return None
    if c.level == "halakhot":
        for entry, _last in ctx.works(c.start, c.hebrew):
            if getattr(entry, "kinds", ("",))[1:2] == ("halakha",):
                return _parse_in(f"{_title_of(entry)} {c.addr}")
        return None
    nums = _numbers(c.addr)
    if nums is None:
        return None
    start, end = nums
    address = start if end is None else f"{start}-{end}"
    if c.level == "psalm":
        return _parse_in(f"Psalms {address}")
    if c.level == "lesson":
        # 'cf. Lesson #5' in a text on Likutey Moharan: its lessons (torot), of no other work; the verse the
        # lesson opens with may be cited between
        for pos, entry, _last, _persistent, he in reversed(ctx.history):
            if (
                he == c.hebrew
                and c.start - pos <= 2 * _WINDOW
                and getattr(entry, "kinds", None) == ("torah", "section")
            ):
                return _parse_in(f"{_title_of(entry)} {address}")
        return None
    if c.level == "law":
        return _halakha_of_chapter(ctx, c, address)
    if c.level == "line_verse":
        return _verse_of_passage(ctx, c)
    if c.level in ("digest_mb", "digest_sha"):
        return _digest_ref(ctx, c, address)
    for entry, last in ctx.works(c.start, c.hebrew):
        kinds = getattr(entry, "kinds", None)
        if c.level in ("verse", "halakha", "seif", "mishnah"):
            if last is None or (kinds is not None and kinds[0] == "daf"):
                continue
            if c.level == "mishnah" and (kinds is None or "mishnah" not in kinds):
                continue  # 'We start with Mishnah 8' of the chapter of Avot cited, not of a book of verses
            if c.level == "verse" and kinds is not None and "verse" not in kinds:
                break  # 'פסוק ב'' after 'מורה נבוכים א' פרק ב'': a verse is the Bible's, not the Guide's
            if (
                c.level == "halakha"
                and kinds is not None
                and (kinds[0] == "siman" or kinds[1:2] in (("seif",), ("verse",)))
            ):
                continue  # 'הלכה ח' is no seif of a siman, nor a verse
            ref = _parse_in(f"{_verses_of(last) if c.level == 'verse' else last.starting().top()}:{address}")
        elif c.level == "daf":
            if kinds is None or kinds[0] != "daf":
                continue
            if last is not None and not _persistent_in(ctx, entry) and _note_heading(ctx.norm, c):
                continue  # 'דף ה ע"א:' opening a note: the tractate the notes are on, not one cited inside
            if _title_of(entry) == "Tikkunei Zohar" and not re.search(r"\d[ab]", address):
                return None  # 'ובדף ס': a whole daf of the Tikkunim reads back as a tikkun (60); refuse
            ref = _parse_in(f"{_title_of(entry)} {address}")
        else:
            if kinds is not None and kinds[0] == "daf" and c.level == "chapter" and not c.hebrew:
                # 'Tractate Sanhedrin ... Chapter 4 begins with': the Talmud is cited by daf, its chapters
                # are the Mishnah's, unless a tractate of the Mishnah the text is on has chapters of its own
                # ('Meseches Horayos ... sayings from chapter 1' of a blog on Pirke Avot)
                if any(getattr(e, "category", "") == "Mishnah" for e, _l in ctx.works(c.start, c.hebrew)):
                    continue
                if _TALMUD_SAID.search(ctx.norm, max(0, c.start - 60), c.start):
                    return None  # '– Talmud, Niddah, end of Chapter 3': the Gemara's perek, many dapim
                ref = _parse_in(f"Mishnah {_title_of(entry)} {address}")
                if ref is not None:
                    return ref
                continue
            if kinds is not None and kinds[0] in ("daf", "volume"):
                continue
            if c.level == "chapter" and _follows(entry) is not None:
                continue  # 'Chapter 17' of a class on the Shulchan Arukh: its simanim are never chapters
            if c.finer and kinds is not None and c.finer not in kinds:
                continue  # 'פרק ב הלכה יא' under 'בראשית פרק א': Genesis has no halakhot
            if c.seif_katan and kinds is not None and kinds[0] == "siman":
                # a seif katan is a commentary's own (the Mishnah Berurah's), never the Shulchan Arukh's
                if _follows(entry) in (None, _title_of(entry)):
                    continue
                sk = _arabic(c.seif_katan.replace('"', ""))
                ref = _parse_in(f"{_title_of(entry)} {_arabic(start)}:{sk}")
                if ref is not None:
                    return ref
                continue
            if c.seif and kinds is not None and kinds[0] == "siman":
                # a seif of a siman in a commentary numbered by the Shulchan Arukh's simanim (the Mishnah
                # Berurah's own are its ס"ק) is the Shulchan Arukh's
                part = _follows(entry) or _title_of(entry)
                seif = _arabic(c.seif.replace('"', ""))
                ref = _parse_in(f"{part} {_arabic(start)}:{seif}")
                if ref is not None:
                    return ref
                continue
            portion = _portion_of(entry)
            if portion is not None:  # a work on a weekly portion: its chapters are the Torah's
                ref = _portion_chapter(portion, address)
                if ref is None:
                    continue
                return ref
            if c.part:  # 'בספר השני בסימן ח': that part of the book cited (Likutei Moharan, Part II 8)
                book = (
                    entry if isinstance(entry, Group) else catalog().groups.get(getattr(entry, "group", ""))
                )
                in_part = book.part(c.part) if book is not None else None
                ref = None if in_part is None else _parse_in(f"{in_part.title} {address}")
                if ref is None:
                    continue
                return ref
            ref = _parse_in(f"{_title_of(entry)} {address}")
        if ref is not None:
            return ref
    if c.level == "halakha" and not c.hebrew:
        return _halakha_of_chapter(ctx, c, address)
    if c.level == "seif":
        # '(שו"ע או"ח ח, יב) ... בסעיף י"ד': a seif of the siman cited last, further on in the passage that
        # quotes or discusses it than a citation's words reach
        for pos, _entry, last, _persistent, he in reversed(ctx.history):
            if last is None:
                continue
            if he == c.hebrew and last.work.kinds[:1] == ("siman",) and c.start - pos <= _WINDOW:
                return _parse_in(f"{last.starting().top()}:{_arabic(address)}")
            break
    if c.level == "verse":
        # 'משלי פרק י ... The message is in פסוק יח': a chapter cited alone invites its verses after it,
        # further than a verse's citation reaches.
        for pos, _entry, last, _persistent, he in reversed(ctx.history):
            if last is None:
                continue
            if last.work.kinds[:1] == ("daf",) and not c.hebrew:
                continue  # '(Gen. 18:2) ... [Shabbat 127a; Shavuot 35b] ... from verse 3': the daf has no verses
            if "verse" not in last.work.kinds:
                break  # 'פסוק ב'' after 'מורה נבוכים א' פרק ב'': the Guide's chapters have no verses
            if (
                he == c.hebrew
                and not c.hebrew
                and len(last.sections) == 2
                and (not last.is_range or tuple(last.end[:1]) == tuple(last.sections[:1]))
                and last.work.kinds[:2] == ("chapter", "verse")
                and c.start - pos <= 4 * _WINDOW
            ):
                # 'Ramban [Exodus 13:16] ... the sections [Verses 1-10] and [Verses 11-16]': verses after one
                # verse cited are its chapter's, through the comment on it (the verses of the book it is on)
                return _parse_in(f"{_verses_of(last)}:{address}")
            if he == c.hebrew and len(last.sections) == 1 and not last.is_range and c.start - pos <= _WINDOW:
                return _parse_in(f"{last}:{address}")
            if (
                he == c.hebrew
                and end is None
                and str(start).isdigit()
                and _verse_in_range(last, int(start))
                and c.start - pos <= 2 * _WINDOW
            ):
                # 'LEVITICUS 19:16-18 16 You are not ... translating verse 18': a verse of the range the
                # passage heads, however long the verses quoted
                return _parse_in(f"{last.starting().top()}:{start}")
            break
    return None


def _digest_ref(ctx: _Context, c: _Cand, address: str) -> Any | None:
    """'ShA2', 'MB6' in a digest of the Mishnah Berurah: the seif, the note, of the siman of Orach Chayim
    cited last (the digest's 'Siman 40', or a note of it), within a few paragraphs; no siman, no guess."""
    for pos, _entry, last, _persistent, he in reversed(ctx.history):
        if c.start - pos > 4 * _WINDOW:
            return None
        if last is None or he:
            continue
        if last.work.title not in ("Mishnah Berurah", "Shulchan Arukh, Orach Chayim"):
            return None
        siman = last.sections[0]
        work = "Mishnah Berurah" if c.level == "digest_mb" else "Shulchan Arukh, Orach Chayim"
        return _parse_in(f"{work} {siman}:{address}")
    return None


def _verse_of_passage(ctx: _Context, c: _Cand) -> Any | None:
    """A chapter and verse opening a line, of the passage of the Bible cited last (a heading's range), and
    only inside it; anything else cited since, or a place outside it, no guess."""
    chapter, verse = (int(x) for x in c.addr.split(":"))
    for pos, _entry, last, _persistent, he in reversed(ctx.history):
        if last is None or he:
            continue
        if last.work.category != "Tanakh" or c.start - pos > 4 * _WINDOW:
            return None
        if not last.is_range:
            continue  # '18:1 ... 18:2': the verses of the notes before, in the passage
        first, end = tuple(last.sections), tuple(last.end or last.sections)
        if len(first) != 2 or len(end) != 2 or not first <= (chapter, verse) <= end:
            return None
        return _parse_in(f"{last.work.title} {chapter}:{verse}")
    return None


def _halakha_of_chapter(ctx: _Context, c: _Cand, address: str) -> Any | None:
    """'the seventh chapter of Hilchot Teshuva ... (Halacha 2)', 'Melachim uMilchamot Chapter 8 / Law 10 ...
    Law 11': a halakha of the chapter of a work by chapter and halakha cited last (or of the halakha cited
    last), through the passage that discusses it and the verses it quotes; any other citation between
    ends it."""
    for pos, _entry, last, _persistent, he in reversed(ctx.history):
        if c.start - pos > 4 * _WINDOW:
            return None
        if last is None or he != c.hebrew or last.work.category == "Tanakh":
            continue  # 'Maimonides writes', 'as Deuteronomy 33:4 states': a name, a verse the halakha quotes
        if last.work.kinds[:2] != ("chapter", "halakha") or len(last.sections) > 2 or last.is_range:
            return None
        return _parse_in(f"{last.starting().top()}:{address}")
    return None


def _verses_of(last: Any) -> str:
    """The chapter whose verses a bare verse after `last` names: its own, or for a comment on a verse
    ('Ramban [Exodus 13:16] ... [Verses 1-10]') the chapter of the book it is on."""
    if last.work.base and last.work.category != "Tanakh" and last.sections:
        return f"{last.work.base} {last.sections[0]}"
    return str(last.starting().top())


def _verse_in_range(ref: Any, verse: int) -> bool:
    """Whether `verse` lies in `ref`, a range of verses within one chapter."""
    end = getattr(ref, "end", None)
    if not ref.is_range or len(ref.sections) != 2 or end is None or len(end) != 2:
        return False
    return bool(end[0] == ref.sections[0] and ref.sections[1] <= verse <= end[1])


_PORTION_NAMED = re.compile(
    r"(?<![a-z])(?:parshat|parashat|parashas|parshas|parsha|parashah)[ \t]+([a-z][a-z'\-]+(?:[ \t][a-z][a-z'\-]+)?)"
)


def _chapter_of_portion_before(norm: str, c: _Cand) -> Any | None:
    """'Parshat Vayera, Perek 18': a chapter after a weekly portion named just before it is its book's
    chapter, when the portion holds it."""
    from madrega.refs import portions

    before = norm[max(0, c.start - 200) : c.start]
    named = list(_PORTION_NAMED.finditer(before))
    if not named or not re.fullmatch(r"\d{1,3}(?::\d{1,3})?", c.addr):
        return None
    for name in (named[-1].group(1), named[-1].group(1).split()[0]):
        span = portions.portion("Parashat " + name.title())
        portion = None if span is None else _parse_in(span)
        if portion is not None:
            return _portion_chapter(portion, c.addr)
    return None


def _address_in_portion_before(norm: str, ctx: _Context, c: _Cand) -> Any | None:
    """'Parshas Shoftim ... the Torah gives is (20:1)': a chapter and verse after a weekly portion named
    just before it, nothing cited between, is that verse of the portion's book when the portion holds it
    (Deuteronomy 20:1; 'Shoftim' is no book of Judges here)."""
    from madrega.refs import portions

    lo = max(0, c.start - 200)
    named = list(_PORTION_NAMED.finditer(norm, lo, c.start))
    if not named or not re.fullmatch(r"\d{1,3}:\d{1,3}(?:-\d{1,3})?", c.addr):
        return None
    at = named[-1].start()
    if any(ref is not None and at <= pos < c.start for pos, _e, ref, _p, _h in ctx.history):
        return None  # '(Isaiah 12:3) ... (12:5)' after 'Parshat Bo': the book cited since
    for name in (named[-1].group(1), named[-1].group(1).split()[0]):
        span = portions.portion("Parashat " + name.title())
        portion = None if span is None else _parse_in(span)
        if portion is None or portion.work.kinds[:2] != ("chapter", "verse"):
            continue
        ref = _parse_in(f"{portion.work.title} {c.addr}")
        if ref is None or not tuple(portion.sections) <= tuple(ref.sections) <= tuple(portion.end):
            return None
        return ref
    return None


def _portion_of(entry: Any) -> Any | None:
    """The verses of the weekly portion a part of a book is named for ('Kedushat Levi, Numbers,
    Pinchas' → Numbers 25:10-30:1), or None."""
    if not isinstance(entry, Work) or not entry.group or ", " not in entry.title:
        return None
    from madrega.refs import portions

    span = portions.portion("Parashat " + entry.title.rsplit(", ", 1)[1])
    return None if span is None else _parse_in(span)


@cache
def _he_portion_verse() -> re.Pattern[str]:
    """A weekly portion's Hebrew name, then a chapter and a verse after a comma ('לך לך טו, ו')."""
    return re.compile(
        rf"(?<![א-ת\"'])(?P<intro>פרשת[ \t]+)?(?P<name>{_portion_alternation()})[ \t]+(?P<ch>{_HE_NUM})[ \t]*,[ \t]*"
        rf"(?P<v>{_HE_NUM})(?![א-ת\"'])(?![ \t]*[,:][ \t]*[א-ת])"
    )


@cache
def _he_paren_portion_verse() -> re.Pattern[str]:
    """'(פקודי מ' ל"ד)', '(ויחי מט, י)': a weekly portion's name, a chapter and a verse, all of the
    parentheses (the comma may be left out)."""
    return re.compile(
        rf"\((?P<name>{_portion_alternation()})[ \t]+(?P<ch>{_HE_NUM})(?:[ \t]*,[ \t]*|[ \t]+)(?P<v>{_HE_NUM})[ \t]*\)"
    )


_SOURCE_DASH = re.compile(r"[ \t][–—-][ \t]*$")


def _after_source_dash(norm: str, m: re.Match[str], name: str) -> bool:
    """'צוהר תעשה גו' – נח ו, טז': in a list of sources, the words quoted, a dash, then the place; a short
    portion's name there ('נח', 'בא', 'צו') is the portion, never 'see' (ראה stays a word)."""
    return name != "ראה" and bool(_SOURCE_DASH.search(norm, max(0, m.start() - 3), m.start()))


def _verse_in_portion(name: str, chapter: str, verse: str) -> Any | None:
    """The portion's book at the chapter and verse, when the portion holds that verse: a portion's name
    is also a word ('ראה', 'בא'), and only a place inside it makes the name the portion's."""
    from madrega.refs import portions

    span = portions.portion(f"פרשת {name}")
    portion = None if span is None else _parse_in(span)
    if portion is None or portion.work.kinds[:2] != ("chapter", "verse"):
        return None
    ref = _parse_in(f"{portion.work.he_title} {chapter}, {verse}")
    if ref is None or ref.is_range or len(ref.sections) != 2:
        return None
    if not tuple(portion.sections) <= tuple(ref.sections) <= tuple(portion.end):
        return None
    return ref


def _portion_chapter(portion: Any, address: str) -> Any | None:
    """'פרק כה' under a heading on Parashat Pinchas: chapter 25 of Numbers, when the portion has it."""
    book = portion.work
    ref = _parse_in(f"{book.he_title if _HEBREW.search(address) else book.title} {address}")
    if ref is None or not portion.sections[0] <= ref.sections[0] <= portion.end[0]:
        return None
    return ref


def _portion_line_ref(ctx: _Context, c: _Cand) -> Any | None:
    """A line that names a weekly portion alone ('פרשת פינחס', 'Parashat Balak') under a heading of a
    book arranged by portion is that book's part for the portion."""
    for _pos, entry, _ref, persistent, _he in reversed(ctx.history):
        if not persistent or entry is None:
            continue
        group = entry.name if isinstance(entry, Group) else getattr(entry, "group", None)
        book = catalog().groups.get(group) if group else None
        if book is None:
            return None
        try:
            ref = parse(f"{book.he_title if _HEBREW.search(c.addr) else book.name}, {c.addr}")
        except RefError:
            return None
        return ref if ref.work.group == group else None
    return None


def _chapters_cited_before(ctx: _Context, c: _Cand) -> Any | None:
    """'Shoftim (Deut. 16-21)' then '16:19 Do not bend justice': a verse opening a line, after chapters
    cited since the heading, is of the book cited when those chapters hold it (not the heading's Judges)."""
    if c.hebrew or not re.fullmatch(r"\d{1,3}:\d{1,3}", c.addr):
        return None
    for pos, _entry, ref, persistent, he in reversed(ctx.history):
        if persistent and ref is None:
            return None  # a heading after the last citation governs
        if ref is None:
            continue
        if he or c.start - pos > _CITED_WINDOW or ref.work.kinds[:2] != ("chapter", "verse"):
            return None
        chapter = int(c.addr.split(":")[0])
        first, last = ref.sections[0], (ref.end or ref.sections)[0]
        if not (str(first).isdigit() and str(last).isdigit() and int(first) <= chapter <= int(last)):
            return None
        return _parse_in(f"{ref.work.title} {c.addr}")
    return None


def _line_ref(ctx: _Context, c: _Cand) -> Any | None:
    cited = _chapters_cited_before(ctx, c)
    if cited is not None:
        return cited
    for _pos, entry, _ref, persistent, he in reversed(ctx.history):
        if not persistent or entry is None:
            continue
        if c.level == "braced":
            # '{א}' opening a line of a commentary whose heading names one chapter of a book of verses:
            # the comment on that verse of the chapter
            if _ref is None or not he or len(_ref.sections) != 1 or _ref.is_range:
                return None
            if _ref.work.kinds[1:2] != ("verse",):
                return None
            number = _arabic(c.addr)
            return _parse_in(f"{_ref.work.title} {_ref.sections[0]}:{number}") if number.isdigit() else None
        if c.level == "numeral":
            # a Hebrew numeral alone on its line is a daf only under a tractate an English heading names
            if he or getattr(entry, "kinds", ("",))[0] != "daf":
                return None
            number = _arabic(c.addr)
            return _parse_in(f"{_title_of(entry)} {number}") if number.isdigit() else None
        if not c.hebrew and getattr(entry, "kinds", ("",))[0] != "daf" and ":" not in c.addr:
            return None  # '83:' at a line's start is a daf of the tractate a heading named
        return _parse_in(f"{_title_of(entry)} {c.addr}")
    return None


def _parse_in(text: str) -> Any | None:
    try:
        ref = parse(text)
    except RefError:
        return None
    return ref if ref.sections else None


_AMUD_ONLY = re.compile(r"(?:ע\"|עמוד[ \t]+|ע')([אב])'?|([ab])")


def _ibid_ref(previous: Any, addr: str, level: str) -> Any | None:
    """ibid. / שם: the previous citation, or its work at the address given ('שם פסוק ז' keeps the
    chapter and names the verse)."""
    addr = addr.strip(" ,.")
    if not addr:
        return previous
    title = previous.work.title
    if level == "same_chapter":
        if len(previous.sections) < 2 or previous.work.kinds[0] == "daf":
            return None
        chapter = previous.starting().parent()
        return _parse_in(f"{chapter.he() if _HEBREW.search(addr) else chapter}, {addr}")
    seif = re.match(r"(?:ס\"ק|ס'ק|סעיף|סעי'|סע'|סק\"(?=[א-ת]))[ \t]*", addr)
    if seif is not None:  # 'שם ס"ק כ', 'שם סק"ד': the seif (katan) of the siman just cited
        addr, level = addr[seif.end() :], "seif"
    bare = re.sub(
        r"^(?:chapters?|ch\.?|verses?|vv?\.?|פסוק|פרק|דף|משנה|סימן|הלכה|הלכ?['׳])[ \t]*", "", addr
    ).strip()  # 'שם הל' ח': the halakha of the chapter just cited
    if previous.work.kinds[:1] != ("daf",) and _HEBREW.search(bare):
        bare = bare.rstrip(".:")  # 'שם הל' ח:' ending a line: its colon, not an amud
    if not bare:
        return previous
    amud = _AMUD_ONLY.fullmatch(bare)
    daf = re.match(r"(.*\d)[ab]\b", str(previous.starting())) if previous.work.kinds[:1] == ("daf",) else None
    if amud is not None and daf is not None:  # '(נדרים כב א) ... (שם ע"ב)': the other side of the same daf
        side = amud.group(1) or amud.group(2)
        return _parse_in(f"{daf.group(1)}{'a' if side in ('א', 'a') else 'b'}")
    single = not re.search(r"[:,\s]", bare) and not re.search(r"\d[ab]$|ע\"", bare)
    sections = previous.sections
    if level == "seif" and single and previous.work.kinds[:1] == ("siman",):
        return _parse_in(f"{previous.starting().top()}:{_arabic(bare)}")
    if single and level != "chapter" and len(sections) >= 2 and previous.work.kinds[0] != "daf":
        return _parse_in(f"{previous.starting().parent()}:{_arabic(bare)}")
    if single and level == "chapter":
        return _parse_in(f"{title} {bare}")
    found = _parse_in(f"{title} {bare}")
    if found is None and previous.work.kinds[0] == "volume" and len(sections) >= 2:
        # 'זח"ב קיד, ב. שם קטו, א': a daf of the volume just cited ('Zohar 2:115a')
        volume = previous.starting().top()
        found = _parse_in(f"{volume.he() if _HEBREW.search(bare) else volume} {bare}")
    return found


def _arabic(number: str) -> str:
    if number.isdigit() or "-" in number:
        return number
    from madrega.text.numerals import from_hebrew

    try:
        return str(from_hebrew(number.rstrip(".:")))
    except MadregaError:  # not a Hebrew numeral: the parser says what is wrong with it
        return number


# --- the scan -------------------------------------------------------------------------------------


_JOIN_GAP = re.compile(r"[\s,:\-]{0,6}")
_FINER_LEVEL = re.compile(r"(?:פסוק|הלכה|סעיף|משנה|verse|halacha|halakha|seif|mishnah)(?![\w\"'])")


def _finer_joined(cands: list[_Cand], norm: str) -> list[_Cand]:
    """'משלי - פרק ד - פסוק כג', 'הלכות סנהדרין פרק כ"ד\n\nהלכה ה': a chapter and, right after it, its
    verse or halakha named by its level word are one reference, of the verse."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == c.kind == "ref"
            and _JOIN_GAP.fullmatch(norm, prev.end, c.start)
            and _FINER_LEVEL.match(norm, c.start)
            and str(prev.ref) != str(c.ref)
        ):
            try:
                inside = prev.ref.contains(c.ref)
            except (RefError, AttributeError):
                inside = False
            if inside:
                c.start = prev.start
                out[-1] = c
                continue
        out.append(c)
    return out


def clear_caches() -> None:
    """Forget every ref and name read so far, the parser's too (for measuring first-time linking);
    the tables built once from the catalog stay."""
    _parser_clear_caches()
    for remembered in (_misspelt_book, _names_a_portion, _mt_part_named):
        remembered.cache_clear()


def find_references(text: str, *, context_ref: str | None = None) -> list[Found]:
    """Every written reference in `text`, in order, with its exact span and canonical ref."""
    norm, offsets = _normalize(text)
    resolved = _finer_joined(_resolve(_recognize(text, norm, offsets), context_ref, norm), norm)
    out = []
    for c in resolved:
        out.append(
            Found(
                _orig(offsets, c.start),
                _orig_end(offsets, c.end, text),
                str(c.ref),
                c.score,
                list(c.alternatives),
            )
        )
    return out
