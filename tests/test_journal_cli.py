"""Every journal command through typer's CliRunner, plus the foreground timer in a real process."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import madrega.cli.journal  # noqa: F401  (registers the commands)
from madrega import api
from madrega.cli.app import app
from madrega.errors import MadregaError
from madrega.practice import journal, timers

runner = CliRunner()


@pytest.fixture
def dbfile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MADREGA_OFFLINE", "1")
    path = tmp_path / "cli.sqlite"
    assert run(path, "config", "set", "timezone", "Asia/Jerusalem").exit_code == 0
    return path


def run(path: Path, *args: str) -> Result:
    return runner.invoke(app, [*args, "--db", str(path)])


def js(path: Path, *args: str) -> Any:
    result = run(path, *args, "--json")
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout)


def test_step_add_list_correct_delete(dbfile: Path) -> None:
    study = js(
        dbfile, "step", "add", "study", "Tanya, Iggeret HaTeshuvah 10", "--minutes", "20", "--note", "x"
    )
    assert study["ref"] == "Tanya, Part III; Iggeret HaTeshuvah 10" and study["shared"] is False
    prayer = js(dbfile, "step", "add", "prayer", "--prayer", "shacharit", "--at", "2024-05-01T07:00:00+03:00")
    assert prayer["day"] == "2024-05-01"
    gift = js(dbfile, "step", "add", "tzedakah", "--amount", "18", "--currency", "USD")
    assert (gift["amount"], gift["currency"]) == (18.0, "USD")
    text = run(dbfile, "step", "add", "kindness")
    assert text.exit_code == 0 and "+1" in text.output
    assert len(js(dbfile, "step", "list")) == 4
    assert [s["kind"] for s in js(dbfile, "step", "list", "--kind", "prayer")] == ["prayer"]
    assert len(js(dbfile, "step", "list", "--since", "2024-06-01")) == 3
    fixed = js(dbfile, "step", "correct", study["uid"][:8], "--minutes", "30", "--shared")
    assert fixed["minutes"] == 30 and fixed["shared"] is True
    assert js(dbfile, "step", "delete", gift["uid"]) == {"deleted": gift["uid"]}
    assert len(js(dbfile, "step", "list")) == 3
    assert "study" in js(dbfile, "step", "kinds")
    assert "Iggeret" in run(dbfile, "step", "list").output


def test_a_page_past_the_last_step_says_so_instead_of_inviting_a_first_step(dbfile: Path) -> None:
    assert "Record one" in run(dbfile, "step", "list").output  # an empty journal: the first step
    assert run(dbfile, "step", "add", "kindness").exit_code == 0
    past = run(dbfile, "step", "list", "--offset", "20")
    assert past.exit_code == 0 and "Record one" not in past.output and "smaller --offset" in past.output


def test_user_mistakes_are_madrega_errors(dbfile: Path) -> None:
    for args in (
        ("step", "add", "studdy"),
        ("step", "delete", "nope"),
        ("step", "list", "--since", "yesterday"),
        ("step", "add", "study", "--at", "soon"),
        ("plan", "show", "nope"),
        ("config", "set", "location", "somewhere"),
        ("journal", "export", "--format", "xml"),
    ):
        result = run(dbfile, *args)
        assert result.exit_code != 0 and isinstance(result.exception, MadregaError), args


def test_real_command_prints_an_error_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "MADREGA_DB": str(tmp_path / "e.sqlite"), "MADREGA_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", "from madrega.cli import main; main()", "step", "add", "studdy"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 1 and "unknown kind" in proc.stderr and "Traceback" not in proc.stderr


def test_new_kind(dbfile: Path) -> None:
    assert js(dbfile, "step", "add", "niggun", "--new-kind")["kind"] == "niggun"
    assert js(dbfile, "step", "add", "niggun")["kind"] == "niggun"


def test_today(dbfile: Path) -> None:
    js(dbfile, "step", "add", "study", "Psalms 1")
    today = js(dbfile, "today")
    assert {"hebrew_date", "chumash", "tehillim", "daf_yomi", "tanya", "plans", "done"} <= set(today)
    assert today["daf_yomi"]["ref"] and today["tehillim"].startswith("Psalms")
    assert len(today["done"]) == 1 and today["tanya"] and today["tanya_note"] is None
    assert {c["name"] for c in today["cycles"]} == {
        "Chumash with Rashi",
        "Tehillim (monthly)",
        "Tanya",
        "Daf Yomi",
    }
    assert all({"name", "ref", "done"} <= set(c) for c in today["cycles"])
    out = run(dbfile, "today").output
    assert "Daf Yomi" in out and "madrega read" in out and "Psalms 1" in out


def test_progress(dbfile: Path, tmp_path: Path) -> None:
    for _ in range(10):
        js(dbfile, "step", "add", "study", "--minutes", "5")
    js(dbfile, "step", "add", "prayer")
    svg = tmp_path / "b.svg"
    data = js(dbfile, "progress", "--svg", str(svg), "--days", "14")
    assert data["total"] == 11 and data["by_kind"]["study"]["count"] == 10
    assert data["by_kind"]["study"]["minutes"] == 50 and 0 < data["strength"] < 1
    assert data["stage"]["steps"] == 10 and len(data["heatmap"]) == 14 and data["heatmap"][-1]["count"] == 11
    assert svg.read_text(encoding="utf-8").count("data-step=") == 11
    text = run(dbfile, "progress").output
    assert "11" in text and "strength" in text


def test_hitbodedut_background_start_status_stop(dbfile: Path) -> None:
    timer = js(dbfile, "hitbodedut", "start")
    status = js(dbfile, "hitbodedut", "status")
    assert [t["uid"] for t in status["running"]] == [timer["uid"]]
    assert run(dbfile, "hitbodedut", "start").exit_code == 1  # one at a time
    conn = api.connect(dbfile)  # pretend it began ten minutes ago
    conn.execute(
        "UPDATE journal_events SET data=json_set(data, '$.started', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 minutes'))"
        " WHERE type='timer.started'"
    )
    conn.close()
    step = js(dbfile, "hitbodedut", "stop", "--note", "by the river")
    assert step["kind"] == "hitbodedut" and 9.9 < step["minutes"] < 10.5 and step["note"] == "by the river"
    assert js(dbfile, "hitbodedut", "status")["running"] == []
    assert "No session" in run(dbfile, "hitbodedut", "status").output


def test_hitbodedut_foreground_runs_out_its_minutes(dbfile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADREGA_HEARTBEAT_SECONDS", "0.3")
    step = js(dbfile, "hitbodedut", "start", "--minutes", "0.02")
    assert step["minutes"] == 0.02
    conn = sqlite3.connect(dbfile)
    beats = conn.execute("SELECT COUNT(*) FROM journal_events WHERE type='timer.heartbeat'").fetchone()[0]
    assert beats >= 2


def _set_clock(clock: Path, moment: datetime) -> None:
    """What the process reads as now (MADREGA_CLOCK_FILE), replaced whole: never read half-written."""
    part = clock.with_suffix(".part")
    part.write_text(moment.isoformat(), encoding="utf-8")
    os.replace(part, clock)


def _read_until(fd: int, text: str) -> str:
    """The process's output up to `text`. Reading blocks until it writes (the limit only fails a
    process that never does); its end of output fails at once."""
    said = b""
    while text.encode() not in said:
        ready, _, _ = select.select([fd], [], [], 120)
        assert ready, f"the process never said {text!r}: {said.decode(errors='replace')!r}"
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # a terminal whose process is gone
            chunk = b""
        assert chunk, f"the process ended before saying {text!r}: {said.decode(errors='replace')!r}"
        said += chunk
    return said.decode(errors="replace")


def _hitbodedut(path: Path, clock: Path, stdout: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MADREGA_OFFLINE": "1", "MADREGA_CLOCK_FILE": str(clock), "COLUMNS": "200"}
    # Ctrl-C ignored when the process starts, as a background job (`&`, nohup) inherits it: the session
    # must end recorded on every signal all the same (it once hung here, under a backgrounded CI loop).
    return subprocess.Popen(
        [sys.executable, "-c", "from madrega.cli import main; main()", "hitbodedut", "start", "--minutes", "30",
         "--db", str(path)],
        stdout=stdout, stderr=subprocess.DEVNULL, env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )  # fmt: skip


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_hitbodedut_foreground_ended_by_a_signal_is_recorded(tmp_path: Path, sig: signal.Signals) -> None:
    path, clock = tmp_path / "t.sqlite", tmp_path / "clock"
    began = journal.utcnow()
    _set_clock(clock, began)
    proc = _hitbodedut(path, clock, subprocess.PIPE)
    assert proc.stdout is not None
    _read_until(proc.stdout.fileno(), "Ctrl-C")  # said once a signal ends the session recorded
    _set_clock(clock, began + timedelta(seconds=30))  # half a minute of the session has passed
    proc.send_signal(sig)
    proc.communicate(timeout=30)
    conn = api.connect(path)
    rows = conn.execute(
        "SELECT json_extract(data, '$.minutes') FROM steps WHERE kind='hitbodedut'"
    ).fetchall()
    assert len(rows) == 1 and 0 < rows[0][0] < 1
    reason = conn.execute(
        "SELECT json_extract(data, '$.reason') FROM journal_events WHERE type='timer.stopped'"
    )
    assert reason.fetchone()[0] == "interrupted"


def test_hitbodedut_killed_outright_is_recovered_from_heartbeats(tmp_path: Path) -> None:
    path, clock = tmp_path / "k.sqlite", tmp_path / "clock"
    began = journal.utcnow()
    _set_clock(clock, began)
    # A terminal, so the session shows its countdown: shown, the heartbeat of that moment is stored.
    screen, terminal = pty.openpty()
    proc = _hitbodedut(path, clock, terminal)
    os.close(terminal)
    try:
        _read_until(screen, "Ctrl-C")
        _set_clock(clock, began + timedelta(seconds=20))  # past a heartbeat's interval (15 s)
        _read_until(screen, "29:40")
        proc.kill()
        proc.wait(timeout=30)
    finally:
        os.close(screen)
    conn = api.connect(path)
    recovered = timers.recover_timers(conn, now=journal.utcnow() + timedelta(minutes=5))
    assert len(recovered) == 1 and 0 < (recovered[0].minutes or 0) < 1


def test_plan_commands(dbfile: Path) -> None:
    plan = js(dbfile, "plan", "add", "Likutei Moharan Part II", "--days", "60")
    assert len(plan["portions"]) == 60 and plan["next"]["ref"] == "Likutei Moharan, Part II 1-3"
    chapters = js(dbfile, "plan", "add", "Iggeret HaTeshuvah", "--by", "chapter", "--start", "2025-01-01")
    js(dbfile, "step", "add", "study", "Tanya, Iggeret HaTeshuvah 1")
    shown = js(dbfile, "plan", "show", chapters["id"])
    assert shown["done"] == [0] and shown["next"]["index"] == 2
    assert js(dbfile, "plan", "done", chapters["id"], "2")["done"] == [0, 1]
    assert len(js(dbfile, "plan", "list")) == 2
    assert "✓" in run(dbfile, "plan", "show", chapters["id"]).output
    assert js(dbfile, "plan", "remove", plan["id"]) == {"removed": plan["uid"]}
    assert len(js(dbfile, "plan", "list")) == 1
    assert run(dbfile, "plan", "add", "Iggeret HaTeshuvah").exit_code == 1


def test_journal_export_import_backup_rebuild(dbfile: Path, tmp_path: Path) -> None:
    js(dbfile, "step", "add", "study", "Psalms 2")
    js(dbfile, "step", "add", "mitzvah", "--note", "mezuzah check")
    events = tmp_path / "e.jsonl"
    steps = tmp_path / "s.csv"
    assert js(dbfile, "journal", "export", str(events))["records"] == 2
    assert js(dbfile, "journal", "export", "--format", "csv", str(steps))["records"] == 2
    stdout = run(dbfile, "journal", "export")
    assert stdout.exit_code == 0 and len(stdout.stdout.splitlines()) == 2
    other = tmp_path / "other.sqlite"
    assert js(other, "journal", "import", str(events)) == {"added": 2, "skipped": 0}
    assert js(other, "journal", "import", str(events)) == {"added": 0, "skipped": 2}
    third = tmp_path / "third.sqlite"
    assert js(third, "journal", "import", str(steps))["added"] == 2
    assert js(third, "journal", "import", str(steps))["added"] == 0
    assert {s["uid"] for s in js(third, "step", "list")} == {s["uid"] for s in js(dbfile, "step", "list")}
    backup = js(dbfile, "journal", "backup", str(tmp_path / "bk.sqlite"))
    assert sqlite3.connect(backup["path"]).execute("SELECT COUNT(*) FROM steps").fetchone()[0] == 2
    assert js(dbfile, "journal", "rebuild") == {"steps": 2, "skipped": []}


def test_config(dbfile: Path) -> None:
    assert run(dbfile, "config", "set", "location", "31.778,35.235").exit_code == 0
    assert run(dbfile, "config", "set", "israel", "true").exit_code == 0
    values = js(dbfile, "config", "list")
    assert values["location"] == "31.778,35.235" and values["israel"] == "true"
    assert run(dbfile, "config", "unset", "location").exit_code == 0
    assert js(dbfile, "config", "list")["location"] is None
    assert "timezone" in run(dbfile, "config", "list").output
