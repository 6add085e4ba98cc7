"""A loosely spelled title (a consonant skeleton) must still be close to the name it loosens to: the
skeleton loses the words' boundaries, and names far apart meet in it."""

from __future__ import annotations

import pytest

from madrega import refs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shach Yoreh Deah 1:1", "Siftei Cohen on Yoreh De'ah 1:1"),  # was Tanya's Shaar HaYichud 1:1
        ("Shach, Yoreh Deah 5:2", "Siftei Cohen on Yoreh De'ah 5:2"),
        ("Shach Choshen Mishpat 1:1", "Siftei Kohen on Shulchan Arukh, Choshen Mishpat 1:1"),
        ("Taz, Orach Chaim 1:1", "Turei Zahav on Shulchan Arukh, Orach Chayim 1:1"),
        ("Turei Zahav, Orach Chaim 25:3", "Turei Zahav on Shulchan Arukh, Orach Chayim 25:3"),
        # spellings the loose key is for still loosen
        ("Berachos 2a", "Berakhot 2a"),
        ("Shabbos 31a", "Shabbat 31a"),
        ("Kesubos 2a", "Ketubot 2a"),
        ("Tzefania 3:9", "Zephaniah 3:9"),
        ("Mesillas Yesharim 1", "Mesillat Yesharim 1"),
    ],
)
def test_read(text: str, expected: str) -> None:
    assert str(refs.parse(text)) == expected


@pytest.mark.parametrize("text", ["Sh Yoreh Deah 1:1", "Shyoreh Deah 1:1"])
def test_a_skeleton_that_meets_a_far_name_is_refused(text: str) -> None:
    with pytest.raises(refs.RefError):
        refs.parse(text)
