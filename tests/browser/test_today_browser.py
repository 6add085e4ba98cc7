"""Today in a real browser: a plan portion read today comes due for review tomorrow (the server's
clock is a file the test moves: no sleeping) and is marked reviewed from the Today page; the page
fits a 390 px phone. Screenshots (wide and phone) go to tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from madrega import db
from madrega.practice import cycles, plans
from serving import HTTP_LIMIT, ClockFile, madrega_serve

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
START = datetime(2025, 3, 2, 9, 0, tzinfo=UTC)  # Sunday 2 Adar 5785, morning


@pytest.fixture(scope="module")
def clocked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ClockFile]]:
    """`madrega serve` over a fresh journal whose clock is a file; yields (base URL, clock file)."""
    where = tmp_path_factory.mktemp("today")
    clock = ClockFile(where / "clock", START)
    path = where / "today.sqlite"
    conn = db.connect(path)
    cycles.set_setting(conn, "timezone", "UTC")
    cycles.keep(conn, "chitas, daf_yomi, rambam3, hayom_yom", since=START.date())
    plans.add_plan(conn, "Iggeret HaTeshuvah", by="chapter", reviews=(1, 7), now=START)
    conn.close()
    # The server's environment only: this process's own stays as it was.
    with madrega_serve(
        ["--db", str(path)], "today-server.log", env={**clock.env, "MADREGA_OFFLINE": "1"}
    ) as base:
        yield base, clock


def test_a_review_comes_due_and_is_marked_on_the_today_page(
    browser: Any, clocked: tuple[str, ClockFile]
) -> None:
    base, clock = clocked
    context = browser.new_context(base_url=base, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # Sunday: read the plan's first portion from Today; nothing is due for review yet.
    page.goto("/today")
    expect(page.locator("#reviews")).to_contain_text("No reviews due.")
    plan = page.locator(".j-plan").first
    plan.get_by_role("button", name="Mark Tanya, Part III; Iggeret HaTeshuvah 1 done").click()
    page.wait_for_url("**/today#plan-*")
    expect(plan).to_contain_text("✓ done")
    expect(page.locator("#reviews")).to_contain_text("No reviews due.")
    cycle_names = page.locator(".j-cycle .j-cycle-name").all_inner_texts()
    assert cycle_names == [
        "Chumash with Rashi",
        "Tehillim (monthly)",
        "Tanya",
        "Hayom Yom",
        "Daf Yomi",
        "Rambam (3 chapters)",
    ]

    # Monday: the clock moves a day; the review is due and Today lists it.
    clock.set(START + timedelta(days=1))
    page.goto("/today")
    review = page.locator(".j-review")
    expect(review).to_have_count(1)
    expect(review).to_contain_text("Tanya, Part III; Iggeret HaTeshuvah 1")
    expect(review).to_contain_text("review 1, 1 day after the first reading")
    assert review.get_attribute("data-pass") == "1"
    expect(page.locator("#catch-up")).to_contain_text("Daf Yomi")  # Sunday's cycles wait to be caught up
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "today-review-due-wide.png"), full_page=True)

    phone = browser.new_context(base_url=base, viewport={"width": 390, "height": 844}, device_scale_factor=2)
    small = phone.new_page()
    small.goto("/today")
    expect(small.locator(".j-review")).to_have_count(1)
    overflow = small.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the Today page is {overflow}px wider than a 390px phone"
    small.screenshot(path=str(ARTIFACTS / "today-review-due-phone.png"), full_page=True)
    phone.close()

    # Mark it reviewed on the page: it leaves the list, and the journal has the study step for it.
    review.get_by_role("button", name="Mark review 1 of Tanya, Part III; Iggeret HaTeshuvah 1 done").click()
    page.wait_for_url("**/today#plan-*")
    expect(page.locator("#reviews")).to_contain_text("No reviews due.")
    state = httpx.get(base + "/api/plans", timeout=HTTP_LIMIT).json()[0]
    assert [p["pass"] for p in state["passes"]["1"]] == [0, 1]
    steps = httpx.get(base + "/api/journal", timeout=HTTP_LIMIT).json()
    assert [s["ref"] for s in steps] == ["Tanya, Part III; Iggeret HaTeshuvah 1"] * 2
    assert [s["day"] for s in steps] == ["2025-03-02", "2025-03-03"]

    # A cycle's portion marked done on the page shows done.
    page.locator("#cycle-daf_yomi").get_by_role("button", name="Mark Daf Yomi done").click()
    page.wait_for_url("**/today#cycle-daf_yomi")
    expect(page.locator("#cycle-daf_yomi")).to_contain_text("✓ done")
    page.screenshot(path=str(ARTIFACTS / "today-review-done-wide.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
