"""Shabbat and Yom Tov never count against the people who keep them: by the user's location (one day
of Yom Tov in Israel, two abroad) they neither lower the strength nor count as gaps; declared skip
days freeze it too; after Havdalah a step can be recorded for Shabbat and lands on that day; the
greeting after Shabbat or a festival speaks of what was built."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

import madrega.cli.journal  # noqa: F401  (registers the commands)
from madrega.cli.app import app
from madrega.errors import MadregaError
from madrega.practice import calendar, journal, progress

JERUSALEM = ZoneInfo("Asia/Jerusalem")
NEW_YORK = ZoneInfo("America/New_York")
runner = CliRunner()


def noon(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=zone)


def practise(conn: sqlite3.Connection, first: date, last: date, zone: ZoneInfo, kind: str = "study") -> None:
    day = first
    while day <= last:
        if calendar.rest_day(day, calendar.place(conn).israel) is None:  # they do not write on those days
            journal.add_step(conn, kind, at=noon(day, zone), now=noon(day, zone))
        day += timedelta(days=1)


def test_rest_days_by_the_land_of_israel_and_abroad() -> None:
    april = (date(2025, 4, 1), date(2025, 4, 30))
    israel = {d for d, r in calendar.rest_days(*april, israel=True).items() if r.names != ("Shabbat",)}
    abroad = {d for d, r in calendar.rest_days(*april, israel=False).items() if r.names != ("Shabbat",)}
    assert israel == {date(2025, 4, 13), date(2025, 4, 19)}  # Pesach: the first and the seventh day
    assert abroad == israel | {date(2025, 4, 14), date(2025, 4, 20)}  # two days each, abroad
    assert calendar.rest_day(date(2025, 4, 19), True).names == ("Pesach", "Shabbat")  # type: ignore[union-attr]
    assert calendar.rest_day(date(2025, 4, 15), False) is None  # chol hamoed: a working day
    # Rosh Hashanah is two days in Israel too; Shemini Atzeret and Simchat Torah are one day there
    assert calendar.yom_tov(date(2024, 10, 4), True) == "Rosh Hashanah"
    assert calendar.yom_tov(date(2024, 10, 24), True) == "Shemini Atzeret and Simchat Torah"
    assert calendar.yom_tov(date(2024, 10, 25), True) is None
    assert calendar.yom_tov(date(2024, 10, 25), False) == "Simchat Torah"
    assert calendar.yom_tov(date(2024, 10, 12), True) == "Yom Kippur"


def test_israel_is_the_default_in_israels_time_zone(conn: sqlite3.Connection) -> None:
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    assert calendar.place(conn).israel is True
    calendar.set_setting(conn, "israel", "false")  # a visitor keeping two days
    assert calendar.place(conn).israel is False
    calendar.set_setting(conn, "timezone", "America/New_York")
    calendar.set_setting(conn, "israel", None)
    assert calendar.place(conn).israel is False


def test_a_three_day_yom_tov_leaves_the_strength_where_it_was(conn: sqlite3.Connection) -> None:
    """Rosh Hashanah 5785 fell on Thursday and Friday, into Shabbat: three days without writing."""
    calendar.set_setting(conn, "timezone", "America/New_York")
    practise(conn, date(2024, 9, 1), date(2024, 10, 2), NEW_YORK)
    wednesday = progress.strength(conn, today=date(2024, 10, 2))
    for day in (date(2024, 10, 3), date(2024, 10, 4), date(2024, 10, 5)):
        assert progress.strength(conn, today=day) == pytest.approx(wednesday, abs=1e-12), day
    assert progress.strength(conn, today=date(2024, 10, 6)) == pytest.approx(
        wednesday, abs=1e-12
    )  # not over yet
    monday = progress.strength(
        conn, today=date(2024, 10, 7)
    )  # Sunday passed without practice: a little lower
    assert monday < wednesday
    # Without the freeze the same three days would have cost about 15% of the strength.
    days = [date(2024, 9, 1) + timedelta(days=i) for i in range(35)]
    practised = [calendar.rest_day(d, False) is None and d <= date(2024, 10, 2) for d in days]
    unfrozen = progress.strength_series(practised)
    assert unfrozen[-1] < 0.9 * wednesday
    summary = progress.summary(conn, datetime(2024, 10, 5, 15, 0, tzinfo=NEW_YORK))
    assert summary["strength"] == round(wednesday, 4)
    assert summary["skipped"]["yom_tov"] == 2 and summary["skipped_days"] >= 3


def test_the_greeting_after_rosh_hashanah_and_shabbat_tells_what_was_built(conn: sqlite3.Connection) -> None:
    calendar.set_setting(conn, "timezone", "America/New_York")
    practise(conn, date(2024, 9, 20), date(2024, 10, 2), NEW_YORK)
    total = journal.count_steps(conn)
    during = progress.greeting(conn, datetime(2024, 10, 5, 12, 0, tzinfo=NEW_YORK))
    assert during is None  # nobody is greeted on Shabbat
    after_havdalah = datetime(2024, 10, 5, 19, 30, tzinfo=NEW_YORK)  # Saturday night: the Hebrew Sunday
    hello = progress.greeting(conn, after_havdalah)
    assert hello is not None
    assert hello.startswith("Welcome back after Rosh Hashanah and Shabbat.")
    assert f"{total} steps ({total} study)" in hello and "3 days" in hello and "%" in hello
    assert "miss" not in hello.lower() and "streak" not in hello.lower() and "gap" not in hello.lower()
    # three days without steps are not an absence: no "welcome back after days away" either
    assert "You have built" not in hello


def test_shavua_tov_after_a_plain_shabbat(conn: sqlite3.Connection) -> None:
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    practise(conn, date(2024, 3, 1), date(2024, 3, 15), JERUSALEM)
    hello = progress.greeting(conn, datetime(2024, 3, 16, 19, 30, tzinfo=JERUSALEM))
    assert hello is not None and hello.startswith("Shavua tov.") and "Over Shabbat" in hello
    assert (
        progress.greeting(conn, datetime(2024, 3, 18, 12, 0, tzinfo=JERUSALEM)) is None
    )  # Monday: no greeting


def test_pesach_in_israel_and_abroad(tmp_path: Path) -> None:
    from madrega import api

    results = {}
    for zone, name in ((JERUSALEM, "israel"), (NEW_YORK, "abroad")):
        conn = api.connect(tmp_path / f"{name}.sqlite")
        calendar.set_setting(conn, "timezone", zone.key)
        practise(conn, date(2025, 3, 20), date(2025, 4, 11), zone)  # up to Friday, Erev Shabbat HaGadol
        before = progress.strength(conn, today=date(2025, 4, 11))
        # Shabbat (12 Apr), Pesach (13 Apr) — and abroad the second day (14 Apr) — pass without writing
        results[name] = (before, progress.strength(conn, today=date(2025, 4, 15)))
        summary = progress.summary(conn, datetime(2025, 4, 14, 12, 0, tzinfo=zone))
        results[name + "_skipped"] = summary["skipped"]
        conn.close()
    israel_before, israel_after = results["israel"]
    abroad_before, abroad_after = results["abroad"]
    assert abroad_after == pytest.approx(abroad_before, abs=1e-12)  # abroad, 14 April is Yom Tov
    assert israel_after < israel_before  # in Israel it was chol hamoed: a weekday without practice
    assert results["abroad_skipped"]["yom_tov"] == results["israel_skipped"]["yom_tov"] + 1


def test_a_step_after_havdalah_lands_on_shabbat_in_adar_ii(conn: sqlite3.Connection) -> None:
    """Shabbat 16 March 2024 was 6 Adar II 5784 (a leap year). Learned on Shabbat, written after Havdalah."""
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    practise(conn, date(2024, 3, 3), date(2024, 3, 15), JERUSALEM)
    thursday = progress.strength(conn, today=date(2024, 3, 15))
    motzaei_shabbat = datetime(2024, 3, 16, 19, 45, tzinfo=JERUSALEM)
    assert calendar.hebrew_day(conn, motzaei_shabbat) == date(2024, 3, 17)  # already the Hebrew Sunday
    shabbat = calendar.parse_day("shabbat", calendar.hebrew_day(conn, motzaei_shabbat))
    step = journal.add_step(conn, "study", ref="Psalms 92", day=shabbat, now=motzaei_shabbat)
    assert step.day == "2024-03-16" and step.late is True and step.civil_date == "2024-03-16"
    assert "אדר ב׳" in step.hebrew_date
    assert step.when() == "Shabbat, 16 Mar 2024 · 6 Adar II 5784 (recorded after)"
    assert step.at.startswith("2024-03-16T17:45")  # when it was written, kept as it was
    assert dict(progress.heatmap(conn, days=3, today=date(2024, 3, 17)))[date(2024, 3, 16)] == 1
    assert progress.strength(conn, today=date(2024, 3, 16)) > thursday  # learning on Shabbat counts
    with pytest.raises(MadregaError, match="has not come yet"):
        journal.add_step(conn, "study", day=date(2024, 3, 18), now=motzaei_shabbat)


def test_declared_skip_days_freeze_the_strength_and_can_be_withdrawn(conn: sqlite3.Connection) -> None:
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    practise(conn, date(2024, 5, 1), date(2024, 5, 20), JERUSALEM)
    before = progress.strength(conn, today=date(2024, 5, 20))
    skip = journal.add_skip(conn, date(2024, 5, 21), date(2024, 5, 27), reason="flu")
    assert progress.strength(conn, today=date(2024, 5, 27)) == pytest.approx(before, abs=1e-12)
    summary = progress.summary(conn, datetime(2024, 5, 27, 12, 0, tzinfo=JERUSALEM))
    assert summary["skipped"]["declared"] == 6 and summary["skips"][0]["reason"] == "flu"  # and one Shabbat
    assert progress.greeting(conn, datetime(2024, 5, 28, 9, 0, tzinfo=JERUSALEM)) is None  # not "days away"
    journal.remove_skip(conn, skip.uid[:8])
    assert progress.strength(conn, today=date(2024, 5, 27)) < before
    with pytest.raises(MadregaError):
        journal.add_skip(conn, date(2024, 6, 2), date(2024, 6, 1))
    with pytest.raises(MadregaError, match="at most"):
        journal.add_skip(conn, date(2024, 1, 1), date(2025, 6, 1))


def test_progress_json_keeps_its_keys_and_adds_skipped_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MADREGA_OFFLINE", "1")
    path = str(tmp_path / "cli.sqlite")

    def js(*args: str) -> dict:  # type: ignore[type-arg]
        result = runner.invoke(app, [*args, "--json", "--db", path])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    runner.invoke(app, ["config", "set", "timezone", "Asia/Jerusalem", "--db", path])
    js("step", "add", "study", "--at", "2020-01-01T10:00:00+02:00")
    js("skip", "add", "2020-01-05", "2020-01-07", "--reason", "travel")
    data = js("progress")
    assert {"total", "by_kind", "strength", "stage", "skipped_days"} <= set(data)
    assert data["total"] == 1 and data["skipped"]["declared"] == 3 and data["skipped_days"] > 100  # Shabbatot
    assert [s["reason"] for s in js("skip", "list")] == ["travel"]  # type: ignore[index]
    late = js("step", "add", "study", "--day", "yesterday")
    assert late["late"] is True


def test_today_says_when_it_is_a_day_of_rest(conn: sqlite3.Connection) -> None:
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    friday_night = datetime(2024, 3, 15, 20, 0, tzinfo=JERUSALEM)
    now = calendar.describe_now(calendar.place(conn), friday_night)
    assert now["civil_date"] == "2024-03-15" and now["evening"] is True and now["rest"] == "Shabbat"
    assert now["when"] == "Friday evening, 15 Mar 2024 · 6 Adar II 5784 · Shabbat"
    assert str(now["rest_ends"]).startswith("2024-03-16T18:00")  # Havdalah (at the configured hour here)
