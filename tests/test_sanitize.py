"""The sanitizer keeps inline marks, lifts footnotes and markers out, and lets nothing active through."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from madrega.text.markup import ALLOWED, insert_at_offsets, plain_text, sanitize

TAG = re.compile(r"</?([a-zA-Z0-9-]+)([^>]*)>")


def test_footnote_becomes_structured_and_leaves_the_text() -> None:
    s = sanitize('Light<sup class="footnote-marker">1</sup><i class="footnote">See <i>there</i>.</i> shone.')
    assert s.text == "Light shone."
    assert s.footnotes == [{"marker": "1", "offset": 5, "text": "See <i>there</i>."}]


def test_tanya_daily_markers_are_data_not_text() -> None:
    s = sanitize(
        '<i data-overlay="Vilna Pages" data-value="[מ: יט כסלו]"></i> '
        '<i data-overlay="Vilna Pages" data-value="[פ: כ כסלו]"></i> <b>פתח</b> דבר'
    )
    assert s.text == "<b>פתח</b> דבר"
    assert plain_text(s.text) == "פתח דבר"
    assert s.markers == [
        {"kind": "tanya-daily", "cycle": "leap", "date": "יט כסלו", "offset": 0},
        {"kind": "tanya-daily", "cycle": "regular", "date": "כ כסלו", "offset": 0},
    ]


def test_page_marker_mid_text_keeps_its_offset() -> None:
    s = sanitize('אחד <i data-overlay="Vilna Pages" data-value="11b"></i>שתים')
    assert s.text == "אחד שתים"
    assert s.markers == [{"kind": "page", "value": "11b", "offset": 4}]


def test_dangerous_html_is_removed() -> None:
    s = sanitize(
        '<script>alert(1)</script><style>b{}</style><b onclick="x()" style="color:red">bold</b> '
        '<a href="javascript:alert(1)">link</a> <img src=x onerror="y()"><span class="c">s</span>'
    )
    assert s.text == "<b>bold</b> link <span>s</span>"
    assert "alert" not in s.text and "javascript" not in s.text


def test_entities_stay_escaped_in_text_and_decode_in_plain() -> None:
    s = sanitize("a &amp; b &lt;c&gt;")
    assert s.text == "a &amp; b &lt;c&gt;"
    assert plain_text(s.text) == "a & b <c>"


def test_bold_inside_a_word_does_not_split_it() -> None:
    assert plain_text(sanitize("<b>ת</b>ניא").text) == "תניא"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))  # HTML drops controls
def test_plain_text_round_trips_escaped_text(raw: str) -> None:
    s = sanitize(html.escape(raw, quote=False))
    assert plain_text(s.text) == " ".join(raw.split())


_fragment = st.lists(
    st.one_of(
        st.text(alphabet="אבג abc&<>\"'=/", max_size=8),
        st.sampled_from(
            [
                "<b>",
                "</b>",
                "<i>",
                "</i>",
                "<script>",
                "</script>",
                '<a href="javascript:x">',
                "</a>",
                '<span style="x" onmouseover="y">',
                "</span>",
                "<br>",
                '<sup class="footnote-marker">',
                "</sup>",
                '<i class="footnote">',
                '<i data-overlay="Vilna Pages" data-value="2a">',
                "<div>",
                "</div>",
                "<!-- c -->",
                "<style>",
                "</style>",
            ]
        ),
    ),
    max_size=25,
).map("".join)


@given(_fragment)
def test_output_only_holds_allowed_tags_without_attributes(fragment: str) -> None:
    s = sanitize(fragment)
    for m in TAG.finditer(s.text):
        assert m.group(1) in ALLOWED
        assert m.group(2).strip() == ""
    assert "javascript:" not in s.text.lower() or "&" in s.text
    for item in [*s.footnotes, *s.markers]:
        assert 0 <= item["offset"] <= len(s.text)


def test_insert_at_offsets_puts_markers_back() -> None:
    assert insert_at_offsets("ab cd", [(2, "[1]"), (5, "[2]")]) == "ab[1] cd[2]"
