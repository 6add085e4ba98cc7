"""How the practice companion looks in a terminal: a compact building drawn from the same geometry as
the SVG (sampled into half-block characters, two pixels a character), and the calendar heatmap."""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict

from rich.text import Text

from madrega.practice import building as geo
from madrega.practice import progress
from madrega.practice.words import plural

MAX_COLUMNS = 34
MAX_PIXEL_ROWS = 30  # 15 lines of text


class _Picture:
    """What colour the building has at a point (SVG units, y measured up from the plinth)."""

    def __init__(self, b: geo.Building) -> None:
        self.b = b
        self.rows: dict[float, list[tuple[float, float, str]]] = defaultdict(list)
        for brick in b.bricks:
            self.rows[brick.rect.y].append(
                (brick.rect.x, brick.rect.x + brick.rect.w, geo.color_of(brick.unit.kind))
            )
        for r in [*b.quoins, *b.fillers]:
            self.rows[r.y].append((r.x, r.x + r.w, geo.STONE))
        for row in self.rows.values():
            row.sort()
        self.starts = {y: [s for s, _e, _c in row] for y, row in self.rows.items()}
        self.roof_h = min(0.42 * (b.width + 2 * geo.ROOF_OVERHANG), 220.0)

    def at(self, x: float, y: float) -> str | None:
        b = self.b
        if y < 0:
            return geo.STONE if y >= -geo.PLINTH and -4 <= x <= b.width + 4 else None
        top = b.planned_top
        for o in b.openings:
            inner = o.inner
            if inner.x <= x < inner.x + inner.w and inner.y <= y < min(inner.y + inner.h, b.wall_top):
                return geo.WOOD if o.kind == "door" else geo.GLASS
        for band in b.bands:
            if band.y <= y < band.y + geo.BAND and band.x <= x < band.x + band.w:
                return geo.STONE
        if y < b.wall_top and 0 <= x < b.width:
            course = math.floor(y / geo.C) * geo.C
            y0 = max((k for k in self.rows if k <= y), default=None)
            if y0 is not None and y - y0 < geo.C:
                row = self.rows[y0]
                i = bisect.bisect_right(self.starts[y0], x) - 1
                if i >= 0 and row[i][0] <= x < row[i][1]:
                    return row[i][2]
            return geo.MORTAR_COLOR if course >= 0 else None
        if top - geo.BAND <= y < top + geo.BAND and -geo.ROOF_OVERHANG <= x <= b.width + geo.ROOF_OVERHANG:
            return geo.STONE if y >= top else None
        if top + geo.BAND <= y <= top + geo.BAND + self.roof_h:
            half = (b.width / 2 + geo.ROOF_OVERHANG) * (1 - (y - top - geo.BAND) / self.roof_h)
            if abs(x - b.width / 2) <= half:
                return geo.ROOF
        if y < top and 0 <= x < b.width:
            return "planned"
        return None


def building_text(b: geo.Building) -> Text:
    """The building in a few lines: storeys, windows, the roof, the bricks coloured by kind."""
    text = Text()
    if b.stage:
        text.append(f"{b.stage.name} · {b.stage.he}", style="bold")
    else:
        text.append("An empty plot: the first step lays the first brick", style="bold")
    text.append(f"  ({plural(b.total, 'step')}")
    if b.next_stage and b.bricks_to_next is not None:
        text.append(f"; {plural(b.bricks_to_next, 'step')} to {b.next_stage.name} · {b.next_stage.he}")
    text.append(")\n")
    picture = _Picture(b)
    roof_top = b.planned_top + geo.BAND + picture.roof_h
    left, right = -geo.ROOF_OVERHANG, b.width + geo.ROOF_OVERHANG
    height = roof_top + geo.PLINTH
    columns = max(10, min(MAX_COLUMNS, round(b.width / geo.L * 2) + 2))
    pixel = max((right - left) / columns, height / MAX_PIXEL_ROWS)
    columns = math.ceil((right - left) / pixel)
    rows = math.ceil(height / pixel)
    rows += rows % 2
    grid: list[list[str | None]] = []
    for r in range(rows):
        y_top = roof_top - r * pixel
        line: list[str | None] = []
        for c in range(columns):
            x0 = left + c * pixel
            votes: Counter[str | None] = Counter()
            for dy in (0.2, 0.5, 0.8):
                for dx in (0.2, 0.5, 0.8):
                    votes[picture.at(x0 + dx * pixel, y_top - dy * pixel)] += 1
            line.append(_choose(votes))
        grid.append(line)
    for r in range(0, rows, 2):
        for top, bottom in zip(grid[r], grid[r + 1], strict=True):
            text.append(*_cell(top, bottom))
        text.append("\n")
    text.append("▔" * columns + "\n", style="#8f7b60")
    for kind, count in b.kinds.most_common():
        text.append("▇▇", style=geo.color_of(kind))
        text.append(f" {kind} {count:,}  ")
    if b.kinds:
        text.append("\n")
    if b.per_brick > 1:
        text.append(f"one brick for every {b.per_brick} steps\n", style="dim")
    return text


def _choose(votes: Counter[str | None]) -> str | None:
    """A brick's colour wins over the mortar around it (so a far-off wall still shows its bricks)."""
    colours = [(n, c) for c, n in votes.items() if c not in (None, geo.MORTAR_COLOR, "planned")]
    if colours and sum(n for n, _c in colours) >= 3:
        return max(colours)[1]
    return votes.most_common(1)[0][0]


def _cell(top: str | None, bottom: str | None) -> tuple[str, str]:
    if top == "planned" and bottom == "planned":
        return "┊", "dim"
    top = None if top == "planned" else top
    bottom = None if bottom == "planned" else bottom
    if top and bottom:
        return "▀", f"{top} on {bottom}"
    if top:
        return "▀", top
    if bottom:
        return "▄", bottom
    return " ", ""


def render_heatmap(cells: list[tuple[object, int]] | progress.HeatGrid) -> Text:
    """Weeks as columns, Sunday..Shabbat as rows; darker green for more steps; ◇ a day of rest kept."""
    shades = ["#3a3a3a", "#0e4429", "#006d32", "#26a641", "#39d353"]
    text = Text()
    if isinstance(cells, progress.HeatGrid):
        grid = cells
    else:
        if not cells:
            return text
        grid = _grid_of(cells)
    if not grid.cells:
        return text
    months = {m.week: (m.civil or m.hebrew or "") for m in grid.months}
    header = [" "] * (grid.weeks * 2)
    for week, label in months.items():
        for i, ch in enumerate(label[:3]):
            if week * 2 + i < len(header):
                header[week * 2 + i] = ch
    text.append("    " + "".join(header).rstrip() + "\n", style="dim")
    rows: list[list[progress.HeatCell | None]] = [[None] * grid.weeks for _ in range(7)]
    for cell in grid.cells:
        rows[cell.weekday][cell.week] = cell
    labels = ["Sun", "   ", "Tue", "   ", "Thu", "   ", "Sha"]
    for index, row in enumerate(rows):
        text.append(labels[index] + " ", style="dim")
        for slot in row:
            if slot is None:
                text.append("  ")
            elif slot.count == 0 and (slot.rest or slot.skipped):
                text.append("◇ ", style="#8c8173")
            else:
                text.append("■ ", style=shades[slot.level])
        text.append("\n")
    text.append("    less ", style="dim")
    for shade in shades:
        text.append("■", style=shade)
    text.append(" more   ◇ Shabbat, Yom Tov or a day set aside (the strength waits)\n", style="dim")
    return text


def _grid_of(cells: list[tuple[object, int]]) -> progress.HeatGrid:
    from datetime import date, timedelta

    first = cells[0][0]
    assert isinstance(first, date)
    pad = (first.weekday() + 1) % 7
    start = first - timedelta(days=pad)
    out = []
    for day, count in cells:
        assert isinstance(day, date)
        offset = (day - start).days
        out.append(progress.HeatCell(day, count, None, False, offset // 7, (day.weekday() + 1) % 7))
    weeks = out[-1].week + 1
    return progress.HeatGrid(out, weeks, [])
