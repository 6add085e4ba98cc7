"""The array finder finds exactly what growing each seed by itself, word by word, finds — on texts
made of the library's own words: quoted fragments, elisions, introducers, prefixes, other scripts."""

from __future__ import annotations

import itertools
import random
import sqlite3
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quotes_reference
from linker_library import library_path
from madrega import db
from madrega.study.linker import quotations as Q

FIXTURES = Path(__file__).parent / "fixtures" / "linker"


@pytest.fixture(scope="module")
def lib() -> Iterator[sqlite3.Connection]:
    conn = db.connect(library_path())
    yield conn
    conn.close()


@cache
def _segments() -> tuple[str, ...]:
    conn = db.connect(library_path())
    rng = random.Random(17)
    rows = [r[0] for r in conn.execute("SELECT plain FROM segments ORDER BY id")]
    conn.close()
    return tuple(rng.sample(rows, 400))


def _as_tuples(found: list[Q.Quotation]) -> list[tuple[int, int, list[str], float, int]]:
    return [(q.start, q.end, q.refs, q.score, q.words) for q in found]


def _same(text: str, conn: sqlite3.Connection) -> None:
    index = Q.index_for(conn)
    assert _as_tuples(Q.find_quotations(text, index)) == _as_tuples(quotes_reference.find(text, index))


def test_fixture_and_library_passages(lib: sqlite3.Connection) -> None:
    _same((FIXTURES / "hebrew.txt").read_text(encoding="utf-8"), lib)
    _same("\n".join(_segments()[:120]), lib)  # the library's own passages: long runs, many places


_GLUE = ["וגו'", "וכו'", '"', "שנאמר", "כמו שכתוב", "\n", "see p. 3", "(", ")", ",", ":", "ו", "ה'", "אמר"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    segments = _segments()
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    pieces: list[str] = []
    for _ in range(draw(st.integers(1, 25))):
        words = rng.choice(segments).split()
        if not words:
            continue
        i = rng.randrange(len(words))
        fragment = words[i : i + rng.randint(1, 14)]
        if rng.random() < 0.3 and len(fragment) > 3:  # an elision inside a quoted verse
            fragment[rng.randrange(1, len(fragment) - 1)] = rng.choice(["וגו'", "וכו'"])
        if rng.random() < 0.2:
            fragment[0] = "ו" + fragment[0]
        if rng.random() < 0.3:
            fragment = ['"', *fragment, '"']
        pieces.extend(fragment)
        if rng.random() < 0.5:
            pieces.append(rng.choice(_GLUE))
        pieces.extend(rng.choice(rng.choice(segments).split() or ["אבל"]) for _ in range(rng.randint(0, 4)))
    text = " ".join(pieces)
    return text.replace('" ', '"') if draw(st.booleans()) else text


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=texts())
def test_same_quotations_as_word_by_word(lib: sqlite3.Connection, text: str) -> None:
    _same(text, lib)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=texts(), block=st.integers(40, 400))
def test_blocks_cut_at_new_lines_change_nothing(lib: sqlite3.Connection, text: str, block: int) -> None:
    words = text.split(" ")
    text = " ".join(w + ("\n" if i % 7 == 6 else "") for i, w in enumerate(words))
    lines = [-1, *(i for i, ch in enumerate(text) if ch == "\n"), len(text)]
    if max(b - a for a, b in itertools.pairwise(lines)) >= block:
        block = max(b - a for a, b in itertools.pairwise(lines)) + 1  # every window holds a new line
    index = Q.index_for(lib)
    whole = _as_tuples(Q.find_quotations(text, index))
    assert _as_tuples(list(Q.iter_quotations(text, index, block_chars=block))) == whole
