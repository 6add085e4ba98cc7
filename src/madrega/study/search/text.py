"""What search derives from a word: its index key, plene key, gematria form, and prefixed variants.

The index stores `hebrew.word_key` of every Hebrew word (niqqud, cantillation and final letters gone),
so a query is matched by key. Prefix-awareness is query expansion: ארץ asks for ארץ, הארץ, בארץ,
ובארץ, שבארץ… (the letters ו ה ב כ ל מ ש and their usual combinations). A word like פארץ never
matches because פ is no prefix letter. Measured against indexing every prefix-stripped form too
(bench/search.py, whole corpus): expansion's Hebrew index is 60 MB against 88 MB, and 0.22 ms against
0.02 ms of engine time per word — both far below the layer's own cost — and it keeps phrase positions
and exact (quoted) forms in one column, so expansion it is.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from madrega.text import hebrew

#: The prefix chains tried before a query word, in the order conjunction, relative, preposition/article.
_CONJ = ("", "ו")
_RELATIVE = ("", "ש", "כש", "מש")
_PREP = ("", "ה", "ב", "כ", "ל", "מ", "מה")
PREFIXES: tuple[str, ...] = tuple(
    sorted({a + b + c for a, b, c in itertools.product(_CONJ, _RELATIVE, _PREP)}, key=lambda p: (len(p), p))
)

assert set(hebrew.LETTERS) == set(map(chr, range(0x05D0, 0x05EB)))
_NOT_LETTER = re.compile("[^\u05d0-\u05ea]+")

# The tokenizer's Hebrew-word alternative on its own: `findall` gives exactly the "he" tokens of
# `hebrew.tokenize` (no other alternative can consume a Hebrew letter) without building a Token for
# every word, space and mark — indexing walks ~4M words, and a search's snippets the words up to
# their matches. Written in an equivalent form that the regex engine runs faster: the tokenizer's
# (letter marks* | quote followed by a letter)* is letter (letter | mark)* (quote letter (letter |
# mark)*)* — a quote is never followed by a quote, and neither is a letter or a mark — so the letters
# and marks between quotes are one class repeated (the same words over the whole library, 1.5x faster).
_TOKEN_PATTERN = hebrew._TOKEN.pattern
_HE_WORD = (
    rf"(?P<he>[{hebrew._HE_LETTER}][{hebrew._MARK_CLASS}]*"
    rf"(?:[{hebrew._HE_LETTER}][{hebrew._MARK_CLASS}]*|[{hebrew._QUOTE_INSIDE}](?=[{hebrew._HE_LETTER}]))*"
    rf"(?:[{hebrew._GERESH_AFTER}](?![^\W\d_]))?)"
)
assert _TOKEN_PATTERN.startswith(_HE_WORD + "|(?P<num>"), "the tokenizer's Hebrew words changed"
_LETTER_OR_MARK = hebrew._HE_LETTER + hebrew._MARK_CLASS
HEBREW_WORD = re.compile(
    rf"[{hebrew._HE_LETTER}][{_LETTER_OR_MARK}]*"
    rf"(?:[{hebrew._QUOTE_INSIDE}][{hebrew._HE_LETTER}][{_LETTER_OR_MARK}]*)*"
    rf"(?:[{hebrew._GERESH_AFTER}](?![^\W\d_]))?",
    re.DOTALL,
)


def is_hebrew_word(word: str) -> bool:
    return any("\u05d0" <= ch <= "\u05ea" or "\ufb1d" <= ch <= "\ufb4f" for ch in word)


@lru_cache(maxsize=100_000)
def word_keys(word: str) -> tuple[str, str, str]:
    """(key, plene key, form) of one Hebrew word token; form is its letters, finals kept (for gematria)."""
    return derive_keys(word)


def derive_keys(word: str) -> tuple[str, str, str]:
    """`word_keys` uncached, for callers that keep their own map (indexing sees each word once)."""
    key = _fts_safe(hebrew.word_key(word))
    plene = _fts_safe(hebrew.word_key(word, plene=True))
    # Marks are no letters: dropping every non-letter after unfolding presentation forms (שּׁ → ש)
    # is what stripping the marks and keeping the letters would give.
    form = _NOT_LETTER.sub("", word.translate(hebrew.PRESENTATION_FORMS))
    return key, plene, form


def derive_keys_many(words: Sequence[str]) -> list[tuple[str, str, str]]:
    """`derive_keys` of many bare words (an import derives ~170k at once)."""
    return [derive_keys(w) for w in words]


# Every mark dropped and presentation forms unfolded (שּׁ → ש): what `hebrew.word_key` starts from, so a
# word and its bare form have the same keys and form (indexing derives them once per bare form:
# cantillation makes ~374k distinct tokens of far fewer words).
_BARE = hebrew._MARKS_ONLY_TABLE


def bare(word: str) -> str:
    return word.translate(_BARE)


def _fts_safe(key: str) -> str:
    """Only letters and digits survive (the FTS tokenizer would split on anything else)."""
    if key.isalnum():
        return key
    return "".join(ch for ch in key if ch.isalnum())


def expand_prefixes(key: str) -> list[str]:
    """Every prefixed variant of a query key, itself first."""
    return [p + key for p in PREFIXES]


def normalize_query(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass
class PhraseFinder:
    """Whether one of several phrases stands in a text of words joined by single spaces (" a b c "):
    the alternatives of a query's phrase share their words after the first (its prefixed variants,
    ובארץ ישראל, בארץ ישראל…), so the text is searched once for those words, and the word before each
    place they stand is looked up among the first words — instead of once per alternative."""

    singles: list[str]  # " a " of the alternatives of one word
    by_rest: dict[str, frozenset[str]]  # " b c " → the first words a of the alternatives "a b c"

    @classmethod
    def of(cls, alternatives: Sequence[tuple[str, ...]]) -> PhraseFinder:
        singles = [f" {alt[0]} " for alt in alternatives if len(alt) == 1]
        by_rest: dict[str, set[str]] = {}
        for alt in alternatives:
            if len(alt) > 1:
                by_rest.setdefault(" " + " ".join(alt[1:]) + " ", set()).add(alt[0])
        return cls(singles, {rest: frozenset(firsts) for rest, firsts in by_rest.items()})

    def holds(self, text: str) -> bool:
        if any(single in text for single in self.singles):
            return True
        for rest, firsts in self.by_rest.items():
            i = text.find(rest, 1)  # a place at 0 has no word before it
            while i >= 0:
                if text[text.rfind(" ", 0, i) + 1 : i] in firsts:
                    return True
                i = text.find(rest, i + 1)
        return False
