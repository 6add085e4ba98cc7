"""The journal in a real browser: a step adds exactly one brick, a brick tells which step it was,
a short hitbodedut session is recorded with its length, a plan's portion is marked done."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from serving import HTTP_LIMIT, ClockFile

pytestmark = pytest.mark.browser


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def stop_running_timers(server: str) -> None:
    for timer in httpx.get(server + "/api/timers", timeout=HTTP_LIMIT).json()["running"]:
        httpx.post(f"{server}/api/timers/{timer['uid']}/stop", timeout=HTTP_LIMIT)


def test_a_new_step_adds_exactly_one_brick(page: Any) -> None:
    page.goto("/progress")
    before = page.locator("rect[data-step]").count()
    page.goto("/journal")
    note = unique("visited a friend")
    page.get_by_label("Kind", exact=True).select_option("kindness")
    page.get_by_label("Note", exact=True).fill(note)
    page.get_by_role("button", name="Record", exact=True).click()
    page.wait_for_url("**/journal?step=*")
    uid = re.search(r"step=([0-9a-f-]+)", page.url).group(1)  # type: ignore[union-attr]
    expect(page.locator(f"#step-{uid}")).to_contain_text(note)
    page.goto("/progress")
    assert page.locator("rect[data-step]").count() == before + 1
    assert page.locator(f'rect[data-step="{uid}"]').count() == 1


def test_clicking_or_entering_a_brick_shows_its_step(page: Any, server: str) -> None:
    notes = [unique("psalm at dawn"), unique("a coin in the box")]
    first = httpx.post(
        server + "/api/journal",
        data={"kind": "study", "ref": "Psalms 19", "note": notes[0]},
        timeout=HTTP_LIMIT,
    )
    second = httpx.post(
        server + "/api/journal",
        data={"kind": "tzedakah", "amount": "5", "note": notes[1]},
        timeout=HTTP_LIMIT,
    )
    uids = [first.json()["uid"], second.json()["uid"]]
    page.goto("/progress")
    detail = page.locator("#brick-detail")
    assert detail.is_hidden()
    brick = page.locator(f'rect[data-step="{uids[0]}"]')
    # one Tab stop for the whole building (a roving tabindex), every brick a button
    assert (
        page.locator('rect[data-step][tabindex="0"]').count() == 1 and brick.get_attribute("role") == "button"
    )
    brick.click()
    expect(detail).to_be_visible()
    expect(detail).to_contain_text(notes[0])
    expect(detail).to_contain_text("Psalms 19")
    assert detail.get_attribute("data-step") == uids[0]
    # The keyboard reaches every brick: focus one and press Enter.
    page.locator(f'rect[data-step="{uids[1]}"]').focus()
    page.keyboard.press("Enter")
    expect(detail).to_contain_text(notes[1])
    expect(detail).to_contain_text("5 ILS")
    assert page.locator(f'rect[data-step="{uids[1]}"]').get_attribute("aria-pressed") == "true"
    link = detail.get_by_role("link", name="Open this step in the journal")
    assert link.get_attribute("href") == f"/journal/{uids[1]}"


def hold_the_page_clock(page: Any, moment: datetime) -> None:
    """The page's clock set to the server's and standing still: it moves (its timers firing) only when
    the test runs it, as the server's moves only when the test moves it."""
    page.clock.install(time=moment - timedelta(minutes=1))
    page.clock.pause_at(moment)


def test_a_short_hitbodedut_session_is_recorded_with_its_length(
    page: Any, server: str, server_clock: ClockFile
) -> None:
    stop_running_timers(server)
    started = server_clock.advance(minutes=1)  # a moment of its own, after every step before it
    hold_the_page_clock(page, started)
    page.goto("/journal?heartbeat=1")
    page.get_by_role("button", name="Start a session").click()
    page.wait_for_url("**/journal?timer=*")
    uid = re.search(r"timer=([0-9a-f-]+)", page.url).group(1)  # type: ignore[union-attr]
    elapsed = page.locator(".j-running.j-live .j-elapsed")
    expect(elapsed).to_have_text("0:00")
    # Three seconds pass on both clocks: the page counts them, and says it is alive every second.
    server_clock.advance(seconds=3)
    with page.expect_request(lambda r: r.url.endswith(f"/api/timers/{uid}/heartbeat")):
        page.clock.run_for(3000)
    expect(elapsed).to_have_text("0:03")
    page.get_by_label("A word about it (optional)").fill("by the open window")
    page.get_by_role("button", name="Stop and record").click()
    page.wait_for_url("**/journal?step=*")
    row = page.locator(f"#step-{uid}")
    expect(row).to_contain_text("hitbodedut")
    expect(row).to_contain_text("by the open window")
    seconds = int(re.search(r"(\d+) s", row.locator(".j-duration").inner_text()).group(1))  # type: ignore[union-attr]
    assert seconds == 3
    assert httpx.get(server + "/api/timers", timeout=HTTP_LIMIT).json()["running"] == []


def test_leaving_the_page_mid_session_still_records_it(
    page: Any, server: str, server_clock: ClockFile
) -> None:
    stop_running_timers(server)
    started = server_clock.advance(minutes=1)
    uid = httpx.post(server + "/api/timers", timeout=HTTP_LIMIT).json()["uid"]
    hold_the_page_clock(page, started)
    page.goto(f"/journal?timer={uid}&heartbeat=1")
    server_clock.advance(seconds=6)
    page.clock.run_for(6000)
    expect(page.locator(".j-running.j-live .j-elapsed")).to_have_text("0:06")
    page.goto("/progress")  # pagehide: the beacon stops the session
    # A beacon is out of Playwright's sight: the new page asks until the step is there (the browser's
    # condition wait; its limit only fails a session never recorded).
    recorded = "async uid => (await fetch('/api/journal/' + uid)).ok"
    page.wait_for_function(recorded, arg=uid, polling=100, timeout=60_000)
    found = httpx.get(f"{server}/api/journal/{uid}", timeout=HTTP_LIMIT)
    assert found.status_code == 200, "the session was not recorded when the page went away"
    assert found.json()["kind"] == "hitbodedut" and found.json()["minutes"] == 0.1  # six seconds
    page.reload()  # the beacon may land after /progress was drawn
    assert page.locator(f'rect[data-step="{uid}"]').count() == 1


def test_marking_a_plan_portion_done(page: Any) -> None:
    page.goto("/plans")
    page.get_by_label("Work or range").fill("Psalms 140-144")
    page.get_by_label("Days", exact=True).fill("5")
    page.get_by_role("button", name="Add plan").click()
    page.wait_for_url("**/plans#plan-*")
    plan = page.locator("section.j-plan", has=page.get_by_role("heading", name="Psalms 140-144"))
    today = plan.locator(".j-today-portion")
    expect(today).to_contain_text("Psalms 140")
    expect(today.locator(".j-done")).to_have_count(0)
    today.get_by_role("button", name="Mark Psalms 140 done").click()
    page.wait_for_url("**/plans#plan-*")
    expect(today.locator(".j-done")).to_have_text("✓ done")
    expect(plan).to_contain_text("1 of 5 portions done")
    # Marking done recorded the study: it is in the journal, with a link into the reader.
    page.goto("/journal")
    study = page.locator("table.j-steps tr", has_text="plan: Psalms 140-144")
    expect(study).to_have_count(1)
    study.get_by_role("link", name="Psalms 140", exact=True).click()
    page.wait_for_url("**/read/Psalms%20140")
    assert "Psalms 140" in page.locator("h1").inner_text()
    page.goto("/plans")  # end on the marked plan, for the screenshot
    expect(page.locator(".j-today-portion .j-done").first).to_be_visible()
