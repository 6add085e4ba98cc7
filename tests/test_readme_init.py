"""The README's `madrega library init` runs as written: the whole embedded corpus, imported and indexed
by the real command. In a file of its own (the slowest test of the suite, about two minutes), so that
xdist, which gives a worker a whole file, runs it beside the README's other commands instead of after
them on the same worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from link_jobs import stop_link_jobs
from test_readme import COMMANDS, LIBRARY_INIT_LIMIT, SLOW, _run


@pytest.mark.slow
def test_readme_library_init_runs(tmp_path: Path) -> None:
    (args,) = [a for a in COMMANDS if tuple(a[:2]) in SLOW]
    db = tmp_path / "library.sqlite"
    env = {**os.environ, "MADREGA_DB": str(db), "MADREGA_OFFLINE": "1"}
    try:
        done = _run(args, tmp_path, env, limit=LIBRARY_INIT_LIMIT)
    finally:
        stop_link_jobs(db)  # the whole corpus's connections, built in the background: not this test's
    assert done.returncode == 0, done.stderr
