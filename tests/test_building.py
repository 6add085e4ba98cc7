"""The building's geometry keeps its promises at every size: every step is one brick, laid course by
course in a running bond, never overlapping another brick or an opening; stages complete storeys;
past 10,000 steps a brick stands for several (scale, not noise); the SVG and the terminal drawing
stay within bounds and say what they show."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madrega.cli.practice_view import building_text
from madrega.practice import building as geo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from practice_server import journal_of

KINDS = ["study", "study", "prayer", "tzedakah", "hitbodedut", "kindness", "mitzvah", "niggun"]
SVG = "{http://www.w3.org/2000/svg}"


def units(n: int) -> tuple[list[geo.Unit], int, int]:
    per = max(1, -(-n // geo.MAX_BRICKS))
    count = -(-n // per) if n else 0
    made = [geo.Unit(f"u{i}", f"u{i}", KINDS[(i * 7) % len(KINDS)], per, f"step {i}") for i in range(count)]
    return made, n, per


def check(b: geo.Building, made: list[geo.Unit]) -> None:
    assert [brick.unit for brick in b.bricks] == made  # every brick a step, in the order taken
    by_course: dict[float, list[geo.Rect]] = {}
    for brick in b.bricks:
        r = brick.rect
        assert r.y >= 0 and r.x >= geo.QUOIN - 0.01 and r.x + r.w <= b.width - geo.QUOIN + 0.01
        assert r.w >= geo.L - 0.01  # whole bricks (a closing course may be laid longer, never shorter)
        by_course.setdefault(r.y, []).append(r)
        for o in b.openings:  # no brick in a window or the door, nor in the stone they are set in
            inside_y = r.y < o.block.y + o.block.h and r.y + geo.C > o.block.y
            assert not (inside_y and r.x < o.block.x + o.block.w - 0.01 and r.x + r.w > o.block.x + 0.01)
    for course in by_course.values():
        course.sort(key=lambda r: r.x)
        for a, c in pairwise(course):
            assert a.x + a.w <= c.x + 0.01  # no two bricks overlap
    done = [s for s in b.storeys if s.complete]
    assert all(s.built == s.planned for s in done)
    assert sum(s.built for s in b.storeys) == len(made)
    if b.stage is not None and b.storeys:
        reached = {st.name for s in done for st in s.stages}
        rising = [s for s in b.storeys if not s.complete]
        assert b.stage.name in reached or (rising and b.stage in rising[0].stages)


@pytest.mark.parametrize("n", [0, 1, 2, 9, 10, 11, 17, 18, 40, 99, 100, 150, 613, 1000, 2711, 5000, 10_000])
def test_every_step_is_a_brick(n: int) -> None:
    made, total, per = units(n)
    b = geo.lay(made, total, per)
    check(b, made)
    assert b.per_brick == 1 and len(b.bricks) == n
    if n:
        assert b.ghost is not None  # where the next step goes
    if n >= 100:
        height = b.planned_top + 0.42 * b.width
        assert 0.6 < height / b.width < 2.6, (n, height / b.width)  # a building's proportions
        assert any(o.kind == "window" for o in b.openings) and any(o.kind == "door" for o in b.openings)


@pytest.mark.parametrize("n", [10_001, 25_000, 100_000])
def test_past_ten_thousand_a_brick_stands_for_several_steps(n: int) -> None:
    made, total, per = units(n)
    b = geo.lay(made, total, per)
    check(b, made)
    assert len(b.bricks) <= geo.MAX_BRICKS and b.per_brick == per > 1
    assert "one brick for every" in b.description()


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=3000))
def test_geometry_holds_for_any_count(n: int) -> None:
    made, total, per = units(n)
    check(geo.lay(made, total, per), made)


def test_stages_complete_storeys() -> None:
    made, total, per = units(18)
    b = geo.lay(made, total, per)
    assert [s.name for s in b.storeys if s.complete] == ["A minyan of steps", "Chai"]
    assert b.storeys[0].stages[0].name == "First step"  # the first steps share the first storey
    rising = b.storeys[-1]
    assert not rising.complete and rising.built == 0 and rising.name == "The Name"


def test_the_svg_describes_itself_and_names_every_brick() -> None:
    made, total, per = units(120)
    svg = geo.svg(geo.lay(made, total, per))
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("viewBox")
    assert "120 steps" in (root.findtext(f"{SVG}title") or "")
    desc = root.findtext(f"{SVG}desc") or ""
    assert desc.startswith("A building of 120 steps.") and "storeys complete" in desc and "By kind:" in desc
    bricks = [r for r in root.iter(f"{SVG}rect") if r.get("data-step")]
    assert [r.get("data-step") for r in bricks] == [u.first for u in made]
    assert all((r.findtext(f"{SVG}title") or "").startswith("step ") for r in bricks)
    assert "niggun" in svg and "k-other" in svg  # a kind of one's own is drawn, in the other colour


def test_plurals_in_the_words() -> None:
    one = geo.lay(*units(1))
    assert one.description().startswith("A building of 1 step.") and "1 study step" in one.description()
    assert "9 steps to A minyan of steps" in one.description()
    from madrega.practice.words import plural

    assert [plural(n, "day") for n in (0, 1, 2, 10_000)] == ["0 days", "1 day", "2 days", "10,000 days"]
    assert (
        plural(1, "storey") == "1 storey"
        and plural(3, "entry") == "3 entries"
        and plural(2, "box") == "2 boxes"
    )


def test_the_stylesheet_in_the_pages_matches_the_drawing() -> None:
    from madrega.web.render import STATIC_DIR

    css = (STATIC_DIR / "journal.css").read_text(encoding="utf-8")
    for rule in geo.stylesheet().split("}"):
        if rule:
            assert f"svg.madrega-building {rule}}}" in css, rule


@pytest.mark.parametrize("n", [0, 1, 10, 100, 1000, 10_000, 50_000])
def test_the_terminal_building_is_compact(n: int) -> None:
    b = geo.lay(*units(n))
    text = building_text(b).plain
    lines = text.splitlines()
    assert len(lines) <= 22 and max(len(line) for line in lines[1:-2] or [""]) <= 40
    drawing = "".join(lines[1:-2])
    if n:
        assert "▀" in drawing or "▄" in drawing
    assert (f"{n:,} step" in lines[0]) if n else "empty plot" in lines[0]


def test_past_ten_thousand_a_brick_is_a_day_of_practice(tmp_path: Path) -> None:
    from madrega import api
    from madrega.practice import progress

    path = journal_of(
        tmp_path / "big.sqlite", 12_000, end=datetime(2026, 12, 1, 21, 7, tzinfo=ZoneInfo("Asia/Jerusalem"))
    )
    conn = api.connect(path)
    b = progress.building(conn)
    days = conn.execute("SELECT COUNT(DISTINCT day) FROM steps").fetchone()[0]
    assert len(b.bricks) == days and b.per_brick > 1 and b.total == 12_000
    assert sum(brick.unit.count for brick in b.bricks) == 12_000
    by_kind = dict(conn.execute("SELECT kind, COUNT(*) FROM steps GROUP BY kind").fetchall())
    assert dict(b.kinds) == by_kind  # the legend counts steps, not bricks
    first = conn.execute("SELECT uid FROM steps ORDER BY at, uid LIMIT 1").fetchone()[0]
    assert b.bricks[0].unit.first == first  # a day's brick opens its first step
    assert " steps (" in b.bricks[0].unit.label and b.storeys[-1].name
    assert [s.name for s in b.storeys if s.complete][-1] == "Ten thousand"
