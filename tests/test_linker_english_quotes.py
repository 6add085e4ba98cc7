"""Unreferenced English quotations: verses quoted in an English post, found in the library's English
versions (here a few King James verses, public domain) and linked; common phrases are not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from english_versions import add_kjv
from madrega import api, db
from madrega.study import library
from madrega.study.linker import link

KJV = {
    "Genesis": [
        "In the beginning God created the heaven and the earth.",
        "And the earth was without form, and void; and darkness was upon the face of the deep. "
        "And the Spirit of God moved upon the face of the waters.",
        "And God said, Let there be light: and there was light.",
        "And God saw the light, that it was good: and God divided the light from the darkness.",
    ],
    "Job": [
        "Though thy beginning was small, yet thy latter end should greatly increase.",
        "For enquire, I pray thee, of the former age, and prepare thyself to the search of their fathers.",
    ],
    "Psalms": [
        "The LORD is my shepherd; I shall not want.",
        "He maketh me to lie down in green pastures: he leadeth me beside the still waters.",
    ],
}
PLACES = {"Genesis": (1, 1), "Job": (8, 7), "Psalms": (23, 1)}


@pytest.fixture
def lib(conn: sqlite3.Connection) -> sqlite3.Connection:
    return add_kjv(
        conn,
        {
            title: {f"{PLACES[title][0]}:{PLACES[title][1] + i}": v for i, v in enumerate(verses)}
            for title, verses in KJV.items()
        },
    )


def quotes(text: str, conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return [(c.text, c.ref) for c in link(text, conn=conn) if c.kind == "quotation"]


def test_a_quoted_verse_is_found_with_its_exact_span(lib: sqlite3.Connection) -> None:
    text = "My teacher would say: though thy beginning was small, yet thy latter end should greatly increase!"
    assert quotes(text, lib) == [
        ("though thy beginning was small, yet thy latter end should greatly increase", "Job 8:7")
    ]


def test_capitals_punctuation_and_the_divine_name_do_not_matter(lib: sqlite3.Connection) -> None:
    text = "“The Lord is my shepherd, I shall not want,” she sang."
    assert quotes(text, lib) == [("The Lord is my shepherd, I shall not want", "Psalms 23:1")]


def test_a_quotation_across_two_verses_cites_the_range(lib: sqlite3.Connection) -> None:
    text = "and God said, let there be light: and there was light. And God saw the light, that it was good."
    assert quotes(text, lib) == [
        (
            "and God said, let there be light: and there was light. And God saw the light, that it was good",
            "Genesis 1:3-4",
        )
    ]


def test_common_phrases_and_short_runs_are_not_quotations(lib: sqlite3.Connection) -> None:
    assert quotes("And God said that it was good, and it was so in the beginning.", lib) == []
    assert quotes("In the beginning of the week we learn together.", lib) == []
    assert quotes("He said that the earth was without form to him.", lib) == []


def test_a_written_reference_is_not_also_a_quotation(lib: sqlite3.Connection) -> None:
    text = "Psalms 23:1 says it plainly."
    found = [(c.kind, c.ref) for c in link(text, conn=lib)]
    assert found == [("reference", "Psalms 23:1")]


def test_a_library_without_english_finds_no_english_quotations(conn: sqlite3.Connection) -> None:
    assert quotes("Though thy beginning was small, yet thy latter end should greatly increase.", conn) == []


def test_the_index_follows_the_library(lib: sqlite3.Connection) -> None:
    text = "Remember: he leadeth me beside the still waters, always."
    assert quotes(text, lib) == [("he leadeth me beside the still waters", "Psalms 23:2")]
    with db.transaction(lib):
        wid = library.ensure_work(lib, "Psalms", "", "Tanakh")
        library.write_version(
            lib,
            work_id=wid,
            lang="en",
            title="King James Version",
            source=None,
            license="Public Domain",
            segments=[library.SegmentIn("Psalms 23:1", KJV["Psalms"][0], KJV["Psalms"][0])],
            fingerprint="shorter",
        )
    assert quotes(text, lib) == []


def test_prepare_builds_the_indexes_a_server_needs(tmp_path: Path) -> None:
    from madrega.study import linker
    from madrega.study.linker import english_quotations, quotations

    path = tmp_path / "lib.sqlite"
    conn = api.connect(path)
    with db.transaction(conn):
        for lang, text in (("he", "בראשית ברא אלהים את השמים ואת הארץ"), ("en", KJV["Genesis"][0])):
            wid = library.ensure_work(conn, "Genesis", "בראשית", "Tanakh")
            library.write_version(
                conn,
                work_id=wid,
                lang=lang,
                title=f"test {lang}",
                source=None,
                license=None,
                segments=[library.SegmentIn("Genesis 1:1", text, text)],
                fingerprint=lang,
            )
    conn.close()
    linker.prepare(path)
    assert Path(str(path) + ".quotes.idx").exists()  # the Hebrew index is kept beside the library
    assert Path(str(path) + ".english.idx").exists()
    assert str(path) in quotations._MEMORY
    assert str(path) in english_quotations._CACHE
