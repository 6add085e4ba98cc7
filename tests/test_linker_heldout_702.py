"""More forms the seventh held-out set of real Hebrew pages (tests/data/realtext/he-*-7xx) wrote that the
linker misread or missed: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from madrega.study.linker import link


def refs_of(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.ref) for c in link(text) if c.kind == "reference"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the gershayim typed as two gereshes: the title the catalog spells with '"' (was the Rambam's
        # commentary on Avot, read from 'הרמב׳׳ם לאבות' without the word before it)
        ("ראה הקדמת הרמב׳׳ם לאבות, פרק ד׳\n", [("הקדמת הרמב׳׳ם לאבות, פרק ד׳", "Eight Chapters 4")]),
        ("ראה הקדמת הרמב''ם לאבות פרק ד", [("הקדמת הרמב''ם לאבות פרק ד", "Eight Chapters 4")]),
        ('ראה הקדמת הרמב"ם לאבות פרק ד', [('הקדמת הרמב"ם לאבות פרק ד', "Eight Chapters 4")]),
    ],
)
def test_two_gereshes_are_gershayim_in_a_title(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # three bare numbers closing the parentheses: the chapter and two verses (was 32:49 alone)
        ("וימת שם (דברים לב מט נ).", [("דברים לב מט נ", "Deuteronomy 32:49-50")]),
        ("כמו שכתוב (תהלים א ב ג) והיה", [("תהלים א ב ג", "Psalms 1:2-3")]),
        # verses that do not follow each other are no range: the first place stays as it was read
        ("וימת שם (דברים לב מט נב).", [("דברים לב מט", "Deuteronomy 32:49")]),
        # written with a hyphen, as before
        ("וימת שם (דברים לב מט-נ).", [("דברים לב מט-נ", "Deuteronomy 32:49-50")]),
    ],
)
def test_two_verses_after_the_chapter(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected
