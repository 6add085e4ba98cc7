"""Search over a small library built here: real verses (with niqqud and cantillation), English
sentences and a Hebrew/English document of our own writing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from madrega import api, db
from madrega.errors import MadregaError, NotFound
from madrega.study import library, search
from madrega.study.document import DocSegment, Document
from madrega.study.library import SegmentIn

VERSES = {
    "Genesis": [
        ("Genesis 1:1", "בְּרֵאשִׁ֖ית בָּרָ֣א אֱלֹהִ֑ים אֵ֥ת הַשָּׁמַ֖יִם וְאֵ֥ת הָאָֽרֶץ׃"),
        ("Genesis 1:2", "וְהָאָ֗רֶץ הָיְתָ֥ה תֹ֙הוּ֙ וָבֹ֔הוּ וְחֹ֖שֶׁךְ עַל־פְּנֵ֣י תְה֑וֹם"),
        ("Genesis 2:11", "שֵׁ֥ם הָֽאֶחָ֖ד פִּישׁ֑וֹן ה֣וּא הַסֹּבֵ֗ב אֵ֚ת כָּל־אֶ֣רֶץ הַֽחֲוִילָ֔ה"),
        ("Genesis 5:1", "זֶ֣ה סֵ֔פֶר תּוֹלְדֹ֖ת אָדָ֑ם בְּי֗וֹם בְּרֹ֤א אֱלֹהִים֙ אָדָ֔ם"),
        ("Genesis 26:3", "כִּֽי־לְךָ֣ וּֽלְזַרְעֲךָ֗ אֶתֵּן֙ אֶת־כָּל־הָאֲרָצֹ֣ת הָאֵ֔ל"),
    ],
    "Deuteronomy": [
        ("Deuteronomy 1:8", "רְאֵ֛ה נָתַ֥תִּי לִפְנֵיכֶ֖ם אֶת־הָאָ֑רֶץ בֹּ֚אוּ וּרְשׁ֣וּ אֶת־הָאָ֔רֶץ"),
    ],
}
MISHNAH = [("Mishnah Berakhot 1:1", "מֵאֵימָתַי קוֹרִין אֶת שְׁמַע בָּעֲרָבִין")]
NOTES = [
    ("Practice Notes 1", "Running toward teshuvah each morning brings the heart home."),
    ("Practice Notes 2", "She ran to prayer; tefila was her refuge in the long winter."),
    ("Practice Notes 3", "Giving tzedaka quietly is a great kindness to the giver and the receiver."),
    ("Practice Notes 4", "Kindness, kindness and again kindness."),
    (
        "Practice Notes 5",
        "A long remark about many things: the weather, the road, the market, the city, and one small kindness.",
    ),
]
DOC_HE = "ובארץ הזאת ישבו אבותינו, שבארץ ישראל היו; הלכו לארץ ולא פארץ. ארץ טובה היא, וארצות רבות סביבה."


def _version(
    conn: sqlite3.Connection, title: str, category: str, lang: str, rows: list[tuple[str, str]]
) -> int:
    with db.transaction(conn):
        work_id = library.ensure_work(conn, title, None, category)
        segs = [SegmentIn(ref, text, text) for ref, text in rows]
        vid, _ = library.write_version(
            conn,
            work_id=work_id,
            lang=lang,
            title=f"{title} ({lang})",
            source=None,
            license=None,
            segments=segs,
            fingerprint=library.fingerprint_segments(segs),
        )
    return vid


def _document(conn: sqlite3.Connection) -> int:
    doc = Document(
        title="Land notes",
        kind="article",
        segments=[
            DocSegment(role="source", text=DOC_HE, lang="he"),
            DocSegment(role="commentary", text="We speak of the land and of returning: tshuva.", lang="en"),
        ],
    )
    return library.save_document(conn, doc)


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = api.connect(tmp_path / "lib.sqlite")
    for work, rows in VERSES.items():
        _version(conn, work, "Tanakh", "he", rows)
    _version(conn, "Mishnah Berakhot", "Mishnah", "he", MISHNAH)
    _version(conn, "Practice Notes", "Chasidut", "en", NOTES)
    _document(conn)
    yield conn
    conn.close()


def refs(conn: sqlite3.Connection, query: str, **kw: object) -> list[str]:
    return [h.ref for h in search.search(conn, query, limit=100, **kw).hits]  # type: ignore[arg-type]


def test_prefix_aware_finds_prefixed_forms_and_nothing_else(lib: sqlite3.Connection) -> None:
    found = refs(lib, "ארץ")
    assert {"Genesis 1:1", "Genesis 1:2", "Genesis 2:11", "Deuteronomy 1:8", "Land notes 1"} <= set(found)
    assert "Genesis 26:3" not in found  # הָאֲרָצֹת is another word
    hit = next(h for h in search.search(lib, "ארץ").hits if h.ref == "Land notes 1")
    marked = hit.snippet
    for form in ("ובארץ", "שבארץ", "לארץ", "ארץ"):
        assert f"<mark>{form}</mark>" in marked
    assert "<mark>פארץ</mark>" not in marked  # פ is not a prefix letter
    assert "<mark>וארצות</mark>" not in marked


def test_query_for_nonprefixed_letter_is_not_stripped(lib: sqlite3.Connection) -> None:
    assert refs(lib, "פארץ") == ["Land notes 1"]
    assert refs(lib, "רץ") == []  # א is not a prefix: ארץ does not contain the word רץ


def test_niqqud_and_cantillation_insensitive_and_snippet_keeps_original(lib: sqlite3.Connection) -> None:
    assert refs(lib, "הָאָֽרֶץ") == refs(lib, "הארץ")
    hit = search.search(lib, "בראשית").hits[0]
    assert hit.ref == "Genesis 1:1"
    assert "<mark>בְּרֵאשִׁ֖ית</mark>" in hit.snippet
    assert hit.text == VERSES["Genesis"][0][1]


def test_final_letters_and_maqaf(lib: sqlite3.Connection) -> None:
    assert set(refs(lib, "ארצ")) == set(refs(lib, "ארץ"))
    # a maqaf-joined query is a phrase whose first word may take prefixes: וְאֵת הָאָרֶץ in Gen 1:1
    assert set(refs(lib, "את־הארץ")) == {"Deuteronomy 1:8", "Genesis 1:1"}
    assert refs(lib, '"את הארץ"') == ["Deuteronomy 1:8"]
    hit = search.search(lib, "כל־ארץ").hits[0]
    assert hit.ref == "Genesis 2:11"
    assert "<mark>כָּל־אֶ֣רֶץ</mark>" in hit.snippet


def test_quotes_ask_for_the_exact_form(lib: sqlite3.Connection) -> None:
    assert set(refs(lib, '"ארץ"')) == {"Genesis 2:11", "Land notes 1"}
    assert refs(lib, '"ובארץ"') == ["Land notes 1"]


def test_phrase_search(lib: sqlite3.Connection) -> None:
    assert refs(lib, '"בראשית ברא"') == ["Genesis 1:1"]
    assert refs(lib, '"ברא בראשית"') == []
    assert refs(lib, "ברא בראשית") == ["Genesis 1:1"]  # unquoted: all words, any order
    assert refs(lib, '"ברא אלהים"') == ["Genesis 1:1", "Genesis 5:1"]  # בָּרָא and בְּרֹא share a key
    hit = search.search(lib, '"בראשית ברא"').hits[0]
    assert "<mark>בְּרֵאשִׁ֖ית בָּרָ֣א</mark>" in hit.snippet


def test_plene_matches_full_and_defective_spelling(lib: sqlite3.Connection) -> None:
    assert refs(lib, "תולדות") == []
    assert refs(lib, "תולדות", plene=True) == ["Genesis 5:1"]
    assert "<mark>" in search.search(lib, "תולדות", plene=True).hits[0].snippet


def test_ranking_prefers_the_denser_match(lib: sqlite3.Connection) -> None:
    found = refs(lib, "kindness")
    assert found[0] == "Practice Notes 4"
    assert found.index("Practice Notes 4") < found.index("Practice Notes 5")
    hebrew = refs(lib, "הארץ")
    assert hebrew[0] == "Deuteronomy 1:8"  # twice in a short verse


def test_english_stemming_and_synonyms(lib: sqlite3.Connection) -> None:
    assert "Practice Notes 1" in refs(lib, "run")
    assert "Practice Notes 1" in refs(lib, "runs")
    assert "Practice Notes 2" not in refs(lib, "run")  # "ran" is not a stem of run
    assert set(refs(lib, "tshuva")) == {"Practice Notes 1", "Land notes 2"}
    assert refs(lib, "tefillah") == ["Practice Notes 2"]
    assert refs(lib, "tzedakah") == ["Practice Notes 3"]
    assert refs(lib, '"quietly is"') == ["Practice Notes 3"]
    assert refs(lib, '"is quietly"') == []
    hit = search.search(lib, "tsedakah").hits[0]
    assert "<mark>tzedaka</mark>" in hit.snippet


def test_filters(lib: sqlite3.Connection) -> None:
    assert set(refs(lib, "ארץ", category="Tanakh")) == {
        "Genesis 1:1",
        "Genesis 1:2",
        "Genesis 2:11",
        "Deuteronomy 1:8",
    }
    assert refs(lib, "ארץ", work="Deuteronomy") == ["Deuteronomy 1:8"]
    assert refs(lib, "ארץ", category="documents") == ["Land notes 1"]
    assert refs(lib, "ארץ", work="Land notes") == ["Land notes 1"]
    assert refs(lib, "land", lang="en") == ["Land notes 2"]
    assert refs(lib, "ארץ", lang="en") == []
    assert refs(lib, "שמע", category="Mishnah") == ["Mishnah Berakhot 1:1"]
    assert refs(lib, "ארץ", category="Zohar") == []  # known category, nothing imported: no error


def test_paging_and_total(lib: sqlite3.Connection) -> None:
    everything = search.search(lib, "ארץ", limit=100)
    assert everything.total == len(everything.hits) == 5
    page = search.search(lib, "ארץ", limit=2, offset=2)
    assert page.total == 5
    assert [h.ref for h in page.hits] == [h.ref for h in everything.hits[2:4]]
    past_the_end = search.search(lib, "ארץ", limit=2, offset=10)
    assert past_the_end.hits == []
    assert past_the_end.total == 5
    assert search.search(lib, "ארץ", limit=0).total == 5
    last_page = search.search(lib, "ארץ", limit=3, offset=3)
    assert (last_page.total, len(last_page.hits)) == (5, 2)


def test_no_results_is_an_empty_list(lib: sqlite3.Connection) -> None:
    result = search.search(lib, "זברה")
    assert result.total == 0
    assert result.hits == []


@pytest.mark.parametrize("query", ["", "   ", "123 !!", '""', "׃ ־"])
def test_bad_queries_raise_a_clear_error(lib: sqlite3.Connection, query: str) -> None:
    with pytest.raises(MadregaError) as info:
        search.search(lib, query)
    assert "query" in info.value.message


def test_bad_filters_raise_with_suggestions(lib: sqlite3.Connection) -> None:
    with pytest.raises(NotFound) as info:
        search.search(lib, "ארץ", work="Genesys")
    assert "Genesis" in info.value.suggestions
    with pytest.raises(MadregaError):
        search.search(lib, "ארץ", category="Poetry")
    with pytest.raises(MadregaError):
        search.search(lib, "ארץ", lang="fr")
    with pytest.raises(MadregaError):
        search.search(lib, "ארץ", limit=-1)


def test_index_follows_imports_and_removals(lib: sqlite3.Connection) -> None:
    assert refs(lib, "שמע") == ["Mishnah Berakhot 1:1"]
    vid = lib.execute(
        "SELECT v.id FROM versions v JOIN works w ON w.id = v.work_id WHERE w.title='Mishnah Berakhot'"
    ).fetchone()[0]
    with db.transaction(lib):
        library.remove_version(lib, vid)
    assert refs(lib, "שמע") == []
    _version(lib, "Psalms", "Tanakh", "he", [("Psalms 24:1", "לְדָוִ֗ד מִ֫זְמ֥וֹר לַ֭יהוָה הָאָ֣רֶץ וּמְלוֹאָ֑הּ")])
    assert "Psalms 24:1" in refs(lib, "ארץ")
    with db.transaction(lib):
        library.remove_document(lib, "land-notes")
    assert "Land notes 1" not in refs(lib, "ארץ")
    assert refs(lib, "tshuva") == ["Practice Notes 1"]


def test_a_failed_import_leaves_the_index_as_it_was(lib: sqlite3.Connection) -> None:
    before = search.search(lib, "ארץ").total
    with pytest.raises(RuntimeError), db.transaction(lib):
        work_id = library.ensure_work(lib, "Psalms", None, "Tanakh")
        segs = [SegmentIn("Psalms 24:1", "הָאָ֣רֶץ", "הָאָ֣רֶץ")]
        library.write_version(
            lib,
            work_id=work_id,
            lang="he",
            title="x",
            source=None,
            license=None,
            segments=segs,
            fingerprint="f",
        )
        assert search.search(lib, "ארץ").total == before + 1
        raise RuntimeError("killed midway")
    assert search.search(lib, "ארץ").total == before


def _index_contents(conn: sqlite3.Connection) -> tuple[list[tuple[object, ...]], ...]:
    return (
        [tuple(r) for r in conn.execute("SELECT rowid, he, hp, en FROM search_fts ORDER BY rowid")],
        [
            tuple(r)
            for r in conn.execute("SELECT id, version_id, doc_id, scope, category, lang FROM search_rows")
        ],
        [
            tuple(r)
            for r in conn.execute(
                "SELECT v.form, v.key, c.scope, c.count FROM search_vocab_counts c "
                "JOIN search_vocab v ON v.id = c.vocab_id ORDER BY v.form, c.scope"
            )
        ],
    )


def test_rebuild_gives_the_same_answers(lib: sqlite3.Connection) -> None:
    before = [(h.ref, h.snippet) for h in search.search(lib, "ארץ").hits]
    index = _index_contents(lib)
    search.rebuild(lib)
    assert [(h.ref, h.snippet) for h in search.search(lib, "ארץ").hits] == before
    assert _index_contents(lib) == index  # the bulk rebuild writes what imports wrote one by one


LONG = " ".join(["וַיְדַבֵּ֥ר מֹשֶׁ֖ה אֶל־הָעָֽם׃"] * 8 + ["בְּאֶ֣רֶץ מִצְרַ֑יִם"] + ["וַיֵּ֣לֶךְ הָעָ֔ם"] * 20 + ["הָאָֽרֶץ"])


# Queries of several terms, as the scorer in Python takes them (at most `FEW` matches, no English words):
# words with their prefixed variants, a quoted phrase, maqaf, plene, a word repeated in the query and in
# a row; and one word, which FTS5 ranks.
SCORED_HERE = ["ארץ", "ברא בראשית", '"ברא אלהים" ארץ', "את־הארץ ראה", "אלהים ארץ", "אדם אדם", "הארץ אדם אדם"]


def _page(conn: sqlite3.Connection, query: str, **kw: object) -> list[tuple[str, float, str]]:
    found = search.search(conn, query, **kw)  # type: ignore[arg-type]
    return [(found.total, h.ref, h.score, h.snippet) for h in found.hits]  # type: ignore[misc]


def test_few_matches_are_ranked_as_fts5_ranks_them(
    lib: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scorer in Python gives FTS5's bm25() to the bit: the same pages, scores and totals, also after
    an import changes the counts it keeps (a row holding a phrase twice, overlapping, counts twice)."""
    from madrega.study.search import query

    _version(
        lib, "Psalms", "Tanakh", "he", [("Psalms 1:1", "אדם אדם אדם הארץ כל הארץ"), ("Psalms 1:2", "כל כל")]
    )
    for round_ in range(2):
        for q in SCORED_HERE:
            for kw in ({}, {"limit": 2, "offset": 1}, {"plene": True}, {"category": "Tanakh"}, {"limit": 0}):
                monkeypatch.setattr(query, "FEW", 0)  # every query to FTS5's bm25()
                by_fts5 = _page(lib, q, **kw)
                monkeypatch.setattr(query, "FEW", 300)  # every query it may take
                assert _page(lib, q, **kw) == by_fts5, (q, kw)
                assert by_fts5 or kw, q  # every query finds something
        assert _page(lib, "אדם אדם")[0][1] == "Psalms 1:1"
        if round_ == 0:  # the counts kept must follow the library
            _version(lib, "Job", "Tanakh", "he", [("Job 1:1", "אדם הארץ אדם"), ("Job 1:2", "ארץ כל")])


def test_the_words_together_come_first_whatever_the_page(
    lib: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Of many hits, those holding the words together come first, the source before the works quoting
    it, on every page: the same pages when FTS5 ranks them (the rows checked a chunk at a time, until
    the page is full) as when every row is scored and checked in Python."""
    from madrega.study.search import query

    filler = "וַיֵּלֶךְ הָעָם " * 3
    for title, category, n in (("Midrash Sample", "Midrash", 30), ("Genesis Sample", "Tanakh", 20)):
        rows = [
            (f"{title} {i}", filler * (i % 4) + ("ברא אלהים" if i % 3 else "אלהים " + filler + "ברא"))
            for i in range(1, n + 1)
        ]
        _version(lib, title, category, "he", rows)
    for kw in ({}, {"limit": 1}, {"limit": 3, "offset": 5}, {"limit": 10, "offset": 30}, {"limit": 40}):
        monkeypatch.setattr(query, "FEW", 0)
        by_fts5 = _page(lib, "ברא אלהים", **kw)
        monkeypatch.setattr(query, "FEW", 300)
        assert _page(lib, "ברא אלהים", **kw) == by_fts5, kw
        assert by_fts5, kw
    first = search.search(lib, "ברא אלהים", limit=5).hits
    assert all(h.category == "Tanakh" for h in first)
    assert not any(h.text.endswith("ברא") for h in first)  # the words apart come after


def test_snippet_of_a_long_segment_is_a_window_around_the_first_match(lib: sqlite3.Connection) -> None:
    _version(lib, "Exodus", "Tanakh", "he", [("Exodus 1:1", LONG)])
    hit = search.search(lib, "ארץ", work="Exodus").hits[0]
    assert hit.text == LONG
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert hit.snippet.count("<mark>") == 1  # the last הָאָרֶץ lies past the window
    assert "<mark>בְּאֶ֣רֶץ</mark> מִצְרַ֑יִם" in hit.snippet
    assert search.search(lib, '"ארץ מצרים"', work="Exodus").hits == []  # quoted: the exact form only
    phrase = search.search(lib, "ארץ־מצרים", work="Exodus").hits[0]
    assert phrase.snippet.count("<mark>") == 1
    assert "<mark>בְּאֶ֣רֶץ מִצְרַ֑יִם</mark>" in phrase.snippet


def test_snippets_stay_right_when_the_index_is_out_of_step(lib: sqlite3.Connection) -> None:
    """Snippets read the indexed keys to find the matched words; if those do not line up with the
    text (an index left by another version), the words are found in the text itself."""
    expected = {h.ref: h.snippet for h in search.search(lib, "ארץ").hits}
    with db.transaction(lib):
        row = lib.execute("SELECT rowid, he, hp, en FROM search_fts WHERE rowid = 1").fetchone()
        lib.execute("DELETE FROM search_fts WHERE rowid = 1")
        lib.execute(
            "INSERT INTO search_fts(rowid, he, hp, en) VALUES (?, ?, ?, ?)",
            (row[0], " ".join(reversed(row[1].split())), " ".join(reversed(row[2].split())), row[3]),
        )
    assert {h.ref: h.snippet for h in search.search(lib, "ארץ").hits} == expected


_TEXT_CHARS = st.sampled_from(
    [*"אבהוךלםץשת", *"\u05b0\u05b8\u0591\u05bc\ufb2a\u05f3\u05f4'\"", *" -\u05be\u05c3.,()x1"]
)


@given(st.text(_TEXT_CHARS, max_size=40))
def test_hebrew_word_pattern_finds_the_tokenizers_hebrew_words(text: str) -> None:
    from madrega.study.search.text import HEBREW_WORD
    from madrega.text import hebrew

    assert HEBREW_WORD.findall(text) == [t.text for t in hebrew.tokenize(text) if t.kind == "he"]


@given(st.text(_TEXT_CHARS, max_size=12))
def test_a_word_and_its_bare_form_have_the_same_keys(text: str) -> None:
    """Indexing derives keys once per bare form (marks dropped): that must not change any key."""
    from madrega.study.search.text import HEBREW_WORD, bare, derive_keys

    for word in HEBREW_WORD.findall(text):
        assert derive_keys(bare(word)) == derive_keys(word)


def test_cli_json(lib: sqlite3.Connection, tmp_path: Path) -> None:
    from madrega.cli import _load, app

    _load()
    path = lib.execute("PRAGMA database_list").fetchone()[2]
    out = CliRunner().invoke(
        app, ["search", "ארץ", "--category", "Tanakh", "--limit", "2", "--json", "--db", path]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["total"] == 4
    assert len(data["hits"]) == 2
    assert set(data["hits"][0]) >= {"ref", "text", "snippet", "score"}
    bad = CliRunner().invoke(app, ["search", "  ", "--db", path])
    assert bad.exit_code == 1
    assert "empty" in bad.output


def test_the_ranking_read_by_versions_is_the_ranking_of_every_row(lib: sqlite3.Connection) -> None:
    """The ranges of rows by category (read from each version's first and last row, cheaply) are
    those a pass over every row gives, also after another version and a document are added."""
    from madrega.study.search import query

    def every_row() -> list[tuple[int, str]]:
        return [
            (hi, cat)
            for hi, cat in lib.execute(
                "SELECT max(id), category FROM search_rows WHERE id > 0 GROUP BY version_id ORDER BY min(id)"
            )
        ]

    def ranking_ends() -> list[int]:
        search.prepare(lib)
        return query._ranking(lib).ends

    def merged(rows: list[tuple[int, str]]) -> list[int]:
        ends: list[int] = []
        last = None
        for hi, cat in rows:
            key = (query.category_prior(cat), query.source_rank(cat))
            if ends and key == last:
                ends[-1] = hi
            else:
                ends.append(hi)
            last = key
        return ends

    assert len(every_row()) >= 4
    assert ranking_ends() == merged(every_row())
    _version(lib, "Zohar Notes", "Kabbalah", "he", [("Zohar Notes 1", "ארץ עליונה וארץ תחתונה")])
    _version(lib, "Psalms", "Tanakh", "he", [("Psalms 24:1", "לה' הארץ ומלואה")])
    _document(lib)
    assert ranking_ends() == merged(every_row())


_KEYS = st.sampled_from(["א", "ב", "וא", "אב", "בא"])


@given(
    st.lists(_KEYS, max_size=12),
    st.lists(st.lists(_KEYS, min_size=1, max_size=3).map(tuple), min_size=1, max_size=5),
)
def test_phrase_finder_finds_what_a_search_for_each_alternative_finds(
    words: list[str], alternatives: list[tuple[str, ...]]
) -> None:
    """The words-together check searches a row once for the words after the first and looks the word
    before them up: the same answer as looking for every alternative in turn."""
    from madrega.study.search.text import PhraseFinder

    text = " " + " ".join(words) + " "
    expected = any(" " + " ".join(alt) + " " in text for alt in alternatives)
    assert PhraseFinder.of(alternatives).holds(text) == expected


@given(
    st.text(st.sampled_from([*"אב <&>\"'", "\x01", "\x02"]), max_size=30),
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6)), max_size=4),
)
def test_snippet_escapes_the_text_and_marks_the_matches(text: str, spans: list[tuple[int, int]]) -> None:
    """A snippet of a short text is the text HTML-escaped, each match inside <mark> (a text holding
    the characters the snippet marks matches with internally included)."""
    import html

    from madrega.study.search.query import MARK_CLOSE, MARK_OPEN, snippet

    spans = [(a, min(a + n, len(text))) for a, n in spans if a < len(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    expected, pos = "", 0
    for start, end in merged:
        expected += html.escape(text[pos:start], quote=False)
        expected += MARK_OPEN + html.escape(text[start:end], quote=False) + MARK_CLOSE
        pos = end
    expected += html.escape(text[pos:], quote=False)
    assert snippet(text, spans) == expected
