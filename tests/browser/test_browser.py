"""The web app in a real browser: reading, toggling marks, importing, citations, search, gematria."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from madrega.text import hebrew

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

pytestmark = pytest.mark.browser


def test_reader_opens_isaiah_51_and_toggles_niqqud(page: Any) -> None:
    page.goto("/read/Isaiah%2051")
    first = page.locator("#s-51-1 p.he")
    assert "Isaiah 51" in page.locator("h1").inner_text()
    assert hebrew.has_niqqud(first.inner_text()) and hebrew.has_cantillation(first.inner_text())
    assert page.locator("#s-51-1 p.en").inner_text().startswith("Listen to me")
    toggle = page.get_by_role("button", name="Hide niqqud")
    toggle.click()
    assert not hebrew.has_niqqud(first.inner_text())
    assert "שמעו" in first.inner_text()
    assert page.url.endswith("?niqqud=0")  # the address keeps the state for a reload
    assert page.get_by_role("button", name="Show niqqud").get_attribute("aria-pressed") == "false"
    page.get_by_role("button", name="Show niqqud").click()
    assert hebrew.has_niqqud(first.inner_text())
    page.get_by_role("link", name="Isaiah 52 →").first.click()
    page.wait_for_url("**/read/Isaiah%2052")


def test_reader_without_js_state_in_the_address(page: Any) -> None:
    page.goto("/read/Isaiah%2051?niqqud=0")
    assert not hebrew.has_niqqud(page.locator("#s-51-1 p.he").inner_text())


def test_import_tanya_lesson_by_upload_shows_pairs(page: Any, seeds: Path) -> None:
    lesson = seeds / "tanya-lesson.txt"
    if not lesson.exists():
        pytest.skip(f"{lesson} is missing")
    page.goto("/documents/import")
    page.get_by_label("A file to upload").set_input_files(str(lesson))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/documents/*")
    pairs = page.locator("section.pair")
    assert pairs.count() >= 5
    with_both = page.locator("section.pair:has(.source):has(.translation)")
    assert with_both.count() >= 5
    source = with_both.first.locator(".source")
    assert source.get_attribute("lang") == "he" and source.get_attribute("dir") == "rtl"
    assert hebrew.is_hebrew(source.inner_text())


@pytest.mark.parametrize("screen", ["wide", "phone"])
def test_a_pasted_note_imported_under_its_own_title(screen: str, request: pytest.FixtureRequest) -> None:
    page = request.getfixturevalue(screen)
    page.goto("/documents/import")
    page.get_by_label("…or paste the text").fill("jotted on the bus\n\nOn comfort, see Isaiah 51:3.\n")
    page.get_by_label("Title").fill(f"Comfort on the {screen} screen")
    page.screenshot(path=str(ARTIFACTS / f"import-form-{screen}.png"), full_page=True)
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(f"**/documents/comfort-on-the-{screen}-screen")
    assert f"Comfort on the {screen} screen" in page.locator("h1").inner_text()


def test_citation_preview_and_click_through(page: Any) -> None:
    page.goto("/documents/rock-and-quarry")
    cite = page.locator("a.cite[data-ref]").first
    ref = cite.get_attribute("data-ref")
    assert ref and ref.startswith("Isaiah 51")
    cite.hover()
    popover = page.locator("#cite-popover")
    popover.wait_for(state="visible")
    expect(popover.locator("h3")).to_contain_text(ref)
    assert ref in popover.locator("h3").inner_text()
    assert hebrew.is_hebrew(popover.locator("p.he").first.inner_text())
    cite.focus()
    assert cite.get_attribute("aria-describedby") == "cite-popover"
    cite.click()
    page.wait_for_url("**/read/**")
    assert ref in page.locator("h1").inner_text()
    assert page.locator(".passage .he").count() >= 1


def test_hebrew_search_from_the_home_page(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Words, in Hebrew or English").fill("צור חצבתם")
    page.get_by_label("Words, in Hebrew or English").press("Enter")
    page.wait_for_url("**/search?q=*")
    hits = page.locator("ol.hits li")
    assert hits.count() >= 1
    assert page.locator("ol.hits mark").count() >= 2
    page.locator("ol.hits a[href^='/read/']").first.click()
    page.wait_for_url("**/read/Isaiah%2051%3A1")
    assert "Isaiah 51:1" in page.locator("h1").inner_text()


def test_gematria_live_and_lookup(page: Any) -> None:
    page.goto("/gematria")
    box = page.get_by_label("A Hebrew word, phrase or number")
    box.type("שלום")
    expect(page.locator("#gematria-live")).to_contain_text("376")
    page.get_by_role("button", name="Count and find").click()
    page.wait_for_url("**/gematria?*")
    assert page.locator(".value").inner_text() == "376"
    assert page.locator("ol.hits li").count() >= 1
    assert page.locator("ol.hits li", has_text="שלום").count() == 1


def test_a_pasted_word_longer_than_the_screen_wraps(phone: Any) -> None:
    """An echoed query of one long word ("Nothing found for …") stays inside a phone's width."""
    phone.goto("/search?q=" + "א" * 400)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
