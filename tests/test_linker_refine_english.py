"""The quoted words decide in English too: a written verse checked against the translation beside it."""

from __future__ import annotations

import sqlite3

import pytest

from english_versions import add_kjv
from madrega.study.linker import Citation, link

# King James Version (public domain): a few verses of two chapters.
KJV = {
    "Exodus": {
        "20:11": "For in six days the LORD made heaven and earth, the sea, and all that in them is, and rested "
        "the seventh day: wherefore the LORD blessed the sabbath day, and hallowed it.",
        "20:12": "Honour thy father and thy mother: that thy days may be long upon the land which the LORD thy "
        "God giveth thee.",
        "20:13": "Thou shalt not kill.",
    },
    "Psalms": {
        "135:2": "Ye that stand in the house of the LORD, in the courts of the house of our God,",
        "135:3": "Praise the LORD; for the LORD is good: sing praises unto his name; for it is pleasant.",
        "135:5": "For I know that the LORD is great, and that our Lord is above all gods.",
    },
}


@pytest.fixture
def lib(conn: sqlite3.Connection) -> sqlite3.Connection:
    return add_kjv(conn, KJV)


def reference(text: str, conn: sqlite3.Connection) -> Citation:
    (found,) = [c for c in link(text, conn=conn) if c.kind == "reference"]
    return found


def test_a_verse_the_quoted_translation_does_not_stand_in_is_corrected_and_said_so(
    lib: sqlite3.Connection,
) -> None:
    c = reference(
        'As it is written (Exodus 20:11), "Honor your father and your mother, that your days be long."', lib
    )
    assert (c.ref, c.checked, c.alternatives[0]) == ("Exodus 20:12", False, "Exodus 20:11")
    assert "Exodus 20:11 is written" in c.note


def test_a_verse_its_quotation_stands_in_is_confirmed_in_another_translation(lib: sqlite3.Connection) -> None:
    c = reference("“Honor your father and your mother” (Exodus 20:12).", lib)
    assert (c.ref, c.checked, c.alternatives) == ("Exodus 20:12", True, [])


def test_a_transliteration_beside_the_translation_does_not_hide_the_verse(lib: sqlite3.Connection) -> None:
    text = '"Ki ani yadati ki gadol Hashem / For I know that Hashem is great, and our Lord above all gods" (Ps. 135:2)'
    assert (reference(text, lib).ref, reference(text, lib).checked) == ("Psalms 135:5", False)


def test_prose_beside_a_reference_never_moves_it(lib: sqlite3.Connection) -> None:
    c = reference("Exodus 20:11 speaks of honor owed to a father and a mother, the commentators say.", lib)
    assert (c.ref, c.checked, c.note) == ("Exodus 20:11", None, "")
    c = reference('Exodus 20:11 and then a story: "honor your father and your mother," he said.', lib)
    assert (c.ref, c.checked) == ("Exodus 20:11", None)  # the quotation does not touch the reference
