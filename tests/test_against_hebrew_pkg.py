"""madrega against the `hebrew` package (PyPI 0.8.1), run in its own venv: same values, not taken on trust.

The reference package and `python-hebrew` both install a module named `hebrew`, so the reference runs
in a subprocess with `MADREGA_REF_PYTHON` (set by `make pytest`; `make refvenv` creates it).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from madrega.text.gematria import METHODS, value
from madrega.text.hebrew import MAQAF, split_words
from madrega.text.numerals import to_hebrew

# madrega method → the reference's GematriaTypes member. All 23 of the reference's methods are covered.
OVERLAP = {
    "standard": "MISPAR_HECHRACHI",
    "gadol": "MISPAR_GADOL",
    "ordinal": "MISPAR_SIDURI",
    "katan": "MISPAR_KATAN",
    "perati": "MISPAR_PERATI",
    "atbash": "ATBASH",
    "albam": "ALBAM",
    "meshulash": "MISPAR_MESHULASH",
    "kidmi": "MISPAR_KIDMI",
    "mispari": "MISPAR_MISPARI",
    "ayak_bachar": "AYAK_BACHAR",
    "ofanim": "OFANIM",
    "achas_beta": "ACHAS_BETA",
    "avgad": "AVGAD",
    "reverse_avgad": "REVERSE_AVGAD",
    "musafi": "MISPAR_MUSAFI",
    "boneeh": "MISPAR_BONEEH",
    "merubah_klali": "MISPAR_HAMERUBAH_HAKLALI",
    "haachor": "MISPAR_HAACHOR",
    "reduced": "MISPAR_KATAN_MISPARI",
    "kolel": "MISPAR_KOLEL",
    "milui": "MISPAR_SHEMI_MILUI",
    "neelam": "MISPAR_NEELAM",
}

# The reference spells ש as שן by default; madrega (and most tables) spell it שין. Ask it for שין.
REFERENCE_SCRIPT = """
import json, sys
from hebrew import Hebrew
from hebrew.gematria import GematriaTypes
from hebrew.numerical_conversion.substitute import Substitutions
job = json.load(sys.stdin)
alt = {"ש": "שִׂין"}
out = {"gematria": {}, "numerals": {}}
for name in job["methods"]:
    method = GematriaTypes[name]
    out["gematria"][name] = [Hebrew(t).gematria(method, alt_letter_name_spelling=alt) for t in job["texts"]]
n = job["numbers"]
out["numerals"] = {
    "default": [Hebrew.from_number(i).string for i in n],
    "ascii": [Hebrew.from_number(i, geresh=False).string for i in n],
    "bare": [Hebrew.from_number(i, punctuate=False).string for i in n],
    "polite": [Hebrew.from_number(i, substitution_functions=Substitutions.ALL).string for i in n],
}
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def _reference_python() -> str:
    python = os.environ.get("MADREGA_REF_PYTHON", "")
    if not python:
        pytest.skip("MADREGA_REF_PYTHON is not set: run `make refvenv` then `make pytest` to compare")
    if not Path(python).exists():
        pytest.skip(f"MADREGA_REF_PYTHON={python} does not exist: run `make refvenv`")
    return python


def _tanakh_samples() -> list[str]:
    """A few hundred real words and a few dozen verses, vocalized and cantillated as in the corpus."""
    import scriptures

    bible = json.loads((Path(scriptures.__file__).parent / "json" / "bible.json").read_text(encoding="utf-8"))
    verses = [v for book in bible for chapter in book for v in chapter]
    words = [w for v in verses[::97] for w in split_words(v)][::2]  # spread over every book
    phrases = [v.replace(MAQAF, " ") for v in verses[::1500]]  # the reference glues maqaf-joined words
    return words[:400] + phrases


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    python = _reference_python()
    texts = [*_tanakh_samples(), "שלום עולם", "ספר", "", "abc", "ה׳תשפ״ה"]
    job = {"texts": texts, "methods": list(OVERLAP.values()), "numbers": list(range(1, 1000))}
    done = subprocess.run(
        [python, "-c", REFERENCE_SCRIPT],
        input=json.dumps(job, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    result["texts"] = texts
    return result


def test_the_samples_are_real_and_many() -> None:
    samples = _tanakh_samples()
    assert len(samples) >= 300
    assert any("\u0591" <= ch <= "\u05af" for ch in "".join(samples))  # cantillated text, not cleaned


def test_every_reference_method_is_covered() -> None:
    _reference_python()
    done = subprocess.run(
        [_reference_python(), "-c", "from hebrew.gematria import GematriaTypes as G; print(*G.__members__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    members = set(done.stdout.split()) - {"AYAK_BAKAR"}  # an alias of AYAK_BACHAR
    assert members == set(OVERLAP.values())
    assert set(OVERLAP) <= set(METHODS)


@pytest.mark.parametrize("method", sorted(OVERLAP))
def test_gematria_matches_the_reference(reference: dict[str, Any], method: str) -> None:
    expected = reference["gematria"][OVERLAP[method]]
    ours = [value(t, method) for t in reference["texts"]]
    mismatches = [(t, o, e) for t, o, e in zip(reference["texts"], ours, expected, strict=True) if o != e]
    assert not mismatches, mismatches[:5]


def test_numerals_match_the_reference_below_a_thousand(reference: dict[str, Any]) -> None:
    numbers = range(1, 1000)
    refs = reference["numerals"]
    assert [to_hebrew(n) for n in numbers] == refs["default"]
    assert [to_hebrew(n, geresh_style="ascii") for n in numbers] == refs["ascii"]
    assert [to_hebrew(n, punctuate=False) for n in numbers] == refs["bare"]
    assert [to_hebrew(n, polite=True) for n in numbers] == refs["polite"]
