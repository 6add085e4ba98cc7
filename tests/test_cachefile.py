"""Indexes kept beside the database: opened without rebuilding, and a damaged, replaced or stale file is
never used — it is detected and built again, and linking goes on as if nothing happened."""

from __future__ import annotations

import os
import pickle
import random
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from madrega import cachefile, db
from madrega.study import library
from madrega.study.linker import link, quotations, titles

VERSE = "בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם וְאֵת הָאָרֶץ"
QUOTING = 'וכמו שכתוב "בראשית ברא אלהים את השמים" וגו\''


def _filler(n: int) -> list[library.SegmentIn]:
    """Made-up Hebrew passages, so that the verse's words are rare enough to make a quotation."""
    rng = random.Random(5785)
    letters = "אבגדהזחטיכלמנסעפצקרשת"
    segments = []
    for i in range(1, n + 1):
        text = " ".join("".join(rng.choice(letters) for _ in range(5)) for _ in range(12))
        segments.append(library.SegmentIn(f"Psalms {i // 10 + 1}:{i % 10 + 1}", text, text))
    return segments


def _library(path: Path, text: str = VERSE, ref: str = "Genesis 1:1") -> sqlite3.Connection:
    conn = db.connect(path)
    with db.transaction(conn):
        wid = library.ensure_work(conn, "Genesis", "בראשית", "Tanakh")
        library.write_version(
            conn,
            work_id=wid,
            lang="he",
            title="test",
            source=None,
            license=None,
            segments=[library.SegmentIn(ref, text, text)],
            fingerprint=text,
        )
        filler = _filler(1000)
        wid = library.ensure_work(conn, "Psalms", "תהלים", "Tanakh")
        library.write_version(
            conn,
            work_id=wid,
            lang="he",
            title="filler",
            source=None,
            license=None,
            segments=filler,
            fingerprint="filler",
        )
    return conn


def _quoted(conn: sqlite3.Connection) -> list[str]:
    return [c.ref for c in link(QUOTING, conn=conn) if c.kind == "quotation"]


@pytest.fixture
def lib(tmp_path: Path) -> sqlite3.Connection:
    conn = _library(tmp_path / "lib.sqlite")
    quotations.build_library_index(conn)
    quotations._MEMORY.clear()  # as a new process: nothing open yet
    return conn


def test_a_new_process_opens_the_file_instead_of_building(
    lib: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("rebuilt an index that was current")

    monkeypatch.setattr(quotations, "build_index", no_build)
    assert _quoted(lib) == ["Genesis 1:1"]
    assert isinstance(quotations.index_for(lib).words, np.ndarray)


def _idx(conn: sqlite3.Connection) -> Path:
    return cachefile.path_for(cachefile.db_file(conn), "quotes")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-200] + bytes(200),  # the end zeroed
        lambda data: data[:100] + b"\xff" * 50 + data[150:],  # the header overwritten
        lambda data: b"garbage",
        lambda data: b"",
        lambda data: pickle.dumps({"not": "an index"}),
    ],
)
def test_a_damaged_file_is_detected_and_rebuilt(lib: sqlite3.Connection, damage: object) -> None:
    path = _idx(lib)
    data = path.read_bytes()
    path.write_bytes(damage(data))  # type: ignore[operator]
    assert _quoted(lib) == ["Genesis 1:1"]  # linking works, from a rebuilt index
    assert path.read_bytes() == data  # the same index written again
    quotations._MEMORY.clear()
    assert cachefile.load(lib, "quotes", kind="quotes", fmt=quotations.INDEX_FORMAT) is not None


def test_a_flipped_payload_byte_is_caught_by_the_checksum(lib: sqlite3.Connection) -> None:
    path = _idx(lib)
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x40
    stat = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert cachefile.load(lib, "quotes", kind="quotes", fmt=quotations.INDEX_FORMAT) is None
    assert _quoted(lib) == ["Genesis 1:1"]


def test_another_librarys_index_is_not_used(tmp_path: Path, lib: sqlite3.Connection) -> None:
    other = _library(tmp_path / "other.sqlite", "וַיֹּאמֶר אֱלֹהִים יְהִי אוֹר וַיְהִי אוֹר", "Genesis 1:3")
    quotations.build_library_index(other)
    _idx(other).replace(_idx(lib))  # a whole, valid file — but not the one this library wrote
    quotations._MEMORY.clear()
    assert cachefile.load(lib, "quotes", kind="quotes", fmt=quotations.INDEX_FORMAT) is None
    assert _quoted(lib) == ["Genesis 1:1"]


def test_a_change_of_hebrew_text_makes_it_stale_other_changes_do_not(lib: sqlite3.Connection) -> None:
    fmt = quotations.INDEX_FORMAT
    with db.transaction(lib):
        wid = library.ensure_work(lib, "Genesis", "בראשית", "Tanakh")
        library.write_version(
            lib,
            work_id=wid,
            lang="en",
            title="test en",
            source=None,
            license=None,
            segments=[library.SegmentIn("Genesis 1:1", "In the beginning", "In the beginning")],
            fingerprint="en",
        )
    assert cachefile.is_current(lib, "quotes", fmt)  # English text: the Hebrew index still holds
    with db.transaction(lib):
        wid = library.ensure_work(lib, "Exodus", "שמות", "Tanakh")
        library.write_version(
            lib,
            work_id=wid,
            lang="he",
            title="test",
            source=None,
            license=None,
            segments=[library.SegmentIn("Exodus 1:1", "וְאֵלֶּה שְׁמוֹת בְּנֵי יִשְׂרָאֵל", "ואלה שמות בני ישראל")],
            fingerprint="x",
        )
    assert not cachefile.is_current(lib, "quotes", fmt)
    assert "Exodus 1:1" in [c.ref for c in link('כמו שנאמר "ואלה שמות בני ישראל"', conn=lib)]
    assert cachefile.is_current(lib, "quotes", fmt)  # rebuilt on first use, and vouched for again


def test_the_pickle_of_earlier_versions_is_never_read(tmp_path: Path) -> None:
    conn = _library(tmp_path / "lib.sqlite")
    legacy = Path(str(tmp_path / "lib.sqlite") + ".quotes.pickle")
    legacy.write_bytes(b"cos\nsystem\n(S'touch " + str(tmp_path / "pwned").encode() + b"'\ntR.")
    assert _quoted(conn) == ["Genesis 1:1"]
    assert not (tmp_path / "pwned").exists()
    assert not legacy.exists()


def test_a_damaged_title_automaton_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from madrega.study.linker import references

    references.find_references("see Job 8:7")  # the run's own cache holds the automaton (built once a run)
    whole = titles.cache_path()
    monkeypatch.setenv("MADREGA_CACHE_DIR", str(tmp_path / "cache"))
    path = titles.cache_path()
    path.parent.mkdir(parents=True)
    shutil.copy2(whole, path)  # a whole file to damage, without building a second one (7 s)
    references._automaton.cache_clear()
    try:
        assert [f.ref for f in references.find_references("see Job 8:7")] == ["Job 8:7"]
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
        references._automaton.cache_clear()
        assert [f.ref for f in references.find_references("see Job 8:7 and Berakhot 5a")] == [
            "Job 8:7",
            "Berakhot 5a",
        ]
        # Rewritten whole: it opens with its checksum verified (the next process loads, not builds).
        assert len(path.read_bytes()) > len(data) // 3
        cachefile.open_file(path, kind=titles._KIND, fmt=titles.FORMAT)
    finally:
        references._automaton.cache_clear()


def test_the_cached_title_automaton_reads_as_the_built_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every field of a title survives the cache: the next process reads a two-letter title ('LM',
    only in capitals) exactly as the process that built the automaton did."""
    from madrega.refs import catalog
    from madrega.study.linker.references import _Title

    monkeypatch.setenv("MADREGA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(titles, "_sources_digest", lambda: "probe")
    job, lm = catalog().work("Job"), catalog().work("Likutei Moharan")
    table = {
        "job": [_Title("Job", job, False, True, False)],
        "lm": [_Title("LM", lm, False, True, False, True)],
    }

    def found(auto: titles.Titles) -> list[tuple[int, tuple[_Title, ...]]]:
        return [value for _, value in auto.iter("see job and lm")]

    built = titles.automaton(lambda: table, _Title)
    assert titles.cache_path().exists()
    loaded = titles.automaton(lambda: pytest.fail("built again"), _Title)  # type: ignore[no-any-return]
    assert found(loaded) == found(built) == [(3, tuple(table["job"])), (2, tuple(table["lm"]))]
    assert found(loaded)[1][1][0].short


def test_a_file_holds_what_was_written(tmp_path: Path) -> None:
    arrays = {"a": np.arange(10, dtype=np.int64), "b": b"hello", "c": np.array([1.5, 2.5])}
    stamp = cachefile.write_file(tmp_path / "x.idx", kind="k", fmt="1", meta={"n": 3}, arrays=arrays)
    found = cachefile.open_file(tmp_path / "x.idx", kind="k", fmt="1", trusted=stamp)
    assert found.meta == {"n": 3} and found.blob("b") == b"hello"
    assert found.array("a").tolist() == list(range(10)) and list(found.items("a")) == list(range(10))
    assert found.array("c").tolist() == [1.5, 2.5]
    with pytest.raises(cachefile.CorruptFile):
        cachefile.open_file(tmp_path / "x.idx", kind="k", fmt="2")
    with pytest.raises(cachefile.CorruptFile):
        cachefile.open_file(tmp_path / "x.idx", kind="other", fmt="1")


def test_an_english_text_finds_its_titles_without_the_hebrew_automaton(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cached titles find a Hebrew title anywhere (after a prefix letter too) and another title only
    as whole words, as the built ones do; a text without a Hebrew letter never reads the automaton of
    the Hebrew titles (the larger part of a cold English link's start, once)."""
    from madrega.refs import catalog
    from madrega.study.linker.references import _Title

    monkeypatch.setenv("MADREGA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(titles, "_sources_digest", lambda: "probe-hebrew")
    job, berakhot = catalog().work("Job"), catalog().work("Berakhot")
    table = {
        "job": [_Title("Job", job, False, True, False)],
        "rabbi job": [_Title("Rabbi Job", job, False, True, False)],
        "איוב": [_Title("איוב", job, True, False, False)],
        "ברכות": [_Title("ברכות", berakhot, True, False, True)],
    }

    def found(auto: titles.Titles, text: str) -> list[tuple[int, int]]:
        return [(end, length) for end, (length, _) in auto.iter(text)]

    built = titles.automaton(lambda: table, _Title, lambda: [["probe", [1, 2]]])
    loaded = titles.automaton(lambda: pytest.fail("built again"), _Title)  # type: ignore[no-any-return]
    assert loaded.extra == [["probe", [1, 2]]] and built.extra == [["probe", [1, 2]]]
    english = "see rabbi job, jobs and job"
    assert found(loaded, english) == found(built, english) == [(12, 9), (12, 3), (26, 3)]
    assert loaded._auto is None  # no Hebrew letter: the automaton stayed in the file
    hebrew = "כמו שכתוב באיוב ובברכות"
    assert found(loaded, hebrew) == found(built, hebrew) == [(14, 4), (22, 5)]
    assert loaded._auto is not None
