"""Both dates, right: a step keeps the civil date and time of its moment in the user's zone and the
Hebrew day it belongs to (from nightfall), at the evening boundary, in several zones, across the
Hebrew and the civil year; and the faces show both readably."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import madrega.cli.journal  # noqa: F401  (registers the commands)
from madrega.cli.app import app
from madrega.errors import MadregaError
from madrega.practice import calendar, journal, transfer

runner = CliRunner()


def at(zone: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


def test_the_issue_example_tuesday_evening_is_22_kislev(conn: sqlite3.Connection) -> None:
    # 19:07 UTC on Tuesday 1 December 2026 is 21:07 in Jerusalem: after nightfall, already 22 Kislev.
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    step = journal.add_step(conn, "study", at=datetime(2026, 12, 1, 19, 7, tzinfo=UTC))
    assert step.civil_date == "2026-12-01" and step.local_time == "21:07" and step.zone == "Asia/Jerusalem"
    assert step.day == "2026-12-02"  # the Hebrew day (ליל רביעי) is keyed by the next civil date
    assert step.hebrew_date == "כ״ב כסלו תשפ״ז"
    assert step.when() == "Tuesday evening, 1 Dec 2026 · 22 Kislev 5787"
    assert step.when(year=False) == "Tuesday evening, 1 Dec · 22 Kislev"
    data = step.to_dict()
    assert data["civil_date"] == "2026-12-01" and data["when"].startswith("Tuesday evening")
    assert data["hebrew_date_en"] == "22 Kislev 5787"


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        ("Asia/Jerusalem", (2026, 12, 1, 17, 59), (2026, 12, 1, 18, 0)),
        ("America/New_York", (2026, 12, 1, 17, 59), (2026, 12, 1, 18, 0)),
        ("Europe/London", (2026, 12, 1, 17, 59), (2026, 12, 1, 18, 0)),
        ("Australia/Melbourne", (2026, 12, 1, 17, 59), (2026, 12, 1, 18, 0)),
        ("Pacific/Kiritimati", (2026, 12, 1, 17, 59), (2026, 12, 1, 18, 0)),
    ],
)
def test_evening_boundary_in_several_zones(
    conn: sqlite3.Connection, zone: str, before: tuple[int, ...], after: tuple[int, ...]
) -> None:
    calendar.set_setting(conn, "timezone", zone)
    early = journal.add_step(conn, "prayer", at=at(zone, *before))
    late = journal.add_step(conn, "prayer", at=at(zone, *after))
    assert (early.civil_date, early.day, early.local_time) == ("2026-12-01", "2026-12-01", "17:59")
    assert (late.civil_date, late.day, late.local_time) == ("2026-12-01", "2026-12-02", "18:00")
    assert early.when(year=False) == "Tuesday, 1 Dec · 21 Kislev"
    assert late.when(year=False) == "Tuesday evening, 1 Dec · 22 Kislev"


def test_the_same_instant_is_a_different_civil_date_in_another_zone(tmp_path: Path) -> None:
    from madrega import api

    moment = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    found = {}
    for zone in ("America/Los_Angeles", "UTC", "Asia/Tokyo"):
        conn = api.connect(tmp_path / f"{zone.replace('/', '-')}.sqlite")
        calendar.set_setting(conn, "timezone", zone)
        step = journal.add_step(conn, "study", at=moment)
        found[zone] = (step.civil_date, step.local_time, step.day)
        conn.close()
    assert found["America/Los_Angeles"] == ("2026-12-01", "15:30", "2026-12-01")  # afternoon, 21 Kislev
    assert found["UTC"] == ("2026-12-01", "23:30", "2026-12-02")  # night: already 22 Kislev
    assert found["Asia/Tokyo"] == ("2026-12-02", "08:30", "2026-12-02")  # the next morning


def test_across_the_hebrew_year(conn: sqlite3.Connection) -> None:
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    eve = journal.add_step(conn, "prayer", at=at("Asia/Jerusalem", 2024, 10, 2, 19, 30))  # Erev Rosh Hashanah
    assert (eve.civil_date, eve.day) == ("2024-10-02", "2024-10-03")
    assert eve.when() == "Wednesday evening, 2 Oct 2024 · 1 Tishrei 5785 · Rosh Hashanah"
    afternoon = journal.add_step(conn, "prayer", at=at("Asia/Jerusalem", 2024, 10, 2, 14, 0))
    assert afternoon.when() == "Wednesday, 2 Oct 2024 · 29 Elul 5784"


def test_across_the_civil_year(conn: sqlite3.Connection) -> None:
    calendar.set_setting(conn, "timezone", "Europe/Paris")
    new_year_eve = journal.add_step(conn, "study", at=at("Europe/Paris", 2025, 12, 31, 23, 50))
    after_midnight = journal.add_step(conn, "study", at=at("Europe/Paris", 2026, 1, 1, 0, 10))
    # Both belong to the Hebrew day that began at nightfall on 31 December (12 Tevet 5786) …
    assert new_year_eve.day == after_midnight.day == "2026-01-01"
    # … but their civil dates are two different years.
    assert (new_year_eve.civil_date, after_midnight.civil_date) == ("2025-12-31", "2026-01-01")
    assert new_year_eve.when() == "Wednesday evening, 31 Dec 2025 · 12 Tevet 5786"
    assert after_midnight.when() == "Thursday, 1 Jan 2026 · 12 Tevet 5786"


def test_nightfall_by_location_uses_tzeit(conn: sqlite3.Connection) -> None:
    calendar.set_setting(conn, "timezone", "America/New_York")
    calendar.set_setting(conn, "location", "40.71,-74.01")
    tzeit = calendar.nightfall(calendar.place(conn), date(2026, 6, 21))
    before = journal.add_step(conn, "study", at=tzeit - timedelta(minutes=2))
    after = journal.add_step(conn, "study", at=tzeit + timedelta(minutes=2))
    assert before.day == "2026-06-21" and after.day == "2026-06-22"
    assert before.civil_date == after.civil_date == "2026-06-21"
    assert after.local_time >= "20:30"  # summer: nightfall after half past eight in New York


def test_a_correction_of_the_time_moves_both_dates(conn: sqlite3.Connection) -> None:
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    step = journal.add_step(conn, "study", at=at("Asia/Jerusalem", 2026, 12, 1, 10, 0))
    fixed = journal.correct_step(conn, step.uid, at=at("Asia/Jerusalem", 2026, 12, 1, 20, 15))
    assert (fixed.civil_date, fixed.local_time, fixed.day) == ("2026-12-01", "20:15", "2026-12-02")


def test_old_steps_without_a_civil_date_gain_one(conn: sqlite3.Connection) -> None:
    """A step recorded by an older madrega has no civil date: the replay gives it one, from its moment."""
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    data = {"kind": "study", "at": "2026-12-01T19:07:00.000000Z", "day": "2026-12-02", "hebrew_date": "x"}
    journal.insert_events(conn, [journal.Event("old-1", data["at"], "step.added", "s-old", data, "laptop")])
    step = journal.get_step(conn, "s-old")
    assert step.civil_date == "2026-12-01" and step.local_time == "21:07"


@settings(max_examples=60, deadline=None)
@given(
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31), timezones=st.just(UTC)),
    st.sampled_from(["Asia/Jerusalem", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC"]),
)
def test_the_hebrew_day_is_the_civil_date_or_the_next(moment: datetime, zone: str) -> None:
    where = calendar.Place(None, None, ZoneInfo(zone), calendar.time(18, 0), False)
    found = calendar.moment(where, moment)
    assert found.day - found.civil_date in (timedelta(0), timedelta(days=1))
    assert found.evening == (found.local.hour >= 18)
    words = calendar.when_words(found.day, found.civil_date)
    assert (" evening, " in words) == found.evening and " · " in words


def test_exports_and_the_api_show_both_dates(conn: sqlite3.Connection, tmp_path: Path) -> None:
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    journal.add_step(conn, "study", ref="Psalms 1", at=datetime(2026, 12, 1, 19, 7, tzinfo=UTC))
    text = transfer.export_csv(conn)
    header, row = text.splitlines()[:2]
    assert "civil_date" in header and "when" in header
    assert "2026-12-01" in row and "Tuesday evening, 1 Dec 2026 · 22 Kislev 5787" in row


def test_cli_shows_both_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADREGA_OFFLINE", "1")
    path = tmp_path / "cli.sqlite"
    assert (
        runner.invoke(app, ["config", "set", "timezone", "Asia/Jerusalem", "--db", str(path)]).exit_code == 0
    )
    result = runner.invoke(
        app, ["step", "add", "study", "--at", "2026-12-01T21:07:00+02:00", "--json", "--db", str(path)]
    )
    step = json.loads(result.stdout)
    assert (
        step["civil_date"] == "2026-12-01" and step["day"] == "2026-12-02" and step["local_time"] == "21:07"
    )
    listing = " ".join(runner.invoke(app, ["step", "list", "--db", str(path)]).stdout.split())
    assert "Tuesday evening, 1 Dec 2026 · 22" in listing and "21:07" in listing


def test_parse_day_names_days_as_people_do() -> None:
    sunday = date(2024, 3, 17)
    assert calendar.parse_day("shabbat", sunday) == date(2024, 3, 16)
    assert calendar.parse_day("Shabbat", date(2024, 3, 20)) == date(2024, 3, 16)
    assert calendar.parse_day("shabbat", date(2024, 3, 16)) == date(2024, 3, 9)  # the last one that ended
    assert calendar.parse_day("yesterday", sunday) == date(2024, 3, 16)
    assert calendar.parse_day("2024-03-01", sunday) == date(2024, 3, 1)
    for bad in ("someday", "2024-02-30", "0001-01-01", "99999-01-01"):
        with pytest.raises(MadregaError):
            calendar.parse_day(bad, sunday)


def test_fake_clock_moves_only_when_told() -> None:
    clock = calendar.FakeClock(datetime(2024, 3, 15, 12, 0, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2024, 3, 15, 12, 0, tzinfo=UTC)
    assert clock.advance(hours=30) == datetime(2024, 3, 16, 18, 0, tzinfo=UTC)
    clock.set(datetime(2024, 3, 17, 8, 0, tzinfo=ZoneInfo("Asia/Jerusalem")))
    assert clock.now().tzinfo is UTC and clock.now().hour == 6
    with pytest.raises(ValueError):
        clock.set(datetime(2024, 3, 17))
