"""Progress that never resets: totals, a calendar heatmap, a strength that rises with practice and
falls gently with absence, and stages reached brick by brick.

Strength is an exponentially weighted average of the days (Loop Habit Tracker's habit score):
each day, score = score · m + practised · (1 − m) with m = 0.5^(√frequency / 13), so a daily
practice gains about 5% of the way up a day and a day away loses about 5% of what was built.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from rich.text import Text

from madrega.practice import cycles, journal

KIND_COLORS = {
    "study": "#3b6fd1",
    "prayer": "#d1a23b",
    "hitbodedut": "#3ba55c",
    "kindness": "#c04fb0",
    "tzedakah": "#2fb3b3",
    "mitzvah": "#d14b3b",
}
OTHER_COLOR = "#8a8a8a"
BRICKS_PER_ROW = 10
RETURN_GAP_DAYS = 3


def color_of(kind: str) -> str:
    return KIND_COLORS.get(kind, OTHER_COLOR)


# ---------------------------------------------------------------- stages


@dataclass(frozen=True)
class Stage:
    steps: int
    name: str
    he: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def stages() -> tuple[Stage, ...]:
    raw = json.loads(resources.files("madrega").joinpath("data/stages.json").read_text(encoding="utf-8"))
    found = tuple(Stage(int(s["steps"]), s["name"], s["he"]) for s in raw["stages"])
    return tuple(sorted(found, key=lambda s: s.steps))


def stage_for(total: int) -> tuple[Stage | None, Stage | None]:
    """(the stage reached, the next one) for a number of steps."""
    reached = [s for s in stages() if s.steps <= total]
    ahead = [s for s in stages() if s.steps > total]
    return (reached[-1] if reached else None, ahead[0] if ahead else None)


# ---------------------------------------------------------------- counts


def _today(conn: sqlite3.Connection, now: datetime | None) -> date:
    return cycles.hebrew_day(conn, now)


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
    sql, params = "SELECT day, COUNT(*) FROM steps", []
    if kind:
        sql += " WHERE kind=?"
        params.append(kind)
    return Counter({date.fromisoformat(d): int(n) for d, n in conn.execute(sql + " GROUP BY day", params)})


def heatmap(
    conn: sqlite3.Connection, *, days: int = 84, today: date | None = None, kind: str | None = None
) -> list[tuple[date, int]]:
    """Steps per day for the last `days` days, oldest first."""
    end = today or _today(conn, None)
    counts = day_counts(conn, kind)
    return [(d, counts.get(d, 0)) for d in (end - timedelta(days=i) for i in range(days - 1, -1, -1))]


def render_heatmap(cells: list[tuple[date, int]]) -> Text:
    """Weeks as columns, Sunday..Shabbat as rows; darker green for more steps."""
    shades = ["#2a2a2a", "#0e4429", "#006d32", "#26a641", "#39d353"]
    text = Text()
    if not cells:
        return text
    first = cells[0][0]
    pad = (first.weekday() + 1) % 7
    grid: list[list[tuple[date, int] | None]] = [[] for _ in range(7)]
    for i in range(pad):
        grid[i].append(None)
    for i, day_count in enumerate(cells):
        grid[(pad + i) % 7].append(day_count)
    labels = ["Sun", "   ", "Tue", "   ", "Thu", "   ", "Sha"]
    for row_index, row in enumerate(grid):
        text.append(labels[row_index] + " ", style="dim")
        for slot in row:
            if slot is None:
                text.append("  ")
            else:
                text.append("■ ", style=shades[min(4, slot[1])])
        text.append("\n")
    return text


# ---------------------------------------------------------------- strength


def multiplier(frequency: float = 1.0) -> float:
    return float(0.5 ** (math.sqrt(frequency) / 13.0))


def strength_series(practised: list[bool], frequency: float = 1.0) -> list[float]:
    m = multiplier(frequency)
    score, out = 0.0, []
    for day in practised:
        score = score * m + (1.0 if day else 0.0) * (1 - m)
        out.append(score)
    return out


def strength(conn: sqlite3.Connection, *, today: date | None = None, kind: str | None = None) -> float:
    """0..1: a daily practice's habit score from the first step to today."""
    counts = day_counts(conn, kind)
    if not counts:
        return 0.0
    end = today or _today(conn, None)
    start = min(counts)
    span = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    series = strength_series([counts.get(d, 0) > 0 for d in span])
    return series[-1] if series else 0.0


# ---------------------------------------------------------------- the building


@dataclass(frozen=True)
class Brick:
    step: str
    kind: str
    day: str
    hebrew_date: str
    summary: str
    color: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Building:
    rows: list[list[Brick]]
    total: int
    stage: Stage | None
    next_stage: Stage | None

    @property
    def bricks_to_next(self) -> int | None:
        return None if self.next_stage is None else self.next_stage.steps - self.total

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "stage": self.stage.to_dict() if self.stage else None,
            "next_stage": self.next_stage.to_dict() if self.next_stage else None,
            "bricks_to_next": self.bricks_to_next,
            "rows": [[b.to_dict() for b in row] for row in self.rows],
        }


def building(conn: sqlite3.Connection, *, per_row: int = BRICKS_PER_ROW) -> Building:
    """Every step a brick, laid in the order they were taken; row 0 is the foundation."""
    bricks = [
        Brick(s.uid, s.kind, s.day, s.hebrew_date, s.summary(), color_of(s.kind))
        for s in journal.list_steps(conn)
    ]
    rows = [bricks[i : i + per_row] for i in range(0, len(bricks), per_row)]
    stage, nxt = stage_for(len(bricks))
    return Building(rows, len(bricks), stage, nxt)


def building_text(b: Building, *, max_rows: int = 12) -> Text:
    """The building top floor first, each brick colored by its kind."""
    text = Text()
    if b.stage:
        text.append(f"{b.stage.name} · {b.stage.he}", style="bold")
    else:
        text.append("An empty plot: the first step lays the first brick", style="bold")
    text.append(f"  ({b.total} steps")
    if b.next_stage:
        text.append(f"; {b.bricks_to_next} to {b.next_stage.name} · {b.next_stage.he}")
    text.append(")\n")
    shown = b.rows[-max_rows:]
    for row in reversed(shown):
        offset = " " if (b.rows.index(row) % 2) else ""
        text.append(offset)
        for brick in row:
            text.append("▇▇", style=brick.color)
            text.append(" ")
        text.append("\n")
    hidden = len(b.rows) - len(shown)
    if hidden:
        text.append(f"… and {hidden} more rows of foundation below\n", style="dim")
    if b.rows:
        kinds = sorted({brick.kind for row in b.rows for brick in row})
        for kind in kinds:
            text.append("▇▇", style=color_of(kind))
            text.append(f" {kind}  ")
        text.append("\n")
    return text


def building_svg(b: Building, *, brick_w: int = 24, brick_h: int = 12, gap: int = 2) -> str:
    """An SVG of the building; each brick is a <rect data-step=UID> with a <title> naming its step."""
    per_row = max([len(r) for r in b.rows] + [BRICKS_PER_ROW])
    width = per_row * (brick_w + gap) + brick_w // 2 + gap
    height = max(1, len(b.rows)) * (brick_h + gap) + gap
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="madrega-building" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(_caption(b))}">',
        f"<title>{escape(_caption(b))}</title>",
    ]
    for level, row in enumerate(b.rows):
        y = height - (level + 1) * (brick_h + gap)
        shift = brick_w // 2 if level % 2 else 0
        for i, brick in enumerate(row):
            x = gap + shift + i * (brick_w + gap)
            label = f"{brick.summary} — {brick.hebrew_date} ({brick.day})"
            out.append(
                f'<rect x="{x}" y="{y}" width="{brick_w}" height="{brick_h}" rx="2" fill="{brick.color}" '
                f'class="brick kind-{escape(brick.kind)}" data-step="{escape(brick.step)}" '
                f'data-kind="{escape(brick.kind)}"><title>{escape(label)}</title></rect>'
            )
    out.append("</svg>")
    return "\n".join(out)


def _caption(b: Building) -> str:
    if b.stage is None:
        return "No steps yet"
    return f"{b.total} steps: {b.stage.name} ({b.stage.he})"


# ---------------------------------------------------------------- summary and greeting


def summary(conn: sqlite3.Connection, now: datetime | None = None) -> dict[str, Any]:
    today = _today(conn, now)
    t = totals(conn)
    stage, nxt = stage_for(t["total"])
    per_kind = {k: round(strength(conn, today=today, kind=k), 4) for k in t["by_kind"]}
    for kind, values in t["by_kind"].items():
        values["strength"] = per_kind[kind]
    return {
        **t,
        "today": today.isoformat(),
        "strength": round(strength(conn, today=today), 4),
        "strength_by_kind": per_kind,
        "stage": stage.to_dict() if stage else None,
        "next_stage": nxt.to_dict() if nxt else None,
        "bricks_to_next": None if nxt is None else nxt.steps - t["total"],
    }


def greeting(conn: sqlite3.Connection, now: datetime | None = None) -> str | None:
    """After a gap of three days or more: what has been built, never what was missed."""
    today = _today(conn, now)
    last = conn.execute("SELECT MAX(day) FROM steps").fetchone()[0]
    if last is None or (today - date.fromisoformat(last)).days < RETURN_GAP_DAYS:
        return None
    total = conn.execute("SELECT COUNT(*) FROM steps").fetchone()[0]
    stage, nxt = stage_for(total)
    by_kind: dict[str, int] = defaultdict(int)
    for kind, n in conn.execute("SELECT kind, COUNT(*) FROM steps GROUP BY kind"):
        by_kind[kind] = n
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(by_kind.items(), key=lambda kv: -kv[1]))
    words = f"Welcome back. You have built {total} step{'s' if total != 1 else ''} ({kinds})"
    if stage:
        words += f" and stand at {stage.name} ({stage.he})"
    words += f"; your strength is {round(100 * strength(conn, today=today))}%."
    if nxt:
        words += f" {nxt.steps - total} more to {nxt.name}. Every step counts from where you are."
    return words
