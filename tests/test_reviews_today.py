"""Review passes of plan portions, the catch-up list of cycles, the cycles a user keeps, and marking a
portion done the same way from every face (Python API, `madrega`, the web API and page)."""

from __future__ import annotations

import json
import re
import sqlite3
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import madrega.cli.journal  # noqa: F401  (registers the commands)
from madrega import db
from madrega.cli.app import app
from madrega.errors import MadregaError, NotFound
from madrega.practice import cycles, journal, plans, today

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from madrega.web import create_app

NOON = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)  # 1 Tevet 5785, a Wednesday


def at(days: int) -> datetime:
    return NOON + timedelta(days=days)


@pytest.fixture
def jconn(conn: sqlite3.Connection) -> sqlite3.Connection:
    cycles.set_setting(conn, "timezone", "UTC")
    return conn


# ---------------------------------------------------------------- review passes


def test_a_portion_is_read_then_reviewed_after_a_day_a_week_a_month(jconn: sqlite3.Connection) -> None:
    plan = plans.add_plan(jconn, "Iggeret HaTeshuvah", by="chapter", now=at(0))
    assert plan.reviews == (1, 7, 30)
    first = plans.mark_portion(jconn, plan.uid, 1, now=at(0))
    assert first.number == 0 and first.step is not None and first.step.ref == plan.portions[0]
    assert plans.mark_portion(jconn, plan.uid, 1, now=at(0)).number is None  # nothing due the same day
    assert today.today(jconn, at(0)).reviews_due == []
    due = today.today(jconn, at(1)).reviews_due
    assert [(r["portion"], r["pass"], r["after_days"], r["overdue_days"]) for r in due] == [(1, 1, 1, 0)]
    # a study step that covers the portion marks the review it belongs to
    journal.add_step(jconn, "study", ref="Tanya, Iggeret HaTeshuvah 1-2", at=at(1))
    p = plans.get_plan(jconn, plan.uid)
    assert sorted(p.passes[0]) == [0, 1] and sorted(p.passes[1]) == [0]  # chapter 2: its first reading
    due = [(r["portion"], r["pass"], r["overdue_days"]) for r in today.today(jconn, at(6)).reviews_due]
    assert due == [(2, 1, 4)]  # chapter 2, read on day 1, was due for review on day 2
    week = today.today(jconn, at(9)).reviews_due  # overdue reviews stay listed, the earliest pass each
    assert [(r["portion"], r["pass"], r["overdue_days"]) for r in week] == [(1, 2, 2), (2, 1, 7)]
    assert plans.mark_portion(jconn, plan.uid, 1, now=at(9)).number == 2
    assert [(r["portion"], r["pass"]) for r in today.today(jconn, at(29)).reviews_due] == [(2, 1)]
    assert [(r["portion"], r["pass"]) for r in today.today(jconn, at(30)).reviews_due] == [(1, 3), (2, 1)]


def test_deleting_the_step_of_a_review_opens_it_again(jconn: sqlite3.Connection) -> None:
    plan = plans.add_plan(jconn, "Psalms 1-3", by="chapter", reviews=(2,), now=at(0))
    plans.mark_portion(jconn, plan.uid, 3, now=at(0))
    review = plans.mark_portion(jconn, plan.uid, 3, now=at(2))
    assert review.number == 1 and today.today(jconn, at(2)).reviews_due == []
    assert review.step is not None
    journal.delete_step(jconn, review.step.uid)
    assert [r["portion"] for r in today.today(jconn, at(2)).reviews_due] == [3]


def test_review_days_are_a_setting_and_per_plan(jconn: sqlite3.Connection) -> None:
    assert plans.set_default_reviews(jconn, "2, 14") == (2, 14)
    assert plans.add_plan(jconn, "Psalms 1-3", by="chapter", now=at(0)).reviews == (2, 14)
    assert plans.add_plan(jconn, "Psalms 4-6", by="chapter", reviews=(), now=at(0)).reviews == ()
    for bad in ("7,1", "0", "a week", "1,1"):
        with pytest.raises(MadregaError):
            plans.parse_reviews(bad)
    assert plans.parse_reviews("none") == ()


# ---------------------------------------------------------------- cycles kept, done, caught up


def test_default_cycles_are_chitas_and_daf_yomi(jconn: sqlite3.Connection) -> None:
    assert cycles.kept(jconn) == ("chumash", "tehillim", "tanya", "daf_yomi")
    names = [e.portion.name for e in today.today(jconn, at(0)).cycles]
    assert names == ["Chumash with Rashi", "Tehillim (monthly)", "Tanya", "Daf Yomi"]


def test_keeping_cycles(jconn: sqlite3.Connection) -> None:
    assert cycles.keep(jconn, "rambam3, chitas , 929", since=date(2025, 1, 1)) == (
        "chumash",
        "tehillim",
        "tanya",
        "929",
        "rambam3",
    )
    assert cycles.kept(jconn)[-1] == "rambam3"
    with pytest.raises(NotFound) as err:
        cycles.keep(jconn, "daf_yomy")
    assert "daf_yomi" in err.value.suggestions
    with pytest.raises(MadregaError):
        cycles.keep(jconn, " , ")


def test_a_study_step_marks_the_cycle_done_and_a_missed_day_waits_on_the_catch_up_list(
    jconn: sqlite3.Connection,
) -> None:
    cycles.keep(jconn, "daf_yomi, tehillim", since=date(2025, 1, 1))
    t = today.today(jconn, at(2))
    assert [e.done for e in t.cycles] == [False, False]
    assert [(e.day.isoformat(), e.portion.cycle) for e in t.catch_up] == [
        ("2025-01-01", "tehillim"), ("2025-01-01", "daf_yomi"), ("2025-01-02", "tehillim"), ("2025-01-02", "daf_yomi"),
    ]  # fmt: skip
    daf = cycles.portion("daf_yomi", date(2025, 1, 2))
    assert daf is not None
    journal.add_step(jconn, "study", ref=daf.ref, at=at(2))  # caught up on the 2nd's daf on the 3rd
    recorded = today.mark_cycle_done(jconn, "tehillim", date(2025, 1, 1), now=at(2))
    assert [s.ref for s in recorded] == [cycles.tehillim_of_day(date(2025, 1, 1))]
    t = today.today(jconn, at(2))
    assert [(e.day.isoformat(), e.portion.cycle) for e in t.catch_up] == [
        ("2025-01-01", "daf_yomi"),
        ("2025-01-02", "tehillim"),
    ]
    today.mark_cycle_done(jconn, "daf_yomi", now=at(2))
    assert [e.done for e in today.today(jconn, at(2)).cycles] == [False, True]
    assert today.mark_cycle_done(jconn, "daf_yomi", now=at(2)) == []  # already done: nothing new
    with pytest.raises(MadregaError):
        today.mark_cycle_done(jconn, "daf_yomi", date(2025, 2, 1), now=at(2))


def test_catch_up_reaches_back_a_month_at_most(jconn: sqlite3.Connection) -> None:
    cycles.keep(jconn, "daf_yomi", since=date(2024, 1, 1))
    assert len(today.today(jconn, at(0)).catch_up) == today.CATCH_UP_DAYS


def test_a_cycle_of_a_work_the_catalog_does_not_know_is_done_by_its_text(jconn: sqlite3.Connection) -> None:
    cycles.keep(jconn, "hayom_yom", since=date(2025, 1, 1))
    today.mark_cycle_done(jconn, "hayom_yom", now=at(0))
    assert [e.done for e in today.today(jconn, at(0)).cycles] == [True]


# ---------------------------------------------------------------- one result from every face


def _normal(plan: dict[str, Any]) -> dict[str, Any]:
    """A plan as the faces return it, without what differs between databases (ids, times)."""
    out = {k: v for k, v in plan.items() if k not in ("id", "uid", "marked", "passes")}
    out["passes"] = {k: [p["pass"] for p in v] for k, v in plan["passes"].items()}
    if "marked" in plan:
        out["marked"] = {
            "portion": plan["marked"]["portion"],
            "pass": plan["marked"]["pass"],
            "step_ref": (plan["marked"]["step"] or {}).get("ref"),
        }
    return out


def _steps(conn: sqlite3.Connection) -> list[tuple[str, str | None, str | None]]:
    return sorted((s.day, s.kind, s.ref or "", s.note or "") for s in journal.list_steps(conn))


def test_marking_a_portion_gives_the_same_result_from_every_face(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = tmp_path / "clock"
    clock.write_text(at(0).isoformat())
    monkeypatch.setenv("MADREGA_CLOCK_FILE", str(clock))
    monkeypatch.setenv("MADREGA_OFFLINE", "1")
    paths = {face: tmp_path / f"{face}.sqlite" for face in ("python", "cli", "api", "page")}
    ids = {}
    for face, path in paths.items():
        c = db.connect(path)
        cycles.set_setting(c, "timezone", "UTC")
        ids[face] = plans.add_plan(c, "Iggeret HaTeshuvah", by="chapter", now=at(0)).short_id
        c.close()
    results: dict[str, list[dict[str, Any]]] = {face: [] for face in paths}
    runner = CliRunner()
    with (
        TestClient(create_app(paths["api"]), base_url="http://127.0.0.1") as api,
        TestClient(create_app(paths["page"]), base_url="http://127.0.0.1") as page,
    ):
        for day, portion in ((0, 1), (0, 1), (1, 1), (1, 2)):
            clock.write_text(at(day).isoformat())
            c = db.connect(paths["python"])
            results["python"].append(
                plans.mark_portion(c, ids["python"], portion).to_dict(cycles.hebrew_day(c))
            )
            c.close()
            out = runner.invoke(
                app, ["plan", "done", ids["cli"], str(portion), "--json", "--db", str(paths["cli"])]
            )
            assert out.exit_code == 0, out.output
            results["cli"].append(json.loads(out.stdout))
            response = api.post(f"/api/plans/{ids['api']}/portions/{portion}/done")
            assert response.status_code == 200, response.text
            results["api"].append(response.json())
            response = page.post(
                f"/plans/{ids['page']}/portions/{portion}/done",
                data={"back": "today"},
                follow_redirects=False,
            )
            assert response.status_code == 303 and response.headers["location"].startswith("/today#plan-")
            results["page"].append(page.get("/api/plans").json()[0])
    python = [_normal(r) for r in results["python"]]
    assert [r["marked"]["pass"] for r in python] == [0, None, 1, 0]
    assert [_normal(r) for r in results["cli"]] == python
    assert [_normal(r) for r in results["api"]] == python
    assert [{k: v for k, v in _normal(r).items()} for r in results["page"]] == [
        {k: v for k, v in r.items() if k != "marked"} for r in python
    ]
    conns = {face: db.connect(path) for face, path in paths.items()}
    steps = {face: _steps(c) for face, c in conns.items()}
    assert steps["python"] == steps["cli"] == steps["api"] == steps["page"]
    assert [s[2] for s in steps["python"]] == ["Tanya, Part III; Iggeret HaTeshuvah 1"] * 2 + [
        "Tanya, Part III; Iggeret HaTeshuvah 2"
    ]
    for c in conns.values():
        c.close()


def test_cycle_done_and_keep_from_the_faces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = tmp_path / "clock"
    clock.write_text(at(0).isoformat())
    monkeypatch.setenv("MADREGA_CLOCK_FILE", str(clock))
    path = tmp_path / "faces.sqlite"
    runner = CliRunner()
    out = runner.invoke(app, ["cycles", "keep", "daf_yomi,rambam", "--json", "--db", str(path)])
    assert json.loads(out.stdout) == {"kept": ["daf_yomi", "rambam"]}
    out = runner.invoke(app, ["cycles", "done", "rambam", "--json", "--db", str(path)])
    cli_refs = [s["ref"] for s in json.loads(out.stdout)["recorded"]]
    with TestClient(create_app(path), base_url="http://127.0.0.1") as client:
        assert client.get("/api/cycles").json()["kept"] == ["daf_yomi", "rambam"]
        api_refs = [s["ref"] for s in client.post("/api/cycles/daf_yomi/done").json()["recorded"]]
        t = client.get("/api/today").json()
        assert [(c["name"], c["done"]) for c in t["cycles"]] == [
            ("Daf Yomi", True),
            ("Rambam (1 chapter)", True),
        ]
        assert t["cycles"][0]["ref"] == api_refs[0] and t["cycles"][1]["ref"] == cli_refs[0]
        assert client.post("/api/cycles/nothing/done").status_code == 404
        page = client.post("/today/cycles", data={"keep": ["tanya", "hayom_yom"]}, follow_redirects=False)
        assert page.status_code == 303
        html = client.get("/today").text
        assert re.search(r'id="cycle-tanya"', html) and 'id="cycle-daf_yomi"' not in html
    cli_today = json.loads(runner.invoke(app, ["today", "--json", "--db", str(path)]).stdout)
    assert [c["name"] for c in cli_today["cycles"]] == ["Tanya", "Hayom Yom"]
