"""Hebrew numerals both ways: 15 ↔ ט״ו, 5785 ↔ ה׳תשפ״ה.

Writing follows the common convention: letters from large to small, ט״ו/ט״ז for 15/16, gershayim
before the last letter (geresh after a lone letter), and the thousands digit followed by a geresh.
Parsing is forgiving about how people actually type numerals (ASCII or typographic quotes, niqqud,
final letters, a missing thousands geresh) but refuses words that are not numerals, so callers can
use it to tell "מ״ו" (46) from "שלום".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from madrega.errors import MadregaError
from madrega.text.hebrew import MARKS_RE

__all__ = ["GERESH_STYLES", "LETTER_VALUES", "convert", "from_hebrew", "is_numeral", "to_hebrew"]

_UNITS = ["", "א", "ב", "ג", "ד", "ה", "ו", "ז", "ח", "ט"]
_TENS = ["", "י", "כ", "ל", "מ", "נ", "ס", "ע", "פ", "צ"]
_HUNDREDS = ["", "ק", "ר", "ש", "ת", "תק", "תר", "תש", "תת", "תתק"]

#: Numeric value of every letter, final forms counting as their regular forms (ך = 20).
LETTER_VALUES: dict[str, int] = {
    **{ch: i for i, ch in enumerate(_UNITS) if ch},
    **{ch: 10 * i for i, ch in enumerate(_TENS) if ch},
    **{ch: 100 * i for i, ch in enumerate(_HUNDREDS[:5]) if ch},
    "ך": 20,
    "ם": 40,
    "ן": 50,
    "ף": 80,
    "ץ": 90,
}
_FINAL_TO_REGULAR = str.maketrans("ךםןףץ", "כמנפצ")

#: geresh_style → (geresh, gershayim)
GERESH_STYLES: dict[str, tuple[str, str]] = {"hebrew": ("׳", "״"), "ascii": ("'", '"')}

# Spellings that read as words best avoided; some writers swap the letters. Both orders parse.
_AVOIDED = {"רע": "ער", "רעב": "ערב", "רעה": "ערה", "שד": "דש", "רצח": "רחצ", "שמד": "שדמ"}
# With polite=True: the swaps applied when writing (שד and רעה only as the whole number, 304 and 275).
_POLITE = [(re.compile(bad), good) for bad, good in [
    ("רע$", "ער"), ("רעב$", "ערב"), ("^רעה$", "ערה"), ("רצח$", "רחצ"), ("^שד$", "דש"), ("שמד$", "שדמ"),
]]  # fmt: skip

_MAX = 999_999
_MARKS = MARKS_RE
_GERESH_LIKE = str.maketrans({"׳": "'", "‘": "'", "’": "'", "`": "'", "´": "'", "״": '"', "“": '"', "”": '"'})
_THOUSANDS_WORD = re.compile(r"^(?P<head>.+?)\s+(?:אלפים|אלף)$")


def _letters_below_1000(n: int) -> str:
    """The letters of 1..999 without punctuation, with ט״ו/ט״ז for 15/16."""
    hundreds, rest = divmod(n, 100)
    if rest in (15, 16):
        return _HUNDREDS[hundreds] + "ט" + _UNITS[rest - 9]
    tens, units = divmod(rest, 10)
    return _HUNDREDS[hundreds] + _TENS[tens] + _UNITS[units]


def _punctuate(letters: str, geresh: str, gershayim: str) -> str:
    if len(letters) == 1:
        return letters + geresh
    return letters[:-1] + gershayim + letters[-1]


def to_hebrew(
    n: int,
    *,
    punctuate: bool = True,
    geresh_style: str = "hebrew",
    thousands: bool = True,
    polite: bool = False,
) -> str:
    """Write `n` as a Hebrew numeral: 15 → ט״ו, 270 → ר״ע, 5785 → ה׳תשפ״ה (תשפ״ה with thousands=False).

    Round thousands get a word so they cannot be read as units: 5000 → ה׳ אלפים, 1000 → א׳ אלף.
    `polite=True` swaps letters that would spell an unpleasant word (270 → ע״ר, 304 → ד״ש).
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise MadregaError(f"a Hebrew numeral needs a whole number, not {n!r}")
    if not 1 <= n <= _MAX:
        raise MadregaError(f"Hebrew numerals are written for 1 to {_MAX:,}; {n} is out of range")
    if geresh_style not in GERESH_STYLES:
        raise MadregaError(f"unknown geresh style {geresh_style!r}", suggestions=sorted(GERESH_STYLES))
    geresh, gershayim = GERESH_STYLES[geresh_style] if punctuate else ("", "")
    high, low = divmod(n, 1000)
    if not thousands:
        if low == 0:
            raise MadregaError(f"{n} has nothing left to write once its thousands are omitted")
        high = 0
    letters = _letters_below_1000(low) if low else ""
    if polite:
        for pattern, good in _POLITE:
            letters = pattern.sub(good, letters)
    body = _punctuate(letters, geresh, gershayim) if low else ""
    if not high:
        return body
    head = _letters_below_1000(high) + geresh
    if low:
        return head + body
    return f"{head} {'אלף' if high == 1 else 'אלפים'}"


def _spellings(value: int) -> set[str]:
    """Every accepted way to write a 1..999 group: canonical, naive יה/יו, and swapped avoided words."""
    canonical = _letters_below_1000(value)
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    naive = _HUNDREDS[hundreds] + _TENS[tens] + _UNITS[units]
    found = {canonical, naive}
    for word, swapped in _AVOIDED.items():
        for spelled in list(found):
            if spelled.endswith(word):
                found.add(spelled[: -len(word)] + swapped)
    return found


def _group_value(letters: str, original: str) -> int:
    regular = letters.translate(_FINAL_TO_REGULAR)
    value = sum(LETTER_VALUES[ch] for ch in regular)
    if not 1 <= value <= 999 or regular not in _spellings(value):
        # Suggest a spelling only when the letters are right and merely out of order (וט → ט״ו).
        in_order = 1 <= value <= 999 and sorted(regular) == sorted(_letters_below_1000(value))
        raise _not_a_numeral(original, value if in_order else None)
    return value


def _not_a_numeral(original: str, value: int | None = None) -> MadregaError:
    suggestions = [to_hebrew(value)] if value and 1 <= value <= _MAX else []
    return MadregaError(
        f"{original!r} is not a well-formed Hebrew numeral (letters run from large to small, e.g. "
        "ט״ו = 15, תשפ״ה = 785, ה׳תשפ״ה = 5785)",
        suggestions=suggestions,
    )


def _clean(text: str) -> str:
    cleaned = _MARKS.sub("", unicodedata.normalize("NFC", text)).translate(_GERESH_LIKE)
    return cleaned.replace("''", '"').strip()


def _split_thousands(letters: str, original: str, whole_error: MadregaError) -> int:
    """Read a numeral whose thousands digit lost its geresh (התשפה → 5785, הא → 5001).

    Only a single unit letter may be a bare thousands digit; anything longer is a word, not a number.
    """
    if len(letters) < 2 or letters[0] not in _UNITS:
        raise whole_error
    try:
        return _group_value(letters[0], original) * 1000 + _group_value(letters[1:], original)
    except MadregaError:
        raise whole_error from None


def convert(text: str, *, geresh_style: str = "hebrew", thousands: bool = True) -> dict[str, Any]:
    """Either way, as every face answers it: `5785` → its letters, `ה׳תשפ״ה` → its number.

    Only ASCII digits (thousands commas allowed) are a number; anything else is read as letters, so
    `①` or `²` get the not-a-numeral error rather than a crash.
    """
    t = text.strip().replace(",", "")
    if t.isascii() and t.isdigit():
        if len(t) > len(str(_MAX)):
            raise MadregaError(f"Hebrew numerals are written for 1 to {_MAX:,}; {t[:12]}… is out of range")
        number = int(t)
        return {"number": number, "hebrew": to_hebrew(number, geresh_style=geresh_style, thousands=thousands)}
    return {"number": from_hebrew(text.strip()), "hebrew": text.strip()}


def from_hebrew(text: str) -> int:
    """Read a Hebrew numeral in any common spelling: מ״ו, מ"ו, מו, ה'תשפ"ה, תשפ״ה (→ 785), ה׳ אלפים."""
    if not isinstance(text, str) or not text.strip():
        raise MadregaError("empty Hebrew numeral: give letters such as ט״ו or ה׳תשפ״ה")
    cleaned = _clean(text)
    multiplier = 1
    word = _THOUSANDS_WORD.match(cleaned)
    if word:
        cleaned, multiplier = word.group("head").strip(), 1000
    cleaned = re.sub(r"'\s+(?=[א-ת])", "'", cleaned)  # ה׳ תשפ״ה
    stray = sorted({ch for ch in cleaned if ch not in LETTER_VALUES and ch not in "'\""})
    if stray:
        shown = " ".join(repr(ch) for ch in stray)
        raise MadregaError(f"{text!r} is not a Hebrew numeral: it contains {shown}")
    explicit = re.match(r"^([^'\"]+)'(?=.*[^'\"])(.*)$", cleaned)
    if explicit:
        high = _group_value(explicit.group(1), text)
        low_letters = explicit.group(2).replace("'", "").replace('"', "")
        total = high * 1000 + (_group_value(low_letters, text) if low_letters else 0)
    else:
        letters = cleaned.replace("'", "").replace('"', "")
        if not letters:
            raise _not_a_numeral(text)
        try:
            total = _group_value(letters, text)
        except MadregaError as whole_error:
            total = _split_thousands(letters, text, whole_error)
    if multiplier > 1:
        if total > 999:
            raise _not_a_numeral(text)
        total *= multiplier
    return total


def is_numeral(text: str) -> bool:
    """Whether `text` reads as a Hebrew numeral (cheap guard for parsers scanning running text)."""
    try:
        from_hebrew(text)
    except MadregaError:
        return False
    return True
