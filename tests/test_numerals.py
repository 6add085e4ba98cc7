"""Hebrew numerals as people write and read them: ט״ו, ה׳תשפ״ה, and every common spelling back."""

from __future__ import annotations

import json

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from madrega.errors import MadregaError
from madrega.text.numerals import from_hebrew, is_numeral, to_hebrew


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "א׳"),
        (10, "י׳"),
        (15, "ט״ו"),
        (16, "ט״ז"),
        (17, "י״ז"),
        (46, "מ״ו"),
        (115, "קט״ו"),
        (270, "ר״ע"),
        (400, "ת׳"),
        (500, "ת״ק"),
        (999, "תתקצ״ט"),
        (5785, "ה׳תשפ״ה"),
        (5001, "ה׳א׳"),
        (5000, "ה׳ אלפים"),
        (1000, "א׳ אלף"),
    ],
)
def test_to_hebrew_follows_the_common_convention(n: int, expected: str) -> None:
    assert to_hebrew(n) == expected


def test_ascii_geresh_and_no_punctuation() -> None:
    assert to_hebrew(46, geresh_style="ascii") == 'מ"ו'
    assert to_hebrew(5785, geresh_style="ascii") == "ה'תשפ\"ה"
    assert to_hebrew(1, geresh_style="ascii") == "א'"
    assert to_hebrew(5785, punctuate=False) == "התשפה"


def test_thousands_can_be_omitted() -> None:
    assert to_hebrew(5785, thousands=False) == "תשפ״ה"
    with pytest.raises(MadregaError, match="nothing left"):
        to_hebrew(5000, thousands=False)


@pytest.mark.parametrize("bad", [0, -3, 1_000_000, True])
def test_to_hebrew_refuses_numbers_it_cannot_write(bad: int) -> None:
    with pytest.raises(MadregaError):
        to_hebrew(bad)


def test_unknown_geresh_style_is_a_user_error() -> None:
    with pytest.raises(MadregaError) as info:
        to_hebrew(5, geresh_style="fancy")
    assert "ascii" in info.value.suggestions


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ('מ"ו', 46),
        ("מו", 46),
        ("מ״ו", 46),
        ("מ’’ו", 46),
        ("מ“ו", 46),
        ("ט״ו", 15),
        ("יה", 15),  # the naive spelling still reads
        ("ער", 270),  # the letters swapped to avoid רע
        ("ר״ע", 270),
        ("ש״ד", 304),
        ("ד״ש", 304),
        ("ה'תשפ\"ה", 5785),
        ("ה׳תשפ״ה", 5785),
        ("ה׳ תשפ״ה", 5785),
        ("התשפ״ה", 5785),
        ("התשפה", 5785),
        ('תשפ"ה', 785),
        ("תשפ״ה", 785),
        ("תַּשְׁפַּ״ה", 785),  # niqqud ignored
        ("ך", 20),
        ("ם", 40),
        ("ן׳", 50),
        ("ף", 80),
        ("ץ", 90),
        ("ק״ך", 120),
        ("א׳", 1),
        ("ה׳ אלפים", 5000),
        ("  כ״ג ", 23),
    ],
)
def test_from_hebrew_reads_every_common_spelling(text: str, n: int) -> None:
    assert from_hebrew(text) == n


@pytest.mark.parametrize("bad", ["", "   ", "abc", "שלום", "12", "מ-ו"])
def test_from_hebrew_refuses_non_numerals_with_a_message(bad: str) -> None:
    with pytest.raises(MadregaError) as info:
        from_hebrew(bad)
    assert info.value.message
    assert not is_numeral(bad)


def test_out_of_order_letters_get_a_suggestion() -> None:
    with pytest.raises(MadregaError) as info:
        from_hebrew("זיק")  # 117 written backwards
    assert info.value.suggestions == ["קי״ז"]


@given(st.integers(min_value=1, max_value=9999))
def test_round_trip_with_hebrew_and_ascii_geresh(n: int) -> None:
    assert from_hebrew(to_hebrew(n)) == n
    assert from_hebrew(to_hebrew(n, geresh_style="ascii")) == n


# Without punctuation a few numbers read as something more common: דש is 304, not 4300; טו is 15.
AMBIGUOUS_UNPUNCTUATED = {4300: 304, 9006: 15, 9007: 16}


@given(st.integers(min_value=1, max_value=9999))
def test_round_trip_without_punctuation(n: int) -> None:
    expected = AMBIGUOUS_UNPUNCTUATED.get(n, n)
    assert from_hebrew(to_hebrew(n, punctuate=False)) == expected


def test_every_number_below_ten_thousand_round_trips_unpunctuated_except_the_known_three() -> None:
    failures = {n for n in range(1, 10000) if from_hebrew(to_hebrew(n, punctuate=False)) != n}
    assert failures == set(AMBIGUOUS_UNPUNCTUATED)


@given(st.integers(min_value=1, max_value=999_999))
def test_round_trip_of_large_numbers(n: int) -> None:
    assert from_hebrew(to_hebrew(n)) == n


@given(st.integers(min_value=1, max_value=9999).filter(lambda n: n % 1000))
def test_omitting_thousands_keeps_the_remainder(n: int) -> None:
    assert from_hebrew(to_hebrew(n, thousands=False)) == n % 1000


# --- the CLI ----------------------------------------------------------------------------------------------
def _cli() -> typer.Typer:
    import madrega.cli.basics  # noqa: F401  (registers the commands)
    from madrega.cli.app import app

    return app


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["numeral", "5785", "--json"], {"number": 5785, "hebrew": "ה׳תשפ״ה"}),
        (["numeral", "5785", "--ascii", "--json"], {"number": 5785, "hebrew": "ה'תשפ\"ה"}),
        (["numeral", "5785", "--no-thousands", "--json"], {"number": 5785, "hebrew": "תשפ״ה"}),
        (["numeral", 'מ"ו', "--json"], {"number": 46, "hebrew": 'מ"ו'}),
        (["numeral", "ה׳תשפ״ה", "--json"], {"number": 5785, "hebrew": "ה׳תשפ״ה"}),
    ],
)
def test_cli_numeral_both_ways(args: list[str], expected: dict[str, object]) -> None:
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == expected


def test_cli_numeral_plain_output() -> None:
    result = CliRunner().invoke(_cli(), ["numeral", "15"])
    assert result.exit_code == 0
    assert "ט״ו" in result.stdout


@pytest.mark.parametrize("bad", ["שלום", "0", "abc"])
def test_cli_numeral_bad_input_exits_1_with_a_message(bad: str) -> None:
    result = CliRunner().invoke(_cli(), ["numeral", bad])
    assert result.exit_code == 1
    assert "error" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
