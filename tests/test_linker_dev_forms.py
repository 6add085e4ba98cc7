"""Forms of written references found on the development pages (tests/data/realtext), each tested here
in sentences of our own: the general form, not one page's string."""

from __future__ import annotations

import pytest

from madrega.study.linker import link


def refs_of(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(c.text, c.ref) for c in link(text, **kw) if c.kind == "reference"]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("וכן נאמר (שמות יב-טו) שבעת ימים", [("שמות יב-טו", "Exodus 12:15")]),
        ("כמו שכתוב (ויקרא יט-כה) ובשנה", [("ויקרא יט-כה", "Leviticus 19:25")]),
        # a hyphen that cannot part chapter from verse (Psalm 23 has no verse 24) is a range of chapters
        ("ראה (תהלים כג-כד) שם", [("תהלים כג-כד", "Psalms 23-24")]),
    ],
)
def test_hebrew_book_and_two_numbers_by_hyphen_in_parentheses_are_chapter_and_verse(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert refs_of(text) == expected
