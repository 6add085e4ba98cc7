"""The journal's pages and API: every form works without JavaScript, every change is a new event,
the hitbodedut timer records its session however it ends, plans are marked by recording the study."""

from __future__ import annotations

import re
import sqlite3
import uuid
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from madrega import api
from madrega.practice import journal, timers
from madrega.web import create_app
from madrega.web.routes.journal import duration


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("webjournal") / "journal.sqlite"


class ShiftedClock:
    """The computer's clock, set back while a test says: a session begun "seconds ago" has lasted
    them once the clock catches up, without a wait (and nothing is ever recorded in the future)."""

    def __init__(self) -> None:
        self.shift = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift

    def back(self, seconds: float) -> None:
        self.shift = -timedelta(seconds=seconds)

    def catch_up(self) -> None:
        self.shift = timedelta()


@pytest.fixture(scope="module")
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture(autouse=True)
def _clock_caught_up(clock: ShiftedClock) -> Iterator[None]:
    yield
    clock.catch_up()  # a test that failed midway leaves the next one the computer's time


@pytest.fixture(scope="module")
def client(db_path: Path, clock: ShiftedClock) -> Iterator[TestClient]:
    app = create_app(db_path, clock=clock)
    with TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A second connection to the server's database, as another process would hold it."""
    c = api.connect(db_path)
    yield c
    c.close()


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def labelled(html: str) -> None:
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", html):
        if re.search(r'type="(hidden|submit|radio|checkbox)"', tag):
            continue
        found = re.search(r'id="([^"]+)"', tag)
        assert found and found.group(1) in labels, f"unlabelled control: {tag}"


def step_by_note(client: TestClient, note: str) -> dict[str, object]:
    return next(s for s in client.get("/api/journal", params={"limit": 1000}).json() if s["note"] == note)


def stop_running(client: TestClient) -> None:
    for timer in client.get("/api/timers").json()["running"]:
        client.post(f"/api/timers/{timer['uid']}/stop")


# ---------------------------------------------------------------------------- pages


@pytest.mark.parametrize("path", ["/today", "/journal", "/progress", "/plans"])
def test_practice_pages_render_with_labels_and_own_script(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    labelled(r.text)
    assert '<script src="/static/journal.js" defer>' in r.text
    assert "<script>" not in main_of(r.text)  # the CSP forbids inline scripts


def test_today_shows_the_hebrew_date_and_links_to_the_reader(client: TestClient) -> None:
    html = main_of(client.get("/today").text)
    today = client.get("/api/today").json()
    assert f'lang="he" dir="rtl">{today["hebrew_date"]}<' in html
    assert 'href="/read/Psalms%20' in html  # today's Tehillim opens in the reader
    for aliyah in today["chumash"]:
        assert aliyah["ref"] in html


def test_static_script_and_style_are_served(client: TestClient) -> None:
    js = client.get("/static/journal.js")
    assert js.status_code == 200 and "sendBeacon" in js.text and "heartbeat" in js.text
    assert client.get("/static/journal.css").status_code == 200


# ---------------------------------------------------------------------------- steps


def test_form_records_every_field_and_redirects_to_the_new_step(client: TestClient) -> None:
    note = unique("for the well")
    data = {"kind": "tzedakah", "amount": "18", "currency": "usd", "note": note, "ref": "", "minutes": ""}
    r = client.post("/journal", data=data, follow_redirects=False)
    assert r.status_code == 303
    step = step_by_note(client, note)
    assert (step["amount"], step["currency"]) == (18.0, "USD")
    assert r.headers["location"] == f"/journal?step={step['uid']}#step-{step['uid']}"
    html = client.get(r.headers["location"]).text
    assert f'id="step-{step["uid"]}" class="kind-tzedakah j-new"' in html
    assert "18 USD" in html

    prayer_note = unique("morning")
    client.post("/journal", data={"kind": "prayer", "prayer": "shacharit", "note": prayer_note})
    assert step_by_note(client, prayer_note)["prayer"] == "shacharit"


def test_a_mistake_shows_the_form_again_with_what_was_typed(client: TestClient) -> None:
    before = len(client.get("/api/journal", params={"limit": 1000}).json())
    r = client.post("/journal", data={"kind": "study", "minutes": "ten", "note": "keep this text"})
    assert r.status_code == 400
    assert "minutes must be a number" in r.text
    assert 'value="keep this text"' in r.text and 'value="ten"' in r.text
    r = client.post("/journal", data={"kind": "prayer", "prayer": "shacharis"})
    assert r.status_code == 400 and "unknown prayer" in r.text and "shacharit" in r.text
    assert len(client.get("/api/journal", params={"limit": 1000}).json()) == before


def test_hebrew_note_is_marked_right_to_left(client: TestClient) -> None:
    note = "למדתי בבוקר " + uuid.uuid4().hex[:6]
    client.post("/journal", data={"kind": "study", "ref": "Psalms 23", "note": note})
    html = client.get("/journal").text
    assert f'<td lang="he" dir="rtl">{note}</td>' in html
    assert '<a href="/read/Psalms%2023">Psalms 23</a>' in html


def test_correct_and_delete_are_new_events(client: TestClient, conn: sqlite3.Connection) -> None:
    note = unique("first note")
    client.post("/journal", data={"kind": "study", "ref": "Psalms 1", "minutes": "5", "note": note})
    uid = str(step_by_note(client, note)["uid"])
    page = client.get(f"/journal/{uid}")
    assert page.status_code == 200 and f'action="/journal/{uid}/correct"' in page.text
    labelled(page.text)

    fixed = unique("second note")
    r = client.post(f"/journal/{uid}/correct", data={"note": fixed, "minutes": "7"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/journal/{uid}"
    now = client.get(f"/api/journal/{uid}").json()
    assert (now["note"], now["minutes"], now["ref"]) == (fixed, 7.0, "Psalms 1")
    assert now["corrected"]

    r = client.post(f"/journal/{uid}/delete", follow_redirects=False)
    assert r.status_code == 303
    assert client.get(f"/api/journal/{uid}").status_code == 404
    assert client.get(f"/journal/{uid}").status_code == 404
    history = [ev.type for ev in journal.subject_events(conn, uid)]
    assert history == ["step.added", "step.corrected", "step.deleted"]
    assert journal.subject_events(conn, uid)[0].data["note"] == note  # nothing destroyed


def test_correcting_nothing_is_a_clear_mistake(client: TestClient) -> None:
    note = unique("same")
    client.post("/journal", data={"kind": "kindness", "note": note})
    uid = step_by_note(client, note)["uid"]
    r = client.post(f"/api/journal/{uid}/correct", data={"note": note, "kind": "kindness"})
    assert r.status_code == 400 and "nothing to correct" in r.json()["error"]


def test_api_step_correct_delete(client: TestClient) -> None:
    r = client.post("/api/journal", data={"kind": "prayer", "prayer": "mincha", "minutes": "12"})
    assert r.status_code == 201
    uid = r.json()["uid"]
    one = client.get(f"/api/journal/{uid}").json()
    assert one["summary"] == "prayer · mincha · 12 min" and one["duration"] == "12 min"
    fixed = client.post(f"/api/journal/{uid}/correct", data={"prayer": "maariv"}).json()
    assert fixed["prayer"] == "maariv" and fixed["minutes"] == 12.0
    assert client.post(f"/api/journal/{uid}/delete").json() == {"deleted": uid}
    assert client.post(f"/api/journal/{uid}/delete").status_code == 404
    missing = client.get("/api/journal/no-such-step")
    assert missing.status_code == 404 and "no step" in missing.json()["error"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minutes=st.text(max_size=8), amount=st.text(max_size=8))
def test_no_form_input_gives_a_server_error(client: TestClient, minutes: str, amount: str) -> None:
    r = client.post("/api/journal", data={"kind": "tzedakah", "minutes": minutes, "amount": amount})
    assert r.status_code in (201, 400, 422), r.text
    if r.status_code != 201:
        assert r.json()["error"]


# ---------------------------------------------------------------------------- timer


def test_timer_by_forms_records_the_session(client: TestClient, clock: ShiftedClock) -> None:
    stop_running(client)
    clock.back(1.3)
    r = client.post("/journal/timer/start", follow_redirects=False)
    assert r.status_code == 303
    uid = re.search(r"timer=([0-9a-f-]+)", r.headers["location"]).group(1)  # type: ignore[union-attr]
    page = client.get(f"/journal?timer={uid}&heartbeat=2").text
    assert f'data-timer="{uid}"' in page and 'data-live="1"' in page and 'data-heartbeat="2.0"' in page
    assert 'data-live="1"' not in client.get("/journal").text  # only the page that keeps it alive
    assert client.post("/journal/timer/start").status_code == 400  # one session at a time
    clock.catch_up()
    r = client.post(f"/journal/timer/{uid}/stop", data={"note": "quiet"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"#step-{uid}")
    step = client.get(f"/api/journal/{uid}").json()
    assert step["kind"] == "hitbodedut" and step["timer"] == uid and step["note"] == "quiet"
    assert 1.0 <= step["minutes"] * 60 <= 10
    assert re.search(r'class="j-duration">\d+ s<', client.get("/journal").text)


def test_timer_api_heartbeat_and_a_second_stop(
    client: TestClient, conn: sqlite3.Connection, clock: ShiftedClock
) -> None:
    stop_running(client)
    clock.back(1.2)
    r = client.post("/api/timers")
    assert r.status_code == 201
    uid = r.json()["uid"]
    assert client.get("/api/timers").json()["running"][0]["uid"] == uid
    assert client.post(f"/api/timers/{uid}/heartbeat").json() == {"running": True}
    assert [ev.type for ev in journal.subject_events(conn, uid)] == ["timer.started", "timer.heartbeat"]
    clock.catch_up()
    first = client.post(f"/api/timers/{uid}/stop").json()["step"]
    assert first["uid"] == uid and first["minutes"] > 0
    # The page's beacon may arrive after the click's stop: the same session, recorded once.
    assert client.post(f"/api/timers/{uid}/stop").json()["step"]["uid"] == uid
    assert client.post(f"/api/timers/{uid}/heartbeat").json() == {"running": False}
    assert [s["uid"] for s in client.get("/api/journal", params={"kind": "hitbodedut"}).json()].count(
        uid
    ) == 1
    assert client.post("/api/timers/not-a-timer/stop").status_code == 404


def test_a_dead_tab_is_recorded_up_to_its_last_heartbeat(
    client: TestClient, conn: sqlite3.Connection
) -> None:
    stop_running(client)
    began = journal.utcnow() - timedelta(minutes=10)
    timer = timers.start_timer(conn, foreground=True, now=began)
    timers.heartbeat(conn, timer.uid, now=began + timedelta(minutes=3))
    # No stop ever came; the next page load notices the silence.
    assert client.get("/journal").status_code == 200
    step = client.get(f"/api/journal/{timer.uid}").json()
    assert step["minutes"] == pytest.approx(3.0)
    assert client.get("/api/timers").json()["running"] == []


def test_planned_session_is_capped(client: TestClient, clock: ShiftedClock) -> None:
    stop_running(client)
    clock.back(1.0)
    uid = client.post("/api/timers", data={"planned": "0.01"}).json()["uid"]
    clock.catch_up()
    step = client.post(f"/api/timers/{uid}/stop").json()["step"]
    assert step["minutes"] == pytest.approx(0.01)
    assert client.post("/api/timers", data={"planned": "soon"}).status_code == 400


# ---------------------------------------------------------------------------- progress


def test_progress_building_grows_by_one_brick_per_step(client: TestClient) -> None:
    def bricks(html: str) -> int:
        return len(re.findall(r"<rect [^>]*data-step=", html))

    before = bricks(main_of(client.get("/progress").text))
    note = unique("brick")
    client.post("/journal", data={"kind": "mitzvah", "note": note})
    uid = step_by_note(client, note)["uid"]
    html = main_of(client.get("/progress").text)
    assert bricks(html) == before + 1
    assert f'data-step="{uid}"' in html
    assert f'<a href="/journal/{uid}" data-step="{uid}">mitzvah</a>' in html  # the no-JS list
    assert 'id="brick-detail"' in html and 'aria-live="polite"' in html
    assert "<style" not in html  # the page's Content-Security-Policy refuses inline styles
    assert len(re.findall(r'<rect [^>]*class="j-h\d', html)) >= 84  # the heatmap's twelve weeks (and more)
    assert re.search(
        r'class="j-h[1-4][^"]*" data-day="[\d-]+" data-count="\d+"><title>[^<]*: \d+ steps?</title>', html
    )
    assert '<meter id="strength"' in html


# ---------------------------------------------------------------------------- plans


def test_add_plan_and_mark_todays_portion_done(client: TestClient) -> None:
    r = client.post(
        "/plans", data={"work": "Psalms 101-105", "divide": "days", "days": "5"}, follow_redirects=False
    )
    assert r.status_code == 303
    plan = next(p for p in client.get("/api/plans").json() if p["title"] == "Psalms 101-105")
    assert r.headers["location"] == f"/plans#plan-{plan['id']}"
    assert plan["scheduled_today"] == 1 and plan["done"] == []
    html = main_of(client.get("/plans").text)
    assert '<a href="/read/Psalms%20101">Psalms 101</a>' in html
    assert f'action="/plans/{plan["id"]}/portions/1/done"' in html
    assert f'action="/plans/{plan["id"]}/portions/1/done"' in client.get("/today").text

    r = client.post(f"/plans/{plan['id']}/portions/1/done", data={"back": "today"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/today#plan-{plan['id']}"
    plan = next(p for p in client.get("/api/plans").json() if p["id"] == plan["id"])
    assert plan["done"] == [0]
    study = [
        s for s in client.get("/api/journal", params={"kind": "study"}).json() if s["ref"] == "Psalms 101"
    ]
    assert len(study) == 1  # marking done records the study itself
    client.post(f"/plans/{plan['id']}/portions/1/done")
    assert len([s for s in client.get("/api/journal").json() if s["ref"] == "Psalms 101"]) == 1
    assert "✓ done" in client.get("/plans").text


def test_plan_api_and_mistakes(client: TestClient) -> None:
    r = client.post("/api/plans", data={"work": "Psalms 120-134", "divide": "chapter"})
    assert r.status_code == 201
    plan = r.json()
    assert len(plan["portions"]) == 15 and plan["by"] == "chapter"
    marked = client.post(f"/api/plans/{plan['id']}/portions/3/done").json()
    assert marked["done"] == [2]
    bad = client.post(f"/api/plans/{plan['id']}/portions/99/done")
    assert bad.status_code == 400 and "portions 1..15" in bad.json()["error"]
    assert client.post("/api/plans", data={"work": "Psalms 1-3", "days": "two"}).status_code == 400
    unknown = client.post("/api/plans", data={"work": "No Such Book", "days": "3"})
    assert unknown.status_code == 404 and unknown.json()["error"]
    assert client.post("/plans", data={"work": "Psalms 1-3"}).status_code == 400  # HTML error page
    r = client.post(f"/plans/{plan['id']}/remove", follow_redirects=False)
    assert r.status_code == 303
    assert plan["id"] not in [p["id"] for p in client.get("/api/plans").json()]


# ---------------------------------------------------------------------------- helpers


def test_duration_reads_at_a_glance() -> None:
    assert duration(None) == "" and duration(0) == ""
    assert duration(0.05) == "3 s"
    assert duration(12) == "12 min"
    assert duration(1.5) == "1 min 30 s"


def test_days_set_aside_from_the_page_and_the_api(client: TestClient) -> None:
    r = client.post("/progress/skips", data={"first": "2024-01-07", "last": "2024-01-09", "reason": "flu"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/progress#skips"
    skip = next(s for s in client.get("/api/skips").json() if s["first"] == "2024-01-07")
    assert skip["days"] == 3 and skip["reason"] == "flu"
    assert "flu" in client.get("/progress").text and "Count them again" in client.get("/progress").text
    assert client.post("/api/skips", data={"first": "2024-01-09", "last": "2024-01-01"}).status_code == 400
    assert client.post("/api/skips", data={"first": "soon"}).status_code == 400
    assert client.post(f"/api/skips/{skip['uid']}/remove").json() == {"removed": skip["uid"]}
    assert all(s["uid"] != skip["uid"] for s in client.get("/api/skips").json())
    assert "skipped_days" in client.get("/api/progress").json()
