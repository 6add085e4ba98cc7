"""The parser's fast lanes (plain titles remembered word by word, plain-number addresses) must read
every reference exactly as the general reading does: same ref, or the same error."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madrega.refs import Ref, catalog, parse
from madrega.refs import parser as refs_parser
from madrega.refs.catalog import ENDING
from test_refs import refs


def _outcome(text: str) -> Any:
    try:
        ref = refs_parser._parse(text)
    except refs_parser.RefError as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("ref", ref.index, ref.sections, ref.end)


def _both_readings(texts: list[str]) -> tuple[list[Any], list[Any]]:
    """Each text read with the fast lanes, and with all of them switched off."""
    refs_parser.clear_caches()
    fast = [_outcome(text) for text in texts]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(refs_parser, "_fast_citation", lambda text: None)
        patch.setattr(refs_parser, "_match_plain_title", lambda text: None)
        patch.setattr(refs_parser, "_simple_address", lambda rest: None)
        patch.setattr(refs_parser, "_plain_read", lambda entry, rest: None)
        general = [_outcome(text) for text in texts]
    return fast, general


def _spellings(ref: Ref) -> list[str]:
    work = ref.work
    text = str(ref)
    forms = [text, ref.he(), ref.url()]
    forms += [alias + text[len(work.title) :] for alias in work.aliases[:4]]
    forms += [text + "-0", text.replace(":", " "), text + " ff", ref.he().replace(", ", " ")]
    forms += [work.title, work.he_title, f"{work.title} 0", f"{work.title} 999:999"]
    return forms


@settings(max_examples=250, deadline=None)
@given(st.lists(refs(), min_size=4, max_size=4))
def test_fast_lanes_read_like_the_general_reading(sample: list[Ref]) -> None:
    fast, general = _both_readings([form for ref in sample for form in _spellings(ref)])
    assert fast == general


def test_tricky_shapes_read_the_same_with_and_without_fast_lanes() -> None:
    texts = [
        "Job 8:7",
        "Rashi on Rosh Hashanah 16b",
        "Samuel 1 3:4",
        "I Samuel 3:4",
        "Rashi on Samuel 1",
        "Tanya, Part I; Likkutei Amarim 46",
        "Tanya,Part I;Likkutei Amarim 46",
        "שמואל א ג, ד",
        "משנה תורה, הלכות תשובה ג, ד",
        "תוספות על בבא בתרא ל.",
        "Job.8.7",
        "Genesis 1:1 - 2:3",
        "Job 8:70",
        "Job 8",
        "Job",
        "Rashi on Berakhot 2a",  # the first amud of a tractate, and one before it
        "Rashi on Berakhot 1b",
        "Rashi on Berakhot 64a",  # its last amud, and one past it
        "Rashi on Berakhot 64b",
        "Rashi on Berakhot 0a",
        "Rashi on Berakhot 5",  # a whole daf
        "Rashi on Berakhot 5a-b",
        "Tikkunei Zohar 21a",  # cited by its own structure
        "Zohar 1:15a",
        "Midrash Tanchuma, Bereshit 1",
        "Job 0:1",
        "Job 1:1-0",
        "Job 2:3-1:1",
        "Genesis 50:26-27",
        "איוב ח, ז-ט",
        'רד"ק על שופטים ה, א',  # a head, then the same title with another first address word
        'רד"ק על שופטים ד, כג',
        'רד"ק על שופטים ד, כג-כד',
        "ברכות לז:",  # a Hebrew amud, marked by ':' and '.'
        'רש"י על עירובין עה.',
        'רש"י על עירובין קה:',  # past the tractate's end
        "Horayot 10b",  # one-word titles: no Bible book clashes with it, and ones that do
        "Job 2:8",
        "Mk 3:1",
        "Esthr 1:1",
        "Radak_on_Jonah.1.3",  # Sefaria's URL form
        "Radak on Jonah 1:3",
        "Radak on Jonah 1",
        "Radak on Jonah",
    ]
    fast, general = _both_readings(texts)
    assert fast == general
    assert fast[0] == ("ref", *_as_tuple(parse("Job 8:7")))


def _as_tuple(ref: Ref) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    return ref.index, ref.sections, ref.end


def test_every_resolvable_name_has_a_known_ending() -> None:
    """The plain-title lane skips a run of words whose key ends in no known way; a name missing from
    `endings` would be silently skipped."""
    cat = catalog()
    for name, _entry in cat.all_names():
        key = refs_parser._NON_KEY.sub("", name.lower())
        if key and cat.exact(key) is not None:
            assert key[-ENDING:] in cat.endings, name


def test_the_caches_remember_and_forget() -> None:
    refs_parser.clear_caches()
    first = parse("Job 8:7")
    assert parse("Job 8:7") is first
    refs_parser.clear_caches()
    again = parse("Job 8:7")
    assert again == first and again is not first


def test_a_composed_reference_is_read_as_written_without_the_footnote_rewritings() -> None:
    """`parse_composed` is for strings a program builds from a title and an address: it reads them as
    `parse` does, but a form only a footnote's rewriting reads stays an error (and costs nothing more)."""
    assert refs_parser.parse_composed("Mishneh Torah, Deos 1:2") == parse("Mishneh Torah, Deos 1:2")
    assert refs_parser.parse_composed("Berakhot 5a") == parse("Berakhot 5a")
    written = "(Maimonides, Mishneh Torah, Laws of Repentance 1:1)"
    assert str(parse(written)) == "Mishneh Torah, Repentance 1:1"
    with pytest.raises(refs_parser.RefError):
        refs_parser.parse_composed(written)
    with pytest.raises(refs_parser.PlaceNotInWork):
        refs_parser.parse_composed("Amos 15:7")
