"""Gematria: the numeric value of Hebrew words and phrases under every traditional method.

Each method is named and documented in `METHODS`. Values ignore niqqud, cantillation, punctuation and
anything that is not a Hebrew letter. Letter tables (milui spellings, number names) are data, below.
Standard gematria is on the hot path (indexing a whole library by value), so it has a translate-table
fast path for one text and a vectorized `values()` for many words at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from madrega.errors import MadregaError
from madrega.text.hebrew import MAQAF, PASEQ, PRESENTATION_FORMS
from madrega.text.numerals import LETTER_VALUES

__all__ = [
    "METHODS",
    "MILUI_SPELLINGS",
    "NUMBER_NAMES",
    "Method",
    "albam",
    "atbash",
    "avgad",
    "get_method",
    "hebrew_words",
    "letters_of",
    "read_number",
    "report",
    "reverse_avgad",
    "transform",
    "value",
    "values",
]

ALPHABET = "אבגדהוזחטיכלמנסעפצקרשת"
FINALS = "ךםןףץ"
_FINAL_TO_REGULAR = dict(zip(FINALS, "כמנפצ", strict=True))
STANDARD: dict[str, int] = dict(LETTER_VALUES)
LETTERS = ALPHABET + FINALS

#: How each letter's name is spelled for milui (mispar shemi), ne'elam and ofanim.
MILUI_SPELLINGS: dict[str, str] = {
    "א": "אלף", "ב": "בית", "ג": "גימל", "ד": "דלת", "ה": "הא", "ו": "וו", "ז": "זין", "ח": "חית",
    "ט": "טית", "י": "יוד", "כ": "כף", "ל": "למד", "מ": "מם", "נ": "נון", "ס": "סמך", "ע": "עין",
    "פ": "פא", "צ": "צדי", "ק": "קוף", "ר": "ריש", "ש": "שין", "ת": "תו",
}  # fmt: skip

#: The Hebrew name of each letter's number, for mispar mispari (א = אחד = 13).
NUMBER_NAMES: dict[str, str] = {
    "א": "אחד", "ב": "שתיים", "ג": "שלוש", "ד": "ארבע", "ה": "חמש", "ו": "שש", "ז": "שבע", "ח": "שמונה",
    "ט": "תשע", "י": "עשר", "כ": "עשרים", "ל": "שלושים", "מ": "ארבעים", "נ": "חמישים", "ס": "שישים",
    "ע": "שבעים", "פ": "שמונים", "צ": "תשעים", "ק": "מאה", "ר": "מאתיים", "ש": "שלוש מאות",
    "ת": "ארבע מאות",
}  # fmt: skip


def _regular(letter: str) -> str:
    return _FINAL_TO_REGULAR.get(letter, letter)


def _standard_of(text: str) -> int:
    return sum(STANDARD.get(ch, 0) for ch in text)


def _per_letter(rule: Callable[[str], int]) -> dict[str, int]:
    """A value for each of the 27 letters, finals taking their regular letter's value."""
    return {ch: rule(_regular(ch)) for ch in LETTERS}


# Ciphers: letter → letter on the 22 regular letters (a final enciphers as its regular form).
def _cipher(pairs: dict[str, str]) -> dict[str, str]:
    table = dict(pairs)
    table.update({f: pairs[r] for f, r in _FINAL_TO_REGULAR.items()})
    return table


ATBASH = _cipher(dict(zip(ALPHABET, ALPHABET[::-1], strict=True)))
ALBAM = _cipher(dict(zip(ALPHABET, ALPHABET[11:] + ALPHABET[:11], strict=True)))
AVGAD = _cipher(dict(zip(ALPHABET, ALPHABET[1:] + ALPHABET[:1], strict=True)))
REVERSE_AVGAD = _cipher(dict(zip(ALPHABET, ALPHABET[-1:] + ALPHABET[:-1], strict=True)))
# Achas beta: groups א–ז, ח–נ, ס–ש rotate into one another; ת stays.
_ACHAS = ALPHABET[:7], ALPHABET[7:14], ALPHABET[14:21]
ACHAS_BETA = _cipher(
    {**dict(zip(_ACHAS[0] + _ACHAS[1] + _ACHAS[2], _ACHAS[1] + _ACHAS[2] + _ACHAS[0], strict=True)), "ת": "ת"}
)
CIPHERS: dict[str, dict[str, str]] = {
    "atbash": ATBASH,
    "albam": ALBAM,
    "avgad": AVGAD,
    "reverse_avgad": REVERSE_AVGAD,
    "achas_beta": ACHAS_BETA,
}

GADOL: dict[str, int] = {**STANDARD, **{f: 500 + 100 * i for i, f in enumerate(FINALS)}}
# Ordinal: 1–22 in alphabet order, the finals continuing 23–27 (as mispar gadol continues past ת).
ORDINAL: dict[str, int] = {
    **{ch: i + 1 for i, ch in enumerate(ALPHABET)},
    **{f: 23 + i for i, f in enumerate(FINALS)},
}
KATAN = _per_letter(lambda ch: int(str(STANDARD[ch])[0]))
PERATI = _per_letter(lambda ch: STANDARD[ch] ** 2)
MESHULASH = _per_letter(lambda ch: STANDARD[ch] ** 3)
KIDMI = _per_letter(lambda ch: sum(STANDARD[a] for a in ALPHABET[: ALPHABET.index(ch) + 1]))
MISPARI = _per_letter(lambda ch: _standard_of(NUMBER_NAMES[ch]))
MILUI = _per_letter(lambda ch: _standard_of(MILUI_SPELLINGS[ch]))
NEELAM = _per_letter(lambda ch: _standard_of(MILUI_SPELLINGS[ch][1:]))
OFANIM = _per_letter(lambda ch: STANDARD[MILUI_SPELLINGS[ch][-1]])


def _ayak_bachar(gadol: int) -> int:
    """Rotate the nine-letter groups of mispar gadol: units → tens → hundreds → units (א→י→ק→א)."""
    return gadol * 10 if gadol < 100 else gadol // 100


AYAK_BACHAR = {ch: _ayak_bachar(v) for ch, v in GADOL.items()}


# --- extracting letters -------------------------------------------------------------------------------
class _DeleteOthers(dict[int, str | None]):
    """A translate table that deletes any code point it does not list (astral characters included).

    Only the Hebrew letters are listed up front: a BMP code point is added (as deleted) the first time
    a text holds it, so building the table costs nothing at import (listing the whole BMP took ~5 ms
    per table on every start) while the common case still never reaches `__missing__` twice."""

    def __missing__(self, key: int) -> None:
        if key < 0x10000:  # at most the BMP is remembered: an astral flood cannot grow the table
            self[key] = None
        return None


def _bmp_table(letter_image: Callable[[str], str | None]) -> dict[int, str | None]:
    """A str.translate table: each Hebrew letter (and presentation form) → its image, everything else
    deleted."""
    table: dict[int, str | None] = _DeleteOthers()
    for ch in LETTERS:
        table[ord(ch)] = letter_image(ch)
    for cp, letters in PRESENTATION_FORMS.items():
        images = [letter_image(ch) for ch in letters]
        table[cp] = "".join(i for i in images if i)
    return table


_LETTERS_ONLY = _bmp_table(lambda ch: ch)
# Standard values as code points: one translate then sum(map(ord, ...)) is the fast path.
_STANDARD_CODEPOINTS = _bmp_table(lambda ch: chr(STANDARD[ch]))
_WORD_SPLIT = re.compile(rf"[\s{MAQAF}{PASEQ}]+")


def letters_of(text: str) -> str:
    """The Hebrew letters of `text`, in order, with nothing else."""
    return text.translate(_LETTERS_ONLY)


def hebrew_words(text: str) -> list[str]:
    """The words of `text` (split on whitespace and maqaf) reduced to their letters, empty ones dropped."""
    return [w for w in (letters_of(part) for part in _WORD_SPLIT.split(text)) if w]


def transform(text: str, cipher: str) -> str:
    """Encipher the letters of `text` (atbash, albam, avgad, reverse_avgad, achas_beta); the rest is kept."""
    try:
        table = CIPHERS[cipher]
    except KeyError:
        raise MadregaError(f"unknown cipher {cipher!r}", suggestions=sorted(CIPHERS)) from None
    return "".join(table.get(ch, ch) for ch in text)


def atbash(text: str) -> str:
    """א↔ת, ב↔ש, ... (an involution on the regular letters)."""
    return transform(text, "atbash")


def albam(text: str) -> str:
    """א↔ל, ב↔מ, ... (the two halves of the alphabet swap)."""
    return transform(text, "albam")


def avgad(text: str) -> str:
    """Each letter becomes the next (ת → א)."""
    return transform(text, "avgad")


def reverse_avgad(text: str) -> str:
    """Each letter becomes the previous (א → ת)."""
    return transform(text, "reverse_avgad")


# --- methods ------------------------------------------------------------------------------------------
def _standard(text: str) -> int:
    return sum(map(ord, text.translate(_STANDARD_CODEPOINTS)))


def _table_method(table: dict[str, int]) -> Callable[[str], int]:
    def compute(text: str) -> int:
        return sum(map(table.__getitem__, letters_of(text)))

    return compute


def _digital_root(n: int) -> int:
    while n > 9:
        n = sum(map(int, str(n)))
    return n


def _boneeh(text: str) -> int:
    """Each letter adds the running total so far: אחד = 1 + (1+8) + (1+8+4) = 23."""
    total = running = 0
    for ch in letters_of(text):
        running += STANDARD[ch]
        total += running
    return total


def _haachor(text: str) -> int:
    return sum(STANDARD[ch] * i for i, ch in enumerate(letters_of(text), start=1))


@dataclass(frozen=True)
class Method:
    """A gematria method: `compute(text) -> int`. `additive` methods give a phrase the sum of its words."""

    name: str
    hebrew: str
    description: str
    compute: Callable[[str], int] = field(repr=False, compare=False)
    additive: bool = True
    table: dict[str, int] | None = field(default=None, repr=False, compare=False)
    aliases: tuple[str, ...] = ()


def _table(name: str, hebrew: str, description: str, table: dict[str, int], *aliases: str) -> Method:
    return Method(name, hebrew, description, _table_method(table), True, table, aliases)


_METHOD_LIST: list[Method] = [
    Method(
        "standard",
        "מספר הכרחי",
        "Mispar hechrachi, the absolute value: א=1 … ט=9, י=10 … צ=90, ק=100 … ת=400; finals as regular letters.",
        _standard,
        True,
        STANDARD,
        ("hechrachi", "mispar_hechrachi", "absolute"),
    ),
    _table(
        "gadol",
        "מספר גדול",
        "Mispar gadol: like standard, but the finals continue past ת: ך=500, ם=600, ן=700, ף=800, ץ=900.",
        GADOL,
        "mispar_gadol",
    ),
    _table(
        "katan",
        "מספר קטן",
        "Mispar katan: each letter's value without its zeros (י=1, ק=1, ת=4).",
        KATAN,
        "mispar_katan",
    ),
    _table(
        "ordinal",
        "מספר סידורי",
        "Mispar siduri: each letter's place in the alphabet, א=1 … ת=22; finals continue ך=23 … ץ=27.",
        ORDINAL,
        "siduri",
        "mispar_siduri",
    ),
    Method(
        "reduced",
        "מספר קטן מספרי",
        "Mispar katan mispari: the standard value's digits summed again and again to a single digit.",
        lambda text: _digital_root(_standard(text)),
        False,
        None,
        ("katan_mispari", "mispar_katan_mispari", "digital_root"),
    ),
    Method(
        "kolel",
        "עם הכולל",
        "Im hakolel: the standard value plus the number of words (one for a single word).",
        lambda text: _standard(text) + len(hebrew_words(text)),
        False,
        None,
        ("mispar_kolel", "im_hakolel"),
    ),
    _table(
        "musafi",
        "מספר מוספי",
        "Mispar musafi: the standard value plus the number of letters.",
        {ch: v + 1 for ch, v in STANDARD.items()},
        "mispar_musafi",
    ),
    _table(
        "atbash",
        "א״ת ב״ש",
        "Atbash: the alphabet folded on itself (א↔ת, ב↔ש …), then the standard value of the result.",
        _per_letter(lambda ch: STANDARD[ATBASH[ch]]),
    ),
    _table(
        "albam",
        "א״ל ב״ם",
        "Albam: the alphabet's two halves swapped (א↔ל, ב↔מ …), then the standard value of the result.",
        _per_letter(lambda ch: STANDARD[ALBAM[ch]]),
    ),
    _table(
        "avgad",
        "אב״ג ד",
        "Avgad: each letter replaced by the next (ת→א), then the standard value.",
        _per_letter(lambda ch: STANDARD[AVGAD[ch]]),
    ),
    _table(
        "reverse_avgad",
        "אבג״ד הפוך",
        "Reverse avgad: each letter replaced by the previous (א→ת), then the standard value.",
        _per_letter(lambda ch: STANDARD[REVERSE_AVGAD[ch]]),
    ),
    _table(
        "achas_beta",
        "אח״ס בט״ע",
        "Achas beta: the groups א–ז, ח–נ, ס–ש rotate (א→ח, ח→ס, ס→א); ת stays; then the standard value.",
        _per_letter(lambda ch: STANDARD[ACHAS_BETA[ch]]),
    ),
    _table(
        "ayak_bachar",
        "אי״ק בכ״ר",
        "Ayak bachar: the mispar-gadol nines rotate units→tens→hundreds→units (א→י→ק→א, ך=500→ה=5).",
        AYAK_BACHAR,
        "ayak_bakar",
    ),
    _table(
        "milui",
        "מספר המילוי",
        "Mispar shemi (milui): each letter counted as its name spelled out (א = אלף = 111); see MILUI_SPELLINGS.",
        MILUI,
        "shemi",
        "mispar_shemi",
        "shemi_milui",
        "mispar_shemi_milui",
    ),
    _table(
        "neelam",
        "מספר נעלם",
        "Mispar ne'elam, the hidden value: each letter's name without the letter itself (א = לף = 110).",
        NEELAM,
        "mispar_neelam",
    ),
    _table(
        "ofanim",
        "מספר אופנים",
        "Ofanim: each letter replaced by the last letter of its name (א = אלף → ף = 80).",
        OFANIM,
    ),
    _table(
        "mispari",
        "מספר מספרי",
        "Mispar mispari: each letter counted as the Hebrew name of its number (א = אחד = 13); see NUMBER_NAMES.",
        MISPARI,
        "mispar_mispari",
    ),
    _table(
        "perati",
        "מספר פרטי",
        "Mispar perati: each letter's standard value squared (ב = 4, י = 100).",
        PERATI,
        "mispar_perati",
        "squared_letters",
    ),
    _table(
        "meshulash",
        "מספר משולש",
        "Mispar meshulash: each letter's standard value cubed (ב = 8, י = 1000).",
        MESHULASH,
        "mispar_meshulash",
        "cubed_letters",
    ),
    _table(
        "kidmi",
        "מספר קדמי",
        "Mispar kidmi: each letter worth itself plus every letter before it (ג = 1+2+3 = 6).",
        KIDMI,
        "mispar_kidmi",
        "triangular",
    ),
    Method(
        "boneeh",
        "מספר בונה",
        "Mispar bone'eh, the building value: each letter adds the running total (אחד = 1 + 9 + 13 = 23).",
        _boneeh,
        False,
        None,
        ("mispar_boneeh",),
    ),
    Method(
        "haachor",
        "מספר האחור",
        "Mispar ha'achor: each letter times its position in the word or phrase (אב = 1×1 + 2×2 = 5).",
        _haachor,
        False,
        None,
        ("mispar_haachor",),
    ),
    Method(
        "merubah_klali",
        "מספר המרובע הכללי",
        "Mispar hamerubah haklali: the standard value of the whole, squared.",
        lambda text: _standard(text) ** 2,
        False,
        None,
        ("hamerubah_haklali", "mispar_hamerubah_haklali", "squared"),
    ),
]

#: Every method by its canonical name.
METHODS: dict[str, Method] = {m.name: m for m in _METHOD_LIST}
_LOOKUP: dict[str, Method] = {
    key: m for m in _METHOD_LIST for key in (m.name, *m.aliases, m.hebrew.replace("״", '"'))
}


def get_method(name: str) -> Method:
    """The method called `name` (canonical, an alias such as `mispar_hechrachi`, or its Hebrew name)."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_").replace("״", '"')
    found = _LOOKUP.get(key) or _LOOKUP.get(name.strip().replace("״", '"'))
    if found is None:
        close = difflib.get_close_matches(key, list(_LOOKUP), n=3, cutoff=0.6)
        suggestions = list(dict.fromkeys(_LOOKUP[c].name for c in close)) or list(METHODS)
        raise MadregaError(f"unknown gematria method {name!r}", suggestions=suggestions)
    return found


MAX_NUMBER_DIGITS = 12  # far beyond any gematria a text reaches; longer is a mistake, not a value


def read_number(text: str) -> int | None:
    """What a user typed, read as a number (`340`, `1,000`), or None when it is words to count.

    Only ASCII digits are a number: `²` or `①` are not (they are no Hebrew letters either, so they
    get the "no letters" error rather than a crash). Every face asks this one question here.
    """
    t = text.strip().replace(",", "")
    if not (t.isascii() and t.isdigit()):
        return None
    if len(t) > MAX_NUMBER_DIGITS:
        raise MadregaError(
            f"{text.strip()[:40]}… is too large for a gematria value (at most {MAX_NUMBER_DIGITS} digits)"
        )
    return int(t)


def report(text: str, method: str | None = None) -> dict[str, Any]:
    """The value of a word or phrase under one method, or under every method: `{"text", "values"}`."""
    if not letters_of(text):
        raise MadregaError(f"{text!r} has no Hebrew letters to count: give a Hebrew word, such as שלום")
    chosen = [get_method(method)] if method else list(METHODS.values())
    return {"text": text, "values": {m.name: m.compute(text) for m in chosen}}


# Words repeat (Zipf): a cache in front of the standard value of short texts pays for itself.
_standard_word = lru_cache(maxsize=131_072)(_standard)


def value(text: str, method: str = "standard") -> int:
    """The gematria of a word or phrase: ספר = שם = 340 under the standard method."""
    if method == "standard":
        return _standard_word(text) if len(text) < 48 else _standard(text)
    return get_method(method).compute(text)


# --- many words at once ---------------------------------------------------------------------------------
_LUT_CACHE: dict[str, object] = {}


def _numpy() -> Any:
    """numpy, imported on first use (a word's value needs none: the CLI starts without it)."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is a dependency; keep a pure path anyway
        return None
    return numpy


def _lut(m: Method) -> object:
    lut = _LUT_CACHE.get(m.name)
    if lut is None:
        _np = _numpy()
        assert _np is not None and m.table is not None
        table = _np.zeros(0x10000, dtype=_np.int64)
        for ch, v in m.table.items():
            table[ord(ch)] = v
        for cp, letters in PRESENTATION_FORMS.items():
            table[cp] = sum(m.table[ch] for ch in letters)
        _LUT_CACHE[m.name] = lut = table
    return lut


def values(words: Sequence[str] | Iterable[str], method: str = "standard") -> list[int]:
    """The gematria of each of many words (or phrases), vectorized for letter-table methods.

    Indexing a corpus calls this once per batch: the whole Tanakh (300k words) takes a few hundredths
    of a second, where a Python loop over `value()` takes a few tenths.
    """
    m = get_method(method)
    words = words if isinstance(words, list) else list(words)
    _np = _numpy() if m.additive and m.table is not None and words else None
    if _np is None or not m.additive or m.table is None or not words:
        return [m.compute(w) for w in words]
    text = "\x00".join(words) + "\x00"
    units = _np.frombuffer(text.encode("utf-16-le"), dtype=_np.uint16)
    ends = _np.flatnonzero(units == 0)
    if len(ends) != len(words):  # a word held a NUL character: take the slow, exact path
        return [m.compute(w) for w in words]
    starts = _np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    per_unit = _lut(m)[units]  # type: ignore[index]
    result: list[int] = _np.add.reduceat(per_unit, starts).tolist()
    return result
