"""Gematria under every method: known values, phrase arithmetic, ciphers, and the vectorized batch path."""

from __future__ import annotations

import json

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from madrega.errors import MadregaError
from madrega.text.gematria import (
    ALPHABET,
    METHODS,
    MILUI_SPELLINGS,
    albam,
    atbash,
    get_method,
    transform,
    value,
    values,
)

REQUIRED = ["standard", "gadol", "katan", "ordinal", "reduced", "kolel", "atbash", "albam", "milui"]


def test_sefer_equals_shem() -> None:
    assert value("ספר") == value("שם") == 340
    assert value("סֵ֫פֶר") == 340  # niqqud and cantillation ignored


def test_every_required_method_is_named_and_documented() -> None:
    for name in REQUIRED:
        m = METHODS[name]
        assert m.name == name
        assert m.hebrew and any("\u05d0" <= ch <= "\u05ea" for ch in m.hebrew)
        assert len(m.description) > 20


@pytest.mark.parametrize(
    ("text", "method", "expected"),
    [
        ("יהוה", "standard", 26),
        ("יְהוָ֥ה", "standard", 26),
        ("אמת", "standard", 441),
        ("שלום", "gadol", 300 + 30 + 6 + 600),
        ("ם", "gadol", 600),
        ("ץ", "gadol", 900),
        ("תורה", "katan", 4 + 6 + 2 + 5),
        ("ת", "ordinal", 22),
        ("ך", "ordinal", 23),
        ("אחד", "reduced", 4),  # 13 → 4
        ("משיח", "reduced", 358 % 9 or 9),
        ("שלום עולם", "kolel", 376 + 146 + 2),
        ("אמת", "kolel", 442),
        ("א", "atbash", 400),
        ("ת", "atbash", 1),
        ("א", "albam", 30),
        ("א", "milui", 111),
        ("ש", "milui", 360),
        ("א", "neelam", 110),
        ("א", "ofanim", 80),
        ("א", "mispari", 13),
        ("אחד", "boneeh", 23),
        ("אב", "haachor", 5),
        ("ב", "perati", 4),
        ("ב", "meshulash", 8),
        ("ג", "kidmi", 6),
        ("אמת", "musafi", 444),
        ("י", "merubah_klali", 100),
        ("א", "avgad", 2),
        ("א", "reverse_avgad", 400),
        ("א", "achas_beta", 8),
        ("א", "ayak_bachar", 10),
        ("ך", "ayak_bachar", 5),
    ],
)
def test_known_values(text: str, method: str, expected: int) -> None:
    assert value(text, method) == expected


def test_non_hebrew_and_punctuation_count_nothing() -> None:
    assert value('ספר, "book" 123!') == 340
    assert value("hello") == 0
    assert value("ספר 📖") == 340  # characters beyond the BMP count nothing either
    assert values(["ספר 📖"], "gadol") == [340]
    assert value("") == 0
    for name in METHODS:
        assert value("", name) == 0


def test_letters_of_deletes_every_other_code_point_and_remembers_only_the_bmp() -> None:
    """The translate table lists only the letters at import; other code points are learnt as deleted."""
    from madrega.text import gematria

    text = "a\u00e9\u4e2d\uffff\U0001f600\U0010ffff ש\u05b8ל\u05d5\u05b9ם\ufb2a!"
    assert gematria.letters_of(text) == "שלוםש"
    assert gematria.letters_of(text) == "שלוםש"  # the second time from the learnt entries
    table = gematria._LETTERS_ONLY
    assert table[0x4E2D] is None and dict.get(table, 0x4E2D, "absent") is None
    assert dict.get(table, 0x1F600, "absent") == "absent"  # astral: deleted, never stored
    assert value(text) == value("שלוםש")


def test_aliases_and_hebrew_names_find_the_method() -> None:
    assert get_method("mispar_hechrachi").name == "standard"
    assert get_method("Mispar Gadol").name == "gadol"
    assert get_method("siduri").name == "ordinal"
    assert value("ספר", "hechrachi") == 340


def test_unknown_method_is_a_user_error_with_suggestions() -> None:
    with pytest.raises(MadregaError) as info:
        value("ספר", "gadl")
    assert "gadol" in info.value.suggestions


def test_milui_table_is_data_and_drives_the_value() -> None:
    assert set(MILUI_SPELLINGS) == set(ALPHABET)
    for letter, spelled in MILUI_SPELLINGS.items():
        assert value(letter, "milui") == value(spelled)


def test_unknown_cipher_is_a_user_error() -> None:
    with pytest.raises(MadregaError):
        transform("אב", "rot13")


REGULAR_TEXT = st.text(st.sampled_from([*ALPHABET, " "]), max_size=30)
ANY_TEXT = st.text(st.sampled_from(list("אבגדהוזחטיכךלמםנןסעפףצץקרשת \u05b8\u0591־׃'\"a1")), max_size=40)
WORD_LIST = st.lists(ANY_TEXT.map(lambda s: s.replace(" ", "")), max_size=20)


@given(REGULAR_TEXT)
def test_atbash_and_albam_are_involutions(text: str) -> None:
    assert atbash(atbash(text)) == text
    assert albam(albam(text)) == text


@given(REGULAR_TEXT)
def test_cipher_values_are_standard_values_of_the_enciphered_text(text: str) -> None:
    assert value(text, "atbash") == value(atbash(text))
    assert value(text, "albam") == value(albam(text))


@given(st.lists(ANY_TEXT, max_size=6))
def test_additive_methods_give_a_phrase_the_sum_of_its_words(words: list[str]) -> None:
    phrase = " ".join(words)
    for m in METHODS.values():
        if m.additive:
            assert value(phrase, m.name) == sum(value(w, m.name) for w in words), m.name


@given(st.lists(REGULAR_TEXT.map(str.strip).filter(bool), min_size=1, max_size=5))
def test_kolel_adds_one_per_word(words: list[str]) -> None:
    phrase = " ".join(w.replace(" ", "") for w in words)
    assert value(phrase, "kolel") == value(phrase) + len(phrase.split())


@given(ANY_TEXT)
def test_reduced_is_a_digit_congruent_to_the_standard_value(text: str) -> None:
    reduced, standard = value(text, "reduced"), value(text)
    assert 0 <= reduced <= 9
    assert reduced % 9 == standard % 9


@given(WORD_LIST)
def test_vectorized_values_equal_one_by_one(words: list[str]) -> None:
    for name in ("standard", "gadol", "ordinal", "milui", "kolel", "boneeh"):
        assert values(words, name) == [value(w, name) for w in words]


def test_values_handles_empty_words_presentation_forms_and_nul() -> None:
    words = ["", "ספר", "", "\ufb2a", "a\x00b", "שם", ""]
    assert values(words) == [0, 340, 0, 300, 0, 340, 0]
    assert values(iter(["שם"])) == [340]


# --- the CLI ----------------------------------------------------------------------------------------------
def _cli() -> typer.Typer:
    import madrega.cli.basics  # noqa: F401  (registers the commands)
    from madrega.cli.app import app

    return app


def test_cli_gematria_json_has_every_method() -> None:
    result = CliRunner().invoke(_cli(), ["gematria", "ספר", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["text"] == "ספר"
    assert data["values"]["standard"] == 340
    assert set(data["values"]) == set(METHODS)


def test_cli_gematria_one_method_and_unquoted_phrase() -> None:
    result = CliRunner().invoke(_cli(), ["gematria", "שלום", "עולם", "--method", "kolel", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"text": "שלום עולם", "values": {"kolel": 524}}


def test_cli_gematria_table_names_the_methods() -> None:
    result = CliRunner().invoke(_cli(), ["gematria", "שם"])
    assert result.exit_code == 0, result.output
    assert "340" in result.stdout
    assert "milui" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gematria", "שלום", "--method", "gadl"], "unknown gematria method"),
        (["gematria", "hello"], "no Hebrew letters"),
    ],
)
def test_cli_gematria_user_mistakes_exit_1_without_traceback(args: list[str], message: str) -> None:
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
