"""Full-text search: parse a query, ask FTS5, rank by BM25, and cut snippets from the original text.

Query language: bare Hebrew words are prefix-aware (ארץ finds בארץ, ובארץ, שבארץ…); `"…"` asks for
the exact form, and a quoted run of words is an exact phrase; words joined by maqaf are a phrase whose
first word may carry prefixes. English words are porter-stemmed and transliterations of Hebrew terms
expand through data/synonyms.json. All terms must match (AND); BM25 orders the hits.
"""

from __future__ import annotations

import bisect
import collections
import difflib
import html
import itertools
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, cast

from madrega.errors import MadregaError, NotFound
from madrega.study.search.index import DOCUMENTS_CATEGORY
from madrega.study.search.text import HEBREW_WORD, PhraseFinder, expand_prefixes, word_keys
from madrega.text import hebrew

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
_SNIPPET_CHARS = 220
_EXACT_WEIGHT = 3
_QUOTES = frozenset('"“”„')
_DOC_CATEGORY_NAMES = {"documents", "document", "imported documents", "imported", "docs"}

MAX_PAGE = 10_000
MAX_OFFSET = 10_000_000  # hits; far past any library, far below SQLite's 2^63


@dataclass
class Term:
    """One AND-ed part of a query: alternatives (each a phrase: list of words/keys) in one column."""

    column: Literal["he", "hp", "en"]
    alternatives: list[tuple[str, ...]]

    def fts(self, *, once: bool = False) -> str:
        """The FTS5 expression; `once`: each alternative once (the same rows, without the repeats that
        weigh the form as typed in bm25(): for a statement that only asks which rows match)."""
        alternatives = dict.fromkeys(self.alternatives) if once else self.alternatives
        alts = " OR ".join('"' + " ".join(a).replace('"', '""') + '"' for a in alternatives)
        return f"{self.column} : ({alts})"


@dataclass
class Query:
    terms: list[Term]
    # The query's words as one phrase (when it has several): the best hits where the words stand
    # together, in order, come first (`_source_first`) — proximity in the ranking.
    proximity: list[Term] = field(default_factory=list)

    def has_english(self) -> bool:
        return any(t.column == "en" for t in self.terms)

    def fts(self, *, once: bool = False) -> str:
        return " AND ".join(t.fts(once=once) for t in self.terms)


@dataclass
class Hit:
    ref: str
    text: str
    snippet: str
    score: float
    work: str
    lang: str
    category: str
    document: str | None = None  # the document's slug, for hits in imported documents

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ref": self.ref,
            "text": self.text,
            "snippet": self.snippet,
            "score": self.score,
            "work": self.work,
            "lang": self.lang,
            "category": self.category,
        }
        if self.document:
            data["document"] = self.document
        return data


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    limit: int = 20
    offset: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "hits": [h.to_json() for h in self.hits]}


# ---------------------------------------------------------------------------- parsing


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """word → every spelling in its group (data/synonyms.json: a list of groups of spellings)."""
    raw = resources.files("madrega").joinpath("data/synonyms.json").read_text(encoding="utf-8")
    groups: list[list[str]] = json.loads(raw)["groups"]
    table: dict[str, tuple[str, ...]] = {}
    for group in groups:
        spellings = tuple(dict.fromkeys(s.lower() for s in group))
        for s in spellings:
            table[s] = tuple(dict.fromkeys(table.get(s, ()) + spellings))
    return table


def _he_term(words: list[str], *, prefix_first: bool, plene: bool) -> Term:
    keys = [word_keys(w)[0] for w in words]
    keys = [k for k in keys if k]
    if not keys:
        return Term("he", [])
    firsts = expand_prefixes(keys[0]) if prefix_first else [keys[0]]
    if plene:
        rest = [hebrew.word_key(k, plene=True) for k in keys[1:]]
        alts = [(hebrew.word_key(f, plene=True), *rest) for f in firsts]
        return Term("hp", _boost_exact(list(dict.fromkeys(alts))))
    return Term("he", _boost_exact([(f, *keys[1:]) for f in firsts]))


def _boost_exact(alts: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Repeat the form as typed: BM25 sums over the OR-ed variants and gives a rare prefixed variant
    a higher IDF than the word itself, so without this ובארץ would outrank הארץ for a query הארץ."""
    return [alts[0]] * _EXACT_WEIGHT + alts[1:] if len(alts) > 1 else alts


def _en_terms(words: list[str], *, quoted: bool) -> list[Term]:
    words = [w.lower() for w in words]
    if quoted and len(words) > 1:
        return [Term("en", [tuple(words)])]
    table = synonyms()
    terms: list[Term] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        if i + 1 < len(words) and pair in table:  # a two-word term: "yom kippur"
            spellings, i = table[pair], i + 2
        else:
            spellings, i = table.get(words[i], (words[i],)), i + 1
        terms.append(Term("en", [tuple(s.split()) for s in spellings]))
    return terms


def parse(query: str, *, plene: bool = False) -> Query:
    """Turn what the user typed into FTS terms (MadregaError when nothing searchable is left)."""
    if not query or not query.strip():
        raise MadregaError("the search query is empty: type a word or a phrase to look for")
    text = hebrew.normalize(query)
    groups: list[tuple[bool, list[hebrew.Token]]] = []  # (quoted, word tokens)
    quoted: list[hebrew.Token] | None = None
    join_next = False
    for tok in hebrew.tokenize(text):
        if tok.kind == "punct" and tok.text in _QUOTES:
            if quoted is None:
                quoted = []
            else:
                groups.append((True, quoted))
                quoted = None
            continue
        if quoted is not None:
            if tok.kind in ("he", "en"):
                quoted.append(tok)
            continue
        if tok.kind == "punct" and tok.text in (hebrew.MAQAF, "-"):
            join_next = True
            continue
        if tok.kind in ("he", "en"):
            last = groups[-1] if groups else None
            if join_next and last and not last[0] and last[1][-1].kind == tok.kind == "he":
                last[1].append(tok)
            else:
                groups.append((False, [tok]))
        join_next = False
    if quoted:
        groups.append((True, quoted))
    terms: list[Term] = []
    for is_quoted, toks in groups:
        he_words = [t.text for t in toks if t.kind == "he"]
        en_words = [t.text for t in toks if t.kind == "en"]
        if he_words:
            terms.append(_he_term(he_words, prefix_first=not is_quoted, plene=plene))
        if en_words:
            terms.extend(_en_terms(en_words, quoted=is_quoted))
    terms = [t for t in terms if t.alternatives]
    if not terms:
        raise MadregaError(
            f"the query {query!r} has no letters to search for",
            suggestions=["a Hebrew or English word, e.g. ארץ or teshuvah"],
        )
    return Query(terms, _proximity(groups, terms, plene=plene))


def _proximity(
    groups: list[tuple[bool, list[hebrew.Token]]], terms: list[Term], *, plene: bool
) -> list[Term]:
    """The words of an unquoted query of several words, as a phrase in each script."""
    if len(terms) < 2 or any(quoted for quoted, _ in groups):
        return []
    out: list[Term] = []
    he_words = [t.text for _, toks in groups for t in toks if t.kind == "he"]
    if len(he_words) >= 2:
        out.append(_he_term(he_words, prefix_first=True, plene=plene))
    en_terms = [t for t in terms if t.column == "en"]
    en_words = [t.text.lower() for _, toks in groups for t in toks if t.kind == "en"]
    if len(en_words) >= 2 and len(en_terms) == len(en_words):  # no two-word synonym among them
        out.append(Term("en", [tuple(en_words)]))
    return out


# ---------------------------------------------------------------------------- filters


@dataclass
class Filters:
    sql: str = ""
    args: list[Any] = field(default_factory=list)

    def add(self, clause: str, *args: Any) -> None:
        self.sql += f" AND {clause}"
        self.args.extend(args)


def resolve_work(conn: sqlite3.Connection, work: str) -> tuple[str, list[Any]]:
    """A work title (English or Hebrew, any case) or an imported document's title/slug → SQL filter."""
    name = work.strip()
    row = conn.execute(
        "SELECT id FROM works WHERE title = ? COLLATE NOCASE OR he_title = ?", (name, name)
    ).fetchone()
    if row:
        return "r.scope = ?", [row[0]]
    doc = conn.execute(
        "SELECT id FROM documents WHERE slug = ? OR title = ? COLLATE NOCASE", (name, name)
    ).fetchone()
    if doc:
        return "r.doc_id = ?", [doc[0]]
    titles = [r[0] for r in conn.execute("SELECT title FROM works ORDER BY id")]
    titles += [r[0] for r in conn.execute("SELECT title FROM documents ORDER BY id")]
    close = difflib.get_close_matches(name, titles, n=3, cutoff=0.6)
    close += [t for t in titles if name.lower() in t.lower() and t not in close][: 5 - len(close)]
    raise NotFound(f"no work or document titled {work!r} in the library", suggestions=close)


def resolve_category(conn: sqlite3.Connection, category: str) -> list[str]:
    """Stored categories a name stands for: exact (any case), or a family ("Talmud" → Bavli, Yerushalmi)."""
    name = category.strip().lower()
    if name in _DOC_CATEGORY_NAMES:
        return [DOCUMENTS_CATEGORY]
    stored = [r[0] for r in conn.execute("SELECT DISTINCT category FROM works")]
    found = [c for c in stored if c.lower() == name]
    found = found or [c for c in stored if name in c.lower().split()]
    if found:
        return found
    known = ["Tanakh", "Mishnah", "Talmud", "Zohar", "Chasidut", DOCUMENTS_CATEGORY]
    if name in (k.lower() for k in known):
        return [category.strip()]  # a category the library has nothing of yet: no hits, no error
    raise MadregaError(
        f"unknown category {category!r}",
        suggestions=sorted(set(stored) | set(known)),
    )


def resolve_in(conn: sqlite3.Connection, name: str) -> tuple[str | None, str | None]:
    """`--in` takes a work title or a category: (work, category) for the lookup."""
    try:
        resolve_work(conn, name)
        return name, None
    except NotFound as not_work:
        try:
            resolve_category(conn, name)
        except MadregaError:
            cats = [r[0] for r in conn.execute("SELECT DISTINCT category FROM works")]
            raise NotFound(
                f"no work or category named {name!r} in the library",
                suggestions=not_work.suggestions + cats,
            ) from None
        return None, name


def _filters(conn: sqlite3.Connection, work: str | None, category: str | None, lang: str | None) -> Filters:
    f = Filters()
    if work:
        clause, args = resolve_work(conn, work)
        f.add(clause, *args)
    if category:
        cats = resolve_category(conn, category)
        f.add(f"r.category IN ({','.join('?' * len(cats))})", *cats)
    if lang:
        code = lang.strip().lower()
        if code not in ("he", "en"):
            raise MadregaError(f"unknown language {lang!r}: use he or en", suggestions=["he", "en"])
        f.add("r.lang = ?", code)
    return f


# ---------------------------------------------------------------------------- search


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    work: str | None = None,
    category: str | None = None,
    lang: str | None = None,
    limit: int = 20,
    offset: int = 0,
    plene: bool = False,
) -> SearchResult:
    """Ranked hits for `query` across the library, one page (`limit`, `offset`) and the `total`."""
    if limit < 0 or offset < 0:
        raise MadregaError("limit and offset must be zero or more")
    if limit > MAX_PAGE or offset > MAX_OFFSET:
        raise MadregaError(f"a page is at most {MAX_PAGE} hits, starting at most {MAX_OFFSET:,} hits in")
    parsed_all = parse(query, plene=plene)
    ranking = _ranking(conn)
    parsed = _present_only(conn, parsed_all, ranking.key)
    filters = _filters(conn, work, category, lang)
    if parsed is None:  # a word the library does not have: nothing can match
        return SearchResult(query=query, total=0, limit=limit, offset=offset)
    match = parsed.fts()
    if filters.sql:
        base = "FROM search_fts JOIN search_rows r ON r.id = search_fts.rowid WHERE search_fts MATCH ?"
    else:
        base = "FROM search_fts WHERE search_fts MATCH ?"
    args = [match, *filters.args]
    rows: list[tuple[Any, ...]] = []
    phrase = _phrase_of(parsed)
    # which rows match, without a score: each alternative once (an OR of the same list three times
    # walks it three times; a third less engine time for a query with a common word)
    rows_only = [parsed.fts(once=True), *filters.args]
    few = _scored_here(conn, parsed, ranking, base + filters.sql, rows_only) if limit else None
    if few is not None:
        rows = _page_of_few(conn, ranking, *few, phrase, limit, offset)
        if not rows:
            return SearchResult(query=query, total=len(few[0]), limit=limit, offset=offset)
    elif limit and phrase is not None and offset + limit <= RERANK:
        rows = _source_first(conn, ranking, base + filters.sql, args, phrase, limit, offset)
    elif limit:
        cur = conn.execute(_PAGE.format(base=base + filters.sql, prior=ranking.prior), [*args, limit, offset])
        cur.row_factory = None
        rows = cur.fetchall()
    if rows:
        total = rows[0][-1]
    elif offset == 0 and limit:
        total = 0
    else:
        total = conn.execute(f"SELECT count(*) {base}{filters.sql}", rows_only).fetchone()[0]
    result = SearchResult(query=query, total=total, limit=limit, offset=offset)
    if rows:
        result.hits = _hits(conn, parsed, match, rows)
    return result


def prepare(conn: sqlite3.Connection) -> None:
    """Read what every search of this library needs first (its rows' ranking by category), so that the
    first search of a server that has just started does not wait for it."""
    _ranking(conn)


RERANK = 200  # a query of several words reorders its best this many hits (see `_source_first`)
_EN_WORD = re.compile(r"[a-z0-9]+")


def _phrase_of(parsed: Query) -> list[Term] | None:
    """For a query of several words: its words as phrases (the words standing together, in order; an
    empty list when every match has them so, a quoted phrase); None for a query of one word."""
    if parsed.proximity:
        near = [t for t in parsed.proximity if t.alternatives]
        return near or None
    if len(parsed.terms) == 1 and all(len(alt) >= 2 for alt in parsed.terms[0].alternatives):
        return []
    return None


def _together(conn: sqlite3.Connection, ids: list[int], phrases: list[Term]) -> set[int]:
    """The rows among `ids` where one of the phrases stands, word after word: read from the rows'
    indexed keys (asking FTS5 would evaluate the phrase over the whole index). An indexed column is its keys joined by single spaces, so a phrase stands in it
    exactly where " a b " is a substring of " text " (found in C; a row of the Talmud holds hundreds of
    words)."""
    if not phrases:
        return set(ids)
    wanted: dict[str, list[tuple[str, ...]]] = {}
    for t in phrases:
        wanted.setdefault(t.column, []).extend(dict.fromkeys(t.alternatives))
    finders = {column: PhraseFinder.of(alternatives) for column, alternatives in wanted.items()}
    texts = _indexed_texts(conn, ids, sorted(wanted))
    found: set[int] = set()
    for rowid in ids:
        row = texts.get(rowid, {})
        for column, finder in finders.items():
            text = row.get(column) or ""
            if column == "en":
                text = " ".join(_EN_WORD.findall(text.lower()))
            if finder.holds(f" {text} "):
                found.add(rowid)
                break
    return found


def _indexed_texts(
    conn: sqlite3.Connection, ids: list[int], columns: Sequence[str]
) -> dict[int, dict[str, str]]:
    """The indexed columns of these rows, by rowid (one statement, whatever the number of rows)."""
    names = [c for c in ("he", "hp", "en") if c in columns]
    # FTS5's content table holds the columns as c0, c1, c2 (read there: half the cost of the same
    # lookups through the virtual table)
    stored = ", ".join(f"c{('he', 'hp', 'en').index(c)}" for c in names)
    cur = conn.execute(
        f"SELECT id, {stored} FROM search_fts_content WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    cur.row_factory = None
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in cur}


#: A query of several words (AND-ed terms) matching at most this many rows is scored here
#: (`bm25.scores`), not by FTS5's bm25(): what bm25() spends on the query's phrases before its first row
#: (a walk of every prefixed variant's whole list) then outweighs scoring the rows in Python, ~25 us a
#: row against bm25()'s ~2 (bench/search.py's queries, CPU time: warm p95 5.3 → 3.4-3.7 ms at 50,
#: 4.4-5.4 at 300).
FEW = 60


def _scored_here(
    conn: sqlite3.Connection, parsed: Query, ranking: _Ranking, base: str, args: list[Any]
) -> tuple[list[tuple[int, float]], set[int]] | None:
    """The matches of a Hebrew query with few of them, each with its score as the SQL ranking would
    give it (bm25 × the category's prior), best first; and those where the query's words stand together
    (see `_phrase_of`). None for a query with many matches or English words (FTS5 ranks those)."""
    if parsed.has_english() or ranking.weights is None:
        return None
    if len(parsed.terms) < 2:
        return None  # one word or phrase: the lists bm25() walks are walked to find its rows anyway
    cur = conn.execute(f"SELECT search_fts.rowid {base} LIMIT {FEW + 1}", args)
    cur.row_factory = None
    ids = [r[0] for r in cur]
    if len(ids) > FEW:
        return None
    from madrega.study.search import bm25

    phrases = [(t.column, alt) for t in parsed.terms for alt in t.alternatives]
    phrase = _phrase_of(parsed)
    near = list(dict.fromkeys((t.column, alt) for t in phrase or () for alt in t.alternatives))
    columns = sorted({c for c, _ in (*phrases, *near)})
    found, together = bm25.scores(conn, ranking.key, phrases, bm25.read_rows(conn, ids, columns), near)
    if not near:
        together = set(ids)
    prior = ranking.prior_of
    scored = sorted(((i, found[i] * prior(i)) for i in ids), key=lambda r: (r[1], r[0]))
    return scored, together


def _page_of_few(
    conn: sqlite3.Connection,
    ranking: _Ranking,
    scored: list[tuple[int, float]],
    together: set[int],
    phrase: list[Term] | None,
    limit: int,
    offset: int,
) -> list[tuple[Any, ...]]:
    """The page of a query scored here, ordered as `_source_first` or `_PAGE` would order it."""
    if phrase is not None and offset + limit <= RERANK:
        best = scored[:RERANK]
        source_rank = ranking.source_rank
        best.sort(
            key=lambda r: (r[0] not in together, source_rank(r[0]) if r[0] in together else 0, r[1], r[0])
        )
        page = best[offset : offset + limit]
    else:
        page = scored[offset : offset + limit]
    return _details(conn, page, len(scored))


def _details(conn: sqlite3.Connection, page: list[tuple[int, float]], total: int) -> list[tuple[Any, ...]]:
    if not page:
        return []
    values = ",".join("(?, ?, ?)" for _ in page)
    flat = [x for i, (rowid, score) in enumerate(page) for x in (rowid, score, i)]
    cur = conn.execute(_DETAILS.format(values=values), [*flat, total])
    cur.row_factory = None
    return cur.fetchall()


def _source_first(
    conn: sqlite3.Connection,
    ranking: _Ranking,
    base: str,
    args: list[Any],
    phrase: list[Term],
    limit: int,
    offset: int,
) -> list[tuple[Any, ...]]:
    """The page of a query of several words: of its best RERANK hits (BM25 with the prior), those where
    the words stand together come first, the source before the works that quote it (Tanakh, Mishnah,
    Talmud, Midrash, Zohar, later works), each by BM25; then the rest by BM25."""
    cur = conn.execute(
        f"WITH m AS MATERIALIZED (SELECT search_fts.rowid AS id, bm25(search_fts) * {ranking.prior} AS score "
        f"{base}) SELECT id, score, (SELECT count(*) FROM m) FROM m ORDER BY score, id LIMIT ?",
        [*args, RERANK],
    )
    cur.row_factory = None
    best = cur.fetchall()
    if not best:
        return []
    source_rank = ranking.source_rank
    # The hits where the words stand together come first, by (source rank, score, id): checked in that
    # order, a chunk at a time, they are known to fill the page as soon as enough of them are found
    # (the rows not checked yet come after them either way); the rest only when they do not.
    by_source = sorted(best, key=lambda r: (source_rank(r[0]), r[1], r[0]))
    wanted = offset + limit
    together: list[tuple[int, float, int]] = []
    checked = 0
    while checked < len(by_source) and len(together) < wanted:
        chunk = by_source[checked : checked + max(2 * (wanted - len(together)), 20)]
        checked += len(chunk)
        ids = [r[0] for r in chunk]
        holding = _together(conn, ids, phrase)
        together.extend(r for r in chunk if r[0] in holding)
    if len(together) >= wanted:
        page = together[offset:wanted]
    else:
        held = {r[0] for r in together}
        page = (together + sorted((r for r in best if r[0] not in held), key=lambda r: (r[1], r[0])))[
            offset:wanted
        ]
    return _details(conn, [(rowid, score) for rowid, score, _ in page], best[0][2])


# ---------------------------------------------------------------------------- ranking

#: How much a category's own words weigh against quotations of them elsewhere: a phrase is found in its
#: source first (Tanakh, then Mishnah, Talmud, Midrash, Zohar, later works, then the user's documents).
PRIOR = (
    ("tanakh", 1.6),
    ("mishnah", 1.4),
    ("talmud", 1.25),
    ("midrash", 1.15),
    ("zohar", 1.1),
    ("kabbalah", 1.1),
)
PRIOR_OTHER = 1.0
PRIOR_DOCUMENTS = 0.9


def category_prior(category: str) -> float:
    name = category.lower()
    if name == DOCUMENTS_CATEGORY.lower():
        return PRIOR_DOCUMENTS
    return next((weight for word, weight in PRIOR if word in name), PRIOR_OTHER)


#: The order in which sources come when several hold the words together (the canon's order).
SOURCE_ORDER = ("tanakh", "mishnah", "talmud", "midrash", "zohar")


def source_rank(category: str) -> int:
    name = category.lower()
    if name == DOCUMENTS_CATEGORY.lower():
        return len(SOURCE_ORDER) + 1
    if "kabbalah" in name:
        name = "zohar"
    return next((i for i, word in enumerate(SOURCE_ORDER) if word in name), len(SOURCE_ORDER))


@dataclass
class _Ranking:
    """A library's rows by category, as id ranges (segment ids come in ranges per version, so a few
    ranges cover the library): the prior as an SQL expression of `search_fts.rowid` (no join per
    match), and the source rank of a row id."""

    prior: str
    ends: list[int]  # the last id of each range, ascending
    ranks: list[int]
    weights: list[float] | None  # each range's prior (None: the prior is read per row, see `_ranking`)
    key: tuple[str, int]  # the library and its search generation

    def prior_of(self, rowid: int) -> float:
        """The prior `prior` gives this row (the same branches, in the same order)."""
        if rowid < 0:
            return PRIOR_DOCUMENTS
        for hi, weight in zip(self.ends, self.weights or (), strict=False):
            if rowid <= hi:
                return weight
        return PRIOR_OTHER

    def source_rank(self, rowid: int) -> int:
        if rowid < 0:
            return len(SOURCE_ORDER) + 1
        i = bisect.bisect_left(self.ends, rowid)
        return self.ranks[i] if i < len(self.ranks) else len(SOURCE_ORDER)


_RANKINGS: dict[tuple[str, int], _Ranking] = {}


def _ranking(conn: sqlite3.Connection) -> _Ranking:
    from madrega.study.search.index import generation

    key = (str(conn.execute("PRAGMA database_list").fetchone()[2]) or f"memory:{id(conn)}", generation(conn))
    found = _RANKINGS.get(key)
    if found is not None:
        return found
    ranges: list[tuple[int, float, int]] = []  # (last id, prior, source rank)
    # Each version's first and last row from the index on version_id (a few lookups per version; a
    # GROUP BY over the rows reads all 170k of them, a quarter of a second in every new process). A
    # row with a positive id is a segment, so it has a version.
    for hi, category in conn.execute(
        "SELECT hi, (SELECT category FROM search_rows WHERE id = hi) FROM ("
        " SELECT (SELECT min(id) FROM search_rows WHERE version_id = v.id) AS lo,"
        " (SELECT max(id) FROM search_rows WHERE version_id = v.id) AS hi FROM versions v"
        ") WHERE hi > 0 ORDER BY lo"
    ):
        weight, rank = category_prior(category), source_rank(category)
        if ranges and ranges[-1][1:] == (weight, rank):
            ranges[-1] = (hi, weight, rank)
        else:
            ranges.append((hi, weight, rank))
    if len(ranges) > 200:  # versions interleaved beyond reason: read each row's category instead
        cases = " ".join(
            f"WHEN '{c.replace(chr(39), chr(39) * 2)}' THEN {category_prior(c)}"
            for (c,) in conn.execute("SELECT DISTINCT category FROM search_rows")
        )
        prior = f"(SELECT CASE category {cases} ELSE {PRIOR_OTHER} END FROM search_rows WHERE id = search_fts.rowid)"
    else:
        branches = " ".join(f"WHEN search_fts.rowid <= {hi} THEN {w}" for hi, w, _ in ranges)
        prior = f"(CASE WHEN search_fts.rowid < 0 THEN {PRIOR_DOCUMENTS} {branches} ELSE {PRIOR_OTHER} END)"
    weights = None if len(ranges) > 200 else [w for _, w, _ in ranges]
    found = _Ranking(prior, [hi for hi, _, _ in ranges], [rank for _, _, rank in ranges], weights, key)
    if len(_RANKINGS) > 16:
        _RANKINGS.clear()
    _RANKINGS[key] = found
    return found


#: Whether the library has a key, per state of its index: (library, search generation, FTS5's
#: averages record: rows and tokens, so that a state rolled back and another written at the same
#: generation are told apart) → key → present. A query's prefixed variants are mostly absent and
#: common words come back in query after query.
_KNOWN_KEYS: dict[tuple[tuple[str, int], bytes], dict[str, bool]] = {}
_KNOWN_KEYS_MAX = 200_000


def _known_keys(conn: sqlite3.Connection, library: tuple[str, int] | None) -> dict[str, bool]:
    if library is None:
        return {}
    row = conn.execute("SELECT block FROM search_fts_data WHERE id = 1").fetchone()
    key = (library, bytes(row[0]) if row and row[0] else b"")
    found = _KNOWN_KEYS.get(key)
    if found is None or len(found) > _KNOWN_KEYS_MAX:
        _KNOWN_KEYS.clear()
        found = _KNOWN_KEYS[key] = {}
    return found


def _present_only(
    conn: sqlite3.Connection, parsed: Query, library: tuple[str, int] | None = None
) -> Query | None:
    """The query without the prefixed variants the library has no word for (most of the thirty):
    the same matches and scores, far less work for the engine. None when a term has none left.
    `library` (a `_Ranking.key`) keeps what was looked up for the next queries."""
    keys = {
        w
        for t in (*parsed.terms, *parsed.proximity)
        if t.column == "he"
        for alt in t.alternatives
        for w in alt
    }
    if not keys:
        return parsed
    known = _known_keys(conn, library)
    listed = sorted(keys.difference(known))
    for i in range(0, len(listed), 500):
        chunk = listed[i : i + 500]
        cur = conn.execute(f"SELECT key FROM search_vocab WHERE key IN ({','.join('?' * len(chunk))})", chunk)
        cur.row_factory = None
        found = {r[0] for r in cur}
        known.update((key, key in found) for key in chunk)
    present = {key for key in keys if known[key]}

    def keep(term: Term) -> Term:
        if term.column != "he":
            return term
        return Term(term.column, [alt for alt in term.alternatives if present.issuperset(alt)])

    terms = [keep(t) for t in parsed.terms]
    if any(not t.alternatives for t in terms):
        return None
    return Query(terms, [keep(t) for t in parsed.proximity])


# One pass over the index: the matches with their BM25 scores are kept aside once, counted, and
# ranked; only the page's rows are then joined to their text, work and document. Their indexed keys
# (he, hp) come from FTS5's own content table (columns c0, c1): a lookup by id there costs half what
# the same lookup through the virtual table does.
_PAGE = (
    "WITH m AS MATERIALIZED (SELECT search_fts.rowid AS id, bm25(search_fts) * {prior} AS score {base}), "
    "page AS (SELECT id, score FROM m ORDER BY score, id LIMIT ? OFFSET ?) "
    "SELECT page.id, page.score, s.ref, s.plain, w.title, v.lang, w.category, "
    "d.ord, d.ref, d.plain, doc.title, d.lang, doc.slug, f.c0, f.c1, (SELECT count(*) FROM m) FROM page "
    "LEFT JOIN search_fts_content f ON f.id = page.id "
    "LEFT JOIN segments s ON page.id > 0 AND s.id = page.id "
    "LEFT JOIN versions v ON v.id = s.version_id "
    "LEFT JOIN works w ON w.id = v.work_id "
    "LEFT JOIN doc_segments d ON page.id < 0 AND d.id = -page.id "
    "LEFT JOIN documents doc ON doc.id = d.doc_id "
    "ORDER BY page.score, page.id"
)
# The same columns for a page already chosen (ids, scores and their order given).
_DETAILS = (
    "WITH page(id, score, pos) AS (VALUES {values}) "
    "SELECT page.id, page.score, s.ref, s.plain, w.title, v.lang, w.category, "
    "d.ord, d.ref, d.plain, doc.title, d.lang, doc.slug, f.c0, f.c1, ? FROM page "
    "LEFT JOIN search_fts_content f ON f.id = page.id "
    "LEFT JOIN segments s ON page.id > 0 AND s.id = page.id "
    "LEFT JOIN versions v ON v.id = s.version_id "
    "LEFT JOIN works w ON w.id = v.work_id "
    "LEFT JOIN doc_segments d ON page.id < 0 AND d.id = -page.id "
    "LEFT JOIN documents doc ON doc.id = d.doc_id "
    "ORDER BY page.pos"
)


def _hits(conn: sqlite3.Connection, parsed: Query, match: str, rows: list[tuple[Any, ...]]) -> list[Hit]:
    matcher = _HebrewMatcher.of(parsed)
    english = _english_spans(conn, match, [r[0] for r in rows]) if parsed.has_english() else {}
    hits = []
    for (
        rowid,
        score,
        ref,
        plain,
        work,
        lang,
        category,
        d_ord,
        d_ref,
        d_plain,
        d_title,
        d_lang,
        slug,
        he_keys,
        hp_keys,
        _,
    ) in rows:
        if rowid < 0:
            ref = d_ref or f"{d_title} {d_ord}"
            plain, work, lang, category = d_plain, d_title, d_lang, DOCUMENTS_CATEGORY
        else:
            slug = None
        spans = english.get(rowid, [])
        if matcher is not None:
            indexed = hp_keys if matcher.slot else he_keys
            spans = matcher.spans(plain, indexed, spans[0][0] if spans else None) + spans
        hits.append(
            Hit(
                ref=ref,
                text=plain,
                snippet=snippet(plain, spans),
                score=round(-float(score), 4),
                work=work,
                lang=lang,
                category=category,
                document=slug,
            )
        )
    return hits


@dataclass
class _HebrewMatcher:
    """The Hebrew alternatives of a query by first key, to map matches back to spans of the original
    (niqqud-preserving) text."""

    slot: int  # 0: defective keys, 1: plene keys
    by_first: dict[str, list[tuple[str, ...]]]
    longest: int  # words in the longest alternative

    @classmethod
    def of(cls, parsed: Query) -> _HebrewMatcher | None:
        he_terms = [t for t in parsed.terms if t.column in ("he", "hp")]
        if not he_terms:
            return None
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for term in he_terms:
            for alt in term.alternatives:
                alts = by_first.setdefault(alt[0], [])
                if alt not in alts:
                    alts.append(alt)
        longest = max(len(alt) for alts in by_first.values() for alt in alts)
        return cls(1 if he_terms[0].column == "hp" else 0, by_first, longest)

    def spans(
        self,
        plain: str,
        indexed: str | None = None,
        other_first: int | None = None,
        width: int = _SNIPPET_CHARS,
    ) -> list[tuple[int, int]]:
        """Spans of the matched words, up to the last one a snippet around the first match can show
        (words past `width` characters after the first match, Hebrew or `other_first`, are left out).

        `indexed` is the row's key column as indexed: one key per Hebrew word of `plain`, in order (no
        Hebrew word has an empty key), so the text is only read as far as the matches shown."""
        found = None if indexed is None else self._spans(plain, indexed.split(), other_first, width)
        if found is None:  # not given, or it does not line up with the text (an index of another version)
            found = self._spans(plain, _keys_of(HEBREW_WORD.findall(plain), self.slot), other_first, width)
        return found or []

    def _spans(
        self, plain: str, keys: list[str], other_first: int | None, width: int
    ) -> list[tuple[int, int]] | None:
        by_first = self.by_first
        found = list(itertools.compress(itertools.count(), map(by_first.__contains__, keys)))
        if not found:
            return []
        if self.longest == 1:
            return self._word_spans(plain, keys, found, other_first, width)
        words = HEBREW_WORD.finditer(plain)
        # the spans of the words read so far that a match needs (word index → span); the words between
        # matches are skipped in C, never turned into spans (a long row holds hundreds of them)
        bounds: dict[int, tuple[int, int]] = {}
        read = 0  # words read from `words`
        checked = 0  # words up to here are known to have the keys given
        stop = len(plain) if other_first is None else other_first + width
        spans: list[tuple[int, int]] = []
        for i in found:
            for alt in by_first[keys[i]]:
                n = len(alt)
                if n > 1 and tuple(keys[i : i + n]) != alt:
                    continue
                last = min(i + n, len(keys)) - 1
                if last >= read:
                    first = max(i, read)
                    if first > read:
                        _skip(itertools.islice(words, first - read))
                    got = [m.span() for m in itertools.islice(words, last + 1 - first)]
                    bounds.update(zip(range(first, first + len(got)), got, strict=True))
                    read = first + len(got)
                    if last >= read:
                        return None
                if last >= checked:
                    text = [plain[a:b] for a, b in (bounds[k] for k in range(i, last + 1))]
                    if _keys_of(text, self.slot) != keys[i : last + 1]:
                        return None
                    checked = last + 1
                start = bounds[i][0]
                if start >= stop:
                    return spans
                if not spans:  # the first match: nothing past the snippet's width shows
                    stop = min(stop, start + width)
                spans.append((start, bounds[last][1]))
        return spans

    def _word_spans(
        self, plain: str, keys: list[str], found: list[int], other_first: int | None, width: int
    ) -> list[tuple[int, int]] | None:
        """`_spans` when every alternative is one word: each match is one word, read straight after
        the words before it are skipped (in C), and checked against its key."""
        words = HEBREW_WORD.finditer(plain)
        islice = itertools.islice
        cache = _WORD_KEYS[self.slot]
        read = 0
        stop = len(plain) if other_first is None else other_first + width
        spans: list[tuple[int, int]] = []
        for i in found:
            match = next(islice(words, i - read, None), None)
            if match is None:
                return None
            read = i + 1
            start, end = match.span()
            word = plain[start:end]
            key = cache.get(word)
            if key is None:
                key = _keys_of([word], self.slot)[0]
            if key != keys[i]:
                return None
            if start >= stop:
                return spans
            if not spans:  # the first match: nothing past the snippet's width shows
                stop = min(stop, start + width)
            spans.append((start, end))
        return spans


def _skip(items: Iterator[Any]) -> None:
    """Consume an iterator without keeping anything (a zero-length deque consumes it in C)."""
    collections.deque(items, maxlen=0)


# word → key (slot 0) and plene key (slot 1), looked up with a C-level map for every word of a hit.
_WORD_KEYS: tuple[dict[str, str], dict[str, str]] = ({}, {})
_WORD_KEYS_MAX = 200_000


def _keys_of(words: list[str], slot: int) -> list[str]:
    cache = _WORD_KEYS[slot]
    found = list(map(cache.get, words))
    if None not in found:
        return cast(list[str], found)
    if len(cache) > _WORD_KEYS_MAX:
        cache.clear()
    keys = []
    for word, key in zip(words, found, strict=True):
        if key is None:
            key = cache[word] = word_keys(word)[slot]
        keys.append(key)
    return keys


_HL = re.compile("\x01(.*?)\x02", re.DOTALL)


def _english_spans(
    conn: sqlite3.Connection, match: str, rowids: list[int]
) -> dict[int, list[tuple[int, int]]]:
    """The English matches of the page's rows (porter-stemmed, as FTS5 found them), in one statement."""
    cur = conn.execute(
        "SELECT rowid, highlight(search_fts, 2, char(1), char(2)) FROM search_fts "
        f"WHERE search_fts MATCH ? AND rowid IN ({','.join('?' * len(rowids))})",
        (match, *rowids),
    )
    cur.row_factory = None
    found: dict[int, list[tuple[int, int]]] = {}
    for rowid, marked in cur:
        if not marked:
            continue
        spans: list[tuple[int, int]] = []
        removed = 0
        for m in _HL.finditer(marked):
            start = m.start() - removed
            spans.append((start, start + len(m.group(1))))
            removed += 2
        found[rowid] = spans
    return found


def snippet(text: str, spans: list[tuple[int, int]], width: int = _SNIPPET_CHARS) -> str:
    """A window of `text` around the first match, HTML-escaped, matches wrapped in <mark>."""
    spans = _merge(spans)
    if len(text) <= width:
        lo, hi = 0, len(text)
    else:
        first = spans[0][0] if spans else 0
        lo = max(0, first - width // 3)
        hi = min(len(text), lo + width)
        lo = max(0, min(lo, hi - width))
        if lo > 0:
            cut = text.find(" ", lo)
            lo = cut + 1 if 0 <= cut < first else lo
        if hi < len(text):
            cut = text.rfind(" ", lo, hi)
            hi = cut if cut > (spans[0][1] if spans else lo) else hi
    out: list[str] = ["…"] if lo > 0 else []
    pos = lo
    window = text[lo:hi]
    if "\x01" in window or "\x02" in window:  # the marks below would be taken for the text's own
        for start, end in spans:
            if end <= lo or start >= hi:
                continue
            start, end = max(start, lo), min(end, hi)
            out.append(html.escape(text[pos:start], quote=False))
            out.append(MARK_OPEN + html.escape(text[start:end], quote=False) + MARK_CLOSE)
            pos = end
        out.append(html.escape(text[pos:hi], quote=False))
    else:
        # the window with \x01 and \x02 around the matches, escaped once, the marks made <mark> tags
        # (escaping changes no other character: the same as escaping each piece)
        raw: list[str] = []
        for start, end in spans:
            if end <= lo or start >= hi:
                continue
            start, end = max(start, lo), min(end, hi)
            raw += (text[pos:start], "\x01", text[start:end], "\x02")
            pos = end
        raw.append(text[pos:hi])
        marked = html.escape("".join(raw), quote=False)
        out.append(marked.replace("\x01", MARK_OPEN).replace("\x02", MARK_CLOSE))
    if hi < len(text):
        out.append("…")
    return "".join(out)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
