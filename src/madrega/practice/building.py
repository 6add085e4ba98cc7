"""The building: every step a brick, laid course by course in a running bond, storey upon storey.

Each stage (madregah) completes a storey. A storey stands between stone quoins, has windows once it
is tall enough (arched once they are tall enough for an arch), and is capped by a stone band; the
storey under construction rises inside scaffolding with the roof waiting on top, its outline
dashed, and a ghost brick where the next step will go. Early stages are small (1, 10, 18 … steps),
so stages too small to make two courses at the building's width share a storey with the next one:
at a thousand steps the first hundred are the foundation, as they should be.

Scale, not noise: the width grows with the square root of the number of bricks, so the building
keeps a building's proportions from 1 to 10,000 steps; past 10,000 one brick stands for several
steps (`per_brick`), so the drawing never holds more than 10,000 bricks.

This module computes the geometry (pure data, tested) and writes it as SVG, a file format like the
CSV export: the web page shows it, `madrega progress --svg` saves it, the terminal samples it.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import math
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from madrega.practice import calendar
from madrega.practice.words import plural

MAX_BRICKS = 10_000  # every brick one step up to here
SCALED_BRICKS = 5_000  # past it, a brick stands for several steps, and there are at most this many
L = 24.0  # a brick's length with its mortar, in SVG units
HALF = L / 2
C = 8.0  # a course's height with its mortar
MORTAR = 1.6
BAND = 6.0  # the stone band that caps a storey
QUOIN = HALF
PLINTH = 10.0
GROUND = 14.0
MARGIN = 26.0
ROOF_OVERHANG = 10.0
MIN_WINDOW_COURSES = 6
TIER_COURSES = 18  # a storey taller than this gets another row of windows

KIND_COLORS = {
    "study": "#b0503a",
    "prayer": "#d19a36",
    "hitbodedut": "#5d8a4c",
    "kindness": "#c05f7e",
    "tzedakah": "#3d8a99",
    "mitzvah": "#7a5aa6",
}
OTHER_COLOR = "#8c8173"
STONE = "#ddd5c4"
STONE_EDGE = "#b7ad99"
MORTAR_COLOR = "#ebe4d6"
GLASS = "#33465c"
GLASS_LIGHT = "#5d7791"
WOOD = "#6e4c30"
ROOF = "#4f5663"
ROOF_LINE = "#3d434e"
SCAFFOLD = "#a27c4c"
EARTH = "#8f7b60"
GRASS = "#7f9b55"


def stylesheet() -> str:
    """The drawing's classes. Written into the SVG file, and served in the pages' stylesheet too (their
    Content-Security-Policy keeps inline styles out)."""
    rules = [f".m{{fill:{MORTAR_COLOR}}}.st{{fill:{STONE};stroke:{STONE_EDGE};stroke-width:.6}}"]
    for kind, colour in [*KIND_COLORS.items(), ("other", OTHER_COLOR)]:
        for s, shade in enumerate(shades(colour)):
            rules.append(f".k-{kind}{'abc'[s]}{{fill:{shade}}}")
    return "".join(rules)


def color_of(kind: str) -> str:
    return KIND_COLORS.get(kind, OTHER_COLOR)


def shades(color: str) -> tuple[str, str, str]:
    """The colour and a slightly darker and lighter one: bricks of one kind vary, as fired bricks do."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))

    def scaled(f: float) -> str:
        return "#" + "".join(f"{max(0, min(255, round(v * f))):02x}" for v in (r, g, b))

    return scaled(0.9), color, scaled(1.08)


# ---------------------------------------------------------------- stages


@dataclass(frozen=True)
class Stage:
    steps: int
    name: str
    he: str

    def to_dict(self) -> dict[str, Any]:
        return {"steps": self.steps, "name": self.name, "he": self.he}


@cache
def stages() -> tuple[Stage, ...]:
    raw = json.loads(resources.files("madrega").joinpath("data/stages.json").read_text(encoding="utf-8"))
    found = tuple(Stage(int(s["steps"]), s["name"], s["he"]) for s in raw["stages"])
    return tuple(sorted(found, key=lambda s: s.steps))


def stage_for(total: int) -> tuple[Stage | None, Stage | None]:
    """(the stage reached, the next one) for a number of steps."""
    reached = [s for s in stages() if s.steps <= total]
    return (reached[-1] if reached else None, _next_stage(total))


def _next_stage(total: int) -> Stage | None:
    ahead = [s for s in stages() if s.steps > total]
    return ahead[0] if ahead else None


def _storey_stages(total: int) -> list[Stage]:
    """The named stages, then (past the last) a storey every ten thousand steps."""
    named = list(stages())
    last = named[-1].steps
    extra = []
    step = 10_000
    mark = last + step
    while mark <= max(total, last) + step:
        n = mark // step
        extra.append(Stage(mark, f"{n} × ten thousand", f"{n} רבבות"))
        mark += step
    return named + extra


# ---------------------------------------------------------------- what each brick stands for


@dataclass(frozen=True)
class Unit:
    """One brick: a step (or, past 10,000 steps, a run of `count` consecutive steps)."""

    first: str
    last: str
    kind: str
    count: int
    label: str
    mix: tuple[tuple[str, int], ...] = ()  # the kinds a brick of several steps holds


def units_of(conn: sqlite3.Connection) -> tuple[list[Unit], int, int]:
    """(bricks, number of steps, steps per brick on average), in the order the steps were taken.

    Up to 10,000 steps every brick is a step. Past that, a brick is a day of practice (or a few days,
    so there are at most 5,000 bricks): its label says how many steps of which kinds the day held, and
    it opens the day's first step. Days come from the indexes alone, never from every step's row."""
    total = int(conn.execute("SELECT COUNT(*) FROM steps").fetchone()[0])
    out: list[Unit] = []
    if total <= MAX_BRICKS:
        from madrega.practice.journal import summary_of

        loads = json.loads
        for (data,) in conn.execute("SELECT data FROM steps ORDER BY at, uid"):
            v = loads(data)
            when = _short_when(v["day"], v.get("civil_date") or v["day"], bool(v.get("late")))
            out.append(Unit(v["uid"], v["uid"], v["kind"], 1, f"{summary_of(v)} — {when}"))
        return out, total, 1
    # the first step of each day (a bare column beside MIN() is the row that has the minimum)
    firsts = conn.execute("SELECT day, MIN(at), uid FROM steps GROUP BY day ORDER BY day").fetchall()
    kinds: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, day, count, _minutes in conn.execute(
        "SELECT kind, day, COUNT(*), 0 FROM steps GROUP BY kind, day"
    ):
        kinds[day][kind] = int(count)
    per_day = max(1, math.ceil(len(firsts) / SCALED_BRICKS))
    for i in range(0, len(firsts), per_day):
        group = firsts[i : i + per_day]
        mix: Counter[str] = Counter()
        for day, _at, _uid in group:
            mix.update(kinds[day])
        ranked = mix.most_common()
        size = sum(mix.values())
        label = f"{size} steps ({', '.join(f'{n} {k}' for k, n in ranked)}), {_day_span(group[0][0], group[-1][0])}"
        out.append(Unit(group[0][2], group[-1][2], ranked[0][0], size, label, tuple(ranked)))
    return out, total, max(2, round(total / max(1, len(out))))


@cache
def _day_span(first: str, last: str) -> str:
    """'5 Kislev 5780', '5–9 Kislev 5780', '28 Kislev – 3 Tevet 5780' (Hebrew days, as the heatmap counts)."""
    a, b = _hebrew_of(first), _hebrew_of(last)
    if first == last:
        return f"{a[2]} {a[1]} {a[0]}"
    if a[:2] == b[:2]:
        return f"{a[2]}–{b[2]} {b[1]} {b[0]}"
    if a[0] == b[0]:
        return f"{a[2]} {a[1]} – {b[2]} {b[1]} {b[0]}"
    return f"{a[2]} {a[1]} {a[0]} – {b[2]} {b[1]} {b[0]}"


@cache
def _hebrew_of(day: str) -> tuple[int, str, int]:
    """(year, month name, day) of a stored day."""
    words = calendar.hebrew_date_english(date.fromisoformat(day)).split(" ")
    return int(words[-1]), " ".join(words[1:-1]), int(words[0])


@cache
def _short_when(day: str, civil: str, late: bool) -> str:
    d, c = date.fromisoformat(day), date.fromisoformat(civil)
    text = calendar.when_words(d, c, israel=True)
    return text + " (recorded after)" if late else text


# ---------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Rect:
    x: float
    y: float  # distance of the bottom edge above the top of the plinth (drawing is upside down)
    w: float
    h: float


@dataclass(frozen=True)
class Brick:
    unit: Unit
    rect: Rect
    shade: int


@dataclass(frozen=True)
class Opening:
    """A window or the door: the stone block it is set in (bricks keep out of it; on odd courses one
    half brick further, as a quoined surround does) and the glass or the door leaf inside."""

    kind: str  # "window" or "door"
    block: Rect
    inner: Rect
    arched: bool


@dataclass
class Storey:
    number: int
    stages: list[Stage]
    first: int  # index of its first brick
    planned: int  # bricks it holds when complete
    built: int
    bottom: float
    top: float
    openings: list[Opening] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.built >= self.planned

    @property
    def name(self) -> str:
        return self.stages[-1].name

    def to_dict(self, per_brick: int) -> dict[str, Any]:
        return {
            "number": self.number,
            "stages": [s.to_dict() for s in self.stages],
            "name": self.name,
            "complete": self.complete,
            "bricks": self.built,
            "bricks_planned": self.planned,
            "steps_from": self.first * per_brick + 1 if self.built else None,
            "windows": sum(1 for o in self.openings if o.kind == "window"),
        }


@dataclass
class Building:
    total: int  # steps
    per_brick: int
    stage: Stage | None
    next_stage: Stage | None
    bricks: list[Brick]
    storeys: list[Storey]
    openings: list[Opening]
    courses: int
    width: float  # the wall, quoins included
    wall_top: float  # top of the highest built course
    planned_top: float  # top of the storey under construction when it is complete
    ghost: Rect | None  # where the next brick goes
    kinds: Counter[str]
    full_top: float = 0.0  # top of the highest course laid whole
    partial: Rect | None = None  # the course being laid, as far as it goes
    bands: list[Rect] = field(default_factory=list)
    quoins: list[Rect] = field(default_factory=list)
    fillers: list[Rect] = field(default_factory=list)  # stone where a window's surround cuts the bond

    @property
    def bricks_to_next(self) -> int | None:
        return None if self.next_stage is None else self.next_stage.steps - self.total

    @property
    def rows(self) -> list[list[Brick]]:
        """The bricks course by course, the foundation first (for callers that count rows)."""
        by_y: dict[float, list[Brick]] = {}
        for brick in self.bricks:
            by_y.setdefault(brick.rect.y, []).append(brick)
        return [by_y[y] for y in sorted(by_y)]

    def description(self) -> str:
        """What the picture shows, in words (the SVG's <desc>, and the page's text alternative)."""
        if self.total == 0:
            return "An empty plot: the first step lays the first brick."
        done = [s for s in self.storeys if s.complete]
        rising = next((s for s in self.storeys if not s.complete), None)
        steps = _plural(self.total, "step")
        words = [f"A building of {steps}"]
        if self.per_brick > 1:
            words.append(
                f", drawn at one brick for every {self.per_brick} steps or so (a day of practice, or a few)"
            )
        words.append(". ")
        if done:
            names = ", ".join(s.name for s in done)
            words.append(f"{_plural(len(done), 'storey')} complete ({names}). ")
        if rising is not None and self.next_stage is not None:
            words.append(
                f"The next storey is rising: {_plural(self.bricks_to_next or 0, 'step')} to "
                f"{self.next_stage.name}. "
            )
        windows = sum(1 for o in self.openings if o.kind == "window")
        if windows:
            words.append(f"{_plural(windows, 'window')}. ")
        mix = ", ".join(_plural(n, f"{k} step") for k, n in self.kinds.most_common())
        words.append(f"By kind: {mix}.")
        return "".join(words)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "per_brick": self.per_brick,
            "bricks": len(self.bricks),
            "courses": self.courses,
            "stage": self.stage.to_dict() if self.stage else None,
            "next_stage": self.next_stage.to_dict() if self.next_stage else None,
            "bricks_to_next": self.bricks_to_next,
            "storeys": [s.to_dict(self.per_brick) for s in self.storeys],
            "kinds": dict(self.kinds.most_common()),
            "description": self.description(),
        }


def _plural(n: int, word: str) -> str:
    return plural(n, word)


def bricks_per_course(units: int) -> int:
    """The wall's width in bricks: grows as √n, so the building keeps its proportions."""
    return max(4, min(80, round(0.6 * math.sqrt(max(units, 1)))))


def _slots(b: int, course: int) -> list[tuple[float, float]]:
    """(x, width) of the brick places of one course: a running bond, odd courses half a brick in."""
    return _slots_of(b, course % 2)


@cache
def _slots_of(b: int, parity: int) -> list[tuple[float, float]]:
    if parity == 0:
        return [(QUOIN + i * L, L) for i in range(b)]
    return [(QUOIN + HALF + i * L, L) for i in range(b - 1)]


def _even(value: float) -> float:
    """The nearest multiple of a whole brick (openings sit on the even courses' joints)."""
    return round(value / L) * L


def _door(b: int, units: int) -> Opening | None:
    if b < 6 or units < 72:
        return None
    wall = b * L
    inner_w = L if b < 10 else 2 * L if b < 30 else 3 * L if b < 60 else 4 * L
    block_w = inner_w + L
    x = QUOIN + _even((wall - block_w) / 2)
    courses = max(6, min(30, round(b * 0.7) if b < 20 else round(10 + b * 0.3)))
    h = courses * C
    inner = Rect(x + HALF, 0.0, inner_w, h - HALF * 0.8)
    return Opening("door", Rect(x, 0.0, block_w, h), inner, True)


def _windows(b: int, bottom: float, courses: int, door: Opening | None) -> list[Opening]:
    if courses < MIN_WINDOW_COURSES or b < 4:
        return []
    wall = b * L
    glass = HALF if b < 10 else L if b < 40 else L + HALF
    block_w = glass + L
    bays = max(1, (b - 1) // 5)
    tiers = max(1, courses // TIER_COURSES)
    tier_h = courses / tiers
    out = []
    for t in range(tiers):
        r0 = round(t * tier_h + max(1, round(0.22 * tier_h)))
        r1 = round(t * tier_h + tier_h - max(1, round(0.2 * tier_h)))
        if r1 - r0 < 4:
            continue
        y0, y1 = bottom + r0 * C, bottom + r1 * C
        for i in range(bays):
            centre = wall * (2 * i + 1) / (2 * bays)
            x = QUOIN + _even(centre - block_w / 2)
            block = Rect(x, y0, block_w, y1 - y0)
            if door is not None and _overlap(block, door.block, pad=HALF):
                continue
            sill = C * 0.9
            inner = Rect(x + HALF, y0 + sill, glass, (y1 - y0) - sill - C * 0.6)
            out.append(Opening("window", block, inner, inner.h >= glass * 1.2))
    return out


def _overlap(a: Rect, b: Rect, pad: float = 0.0) -> bool:
    return a.x < b.x + b.w + pad and a.x + a.w + pad > b.x and a.y < b.y + b.h + pad and a.y + a.h + pad > b.y


def _taken(b: int, course: int, bottom: float, openings: list[Opening]) -> set[int]:
    """Indices of the brick places of a course that an opening (with its surround) takes. The places
    are regular (x = base + i·L), so each opening's run of indices is computed, not searched."""
    ext = HALF if course % 2 else 0.0
    base = QUOIN + (HALF if course % 2 else 0.0)
    count = b if course % 2 == 0 else b - 1
    out: set[int] = set()
    for o in openings:
        if bottom < o.block.y + o.block.h and bottom + C > o.block.y:
            start, end = o.block.x - ext, o.block.x + o.block.w + ext
            first = max(0, math.floor((start - base) / L - 1) + 1)
            last = min(count - 1, math.ceil((end - base) / L) - 1)
            out.update(range(first, last + 1))
    return out


def _free(b: int, course: int, bottom: float, openings: list[Opening]) -> list[tuple[float, float]]:
    """The brick places of a course that no opening takes."""
    slots = _slots(b, course)
    taken = _taken(b, course, bottom, openings)
    return [slot for i, slot in enumerate(slots) if i not in taken] if taken else slots


def _plan(units: list[Unit], b: int) -> list[tuple[list[Stage], int, int]]:
    """Storeys as (stages, first brick, bricks when complete); small stages share a storey. A stage
    ends at the brick where the steps reach it (bricks may hold several steps past 10,000)."""
    minimum = 2 * b - 1
    counts = list(itertools.accumulate(u.count for u in units))
    total = counts[-1] if counts else 0
    average = total / len(units) if units else 1.0
    out: list[tuple[list[Stage], int, int]] = []
    group: list[Stage] = []
    start = 0
    n = len(units)
    for stage in _storey_stages(total):
        if stage.steps <= total:
            end = bisect.bisect_left(counts, stage.steps) + 1
        else:
            end = n + math.ceil((stage.steps - total) / average)
        group.append(stage)
        if end - start >= minimum or end > n:
            out.append((group, start, end - start))
            if end > n:
                break
            group, start = [], end
    return out


def build(conn: sqlite3.Connection) -> Building:
    units, total, per = units_of(conn)
    return lay(units, total, per)


def lay(units: list[Unit], total: int, per: int = 1) -> Building:
    """The geometry of the building for these bricks (pure: the same bricks, the same building)."""
    n = len(units)
    b = bricks_per_course(n)
    door = _door(b, n)
    openings: list[Opening] = [door] if door else []
    bricks: list[Brick] = []
    storeys: list[Storey] = []
    bands: list[Rect] = []
    quoins: list[Rect] = []
    fillers: list[Rect] = []
    course, y = 0, 0.0
    placed = 0
    ghost: Rect | None = None
    planned_top = 0.0
    wall_top = full_top = 0.0
    partial: Rect | None = None
    for number, (group, first, size) in enumerate(_plan(units, b), start=1):
        built = max(0, min(size, n - first))
        height, windows = _fit(b, course, y, size, door)
        storey = Storey(number, group, first, size, built, y, y + height * C, windows)
        storeys.append(storey)
        openings.extend(windows)
        here = ([door] if door else []) + windows
        remaining = built
        for c in range(course, course + height):
            bottom = y + (c - course) * C
            free = _free(b, c, bottom, here)
            take = min(remaining, len(free))
            if take == 0:
                if ghost is None and remaining == 0 and free and built < size:
                    ghost = Rect(free[0][0], bottom, free[0][1], C)
                break
            last_course = c == course + height - 1 or take == remaining
            stretched = storey.complete and last_course and take < len(free)
            spots = _stretch(free, take) if stretched else free[:take]
            for x, w in spots:
                unit = units[placed]
                bricks.append(Brick(unit, Rect(x, bottom, w, C), _shade(unit.first)))
                placed += 1
            quoins.extend(_quoins(b, c, bottom))
            reach = spots[-1][0] + spots[-1][1] if take < len(free) and not stretched else math.inf
            for i in _taken(b, c, bottom, here):
                x, w = _slots(b, c)[i]
                if x < reach:
                    fillers.append(Rect(x, bottom, w, C))
            wall_top = bottom + C
            if take == len(free) or stretched:
                full_top, partial = wall_top, None
            else:
                end = spots[-1][0] + spots[-1][1]
                partial = Rect(0.0, bottom, end, C)
            remaining -= take
            if remaining == 0 and take < len(free) and ghost is None and built < size:
                ghost = Rect(free[take][0], bottom, free[take][1], C)
        if storey.complete:
            bands.append(Rect(-3.0, storey.top, b * L + 2 * QUOIN + 6.0, BAND))
            course += height
            y = storey.top + BAND
            wall_top = full_top = planned_top = y
            partial = None
        else:
            planned_top = storey.top
            if ghost is None and built == 0:
                free = _free(b, course, y, here)
                ghost = Rect(free[0][0], y, free[0][1], C) if free else None
            course += height
            break
    kinds: Counter[str] = Counter()
    for brick in bricks:
        for kind, count in brick.unit.mix or ((brick.unit.kind, brick.unit.count),):
            kinds[kind] += count
    stage, nxt = stage_for(total)
    if nxt is None and total >= stages()[-1].steps:
        nxt = next((s for s in _storey_stages(total) if s.steps > total), None)
    return Building(
        total=total,
        per_brick=per,
        stage=stage,
        next_stage=nxt,
        bricks=bricks,
        storeys=storeys,
        openings=openings,
        courses=course,
        width=b * L + 2 * QUOIN,
        wall_top=wall_top,
        planned_top=max(wall_top, min(planned_top, wall_top + max(4 * C, 0.12 * wall_top))),
        ghost=ghost,
        kinds=kinds,
        full_top=full_top,
        partial=partial,
        bands=bands,
        quoins=quoins,
        fillers=fillers,
    )


def _fit(b: int, course: int, y: float, size: int, door: Opening | None) -> tuple[int, list[Opening]]:
    """How many courses a storey of `size` bricks needs, with the windows it then has."""
    height = max(1, math.ceil(size / (b - 0.5)))
    while True:
        windows = _windows(b, y, height, door)
        here = ([door] if door else []) + windows
        capacity = sum(len(_free(b, c, y + (c - course) * C, here)) for c in range(course, course + height))
        if capacity >= size:
            return height, windows
        height += max(1, math.ceil((size - capacity) / (b - 0.5) * 0.8))


def _stretch(free: list[tuple[float, float]], take: int) -> list[tuple[float, float]]:
    """The last course of a finished storey: its bricks spread over the whole course (cut and laid
    long, as a mason closes a course), each run between openings getting its share."""
    runs: list[list[tuple[float, float]]] = []
    for x, w in free:
        if runs and abs(runs[-1][-1][0] + runs[-1][-1][1] - x) < 0.01:
            runs[-1].append((x, w))
        else:
            runs.append([(x, w)])
    total = sum(len(r) for r in runs)
    shares = [len(r) * take // total for r in runs]
    order = sorted(range(len(runs)), key=lambda i: -(len(runs[i]) * take / total - shares[i]))
    for i in order[: take - sum(shares)]:
        shares[i] += 1
    out: list[tuple[float, float]] = []
    for run, share in zip(runs, shares, strict=True):
        if share == 0:
            continue
        start, end = run[0][0], run[-1][0] + run[-1][1]
        width = (end - start) / share
        out.extend((start + i * width, width) for i in range(share))
    return out


def _quoins(b: int, course: int, bottom: float) -> list[Rect]:
    long = QUOIN + (HALF if course % 2 else 0.0)
    right = QUOIN + b * L + QUOIN
    return [Rect(0.0, bottom, long, C), Rect(right - long, bottom, long, C)]


def _shade(uid: str) -> int:
    return hashlib.blake2s(uid.encode("utf-8"), digest_size=1).digest()[0] % 3


# ---------------------------------------------------------------- SVG


def svg(b: Building, *, legend: bool = True, interactive: bool = True, styled: bool = True) -> str:
    """The building as one SVG document. Each brick is a <rect data-step=UID> with a <title> naming
    its step; the <title> and <desc> of the drawing say what it shows in words. `styled=False` leaves
    out its <style> for a page whose own stylesheet carries the same rules (an inline style is
    refused by the page's Content-Security-Policy)."""
    roof_h = min(0.42 * (b.width + 2 * ROOF_OVERHANG), 220.0)
    width = b.width + 2 * MARGIN
    kinds = sorted(b.kinds, key=lambda k: (-b.kinds[k], k))
    rows = _legend_rows(b, kinds, width) if legend else []
    legend_h = 16.0 * len(rows) + 8 if rows else 0.0
    body = b.planned_top + BAND + roof_h
    height = MARGIN + body + PLINTH + GROUND + legend_h + 8
    base = MARGIN + body  # svg y of the top of the plinth

    def Y(up: float, h: float = 0.0) -> float:
        return base - up - h

    def r(v: float) -> str:
        return f"{v:.1f}".rstrip("0").rstrip(".")

    style = [stylesheet()]
    if interactive:
        style.append("rect[data-step]{cursor:pointer}")
    title = _caption(b)
    shown = max(300.0, min(760.0, width * 2)) if width < 380 else min(760.0, width)  # small ones up close
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="madrega-building" viewBox="0 0 {r(width)} {r(height)}" '
        f'width="{r(shown)}" height="{r(shown * height / width)}" role="img" '
        'aria-labelledby="building-title building-desc">',
        f'<title id="building-title">{escape(title)}</title>',
        f'<desc id="building-desc">{escape(b.description())}</desc>',
    ]
    if styled:
        out.append(f"<style>{''.join(style)}</style>")
    # ground and plinth
    out.append(
        f'<rect x="0" y="{r(base + PLINTH)}" width="{r(width)}" height="{r(GROUND)}" fill="{EARTH}"/>'
        f'<rect x="0" y="{r(base + PLINTH)}" width="{r(width)}" height="3" fill="{GRASS}"/>'
        f'<rect class="st" x="{r(MARGIN - 4)}" y="{r(base)}" width="{r(b.width + 8)}" height="{r(PLINTH)}"/>'
    )
    x0 = MARGIN
    # mortar behind the built courses
    if b.full_top > 0:
        out.append(
            f'<rect class="m" x="{r(x0)}" y="{r(Y(b.full_top))}" width="{r(b.width)}" height="{r(b.full_top)}"/>'
        )
    if b.partial is not None:
        p = b.partial
        out.append(
            f'<rect class="m" x="{r(x0)}" y="{r(Y(p.y, C))}" width="{r(p.w + QUOIN)}" height="{r(C)}"/>'
        )
    # planned outline of the storey under construction
    if b.planned_top > b.wall_top + 0.1 or b.total == 0:
        top = max(b.planned_top, C)
        out.append(
            f'<rect x="{r(x0)}" y="{r(Y(top))}" width="{r(b.width)}" height="{r(top)}" fill="none" '
            f'stroke="#8c8173" stroke-width="1.2" stroke-dasharray="5 4"><title>{escape(_rising(b))}</title></rect>'
        )
    # bricks
    for brick in b.bricks:
        rect = brick.rect
        cls = f"k-{brick.unit.kind if brick.unit.kind in KIND_COLORS else 'other'}{'abc'[brick.shade]}"
        extra = (
            f' data-last="{escape(brick.unit.last)}" data-count="{brick.unit.count}"'
            if brick.unit.count > 1
            else ""
        )
        out.append(
            f'<rect x="{r(x0 + rect.x + MORTAR / 2)}" y="{r(Y(rect.y, C) + MORTAR / 2)}" '
            f'width="{r(rect.w - MORTAR)}" height="{r(C - MORTAR)}" rx="0.8" class="{cls}" '
            f'data-step="{escape(brick.unit.first)}"{extra}>'
            f"<title>{escape(brick.unit.label)}</title></rect>"
        )
    for q in b.quoins:
        out.append(
            f'<rect class="st" x="{r(x0 + q.x + 0.4)}" y="{r(Y(q.y, C) + 0.4)}" width="{r(q.w - 0.8)}" height="{r(C - 0.8)}"/>'
        )
    for f in b.fillers:
        out.append(
            f'<rect class="st" x="{r(x0 + f.x + 0.4)}" y="{r(Y(f.y, C) + 0.4)}" width="{r(f.w - 0.8)}" height="{r(C - 0.8)}"/>'
        )
    for o in b.openings:
        if o.kind == "window" and o.block.y < b.wall_top - 0.1:
            out.append(_opening_svg(o, x0, Y, r, b.wall_top))
    for storey, band in zip((s for s in b.storeys if s.complete), b.bands, strict=False):
        names = " · ".join(f"{s.name} ({s.he}, {s.steps:,} steps)" for s in storey.stages)
        out.append(
            f'<rect class="st" x="{r(x0 + band.x)}" y="{r(Y(band.y, BAND))}" width="{r(band.w)}" height="{r(BAND)}">'
            f"<title>Storey {storey.number} complete: {escape(names)}</title></rect>"
        )
    for o in b.openings:
        if o.kind == "door" and o.block.y < b.wall_top - 0.1:
            out.append(_opening_svg(o, x0, Y, r, b.wall_top))
    if b.ghost is not None:
        g = b.ghost
        out.append(
            f'<rect x="{r(x0 + g.x + MORTAR / 2)}" y="{r(Y(g.y, C) + MORTAR / 2)}" width="{r(g.w - MORTAR)}" '
            f'height="{r(C - MORTAR)}" rx="0.8" fill="#fffaf0" stroke="#8c8173" stroke-dasharray="2 1.5" '
            f'stroke-width="0.8" class="ghost"><title>Your next step goes here</title></rect>'
        )
    out.append(_scaffold_svg(b, x0, Y, r))
    out.append(_roof_svg(b, x0, Y(b.planned_top), roof_h, r))
    if rows:
        out.append(_legend_svg(rows, height - legend_h + 2, r))
    out.append("</svg>")
    return "\n".join(out)


def _opening_svg(o: Opening, x0: float, Y: Any, r: Any, wall_top: float) -> str:
    top = min(o.block.y + o.block.h, wall_top)
    block_h = top - o.block.y
    parts = [
        f'<rect class="st" x="{r(x0 + o.block.x)}" y="{r(Y(o.block.y, block_h))}" width="{r(o.block.w)}" height="{r(block_h)}"/>'
    ]
    inner_top = min(o.inner.y + o.inner.h, top)
    if inner_top <= o.inner.y:
        return parts[0]
    ix, iw = x0 + o.inner.x, o.inner.w
    radius = iw / 2
    fill = WOOD if o.kind == "door" else GLASS
    if o.arched and inner_top - o.inner.y > radius:
        spring = Y(inner_top) + radius  # svg y where the arch springs
        bottom = Y(o.inner.y)
        path = f"M{r(ix)} {r(bottom)}V{r(spring)}A{r(radius)} {r(radius)} 0 0 1 {r(ix + iw)} {r(spring)}V{r(bottom)}Z"
        parts.append(f'<path d="{path}" fill="{fill}"/>')
        ring = radius + HALF * 0.55
        cx = ix + radius
        parts.append(
            f'<path d="M{r(cx - ring)} {r(spring)}A{r(ring)} {r(ring)} 0 0 1 {r(cx + ring)} {r(spring)}" '
            f'fill="none" stroke="{STONE_EDGE}" stroke-width="{r(HALF * 0.35)}"/>'
            f'<rect x="{r(cx - 2)}" y="{r(spring - ring - 2)}" width="4" height="5" fill="{STONE_EDGE}"/>'
        )
    else:
        parts.append(
            f'<rect x="{r(ix)}" y="{r(Y(inner_top))}" width="{r(iw)}" height="{r(inner_top - o.inner.y)}" fill="{fill}"/>'
        )
    if o.kind == "window":
        parts.append(
            f'<rect x="{r(ix + 1.5)}" y="{r(Y(inner_top) + (radius if o.arched else 1.5))}" width="{r(max(1.0, iw * 0.18))}" '
            f'height="{r(max(1.0, (inner_top - o.inner.y) * 0.45))}" fill="{GLASS_LIGHT}" opacity="0.7"/>'
            f'<rect x="{r(ix - 2)}" y="{r(Y(o.inner.y) - 0.5)}" width="{r(iw + 4)}" height="2.5" fill="{STONE_EDGE}"/>'
        )
    else:
        parts.append(
            f'<circle cx="{r(ix + iw * 0.78)}" cy="{r(Y(o.inner.y + o.inner.h * 0.4))}" r="1.6" fill="#d9b56a"/>'
        )
    return "".join(parts)


def _scaffold_svg(b: Building, x0: float, Y: Any, r: Any) -> str:
    rising = next((s for s in b.storeys if not s.complete), None)
    if rising is None:
        return ""
    bottom, top = rising.bottom, b.planned_top
    left, right = x0 - 7, x0 + b.width + 7
    parts = [
        f'<g stroke="{SCAFFOLD}" stroke-width="2" stroke-linecap="round" fill="none" class="scaffold">'
        f"<title>Scaffolding: this storey is being built</title>",
        f'<path d="M{r(left)} {r(Y(bottom))}V{r(Y(top) - 3)}M{r(right)} {r(Y(bottom))}V{r(Y(top) - 3)}"/>',
    ]
    level = bottom + 4 * C
    while level < top:
        parts.append(
            f'<path d="M{r(left - 3)} {r(Y(level))}H{r(left + 5)}M{r(right - 5)} {r(Y(level))}H{r(right + 3)}"/>'
        )
        level += 4 * C
    parts.append("</g>")
    return "".join(parts)


def _roof_svg(b: Building, x0: float, top_y: float, roof_h: float, r: Any) -> str:
    left, right = x0 - ROOF_OVERHANG, x0 + b.width + ROOF_OVERHANG
    base = top_y - BAND
    apex = base - roof_h
    mid = (left + right) / 2
    parts = [
        f'<rect class="st" x="{r(left + 2)}" y="{r(base)}" width="{r(right - left - 4)}" height="{r(BAND)}"/>',
        f'<path d="M{r(left)} {r(base)}L{r(mid)} {r(apex)}L{r(right)} {r(base)}Z" fill="{ROOF}"/>',
    ]
    lines = []
    y = base - 7.0
    while y > apex + 4:
        frac = (base - y) / roof_h
        half = (right - left) / 2 * (1 - frac)
        lines.append(f"M{r(mid - half)} {r(y)}H{r(mid + half)}")
        y -= 7.0
    if lines:
        parts.append(f'<path d="{"".join(lines)}" stroke="{ROOF_LINE}" stroke-width="1"/>')
    if roof_h > 40:
        parts.append(
            f'<circle cx="{r(mid)}" cy="{r(base - roof_h * 0.38)}" r="{r(min(roof_h * 0.13, 18))}" fill="{GLASS}" stroke="{STONE}" stroke-width="2.5"/>'
        )
    return "".join(parts)


def _legend_rows(b: Building, kinds: list[str], width: float) -> list[list[tuple[float, str, str]]]:
    """The legend's entries (x, kind, label), wrapped to the drawing's width."""
    rows: list[list[tuple[float, str, str]]] = [[]]
    x = MARGIN
    for kind in kinds:
        label = f"{kind} {b.kinds[kind]:,}"
        size = 30 + 6.2 * len(label)
        if rows[-1] and x + size > width - 8:
            rows.append([])
            x = MARGIN
        rows[-1].append((x, kind, label))
        x += size
    return rows if rows[0] else []


def _legend_svg(rows: list[list[tuple[float, str, str]]], y: float, r: Any) -> str:
    parts = ['<g class="legend" font-family="sans-serif" font-size="11" fill="#333">']
    for row in rows:
        for x, kind, label in row:
            parts.append(
                f'<rect x="{r(x)}" y="{r(y)}" width="16" height="9" rx="1" fill="{color_of(kind)}"/>'
            )
            parts.append(f'<text x="{r(x + 20)}" y="{r(y + 8.5)}">{escape(label)}</text>')
        y += 16
    parts.append("</g>")
    return "".join(parts)


def _caption(b: Building) -> str:
    if b.total == 0:
        return "No steps yet: an empty plot"
    stage = f": {b.stage.name} ({b.stage.he})" if b.stage else ""
    return f"Your building, {_plural(b.total, 'step')}{stage}"


def _rising(b: Building) -> str:
    if b.next_stage is None:
        return "The next storey"
    return f"Rising toward {b.next_stage.name} ({b.next_stage.he}): {_plural(b.bricks_to_next or 0, 'step')} to go"
