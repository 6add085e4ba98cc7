"""The reader as a study tool in a real browser: the connections panel of Isaiah 51:16 (the Talmud
and the user's own lesson), following a citation and coming back to the same verse, dark mode kept
across pages, a source sheet of a lesson downloaded as PDF, and a tap-to-preview on a phone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from madrega.text import hebrew

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
VERSE = "/read/Isaiah%2051%3A16"


def _import_lesson(page: Any, seeds: Path) -> str:
    """Upload the seed lesson (as a user would) and return its page's address."""
    lesson = seeds / "tanya-lesson.txt"
    if not lesson.exists():
        pytest.skip(f"{lesson} is missing")
    page.goto("/documents/import")
    page.get_by_label("A file to upload").set_input_files(str(lesson))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/documents/*")
    return str(page.url)


def test_isaiah_51_16_panel_shows_the_talmud_and_the_lesson_then_leads_back(wide: Any, seeds: Path) -> None:
    _import_lesson(wide, seeds)
    wide.goto(VERSE)
    panel = wide.locator("aside.connections")
    expect(panel).to_be_visible()
    talmud = panel.locator("details[data-group='Talmud']")
    expect(talmud.locator("a.source", has_text="Chagigah 5b")).to_be_visible()
    mine = panel.locator("details[data-group='Your documents']")
    expect(mine.locator("a.source").first).to_be_visible()
    assert hebrew.is_hebrew(talmud.locator("blockquote").first.inner_text())
    # the panel beside the text on a wide screen
    text_box, panel_box = wide.locator(".text-column").bounding_box(), panel.bounding_box()
    assert panel_box["x"] >= text_box["x"] + text_box["width"]
    wide.screenshot(path=str(ARTIFACTS / "connections-isaiah-51-16-1280.png"), full_page=True)
    # follow the Talmud's citation, then come back to the same verse
    talmud.locator("a.source", has_text="Chagigah 5b").first.click()
    wide.wait_for_url("**/read/Chagigah%205b**")
    expect(wide.locator(".row:target")).to_be_visible()  # the citing passage itself, not the page top
    assert "ובצל ידי" in hebrew.strip_marks(wide.locator(".row:target").inner_text())
    wide.get_by_role("link", name="← Back to where you were").click()
    wide.wait_for_url(f"**{VERSE}#connections")
    assert "Isaiah 51:16" in wide.locator("h1").inner_text()


def test_a_citation_in_the_lesson_opens_the_verse_and_leads_back_to_its_place(wide: Any, seeds: Path) -> None:
    doc = _import_lesson(wide, seeds)
    cite = wide.locator("a.citation[data-ref='Isaiah 51:16']").first
    place = cite.evaluate("a => a.closest('[id]').id")
    cite.click()
    wide.wait_for_url("**/read/Isaiah.51.16?back=**")
    assert "Isaiah 51:16" in wide.locator("h1").inner_text()
    wide.keyboard.press("b")  # the key for the way back
    wide.wait_for_url(f"{doc}#{place}")
    expect(wide.locator(f"#{place}")).to_be_in_viewport()


def test_dark_mode_is_kept_on_the_next_page(wide: Any) -> None:
    wide.goto(VERSE)
    background = "getComputedStyle(document.body).backgroundColor"
    light = wide.evaluate(background)
    wide.get_by_role("button", name="Dark mode").click()
    expect(wide.locator("html")).to_have_attribute("data-theme", "dark")
    dark = wide.evaluate(background)
    assert dark != light and sum(int(x) for x in dark[4:-1].split(",")[:3]) < 150
    wide.get_by_role("link", name="Isaiah 52 →").first.click()
    wide.wait_for_url("**/read/Isaiah%2052")
    expect(wide.locator("html")).to_have_attribute("data-theme", "dark")  # kept: the server read the cookie
    assert wide.evaluate(background) == dark
    wide.goto("/library")
    assert wide.evaluate(background) == dark
    expect(wide.get_by_role("button", name="Light mode")).to_be_visible()


def test_next_keeps_the_settings_and_the_keys_turn_pages(wide: Any) -> None:
    wide.goto("/read/Isaiah%2051")
    wide.get_by_role("button", name="Hide niqqud").click()
    wide.keyboard.press("ArrowRight")
    wide.wait_for_url("**/read/Isaiah%2052")
    assert not hebrew.has_niqqud(wide.locator("#s-52-1 p.he").inner_text())
    wide.keyboard.press("ArrowLeft")
    wide.wait_for_url("**/read/Isaiah%2051")
    assert not hebrew.has_niqqud(wide.locator("#s-51-1 p.he").inner_text())


def test_a_lesson_becomes_a_sheet_and_downloads_as_pdf(wide: Any, seeds: Path) -> None:
    _import_lesson(wide, seeds)
    wide.get_by_role("button", name="Make a source sheet of it").click()
    wide.wait_for_url("**/sheets/*")
    source = wide.locator("section.item.source", has=wide.locator("h2 a", has_text="Isaiah 51:16"))
    expect(source).to_have_count(1)
    assert hebrew.is_hebrew(source.locator("p.he").first.inner_text())
    wide.get_by_label("Ref").fill("Job 8:7")
    wide.get_by_role("button", name="Add the source").click()
    wide.wait_for_url("**/sheets/*#item-*")
    expect(wide.locator("section.item.source h2 a", has_text="Job 8:7")).to_have_count(1)
    wide.screenshot(path=str(ARTIFACTS / "sheet-1280.png"), full_page=False)
    with wide.expect_download() as info:
        wide.get_by_role("link", name="PDF").click()
    pdf = ARTIFACTS / "sheet-from-lesson.pdf"
    info.value.save_as(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(ARTIFACTS / "sheet-from-lesson"),
            ],
            check=True,
        )


def test_on_a_phone_a_tap_shows_the_preview_first(phone: Any, seeds: Path) -> None:
    _import_lesson(phone, seeds)
    cite = phone.locator("a.citation[data-ref='Isaiah 51:16']").first
    cite.scroll_into_view_if_needed()
    before = phone.url
    cite.tap()
    popover = phone.locator("#cite-popover")
    expect(popover).to_be_visible()
    expect(popover.locator("h3")).to_contain_text("Isaiah 51:16")
    assert phone.url == before  # the first tap did not follow the link
    phone.screenshot(path=str(ARTIFACTS / "preview-on-tap-390.png"))
    cite.tap()
    phone.wait_for_url("**/read/Isaiah.51.16**")
    # on a narrow screen the panel is below the text
    text_box = phone.locator(".text-column").bounding_box()
    panel_box = phone.locator("aside.connections").bounding_box()
    assert panel_box["y"] >= text_box["y"] + text_box["height"] - 1
    phone.screenshot(path=str(ARTIFACTS / "connections-isaiah-51-16-390.png"), full_page=True)


def test_a_passage_prints_without_navigation_in_two_columns(wide: Any) -> None:
    wide.goto("/read/Isaiah%2051")
    wide.emulate_media(media="print")
    for chrome in ("header.site", "aside.connections", "nav.pager", ".reader-tools"):
        expect(wide.locator(chrome).first).to_be_hidden()
    row = wide.locator("#s-51-1")
    he, en = row.locator("p.he").bounding_box(), row.locator("p.en").bounding_box()
    assert abs(he["y"] - en["y"]) < 5 and he["x"] != en["x"]  # Hebrew and English side by side
    wide.screenshot(path=str(ARTIFACTS / "print-isaiah-51-1280.png"))
    wide.emulate_media(media="screen")
