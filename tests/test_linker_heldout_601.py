"""Forms the sixth held-out set of issue 13 (tests/data/realtext/*-601..*-604) wrote that the linker missed.

The sentences are ours; each is a general way of citing that those pages use.
"""

from __future__ import annotations

from madrega.study.linker import link


def refs_of(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.ref) for c in link(text) if c.kind == "reference"]


def test_a_number_sign_before_the_address_is_no_obstacle() -> None:
    # Breslov translations number the lessons 'Likutey Moharan #6', their running heads '#6:1'
    assert refs_of("As taught in Likutey Moharan #6. The lesson") == [
        ("Likutey Moharan #6", "Likutei Moharan 6")
    ]
    assert refs_of("LIKUTEY MOHARAN #6:1 Then God said") == [("LIKUTEY MOHARAN #6:1", "Likutei Moharan 6:1")]


def test_a_rabbah_spelt_without_its_h_after_an_abbreviated_book() -> None:
    assert refs_of("He was a descendant of Miriam.–Exod. Rabba 1.") == [("Exod. Rabba 1", "Shemot Rabbah 1")]
    assert refs_of("compare Gen. Rabba 39:1 there") == [("Gen. Rabba 39:1", "Bereshit Rabbah 39:1")]


def test_a_bare_chapter_before_where_or_from_is_a_place_not_a_count() -> None:
    assert refs_of("another pasuk in Mishlei 7 where it describes the evening") == [
        ("Mishlei 7", "Proverbs 7")
    ]
    assert refs_of("(see my blog on Daf Yomi Horayos 2 from last year)") == [("Horayos 2", "Horayot 2")]
    assert refs_of("On Shabbat 3 people came to the meal") == []
