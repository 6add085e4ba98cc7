"""Progress never resets: totals, heatmap, strength, stages, the building, the greeting."""

from __future__ import annotations

import itertools
import sqlite3
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

from madrega.cli.practice_view import building_text, render_heatmap
from madrega.practice import cycles, journal, progress

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def add_days(conn: sqlite3.Connection, days: list[int], kind: str = "study") -> None:
    for d in days:
        journal.add_step(conn, kind, minutes=10, at=T0 + timedelta(days=d))


def test_totals_by_kind_and_minutes(conn: sqlite3.Connection) -> None:
    cycles.set_setting(conn, "timezone", "UTC")
    add_days(conn, [0, 1, 1])
    journal.add_step(conn, "hitbodedut", minutes=20, at=T0)
    journal.add_step(conn, "tzedakah", amount=10, at=T0)
    t = progress.totals(conn)
    assert t["total"] == 5 and t["days_active"] == 2 and t["minutes"] == 50
    assert t["by_kind"]["study"] == {"count": 3, "minutes": 30}
    assert t["by_kind"]["tzedakah"] == {"count": 1, "minutes": 0}


def test_heatmap_counts_per_day(conn: sqlite3.Connection) -> None:
    cycles.set_setting(conn, "timezone", "UTC")
    add_days(conn, [0, 2, 2, 2])
    cells = progress.heatmap(conn, days=7, today=date(2024, 5, 4))
    assert cells == [(date(2024, 4, 28) + timedelta(days=i), n) for i, n in enumerate([0, 0, 0, 1, 0, 3, 0])]
    assert progress.heatmap(conn, days=7, today=date(2024, 5, 4), kind="prayer")[3][1] == 0
    text = render_heatmap(cells).plain
    lines = text.splitlines()
    grid_rows = lines[next(i for i, line in enumerate(lines) if line.startswith("Sun")) :][
        :7
    ]  # Sunday to Shabbat
    assert sum(line.count("■") for line in grid_rows) == 7 and grid_rows[0].startswith("Sun")


def test_strength_rises_with_practice_and_falls_gently() -> None:
    m = progress.multiplier(1.0)
    assert abs(m - 0.5 ** (1 / 13)) < 1e-12
    daily = progress.strength_series([True] * 60)
    assert all(a < b for a, b in itertools.pairwise(daily))
    assert 0.94 < daily[-1] < 0.97
    after_gap = progress.strength_series([True] * 60 + [False] * 3)
    assert after_gap[-1] > 0.8 * daily[-1]  # three days away do not undo two months
    assert abs(progress.strength_series([True] * 13)[-1] - 0.5) < 1e-9  # half-way in 13 days


def test_strength_from_the_journal(conn: sqlite3.Connection) -> None:
    cycles.set_setting(conn, "timezone", "UTC")
    assert progress.strength(conn, today=date(2024, 5, 1)) == 0.0
    add_days(conn, list(range(30)))
    s_end = progress.strength(conn, today=date(2024, 5, 30))
    s_later = progress.strength(conn, today=date(2024, 6, 10))
    assert 0.75 < s_end < 0.85 and 0.4 < s_later < s_end
    assert progress.strength(conn, today=date(2024, 5, 30), kind="prayer") == 0.0


def test_stages() -> None:
    assert progress.stage_for(0) == (None, progress.stages()[0])
    reached, nxt = progress.stage_for(18)
    assert reached is not None and reached.name == "Chai" and nxt is not None and nxt.steps > 18
    assert progress.stage_for(613)[0].he == "תרי״ג"  # type: ignore[union-attr]
    thresholds = [s.steps for s in progress.stages()]
    assert thresholds == sorted(set(thresholds)) and thresholds[0] == 1


def test_building_has_a_brick_per_step(conn: sqlite3.Connection) -> None:
    add_days(conn, list(range(23)))
    journal.add_step(conn, "prayer", prayer="mincha", at=T0 + timedelta(days=30))
    b = progress.building(conn)
    assert b.total == 24 and len(b.bricks) == 24 and b.per_brick == 1
    assert b.stage is not None and b.stage.name == "Chai"
    assert b.next_stage is not None and b.bricks_to_next == b.next_stage.steps - 24
    assert b.bricks[-1].unit.kind == "prayer" and "mincha" in b.bricks[-1].unit.label
    uids = [s.uid for s in journal.list_steps(conn)]
    assert [brick.unit.first for brick in b.bricks] == uids  # laid in the order they were taken
    text = building_text(b).plain
    assert "Chai" in text and "study 23" in text and "prayer 1" in text


def test_building_svg_bricks_name_their_steps(conn: sqlite3.Connection) -> None:
    journal.add_step(conn, "study", ref="Psalms 121", at=T0)
    journal.add_step(conn, "tzedakah", amount=5, at=T0 + timedelta(minutes=1))
    svg = progress.building_svg(progress.building(conn))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    rects = [r for r in root.iter(f"{ns}rect") if r.get("data-step")]
    assert len(rects) == 2
    uids = [s.uid for s in journal.list_steps(conn)]
    assert [r.get("data-step") for r in rects] == uids
    titles = [r.find(f"{ns}title").text or "" for r in rects]  # type: ignore[union-attr]
    assert "Psalms 121" in titles[0] and "tzedakah" in titles[1]
    assert (rects[0].get("class") or "").startswith("k-study")


def test_empty_building_svg_is_valid(conn: sqlite3.Connection) -> None:
    root = ET.fromstring(progress.building_svg(progress.building(conn)))
    assert [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("data-step")] == []


def test_greeting_after_a_gap_tells_what_was_built(conn: sqlite3.Connection) -> None:
    cycles.set_setting(conn, "timezone", "UTC")
    assert progress.greeting(conn, T0) is None  # nothing built yet: nothing to greet with
    add_days(conn, list(range(12)))
    last = T0 + timedelta(days=11)
    assert progress.greeting(conn, last + timedelta(days=2)) is None
    hello = progress.greeting(conn, last + timedelta(days=3))
    assert hello is not None
    assert "12 steps" in hello and "A minyan of steps" in hello and "%" in hello
    assert "miss" not in hello.lower() and "streak" not in hello.lower()


def test_summary_has_the_keys_the_cli_promises(conn: sqlite3.Connection) -> None:
    add_days(conn, [0])
    s = progress.summary(conn, T0)
    assert {"total", "by_kind", "strength", "stage", "next_stage", "bricks_to_next"} <= set(s)
    assert s["stage"]["name"] == "First step" and s["by_kind"]["study"]["strength"] > 0
