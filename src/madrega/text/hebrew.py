"""The Hebrew text core: normalization, stripping marks, the matching key, and tokenization with offsets.

Real text arrives with niqqud, cantillation, maqaf, paseq, sof pasuq, meteg, geresh and gershayim typed
half a dozen ways, final letters, and reverent spellings of the divine name. Everything here derives
from the original string and never changes it: `tokenize` gives offsets into the text as stored, and
`word_key` is the one key search, the linker and lesson alignment compare words by.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal, NamedTuple, cast

__all__ = [
    "CANTILLATION",
    "FINAL_TO_REGULAR",
    "GERESH_CHARS",
    "GERSHAYIM_CHARS",
    "LETTERS",
    "MAQAF",
    "NIQQUD",
    "PASEQ",
    "PRESENTATION_FORMS",
    "SOF_PASUQ",
    "Token",
    "TokenKind",
    "has_cantillation",
    "has_niqqud",
    "hebrew_letters",
    "is_hebrew",
    "normalize",
    "split_words",
    "strip_cantillation",
    "strip_marks",
    "tokenize",
    "word_key",
    "words",
]

LETTERS = "אבגדהוזחטיכךלמםנןסעפףצץקרשת"
FINAL_TO_REGULAR = {"ך": "כ", "ם": "מ", "ן": "נ", "ף": "פ", "ץ": "צ"}
MAQAF = "\u05be"
PASEQ = "\u05c0"
SOF_PASUQ = "\u05c3"
METEG = "\u05bd"
#: Geresh as people type it: Hebrew geresh, ASCII apostrophe, typographic single quotes, backtick.
GERESH_CHARS = "\u05f3'\u2018\u2019`\u00b4"
#: Gershayim as people type it: Hebrew gershayim, ASCII double quote, typographic double quotes.
GERSHAYIM_CHARS = '\u05f4"\u201c\u201d'

#: Ta'amim (accents) U+0591–U+05AF plus meteg, which doubles as the accent silluq.
CANTILLATION = "".join(chr(c) for c in range(0x0591, 0x05B0)) + METEG
#: Vowel points and the dots that change a letter (dagesh, shin/sin dots, rafe, the upper/lower dots).
NIQQUD = "".join(chr(c) for c in range(0x05B0, 0x05BD)) + "\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
#: Invisible joiners that Masoretic text uses to order marks (combining grapheme joiner, ZWJ, ZWNJ).
_JOINERS = "\u034f\u200c\u200d"
_ALL_MARKS = CANTILLATION + NIQQUD + _JOINERS + "\ufb1e"


def _presentation_forms() -> dict[int, str]:
    """Map the precomposed letters of U+FB1D–U+FB4F (שּׁ, וֹ, wide letters...) to their bare letter."""
    table: dict[int, str] = {}
    for cp in range(0xFB1D, 0xFB50):
        decomposed = unicodedata.normalize("NFKD", chr(cp))
        letters = [ch for ch in decomposed if "\u05d0" <= ch <= "\u05ea"]
        if letters:
            table[cp] = "".join(letters)
    return table


PRESENTATION_FORMS = _presentation_forms()
_STRIP_CANTILLATION = str.maketrans("", "", CANTILLATION + _JOINERS)
_STRIP_MARKS = str.maketrans("", "", _ALL_MARKS)

# word_key: drop every mark, punctuation and quote; finals become regular; Latin lower-cases.
_KEY_DROP = (
    _ALL_MARKS
    + GERESH_CHARS
    + GERSHAYIM_CHARS
    + MAQAF
    + PASEQ
    + SOF_PASUQ
    + "\u05c6"
    + "!#$%&()*+,-./:;<=>?@[\\]^_{|}~«»…–—‐‑\u00a0\u200e\u200f\u202a\u202b\u202c"
)
_KEY_TABLE: dict[int, int | str | None] = {ord(ch): None for ch in _KEY_DROP}
_KEY_TABLE.update({ord(k): v for k, v in FINAL_TO_REGULAR.items()})
_FINALS_TABLE = str.maketrans("ךםןףץ", "כמנפצ")
_KEY_TABLE.update({k: v.translate(_FINALS_TABLE) for k, v in PRESENTATION_FORMS.items()})
_KEY_TABLE.update({ord(ch): ch.lower() for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
# Before the divine-name check the geresh must survive: ה׳ is the Name, ה is the article.
_MARKS_ONLY_TABLE: dict[int, int | str | None] = {ord(ch): None for ch in _ALL_MARKS}
_MARKS_ONLY_TABLE.update(PRESENTATION_FORMS)

_G = re.escape(GERESH_CHARS)
_PREFIXES = "[ובלמכש]{0,3}"
#: The Tetragrammaton and its reverent substitutes, with up to three prefix letters (וה׳, מה׳, ליהוה).
_DIVINE_NAME = re.compile(rf"^({_PREFIXES})(?:ה[{_G}]|יי|יהוה|יקוק|ידוד|הוי[{_G}])$")
#: אלהים and its reverent spellings (אלקים, אלוקים, אלוהים), with suffixes (אלקינו, אלקות), not אלקנה.
_ELOHIM = re.compile(
    r"^([ובלמכשה]{0,3})אלו?[הק](ימ|ינו|יכמ|יכנ|יהמ|יהנ|יכ|יו|יה|י|ות|ותו|ית|יות|ותכ)$"  # finals made regular
)
_ELOAH = re.compile(r"^([ובלמכשה]{0,3})אלו[הק]$")

# Punctuation that may cling to a word handed over untokenized ("(ה׳)," → ה׳); a geresh is kept.
_EDGE_PUNCTUATION = ' \t\n.,;:!?()[]{}<>"“”«»״־׃׀-–—…'
DIVINE_NAME_KEY = "יהוה"
ELOHIM_STEM = "אלה"


@lru_cache(maxsize=262_144)
def _defective_key(word: str) -> str:
    raw = word.translate(_MARKS_ONLY_TABLE).strip(_EDGE_PUNCTUATION)
    divine = _DIVINE_NAME.match(raw)
    if divine:
        return divine.group(1) + DIVINE_NAME_KEY
    key = raw.translate(_KEY_TABLE)
    if "אל" in key:
        elohim = _ELOHIM.match(key)
        if elohim:
            return elohim.group(1) + ELOHIM_STEM + elohim.group(2)
        eloah = _ELOAH.match(key)
        if eloah:
            return eloah.group(1) + "אלוה"
    return key


@lru_cache(maxsize=262_144)
def _plene_key(word: str) -> str:
    key = _defective_key(word)
    if len(key) < 2:
        return key
    head, rest = key[0], key[1:]
    if head in "וי" and rest[0] == head:  # וו / יי at the start collapse to one letter
        rest = rest[1:]
    return head + rest.replace("ו", "").replace("י", "")


def word_key(word: str, plene: bool = False) -> str:
    """The matching key of one word: no niqqud, cantillation, punctuation or geresh; finals made regular.

    The divine name's spellings share one key (ה׳ ה' יי יהוה יקוק → יהוה; אלקים אלוקים אלהים → אלהים),
    keeping prefixes (וה׳ → ויהוה). With `plene=True` spelling with or without matres lectionis also
    matches: ו and י after the first letter are dropped, so וָאָשִׂים and וָאָשִׂם share a key.
    """
    return _plene_key(word) if plene else _defective_key(word)


def normalize(text: str) -> str:
    """NFC, the form everything is stored and compared in."""
    return unicodedata.normalize("NFC", text)


def strip_cantillation(text: str) -> str:
    """Remove the ta'amim (and meteg) but keep niqqud, maqaf and sof pasuq; a paseq goes with its space."""
    text = _PASEQ_WITH_SPACE.sub("", text)
    return text.translate(_STRIP_CANTILLATION)


def strip_marks(text: str) -> str:
    """Remove niqqud and cantillation (and paseq), keeping letters, spaces, maqaf and punctuation."""
    text = _PASEQ_WITH_SPACE.sub("", text)
    return text.translate(_STRIP_MARKS).translate(PRESENTATION_FORMS)


_PASEQ_WITH_SPACE = re.compile(r" ?\u05c0")


def has_niqqud(text: str) -> bool:
    """Whether any vowel point or letter dot appears in `text`."""
    return any(ch in _NIQQUD_SET for ch in text)


def has_cantillation(text: str) -> bool:
    """Whether any ta'am appears in `text`."""
    return any("\u0591" <= ch <= "\u05af" for ch in text)


_NIQQUD_SET = frozenset(NIQQUD)
_HEBREW_LETTER_SET = (
    frozenset(LETTERS) | frozenset("\u05f0\u05f1\u05f2") | frozenset(map(chr, PRESENTATION_FORMS))
)


def hebrew_letters(text: str) -> int:
    """How many Hebrew letters `text` has."""
    return sum(ch in _HEBREW_LETTER_SET for ch in text)


def is_hebrew(text: str) -> bool:
    """Whether most letters of `text` are Hebrew (mixed sentences count by majority)."""
    hebrew = hebrew_letters(text)
    other = sum(ch.isalpha() for ch in text) - hebrew
    return hebrew > 0 and hebrew >= other


TokenKind = Literal["he", "en", "num", "punct"]


class Token(NamedTuple):
    """A span of the original text: `text == source[start:end]`.

    kind: "he" a Hebrew word (with its marks and any geresh/gershayim inside or a geresh after it),
    "en" a word in another script (Latin, with inner apostrophes), "num" digits, "punct" one other
    character (maqaf, sof pasuq, quotes...). Whitespace is never a token.
    """

    start: int
    end: int
    text: str
    kind: TokenKind


_HE_LETTER = "\u05d0-\u05ea\u05f0-\u05f2\ufb1d\ufb1f-\ufb4f"
# THE class of Hebrew combining marks (cantillation, niqqud, joiners, varika) for every regex that
# skips or strips them: one definition, so search, linker, parser and importers agree on what a mark is.
MARK_CLASS = "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u034f\u200c\u200d\ufb1e"
MARKS_RE = re.compile(f"[{MARK_CLASS}]")
_MARK_CLASS = MARK_CLASS
_QUOTE_INSIDE = re.escape(GERESH_CHARS + GERSHAYIM_CHARS)
_GERESH_AFTER = re.escape("\u05f3'\u2019")
_FOREIGN = r"[^\W\d_\u0590-\u05ff\ufb1d-\ufb4f]"
_TOKEN = re.compile(
    rf"(?P<he>[{_HE_LETTER}][{_MARK_CLASS}]*"
    rf"(?:[{_HE_LETTER}][{_MARK_CLASS}]*|[{_QUOTE_INSIDE}](?=[{_HE_LETTER}]))*"
    rf"(?:[{_GERESH_AFTER}](?![^\W\d_]))?)"
    r"|(?P<num>\d+(?:[.,]\d+)*)"
    rf"|(?P<en>{_FOREIGN}+(?:['’]{_FOREIGN}+)*)"
    r"|(?P<space>\s+)"
    r"|(?P<punct>.)",
    re.DOTALL,
)


def tokenize(text: str) -> list[Token]:
    """Split mixed Hebrew/English text into tokens whose offsets slice back to their text."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "space":
            continue
        append(Token(match.start(), match.end(), match.group(), cast(TokenKind, kind)))
    return tokens


def words(text: str) -> list[Token]:
    """The word tokens (Hebrew or other script) of `text`."""
    return [t for t in tokenize(text) if t.kind in ("he", "en")]


_WORD_SPLIT = re.compile(rf"[\s{MAQAF}{PASEQ}]+")


def split_words(text: str) -> list[str]:
    """Split on whitespace, maqaf and paseq only (the cheap split for counting and gematria)."""
    return [w for w in _WORD_SPLIT.split(text) if w]
