"""Test libraries built once per test run and copied for each test file that asks for one.

A dozen test files each need the same library (the embedded Tanakh, with the web tests' English and
lesson, or Tanakh + Mishnah + Zohar with the quotation index for the linker's tests). Built in every
file, that was minutes of the suite's CPU spent building one thing again and again. Here the first
caller builds it (xdist's workers take turns under a file lock, so it is built once for the run) and
every caller gets its own copy (the database and the index files beside it, their times kept so the
library still vouches for them): a test that writes to its library changes no other file's, exactly as
when each file built its own.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

_ENV = "MADREGA_TEST_BUILDS"


def run_folder() -> Path:
    """The folder this run's libraries are built in."""
    # conftest sets it in the process that starts the run, so xdist's workers inherit one folder;
    # a process started some other way makes its own.
    if _ENV not in os.environ:
        folder = tempfile.mkdtemp(prefix="madrega-test-builds-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ[_ENV] = folder
    return Path(os.environ[_ENV])


def template(key: str, build: Callable[[Path], object]) -> Path:
    """The library `build(path)` makes, built at most once in this test run; do not write to it."""
    root = run_folder()
    done = root / key / "library.sqlite"
    with open(root / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            work = Path(tempfile.mkdtemp(prefix=f"{key}-", dir=root))
            build(work / "library.sqlite")
            work.rename(done.parent)  # whole or not at all: a build that failed leaves no template
    return done


def copy_to(source: Path, dest: Path) -> Path:
    """Copy the library `source` and its index files to `dest` (each file renamed to match)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    for path in source.parent.glob(source.name + "*"):
        if path.name.endswith("-shm"):
            continue  # shared memory of open connections: never part of a closed database
        shutil.copy2(path, dest.parent / (dest.name + path.name[len(source.name) :]))
    return dest


def library(key: str, build: Callable[[Path], object], dest: Path) -> Path:
    """A copy at `dest` of the library `build` makes, built once per test run."""
    return copy_to(template(key, build), dest)
