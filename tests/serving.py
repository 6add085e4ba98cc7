"""`madrega serve` as a subprocess on a free loopback port, for the browser tests, and the clock file
such a process reads "now" from (so a test moves time instead of waiting for it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# `madrega serve` prints its address once it is listening (port 0: the one the system chose).
ADDRESS = re.compile(r"serving .* at (http://127\.0\.0\.1:\d+)/")
START_LIMIT = 120.0  # seconds: only a server that never says it is listening fails on it
# Seconds an HTTP call to a test's server may take (httpx's own default is 5 s, which a loaded machine
# can exceed): only a server that never answers fails on it.
HTTP_LIMIT = 60.0


class ClockFile:
    """What a `madrega` process reads as now (`MADREGA_CLOCK_FILE`): a file that holds one moment and
    moves only when the test moves it. Each change replaces the file whole: never read half-written."""

    def __init__(self, path: Path, start: datetime) -> None:
        self.path = path
        self.set(start)

    @property
    def env(self) -> dict[str, str]:
        """The environment entry that makes a process read its time from this file."""
        return {"MADREGA_CLOCK_FILE": str(self.path)}

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> datetime:
        self._now = moment
        part = self.path.with_name(self.path.name + ".part")
        part.write_text(moment.isoformat(), encoding="utf-8")
        os.replace(part, self.path)
        return moment

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        return self.set(self._now + (delta or timedelta(**kwargs)))


class _Address:
    """Copies the server's output into its log, line by line, and notes the address it prints."""

    def __init__(self, out: IO[str], log: IO[str]) -> None:
        self.out, self.log = out, log
        self.url: str | None = None
        self.said = threading.Event()  # the address is printed, or the output ended
        self.thread = threading.Thread(target=self._copy, name="madrega-serve-output", daemon=True)
        self.thread.start()

    def _copy(self) -> None:
        seen = ""
        for line in self.out:
            self.log.write(line)
            self.log.flush()
            if self.url is None:
                seen = (seen + line.rstrip("\n"))[-4000:]  # the address line may wrap
                found = ADDRESS.search(seen)
                if found:
                    self.url = found.group(1)
                    self.said.set()
        self.said.set()


@contextmanager
def madrega_serve(args: list[str], log_name: str, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """`madrega serve ARGS` on a free loopback port, logging to tests/artifacts/LOG_NAME, with ENV added
    to this process's environment; yields its base URL once it says it is listening, and stops it
    afterwards."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / log_name).open("w")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from madrega.cli import main; main()", "serve", *args, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "400", **(env or {})},
    )
    assert proc.stdout is not None
    address = _Address(proc.stdout, log)
    try:
        if not address.said.wait(START_LIMIT) or address.url is None:
            pytest.fail(f"the server did not start (see {log.name})")
        yield address.url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        address.thread.join(timeout=10)
        log.close()
