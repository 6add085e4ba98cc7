"""The measurement data is well-formed: the real-text gold and the peers' tables (not our accuracy).

bench/accuracy.py scores madrega on these files; a span that does not cover its text, a missing
source or a table that no longer parses would make every figure it prints wrong.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent / "data"
REALTEXT = sorted((DATA / "realtext").glob("*.json"))
PEERS = DATA / "peers"
CATEGORIES = {"en_ref", "he_ref", "ibid", "context", "quotation"}
OT_BOOKS = {
    "Gen",
    "Exod",
    "Lev",
    "Num",
    "Deut",
    "Josh",
    "Judg",
    "Ruth",
    "1Sam",
    "2Sam",
    "1Kgs",
    "2Kgs",
    "1Chr",
    "2Chr",
    "Ezra",
    "Neh",
    "Esth",
    "Job",
    "Ps",
    "Prov",
    "Eccl",
    "Song",
    "Isa",
    "Jer",
    "Lam",
    "Ezek",
    "Dan",
    "Hos",
    "Joel",
    "Amos",
    "Obad",
    "Jonah",
    "Mic",
    "Nah",
    "Hab",
    "Zeph",
    "Hag",
    "Zech",
    "Mal",
}


def _doc(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _tsv(name: str) -> list[dict[str, str]]:
    with (PEERS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_development_set_is_large_and_mixed() -> None:
    docs = [_doc(p) for p in REALTEXT]
    assert len(docs) >= 45
    assert {d["lang"] for d in docs} == {"en", "he", "mixed"}
    cats = {g["category"] for d in docs for g in d["gold"]}
    assert cats == CATEGORIES
    assert sum(d["genre"] == "quotation" for d in docs) >= 5


@pytest.mark.parametrize("path", REALTEXT, ids=[p.stem for p in REALTEXT])
def test_a_document_is_well_formed(path: Path) -> None:
    d = _doc(path)
    assert d["id"] == path.stem
    assert re.match(r"^(https?://\S+|[\w.-]+/[\w.-]+:\S+@[0-9a-f]{40})", d["source"]), d["source"]
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", d["retrieved"])
    assert d["lang"] in {"en", "he", "mixed"}
    assert d["genre"] and d["text"].strip()
    text = d["text"]
    previous_end = -1
    for g in d["gold"]:
        assert 0 <= g["start"] < g["end"] <= len(text)
        assert text[g["start"] : g["end"]] == g["text"], g
        assert isinstance(g["ref"], str) and g["ref"].strip() == g["ref"] and g["ref"]
        assert g["category"] in CATEGORIES
        assert g["start"] >= previous_end, f"gold overlaps the one before it: {g}"
        previous_end = g["end"]
        assert all(isinstance(a, str) and a for a in g.get("also", []))
        assert g.get("written", "x") and g.get("written") != g["ref"]
    for i in d.get("ignore", []):
        assert text[i["start"] : i["end"]] == i["text"]
        assert not any(i["start"] < g["end"] and g["start"] < i["end"] for g in d["gold"])


def test_quotation_documents_have_no_written_refs_left() -> None:
    for path in REALTEXT:
        d = _doc(path)
        if d["genre"] == "quotation":
            assert all(g["category"] == "quotation" for g in d["gold"])
            assert not re.search(
                r"\([^()]*[\u05d0-\u05ea]+ [\u05d0-\u05ea\"']{1,4}, [\u05d0-\u05ea\"']{1,4}\)", d["text"]
            )


def test_sefaria_ref_table_parses() -> None:
    rows = _tsv("sefaria_ref.tsv")
    assert len(rows) >= 100
    for r in rows:
        assert r["input"], r
        assert r["kind"] in {"normal", "equal", "refuse", "valid", "book"}
        assert (r["expected"] == "") == (r["kind"] == "refuse"), r
        assert r["file"].startswith("sefaria/model/tests/")


def test_sefaria_link_table_parses() -> None:
    cases = json.loads((PEERS / "sefaria_link.json").read_text(encoding="utf-8"))
    assert len(cases) >= 40
    for c in cases:
        assert c["text"] and isinstance(c["expected"], list)
        assert all(isinstance(e, str) and e for e in c["expected"])


def test_bcv_tables_parse() -> None:
    ot = _tsv("bcv_ot.tsv")
    assert len(ot) >= 2000
    for r in ot:
        assert r["class"] in {"full_name", "standard_abbrev", "other"}
        assert r["versification_differs"] in {"0", "1"}
        assert (r["expected"] == "") == (r["osis"] == "")
        if r["osis"]:
            assert r["osis"].split(".")[0] in OT_BOOKS
    refuse = _tsv("bcv_refuse.tsv")
    assert len(refuse) >= 1000
    assert all(r["osis"].split(".")[0] not in OT_BOOKS for r in refuse)


def test_every_peer_table_names_its_source_commit() -> None:
    sources = json.loads((PEERS / "SOURCES.json").read_text(encoding="utf-8"))
    for entry in sources.values():
        assert re.fullmatch(r"[0-9a-f]{40}", entry["commit"])
        assert entry["licence"] in {"GPL-3.0", "MIT"}


CITATION_FORMS = {
    "bible_en_roman",
    "bible_en_abbrev",
    "bible_en_full",
    "bible_translit",
    "bible_he",
    "talmud_en_abbrev",
    "talmud_en_name",
    "talmud_he",
    "mishnah_en",
    "mishnah_he",
    "yerushalmi",
    "midrash",
    "rambam_en",
    "rambam_he",
    "halakha_he",
    "halakha_en",
    "philosophy",
    "zohar",
    "chasidut",
    "commentary",
    "refuse",
}


def _citation_rows(name: str = "citations.tsv") -> tuple[list[str], list[dict[str, str]]]:
    lines = (DATA / "realtext" / name).read_text(encoding="utf-8").splitlines(keepends=True)
    header = [line for line in lines if line.startswith("#")]
    rows = list(
        csv.DictReader(
            [line for line in lines if not line.startswith("#")], delimiter="\t", quoting=csv.QUOTE_NONE
        )
    )
    return header, rows


def _check_citation_row(r: dict[str, str], source: str) -> None:
    """One row of a citation-strings table: its columns, a clean string and answer, a known form (REFUSE
    exactly for the refused form) and a source address of the shape `source`."""
    assert set(r) == {"input", "expected", "form", "source", "note"}, r
    assert r["input"].strip() == r["input"] and r["input"], r
    assert r["expected"] == "REFUSE" or (r["expected"].strip() == r["expected"] and r["expected"]), r
    assert r["form"] in CITATION_FORMS, r
    assert (r["form"] == "refuse") == (r["expected"] == "REFUSE"), r
    assert re.match(source, r["source"]), r["source"]


def test_the_citation_strings_table_is_well_formed() -> None:
    header, rows = _citation_rows()
    assert header and any("source" in line for line in header), "the header says where the rows come from"
    assert len(rows) >= 250
    assert len({r["input"] for r in rows}) == len(rows), "a string is there once"
    for r in rows:
        _check_citation_row(r, r"^(https?://\S+|[\w.-]+/[\w.-]+:\S+@[0-9a-f]{40})$")
    assert len({r["source"] for r in rows}) >= 20, "many pages, not one"
    assert sum(bool(re.search("[\u05d0-\u05ea]", r["input"])) for r in rows) >= 40, "Hebrew forms too"


@pytest.mark.parametrize(
    ("name", "earlier", "size"),
    [
        ("citations_heldout.tsv", ("citations.tsv",), 50),
        ("citations_heldout2.tsv", ("citations.tsv", "citations_heldout.tsv"), 80),
        (
            "citations_heldout3.tsv",
            ("citations.tsv", "citations_heldout.tsv", "citations_heldout2.tsv"),
            100,
        ),
        (
            "citations_heldout4.tsv",
            ("citations.tsv", "citations_heldout.tsv", "citations_heldout2.tsv", "citations_heldout3.tsv"),
            100,
        ),
        (
            "citations_heldout5.tsv",
            (
                "citations.tsv",
                "citations_heldout.tsv",
                "citations_heldout2.tsv",
                "citations_heldout3.tsv",
                "citations_heldout4.tsv",
            ),
            120,
        ),
    ],
)
def test_the_held_out_citation_strings_are_well_formed_and_new(
    name: str, earlier: tuple[str, ...], size: int
) -> None:
    """The held-out rows follow the same rules, and none is a string or a page of a file gathered before
    them (else it is not held out)."""
    header, rows = _citation_rows(name)
    assert header and any("source" in line for line in header)
    assert len(rows) >= size
    assert len({r["input"] for r in rows}) == len(rows), "a string is there once"
    for r in rows:
        _check_citation_row(r, r"^https?://\S+$")
    tuned_rows = [row for e in earlier for row in _citation_rows(e)[1]]
    tuned = {r["input"] for r in tuned_rows}
    assert not tuned & {r["input"] for r in rows}, "held-out strings are not in an earlier file"
    tuned_sources = {r["source"] for r in tuned_rows}
    assert not tuned_sources & {r["source"] for r in rows}, "held-out pages are not an earlier file's"
    assert len({r["source"] for r in rows}) >= 10, "many pages, not one"
