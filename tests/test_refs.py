"""The reference parser: real forms people write, errors that help, and round trips."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madrega.errors import MadregaError
from madrega.refs import Ref, RefError, catalog, make, parse

DATA = Path(__file__).resolve().parent / "data"


def _table(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        given_text, expected = line.split("\t")
        rows.append((given_text, expected))
    return rows


VALID = _table("refs_valid.tsv")
INVALID = _table("refs_invalid.tsv")


def test_the_table_is_big_enough() -> None:
    assert len(VALID) >= 150
    assert any("\u05d0" <= ch <= "\u05ea" for text, _ in VALID for ch in text)


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[t for t, _ in VALID])
def test_real_reference_forms_parse_to_their_canonical_ref(text: str, expected: str) -> None:
    ref = parse(text)
    assert str(ref) == expected
    assert parse(expected) == ref


@pytest.mark.parametrize(("text", "message"), INVALID, ids=[t for t, _ in INVALID])
def test_bad_references_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(RefError) as caught:
        parse(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, MadregaError)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_input_is_an_error_not_a_traceback(text: str) -> None:
    with pytest.raises(RefError, match="empty reference"):
        parse(text)


def test_unknown_work_suggests_the_nearest_titles() -> None:
    with pytest.raises(RefError) as caught:
        parse("Sankedrin 37a")
    assert caught.value.suggestions[0] == "Sanhedrin"


def test_gold_explicit_references(gold: dict[str, Any]) -> None:
    explicit = [item for doc in gold.values() if isinstance(doc, dict) for item in doc.get("explicit", [])]
    assert explicit
    for item in explicit:
        assert str(parse(item["text"])) == item["ref"], item["text"]


def test_formats_en_he_url() -> None:
    ref = parse("Iyov (Job) 8:7")
    assert (str(ref), ref.he(), ref.url()) == ("Job 8:7", "איוב ח, ז", "Job.8.7")
    assert parse("Likkutei Amarim, ch. 46").url() == "Tanya,_Part_I;_Likkutei_Amarim.46"
    assert parse("Gen. 1:1-3").url() == "Genesis.1.1-3"
    assert parse("Berakhot 5a").he() == "ברכות ה."
    assert parse("Berakhot 5b").he() == "ברכות ה:"
    assert parse("Zohar 1:11b").he() == 'זוהר ח"א יא:'


def test_hebrew_amud_marks() -> None:
    assert str(parse("ברכות ה.")) == "Berakhot 5a"
    assert str(parse("ברכות ה:")) == "Berakhot 5b"
    assert str(parse('ברכות ה ע"ב')) == "Berakhot 5b"
    assert str(parse("איוב ח:ז")) == "Job 8:7"  # a colon between numbers separates, it is no amud


def test_bare_tractate_reads_chapter_mishnah_as_mishnah_and_daf_as_bavli() -> None:
    assert str(parse("Berakhot 1:4")) == "Mishnah Berakhot 1:4"
    assert str(parse("Berakhot 5a")) == "Berakhot 5a"
    assert str(parse("Avot 3:9")) == "Pirkei Avot 3:9"


def test_ranges() -> None:
    ref = parse("Genesis 1:1–2:3")
    assert ref.is_range and ref.sections == (1, 1) and ref.end == (2, 3)
    assert str(parse("Berachot 5a-b")) == "Berakhot 5"  # Sefaria's normal form of a whole daf
    assert not parse("Job 8:7").is_range


def test_contains_and_order() -> None:
    chapter, verse = parse("Job 8"), parse("Job 8:7")
    assert chapter.contains(verse) and not verse.contains(chapter)
    assert parse("Genesis 1:1-2:3").contains(parse("Genesis 2:1-3"))
    assert not parse("Genesis 1:1-2:3").contains(parse("Genesis 2:1-4"))
    assert parse("Berakhot 5a-b").contains(parse("Berakhot 5b:3"))
    assert not chapter.contains(parse("Psalms 8:7"))
    assert sorted([parse("Exodus 1:1"), parse("Genesis 50:1"), parse("Genesis 2:1")]) == [
        parse("Genesis 2:1"),
        parse("Genesis 50:1"),
        parse("Exodus 1:1"),
    ]
    assert len({parse("Ps 25:1"), parse("Psalms 25:1"), parse("תהלים כה, א")}) == 1


def test_navigation() -> None:
    ref = parse("Berakhot 2a:3")
    assert ref.work.title == "Berakhot" and ref.work.category == "Talmud" and ref.work.he_title == "ברכות"
    assert str(ref.parent()) == "Berakhot 2a"
    assert str(parse("Job 8:7").top()) == "Job 8"


def test_segment_refs_the_library_stores() -> None:
    for text in (
        "Berakhot 2a:3",
        "Jerusalem Talmud Berakhot 1:1:1",
        "Zohar 1:11b:2",
        "Tanya, Part III; Iggeret HaTeshuvah 10:1",
        "Likutei Moharan, Part II 32:2",
        "Mishnah Berakhot 1:1",
        "Genesis 1:1",
    ):
        assert str(parse(text)) == text


def test_make_validates() -> None:
    assert str(make("Job", (8, 7))) == "Job 8:7"
    with pytest.raises(RefError, match="22 verses"):
        make("Job", (8, 70))


# ---- round trips over every work


def _address_strategy(work: Any) -> st.SearchStrategy[tuple[int, ...]]:
    kinds = work.kinds

    @st.composite
    def build(draw: st.DrawFn) -> tuple[int, ...]:
        depth = draw(st.integers(1, work.max_depth))
        out: list[int] = []
        for level in range(depth):
            kind = kinds[level] if level < len(kinds) else "segment"
            if level == 0 and kind == "daf" and work.span:
                out.append(draw(st.integers(*work.span)))
            elif level == 0 and kind == "volume" and work.spans:
                out.append(draw(st.integers(1, len(work.spans))))
            elif level == 1 and kind == "daf" and work.spans:
                out.append(draw(st.integers(*work.spans[out[0] - 1])))
            elif kind == "daf":
                out.append(draw(st.integers(3, 300)))
            elif level == 0 and work.top_count():
                out.append(draw(st.integers(1, work.top_count())))
            elif level == 1 and work.lengths is not None:
                out.append(draw(st.integers(1, work.lengths[out[0] - 1])))
            else:
                out.append(draw(st.integers(1, 150)))
        return tuple(out)

    return build()


@st.composite
def refs(draw: st.DrawFn) -> Ref:
    works = catalog().works  # read work by work when the catalog comes from its cache file
    work = works[draw(st.integers(0, len(works) - 1))]
    sections = draw(_address_strategy(work))
    end = sections
    if draw(st.booleans()):
        other = draw(_address_strategy(work))
        if len(other) == len(sections) and other[:-1] == sections[:-1] and other > sections:
            end = other
    return Ref(work.index, sections, end)


@settings(max_examples=600, deadline=None)
@given(refs())
def test_round_trip_english_hebrew_url(ref: Ref) -> None:
    assert parse(str(ref)) == ref
    assert parse(ref.he()) == ref
    assert parse(ref.url()) == ref


@pytest.mark.parametrize("work", catalog().works, ids=lambda w: w.title)
def test_every_title_parses_back(work: Any) -> None:
    sections = (1,) if work.kinds[0] not in ("daf", "volume") else None
    if sections is None:
        return
    ref = Ref(work.index, sections, sections)
    assert parse(str(ref)) == ref and parse(ref.he()) == ref


# ---- the command line


def test_cli_ref_prints_canonical_forms_and_errors() -> None:
    import json

    from typer.testing import CliRunner

    import madrega.cli.ref  # noqa: F401  (registers the command)
    from madrega.cli import _load
    from madrega.cli.app import app

    _load()  # with every command registered, `ref` is a subcommand as for a user

    runner = CliRunner()
    ok = runner.invoke(app, ["ref", "Iyov (Job) 8:7", "ברכות ה."])
    assert ok.exit_code == 0, ok.output
    assert "Job 8:7" in ok.output and "Berakhot 5a" in ok.output and "Job.8.7" in ok.output

    mixed = runner.invoke(app, ["ref", "--json", "Job 8:70", "Tehillim 89:23"])
    assert mixed.exit_code == 1
    rows = json.loads(mixed.stdout)
    assert [r["input"] for r in rows] == ["Job 8:70", "Tehillim 89:23"]
    assert rows[0]["error"] == "Job 8:70: Job 8 has 22 verses" and rows[0]["ref"] is None
    assert rows[1] == {
        "input": "Tehillim 89:23",
        "ref": "Psalms 89:23",
        "he": "תהלים פט, כג",
        "url": "Psalms.89.23",
        "error": None,
        "suggestions": [],
    }

    bad = runner.invoke(app, ["ref", "Jobb 8:7"])
    assert bad.exit_code == 1
    assert "did you mean Job (Iyov)?" in bad.output
    assert "Traceback" not in bad.output


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from('Job Gen ברכות ה.:-–,;()\'"״׳aIivx0123456789 ח"א ע"ב\u05b0\u05be'),
        max_size=30,
    )
)
def test_any_input_gives_a_ref_or_a_ref_error_never_a_traceback(text: str) -> None:
    with contextlib.suppress(RefError):
        parse(text)
