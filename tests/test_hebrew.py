"""The Hebrew text core: marks, the matching key, and tokens whose offsets slice the original text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madrega.text.hebrew import (
    MAQAF,
    has_cantillation,
    has_niqqud,
    is_hebrew,
    normalize,
    split_words,
    strip_cantillation,
    strip_marks,
    tokenize,
    word_key,
    words,
)

# Genesis 1:1 and Isaiah 51:16 as they appear in the Masoretic text (niqqud, ta'amim, maqaf, sof pasuq).
GEN_1_1 = "בְּרֵאשִׁ֖ית בָּרָ֣א אֱלֹהִ֑ים אֵ֥ת הַשָּׁמַ֖יִם וְאֵ֥ת הָאָֽרֶץ׃"
ISA_51_16_START = "וָאָשִׂ֤ם דְּבָרַי֙ בְּפִ֔יךָ"
WITH_PASEQ = "וַיֹּ֣אמֶר ׀ אֵלָ֗יו"
WITH_MAQAF = "וַיְהִי־כֵֽן׃"


def test_strip_cantillation_keeps_niqqud() -> None:
    stripped = strip_cantillation(GEN_1_1)
    assert stripped == "בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם וְאֵת הָאָרֶץ׃"
    assert has_niqqud(stripped)
    assert not has_cantillation(stripped)
    assert has_cantillation(GEN_1_1)


def test_strip_marks_leaves_letters_spaces_and_punctuation() -> None:
    assert strip_marks(GEN_1_1) == "בראשית ברא אלהים את השמים ואת הארץ׃"
    assert strip_marks(WITH_MAQAF) == "ויהי־כן׃"
    assert strip_marks(WITH_PASEQ) == "ויאמר אליו"
    assert not has_niqqud(strip_marks(GEN_1_1))


def test_presentation_forms_and_normalization() -> None:
    assert strip_marks("\ufb2a\ufb4b") == "שו"  # precomposed שׁ and וֹ
    assert normalize("שׁ") == unicodedata.normalize("NFC", "שׁ")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("בְּרֵאשִׁ֖ית", "בראשית"),
        ("הָאָֽרֶץ׃", "הארצ"),  # finals match regular forms, sof pasuq is dropped
        ("ה׳", "ה'"),
        ("ה'", "יי"),
        ("יְהוָ֥ה", "יקוק"),
        ("וה'", "וַיהוָה"),
        ("אלקים", "אֱלֹהִים"),
        ("אלוקים", "אלהים"),
        ("אלוקינו", "אֱלֹהֵינוּ"),
        ("אלקות", "אלהות"),
        ("(ה׳),", "יהוה"),
        ('"וה\'"', "וה׳"),
        ('מ"ו', "מ״ו"),
        ("ז’", "ז׳"),
        ("Hello", "hello"),
    ],
)
def test_word_key_matches_spelling_variants(a: str, b: str) -> None:
    assert word_key(a) == word_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("אלקנה", "אלהנה"),  # Elkanah is a man, not a spelling of the Name
        ("ה", "ה'"),  # the article is not the Name
        ("שלום", "שלם"),  # defective spelling only matches with plene=True
    ],
)
def test_word_key_keeps_different_words_apart(a: str, b: str) -> None:
    assert word_key(a) != word_key(b)


def test_plene_key_matches_full_and_defective_spelling() -> None:
    quoted, isaiah = "וָאָשִׂים", ISA_51_16_START.split()[0]
    assert word_key(quoted) != word_key(isaiah)
    assert word_key(quoted, plene=True) == word_key(isaiah, plene=True)
    assert word_key("שלום", plene=True) == word_key("שָׁלֹם", plene=True)
    assert word_key("ויאמר", plene=True) == word_key("ויאמר", plene=True)
    assert word_key("וַיֹּ֣אמֶר", plene=True).startswith("ו")  # a leading vav is a prefix, kept


def test_tokenize_gives_exact_offsets_and_kinds() -> None:
    text = "He quoted ה' in פרק מ\"ו: וַיְהִי־כֵֽן׃ (Gen. 1:7), it's 2,000 years."
    tokens = tokenize(text)
    for t in tokens:
        assert text[t.start : t.end] == t.text
    kinds = [(t.text, t.kind) for t in tokens]
    assert ("ה'", "he") in kinds
    assert ('מ"ו', "he") in kinds
    assert ("וַיְהִי", "he") in kinds
    assert (MAQAF, "punct") in kinds
    assert ("כֵֽן", "he") in kinds
    assert ("׃", "punct") in kinds
    assert ("it's", "en") in kinds
    assert ("2,000", "num") in kinds
    assert (":", "punct") in kinds


def test_tokenize_closing_quote_is_not_part_of_the_word() -> None:
    tokens = tokenize('הוא אמר "שלום" לכולם')
    assert [t.text for t in tokens] == ["הוא", "אמר", '"', "שלום", '"', "לכולם"]


def test_tokenize_keeps_gershayim_year_whole() -> None:
    assert [t.text for t in tokenize("בשנת ה'תשפ\"ה")] == ["בשנת", "ה'תשפ\"ה"]


def test_tokenize_separates_scripts_without_a_space() -> None:
    assert [(t.text, t.kind) for t in tokenize("abcשלום")] == [("abc", "en"), ("שלום", "he")]


def test_words_and_split_words() -> None:
    assert [t.text for t in words("אמר: hello!")] == ["אמר", "hello"]
    assert split_words(WITH_MAQAF) == ["וַיְהִי", "כֵֽן׃"]
    assert len(split_words(GEN_1_1)) == 7


def test_is_hebrew_by_majority() -> None:
    assert is_hebrew(GEN_1_1)
    assert is_hebrew("שלום עולם, world")
    assert not is_hebrew("Hello world, שלום")
    assert not is_hebrew("123")


_CHARS = st.sampled_from(
    list("אבגדהוזחטיכךלמםנןסעפףצץקרשת") + list("\u05b0\u05b4\u05b8\u05bc\u0591\u05a5\u05bd")
    + list("\u05be\u05c3\u05f3\u05f4'\" ,.:;()-") + list("abcXYZ019")
)  # fmt: skip


@given(st.text(_CHARS, max_size=60) | st.text(max_size=40))
def test_tokens_slice_back_and_cover_everything_but_space(text: str) -> None:
    tokens = tokenize(text)
    position = 0
    for t in tokens:
        assert t.start >= position
        assert text[t.start : t.end] == t.text
        assert text[position : t.start].strip() == ""  # only whitespace is skipped
        position = t.end
    assert text[position:].strip() == ""


@given(st.text(_CHARS, max_size=30), st.text(_CHARS, max_size=30))
def test_joining_with_a_space_concatenates_tokens(a: str, b: str) -> None:
    joined = tokenize(a + " " + b)
    texts = [t.text for t in joined]
    left, right = tokenize(a), tokenize(b)
    # A trailing geresh on `a` may become a token of its own once separated; otherwise tokens just add up.
    if not a.endswith(("'", "\u05f3")):
        assert texts == [t.text for t in left] + [t.text for t in right]


@given(st.text(_CHARS, min_size=1, max_size=15))
def test_word_key_ignores_marks(word: str) -> None:
    assert word_key(word) == word_key(strip_marks(word))
    assert word_key(word, plene=True) == word_key(strip_marks(word), plene=True)
