"""Written references in prose: found with exact spans and canonical refs, and no false alarms."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from linker_cases import refs_of
from madrega.study.linker import link

FIXTURES = Path(__file__).parent / "fixtures" / "linker"


def test_english_fixture_finds_every_reference_and_nothing_else() -> None:
    text = (FIXTURES / "english.txt").read_text(encoding="utf-8")
    assert refs_of(text) == [
        ("Tehillim 23:4", "Psalms 23:4"),
        ("Psalms 23:6", "Psalms 23:6"),
        ("Iyov (Job) 38:4", "Job 38:4"),
        ("ibid., 38:7", "Job 38:7"),
        ("Shabbat 31a", "Shabbat 31a"),
        ("Mishnah Avot 1:14", "Pirkei Avot 1:14"),
        ("Genesis 12:1-3", "Genesis 12:1-3"),
        ("Exodus 3:4", "Exodus 3:4"),
    ]


def test_spans_point_into_the_original_text() -> None:
    text = (FIXTURES / "hebrew.txt").read_text(encoding="utf-8")
    for c in link(text):
        assert text[c.start : c.end] == c.text


def test_hebrew_fixture_parenthesized_refs_and_ibid() -> None:
    text = (FIXTURES / "hebrew.txt").read_text(encoding="utf-8")
    assert refs_of(text) == [
        ("תהלים כג, ד", "Psalms 23:4"),
        ("שם פסוק ו", "Psalms 23:6"),
        ("ברכות דף ה.", "Berakhot 5a"),
    ]


def test_hebrew_title_with_prefix_maqaf_and_niqqud() -> None:
    text = 'כְּמוֹ שֶׁנִּתְבָּאֵר בְּלִקּוּטֵי־אֲמָרִים פֶּרֶק מ"ו.'
    assert refs_of(text) == [('בְּלִקּוּטֵי־אֲמָרִים פֶּרֶק מ"ו', "Tanya, Part I; Likkutei Amarim 46")]


def test_work_named_then_chapter() -> None:
    text = "This is explained at length in Likkutei Amarim, ch. 32, and in Likutei Moharan II:12:3."
    assert refs_of(text) == [
        ("Likkutei Amarim, ch. 32", "Tanya, Part I; Likkutei Amarim 32"),
        ("Likutei Moharan II:12:3", "Likutei Moharan, Part II 12:3"),
    ]


def test_bare_chapters_resolve_against_the_lesson() -> None:
    text = "As noted above, in ch. 3, and again in chs. 7 and 8."
    found = refs_of(text, context_ref="Tanya, Part III; Iggeret HaTeshuvah 10")
    assert [r for _, r in found] == [
        "Tanya, Part III; Iggeret HaTeshuvah 3",
        "Tanya, Part III; Iggeret HaTeshuvah 7",
        "Tanya, Part III; Iggeret HaTeshuvah 8",
    ]
    assert refs_of(text) == []  # without a context a bare chapter names nothing


def test_ibid_without_a_previous_citation_is_not_a_citation() -> None:
    assert refs_of("See ibid. for more; (שם) too.") == []


def test_ibid_repeats_the_previous_reference() -> None:
    assert refs_of("See Berakhot 5a and ibid., 5b, then ibid.") == [
        ("Berakhot 5a", "Berakhot 5a"),
        ("ibid., 5b", "Berakhot 5b"),
        ("ibid.", "Berakhot 5b"),
    ]


def test_traps_are_not_citations() -> None:
    traps = [
        "It was a job well done, and 7 views later nobody cared.",
        "Their shared numerical value of 340 is known; a quorum of ten is needed.",
        "Ruth walked home. Numbers matter. Kings and Judges met. Lamentations were heard.",
        "The Exodus of the workers, Proverbs without numbers, and Genesis as a band name.",
        'He spoke of the mouth."1 Footnote 2 follows.',
        "On Shabbat 3 people came to the Sukkah 2 hours early.",
        "Job, 7 times over, was patient.",
    ]
    for text in traps:
        assert link(text) == [], text


def test_invalid_address_is_not_a_citation() -> None:
    assert refs_of("Job 48:7 does not exist, nor Genesis 51.") == []


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["Genesis", "Exodus", "Isaiah", "Psalms", "Job", "Proverbs"]),
    st.integers(1, 20),
    st.integers(1, 5),
    st.sampled_from(["As we read in {} today.", "({})", "See {}, and more.", "{}"]),
)
def test_a_verse_reference_in_prose_is_found_exactly(book: str, chapter: int, verse: int, frame: str) -> None:
    ref = f"{book} {chapter}:{verse}"
    text = frame.format(ref)
    found = link(text)
    assert [(c.text, c.ref) for c in found] == [(ref, ref)]
    assert text[found[0].start : found[0].end] == ref


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.integers(0, 10_000).map(str), st.sampled_from(["views", "people", "ten", "a", "job"])),
        max_size=12,
    )
)
def test_numbers_in_ordinary_prose_are_never_citations(words: list[str]) -> None:
    assert link(" ".join(words)) == []


def test_a_list_of_places_links_each_one() -> None:
    assert refs_of("Compare Genesis 1:1; 2:3 and the rest.") == [
        ("Genesis 1:1", "Genesis 1:1"),
        ("2:3", "Genesis 2:3"),
    ]
    assert refs_of("As in Job 8:7, 9 and 12.") == [
        ("Job 8:7", "Job 8:7"),
        ("9", "Job 8:9"),
        ("12", "Job 8:12"),
    ]
    assert refs_of("See Berakhot 5a; 6b.") == [("Berakhot 5a", "Berakhot 5a"), ("6b", "Berakhot 6b")]
    assert refs_of("Read Genesis 1:1-3; 2:4-6.") == [
        ("Genesis 1:1-3", "Genesis 1:1-3"),
        ("2:4-6", "Genesis 2:4-6"),
    ]


def test_a_number_after_a_reference_is_not_always_a_place() -> None:
    assert refs_of("He read Job 8:7, 12 times a day.") == [("Job 8:7", "Job 8:7")]
    assert refs_of("After Job 8:7, 9 people came.") == [("Job 8:7", "Job 8:7")]
    assert refs_of("Shabbat 31a, 2 more pages.") == [("Shabbat 31a", "Shabbat 31a")]
    assert refs_of("Job 8:7; 99:1 is no place.") == [("Job 8:7", "Job 8:7")]


def test_links_in_formatted_text_keep_the_formatting() -> None:
    from madrega.study.linker import link_markup
    from madrega.text.markup import plain_text

    markup = "As <i>Job 8:7</i> says &amp; <b>Psalms</b> 23:1<br>shows."
    out = link_markup(markup, link(plain_text(markup)))
    assert '<i><a class="citation reference" href="/read/Job.8.7"' in out and "</a></i>" in out
    assert "<b><a " in out and "&amp;" in out and "<br>" in out
    assert plain_text(out) == plain_text(markup)
    assert out.count('data-ref="Psalms 23:1"') == 2  # the link is split where the bold ends


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Job 8:7", " and ", "<b>", "</b>", "<i>see</i> ", "Psalms 23:1", " &amp; ", "<br>", "x"]
        ),
        max_size=10,
    )
)
def test_linking_markup_never_changes_its_text(pieces: list[str]) -> None:
    from madrega.study.linker import link_markup
    from madrega.text.markup import plain_text, sanitize

    markup = sanitize("".join(pieces)).text
    out = link_markup(markup, link(plain_text(markup)))
    assert plain_text(out) == plain_text(markup)
    assert out.count("<a ") == out.count("</a>")
