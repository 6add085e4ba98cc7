"""The group page's own forms — calling a gathering, starting a plan, taking and marking portions,
adding a first step to share — as a user without the CLI or the API uses them: form posts with the
session's CSRF token, a redirect when it worked, the same page with a clear error when it did not."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st

from madrega.community import minyan, plans
from madrega.community.backend import CommunityError

from .helpers import Person, make_group

GATHERING = {
    "title": "Mincha",
    "kind": "prayer",
    "when": "2030-12-03T13:30",
    "zone": "Asia/Jerusalem",
    "place": "the small room",
    "link": "",
    "needed": "10",
}


def form(p: Person, path: str, **fields: Any) -> Any:
    """Post a page form the way the browser does: urlencoded, the CSRF token in a hidden field."""
    return p.client.post(path, data={"csrf_token": p.csrf, **fields}, follow_redirects=False)


def gatherings(p: Person, group: int) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = p.get(f"/api/community/groups/{group}/gatherings").json()
    return data


def group_plans(p: Person, group: int) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = p.get(f"/api/community/groups/{group}/plans").json()
    return data


# ---------------------------------------------------------------- calling a gathering


def test_a_member_calls_a_gathering_and_members_read_its_time(person: Callable[..., Person]) -> None:
    sara, dovid = person("sara"), person("dovid")
    group = make_group(sara, dovid)
    page = sara.get(f"/community/groups/{group}").text
    assert 'type="datetime-local" name="when"' in page and "<option>Asia/Jerusalem</option>" in page
    assert '<script src="/community/assets/community.js" defer>' in page

    r = form(sara, f"/community/groups/{group}/gatherings", **GATHERING)
    assert r.status_code == 303 and r.headers["location"] == f"/community/groups/{group}#gatherings"
    [called] = gatherings(dovid, group)
    # 13:30 in Jerusalem in December (UTC+2) is 11:30 UTC; the caller counts as the first one coming.
    assert called["starts_at"] == "2030-12-03T11:30:00.000000Z" and called["zone"] == "Asia/Jerusalem"
    assert (called["title"], called["place"], called["coming"], called["needed"]) == (
        "Mincha",
        "the small room",
        1,
        10,
    )
    seen = dovid.get(f"/community/groups/{group}").text
    assert "Tue 3 Dec 2030, 13:30 (Asia/Jerusalem)" in seen and "1 coming, 9 more needed" in seen
    assert ">2030-12-03T11:30" not in seen  # the raw ISO text stays in the machine-readable attribute

    learning = {**GATHERING, "title": "Chevruta", "kind": "learning", "zone": "America/New_York"}
    learning.update(when="2031-03-04T20:00", place="", link="https://meet.example.org/tanya", needed="2")
    assert form(dovid, f"/community/groups/{group}/gatherings", **learning).status_code == 303
    second = gatherings(sara, group)[1]
    assert (second["kind"], second["link"], second["place"], second["needed"]) == (
        "learning",
        "https://meet.example.org/tanya",
        None,
        2,
    )
    assert "Tue 4 Mar 2031, 20:00 (America/New_York)" in sara.get(f"/community/groups/{group}").text


BAD_GATHERINGS = [
    ({"when": ""}, "give the date and time of the gathering"),
    ({"when": "next tuesday"}, "is not a date and time"),
    ({"zone": "Mars/Olympus_Mons"}, "unknown time zone"),
    ({"link": "javascript:alert(1)"}, "a link starts with https://"),
    ({"title": "  "}, "give the gathering a title"),
    ({"kind": "party"}, "a gathering is one of: prayer, learning"),
    ({"needed": "ten"}, "is a whole number"),
    ({"needed": "1"}, "needed is between 2 and 1000"),
    # The hour lost when summer time starts in Jerusalem (the last Friday of March, 2:00 → 3:00).
    ({"when": "2030-03-29T02:30"}, "does not exist on 2030-03-29 in Asia/Jerusalem"),
]


def test_bad_gathering_input_shows_the_error_by_the_form_and_creates_nothing(
    person: Callable[..., Person],
) -> None:
    sara = person("sara")
    group = make_group(sara)
    for change, message in BAD_GATHERINGS:
        r = form(sara, f"/community/groups/{group}/gatherings", **{**GATHERING, "title": "Maariv", **change})
        assert r.status_code == 422, (change, r.text)
        error = re.search(r'<p class="error" role="alert">(.*?)</p>', r.text)
        assert error and message in error.group(1), (change, error)
        assert "Traceback" not in r.text
        if "title" not in change:  # what was typed is kept for the next try
            assert 'value="Maariv"' in r.text
    assert gatherings(sara, group) == []
    # Script in a title is shown as text, never run.
    hostile = {**GATHERING, "title": "<script>alert(1)</script>"}
    assert form(sara, f"/community/groups/{group}/gatherings", **hostile).status_code == 303
    page = sara.get(f"/community/groups/{group}").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_only_members_call_gatherings_and_only_with_the_pages_token(
    person: Callable[..., Person], anonymous: Person
) -> None:
    sara, outsider = person("sara"), person("yossi")
    group = make_group(sara)
    make_group(outsider, name="Another shul")
    assert form(outsider, f"/community/groups/{group}/gatherings", **GATHERING).status_code == 404
    bad = {**GATHERING, "zone": "nowhere"}  # a mistake by a non-member still reveals nothing
    assert form(outsider, f"/community/groups/{group}/gatherings", **bad).status_code == 404
    forged = sara.client.post(
        f"/community/groups/{group}/gatherings", data={**GATHERING, "csrf_token": "forged"}
    )
    assert forged.status_code == 403
    assert form(anonymous, f"/community/groups/{group}/gatherings", **GATHERING).status_code == 401
    assert gatherings(sara, group) == []


# ---------------------------------------------------------------- group study plans


def test_a_plan_from_the_page_is_divided_taken_marked_and_ends_in_a_siyum(
    person: Callable[..., Person],
) -> None:
    sara, dovid = person("sara"), person("dovid")
    group = make_group(sara, dovid)
    text = "Tanya, Part III; Iggeret HaTeshuvah"
    r = form(sara, f"/community/groups/{group}/plans", text="iggeret hateshuva", parts="3", title="")
    assert r.status_code == 303 and r.headers["location"] == f"/community/groups/{group}#plans"
    [plan] = group_plans(dovid, group)
    assert plan["title"] == text
    assert [p["ref"] for p in plan["portions"]] == [f"{text} 1-4", f"{text} 5-8", f"{text} 9-12"]
    first, second, third = (p["id"] for p in plan["portions"])

    assert form(dovid, f"/community/portions/{first}/take").status_code == 303
    page = sara.get(f"/community/groups/{group}").text
    assert f"{text} 1-4\n (Dovid)" in page
    # Sara cannot mark the portion Dovid took; Dovid can.
    assert form(sara, f"/community/portions/{first}/done", done="true").status_code == 403
    assert form(sara, f"/community/portions/{first}/take").status_code == 409
    assert form(dovid, f"/community/portions/{first}/done", done="true").status_code == 303
    assert form(sara, f"/community/portions/{second}/done", done="true").status_code == 303
    assert 'class="siyum"' not in sara.get(f"/community/groups/{group}").text
    assert form(sara, f"/community/portions/{third}/done", done="true").status_code == 303
    page = dovid.get(f"/community/groups/{group}").text
    assert f"{text} — 3/3 · Siyum!" in page and 'class="siyum"' in page
    assert f"{text} 1-4\n ✓ Dovid" in page
    # Undone from the page, the plan is open again.
    assert form(sara, f"/community/portions/{third}/done", done="false").status_code == 303
    assert not group_plans(sara, group)[0]["siyum"]

    # Any member may start a plan (the API's rule too); a chapter a portion without a count.
    started = form(dovid, f"/community/groups/{group}/plans", text="Job", title="Job in the winter")
    assert started.status_code == 303
    job = group_plans(sara, group)[1]
    assert job["title"] == "Job in the winter" and job["total"] == 42
    assert job["portions"][7]["ref"] == "Job 8"


BAD_PLANS = [
    ({"text": "Jobb"}, "'Jobb' is not a text madrega knows — did you mean Job (Iyov)"),
    ({"text": ""}, "is not a text madrega knows"),
    ({"text": "Berakhot"}, "Berakhot cannot be divided into chapters"),
    ({"text": "Genesis 1:1"}, "Genesis 1:1 cannot be divided into chapters"),
    ({"text": "Psalms 1-41", "parts": "50"}, "Psalms 1-41 has 41 chapters: divide it into 1 to 41 portions"),
    ({"text": "Job", "parts": "some"}, "the number of portions is a whole number"),
]


def test_bad_plan_input_shows_the_error_and_creates_nothing(person: Callable[..., Person]) -> None:
    sara = person("sara")
    group = make_group(sara)
    for fields, message in BAD_PLANS:
        r = form(sara, f"/community/groups/{group}/plans", **{"parts": "", "title": "", **fields})
        assert r.status_code == 422, (fields, r.text)
        error = re.search(r'<p class="error" role="alert">(.*?)</p>', r.text)
        assert error and message in error.group(1).replace("&#39;", "'"), (fields, error)
    assert group_plans(sara, group) == []


def test_non_members_neither_start_plans_nor_take_or_mark_portions(person: Callable[..., Person]) -> None:
    sara, outsider = person("sara"), person("yossi")
    group = make_group(sara)
    assert form(sara, f"/community/groups/{group}/plans", text="Job", parts="2").status_code == 303
    portion = group_plans(sara, group)[0]["portions"][0]["id"]
    assert form(outsider, f"/community/groups/{group}/plans", text="Job").status_code == 404
    assert form(outsider, f"/community/groups/{group}/plans", text="Jobb").status_code == 404
    assert form(outsider, f"/community/portions/{portion}/take").status_code == 404
    assert form(outsider, f"/community/portions/{portion}/done", done="true").status_code == 404
    [plan] = group_plans(sara, group)
    assert plan["done"] == 0 and plan["portions"][0]["assigned_to"] is None


# ---------------------------------------------------------------- sharing a first step


def test_with_no_steps_the_share_section_offers_the_step_form(person: Callable[..., Person]) -> None:
    sara = person("sara")
    group = make_group(sara)
    page = sara.get(f"/community/groups/{group}").text
    share = page.split('<section id="share">')[1].split("</section>")[0]
    assert "<select" not in share and "You have no steps to share yet" in share
    assert f'name="back_to" value="/community/groups/{group}"' in share

    fields = {"kind": "study", "ref": "Job 8", "note": "", "back_to": f"/community/groups/{group}"}
    r = form(sara, "/community/steps", **fields)
    assert r.status_code == 303 and r.headers["location"] == f"/community/groups/{group}"
    share = sara.get(f"/community/groups/{group}").text.split('<section id="share">')[1]
    assert '<select name="step_uid">' in share and "study Job 8" in share
    # The way back is only ever one of our own group pages.
    for elsewhere in ("https://evil.example/community/groups/1", "//evil.example", "/community/groups/1/x"):
        r = form(sara, "/community/steps", **{**fields, "back_to": elsewhere})
        assert r.headers["location"] == "/community"


def test_the_time_zone_script_is_served_and_nothing_else(app: FastAPI, person: Callable[..., Person]) -> None:
    sara = person("sara")
    r = sara.get("/community/assets/community.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert "resolvedOptions().timeZone" in r.text
    assert sara.get("/community/assets/pages.py").status_code == 404
    assert sara.get("/community/assets/..%2Fpages.py").status_code == 404


# ---------------------------------------------------------------- the core helpers the forms use

EXISTING = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31))


@settings(max_examples=150, deadline=None)
@given(EXISTING, st.sampled_from(minyan.zone_names()))
def test_a_local_time_reads_back_as_the_same_wall_clock(moment: datetime, zone: str) -> None:
    wall = moment.replace(second=0, microsecond=0)
    try:
        aware = minyan.local_moment(wall.strftime("%Y-%m-%dT%H:%M"), zone)
    except CommunityError as exc:
        assert "does not exist" in exc.message  # only a skipped hour is refused
        return
    shown = minyan.readable_time(minyan.iso(aware), zone)
    assert shown == f"{wall:%a} {wall.day} {wall:%b %Y, %H:%M} ({zone})"


def test_an_older_gathering_without_a_zone_reads_in_the_servers_zone() -> None:
    assert minyan.readable_time("2030-12-03T11:30:00.000000Z", None, "Europe/Paris") == (
        "Tue 3 Dec 2030, 12:30 (Europe/Paris)"
    )
    assert minyan.server_zone("Asia/Jerusalem") == "Asia/Jerusalem"
    assert minyan.server_zone("Not/AZone") in minyan.zone_names()


@pytest.mark.parametrize(
    ("text", "parts", "portions"),
    [
        ("Psalms 1-41", 5, ["Psalms 1-9", "Psalms 10-17", "Psalms 18-25", "Psalms 26-33", "Psalms 34-41"]),
        ("Job 40-42", None, ["Job 40", "Job 41", "Job 42"]),
    ],
)
def test_a_text_divides_by_the_catalogs_chapters(text: str, parts: int | None, portions: list[str]) -> None:
    assert plans.divide_text(text, parts) == (text, portions)
