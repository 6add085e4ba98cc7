"""The seed documents against their hand-checked gold annotations."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linker_library import library_path
from madrega import api
from madrega.study.linker import link

DOCS = ("tanya-lesson.txt", "breslov-blog.txt")
_MARKS = "[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]"


def _loose_find(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` stands in `text`, whatever niqqud either of them carries."""
    bare = re.sub(_MARKS, "", quote)
    m = re.search("".join(re.escape(ch) + f"{_MARKS}*" for ch in bare), text)
    return (m.start(), m.end()) if m else None


@pytest.fixture(scope="module")
def lib() -> Iterator[sqlite3.Connection]:
    conn = api.connect(library_path())
    yield conn
    conn.close()


@pytest.mark.parametrize("name", DOCS)
def test_written_references_equal_gold(seeds: Path, gold: dict[str, Any], name: str) -> None:
    text = (seeds / name).read_text(encoding="utf-8")
    found = [(c.text, c.ref) for c in link(text) if c.kind == "reference"]
    expected = [(e["text"], e["ref"]) for e in gold[name]["explicit"]]
    assert sorted(found) == sorted(expected)


def test_hebrew_quotations_found_with_gold_ref_first(
    seeds: Path, gold: dict[str, Any], lib: sqlite3.Connection
) -> None:
    name = "tanya-lesson.txt"
    text = (seeds / name).read_text(encoding="utf-8")
    citations = [
        c
        for c in link(text, conn=lib, context_ref="Tanya, Part III; Iggeret HaTeshuvah 10")
        if c.kind == "quotation"
    ]
    hebrew = [q for q in gold[name]["quotations"] if q["lang"] == "he"]
    hits = []
    for q in hebrew:
        m = _loose_find(text, q["text"])
        assert m is not None, q["text"]
        span = m
        overlapping = [c for c in citations if c.start < span[1] and span[0] < c.end]
        if any(c.ref == q["ref"] for c in overlapping):
            hits.append(q["ref"])
    assert len(hits) >= 7, f"found {hits} of {[q['ref'] for q in hebrew]}"
