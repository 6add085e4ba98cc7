"""Book names the catalog does not list as written: 'Kngs', '1st. Chron', 'Deutronomy', 'Pslm', 'Jas'.

People abbreviate and misspell the books of the Bible freely, so the parser reads a Bible book's name
by rule when no catalog name fits it exactly:

- an ordinal in any spelling before the name ('1', 'I', '1st', 'First', 'II.', '2nd', glued '1Sam');
- a prefix of one of the book's names ('Deu', 'Zeph', '1 Ch'), then the same spelling loosened
  ('Deuteronmy' ~ 'Deuteronomy'), then a run of its letters in order starting with its first ('Kgs',
  'Prvbs', 'Jdgs'), then one slip of the keys ('Plasms', 'Exeikel');
- an abbreviation of a book's canonical title outranks one of its other names ('1 K' is I Kings,
  not 1 Kingdoms), and a rule that fits two books answers with both, ranked — never one of them
  silently ('Jo' is Job, Joel, Jonah, Joshua or John);
- the books madrega does not cite (New Testament, Apocrypha; data/refwords.json) are candidates too,
  so that 'Jas 1:1' is refused as James instead of being read as Joshua.

This is the parser's last resort, run only when the exact and loose catalog lookups found nothing, so
it costs the ordinary reference nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from madrega.refs.catalog import AmbiguousRef, RefError, Work, _loose_key, name_key
from madrega.refs.catalog_file import catalog
from madrega.refs.words import Outside, words

__all__ = [
    "AmbiguousRef",
    "Candidate",
    "Outside",
    "begins_names_of",
    "bible_book",
    "clashes",
    "outside_named",
    "refusal",
    "split_number",
]


Book = Work | Outside


@dataclass(frozen=True)
class _Name:
    book: Book
    number: int | None  # the ordinal of a numbered book ('I Samuel' → 1)
    base: str  # the name's letters without the ordinal ('samuel')
    loose: str
    skeleton: str
    own: bool  # the book's canonical title (abbreviations of it outrank those of other names)
    order: int  # canonical order of the books (Tanakh first)


@dataclass(frozen=True)
class Candidate:
    book: Book
    level: int  # 0 exact, 1 prefix, 2 a spelling (same consonants or one slip), 3 letters in order
    own: bool
    number_given: bool
    distance: int = 0  # edits from the written name, for a spelling (level 2)
    base: str = ""
    cover: float = 0.0  # how much of the name the written letters are (a book's own title counts more)


_LETTERS = re.compile(r"[^a-z]+")
_CONNECTORS = frozenset(["of", "the", "and", "to"])  # words inside a name ('Song of Songs')
_GLUED_ORDINAL = re.compile(r"^([1-4])(?:st|nd|rd|th)?\.?([a-z].*)$")
_DIGIT = re.compile(r"\d")


def _ordinal(word: str) -> int | None:
    return words().ordinals.get(word.rstrip("."))


_GLUED_ROMAN = re.compile(
    r"^(I{1,3}|IV|First|Second|Third|Fourth|[1-4](?:st|nd|rd|th))(?=[A-Z][a-z])"
)  # 'IISam', 'IKgs' as the catalog spells them


def split_number(name: str) -> tuple[int | None, str]:
    """'1st Samuel' → (1, 'samuel'); 'Samuel II' → (2, 'samuel'); 'Song of Songs' → (None, 'songofsongs')."""
    glued = _GLUED_ROMAN.match(name)
    if glued:
        name = glued.group(1) + " " + name[glued.end() :]
    parts = name.lower().replace(".", ". ").split()
    number: int | None = None
    if len(parts) >= 2 and _ordinal(parts[0]) is not None:
        number = _ordinal(parts[0])
        parts = parts[1:]
    elif (
        len(parts) >= 2
        and parts[-1].rstrip(".") in words().trailing_ordinals
        and not _DIGIT.search(" ".join(parts[:-1]))
    ):
        number = words().trailing_ordinals[parts[-1].rstrip(".")]
        parts = parts[:-1]
    elif parts:
        glued = _GLUED_ORDINAL.match(parts[0])
        if glued:
            number = int(glued.group(1))
            parts = [glued.group(2), *parts[1:]]
    return number, _LETTERS.sub("", " ".join(parts))


@cache
def _names() -> tuple[_Name, ...]:
    out: list[_Name] = []
    order = 0
    cat = catalog()
    books: list[tuple[Book, list[str]]] = []
    for work in cat.in_category("Tanakh"):
        if work.base is None:
            books.append((work, [work.title, work.translit, *work.aliases]))
    for outside in words().outside:
        books.append((outside, list(outside.names)))
    for book, names in books:
        order += 1
        seen: set[tuple[int | None, str]] = set()
        for i, name in enumerate(names):
            if not name or _DIGIT.search(name.lower().lstrip("1234").lstrip()):
                continue  # 'Psalm 151' is a chapter, not a name
            number, base = split_number(name)
            if not base or (number, base) in seen:
                continue
            seen.add((number, base))
            out.append(_Name(book, number, base, _loose_key(base), _skeleton(base), i == 0, order))
    return tuple(out)


_VOWELS = re.compile(r"(?<=.)[aeiouy]+")
_REPEATS = re.compile(r"(.)\1+")


def _skeleton(letters: str) -> str:
    """The consonants in order, repeats once, the first letter kept: 'genneeses' → 'gns'."""
    k = letters.replace("ch", "h").replace("ph", "f").replace("ck", "k").replace("q", "k")
    return _REPEATS.sub(r"\1", _VOWELS.sub("", k))


def _distance(a: str, b: str) -> int:
    """Edits (a letter changed, added, dropped, or two swapped) from a to b."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@cache
def _buckets() -> tuple[dict[str, tuple[_Name, ...]], dict[int, tuple[_Name, ...]]]:
    """The names by first letter, and by length (for a slip of the first key)."""
    by_first: dict[str, list[_Name]] = {}
    by_length: dict[int, list[_Name]] = {}
    for name in _names():
        by_first.setdefault(name.base[0], []).append(name)
        by_length.setdefault(len(name.base), []).append(name)
    return {k: tuple(v) for k, v in by_first.items()}, {k: tuple(v) for k, v in by_length.items()}


def _near(written: str) -> tuple[_Name, ...]:
    """The names `_level` may fit to `written`, in catalog order: those with its first letter, and
    those of about its length (a slip may hit the first key). They depend on the first letter and the
    length only, so each such list is made once."""
    return _near_by(written[0], len(written) if len(written) >= 4 else 0)


@lru_cache(maxsize=4096)
def _near_by(first: str, length: int) -> tuple[_Name, ...]:
    """`_near` of a name beginning with `first`, of `length` letters (0: fewer than 4)."""
    by_first, by_length = _buckets()
    near = list(by_first.get(first, ()))
    if length:
        seen = {id(n) for n in near}
        for size in (length - 1, length, length + 1):
            near.extend(n for n in by_length.get(size, ()) if id(n) not in seen)
        near.sort(key=lambda n: n.order)
    return tuple(near)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _one_slip(a: str, b: str) -> bool:
    """Whether a and b differ by one edit: a letter changed, added, dropped or two swapped."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


def _level(written: str, loose: str, name: _Name) -> int | None:
    base = name.base
    if written == base:
        return 0
    if len(written) < len(base) and base.startswith(written) and (len(written) >= 2 or name.number):
        return 1
    if written[0] != base[0]:
        if (len(written) >= 5 and _one_slip(written, base)) or (len(written) >= 4 and written == base[1:]):
            return 2  # 'Oroverbs', 'Salm': the first key slipped
        return None
    if (
        len(written) >= 4
        and len(base) >= 4
        and (
            (
                len(base) >= 5
                and len(loose) >= 3
                and loose == name.loose
                and abs(len(written) - len(base)) <= 3
            )
            or (len(base) >= 5 and _skeleton(written) == name.skeleton and abs(len(written) - len(base)) <= 3)
            or ((len(base) >= 5 or name.own) and _one_slip(written, base))  # 'Eccs' is no slip of 'Eccl'
            or (len(loose) >= 4 and abs(len(written) - len(base)) <= 2 and _one_slip(loose, name.loose))
            or (
                len(written) >= 10
                and abs(len(written) - len(base)) <= 3
                and _distance(written, base) <= len(written) // 5
            )
        )
    ):
        return 2  # a spelling: the same consonants, or one slip of the keys
    if 2 <= len(written) <= len(base) - 2 and _is_subsequence(written, base):
        return 3
    if len(written) == 3 and len(base) == 4 and _one_slip(written, base):
        return 3  # 'Jde': Jude with a letter dropped, as likely as Judges abbreviated
    return None


def _written(text: str) -> tuple[int | None, str, str, bool] | None:
    """The ordinal, the name's letters and the rest (the address) of a written reference, and whether
    it was introduced as only a refused book is ('Gospel of', 'St.')."""
    w = words()
    tokens = text.split()
    i = 0
    number: int | None = None
    if tokens and _ordinal(tokens[0].lower()) is not None and len(tokens) > 1 and not tokens[1][:1].isdigit():
        number = _ordinal(tokens[0].lower())
        i = 1
    elif tokens:
        glued = _GLUED_ORDINAL.match(tokens[0].lower())
        if glued and not glued.group(2)[:1].isdigit():
            number = int(glued.group(1))
            tokens = [glued.group(2), *tokens[1:]]
    outside_only = False
    skipped = True
    while skipped:
        skipped = False
        lowered = [t.lower() for t in tokens[i:]]
        for skip_words, only in _skips():
            if lowered[: len(skip_words)] == skip_words and len(lowered) > len(skip_words):
                i += len(skip_words)
                outside_only = outside_only or only
                skipped = True
                break
    name: list[str] = []
    j = i
    while j < len(tokens):
        token = tokens[j].lower().strip(",;")
        if token[:1].isalpha() and any(ch.isdigit() for ch in token):
            return None  # 'Ps151': digits inside a name are no address
        stop = name and token.rstrip(".") in w.noise and token not in _CONNECTORS
        if not token or token[0].isdigit() or not token[0].isalpha() or stop:
            break
        name.append(token)
        j += 1
    if not name or (len(name) == 1 and name[0].rstrip(".") in w.trailing_ordinals):
        return None  # 'II 1:1': an ordinal is not a name
    letters = _LETTERS.sub("", " ".join(name))
    if not letters:
        return None
    return number, letters, (" " + " ".join(tokens[j:]) if j < len(tokens) else ""), outside_only


@cache
def _skips() -> tuple[tuple[list[str], bool], ...]:
    """The words `_written` skips before a name (split once), and whether only a refused book is
    introduced so."""
    w = words()
    return (
        *((p.split(), False) for p in w.skip_before_title),
        *((p.split(), True) for p in w.outside_prefixes),
    )


def bible_book(text: str) -> tuple[list[Candidate], str] | None:
    """The Bible books `text` may begin with, best first (all at the best rule that fits), and the
    text after the name; None when no book's name fits by any rule."""
    found = _written(text)
    if found is None:
        return None
    number, written, rest, outside_only = found
    ranked = _ranked(number, written, outside_only)
    return (list(ranked), rest) if ranked else None


@lru_cache(maxsize=8192)
def _ranked(number: int | None, written: str, outside_only: bool) -> tuple[Candidate, ...]:
    """The books a name written so may be, best first (remembered: prose repeats its names with a
    new address each time, and the reading costs about a millisecond)."""
    loose = _loose_key(written)
    best: dict[int, Candidate] = {}
    best_level = 5
    for name in _near(written):
        if (number is not None and name.number != number) or (outside_only and isinstance(name.book, Work)):
            continue
        level = _level(written, loose, name)
        if level is not None and number is None and name.number is not None:
            level += 1  # 'Samuel' may be I or II Samuel, but no better than an abbreviation is
        if level is None or level > best_level:
            continue
        if level < best_level:
            best.clear()
            best_level = level
        key = id(name.book)
        old = best.get(key)
        distance = _distance(written, name.base) if level == 2 else 0
        cover = len(written) / len(name.base) * (1.5 if name.own else 1.0)
        candidate = Candidate(name.book, level, name.own, number is not None, distance, name.base, cover)
        if old is None or (candidate.distance, -candidate.cover) < (old.distance, -old.cover):
            best[key] = candidate
    if not best:
        return ()
    ranked = sorted(best.values(), key=lambda c: (c.distance, -c.cover, _order(c.book)))
    if len(ranked) > 1:
        first, second = ranked[0], ranked[1]
        if best_level == 2 and first.distance + 2 <= second.distance:
            ranked = ranked[:1]  # 'Nehemaaah' is Nehemiah misspelt, far nearer than Nahum
        elif best_level != 2 and first.cover >= 1.5 * second.cover:
            # '1 K', 'Kng': the abbreviation of I Kings's own name, not of '1 Kingdoms'
            ranked = [c for c in ranked if c.cover * 1.5 > first.cover]
    return tuple(ranked)


@lru_cache(maxsize=4096)
def clashes(written_title: str, own: Work | None, tanakh: bool) -> tuple[Book, ...]:
    """The Bible books (Tanakh or refused) other than `own` that a title written as one short word
    also abbreviates or spells: 'Mk' (Moed Katan) is also Mark, 'Esthr' (Esther Rabbah) also Esther,
    'Hb' (Habakkuk) also Hebrews. A book of the Tanakh clashes only with a refused book's exact name."""
    if re.search(r"[A-Za-z]\.[A-Za-z]", written_title):
        return ()  # 'M.A.', 'B.M.': initials, not an abbreviated book
    letters = _LETTERS.sub("", written_title.lower())
    if not letters:
        return ()
    if tanakh:  # only a refused book's exact name clashes: a cheap test that none is written so
        written = _written(written_title + " 1")
        if written is None or written[1] not in _refused_bases():
            return ()
    if (tanakh or len(letters) >= 4) and not any(
        n.base.startswith(letters) or _one_slip(letters, n.base) for n in _near(letters)
    ):
        return ()  # what follows asks for a name, a prefix or a slip: none of the near names is one
    found = bible_book(written_title + " 1")
    if found is None:
        return ()
    candidates, _ = found
    limit = 0 if tanakh else (3 if len(written_title) <= 3 else 1)
    out: list[Book] = []
    for c in candidates:
        if c.book is own or c.level > limit or (tanakh and isinstance(c.book, Work)):
            continue
        if not isinstance(c.book, Work) and c.level > 1:
            continue  # a refused book clashes by its own name or a prefix of it ('Mk', 'Hb'), no less
        out.append(c.book)
    if not tanakh and not out and len(written_title) >= 4 and not _one_word_name(written_title, own):
        for name in _near(letters):
            if name.book is not own and name.number is None and _one_slip(letters, name.base):
                out.append(name.book)
                break
    return tuple(dict.fromkeys(out))


@cache
def _refused_bases() -> frozenset[str]:
    """The letters of every name of a refused book: the only names a Tanakh book's title clashes with."""
    return frozenset(n.base for n in _names() if not isinstance(n.book, Work))


def _one_word_name(written: str, own: Work | None) -> bool:
    """Whether `written` is one of the work's one-word names as the catalog lists it ('Avos'): then it
    is that name, not a slip of a book's ('Esthr' is only the key of 'Esth. R.')."""
    if own is None:
        return False
    key = name_key(written)
    names = (own.title, own.translit, *own.aliases)
    return any(" " not in n and "." not in n and name_key(n) == key for n in names)


_INSIDE_SEPARATOR = re.compile(r"[A-Za-z][\s.]+[A-Za-z]")


def begins_names_of(written: str, own: Work) -> tuple[Work, ...]:
    """The other works whose names begin with the one word `written` ('Taz' of 'Taz OC', Turei Zahav
    on the Orach Chayim), when `own` answers to that word only as letters its names space out ('T. AZ'
    of Tosefta Avodah Zarah): a word written whole is a name's word, not a run of initials, so it is
    never read as `own`. Empty when `own` has the word as one of its own names, or none begins so."""
    letters = _LETTERS.sub("", written.lower())
    if len(letters) < 3 or len(letters) != len(written.rstrip(".,;")):
        return ()
    names = (own.title, own.translit, *own.aliases)
    spelled = [n for n in names if n and _LETTERS.sub("", n.lower()) == letters]
    if not spelled or not all(_INSIDE_SEPARATOR.search(n) for n in spelled):
        return ()
    word = written.rstrip(".,;").lower()
    out: list[Work] = []
    for work in catalog().works:
        if work is own:
            continue
        for name in (work.title, *work.aliases):
            first, space, _ = name.partition(" ")
            if space and first.rstrip(",.").lower() == word:
                out.append(work)
                break
    return tuple(out)


def _order(book: Book) -> tuple[int, int]:
    if isinstance(book, Work):
        return 0, book.index
    return 1, words().outside.index(book)


@cache
def number_of(work: Work) -> int | None:
    """The ordinal of a numbered book (I Samuel → 1), or None."""
    return split_number(work.title)[0]


@cache
def _outside_keys() -> dict[str, Outside]:
    table: dict[str, Outside] = {}
    for outside in words().outside:
        for name in outside.names:
            table.setdefault(name_key(name), outside)
    return table


def outside_named(text: str) -> Outside | None:
    """The refused book whose name (as listed) begins `text` with a number after it, if any."""
    keys = _outside_keys()
    for pattern in (_HEAD_BEFORE_ADDRESS, _HEAD_BEFORE_DIGIT):  # 'Ps151 1:1', then 'Sir 1:1'
        head = pattern.match(text)
        if head is not None and name_key(head.group(1)) in keys:
            return keys[name_key(head.group(1))]
    return None


_HEAD_BEFORE_ADDRESS = re.compile(r"^(.*?)[\s.,]+\d")
_HEAD_BEFORE_DIGIT = re.compile(r"^(.*?)[\s.,]*\d")


def refusal(original: str, outside: Outside) -> RefError:
    return RefError(
        f"{original}: {outside.title} is in the {outside.corpus}, which madrega does not cite "
        "(its catalog is the Tanakh and the works of the Jewish tradition)"
    )
