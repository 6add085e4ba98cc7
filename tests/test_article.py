"""Articles and blog pages: chrome removed, posts split, headings found, meta kept aside."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madrega.errors import ImportFailed
from madrega.study.document import Document
from madrega.study.importers.article import parse_article
from madrega.study.importers.lesson import detect_kind

ARTICLES = Path(__file__).parent / "fixtures" / "articles"

CHROME = re.compile(
    r"top of page|bottom of page|\d+\s*views|\d+\s*comments?|Post not marked|Recent Posts|See All|Log In|"
    r"Share this|Leave a Reply|powered by|cookies|Previous post|Writer's picture|min read|©",
    re.IGNORECASE,
)


def article(name: str) -> Document:
    return parse_article((ARTICLES / name).read_text(encoding="utf-8"), source=name)


def first_headings(doc: Document) -> list[str]:
    return [
        next(s.text for s in doc.segments if s.post == i and s.role == "heading")
        for i in range(len(doc.posts))
    ]


def test_seed_blog_is_three_posts_without_chrome(seeds: Path) -> None:
    doc = parse_article((seeds / "breslov-blog.txt").read_text(encoding="utf-8"), source="breslov-blog.txt")
    assert len(doc.posts) == 3
    assert {s.post for s in doc.segments} == {0, 1, 2}
    assert not [s.text for s in doc.segments if CHROME.search(s.text) and len(s.text) < 40]
    assert not [s.text for s in doc.segments if s.text.strip() in ("top of page", "bottom of page")]
    assert first_headings(doc) == doc.posts
    headings = [s.text for s in doc.segments if s.role == "heading" and s.post == 0]
    assert "The Role of the Tzaddik: Building Holiness for All" in headings
    assert "Share Your Steps!" in headings
    # Posts split where the view counters stood, in order.
    assert "Likutei Moharan II:32:2" in next(
        s.text for s in doc.segments if s.post == 1 and s.role == "commentary"
    )
    assert "Likutei Moharan II:30" in next(
        s.text for s in doc.segments if s.post == 2 and s.role == "commentary"
    )
    assert {s.role for s in doc.segments} == {"heading", "commentary"}


def test_wix_like_page() -> None:
    doc = article("wix-post.html")
    assert doc.posts == ["Small Steps Still Count"]
    assert doc.title == "Small Steps Still Count"
    assert [s.text for s in doc.segments if s.role == "heading"] == [
        "Small Steps Still Count",
        "Why the Little Things Last",
        "Starting Again",
    ]
    assert not [s.text for s in doc.segments if CHROME.search(s.text)]
    assert "Another Post Teaser" not in " ".join(s.text for s in doc.segments)
    assert len([s for s in doc.segments if s.role == "commentary"]) == 4
    assert doc.meta["author"] == "Dana Levi"


def test_wordpress_like_page() -> None:
    doc = article("wordpress.html")
    assert doc.posts == ["On Quiet Mornings"]
    texts = [s.text for s in doc.segments]
    assert not [t for t in texts if CHROME.search(t)]
    joined = " ".join(texts)
    for gone in (
        "Lovely piece",
        "Tagged mornings",
        "Skip to content",
        "Posted in",
        "The Study Table",
        "Eli Stern",
    ):
        assert gone not in joined
    assert "“A little, every day” is a rule a tired person can keep." in texts  # a blockquote is text
    assert "365 small mornings" in joined  # a number in prose is not a footnote
    noted = next(s for s in doc.segments if s.footnotes)
    assert noted.text.endswith("the better morning.") and noted.footnotes[0].marker == "1"
    assert doc.meta["date"].startswith("2024-03-10")


def test_page_with_two_articles() -> None:
    doc = article("two-posts.html")
    assert doc.posts == ["Counting the Omer Without Counting Failures", "A Table With Room for Guests"]
    assert first_headings(doc) == doc.posts
    assert [s.text for s in doc.segments if s.post == 1 and s.role == "heading"][1] == "Finding a Partner"
    joined = " ".join(s.text for s in doc.segments)
    assert "By Eli Stern" not in joined and "12 views" not in joined


def test_text_page_split_by_view_counters() -> None:
    doc = article("two-posts.txt")
    assert len(doc.posts) == 2
    assert doc.posts[0] == "Counting Without Counting Failures"
    # The second post lost its title in the copy: it is named by its opening words.
    assert doc.posts[1] == "A study partner changes what we notice"
    assert doc.meta["derived_titles"] == [1]
    assert first_headings(doc) == doc.posts
    assert "An Older Post Teaser" not in " ".join(s.text for s in doc.segments)


def test_detect_kind_on_articles(seeds: Path) -> None:
    assert detect_kind((seeds / "breslov-blog.txt").read_text(encoding="utf-8")) == "article"
    assert detect_kind((ARTICLES / "wordpress.html").read_text(encoding="utf-8")) == "article"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n \n",
        "top of page\n\n7 views0 comments\n\nbottom of page\n",
        "<html><body><nav>Home</nav></body></html>",
    ],
)
def test_nothing_to_read_is_refused(text: str) -> None:
    with pytest.raises(ImportFailed) as err:
        parse_article(text, source="page.html")
    assert err.value.message.startswith("page.html: line 1: expected")


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_arbitrary_text_returns_a_document_or_refuses_cleanly(text: str) -> None:
    try:
        doc = parse_article(text, source="x.txt")
    except ImportFailed as err:
        assert err.message.startswith("x.txt: line ")
    else:
        assert doc.posts and all(s.post is not None and s.post < len(doc.posts) for s in doc.segments)
