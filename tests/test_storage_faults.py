"""The database file in trouble — a folder, a missing folder, garbage, cut short, a full disk, a
read-only file system, deleted under a running server: one clear message, nothing lost, nothing
half-written. The full disk and the read-only file system are real: a small tmpfs mounted here
(we are root in the test machine; elsewhere those two are skipped, saying why)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import madrega.cli as cli
from madrega import db
from madrega.cli.app import app

cli._load()
runner = CliRunner()


def madrega(*args: str) -> subprocess.CompletedProcess[str]:
    """The real `madrega` command in its own process (so its error handling is the user's)."""
    return subprocess.run(
        [sys.executable, "-c", "from madrega.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    shown = f"exit {done.returncode}\nstdout: {done.stdout}\nstderr: {done.stderr}"
    assert done.returncode == 1, shown
    assert "Traceback" not in done.stderr + done.stdout, shown
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, shown
    flat = " ".join(done.stderr.split())
    for needle in needles:
        assert needle in flat, shown


def test_a_folder_given_as_the_database(tmp_path: Path) -> None:
    one_error(madrega("step", "list", "--db", str(tmp_path)), "is a folder, not a database file")


def test_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "x.db"
    one_error(madrega("step", "add", "study", "--db", str(target)), "does not exist")
    assert not (tmp_path / "no").exists()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    garbage = tmp_path / "notes.sqlite"
    garbage.write_bytes(b"these are my notes, not a database\n" * 100)
    one_error(madrega("step", "list", "--db", str(garbage)), "is not a madrega database")
    assert garbage.read_bytes().startswith(b"these are my notes")  # untouched


def test_a_database_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "madrega.sqlite"
    assert madrega("step", "add", "study", "Job 8:7", "--db", str(path)).returncode == 0
    conn = db.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    for wal in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        wal.unlink(missing_ok=True)
    one_error(madrega("step", "list", "--db", str(path)), "is damaged", "backup")


def test_a_database_being_written_by_another_process_is_not_called_cut_short(tmp_path: Path) -> None:
    """A checkpoint in another process writes page 1 (the new page count) before the pages that grow
    the file: while a WAL is beside it, a file shorter than its header says is being written, not
    damaged (`make demo` once refused its own library this way while the search index merged)."""
    path = tmp_path / "madrega.sqlite"
    assert madrega("step", "add", "study", "Job 8:7", "--db", str(path)).returncode == 0
    conn = db.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    copy = tmp_path / "copy.sqlite"  # a file this process never opened
    copy.write_bytes(data[: len(data) // 3])
    wal = copy.with_name(copy.name + "-wal")
    wal.write_bytes(b"")
    db._check_file(copy)  # a live writer: SQLite judges the file itself
    wal.unlink()
    with pytest.raises(db.StorageError, match="is damaged"):
        db._check_file(copy)  # at rest: cut short


def test_the_database_deleted_under_a_running_server_acknowledges_nothing(tmp_path: Path) -> None:
    from madrega.web import create_app

    path = tmp_path / "madrega.sqlite"
    with TestClient(create_app(path), base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        assert client.post("/api/journal", data={"kind": "study", "note": "first"}).status_code == 201
        for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            name.unlink(missing_ok=True)
        r = client.post("/api/journal", data={"kind": "study", "note": "second"})
        assert r.status_code == 503, r.text
        assert "was removed or replaced" in r.json()["error"]
        page = client.post("/journal", data={"kind": "study"}, follow_redirects=False)
        assert page.status_code == 503 and "Traceback" not in page.text


def test_the_community_file_deleted_under_a_running_server_acknowledges_nothing(tmp_path: Path) -> None:
    from madrega.community import accounts
    from madrega.community.app import create_community_app

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from community.helpers import Person

    path = tmp_path / "community.sqlite"
    app = create_community_app(f"sqlite://{path}", secure_cookies=False, hasher=accounts.fast_hasher())
    sara = Person(app, "sara").signup()
    assert sara.post("/api/community/steps", {"kind": "study"}).status_code == 201
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        name.unlink(missing_ok=True)
    r = sara.post("/api/community/steps", {"kind": "study"})
    assert r.status_code == 503 and "removed or replaced" in r.json()["error"]
    app.state.community.backend.close()


# ---------------------------------------------------------------- a real small disk


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs of our own, unmounted afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root (the test machine and CI run as root)")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Fill the disk until only about `leave` bytes are free."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as f:
        f.write(b"\0" * max(0, free - leave))
    return filler


def test_a_full_disk_is_a_clear_message_and_nothing_half_written(small_disk: Path, tmp_path: Path) -> None:
    path = small_disk / "madrega.sqlite"
    assert madrega("step", "add", "study", "Job 8:7", "--db", str(path)).returncode == 0
    article = tmp_path / "long.txt"
    article.write_text(
        "A long essay\n\n" + "\n\n".join(f"Paragraph {i}: " + "words of Torah " * 60 for i in range(400)),
        encoding="utf-8",
    )
    filler = _fill(small_disk, leave=64 * 1024)
    done = madrega("library", "import", str(article), "--kind", "article", "--db", str(path))
    one_error(done, "the disk is full", "nothing was written")
    listed = madrega("step", "list", "--json", "--db", str(path))
    assert listed.returncode == 0, listed.stderr  # what was there is still there
    assert "Job 8:7" in listed.stdout
    assert "long-essay" not in madrega("library", "list", "--db", str(path)).stdout.lower()
    filler.unlink()
    again = madrega("library", "import", str(article), "--kind", "article", "--db", str(path))
    assert again.returncode == 0, again.stderr


def test_a_read_only_file_system(small_disk: Path) -> None:
    path = small_disk / "madrega.sqlite"
    assert madrega("step", "add", "study", "Job 8:7", "--db", str(path)).returncode == 0
    before = path.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    one_error(madrega("step", "add", "study", "Job 8:8", "--db", str(path)), "read-only")
    assert path.read_bytes() == before


def test_an_in_process_caller_gets_a_madrega_error(tmp_path: Path) -> None:
    """The core raises the same clear error to Python callers (no sqlite3 exception leaks)."""
    (tmp_path / "garbage.sqlite").write_bytes(b"x" * 4096)
    with pytest.raises(db.StorageError, match="not a madrega database"):
        db.connect(tmp_path / "garbage.sqlite")
    result = runner.invoke(app, ["step", "list", "--db", str(tmp_path)])
    assert isinstance(result.exception, db.StorageError) or result.exit_code == 1
