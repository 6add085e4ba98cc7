"""The practice companion in a real browser, with a clock the test holds: a Shabbat passes and the
strength waits; after Havdalah a step is recorded for Shabbat and lands on it; the building at 1 to
10,000 steps (screenshots wide and at 390 px in tests/artifacts/), its bricks reached by mouse and
keyboard; the journal's table fits a phone."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

from madrega import api  # noqa: E402
from madrega.practice import calendar, journal  # noqa: E402
from practice_server import get_json, journal_of, serve  # noqa: E402

pytestmark = pytest.mark.browser
ARTIFACTS = TESTS / "artifacts"
JERUSALEM = ZoneInfo("Asia/Jerusalem")
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JERUSALEM)  # type: ignore[misc]


@pytest.fixture
def shot(browser: Any) -> Iterator[Any]:
    """new_page(base, viewport) -> a page; pages are closed afterwards, JavaScript errors fail the test."""
    contexts: list[Any] = []
    errors: list[str] = []

    def new_page(base: str, viewport: dict[str, int] = WIDE) -> Any:
        context = browser.new_context(base_url=base, viewport=viewport)
        contexts.append(context)
        pg = context.new_page()
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        return pg

    ARTIFACTS.mkdir(exist_ok=True)
    yield new_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def strength_shown(pg: Any) -> str:
    pg.goto("/progress")
    return str(pg.locator("#strength-value").inner_text())


def test_a_shabbat_passes_and_the_strength_waits(tmp_path: Path, shot: Any) -> None:
    path = tmp_path / "shabbat.sqlite"
    conn = api.connect(path)
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    day = date(2024, 2, 25)
    while day <= date(2024, 3, 15):  # every weekday for three weeks, up to Friday morning
        if day.weekday() != 5:
            journal.add_step(conn, "study", ref="Psalms 19", at=at(day.year, day.month, day.day, 7, 30))
        day += timedelta(days=1)
    conn.close()
    clock = calendar.FakeClock(at(2024, 3, 15, 14, 0))  # Friday afternoon, Erev Shabbat
    with serve(path, clock) as base:
        pg = shot(base)
        before = strength_shown(pg)
        assert re.fullmatch(r"\d+%", before)
        for moment in (at(2024, 3, 15, 19, 0), at(2024, 3, 16, 11, 0), at(2024, 3, 16, 17, 50)):
            clock.set(moment)  # Friday night, Shabbat morning, before Havdalah
            assert strength_shown(pg) == before
            pg.goto("/today")
            expect(pg.locator(".j-rest")).to_contain_text("Shabbat")
        clock.set(at(2024, 3, 16, 19, 30))  # after Havdalah: the Hebrew Sunday has begun
        assert strength_shown(pg) == before
        pg.goto("/today")
        expect(pg.locator(".j-greeting")).to_contain_text("Shavua tov")
        expect(pg.locator(".j-greeting")).to_contain_text("steps")
        expect(pg.locator(".j-now")).to_contain_text("Saturday evening, 16 Mar 2024 · 7 Adar II 5784")
        pg.screenshot(path=str(ARTIFACTS / "practice-after-shabbat.png"), full_page=True)
        data = get_json(base, "/api/progress")
        assert data["skipped"]["shabbat"] >= 3 and round(100 * data["strength"]) == int(before[:-1])


def test_a_step_recorded_after_havdalah_lands_on_shabbat(tmp_path: Path, shot: Any) -> None:
    path = tmp_path / "havdalah.sqlite"
    conn = api.connect(path)
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    for d in range(10, 16):
        journal.add_step(conn, "prayer", prayer="shacharit", at=at(2024, 3, d, 7, 0))
    conn.close()
    clock = calendar.FakeClock(at(2024, 3, 16, 19, 45))  # Motzaei Shabbat, 6 Adar II 5784
    with serve(path, clock) as base:
        pg = shot(base)
        before = get_json(base, "/api/progress")["strength"]
        pg.goto("/journal")
        pg.get_by_label("Kind", exact=True).select_option("study")
        pg.get_by_label("What (a ref or words, optional)").fill("Psalms 92")
        pg.get_by_label("Note", exact=True).fill("learned on Shabbat afternoon")
        day = pg.get_by_label("For", exact=True)
        expect(day.locator("option")).to_contain_text(["Now", "Shabbat, 16 Mar · 6 Adar II"])
        day.select_option("2024-03-16")
        pg.get_by_role("button", name="Record", exact=True).click()
        pg.wait_for_url("**/journal?step=*")
        uid = re.search(r"step=([0-9a-f-]+)", pg.url).group(1)  # type: ignore[union-attr]
        row = pg.locator(f"#step-{uid}")
        expect(row).to_contain_text("Shabbat, 16 Mar · 6 Adar II (recorded after)")
        expect(row).to_contain_text("learned on Shabbat afternoon")
        step = get_json(base, f"/api/journal/{uid}")
        assert (step["day"], step["late"], step["civil_date"]) == ("2024-03-16", True, "2024-03-16")
        pg.goto("/progress")
        cell = pg.locator('rect[data-day="2024-03-16"]')
        assert cell.get_attribute("data-count") == "1"
        assert get_json(base, "/api/progress")["strength"] > before  # learning on Shabbat counts
        pg.screenshot(path=str(ARTIFACTS / "practice-step-for-shabbat.png"), full_page=True)


@pytest.mark.parametrize("steps", [1, 10, 100, 1000, 10_000])
def test_the_building_at_every_size(tmp_path: Path, shot: Any, steps: int) -> None:
    end = at(2026, 12, 1, 21, 7)
    path = journal_of(tmp_path / f"b{steps}.sqlite", steps, end=end)
    with serve(path, calendar.FakeClock(end + timedelta(minutes=5))) as base:
        pg = shot(base, WIDE)
        pg.goto("/progress")
        bricks = pg.locator("svg.madrega-building rect[data-step]")
        assert bricks.count() == steps
        figure = pg.locator("figure.j-building")
        expect(figure).to_contain_text(f"A building of {steps:,} step")
        figure.screenshot(path=str(ARTIFACTS / f"building-{steps}-wide.png"))
        pg.screenshot(path=str(ARTIFACTS / f"progress-{steps}-wide.png"), full_page=True)
        # hover shows which step a brick is; a click opens it
        brick = bricks.nth(0)
        brick.hover()
        expect(pg.locator(".j-tip")).to_be_visible()
        assert pg.locator(".j-tip").inner_text() == brick.get_attribute("aria-label")
        brick.click(force=True)
        expect(pg.locator("#brick-detail")).to_contain_text("Open this step")
        assert pg.locator("#brick-detail").get_attribute("data-step") == brick.get_attribute("data-step")
        # one Tab stop for the building, then the arrow keys go from brick to brick
        assert (
            pg.locator('svg.madrega-building rect[data-step][tabindex="0"]').count() == 1
        )  # a roving Tab stop
        last = bricks.nth(steps - 1)
        assert last.get_attribute("role") == "button" and last.get_attribute("tabindex") in ("0", "-1")
        if steps > 1:
            last.focus()
            pg.keyboard.press("ArrowLeft")
            focused = pg.evaluate("document.activeElement.getAttribute('data-step')")
            assert focused == bricks.nth(steps - 2).get_attribute("data-step")
            pg.keyboard.press("Enter")
            expect(pg.locator("#brick-detail")).to_have_attribute("data-step", focused)

        phone = shot(base, PHONE)
        phone.goto("/progress")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        box = phone.locator("svg.madrega-building").bounding_box()
        assert box is not None and box["width"] <= PHONE["width"]
        phone.locator("figure.j-building").screenshot(path=str(ARTIFACTS / f"building-{steps}-390.png"))
        phone.screenshot(path=str(ARTIFACTS / f"progress-{steps}-390.png"), full_page=True)


def test_the_journal_table_fits_a_phone(tmp_path: Path, shot: Any) -> None:
    end = at(2026, 12, 1, 21, 7)
    path = journal_of(tmp_path / "phone.sqlite", 60, end=end)
    conn = api.connect(path)
    journal.add_step(
        conn, "study", ref="Tanya, Iggeret HaTeshuvah 10", minutes=25,
        note="a long note about what the chapter said about return, written without a break at all",
        at=end - timedelta(minutes=1),
    )  # fmt: skip
    conn.close()
    with serve(path, calendar.FakeClock(end)) as base:
        phone = shot(base, PHONE)
        for page in ("/journal", "/today", "/progress"):
            phone.goto(page)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], (page, width)
        phone.goto("/journal")
        expect(phone.locator(".j-steps tr").nth(1)).to_contain_text("Tuesday evening, 1 Dec · 22 Kislev")
        phone.screenshot(path=str(ARTIFACTS / "journal-390.png"), full_page=True)
