"""Every command of the README's "Using it" block runs as written (against a small library): a user who
copies one must never meet an error."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
MAIN = "import sys; sys.argv[0] = 'madrega'; from madrega.cli import main; main()"


def _block(title: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {title}", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, f"no sh block under {title}"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _argv(line: str) -> list[str]:
    words = shlex.split(line, comments=True)
    assert not words or words[0] == "madrega", line
    return words[1:]


COMMANDS = [args for args in map(_argv, _block("Using it")) if args]
SLOW = {("library", "init")}  # the whole corpus: the slow suite runs it
SERVERS = {("serve",)}
# What a test machine has not got: the network, a local copy of Sefaria's export. These must still
# answer with a clear message naming a remedy, never a traceback.
ELSEWHERE = {("library", "fetch"): "the network", ("library", "import-export"): "a copy of Sefaria's export"}


# README lines that stand on an earlier line's work: a sheet is made from the imported lesson, then
# added to, then exported. Each test runs what its line needs first, as written, on its own library, so
# no test depends on which ran before it.
NEEDS = {
    ("sheet", "new"): ("library", "import"),
    ("sheet", "add"): ("sheet", "new"),
    ("sheet", "export"): ("sheet", "add"),
}


def _line(command: tuple[str, ...]) -> list[str]:
    """The one README line of COMMAND (its first two words)."""
    (args,) = [a for a in COMMANDS if tuple(a[:2]) == command]
    return args


def _needed_before(args: list[str]) -> list[list[str]]:
    """The README lines to run before ARGS, first first."""
    chain: list[list[str]] = []
    need = NEEDS.get(tuple(args[:2]))
    while need is not None:
        chain.insert(0, _line(need))
        need = NEEDS.get(need)
    return chain


@pytest.fixture(scope="module")
def small_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tanakh and the Mishnah with their indexes, built once for the module (under pytest's own temp
    directory, which pytest clears: never left behind in /tmp)."""
    from madrega import api
    from madrega.study.prepare import init_library

    path = tmp_path_factory.mktemp("readme-library") / "library.sqlite"
    conn = api.connect(path)
    init_library(conn, only=["tanakh", "english", "mishnah"])
    conn.close()
    return path


@pytest.fixture
def user(tmp_path: Path, small_library: Path) -> tuple[Path, dict[str, str]]:
    """A working directory holding the lesson the README imports, and the environment of a user whose
    library is a fresh copy of the small one: each test is its own user."""
    shutil.copy(FIXTURES / "lessons" / "tanya-heading.txt", tmp_path / "lesson.txt")
    library = tmp_path / "library.sqlite"
    shutil.copy(small_library, library)
    for suffix in (".quotes.idx", ".english.idx", ".gematria.idx"):
        source = Path(str(small_library) + suffix)
        if source.exists():
            shutil.copy2(source, Path(str(library) + suffix))
    env = {
        **os.environ,
        "MADREGA_DB": str(library),
        "MADREGA_CONFIG_DIR": str(tmp_path / "config"),
        "MADREGA_OFFLINE": "1",
        "COLUMNS": "120",
    }
    return tmp_path, env


# Seconds a README command may take: only one that never ends fails on it. Building the whole corpus
# takes about 2 minutes on a quiet machine and over 5 on a loaded one (it failed at 300 s).
LIMIT = 300
LIBRARY_INIT_LIMIT = 1800  # test_readme_init.py


def _run(
    args: list[str], cwd: Path, env: dict[str, str], limit: float = LIMIT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=limit,
        check=False,
    )


@pytest.mark.parametrize(
    "args", [a for a in COMMANDS if tuple(a[:2]) not in SLOW and tuple(a[:1]) not in SERVERS], ids=" ".join
)
def test_readme_command_runs(args: list[str], user: tuple[Path, dict[str, str]]) -> None:
    cwd, env = user
    for before in _needed_before(args):
        done = _run(before, cwd, env)
        assert done.returncode == 0, (
            f"madrega {shlex.join(before)} (needed first)\n{done.stdout}\n{done.stderr}"
        )
    done = _run(args, cwd, env)
    if tuple(args[:2]) in ELSEWHERE:  # offline here: a message that says what is missing, and exit 1
        assert done.returncode == 1, f"madrega {shlex.join(args)}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr and "error:" in done.stderr
        return
    assert done.returncode == 0, f"madrega {shlex.join(args)}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr and "error" not in done.stderr.lower()
    assert done.stdout.strip()


def test_readme_lines_come_after_what_they_need() -> None:
    """A user reads the block top to bottom: a line that stands on another's work comes after it."""
    for command, need in NEEDS.items():
        assert COMMANDS.index(_line(need)) < COMMANDS.index(_line(command)), (need, command)


def test_readme_serve_prints_its_address(user: tuple[Path, dict[str, str]]) -> None:
    cwd, env = user
    (serve,) = [a for a in COMMANDS if tuple(a[:1]) in SERVERS]
    # The README's port may be taken on a shared machine: port 0, and the address printed says which.
    proc = subprocess.Popen(
        [sys.executable, "-c", MAIN, *serve, "--port", "0"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        said = ""
        while "Ctrl-C" not in said and len(said) < 2000:  # the address line may wrap
            line = proc.stdout.readline()
            if not line:
                break
            said += line.rstrip("\n")
        address = re.search(r"http://127\.0\.0\.1:(\d+)/", said)
        assert address and int(address.group(1)) > 0, said
        # It is printed once the server listens: the address answers.
        assert httpx.get(f"{address.group(0)}healthz", timeout=30).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
