"""How the practice companion looks in a terminal: a compact building drawn from the same geometry as
the SVG (sampled into half-block characters, two pixels a character), and the calendar heatmap."""

from __future__ import annotations

import math

from rich.text import Text

from madrega.practice import building as geo
from madrega.practice import progress
from madrega.practice.words import plural

MAX_WALL_PIXELS = 22  # 11 lines of text for the walls (two pixels a character, ▀ and ▄)


def _pixels(b: geo.Building) -> list[list[str | None]]:
    """A schematic picture, top row first: the roof, then each storey (its bricks in the order they
    were laid, a pixel for each run of them, coloured by the kind that fills most of it), the
    windows and the door, the stone bands between storeys, the quoins at the corners."""
    width = max(8, min(26, round(b.width / geo.L * 0.45) + 6))
    inner = width - 2
    storeys = b.storeys or []
    courses = [max(1.0, (s.top - s.bottom) / geo.C) for s in storeys]
    if storeys and not storeys[-1].complete:  # the rising storey: only a glimpse of what is to come
        done = storeys[-1].built / max(1, storeys[-1].planned)
        courses[-1] = max(1.0, courses[-1] * max(done, min(1.0, 4 / courses[-1])))
    bands = sum(1 for st in storeys if st.complete)
    scale = min(1.0, max(10, MAX_WALL_PIXELS - bands) / max(1.0, sum(courses)))
    heights = [max(1, round(c * scale)) for c in courses]
    bricks_by_storey: list[list[geo.Brick]] = []
    i = 0
    for storey in storeys:
        bricks_by_storey.append(b.bricks[i : i + storey.built])
        i += storey.built
    rows: list[list[str | None]] = []  # bottom first while building
    for index, (storey, height, bricks) in enumerate(zip(storeys, heights, bricks_by_storey, strict=True)):
        windows = bool([o for o in storey.openings if o.kind == "window"]) and height >= 3
        door = index == 0 and any(o.kind == "door" for o in b.openings) and height >= 2
        holes: set[tuple[int, int]] = set()
        if windows:
            for r in range(1, height - 1):
                for c in range(2, inner - 1, 4):
                    holes.add((r, c))
        if door:
            centre = inner // 2 - 1
            holes |= {(r, c) for r in range(min(2, height)) for c in (centre, centre + 1)}
        cells = [(r, c) for r in range(height) for c in range(inner) if (r, c) not in holes]
        planned = storey.planned or 1
        filled = round(len(cells) * min(1.0, storey.built / planned)) if storey.built else 0
        per = max(1, math.ceil(len(bricks) / filled)) if filled else 1
        colours: dict[tuple[int, int], str | None] = {}
        for k, cell in enumerate(cells):
            if k < filled:  # the brick in the middle of the run: kinds keep their share of the wall
                chunk = bricks[k * per : (k + 1) * per] or bricks[-1:]
                colours[cell] = geo.color_of(chunk[len(chunk) // 2].unit.kind) if chunk else geo.MORTAR_COLOR
            else:
                colours[cell] = "planned"
        for r in range(height):
            row: list[str | None] = [geo.STONE if filled or r == 0 else "planned"]
            for c in range(inner):
                if (r, c) in holes:
                    row.append(geo.WOOD if door and r < 2 and abs(c - (inner // 2 - 0.5)) < 1 else geo.GLASS)
                else:
                    row.append(colours[(r, c)])
            row.append(row[0])
            rows.append(row)
        if storey.complete and height >= 3:
            rows.append([geo.STONE] * width)
    rows.reverse()
    roof: list[list[str | None]] = []
    peak = max(2, width // 3)
    for r in range(peak):
        half = round((width / 2) * (r + 1) / peak)
        roof.append([geo.ROOF if abs(c + 0.5 - width / 2) <= half else None for c in range(width)])
    out = roof + rows
    if len(out) % 2:
        out.insert(0, [None] * width)
    return out


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
    grid = _pixels(b)
    for r in range(0, len(grid), 2):
        for top, bottom in zip(grid[r], grid[r + 1], strict=True):
            text.append(*_cell(top, bottom))
        text.append("\n")
    text.append("▔" * len(grid[0]) + "\n", style="#8f7b60")
    for kind, count in b.kinds.most_common():
        text.append("▇▇", style=geo.color_of(kind))
        text.append(f" {kind} {count:,}  ")
    if b.kinds:
        text.append("\n")
    if b.per_brick > 1:
        text.append(f"one brick for every {b.per_brick} steps\n", style="dim")
    return text


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
    for attr, style in (("civil", "dim"), ("hebrew", "dim italic")):
        marks = [(m.week, str(getattr(m, attr))) for m in grid.months if getattr(m, attr)]
        header = [" "] * (grid.weeks * 2 + 10)
        for i, (week, label) in enumerate(marks):
            room = (marks[i + 1][0] - week) * 2 - 1 if i + 1 < len(marks) else len(label)
            for j, ch in enumerate(label[: max(1, room)]):
                if week * 2 + j < len(header):
                    header[week * 2 + j] = ch
        if marks:
            text.append("    " + "".join(header).rstrip() + "\n", style=style)
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

    from madrega.practice import calendar

    first = cells[0][0]
    assert isinstance(first, date)
    start = first - timedelta(days=(first.weekday() + 1) % 7)
    out, months = [], []
    for day, count in cells:
        assert isinstance(day, date)
        week = (day - start).days // 7
        out.append(progress.HeatCell(day, count, None, False, week, (day.weekday() + 1) % 7))
        civil = calendar.MONTHS_SHORT[day.month - 1] if day.day == 1 or day == first else None
        hebrew = calendar.hebrew_month_en(day) if calendar.hebrew_date(day).day == 1 or day == first else None
        if civil or hebrew:
            months.append(progress.MonthMark(week, civil, hebrew))
    return progress.HeatGrid(out, out[-1].week + 1, months)
