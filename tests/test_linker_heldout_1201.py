"""Forms the twelfth held-out set of real Hebrew pages (tests/data/realtext/he-*-12xx) wrote that the linker
misread or missed: each a general way of writing, in sentences of our own.
"""

from __future__ import annotations

import pytest

from madrega.study.linker import link


def refs_of(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.ref) for c in link(text) if c.kind == "reference"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the portion named with a prefix letter ('לפרשת'), or as 'פרשת השבוע – X' (was nothing)
        ("עיונים קצרים לפרשת ויקרא\n\nאדם כי יקריב מכם (א, ב) ועוד", [("(א, ב)", "Leviticus 1:2")]),
        ("הגיליון השבועי: פרשת השבוע – בשלח\n\nויהי בשלח פרעה (יג, יז) לומר", [("(יג, יז)", "Exodus 13:17")]),
        # chapter and verse split by a spaced dash, the verse below the chapter (was nothing)
        ("דברים לפרשת שופטים\n\nכי תצא למלחמה (כ – א) הכתוב", [("(כ – א)", "Deuteronomy 20:1")]),
        ('נאמר בפרשת ויצא: "וידר יעקב נדר" (כ"ח - כ\')', [("(כ\"ח - כ')", "Genesis 28:20")]),
    ],
)
def test_a_verse_under_a_weekly_portion(text: str, expected: list[tuple[str, str]]) -> None:
    assert refs_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a second number above the first may be a range of chapters: refused, not read as a verse
        "לימוד לפרשת משפטים (כא – כד) ובו",
        # no portion and no book: nothing to read the dash by
        "ראה בספר הזה (כא – ב) ולא עוד",
    ],
)
def test_a_dashed_pair_refused_where_it_may_be_chapters(text: str) -> None:
    assert refs_of(text) == []
