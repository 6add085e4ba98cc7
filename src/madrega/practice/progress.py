"""Progress that never resets: totals, a calendar of Hebrew days, a strength that rises with practice
and falls gently with absence, and stages reached brick by brick.

Strength is an exponentially weighted average of the days (Loop Habit Tracker's habit score):
each day, score = score · m + practised · (1 − m) with m = 0.5^(√frequency / 13), so a daily
practice gains about 5% of the way up a day and a day away loses about 5% of what was built.

Days are Hebrew days (from nightfall). Shabbat and Yom Tov — by the user's location, one day of
Yom Tov in Israel and two in the diaspora — and the days the user declared (illness, travel)
freeze the score: they neither lower it nor count as a gap. A step recorded for one of them after
it ended ("I learned on Shabbat") counts as practice on that day.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from madrega.practice import building as _building
from madrega.practice import calendar, journal
from madrega.practice.building import KIND_COLORS, OTHER_COLOR, Building, Stage, color_of, stage_for, stages
from madrega.practice.words import plural

__all__ = [
    "KIND_COLORS",
    "OTHER_COLOR",
    "Building",
    "Stage",
    "building",
    "building_svg",
    "color_of",
    "greeting",
    "heatmap",
    "stage_for",
    "stages",
    "strength",
    "summary",
    "totals",
]

RETURN_GAP_DAYS = 3


def _today(conn: sqlite3.Connection, now: datetime | None) -> date:
    return calendar.hebrew_day(conn, now)


# ---------------------------------------------------------------- counts


def totals(conn: sqlite3.Connection) -> dict[str, Any]:
    """Cumulative count and minutes, overall and per kind."""
    by_kind: dict[str, dict[str, Any]] = {}
    for kind, count, minutes in conn.execute(
        "SELECT kind, COUNT(*), COALESCE(SUM(minutes), 0) FROM steps GROUP BY kind ORDER BY COUNT(*) DESC, kind"
    ):
        by_kind[kind] = {"count": int(count), "minutes": round(float(minutes), 2)}
    row = conn.execute("SELECT COUNT(*), COUNT(DISTINCT day), MIN(day), MAX(day) FROM steps").fetchone()
    return {
        "total": int(row[0]),
        "days_active": int(row[1]),
        "first_day": row[2],
        "last_day": row[3],
        "minutes": round(sum(k["minutes"] for k in by_kind.values()), 2),
        "by_kind": by_kind,
    }


def day_counts(conn: sqlite3.Connection, kind: str | None = None) -> Counter[date]:
    """Steps per Hebrew day."""
    sql, params = "SELECT day, COUNT(*) FROM steps", []
    if kind:
        sql += " WHERE kind=?"
        params.append(kind)
    return Counter({date.fromisoformat(d): int(n) for d, n in conn.execute(sql + " GROUP BY day", params)})


def _scan(conn: sqlite3.Connection) -> tuple[dict[str, Any], dict[str, set[date]]]:
    """`totals()` and the days of each kind from one pass over the (kind, day, minutes) index."""
    by_kind: dict[str, dict[str, Any]] = {}
    kind_days: dict[str, set[date]] = defaultdict(set)
    days: dict[str, date] = {}
    for kind, day, count, minutes in conn.execute(
        "SELECT kind, day, COUNT(*), COALESCE(SUM(minutes), 0) FROM steps GROUP BY kind, day"
    ):
        entry = by_kind.setdefault(kind, {"count": 0, "minutes": 0.0})
        entry["count"] += int(count)
        entry["minutes"] += float(minutes)
        found = days.get(day)
        if found is None:
            found = days[day] = date.fromisoformat(day)
        kind_days[kind].add(found)
    ordered = dict(sorted(by_kind.items(), key=lambda kv: (-kv[1]["count"], kv[0])))
    for entry in ordered.values():
        entry["minutes"] = round(entry["minutes"], 2)
    return {
        "total": sum(e["count"] for e in ordered.values()),
        "days_active": len(days),
        "first_day": min(days) if days else None,
        "last_day": max(days) if days else None,
        "minutes": round(sum(e["minutes"] for e in ordered.values()), 2),
        "by_kind": ordered,
    }, kind_days


def _kind_days(conn: sqlite3.Connection) -> dict[str, set[date]]:
    """The Hebrew days each kind was practised on (one pass over the kind index)."""
    out: dict[str, set[date]] = defaultdict(set)
    for kind, day in conn.execute("SELECT kind, day FROM steps GROUP BY kind, day"):
        out[kind].add(date.fromisoformat(day))
    return out


# ---------------------------------------------------------------- days of rest


@dataclass(frozen=True)
class Frozen:
    """The days that do not count against the strength, between two dates."""

    rest: dict[date, calendar.RestDay]
    declared: set[date]

    def __contains__(self, day: object) -> bool:
        return day in self.rest or day in self.declared

    def why(self, day: date) -> str | None:
        if day in self.rest:
            return self.rest[day].name
        return "skipped" if day in self.declared else None


def frozen_days(conn: sqlite3.Connection, first: date, last: date) -> Frozen:
    where = calendar.place(conn)
    return Frozen(calendar.rest_days(first, last, where.israel), journal.skipped_days(conn))


# ---------------------------------------------------------------- strength


def multiplier(frequency: float = 1.0) -> float:
    return float(0.5 ** (math.sqrt(frequency) / 13.0))


def strength_series(
    practised: list[bool], frequency: float = 1.0, frozen: list[bool] | None = None
) -> list[float]:
    """The score after each day; a frozen day without practice leaves it where it was."""
    m = multiplier(frequency)
    score, out = 0.0, []
    for i, day in enumerate(practised):
        if day or not (frozen and frozen[i]):
            score = score * m + (1.0 if day else 0.0) * (1 - m)
        out.append(score)
    return out


def _strength(days: set[date], end: date, frozen: Frozen) -> float:
    """The score at the end of `end`; `end` itself (today) only counts once practised: a day is not a
    gap before it is over (after Havdalah the strength is what it was before Shabbat)."""
    if not days:
        return 0.0
    start = min(days)
    if end < start:
        return 0.0
    span = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    still = [d in frozen or d == end for d in span]
    series = strength_series([d in days for d in span], frozen=still)
    return series[-1] if series else 0.0


def strength(
    conn: sqlite3.Connection,
    *,
    today: date | None = None,
    kind: str | None = None,
    now: datetime | None = None,
) -> float:
    """0..1: a daily practice's habit score from the first step to today (Shabbat, Yom Tov and
    declared skips frozen)."""
    days = set(day_counts(conn, kind))
    if not days:
        return 0.0
    end = today or _today(conn, now)
    return _strength(days, end, frozen_days(conn, min(days), end))


# ---------------------------------------------------------------- the calendar of days


def heatmap(
    conn: sqlite3.Connection, *, days: int = 84, today: date | None = None, kind: str | None = None
) -> list[tuple[date, int]]:
    """Steps per Hebrew day for the last `days` days, oldest first."""
    end = today or _today(conn, None)
    counts = day_counts(conn, kind)
    return [(d, counts.get(d, 0)) for d in (end - timedelta(days=i) for i in range(days - 1, -1, -1))]


@dataclass(frozen=True)
class HeatCell:
    day: date
    count: int
    rest: str | None  # "Shabbat", "Pesach", …
    skipped: bool  # declared by the user
    week: int  # column, 0 = the oldest week
    weekday: int  # row, 0 = Sunday … 6 = Shabbat

    @property
    def level(self) -> int:
        return min(4, self.count)

    @property
    def label(self) -> str:
        words = f"{calendar.when_words(self.day, year=True)}: {plural(self.count, 'step')}"
        if self.skipped and self.rest is None:
            words += " (a day you set aside)"
        return words

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "count": self.count, "rest": self.rest, "skipped": self.skipped}


@dataclass(frozen=True)
class MonthMark:
    week: int
    civil: str | None  # "Dec"
    hebrew: str | None  # "Tevet"


@dataclass(frozen=True)
class HeatGrid:
    cells: list[HeatCell]
    weeks: int
    months: list[MonthMark]
    WEEKDAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Shabbat")


def heat_grid(
    conn: sqlite3.Connection, *, days: int = 84, today: date | None = None, kind: str | None = None
) -> HeatGrid:
    """The heatmap as a calendar: weeks as columns (Sunday on top, Shabbat at the bottom), with the
    civil and the Hebrew months marked where they begin, Shabbat, Yom Tov and set-aside days told apart."""
    end = today or _today(conn, None)
    counts = day_counts(conn, kind)
    start = end - timedelta(days=days - 1)
    start -= timedelta(days=(start.weekday() + 1) % 7)  # back to Sunday: whole weeks
    frozen = frozen_days(conn, start, end)
    cells: list[HeatCell] = []
    months: list[MonthMark] = []
    day = start
    while day <= end:
        week, weekday = (day - start).days // 7, (day.weekday() + 1) % 7
        rest = frozen.rest.get(day)
        cells.append(
            HeatCell(
                day, counts.get(day, 0), rest.name if rest else None, day in frozen.declared, week, weekday
            )
        )
        hd = calendar.hebrew_date(day)
        civil = calendar.MONTHS_SHORT[day.month - 1] if day.day == 1 or day == start else None
        hebrew = calendar.hebrew_month_en(day) if hd.day == 1 or day == start else None
        if civil or hebrew:
            previous = months[-1] if months and months[-1].week == week else None
            if previous is not None:
                months[-1] = MonthMark(week, previous.civil or civil, previous.hebrew or hebrew)
            else:
                months.append(MonthMark(week, civil, hebrew))
        day += timedelta(days=1)
    return HeatGrid(cells, (end - start).days // 7 + 1, months)


# ---------------------------------------------------------------- the building


def building(conn: sqlite3.Connection) -> Building:
    """Every step a brick, laid in the order they were taken (see `practice.building`)."""
    return _building.build(conn)


def building_svg(b: Building, *, legend: bool = True) -> str:
    return _building.svg(b, legend=legend)


# ---------------------------------------------------------------- summary and greeting


def summary(conn: sqlite3.Connection, now: datetime | None = None) -> dict[str, Any]:
    """Totals, strength (overall and per kind), stage, and the days that were kept without counting."""
    today = _today(conn, now)
    t, kind_days = _scan(conn)
    stage, nxt = stage_for(t["total"])
    all_days = set().union(*kind_days.values()) if kind_days else set()
    first = min(all_days) if all_days else today
    frozen = frozen_days(conn, first, max(today, first))
    per_kind = {k: round(_strength(kind_days.get(k, set()), today, frozen), 4) for k in t["by_kind"]}
    for kind, values in t["by_kind"].items():
        values["strength"] = per_kind[kind]
    skipped = Counter[str]()
    if all_days:
        day = first
        while day <= today:
            if day not in all_days and day in frozen:
                rest = frozen.rest.get(day)
                skipped[
                    "shabbat" if rest and rest.names == ("Shabbat",) else "yom_tov" if rest else "declared"
                ] += 1
            day += timedelta(days=1)
    return {
        **t,
        "today": today.isoformat(),
        "today_words": calendar.when_words(today, year=True),
        "strength": round(_strength(all_days, today, frozen), 4),
        "strength_by_kind": per_kind,
        "stage": stage.to_dict() if stage else None,
        "next_stage": nxt.to_dict() if nxt else None,
        "bricks_to_next": None if nxt is None else nxt.steps - t["total"],
        "skipped_days": sum(skipped.values()),
        "skipped": {key: skipped.get(key, 0) for key in ("shabbat", "yom_tov", "declared")},
        "skips": [s.to_dict() for s in journal.skips(conn)],
    }


def report(
    conn: sqlite3.Connection,
    now: datetime | None = None,
    *,
    days: int = 84,
    kind: str | None = None,
    built: Building | None = None,
) -> dict[str, Any]:
    """What every face shows of progress: the summary, the last `days` days of the heatmap (of one
    `kind`, or all) and the building (`built` when the caller has it already)."""
    data = summary(conn, now)
    today = date.fromisoformat(data["today"])
    grid = heat_grid(conn, days=days, today=today, kind=kind)
    shown = [c for c in grid.cells if c.day > today - timedelta(days=days)]
    return {
        **data,
        "heatmap": [{"day": c.day.isoformat(), "count": c.count} for c in shown],
        "building": (built or building(conn)).to_dict(),
    }


def _what_was_built(conn: sqlite3.Connection, total: int) -> str:
    by_kind = sorted(
        ((kind, n) for kind, n in conn.execute("SELECT kind, COUNT(*) FROM steps GROUP BY kind")),
        key=lambda kv: (-kv[1], kv[0]),
    )
    kinds = ", ".join(f"{n:,} {k}" for k, n in by_kind)
    stage, _nxt = stage_for(total)
    words = f"{plural(total, 'step')} ({kinds})"
    if stage:
        words += f", standing at {stage.name} ({stage.he})"
    return words


def greeting(conn: sqlite3.Connection, now: datetime | None = None) -> str | None:
    """After Shabbat or Yom Tov, or after days away: what has been built, never what was missed."""
    today = _today(conn, now)
    last = conn.execute("SELECT MAX(day) FROM steps").fetchone()[0]
    if last is None:
        return None
    total = journal.count_steps(conn)
    where = calendar.place(conn)
    rested = [] if calendar.rest_day(today, where.israel) else calendar.rest_before(today, where.israel)
    score = round(100 * strength(conn, today=today))
    if rested:
        names = list(dict.fromkeys(n for r in rested for n in r.names))
        if names == ["Shabbat"]:
            opening, over = "Shavua tov.", "Over Shabbat"
        else:
            festival = " and ".join(names)
            span = "" if len(rested) == 1 else f" ({plural(len(rested), 'day')})"
            opening, over = f"Welcome back after {festival}.", f"Over {festival}{span}"
        first = rested[0].day.isoformat()
        before = conn.execute("SELECT COUNT(*) FROM steps WHERE day < ?", (first,)).fetchone()[0]
        during = (
            total
            - int(before)
            - int(
                conn.execute(
                    "SELECT COUNT(*) FROM steps WHERE day > ?", (rested[-1].day.isoformat(),)
                ).fetchone()[0]
            )
        )
        words = f"{opening} {over} your building stood firm: {_what_was_built(conn, total)}; "
        words += f"your strength rested with you at {score}%."
        if during:
            words += f" {plural(during, 'step')} recorded for those days."
        else:
            words += " If you learned or prayed then, you can record it for that day."
        return words
    frozen = frozen_days(conn, date.fromisoformat(last), today)
    away = sum(
        1
        for i in range(1, (today - date.fromisoformat(last)).days + 1)
        if date.fromisoformat(last) + timedelta(days=i) not in frozen
    )
    if away < RETURN_GAP_DAYS:
        return None
    _stage, nxt = stage_for(total)
    words = f"Welcome back. You have built {_what_was_built(conn, total)}; your strength is {score}%."
    if nxt:
        words += (
            f" {plural(nxt.steps - total, 'step')} more to {nxt.name}. Every step counts from where you are."
        )
    return words
