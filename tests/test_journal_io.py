"""The journal's durability and its ways in and out: synchronous=FULL for its commits, CSV that a
spreadsheet cannot run as formulas, a backup that a full disk cannot leave half-written, and the
step list a page at a time."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import madrega.cli.journal  # noqa: F401  (registers the commands)
from madrega import api
from madrega.cli.app import app
from madrega.errors import MadregaError
from madrega.practice import journal, transfer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

runner = CliRunner()
T0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)


# ---------------------------------------------------------------- durability


def test_journal_commits_are_synchronous_full(conn: sqlite3.Connection) -> None:
    seen: list[int] = []

    def spy(c: sqlite3.Connection, step: journal.Step) -> None:
        seen.append(int(c.execute("PRAGMA synchronous").fetchone()[0]))

    journal.on_step_recorded(spy)
    try:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # the connection's NORMAL
        journal.add_step(conn, "study", at=T0)
        step = journal.add_step(conn, "study", at=T0)
        journal.correct_step(conn, step.uid, minutes=3)
    finally:
        journal._STEP_HOOKS.remove(spy)
    assert seen == [2, 2, 2]  # FULL while the step's transaction commits
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # and NORMAL again for the library
    with journal.write(conn):
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2


# ---------------------------------------------------------------- CSV


FORMULAS = [
    '=HYPERLINK("http://x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tindented",
    "\rreturn",
    "'quoted",
    "plain",
]


def test_csv_cells_that_start_a_formula_are_escaped_and_come_back(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    for note in FORMULAS:
        journal.add_step(
            conn, "kindness", note=note, ref=note if note == '=HYPERLINK("http://x")' else None, at=T0
        )
    text = transfer.export_csv(conn)
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        for key, cell in row.items():
            if cell and key != "note":
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (key, cell)
        assert row["note"].startswith("'") or row["note"] == "plain"
    assert {r["what"] for r in rows} >= {'\'=HYPERLINK("http://x")'}
    path = tmp_path / "steps.csv"
    path.write_text(text, encoding="utf-8", newline="")
    other = api.connect(tmp_path / "other.sqlite")
    assert transfer.import_file(other, path).added == len(FORMULAS)
    assert sorted(s.note or "" for s in journal.list_steps(other)) == sorted(FORMULAS)


def test_an_old_csv_without_escapes_imports_as_written(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text(
        "uid,kind,at,day,hebrew_date,note\na1,study,2024-05-01T08:00:00Z,2024-05-01,x,'as typed\n"
    )
    transfer.import_file(conn, path)
    assert journal.get_step(conn, "a1").note == "'as typed"


# ---------------------------------------------------------------- backup


def test_backup_on_a_full_disk_leaves_nothing_behind(tmp_path: Path) -> None:
    """`ulimit -f` makes the disk 'full' for the backup's writes; the next backup still works."""
    script = textwrap.dedent(
        f"""
        import json, resource, signal, sys
        from datetime import datetime, timezone
        from pathlib import Path
        from madrega import api
        from madrega.errors import MadregaError
        from madrega.practice import journal, transfer
        conn = api.connect({str(tmp_path / "j.sqlite")!r})
        for i in range(60):
            journal.add_step(conn, "study", note="x" * 4000)
        target = Path({str(tmp_path / "backups" / "b.sqlite")!r})
        target.parent.mkdir()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
        out = {{}}
        try:
            transfer.backup(conn, target)
            out["first"] = "written"
        except MadregaError as exc:
            out["first"] = exc.message
        out["left"] = sorted(p.name for p in target.parent.iterdir())
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        out["second"] = str(transfer.backup(conn, target))
        print(json.dumps(out))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert "could not be written" in out["first"] and "nothing was left behind" in out["first"]
    assert out["left"] == []  # no 0-byte file, no temporary file
    copy = sqlite3.connect(out["second"])
    assert copy.execute("SELECT COUNT(*) FROM steps").fetchone()[0] == 60
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_zero_byte_leftover_does_not_block_the_next_backup(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    journal.add_step(conn, "mitzvah", at=T0)
    target = tmp_path / "b.sqlite"
    target.write_bytes(b"")  # what an older madrega left on a full disk
    assert transfer.backup(conn, target) == target and target.stat().st_size > 0
    with pytest.raises(MadregaError, match="exists"):
        transfer.backup(conn, target)  # a real backup is never overwritten
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_backup_into_an_unwritable_place_is_a_clear_error(conn: sqlite3.Connection, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(MadregaError, match=r"could not be written|cannot write"):
            transfer.backup(conn, locked / "b.sqlite")
    finally:
        locked.chmod(0o700)


# ---------------------------------------------------------------- pages of steps


@pytest.fixture
def hundred_twenty(conn: sqlite3.Connection) -> list[journal.Step]:
    kinds = ["study", "prayer", "kindness"]
    return [journal.add_step(conn, kinds[i % 3], at=T0 + timedelta(hours=i)) for i in range(120)]


def test_pages_count_back_from_the_newest(
    conn: sqlite3.Connection, hundred_twenty: list[journal.Step]
) -> None:
    uids = [s.uid for s in hundred_twenty]
    first = journal.page_steps(conn, limit=50)
    assert [s.uid for s in first.steps] == uids[70:]  # the newest page, in time order
    assert (first.total, first.first, first.last, first.earlier_offset, first.later_offset) == (
        120,
        71,
        120,
        50,
        None,
    )
    second = journal.page_steps(conn, limit=50, offset=first.earlier_offset or 0)
    assert [s.uid for s in second.steps] == uids[20:70] and second.later_offset == 0
    last = journal.page_steps(conn, limit=50, offset=100)
    assert [s.uid for s in last.steps] == uids[:20] and last.earlier_offset is None and last.before is None
    by_cursor = journal.page_steps(conn, limit=50, before=first.before)
    assert [s.uid for s in by_cursor.steps] == [s.uid for s in second.steps] and by_cursor.offset == 50
    prayers = journal.page_steps(conn, kind="prayer", limit=10)
    assert prayers.total == 40 and all(s.kind == "prayer" for s in prayers.steps)
    assert [
        s.uid for s in journal.page_steps(conn, kind="prayer", limit=10, before=prayers.before).steps
    ] == [s.uid for s in hundred_twenty if s.kind == "prayer"][20:30]
    assert journal.page_steps(conn, limit=50, offset=500).steps == []


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (10_001, 0), (50, -1), (50, 2**63)])
def test_impossible_pages_are_clear_mistakes(conn: sqlite3.Connection, limit: int, offset: int) -> None:
    with pytest.raises(MadregaError):
        journal.page_steps(conn, limit=limit, offset=offset)


def test_step_list_pages_in_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cli.sqlite"
    conn = api.connect(path)
    made = [journal.add_step(conn, "study", at=T0 + timedelta(minutes=i)).uid for i in range(75)]
    conn.close()

    def js(*args: str) -> list[dict[str, object]]:
        result = runner.invoke(app, ["step", "list", *args, "--json", "--db", str(path)])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    assert [s["uid"] for s in js()] == made[25:]  # the default page: the newest 50
    assert [s["uid"] for s in js("--limit", "10", "--offset", "70")] == made[:5]
    assert [s["uid"] for s in js("--limit", "5", "--before", made[10][:8])] == made[5:10]
    text = runner.invoke(app, ["step", "list", "--limit", "10", "--db", str(path)])
    assert "steps 66–75 of 75" in text.stderr and "--offset 10" in text.stderr
    huge = runner.invoke(app, ["step", "list", "--offset", str(2**63), "--db", str(path)])
    assert huge.exit_code != 0 and isinstance(huge.exception, MadregaError)


def test_step_list_pages_in_the_api(tmp_path: Path) -> None:
    from madrega.web import create_app

    path = tmp_path / "web.sqlite"
    conn = api.connect(path)
    made = [journal.add_step(conn, "prayer", at=T0 + timedelta(minutes=i)).uid for i in range(30)]
    conn.close()
    with TestClient(create_app(path), base_url="http://127.0.0.1") as client:
        r = client.get("/api/journal", params={"limit": 10})
        assert [s["uid"] for s in r.json()] == made[20:] and r.headers["x-total-count"] == "30"
        link = r.headers["link"]
        assert 'rel="next"' in link and f"before={made[20]}" in link
        older = client.get(link[link.index("<") + 1 : link.index(">")])
        assert [s["uid"] for s in older.json()] == made[10:20]
        assert [
            s["uid"] for s in client.get("/api/journal", params={"limit": 10, "offset": 25}).json()
        ] == made[:5]
        assert client.get("/api/journal", params={"offset": 2**63}).status_code == 422
        assert client.get("/api/journal", params={"limit": 0}).status_code == 422
        assert client.get("/api/journal", params={"since": "soon"}).status_code == 400
        page = client.get("/journal", params={"offset": 10}).text
        assert "Newer steps" in page and "Older steps" not in page and "30 steps" in page
