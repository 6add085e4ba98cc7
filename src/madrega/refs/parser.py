"""Reading references as people write them: 'Job 8:7', 'Iyov (Job) 8:7', 'BM 59b', 'ברכות ה.',
'לקוטי מוהר"ן תנינא סימן לב', 'Tanya, Part III; Iggeret HaTeshuvah 10:1', 'Job.8.7'.

Two steps. The title is the longest run of leading words whose key is a catalog name (one dict lookup
per candidate length). The rest is the address, read by one precompiled tokenizer into numbers (Arabic,
Roman part numbers, Hebrew numerals, daf + amud) and at most one range dash, then mapped onto the
work's levels and checked against what the catalog knows of its lengths.

Most references are plain — 'Job 8:7', 'איוב ח, ז', 'Job.8.7' — so each step has a fast lane for them
that gives exactly what the general path gives (tests/test_refs_fast_lanes.py holds them to it), and
anything else takes the general path: no normalizing of text that is already normal; titles resolved
word by word from the front with every run of words remembered (a text names the same works again and
again, so only the address words are new) and runs whose key ends in no catalog key's way skipped
without a lookup; and one regex plus a table of Hebrew numerals for a plain address.
"""

from __future__ import annotations

import re
import string
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any, cast

from madrega.errors import MadregaError
from madrega.refs import footnotes as _footnotes
from madrega.refs import names as _names
from madrega.refs import portions as _portions
from madrega.refs.catalog import (
    _NON_KEY,
    ENDING,
    Ambiguous,
    Group,
    PlaceNotInWork,
    RefError,
    Work,
    _Composed,
    ambiguity,
)
from madrega.refs.catalog_file import catalog
from madrega.refs.ref import Ref, daf_text, new_ref
from madrega.refs.structures import read_structure
from madrega.refs.words import words
from madrega.text.hebrew import MARK_CLASS
from madrega.text.numerals import from_hebrew, to_hebrew

__all__ = ["clear_caches", "describe", "parse", "validate"]

_MARKS = re.compile(f"[{MARK_CLASS}\u05c0\u05c6]")  # the marks, and paseq and nun hafukha
_TRANSLATE = str.maketrans(
    {
        "\u05be": " ",  # maqaf
        "\u05c3": ":",  # sof pasuq
        "״": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "׳": "'",
        "‘": "'",
        "’": "'",
        "`": "'",
        "´": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "\u00a0": " ",
        "\u200f": "",
        "\u200e": "",
    }
)
# Words in parentheses are no part of the place ('(Greek)', '(וילנא)'), but a Hebrew daf in them is the
# address itself ('יומא (דף עט)', 'פ"ק דשבת (דף י\')'), its numbers in letters.
_PAREN_WORDS = re.compile(r"\s*\((?!\s*(?:דף|דפים|ד['\"]ף)\s)[^()\d]*\)")
_URL_FORM = re.compile(r"^([^\s.]+)\.(\d.*)$")
_WORD = re.compile(r"[^\s,;]+")
# Text the general normalizing would leave as it is: single spaces, no niqqud, quotes or dashes to unify.
_PLAIN_CHARS = "0-9A-Za-z,.;:'\"_/\\-\u05d0-\u05ea"
_PLAIN = re.compile(f"[{_PLAIN_CHARS}]+(?: [{_PLAIN_CHARS}]+)*")
_PLAIN_KEY = str.maketrans(string.ascii_uppercase, string.ascii_lowercase, ".:'\"_/-")  # keeps " ,;"
# A plain word's key (`_PLAIN_KEY`) without the separators a word may end with.
_PLAIN_TITLE_KEY = str.maketrans(string.ascii_uppercase, string.ascii_lowercase, ".:'\"_/-,;")
_GLUED = re.compile(r"[,;](?! )")  # a word boundary without a space
# The addresses almost every reference has: '8:7', '5a', '1:1-3', '5a-b'; 'ח, ז', 'ה.', 'ה.-ו:'.
_NUMBERS = r"[0-9]+[ab]?(?::[0-9]+[ab]?)*"
_NUMERIC_ADDRESS = re.compile(rf" ({_NUMBERS})(?:-((?:[0-9]+[ab]?|[ab])(?::[0-9]+[ab]?)*))?")
_HE_NUMBERS = r"[א-ת]+(?:[\"'][א-ת]*)?(?:(?:, ?| |:)[א-ת]+(?:[\"'][א-ת]*)?)*"
_HE_ADDRESS = re.compile(rf" ({_HE_NUMBERS})([.:]?)(?:-({_HE_NUMBERS})([.:]?))?")
_SIMPLE_NUMERIC = re.compile(r" ([0-9]+(?::[0-9]+)*)(?:-([0-9]+(?::[0-9]+)*))?")
# A '.' or ':' after a Hebrew numeral marks an amud only at a daf level; elsewhere it separates.
_SIMPLE_HEBREW = re.compile(rf" ({_HE_NUMBERS})[.:]?(?:-({_HE_NUMBERS})[.:]?)?")
# A Hebrew number marked by the level it counts: פ"א (perek), מ"א (mishnah), ה"א (halakha).
_MARKED = re.compile(r"(?<![א-ת\"'])([פמה])[\"']([א-ת]{1,3})(?![א-ת\"'])")
_HE_SEPARATOR = re.compile(r", ?| |:")
# A level word that is not itself followed by a marked number ('פרק ג מ"ב', not 'פרק מ"ו'), or its
# abbreviation ('פ"א הל' ג'': halakha 3 of perek 1, never 81:3).
_MARKER_WORD = re.compile(
    r"(?<![א-ת\"'])(?:(?:פרק|משנה|הלכה|פסוק|סימן|סעיף)(?![א-ת\"'])|הלכ?['\"](?=\s))(?!\s*[פמה][\"'][א-ת])"
)
_HEBREW = re.compile(r"[\u05d0-\u05ea]")
_HEBREW_PREFIXES = (
    "ו",
    "ב",
    "ל",
    "מ",
    "כ",
    "ש",
    "ה",
    "וב",
    "ול",
    "ומ",
    "וכ",
    "וש",
    "שב",
    "של",
    "שמ",
    "כש",
    "מה",
    "וה",
    "בה",
)

_TOKEN = re.compile(
    r"""
    (?P<dash>-)
   |(?P<amud>(?:ס?ע["']|עמוד\s*|(?<=[א-ת])/)(?P<amud_he>[אב])['"]?(?![א-ת]))
   |(?P<hpart>(?:ח["']|חלק\s*)(?P<hpart_n>[א-ה])['"]?(?![א-ת]))
   |(?P<heb>(?P<hebv>[א-ת]+(?:["'][א-ת]*)?)(?P<hmark>[.:](?!\d))?)
   |(?P<num>(?P<numv>\d+)(?P<ab>[ab])?(?![a-z]))
   |(?P<word>(?P<wordv>[a-z]+(?:'[a-z]+)?)\.?)
   |(?P<sep>[\s:,.;/#§]+)
   |(?P<other>.)
    """,
    re.VERBOSE,
)

_WORDS = words()
# Words inside an address that carry no number ('ch.', 'verse', 'NIV'): data/refwords.json.
_NOISE = _WORDS.noise | _WORDS.translations
_PART_WORDS = _WORDS.part_words
_ROMAN = _WORDS.roman_parts
# Roman chapter numbers up to 399 of two letters or more ('v.' alone is a verse, 'c.' a chapter).
_ROMAN_NUMERAL = re.compile(r"(?=[ivxlc]{2})c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_ROMAN_LETTERS = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_FOLLOWING = re.compile(r"(?<=\d)\s*ff?\b\.?")
# A dash between two words ('Torah-teaching'), at the address's start, or before a level word
# ('Volume 2 - Torah 10') separates; only a dash between two places makes a range.
_CONNECTORS = frozenset(
    [
        "the",
        "and",
        "of",
        "in",
        "on",
        "at",
        "to",
        "ad",
        "loc",
        "ff",
        "f",
        "n",
        "s",
        "p",
        "no",
        "beginning",
        "end",
        "middle",
        "start",
        "top",
        "bottom",
    ]
)
_WORD_DASH = re.compile(
    r"(?<=[a-z]{2})-(?=[a-z]{2})|^\s*-|-(?=\s*(?:"
    + "|".join(
        sorted(
            (re.escape(w) for w in (_NOISE | _PART_WORDS) - _CONNECTORS if w.isalpha()), key=len, reverse=True
        )
    )
    + r")\b)"
)
# Words that lead into a citation without being part of the title: 'see Job 8:7', 'Talmud, Berakhot 5a'.
_LEAD_INS = tuple(
    dict.fromkeys(
        [
            *_WORDS.lead_ins,
            *_WORDS.skip_before_title,
            *(p for ps in _WORDS.corpus_prefixes.values() for p in ps),
        ]
    )
)
_HE_NOISE = _WORDS.he_noise
_NEXT_HEBREW = re.compile(r"[\s,:]*[א-ת]")
# Level words spelt like a numeral ('רמז' is 247), never a marked abbreviation ('ד'', 'ה'').
_HE_LEVEL_NUMERALS = frozenset(w for w in _HE_NOISE if w.isalpha() and len(w) >= 3)
_HE_LEVEL_WORDS = frozenset(w.rstrip("'\"") for w in (*_WORDS.he_markers, "סי", "סע", "הל"))
_HE_PARTS = _WORDS.he_parts

# Level words written before a number, by the level they name: 'Genesis verse 3' names a verse, and a
# verse without its chapter is no place (it is not chapter 3).
_NAMED_LEVELS = {
    word: kind
    for kind, written in (
        ("verse", ("verse", "verses", "vs", "vv", "pasuk", "passuk", "pasuq", "pesukim")),
        ("mishnah", ("mishnah", "mishna", "mish", "mishnayot", "mishnayos")),
        ("halakha", ("halacha", "halachah", "halakha", "halakhah", "halachot", "halachos", "halakhot")),
        ("seif", ("seif", "se'if", "seifim", "se'ifim")),
    )
    for word in written
}

_PLURAL = {
    "chapter": "chapters",
    "verse": "verses",
    "mishnah": "mishnayot",
    "halakha": "halakhot",
    "daf": "dapim",
    "siman": "simanim",
    "seif": "se'ifim",
    "torah": "torahs",
    "section": "sections",
    "paragraph": "paragraphs",
    "volume": "volumes",
    "piska": "piskaot",
    "mitzvah": "mitzvot",
    "remez": "remazim",
    "essay": "essays",
    "segment": "segments",
}


@dataclass(slots=True)
class _Comp:
    value: int | None  # None: a lone amud ('5a-b')
    amud: int | None = None  # 0 = a, 1 = b
    part: bool = False
    soft_mark: str = ""  # '.' or ':' after a Hebrew numeral: an amud at a daf level, else a separator
    named: str = ""  # the level written before the number ('verse' in 'Genesis verse 3'), if one


@lru_cache(maxsize=8192)
def _he_value(word: str) -> int | None:
    try:
        value = from_hebrew(word)
    except MadregaError:
        return None
    return value if value < 1000 else None


def _roman_value(word: str) -> int:
    values = [_ROMAN_LETTERS[ch] for ch in word]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@cache
def _he_numbers() -> dict[str, int]:
    """Hebrew numerals 1–999 as references write them (כג, כ"ג, polite ער), read once: the table holds
    only spellings the general tokenizer reads as one numeral word (not ע"א, an amud, or ח"א, a part)."""
    table: dict[str, int] = {}
    for n in range(1, 1000):
        for polite in (False, True):
            plain = to_hebrew(n, punctuate=False, polite=polite)
            marked = to_hebrew(n, polite=polite).replace("״", '"').replace("׳", "'")
            for form in (plain, marked):
                token = _TOKEN.match(form)
                if token is None or token.lastgroup != "heb" or token.end() != len(form):
                    continue
                value = _he_value(form)
                if value is not None and token.group("hmark") is None and form not in _HE_NOISE:
                    table[form] = value  # not 'רמז' (247): the word that names a remez
    return table


def _url_form(text: str) -> str:
    """'Job.8.7' → 'Job 8:7' (Sefaria's URL form); any other text unchanged."""
    url = _URL_FORM.match(text)
    if url and not _HEBREW.search(text):
        return url.group(1).replace("_", " ") + " " + url.group(2).replace(".", ":")
    return text


def _normalize(text: str) -> str:
    text = _MARKS.sub("", text.translate(_TRANSLATE)).replace("''", '"')
    if "(" in text:
        text = _PAREN_WORDS.sub(" ", text).replace("(", " ").replace(")", " ")
    text = " ".join(text.split())
    if " " not in text:
        text = _url_form(text)
    return text


def _word_keys(text: str, words: list[str], plain: bool) -> list[str]:
    """The key of every word. In plain text a key is the word lowercased without its punctuation, so
    one translate of the whole text gives them all — unless a word was nothing but punctuation."""
    if plain:
        keys = _WORD.findall(text.translate(_PLAIN_KEY))
        if len(keys) == len(words):
            return keys
        return [word.translate(_PLAIN_KEY) for word in words]
    return [_NON_KEY.sub("", word.lower()) for word in words]


@cache
def _leading_words(n: int) -> re.Pattern[str]:
    """Matches the first n + 1 words (as `_WORD` finds them) of a text."""
    return re.compile(rf"[\s,;]*(?:[^\s,;]+[\s,;]+){{{n}}}[^\s,;]+")


def _after_word(text: str, words: list[str], n: int) -> str:
    """The text after the n-th word."""
    if n == 0:  # words are maximal runs: the first is found where it stands
        return text[text.index(words[0]) + len(words[0]) :]
    leading = _leading_words(n).match(text)
    assert leading is not None
    return text[leading.end() :]


_Title = tuple[Work | Group | Ambiguous | None, int, str]  # what a run of words names, where it ends, its key
_TITLE_MEMO: dict[str, _Title] = {}
_TITLE_MEMO_MAX = 50_000
# A plain word's key for ASCII bytes: lowercase, without the separators `_PLAIN_TITLE_KEY` drops. Text
# is keyed as UTF-8 bytes (one C pass; a Hebrew letter's bytes are never ASCII, so they pass as they are).
_KEY_BYTES = bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode())
_KEY_DROP = b".:'\"_/-,;"


def _plain_title(text: str) -> _Title:
    """The longest leading run of `text`'s words (plain text, one space between words) whose key names
    a work exactly: the entry (or None), the length of that title in `text`, and the key of all of
    `text`. The runs before a citation's address are the same titles in every text, so the text before
    its last word (or two: a Hebrew address has two) is remembered, and only the address words are
    new; a title never seen is read in one pass (`_title_runs`)."""
    memo = _TITLE_MEMO
    cut = text.rfind(" ")
    if cut < 0:
        return _title_runs(text)
    found = memo.get(text[:cut])
    if found is None:
        cut2 = text.rfind(" ", 0, cut)
        found = memo.get(text[:cut2]) if cut2 > 0 else None
        if found is None:
            return _title_runs(text)
        found = _extended(text, cut2, cut, found)
        if len(memo) >= _TITLE_MEMO_MAX:
            memo.clear()
        memo[text[:cut]] = found
    return _extended(text, cut, len(text), found)


def _extended(text: str, cut: int, end: int, found: _Title) -> _Title:
    """The runs of `text[:end]`, given those of `text[:cut]` (`found`) and one more word after `cut`."""
    entry, length, key = found
    key += text[cut + 1 : end].translate(_PLAIN_TITLE_KEY)
    cat = catalog()
    if key[-ENDING:] in cat.endings:  # the whole run may be a title, and the longer one wins
        whole = cat.resolve(key)
        if whole is not None:
            return whole, len(text[:end].rstrip(",;")), key
    return entry, length, key


def _title_runs(text: str) -> _Title:
    """`_plain_title` of a text whose title was not seen: one translate keys every word, and the name
    families a run may belong to are found once, for the key of all of `text` (every run's key starts
    like it), so a run costs a dict lookup and one per family. The text before the last word, and
    before the last two, is remembered for the texts that name the same title again."""
    cat = catalog()
    keys = text.encode().translate(_KEY_BYTES, _KEY_DROP).decode().split(" ")
    whole = "".join(keys)
    families = [
        (len(before), len(before) + len(after), len(after), after, table)
        for before, after, table in (cat.families(whole) if whole[:2] in cat._composed or cat._short else ())
    ]
    base = cat._base
    endings = cat.endings
    entry: Work | Group | Ambiguous | None = None
    length = 0
    key = ""
    start = 0
    last = len(keys) - 1
    memo = _TITLE_MEMO
    if len(memo) >= _TITLE_MEMO_MAX:
        memo.clear()
    for n, word in enumerate(keys):
        if n and n >= last - 1:
            memo[text[: start - 1]] = (entry, length, key)
        key += word
        stop = text.find(" ", start)
        if key[-ENDING:] in endings:  # a key ending otherwise names nothing
            found = base.get(key)
            if found is None and families:
                size = len(key)
                for cut, shortest, tail, after, table in families:  # 'Rashi on' + a book's name
                    if size >= shortest and (not tail or key.endswith(after)):
                        found = table.get(key[cut : size - tail])
                        if found is not None:
                            break
            if found is not None:  # the longer run wins
                entry = found
                length = len((text[:stop] if stop >= 0 else text).rstrip(",;"))
        start = stop + 1
    return entry, length, key


def _match_plain_title(text: str) -> tuple[Work | Group | Ambiguous, str] | None:
    """`_match_title` for plain text whose every word boundary is a space. None when no run of words
    names a work exactly, or the text is outside this shape: the general search decides then."""
    if text.count(" ") >= catalog().max_words or (("," in text or ";" in text) and _GLUED.search(text)):
        return None
    entry, length, _ = _plain_title(text)
    if entry is None:
        return None
    return entry, text[length:]


def _part_spelt_loosely(group: Group, keys: list[str], n: int) -> tuple[Work, int] | None:
    """'חובות הלבבות שער הבטחון', 'חובת הלבבות שער הביטחון': a part of the book named before it, in a
    spelling of its own (without a ו or י the catalog's has), after any name of the book; only a part of
    that same book."""
    cat = catalog()
    book = _NON_KEY.sub("", group.he_title.lower())
    for m in range(len(keys) - 1, n, -1):
        for key in dict.fromkeys((keys[m], book + keys[m][len(keys[n]) :])):
            found = cat.lookup_key(key)
            if isinstance(found, Work) and found.group == group.name:
                return found, m
    return None


def _match_title(text: str, plain: bool = False) -> tuple[Work | Group | Ambiguous, str] | None:
    """The longest leading run of words that names a work, and the text after it."""
    cat = catalog()
    words = _WORD.findall(text)
    if not words:
        return None
    keys = _word_keys(text, words, plain)
    if len(words) > cat.max_words:
        del words[cat.max_words :], keys[cat.max_words :]
    if "'" in text and _HEBREW.match(text):
        _cut_at_a_number(words, keys)
    keys = list(accumulate(keys))
    base = cat._base
    # Every candidate key starts like the longest one, so the families that may hold it are found once.
    families = [
        (len(before), len(before) + len(after), len(after), after, table)
        for before, after, table in (
            cat.families(keys[-1]) if keys[-1][:2] in cat._composed or cat._short else ()
        )
    ]
    for n in range(len(keys) - 1, -1, -1):
        key = keys[n]
        entry = base.get(key)
        if entry is None and families:
            size = len(key)
            for start, shortest, cut, after, table in families:  # 'Rashi on' + a book's name
                if size >= shortest and key.endswith(after):
                    entry = table.get(key[start : size - cut])
                    if entry is not None:
                        break
        if entry is not None:
            if isinstance(entry, Group) and n < len(keys) - 1 and _HEBREW.match(keys[n]):
                part = _part_spelt_loosely(entry, keys, n)
                if part is not None:
                    return part[0], _after_word(text, words, part[1])
            return entry, _after_word(text, words, n)
    for n in range(len(keys) - 1, -1, -1):
        entry = cat.lookup_key(keys[n])
        if entry is not None:
            if isinstance(entry, Group) and n < len(keys) - 1 and _HEBREW.match(keys[n]):
                part = _part_spelt_loosely(entry, keys, n)
                if part is not None:
                    return part[0], _after_word(text, words, part[1])
            return entry, _after_word(text, words, n)
    return None


def _cut_at_a_number(words: list[str], keys: list[str]) -> list[str]:
    """A title never runs from an abbreviation into the number after it: 'תה' ל' is Tehillim 30, not
    'תהל'' (Tehillim) with its chapter's letter taken into the name (the two keys are one). Cuts `keys`
    (one per word) there, and returns them."""
    numbers = _he_numbers()
    for i in range(1, len(keys)):
        if words[i - 1][-1] in "'׳" and '"' not in words[i] and words[i].rstrip(",.:") in numbers:
            del keys[i:]
            break
    return keys


# The leads that say which corpus a tractate is of ('y. Ber. 1:1' is the Yerushalmi, 't. Sanh. 13:2' the
# Tosefta), as their abbreviations are written. Not 'Talmud', 'gemara' or 'מסכת', which people put before
# a Mishnah too, nor 'Tos.' (Tosafot as often as Tosefta) or 'p.' (a page).
_CORPUS_OF_LEAD = {
    lead: corpus
    for corpus, leads in _WORDS.corpus_prefixes.items()
    for lead in leads
    if lead not in ("talmud", "the talmud", "gemara", "the gemara", "גמרא", "בגמרא", "מסכת", "במסכת", "מס'")
    and lead not in ("tos.", "p.", "b", "תלמוד")
}
_CORPUS_LEADS = tuple(sorted(_CORPUS_OF_LEAD, key=len, reverse=True))
_CORPUS_TITLE = {
    "bavli": "{}",
    "yerushalmi": "Jerusalem Talmud {}",
    "mishnah": "Mishnah {}",
    "tosefta": "Tosefta {}",
}
_CORPUS_NAME = {"bavli": "Babylonian Talmud", "yerushalmi": "Jerusalem Talmud", "mishnah": "Mishnah"}
_TRACTATE_PREFIXES = ("Jerusalem Talmud ", "Mishnah ", "Tosefta ")


def _corpus_lead(text: str) -> str | None:
    """The corpus lead `text` begins with ('y.', 'JT', 'Tosefta', 'ירושלמי'), as written."""
    lowered = text.lower()
    for lead in _CORPUS_LEADS:
        if lowered.startswith(lead) and len(text) > len(lead) and not text[len(lead)].isalnum():
            return text[: len(lead)]
    return None


def _tractate_of(work: Work) -> str | None:
    """The tractate a work of the Talmud, Mishnah or Tosefta is ('Berakhot'), or None."""
    if work.category == "Talmud" and work.kinds[:1] == ("daf",) and work.mishnah:
        return work.title
    for prefix in _TRACTATE_PREFIXES:
        if work.title.startswith(prefix) and work.category in ("Talmud", "Mishnah", "Tosefta"):
            return work.title[len(prefix) :]
    return None


def _tractate_in(original: str, entry: Work, corpus: str) -> Work | None:
    """The tractate `entry` names, in the corpus its lead says; None when `entry` is no tractate."""
    cat = catalog()
    if entry.view_of is not None:
        entry = cat.works[entry.view_of]
    name = _tractate_of(entry)
    if name is None:
        return None
    work = cat._by_title.get(_CORPUS_TITLE[corpus].format(name))
    if work is None:
        raise RefError(f"{original}: the {_CORPUS_NAME.get(corpus, corpus.title())} has no tractate {name}")
    return work


def _after_corpus_lead(text: str, plain: bool, lead_ins: int) -> tuple[Work, str] | None:
    """'y. Ber. 1:1', 'JT Ber. 2a', 'Tosefta Ber. 1:1': the tractate after a corpus lead, in that
    corpus (never the Mishnah the bare name means); None when no tractate follows the lead."""
    lead = _corpus_lead(text)
    if lead is None:
        return None
    rest = text[len(lead) :].lstrip(" ,:;")
    if _corpus_lead(rest) is not None:
        return None  # 'T. B. Pes.': Talmud Bavli, the inner lead says the corpus
    found = _find_title(rest, plain, lead_ins - 1)
    if found is None or not isinstance(found[0], Work):
        return None
    work = _tractate_in(text, found[0], _CORPUS_OF_LEAD[lead.lower()])
    return (work, found[1]) if work is not None else None


def _find_title(
    text: str, plain: bool = False, lead_ins: int = 2
) -> tuple[Work | Group | Ambiguous, str] | None:
    """The title `text` begins with, past a Hebrew prefix letter and up to `lead_ins` lead-in words
    ('ע"פ הגמ' בביצה': two of them), and the text after it."""
    if lead_ins:
        in_corpus = _after_corpus_lead(text, plain, lead_ins)
        if in_corpus is not None:
            return in_corpus
    found = _match_title(text, plain)
    if found is None and _HEBREW.match(text):
        for prefix in _HEBREW_PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix) + 1:
                found = _match_title(text[len(prefix) :], plain)
                if found is not None:
                    break
    if found is None and lead_ins:
        lowered = text.lower()
        for lead in _LEAD_INS:
            if lowered.startswith(lead) and len(text) > len(lead) and not text[len(lead)].isalnum():
                found = _find_title(text[len(lead) :].lstrip(" ,:;"), plain, lead_ins - 1)
                if found is not None:
                    break
    return found


def _unknown_title(original: str, text: str) -> RefError:
    words = text.split()
    hebrew = bool(_HEBREW.search(text))
    name_words: list[str] = []
    for word in words:
        if any(ch.isdigit() for ch in word):
            break
        name_words.append(word)
    if hebrew:
        while len(name_words) > 1 and _he_value(name_words[-1].strip(".:,")) is not None:
            name_words.pop()
    name = " ".join(name_words).strip(" ,.;:") or text
    suggestions = catalog().suggest(name)
    hint = f" — did you mean {suggestions[0]}?" if suggestions else ""
    return RefError(f"{original}: no work named {name}{hint}", suggestions=suggestions)


def _plain_address(rest: str) -> tuple[list[_Comp], list[_Comp], bool] | None:
    """The components of an address in one of the usual shapes, or None for the general tokenizer."""
    numeric = _NUMERIC_ADDRESS.fullmatch(rest)
    if numeric is not None:
        start, end = numeric.groups()
        sides: list[list[_Comp]] = []
        for side in (start, end) if end is not None else (start,):
            comps: list[_Comp] = []
            for number in side.split(":"):
                last = number[-1]
                if last == "a" or last == "b":
                    comps.append(_Comp(int(number[:-1]) if len(number) > 1 else None, int(last == "b")))
                else:
                    comps.append(_Comp(int(number)))
            sides.append(comps)
        return sides[0], (sides[1] if end is not None else []), end is not None
    hebrew = _HE_ADDRESS.fullmatch(rest)
    if hebrew is None:
        return None
    numbers = _he_numbers()
    start, start_mark, end, end_mark = hebrew.groups()
    sides = []
    for side, mark in ((start, start_mark), (end, end_mark)) if end is not None else ((start, start_mark),):
        comps = []
        for word in _HE_SEPARATOR.split(side):
            value = numbers.get(word)
            if value is None:
                return None
            comps.append(_Comp(value))
        comps[-1].soft_mark = mark
        sides.append(comps)
    return sides[0], (sides[1] if end is not None else []), end is not None


@cache
def _parashot() -> tuple[dict[str, int], dict[str, int]]:
    """The Torah's weekly portions (the catalog's Midrash Tanchuma parts, in order) by exact and by
    loose key, and the book each is in: the Zohar's volume 1 is Genesis, 2 Exodus, 3 the rest."""
    from madrega.refs.catalog import _loose_key, name_key

    cat = catalog()
    group = cat.groups.get("Midrash Tanchuma")
    exact: dict[str, int] = {}
    loose: dict[str, int] = {}
    if group is None:
        return exact, loose
    for number, work in sorted(group.parts.items()):
        volume = 1 if number <= 12 else 2 if number <= 23 else 3
        en, he = cat._part_names(work)
        for name in (*en, *he):
            exact.setdefault(name_key(name), volume)
            if len(name_key(name)) >= 5:  # short names collapse into each other when loosened
                loose.setdefault(_loose_key(name_key(name)), volume)
    for name in _ZOHAR_INTRODUCTION:  # 'Zohar, Introduction 5a': the Zohar's own, before Bereshit (1:1a-14b)
        exact.setdefault(name_key(name), 1)
    return exact, loose


_ZOHAR_INTRODUCTION = (
    "Introduction",
    "Hakdamah",
    "Hakdama",
    "Hakdamat HaZohar",
    "Hakdamat Sefer HaZohar",
    "Introduction to the Zohar",
    "הקדמה",
    "הקדמת הזהר",
    "הקדמת הזוהר",
    "הקדמת ספר הזהר",
    "הקדמת ספר הזוהר",
)


_PARASHA_WORD = re.compile(
    r"^[\s,]*(?:(?:parashat|parshat|parashas|parshas|parsha|parasha|portion|פרשת)\s+)?", re.I
)


def _volume_by_parasha(rest: str) -> str:
    """'Zohar, Vayera 101a' and 'זוהר פרשת וירא קא.' name the portion, not the volume: the portion's
    book gives it ('Zohar 1:101a')."""
    from madrega.refs.catalog import _loose_key, name_key

    lead = _PARASHA_WORD.match(rest)
    words = rest[lead.end() if lead else 0 :].split()
    exact, loose = _parashot()
    for n in (3, 2, 1):
        if len(words) <= n or any(ch.isdigit() for word in words[:n] for ch in word):
            continue
        key = name_key(" ".join(words[:n]))
        volume = exact.get(key)
        if volume is None and len(key) >= 5:
            volume = loose.get(_loose_key(key))
        if volume is not None:
            return f" {volume} " + " ".join(words[n:])
    return rest


_HE_NUM = r"[א-ת]{1,3}(?:[\"'][א-ת]?)?"
_DAF_MARKER = re.compile(r"^\s*(?:דף|ד['\"])\s*(?=[א-ת])")
# The daf's number (the address's first, or a range end's) followed by א or ב, after a comma, a space or a
# slash ('כו/א', as Wikisource writes it): its amud.
_DAF_AMUD = re.compile(rf"(^\s*|-\s*)({_HE_NUM})\s*[,\s/]\s*([אב])['\"]?(?![א-ת\"'])")
# In a work by volume and daf (the Zohar) the daf follows the volume, perhaps with its word: 'ח"ב יט, א',
# 'חלק ג דף כו/א'.
_VOLUME_DAF_AMUD = re.compile(
    rf"(^\s*(?:ח[\"'][א-ה]|חלק\s*[א-ה]|{_HE_NUM})\s*,?\s+(?:דף\s+)?|-\s*)({_HE_NUM})\s*[,\s/]\s*([אב])['\"]?(?![א-ת\"'])"
)
_LONE_AMUD = re.compile(r"-\s*([אב])['\"]?(?![א-ת\"'])")


_TITLE_AFTER_DASH = re.compile(r"-\s*(?=[^\d\s\-])")


def _without_repeated_title(entry: Work | Group, rest: str) -> str:
    """'דברי הימים א טו:טו - דברי הימים א טז:יז', 'Genesis 1:1 - Genesis 2:3': the end of a range may
    name its work again."""
    dash = _TITLE_AFTER_DASH.search(rest)
    if dash is None:
        return rest
    found = _find_title(rest[dash.end() :], lead_ins=False)
    if found is None or not _same_entry(found[0], entry):
        return rest
    return rest[: dash.end()] + found[1]


def _same_entry(a: Work | Group | Ambiguous, b: Work | Group) -> bool:
    if a is b:
        return True
    group = lambda e: e.name if isinstance(e, Group) else getattr(e, "group", None)  # noqa: E731
    return group(a) is not None and group(a) == group(b)


_PARASHA_MARK = re.compile(r"^\s*פ'\s*(?=[א-ת])")
_HE_DASH = re.compile(rf"^\s*({_HE_NUM})\s*-\s*({_HE_NUM})\s*[.:]?\s*$")


def _hebrew_dash(entry: Work, rest: str) -> str:
    """'שמות כ-ב', 'מכות כג-ב': a dash between a larger and a smaller number separates the levels
    (chapter 20, verse 2; daf 23, amud b) — a range never runs backwards."""
    m = _HE_DASH.match(rest)
    if m is None:
        return rest
    first, second = _he_value(m[1]), _he_value(m[2])
    if first is None or second is None or second >= first:
        return rest
    if entry.kinds[0] == "daf":
        return f' {m[1]} ע"{m[2]}' if second in (1, 2) else rest
    return f" {m[1]}, {m[2]}" if entry.max_depth >= 2 else rest


def _hebrew_daf(rest: str, volume: bool = False) -> str:
    """A Hebrew address in a work cited by daf: 'ד' כב.' (ד' is 'daf'), 'ח, א' and 'כט ב' (daf and
    amud, as the Talmud is cited in Hebrew), 'לג, א-ב' (both amudim)."""
    if "ד" in rest[:4]:
        rest = _DAF_MARKER.sub(" ", rest)
    if " א" in rest or " ב" in rest or ",א" in rest or ",ב" in rest or "/א" in rest or "/ב" in rest:
        pattern = _VOLUME_DAF_AMUD if volume else _DAF_AMUD
        rest = pattern.sub(lambda m: f'{m[1]}{m[2]} ע"{m[3]}' if _he_value(m[2]) is not None else m[0], rest)
        if 'ע"' in rest:
            rest = _LONE_AMUD.sub(lambda m: f'-ע"{m[1]}', rest)
    return rest


def _unmarked(rest: str) -> str:
    """'פ"א מ"ב' (perek 1, mishnah 2), 'פ"ג ה"ד' (perek 3, halakha 4), 'פ"לב' → the bare numbers. A
    marked word is also a numeral ('פ"א' is 81), so the marks are read as marks only when the address
    has two marked words or a word that is no numeral as written ('ה"ד', 'פ"לב')."""
    marked = _MARKED.findall(rest)
    if not marked:
        return rest
    words_marking = len(_MARKER_WORD.findall(rest))  # 'פ"ג משנה ב', 'פרק ג מ"ב': a word marks a level too
    if len(marked) + words_marking == 1 and _he_value(marked[0][0] + '"' + marked[0][1]) is not None:
        return rest
    if any(_he_value(number) is None for _, number in marked):
        return rest
    return _MARKED.sub(lambda m: m[2], rest)


_Address = tuple[tuple[int, ...], tuple[int, ...]]
# Addresses read so far (a few thousand recur in every text); () for one of no usual shape.
_ADDRESSES: dict[str, _Address | tuple[()]] = {}
_ADDRESSES_MAX = 16_384


def _simple_address(rest: str) -> _Address | None:
    """Start and end sections of the usual address of a work cited by plain numbers — '8:7', '1:1-3',
    'ח, ז', 'פט, כג-כה' — or None for the general reading. The end side may leave out the levels it
    shares with the start; an end deeper than its start is the general reading's error to give."""
    found = _ADDRESSES.get(rest)
    if found is None:
        found = _read_simple_address(rest) or ()
        if len(_ADDRESSES) >= _ADDRESSES_MAX:
            _ADDRESSES.clear()
        _ADDRESSES[rest] = found
    return found or None


def _read_simple_address(rest: str) -> _Address | None:
    numeric = _SIMPLE_NUMERIC.fullmatch(rest)
    if numeric is not None:
        start = tuple(map(int, numeric[1].split(":")))
        if numeric[2] is None:
            return start, start
        tail = tuple(map(int, numeric[2].split(":")))
    else:
        hebrew = _SIMPLE_HEBREW.fullmatch(rest)
        if hebrew is None:
            return None
        numbers = _he_numbers()
        try:
            start = tuple([numbers[word] for word in _HE_SEPARATOR.split(hebrew[1])])
            if hebrew[2] is None:
                return start, start
            tail = tuple([numbers[word] for word in _HE_SEPARATOR.split(hebrew[2])])
        except KeyError:
            return None
    offset = len(start) - len(tail)
    if offset < 0:
        return None
    if numeric is not None and len(tail) == 1 and tail[0] < start[-1]:
        tail = (_completed(start[-1], tail[0]),)  # 'Psalms 121-22' is 121 to 122
    return start, start[:offset] + tail


def _completed(start: int, end: int) -> int:
    """The end of a range written with fewer digits than its start takes the start's leading digits
    ('121-22' → 122, '51-3' → 53); any other end stays as written."""
    head, tail = str(start), str(end)
    if len(tail) >= len(head):
        return end
    done = int(head[: len(head) - len(tail)] + tail)
    return done if done > start else end


_SEIF_KATAN_GLUED = re.compile(r'(?<![א-ת])סק"(?=[א-ת])')
# 'סי' ב ס"ג', 'סימן י ס"י - סי"א': after a siman's number, ס glued to a numeral is its seif (seif 3, 10
# and 11), not the numeral 63 or 70 (which would stand alone after the word סעיף, or be the siman itself);
# 'ס"ק ה' is the seif katan, no seif 100
_SEIF_GLUED = re.compile(
    r"""((?<![א-ת])(?:סימן\s+|סי['׳]\s*|סי\s+)[א-ת]{1,3}(?:["״][א-ת])?['׳]?,?\s+)ס([א-ת]?)["״]([א-פצר-ת])(?![א-ת"'״׳])"""
)
_SEIF_GLUED_END = re.compile(r"""(סעיף [א-ת"]+\s*-\s*)ס([א-ת]?)["״]([א-ת])(?![א-ת"'״׳])""")


def _seif_glued(m: re.Match[str]) -> str:
    return f'{m[1]}סעיף {m[2]}"{m[3]}' if m[2] else f"{m[1]}סעיף {m[3]}"


def _tokens(original: str, rest: str) -> tuple[list[_Comp], list[_Comp], bool]:
    """Read the address into start and end components; the flag says whether a dash was seen."""
    plain = _plain_address(rest)
    if plain is not None:
        return plain
    sides: list[list[_Comp]] = [[]]
    pending_part = False
    text = rest.lower()
    if "-" in text and _WORD_DASH.search(text):
        text = _WORD_DASH.sub(" ", text)  # 'Volume 2 - Torah-teaching 10': the dashes join words, not places
    if "f" in text:
        text = _FOLLOWING.sub("", text)  # '1:1ff': and the verses after — the place starts at 1:1
    if 'סק"' in text:
        text = _SEIF_KATAN_GLUED.sub('ס"ק ', text)  # 'סק"ה' is ס"ק ה, seif katan 5 (not a numeral)
    if "סי" in text and ('ס"' in text or "ס״" in text or re.search(r"ס[א-ת][\"״]", text)):
        glued = _SEIF_GLUED.sub(_seif_glued, text)
        if glued != text:
            text = _SEIF_GLUED_END.sub(_seif_glued, glued)
    marker = ""  # a Hebrew level word ('סימן') waiting for its number
    named = ""  # an English level word waiting for its number
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "sep" or kind is None:
            continue
        if kind == "heb" and m.group("hebv") in _HE_LEVEL_NUMERALS and _NEXT_HEBREW.match(text, m.end()):
            marker = m.group(0).strip()  # 'רמז תתקסא': a level word that is also a numeral (247)
            continue
        if kind != "heb" or _he_value(m.group("hebv")) is not None:
            marker = ""
        side = sides[-1]
        if kind == "dash":
            if len(sides) == 1 and side and all(c.part for c in side):
                continue  # 'ליקוטי מוהר"ן - חלק ב'-קכה': a dash after the part alone separates, no range
            if len(sides) == 2:
                raise RefError(f"{original}: a range has one dash")
            sides.append([])
        elif kind == "num":
            ab = m.group("ab")
            side.append(
                _Comp(
                    int(m.group("numv")),
                    None if ab is None else int(ab == "b"),
                    part=pending_part,
                    named=named,
                )
            )
            pending_part = False
            named = ""
        elif kind == "heb":
            word = m.group("hebv")
            value = _he_value(word)
            if value is None:
                if word in _HE_PARTS and not side:
                    side.append(_Comp(_HE_PARTS[word], part=True))
                elif word in _HE_NOISE or word.rstrip("'\"") in _HE_NOISE:
                    marker = m.group(0).strip()
                    continue
                else:
                    raise RefError(f"{original}: cannot read {word!r} as a number")
            else:
                mark = m.group("hmark") or ""
                nxt = text[m.end() : m.end() + 1]
                if mark and _HEBREW.match(nxt):
                    mark = ""  # 'א:ב' — the colon separates chapter and verse
                side.append(_Comp(value, soft_mark=mark, part=pending_part))
                pending_part = False
        elif kind in ("amud", "word") and (kind == "amud" or m.group("wordv") in ("a", "b")):
            amud = int(m.group("amud_he") == "ב") if kind == "amud" else int(m.group("wordv") == "b")
            if side and side[-1].amud is None and side[-1].value is not None:
                side[-1].amud = amud
                side[-1].soft_mark = ""
            elif not side and len(sides) == 2:
                side.append(_Comp(None, amud))
            else:
                raise RefError(f"{original}: an amud ({m.group(0)}) needs a daf before it")
        elif kind == "hpart":
            side.append(_Comp(_he_value(m.group("hpart_n")) or 1, part=True))
        elif kind == "word":
            word = m.group("wordv")
            if word in _PART_WORDS:
                pending_part = True
            elif word in _ROMAN and (pending_part or not side) and not (word == "v" and not pending_part):
                side.append(_Comp(_ROMAN[word], part=True))
                pending_part = False
            elif word == "v" and not side:  # 'Job v. 7': chapter 5 (after a number, 'v.' is a verse)
                side.append(_Comp(5))
            elif word in _NOISE or word == "v":
                named = _NAMED_LEVELS.get(word, "")
                continue
            elif not side and _ROMAN_NUMERAL.fullmatch(word):  # 'Job viii. 7', 'Ps. cxix. 105'
                side.append(_Comp(_roman_value(word), part=pending_part))
                pending_part = False
            else:
                raise RefError(f"{original}: unexpected {m.group(0).strip()!r} in the address")
        else:
            raise RefError(f"{original}: unexpected {m.group(0)!r} in the address")
    if marker and marker.rstrip("'\"") in _HE_LEVEL_WORDS:
        raise RefError(f"{original}: {marker!r} names a level but no number follows it")
    return sides[0], (sides[1] if len(sides) == 2 else []), len(sides) == 2


def _choose_work(original: str, entry: Work | Group, left: list[_Comp]) -> Work:
    cat = catalog()
    part = left[0] if left and left[0].part else None
    group = entry if isinstance(entry, Group) else cat.groups.get(entry.group) if entry.group else None
    work = entry if isinstance(entry, Work) else None
    if part is not None and work is not None and work.kinds[0] == "volume":
        part.part = False  # Zohar I = volume 1, an ordinary first section
        return work
    if part is not None and group is not None:
        chosen = group.part(part.value or 0)
        if chosen is None:
            listed = ", ".join(w.title for w in group.parts.values())
            raise RefError(f"{original}: {group.name} has no part {part.value} (its parts: {listed})")
        left.pop(0)
        return chosen
    if part is not None:
        part.part = False  # Genesis I:1 — a Roman chapter number
    if work is not None:
        return work
    assert group is not None
    if group.numbered_parts and left and left[0].value in group.parts:
        return group.parts[left.pop(0).value or 0]  # one number alone is the whole part
    if group.default_part is not None:
        return group.parts[group.default_part]
    names = [w.title for w in group.parts.values()]
    raise RefError(
        f"{original}: {group.name} has several parts — name one: {', '.join(names)}", suggestions=names
    )


def _sections(
    original: str, work: Work, comps: list[_Comp], offset: int, start: tuple[int, ...]
) -> tuple[list[int], bool]:
    """Map components onto the work's levels from `offset`; the flag marks a whole daf (no amud)."""
    kinds = work.kinds
    max_depth = work.max_depth
    out: list[int] = []
    whole_daf = False
    for i, comp in enumerate(comps):
        level = offset + i
        kind = kinds[level] if level < len(kinds) else "segment"
        # 'Genesis verse 3': a lower level named alone ('verse 25:19' names the whole place it starts)
        if comp.named and len(comps) == 1 and comp.named != kind and comp.named in kinds[level + 1 :]:
            above = kinds[kinds.index(comp.named) - 1]
            raise RefError(f"{original}: a {comp.named} of {work.title} is cited with its {above}")
        if level >= max_depth:
            shape = ":".join(kinds)
            raise RefError(
                f"{original}: {work.title} is cited as {shape}; {len(comps) + offset} levels is too deep"
            )
        amud = comp.amud
        if kind == "daf" and amud is None and comp.soft_mark:
            amud = 0 if comp.soft_mark == "." else 1
        if kind == "daf":
            daf = comp.value
            if daf is None:  # lone amud: same daf as the start
                daf = (start[level] + 1) // 2 if level < len(start) else 0
            if amud is None:
                if i != len(comps) - 1:
                    raise RefError(f"{original}: give the amud of daf {daf} (e.g. {daf}a or {daf}b)")
                whole_daf = True
                amud = 0
            out.append(2 * daf - 1 + amud if daf > 0 else 0)
        else:
            if amud is not None and kind == "verse" and i == len(comps) - 1 and comp.value is not None:
                amud = None  # 'Leviticus 19:18b': half a verse is cited as the verse
            if amud is not None:
                what = _plural(kind)
                raise RefError(f"{original}: {work.title} is not cited by daf and amud ({what}, not pages)")
            out.append(comp.value or 0)
    return out, whole_daf


def _plural(kind: str) -> str:
    return _PLURAL.get(kind, kind + "s")


def validate(ref: Ref, original: str) -> None:
    """Check every level of a ref (and its range end) against what the catalog knows of the work."""
    work = ref.work
    _check(work, ref.sections, original)
    if ref.end == ref.sections:
        return
    _check(work, ref.end, original)
    n = min(len(ref.sections), len(ref.end))
    if ref.end[:n] < ref.sections[:n]:
        raise RefError(f"{original}: the range runs backwards")


def _check(work: Work, sections: tuple[int, ...], original: str) -> None:
    kinds = work.kinds
    for level, value in enumerate(sections):
        kind = kinds[level] if level < len(kinds) else "segment"
        if value < 1:
            shown = "0" if kind != "daf" else "before 1a"
            raise PlaceNotInWork(f"{original}: {kind} {shown} does not exist ({_plural(kind)} start at 1)")
        if level == 0:
            if kind == "daf" and work.span:
                first, last = work.span
                if value < first:
                    raise PlaceNotInWork(f"{original}: {work.title} starts at {daf_text(first)}")
                if value > last:
                    raise PlaceNotInWork(f"{original}: {work.title} ends at {daf_text(last)}")
            elif kind == "volume" and work.spans:
                if value > len(work.spans):
                    raise PlaceNotInWork(f"{original}: {work.title} has {len(work.spans)} volumes")
            else:
                count = work.top_count()
                if count is not None and value > count:
                    raise PlaceNotInWork(f"{original}: {work.title} has {count} {_plural(kind)}")
        elif level == 1:
            if kind == "daf" and work.spans and kinds[0] == "volume":
                first, last = work.spans[sections[0] - 1]
                if value < first:
                    raise PlaceNotInWork(
                        f"{original}: {work.title} {sections[0]} starts at {daf_text(first)}"
                    )
                if value > last:
                    raise PlaceNotInWork(f"{original}: {work.title} {sections[0]} ends at {daf_text(last)}")
            elif work.lengths is not None:
                count = work.lengths[sections[0] - 1]
                if value > count:
                    raise PlaceNotInWork(
                        f"{original}: {work.title} {sections[0]} has {count} {_plural(kind)}"
                    )


# The commonest citation is a plain title the text names again and again, then one address word
# ('Radak on Jonah 1:3', 'רד"ק על שופטים ד, כג'). What `_parse` decides from the text before that
# last word (its head) is decided once per head, and a new citation of a known head costs two dict
# lookups and the reading of its address.
# The work, its title's length, its key's end, whether Hebrew or led like an ordinal, its shape, and
# the head's spaces.
_Head = tuple[Work, int, str, bool, bool, tuple[int, int | None] | None, tuple[int, int] | None, int]
_HEADS: dict[str, _Head | tuple[()]] = {}  # () for a head `_parse` reads otherwise
_HEADS_MAX = 50_000
_LAST_WORDS: dict[str, str] = {}  # a last word's key, or " " (no key has a space) for no plain word
_LAST_WORDS_MAX = 16_384
_PLAIN_WORD = re.compile(f"[{_PLAIN_CHARS}]+")


def _fast_citation(text: str) -> Ref | None:
    """What `_parse` gives for a plain citation of a head (see above) that names a work exactly and
    an address `_plain_read` reads, or None for `_parse` to read it: any other shape, every ambiguity
    and every error but one, a place in digits past the work's end (`PlaceNotInWork`, raised here with
    the words `_parse` would give)."""
    cut = text.rfind(" ")
    if cut < 0:  # 'Job.8.7': `_parse` reads a plain text in Sefaria's URL form as 'Job 8:7'
        if _PLAIN.fullmatch(text) is None or "''" in text:
            return None
        norm = _url_form(text)
        return _fast_citation(norm) if norm is not text and " " in norm else None
    if cut == 0:
        return None
    head = text[:cut]
    found = _HEADS.get(head)
    if found is None:
        found = _learn_head(head)
    if not found:
        return None
    entry, length, tail, hebrew, ordinal, shape, span, _ = found
    word = text[cut + 1 :]
    key = _LAST_WORDS.get(word)
    if key is None:
        key = _last_word_key(word)
        if len(_LAST_WORDS) >= _LAST_WORDS_MAX:
            _LAST_WORDS.clear()
        _LAST_WORDS[word] = key
    if key == " " or (tail + key)[-ENDING:] in catalog().endings:
        return None  # no plain word, or the whole text may name a longer title
    if hebrew and '"' in text[:8] and _expanded(text) is not text:
        return None
    if ordinal and _ORDINAL_TITLE.match(text) is not None:
        return None
    rest = text[length:]
    ref = _shaped_read(entry, shape, span, rest)
    if ref is None and shape is not None and not hebrew:
        simple = _PLAIN_ADDRESSES.get(rest)
        if simple and simple[0] is simple[1] and len(simple[0]) <= shape[0]:
            _check(entry, simple[0], text)  # 'Amos 15:7': the error `_parse` gives, without reading again
    return ref


def _last_word_key(word: str) -> str:
    """The key of a plain word that may end a plain text (no ',' or ';', which `_GLUED` would see), or
    " " for any other word."""
    if _PLAIN_WORD.fullmatch(word) is None or "''" in word or "," in word or ";" in word:
        return " "
    return word.translate(_PLAIN_TITLE_KEY)


def _learn_head(head: str) -> _Head | tuple[()]:
    """The head's `_read_head`, remembered; a head that is a known head and one more word (a Hebrew
    address's first, 'ד,') is that head's title with a longer key, unless the word may lengthen it."""
    if len(_HEADS) >= _HEADS_MAX:
        _HEADS.clear()
    cut = head.rfind(" ")
    shorter = _HEADS.get(head[:cut]) if cut > 0 else None
    found: _Head | tuple[()] | None = _longer_head(shorter, head[cut + 1 :]) if shorter else None
    if found is None:
        read, keys = _read_head(head)
        found = read or ()
        if read and cut > 0 and shorter is None and read[1] <= cut:
            # the shorter head names the same title: the longest run is the same, its key ends sooner
            # (the keys of all the head's words but its last)
            assert keys is not None
            shorter_key = "".join(keys[:-1])
            _HEADS[head[:cut]] = (*read[:2], shorter_key[-ENDING:], *read[3:7], read[7] - 1)
    _HEADS[head] = found
    return found


_MIDDLE_WORDS: dict[str, str] = {}  # a word's key, or " " when it may not stand inside a plain head


def _longer_head(shorter: _Head, word: str) -> _Head | tuple[()] | None:
    """The head of `shorter`'s text + ' ' + `word`: () when `_parse` would not read it plainly, None
    when the word may lengthen the title (`_read_head` decides)."""
    key = _MIDDLE_WORDS.get(word)
    if key is None:
        plain = _PLAIN_WORD.fullmatch(word) is not None and "''" not in word and not _GLUED.search(word + " ")
        key = word.translate(_PLAIN_TITLE_KEY) if plain else " "
        if len(_MIDDLE_WORDS) >= _LAST_WORDS_MAX:
            _MIDDLE_WORDS.clear()
        _MIDDLE_WORDS[word] = key
    entry, length, tail, hebrew, ordinal, shape, span, spaces = shorter
    if key == " " or spaces + 2 >= catalog().max_words:
        return ()
    tail = (tail + key)[-ENDING:]
    if tail in catalog().endings:
        return None
    return entry, length, tail, hebrew, ordinal, shape, span, spaces + 1


def _read_head(head: str) -> tuple[_Head | None, list[str] | None]:
    """What `_parse` of `head + ' ' + word` decides from the head alone, for any plain last word whose
    key leaves the title as it is: that the text is plain, the title `_match_plain_title` finds (a
    work), that `_title_holds`, and that `_plain_read` is tried. None when any of these fails. With it,
    the key of each of the head's words once they were needed (`_learn_head` reuses them)."""
    if _PLAIN.fullmatch(head) is None or "''" in head:
        return None, None
    norm = head + " "
    spaces = head.count(" ")
    if spaces + 1 >= catalog().max_words or (("," in head or ";" in head) and _GLUED.search(norm)):
        return None, None
    keys = head.encode().translate(_KEY_BYTES, _KEY_DROP).decode().split(" ")
    whole = "".join(keys)
    entry, length = _longest_title(head, keys, whole)
    if type(entry) is not Work or (
        head[:1] in _ORDINAL_STARTS and not _title_holds(norm, (entry, norm[length:]))
    ):
        return None, keys  # (`_title_holds` holds for any text that does not start like an ordinal)
    hebrew = _HEBREW.match(head) is not None
    if hebrew and ("'" in head or '"' in head):
        if not _initials_hold(norm, (entry, norm[length:])):
            return None, keys  # 'בר'' (Bereshit cut short) is not 'ב"ר': the general reading decides
        words = norm[:length].split()
        if "'" in head and len(_cut_at_a_number(words, list(words))) < len(words):
            return None, keys  # 'תה' ל': the title ran into the number
    if not (hebrew or " " in norm[:length].strip()):  # a title of one word
        written = norm[:length].strip(" ,;")
        if _names.clashes(written, entry, entry.category == "Tanakh"):
            return None, keys  # one short word that also names a book of the Bible: `_short_name` decides
        if _names.begins_names_of(written, entry):
            return None, keys  # 'Taz': a word of another work's names, not the initials 'T. AZ'
    shape = _plain_work(entry)
    span = _daf_work(entry) if shape is None else None
    if shape is None and span is None:
        return None, keys  # a work with structure of its own: the general reading
    return (entry, length, whole[-ENDING:], hebrew, head[:1] in "tT123456789", shape, span, spaces), keys


def _longest_title(text: str, keys: list[str], key: str) -> tuple[Work | Group | Ambiguous | None, int]:
    """`_plain_title` of a plain text whose words have the keys `keys` (`key` all of them joined),
    searched from the longest run down: a head is mostly its title, so the first run tried is mostly
    the one (no memory needed)."""
    cat = catalog()
    endings = cat.endings
    base = cat._base
    families: list[_Composed] | None = None
    end = len(text)
    for n in range(len(keys) - 1, -1, -1):
        if key[-ENDING:] in endings:  # a key ending otherwise names nothing
            found = base.get(key)
            if found is None:
                # every shorter run starts like this one, so the families that may hold any of them
                # are found once (`Catalog.exact` with them is `exact` alone)
                if families is None:
                    families = cat.families(key)
                found = cat.exact(key, families) if families else None
            if found is not None:
                return found, len(text[:end].rstrip(",;"))
        key = key[: len(key) - len(keys[n])]
        end = text.rfind(" ", 0, end)
    return None, 0


def _parse(text: str) -> Ref:
    if type(text) is str:
        ref = _fast_citation(text)
        if ref is not None:
            return ref
    return _general(text)


def _general(text: str) -> Ref:
    """`_parse` of a text the fast lane (`_fast_citation`) does not read."""
    plain = type(text) is str and _PLAIN.fullmatch(text) is not None and "''" not in text
    if plain:
        original = norm = text  # already normal: one space between words, nothing to unify
        if " " not in norm:
            norm = _url_form(norm)
    else:
        if not isinstance(text, str) or not text.strip():
            raise RefError("empty reference: give a work and a place, e.g. Job 8:7 or ברכות ה.")
        original = " ".join(text.split())
        if "(" in text:  # 'Esther (Greek) 1:1' names a refused book; the parentheses must not hide it
            outside = _names.outside_named(original)
            if outside is not None:
                raise _names.refusal(original, outside)
        norm = _normalize(text)
        if not norm:
            raise RefError(f"{original!r}: no work named — give a work and a place, e.g. Job 8:7")
    if '"' in norm[:8] and _HEBREW.match(norm):
        norm = _expanded(norm)
    if norm[:1] in "tT123456789":
        ordinal = _ORDINAL_TITLE.match(norm)
        if ordinal is not None and ordinal[2].lower() in _WORDS.ordinal_titles:
            return _parse(f"{_WORDS.ordinal_titles[ordinal[2].lower()]} {ordinal[1]}")  # 'the 23rd Psalm'
    found = _match_plain_title(norm) if plain else None
    if found is not None and type(found[0]) is Group and found[1].strip() and _HEBREW.match(norm):
        found = None  # a part of the book in a spelling of its own: the general search reads it
    if found is not None and "'" in norm and _HEBREW.match(norm):
        words = norm[: len(norm) - len(found[1])].split()
        if len(_cut_at_a_number(words, list(words))) < len(words):
            found = None  # 'תה' ל': the title ran into the number; the general search stops before it
    if found is None:
        found = _find_title(norm, plain)
    if found is not None and not (_title_holds(norm, found) and _initials_hold(norm, found)):
        found = None
    if (
        found is not None
        and type(found[0]) is Work
        and (" " in norm[: len(norm) - len(found[1])].strip() or _HEBREW.match(norm))
    ):  # one short word may also name a book of the Bible: `_short_name` decides then
        ref = _plain_read(found[0], found[1])
        if ref is not None:
            return ref
    if (found is None or not found[1].strip()) and not _HAS_DIGIT.search(norm):
        span = _portions.portion(norm)
        if span is not None:  # 'Parashat Bo', 'משפטים': a weekly portion is its verses
            return _parse(span)
    if found is None:
        glued = _GLUED_NUMBER.match(norm)
        if glued is not None:  # 'LM-24', 'BM-59b': an abbreviation joined to its number by a hyphen
            with suppress(RefError):
                return _parse(f"{glued[1]} {norm[glued.end() :]}")
        return _by_rule(original, norm, text)
    entry, rest = found
    if isinstance(entry, Ambiguous):
        raise ambiguity(original, entry)
    try:
        if " " in norm[: len(norm) - len(rest)].strip() or _HEBREW.match(norm):
            return _read(original, entry, rest)
        return _short_name(original, norm, entry, rest)
    except _names.AmbiguousRef:
        raise
    except RefError:
        if not _NAME_WORD.match(rest):
            raise
        try:  # 'Song of Solomons 1:1': the catalog's 'Song' was only the start of the name
            return _by_rule(original, norm, text)
        except RefError:
            pass
        raise


# Per work: (its deepest level, its count of first-level units) when `_read` reads its plain
# addresses directly, or None.
_PLAIN_WORKS: dict[Work, tuple[int, int | None] | None] = {}
_UNKNOWN = object()  # a work not looked at yet (None is a known answer)


def _no_structure_of_its_own(work: Work) -> bool:
    """No folio, no alternate structure, not the Tikkunei Zohar (numbered by tikkun): its addresses
    are its levels' numbers."""
    return work.title != "Tikkunei Zohar" and work.folio is None and work.index not in catalog().alts


def _plain_work(work: Work) -> tuple[int, int | None] | None:
    """Whether `_read` of a plain numeric address in `work` goes straight to `_simple_address`: no
    structure of its own (folio, alternate structures, volumes, the Tikkunei Zohar's tikkun), no
    daf and no Mishnah a bare tractate name may mean."""
    known = _PLAIN_WORKS.get(work, _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    # each work once: a dict miss, not a raised KeyError (a text names thousands of works)
    plain = (
        _no_structure_of_its_own(work)
        and not (work.kinds[0] == "volume" and work.spans)
        and not work.mishnah
        and "daf" not in work.kinds
    )
    known = _PLAIN_WORKS[work] = (work.max_depth, work.top_count()) if plain else None
    return known


_DAF_WORKS: dict[Work, tuple[int, int] | None] = {}  # per work: its span when it is cited by daf alone
_DAF_ADDRESS = re.compile(r" ([0-9]+)([ab])")
_HE_AMUD_ADDRESS = re.compile(r" ([א-ת]+)([.:])")


def _daf_work(work: Work) -> tuple[int, int] | None:
    """The first and last amud of a work whose first level is the daf, with no structure of its own
    (as `_plain_work`); None for any other work."""
    known = _DAF_WORKS.get(work, _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    plain = _no_structure_of_its_own(work) and work.kinds[0] == "daf"
    known = _DAF_WORKS[work] = work.span if plain else None
    return known


def _plain_read(entry: Work, rest: str) -> Ref | None:
    """What `_read` gives for the commonest citation — a work without structure of its own and an
    address of plain numbers ('8:7', 'ח, ז', '31b') that exists — or None for the general path (which
    also gives every error)."""
    shape = _plain_work(entry)
    return _shaped_read(entry, shape, _daf_work(entry) if shape is None else None, rest)


def _shaped_read(
    entry: Work, shape: tuple[int, int | None] | None, span: tuple[int, int] | None, rest: str
) -> Ref | None:
    """`_plain_read` with the work's `_plain_work` shape (or its `_daf_work` span) already known."""
    if shape is None:
        if span is None or '"' in rest or "'" in rest:
            return None
        daf = _DAF_ADDRESS.fullmatch(rest)  # 'Ketubot 31b': one amud (a whole daf, a range: the general path)
        if daf is not None:
            value = 2 * int(daf[1]) - 1 + (daf[2] == "b")
        else:
            daf = _HE_AMUD_ADDRESS.fullmatch(rest)  # 'כתובות לא:', the '.' or ':' marking the amud
            number = _he_numbers().get(daf[1]) if daf is not None else None
            if daf is None or number is None:
                return None
            value = 2 * number - 1 + (daf[2] == ":")
        if not span[0] <= value <= span[1] or value < 1:
            return None
        return new_ref(entry.index, (value,), (value,))
    simple = _PLAIN_ADDRESSES.get(rest)
    if simple is None:
        simple = _plain_numbers(rest) or ()
        if simple and (min(simple[0]) < 1 or min(simple[1]) < 1):
            simple = ()  # a 0 exists in no work: the general path says so
        if len(_PLAIN_ADDRESSES) >= _ADDRESSES_MAX:
            _PLAIN_ADDRESSES.clear()
        _PLAIN_ADDRESSES[rest] = simple
    if not simple or len(simple[0]) > shape[0]:
        return None
    if len(simple[0]) > entry.depth >= 2 and _spaced_hebrew(rest):
        return None  # 'א א א': the general path refuses it (`_too_many_hebrew_numbers`)
    start, end = simple
    lengths = entry.lengths
    count = shape[1]
    if start is not end:
        n = min(len(start), len(end))
        if end[:n] < start[:n] or not (_fits(start, lengths, count) and _fits(end, lengths, count)):
            return None
    elif (count is not None and start[0] > count) or (
        len(start) > 1 and lengths is not None and start[1] > lengths[start[0] - 1]
    ):  # `_fits`, inline for the commonest address
        return None
    return new_ref(entry.index, start, end)


# `_plain_numbers` of the addresses read so far, () for none or one with a 0 in it.
_PLAIN_ADDRESSES: dict[str, _Address | tuple[()]] = {}


def _plain_numbers(rest: str) -> _Address | None:
    """The address `_shaped_read` reads in a work cited by plain numbers: no quote marks (a marked
    numeral), no Hebrew range (`_hebrew_dash` reads it), then `_simple_address`."""
    if '"' in rest or "'" in rest:
        return None
    if "-" in rest and not rest.isascii() and _HEBREW.search(rest):
        return None
    return _simple_address(rest)


def _fits(sections: tuple[int, ...], lengths: tuple[int, ...] | None, count: int | None) -> bool:
    """`_check` passing, for a work without daf or volumes, of sections already known to be 1 or more
    (`_PLAIN_ADDRESSES` holds no other): the first within the work's count, the second within its
    first's length."""
    if count is not None and sections[0] > count:
        return False
    return not (len(sections) > 1 and lengths is not None and sections[1] > lengths[sections[0] - 1])


_HAS_DIGIT = re.compile(r"[0-9]")
_ORDINAL_TITLE = re.compile(r"(?:the\s+)?(\d{1,3})(?:st|nd|rd|th)\s+(\w+)$", re.IGNORECASE)
_ORDINAL_STARTS = frozenset(k[:1] for k in _WORDS.ordinals) | frozenset(
    k[:1].upper() for k in _WORDS.ordinals
)
_EXPANSIONS = sorted(_WORDS.he_expansions.items(), key=lambda kv: -len(kv[0]))
_EXPANSION_STARTS = tuple(short for short, _ in _EXPANSIONS)


def _expanded(norm: str) -> str:
    """'זח"ב יט, א' is 'זוהר ח"ב יט, א': an abbreviation that stands for a title and more."""
    if not norm.startswith(_EXPANSION_STARTS):  # one test for most titles ('רד"ק על …')
        return norm
    for short, full in _EXPANSIONS:
        if norm.startswith(short) and (len(norm) == len(short) or norm[len(short)] in " ,"):
            return full + norm[len(short) :]
    return norm


_NAME_WORD = re.compile(r"[\s,]*[A-Za-z]{2,}")
_GLUED_NUMBER = re.compile(r"([^\s\d-][^\d-]*?[A-Za-z.])-(?=\d)")


def _title_holds(norm: str, found: tuple[Work | Group | Ambiguous, str]) -> bool:
    """A title read across an ordinal is a numbered book's: 'I Sa' is I Samuel, never 'Isa' (Isaiah)."""
    if norm[:1] not in _ORDINAL_STARTS:
        return True
    first = norm[: norm.find(" ")].lower().rstrip(".") if " " in norm else ""
    if first not in _WORDS.ordinals or first.isdigit():
        return True
    entry, rest = found
    if len(norm) - len(rest) <= len(first) + 1:
        return False  # 'Second' alone names no work, however its letters loosen
    work = entry if type(entry) is Work else None
    if work is None:
        return True
    return _names.number_of(work) == _WORDS.ordinals[first]  # 'I Chro' is never II Chronicles


# Initials: gershayim before a word's last letter ('ת"ה', 'ב"ב'), one letter for each word of a name; an
# abbreviation: a word cut short, a geresh after it ('תה'', 'במ'').
_INITIALS = re.compile(r'[א-ת]+"[א-ת]')
_ABBREVIATION = re.compile(r"[א-ת]{2,}'")


def _initials_hold(norm: str, found: tuple[Work | Group | Ambiguous, str]) -> bool:
    """Initials and an abbreviation spelt with the same letters are two names, though their keys are
    one: 'ת"ה' (Terumat HaDeshen) is never 'תה'' (Tehillim cut short), and 'במ'' (Bamidbar cut short)
    never 'ב"מ' (Bava Metzia's initials). The first word names the work only when the work is written
    with it in its own kind."""
    first = norm.split(" ", 1)[0]
    entry, rest = found
    if type(entry) is not Work or norm[len(first) :].strip() != rest.strip():
        return True
    initials = _INITIALS.fullmatch(first) is not None
    if not initials and _ABBREVIATION.fullmatch(first) is None:
        return True
    letters = first.replace('"', "").rstrip("'")
    names = [n.replace("״", '"').replace("׳", "'") for n in (entry.he_title, *entry.he_aliases)]
    if initials:
        if any(n.replace('"', "") == letters and '"' in n for n in names):
            return True
        return not any(n.endswith("'") and n[:-1] == letters for n in names)
    if first in names:
        return True
    return not any('"' in n and n.replace('"', "") == letters for n in names)


def _read_each(original: str, candidates: list[Work], rest: str) -> list[Ref]:
    refs: list[Ref] = []
    for work in candidates:
        try:
            refs.append(_read(original, work, rest))
        except RefError:
            continue
    return refs


def _by_rule(original: str, norm: str, text: str) -> Ref:
    """A title no catalog name fits as written: a refused book, or a Bible book abbreviated or
    misspelled (`refs.names`); ambiguity is an error listing every reading, the likeliest first."""
    outside = _names.outside_named(norm)
    if outside is not None:
        raise _names.refusal(original, outside)
    found = _names.bible_book(norm)
    if found is None:
        raise _unknown_title(original, norm)
    candidates, rest = found
    if len(candidates) == 1 and not isinstance(candidates[0].book, Work):
        raise _names.refusal(original, candidates[0].book)
    works = [c.book for c in candidates if isinstance(c.book, Work)]
    outside_too = [c.book for c in candidates if not isinstance(c.book, Work) and _bible_address(rest)]
    refs = _read_each(original, works, rest)
    if len(refs) == 1 and not outside_too:
        return refs[0]
    if refs and not outside_too and _one_series(candidates):
        return refs[0]  # 'Samuel 1:1' without its number: I Samuel, as the books are cited
    if not refs and not outside_too:
        if not works:
            raise _names.refusal(original, candidates[0].book)  # type: ignore[arg-type]
        return _read(original, works[0], rest)  # the error of the likeliest reading
    return _ambiguous(original, [str(r) for r in refs], outside_too)


def _one_series(candidates: list[_names.Candidate]) -> bool:
    """Whether the candidates are the numbered books of one name (I and II Samuel), named without
    the number."""
    return (
        not candidates[0].number_given
        and len({c.base for c in candidates}) == 1
        and all(isinstance(c.book, Work) and _names.number_of(c.book) for c in candidates)
    )


_AMUD = re.compile(r"\d\s*[ab]\b|[.:]\s*$|ע[\"']")


def _bible_address(rest: str) -> bool:
    """Whether `rest` could be a place in a book of the Bible (chapter and verse, no amud)."""
    return _AMUD.search(rest) is None


def _ambiguous(original: str, readings: list[str], outside: list[_names.Outside]) -> Ref:
    also = [f"{o.title} ({o.corpus}, not cited)" for o in outside]
    shown = ", ".join([*readings, *also])
    raise _names.AmbiguousRef(
        f"{original}: this may be {shown} — name the book in full", alternatives=readings
    )


def _short_name(original: str, norm: str, entry: Work | Group, rest: str) -> Ref:
    """A title written as one short word may also name a book of the Bible ('Mk' is Moed Katan and
    Mark, 'Esthr' Esther Rabbah and Esther): the address decides, and when it cannot, every reading
    is given, the catalog's first."""
    written = norm[: len(norm) - len(rest)].strip(" ,;")
    work = entry if type(entry) is Work else None
    if work is not None:
        named = _names.begins_names_of(written, work)
        if named:  # 'Taz 90:5': the first word of 'Taz OC', whose part is not given; never 'T. AZ'
            meant = [str(r) for r in _read_each(original, list(named), rest)] or [w.title for w in named]
            raise RefError(
                f"{original}: {written} is not {work.title} here but the start of another title — name it "
                f"in full: {', '.join(meant)}",
                suggestions=meant,
            )
    others = _names.clashes(written, work, work is not None and work.category == "Tanakh")
    if not others:
        ref = _plain_read(work, rest) if work is not None else None
        return ref if ref is not None else _read(original, entry, rest)
    try:
        readings = [_read(original, entry, rest)]
        error: RefError | None = None
    except _names.AmbiguousRef as exc:  # 'SA 90:21': the places in each part, before any outside book
        readings, error = [parse(a) for a in exc.alternatives], exc
    except RefError as exc:
        readings, error = [], exc
    readings += _read_each(original, [b for b in others if isinstance(b, Work)], rest)
    outside = [b for b in others if not isinstance(b, Work) and _bible_address(rest)]
    if len(readings) == 1 and not outside:
        return readings[0]
    if not readings and error is not None and not outside:
        raise error
    return _ambiguous(original, [str(r) for r in readings], outside)


# 'תקו"ז תכ"א מג, א', 'תיקוני זוהר תיקון כא דף מג ע"א': the tikkun before the daf the work is cited by.
_TIKKUN = re.compile(r"\s*(?:תי?קון\s+[א-ת\"']+|ת[א-ת]{0,2}[\"'][א-ת]?)(?=[\s,.:]|$)[\s,]*")


def _tikkun(original: str, entry: Work | Group, rest: str) -> str:
    """The Tikkunei Zohar is cited by its daf; a tikkun written before the daf only says where the daf
    falls. A tikkun alone ('תכ"א', tikkun 21) is read by the work's structure, never as daf 421."""
    m = _TIKKUN.match(rest)
    if m is None:
        return rest
    daf = rest[m.end() :]
    if daf.strip(" .:"):
        return " " + daf
    tikkun = m.group().strip(" ,.:")
    if tikkun.startswith("תקון"):
        tikkun = "תיקון" + tikkun[4:]  # the spelling without yod ('תקון ס"ד')
    elif not tikkun.startswith("תיקון"):
        tikkun = "תיקון " + tikkun[1:].replace('"', "").replace("'", "")  # 'תכ"א' is tikkun כא
    return " " + tikkun  # the work's structure reads a tikkun (its first daf)


_TWO_GERESHES = re.compile(r"(?<=[א-ת])''(?=[א-ת])")


def _read(original: str, entry: Work | Group, rest: str) -> Ref:
    """The place `rest` names in the work `entry`: the address read onto the work's levels, validated."""
    if type(entry) is Group and not entry.default_part and _HEBREW.search(rest):
        named = _part_by_name(entry, rest)
        if named is not None:
            entry, rest = named[0], " " + " ".join(rest.replace(",", " , ").split()[named[1] :])
    if type(entry) is Work and entry.title == "Tikkunei Zohar" and _HEBREW.search(rest):
        rest = _tikkun(original, entry, rest)
    if type(entry) is Work and (entry.folio is not None or entry.index in catalog().alts):
        structured = read_structure(entry, rest, original, parse)
        if isinstance(structured, Ref):
            return structured
        entry = structured
    if '"' in rest or "'" in rest:
        unmarked = _unmarked(rest)
        marked = _MARKED.search(rest)
        if (
            unmarked is rest
            and marked is not None
            and marked[1] == "פ"
            and type(entry) is Work
            and entry.kinds[0] in ("chapter", "section")
            and entry.top_count() is None
        ):  # 'שער הפרישות פ"ד': perek 4 of a section whose chapters are not counted, never its 84th
            try:
                return _read_address(original, entry, _MARKED.sub(lambda m: m[2], rest))
            except RefError:
                pass
        if unmarked is rest and marked is not None:
            try:
                return _read_address(original, entry, rest)
            except RefError:  # 'אבות פ"ד': not daf 84 of a tractate without one, but perek 4
                try:
                    return _read_address(original, entry, _MARKED.sub(lambda m: m[2], rest))
                except RefError:
                    pass
                raise
        rest = unmarked
    return _read_address(original, entry, rest)


def _in_each_part(original: str, group: Group, rest: str, exc: RefError) -> Ref:
    """'Shulchan Arukh 90:21', 'Tur 94:3': a book of parts cited without its part is the place in each
    part it exists in, in the book's order (Orach Chayim first), given as a ranked ambiguity, never one
    of them silently; the one part it exists in, if one; with none, the error that names the parts. Only
    a book whose parts are all numbered by siman alike (the Shulchan Arukh, the Tur)."""
    parts = list(group.parts.values())
    if len(parts) < 2 or any(w.kinds[:1] != ("siman",) for w in parts):
        raise exc
    refs: list[Ref] = []
    for part in parts:
        with suppress(RefError):
            refs.append(_read_address(original, part, rest))
    if not refs:
        raise exc
    if len(refs) == 1:
        return refs[0]
    readings = [str(r) for r in refs]
    raise _names.AmbiguousRef(
        f"{original}: {group.name} has several parts — this may be {', '.join(readings)}; name the part",
        alternatives=readings,
    )


def _name_words(text: str) -> list[str]:
    """A part's name as words compared loosely: no punctuation, no article ('שער הקריאת שמע' is 'שער
    קריאת שמע')."""
    out = []
    for word in re.sub(r"[,.;:\"'״׳()\-]", " ", text).split():
        out.append(word[1:] if word[:1] == "ה" and len(word) > 3 else word)
    return out


def _part_by_name(group: Group, rest: str) -> tuple[Work, int] | None:
    """'פרי עץ חיים שער קריאת שמע פרק ג': a book of parts followed by a part's Hebrew name (its title's
    tail after the book's), written with or without the article: that part, and the address after it.
    The longest name wins ('שער קריאת שמע שעל המיטה' over 'שער קריאת שמע'); with it, how many of the
    words of `rest` (commas apart) it took."""
    head = len(_name_words(group.he_title))
    written = rest.replace(",", " , ").split()
    lead = 1 if written[:1] == [","] else 0
    written = written[lead:]
    best: tuple[int, Work] | None = None
    for work in group.parts.values():
        for title in (work.he_title, *work.he_aliases):
            name = _name_words(title)[head:]
            if not name or (best is not None and len(name) <= best[0]):
                continue
            if _name_words(" ".join(written[: len(name)])) == name and len(written) > len(name):
                best = (len(name), work)
    if best is None:
        return None
    return best[1], lead + best[0]


@cache
def _book_part_initials() -> dict[str, str]:
    """The Shulchan Arukh's parts by their Hebrew initials ('י"ד', 'או"ח'): initial → the part's English
    name as the titles of the commentaries on it end ('Yoreh De'ah')."""
    cat = catalog()
    group = cat.groups.get("Shulchan Arukh")
    out: dict[str, str] = {}
    if group is None:
        return out
    for work in group.parts.values():
        _, he = cat._part_names(work)
        tail = work.title.split(", ", 1)[-1]
        for name in he:
            if '"' in name and " " not in name:
                out.setdefault(name, tail)
    return out


def _in_the_part_named(entry: Work, rest: str) -> Ref | None:
    """'כף החיים י"ד צ"א ב'': the part's initials before the siman, where reading them as a siman leaves
    more numbers than the work has levels: the same commentary on that part ('… Yoreh De'ah 91:2'), if
    the catalog has it; else None."""
    first, _, after = rest.strip().partition(" ")
    tail = _book_part_initials().get(first)
    if tail is None or not after:
        return None
    for own in set(_book_part_initials().values()):
        if entry.title.endswith(own) and own != tail:
            other = catalog()._by_title.get(entry.title[: -len(own)] + tail)
            if other is not None:
                with suppress(RefError):
                    return _read_address(f"{other.title} {after}", other, " " + after)
    return None


def _spaced_hebrew(rest: str) -> bool:
    """Hebrew numbers with nothing but spaces (and the words for the levels) between them."""
    return _HEBREW.search(rest) is not None and "," not in rest and ":" not in rest


def _too_many_hebrew_numbers(original: str, work: Work, count: int, rest: str) -> Ref:
    """'שו"ע או"ח סימן כ"ה כ"ו תי"ז' is a list of simanim, not siman 25, seif 26 and a third level:
    Hebrew numbers set apart by spaces alone, more of them than the levels of a work of two levels or
    more (not read by daf), are never its segment level, the one the library stores below them. That
    level is read where its numbers are marked apart: '1:1:2', 'כה, כו, ד' (the form `Ref.he` writes),
    'סוטה לה א:יא'; and below a work of one level, 'תנחומא, בראשית א, א'. The one other reading: the
    first 'number' is the initials of another part of the book (`_in_the_part_named`)."""
    other = _in_the_part_named(work, rest)
    if other is not None:
        return other
    shape = ":".join(work.kinds)
    raise RefError(
        f"{original}: {work.title} is cited as {shape}; {count} Hebrew numbers are more levels than it has"
        " (a list? cite each place)"
    )


# A name, then a level word ('צו פרשה ט', 'ויצא פרשה עג'): the words before the level may be a weekly portion's.
_BEFORE_LEVEL = re.compile(r"^\s*(?:פרשת\s+)?([א-ת]+(?:\s[א-ת]+)?)\s+(?=(?:פרשה|פרק|פ['\"]|סימן)\s)")


def _without_portion(rest: str) -> str:
    """'ויקרא רבה צו פרשה ט': a midrash cited by the weekly portion, then its own parashah; the portion only
    says where the parashah falls, and its name is no number (צו is not 96)."""
    m = _BEFORE_LEVEL.match(rest)
    if m is None or _portions.portion(m[1]) is None:
        return rest
    return " " + rest[m.end() :]


# 'Niddah, end of Chapter 3': a chapter of a tractate named by its English level word.
_TRACTATE_CHAPTER = re.compile(r"(?i)(?<![a-z])(?:chapters?|chap|ch|perek|end)(?![a-z])")


def _chapter_of_tractate(original: str, entry: Work | Group, rest: str) -> None:
    """'Niddah, Chapter 3', 'Niddah, end of Chapter 3': a tractate of the Talmud (cited by daf) and one
    number called a chapter is a perek, many dapim, never daf 3: refused (the Mishnah's chapter is
    'Mishnah Niddah 3')."""
    if type(entry) is not Work or entry.kinds[0] != "daf" or not entry.mishnah or not rest.isascii():
        return
    if _TRACTATE_CHAPTER.search(rest) and len(re.findall(r"\d+", rest)) == 1:
        raise RefError(f"{original}: a chapter of the Talmud is many dapim; cite the daf (or the Mishnah)")


# 'Likutey Moharan 1, 5', 'Likutey Moharan 1, 2:6': a part's Arabic number, a comma and a space, the place.
_ARABIC_PART = re.compile(r"[ \t]*,?[ \t]*(?P<part>\d)[ \t]*,[ \t]+(?P<place>\d{1,3}(?::\d{1,3})?)[ \t]*")


def _arabic_part(original: str, entry: Work | Group, rest: str) -> str:
    """A book of numbered parts cited 'Likutey Moharan 1, 2:6' (as 'Likutey Moharan I, 2:6'): the number
    before the comma is the part when a whole place follows; 'Likutey Moharan 1, 5' is part 1, lesson 5
    or lesson 1, section 5, and is refused."""
    group = entry if isinstance(entry, Group) else catalog().groups.get(entry.group) if entry.group else None
    if group is None or group.numbered_parts or group.default_part is None:
        return rest  # 'Guide for the Perplexed 1, 2': its first number is always the part
    if entry is not group and group.parts.get(group.default_part) is not entry:
        return rest  # 'Mishneh Torah, Repentance 1, 3': a part named, its chapter and halakha
    m = _ARABIC_PART.fullmatch(rest)
    if m is None or int(m.group("part")) not in group.parts or int(m.group("part")) > 3:
        return rest
    if ":" not in m.group("place"):
        raise RefError(
            f"{original}: part {m.group('part')}, or the first number of the place? cite 'I, 5' or '1:5'"
        )
    return f" {'I' * int(m.group('part'))}, {m.group('place')}"


def _read_address(original: str, entry: Work | Group, rest: str) -> Ref:
    _chapter_of_tractate(original, entry, rest)
    rest = _arabic_part(original, entry, rest)
    if type(entry) is Work and entry.kinds[0] == "volume" and entry.spans:
        rest = _volume_by_parasha(rest)
    if not rest.isascii():
        rest = _without_portion(rest)
    if type(entry) is Work and not rest.isascii() and _HEBREW.search(rest):
        if "-" in rest:
            rest = _hebrew_dash(entry, rest)
        if "daf" in entry.kinds:
            rest = _hebrew_daf(rest, entry.kinds[0] == "volume")
        elif rest.lstrip().startswith("פ'"):
            rest = _PARASHA_MARK.sub(" ", rest, count=1)  # 'ויק"ר פ' כג': פ' is the parasha, not 80
    if type(entry) is Work and not entry.mishnah and "daf" not in entry.kinds:
        simple = _simple_address(rest)
        if simple is not None and len(simple[0]) > entry.depth >= 2 and _spaced_hebrew(rest):
            return _too_many_hebrew_numbers(original, entry, len(simple[0]), rest)
        if simple is not None and len(simple[0]) <= entry.max_depth:
            ref = new_ref(entry.index, *simple)
            lengths = entry.lengths
            if simple[0] is simple[1] and len(simple[0]) == 2 and lengths is not None:  # chapter:verse
                chapter, verse = simple[0]
                if 0 < chapter <= len(lengths) and 0 < verse <= lengths[chapter - 1]:
                    return ref
            validate(ref, original)  # anything else, and every error message, the general way
            return ref
    if "-" in rest:
        rest = _without_repeated_title(entry, rest)
    left, right, dashed = _tokens(original, rest)
    if dashed and not right:
        raise RefError(f"{original}: the range has no end after the dash")
    if (
        type(entry) is Work
        and "daf" not in entry.kinds
        and len(left) > entry.depth >= 2
        and _spaced_hebrew(rest)
    ):
        return _too_many_hebrew_numbers(original, entry, len(left), rest)
    try:
        work = _choose_work(original, entry, left)
    except RefError as exc:
        if type(entry) is not Group or not exc.suggestions:
            raise
        return _in_each_part(original, entry, rest, exc)
    if (
        work.mishnah
        and len(left) >= 2
        and left[0].amud is None
        and not left[0].soft_mark
        and not (right and (right[0].amud is not None or right[0].value is None))
    ):
        work = catalog().work(work.mishnah)  # 'Berakhot 1:4' is chapter:mishnah, not a daf
    if not left:
        if right:
            raise RefError(f"{original}: the range has no start")
        return new_ref(work.index, (), ())
    start, whole = _sections(original, work, left, 0, ())
    if right:
        if len(right) > len(left):
            raise RefError(f"{original}: the end of the range is deeper than its start")
        offset = len(left) - len(right)
        tail, whole_end = _sections(original, work, right, offset, tuple(start))
        if len(tail) == 1 and tail[0] < start[-1] and rest.isascii() and not whole_end:
            tail = [_completed(start[-1], tail[0])]
        end = start[:offset] + tail
        if whole_end:
            end[-1] += 1
    else:
        end = list(start)
        if whole:
            end[-1] += 1  # 'Berakhot 5' is the whole daf, 5a-b
    if (
        (whole if not right else whole_end)
        and len(end) == 1
        and work.span
        and start[0] <= work.span[1] < end[0]
    ):
        end[0] = work.span[1]  # 'Yoma 88', 'Yoma 87-90': the dafs as far as the tractate goes (88a)
    ref = new_ref(work.index, tuple(start), tuple(end))
    validate(ref, original)
    return ref


_PARSED: dict[str, Ref | RefError] = {}  # what was read so far: running text repeats its citations
_PARSED_MAX = 65_536


def _remembered(text: str) -> Ref | RefError:
    try:
        return parse(text)
    except RefError as exc:
        return exc


def parse(text: str) -> Ref:
    """Read a reference (English, Hebrew or Sefaria URL form) into a validated `Ref`.

    Raises `RefError` saying what is wrong (unknown work with the nearest titles, a chapter or daf out
    of range, an unreadable address). A bare tractate name with chapter:mishnah (`Berakhot 1:4`) is the
    Mishnah, since a daf always has an amud; with a daf (`Berakhot 5a`) it is the Bavli.
    """
    if type(text) is not str:
        return _parse(text)  # `_parse` says what is wrong with it
    found = _PARSED.get(text)
    if found is None and "''" in text and _TWO_GERESHES.search(text):
        found = _PARSED[text] = _remembered(_TWO_GERESHES.sub('"', text))  # 'פכ\'\'ב' typed for 'פכ"ב'
    if found is None:
        try:
            found = _fast_citation(text) or _footnote_form(text)  # `_parse`, one call fewer
        except RefError as exc:  # running text repeats its mistakes too: said once, from memory after
            found = exc
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[text] = found
    if type(found) is not Ref:
        raise cast(RefError, found).with_traceback(
            None
        )  # one place a reading fails from, first time or remembered
    return found


def parse_composed(text: str) -> Ref:
    """`parse` of a reference a program composed from a title and an address ('Mishneh Torah, Deos 1'):
    read as written, without the rewritings of footnote forms a person's text may need, and not
    remembered (the caller remembers what it composes)."""
    if type(text) is not str:
        return _parse(text)
    return _fast_citation(text) or _general(text)


def _footnote_form(text: str) -> Ref:
    """`_general`, with the forms of footnotes (`madrega.refs.footnotes`): a form the plain reading
    would misread is rewritten first; one it cannot read is tried in its rewritings, and stays refused
    (the first error) when none of them reads."""
    rewritten = _footnotes.first(text)
    if rewritten is not None:
        with suppress(RefError):
            return _general(rewritten)
    try:
        return _general(text)
    except _names.AmbiguousRef:
        raise
    except RefError as exc:
        if type(exc) is PlaceNotInWork and _HEBREW.search(text) is None:
            raise  # a work and a place past its end, in digits: no other spelling of them reads otherwise
        if len(text) > 200 or _names.outside_named(" ".join(text.split())) is not None:
            raise  # a work madrega does not cite is refused by every spelling of it
        for variant in _footnotes.variants(text):
            with suppress(RefError):
                return _fast_citation(variant) or _general(variant)
            on = variant.find(" on ")
            if on > 0:  # 'Rashi on Shemos 19:2': the book read by its own name
                with suppress(RefError):
                    base = _fast_citation(variant[on + 4 :]) or _general(variant[on + 4 :])
                    if base.work.category == "Tanakh" or base.work.category == "Talmud":
                        return _general(f"{variant[:on]} on {base}")
        raise exc


def clear_caches() -> None:
    """Forget every ref and title read so far (for measuring first-time parsing)."""
    _PARSED.clear()
    _TITLE_MEMO.clear()
    _HEADS.clear()
    _LAST_WORDS.clear()
    _MIDDLE_WORDS.clear()
    _ADDRESSES.clear()
    _PLAIN_ADDRESSES.clear()
    catalog().forget()


def make(
    title: str, sections: tuple[int, ...] | list[int], end: tuple[int, ...] | list[int] | None = None
) -> Ref:
    """Build and validate a ref from a work's name and integer sections (dafs as amud numbers)."""
    work = catalog().work(title)
    start = tuple(sections)
    stop = tuple(end) if end is not None else start
    if len(stop) < len(start):
        stop = start[: len(start) - len(stop)] + stop
    ref = Ref(work.index, start, stop)
    validate(ref, str(ref) if start else title)
    return ref


def describe(text: str) -> dict[str, Any]:
    """A reference read for a person, as every face reports it: the canonical ref in English and
    Hebrew and Sefaria's URL form, or what is wrong with it (`error`, `suggestions`)."""
    try:
        ref = parse(text)
    except RefError as exc:
        return {
            "input": text,
            "ref": None,
            "he": None,
            "url": None,
            "error": exc.message,
            "suggestions": exc.suggestions,
        }
    return {
        "input": text,
        "ref": str(ref),
        "he": ref.he(),
        "url": ref.url(),
        "error": None,
        "suggestions": [],
    }
