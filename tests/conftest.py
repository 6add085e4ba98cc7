"""Shared fixtures: the seed documents (from ../shared, skipped when absent) and a fresh database."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from hypothesis import settings

import built_once

# CI must not flake: generated inputs are the same on every run (derandomized), so a run fails only
# when the code changed. `pytest --hypothesis-profile=explore` draws fresh inputs to hunt for new bugs.
# No deadline: a property test checks behaviour, not speed (speed lives in bench/), and on a loaded
# machine one slow example must not fail the run (a first call once took 325 ms against the 200 ms default).
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, max_examples=200, deadline=None)
settings.load_profile("ci")

# Indexes that belong to no library (the title automaton) go to a cache of the test run's own, which
# the CLI and server processes the tests start inherit (and xdist's workers: one cache for the run),
# removed when the process that made it ends.
if "MADREGA_CACHE_DIR" not in os.environ:
    _cache_dir = tempfile.mkdtemp(prefix="madrega-test-cache-")
    atexit.register(shutil.rmtree, _cache_dir, ignore_errors=True)
    os.environ["MADREGA_CACHE_DIR"] = _cache_dir

# The libraries many test files share are built once for the run, in a folder the workers inherit.
built_once.run_folder()

# typer's CliRunner builds the whole click command tree of the app on every `invoke` (typer reads every
# command's signature and type hints again): most of the CLI tests' CPU (test_fuzz_cli, ~700 calls:
# 54 s of CPU, 7 s with the tree reused). A tree is built once and reused while the app
# holds the same commands (a command registered later, as `cli._load` does, makes a new tree). Running
# a click command does not change it (`click` makes a fresh context for each run), so a reused tree
# parses and runs exactly as a new one would.
_typer_trees: dict[int, tuple[list[object], tuple[int, ...], Any]] = {}


def _typer_parts(app: Any, into: list[object]) -> list[object]:
    """What typer builds a click command from, in order: the callbacks, the commands, and each group
    with its own parts (a count before each list, so that moving a command changes the sequence)."""
    into += [app, app.registered_callback, app.info.callback, len(app.registered_commands)]
    into += app.registered_commands
    into.append(len(app.registered_groups))
    for group in app.registered_groups:
        into.append(group)
        if group.typer_instance is not None:
            _typer_parts(group.typer_instance, into)
    return into


def _typer_command(app: typer.Typer) -> Any:  # typer's own click (typer._click) Command
    parts = _typer_parts(app, [])
    shape = tuple(id(p) if not isinstance(p, int) else -p - 1 for p in parts)
    held = _typer_trees.get(id(app))
    if held is not None and held[1] == shape:
        return held[2]
    command = _build_typer_command(app)
    _typer_trees[id(app)] = (parts, shape, command)  # the parts kept alive: their ids are not reused
    return command


_build_typer_command = typer.testing._get_command
typer.testing._get_command = _typer_command  # type: ignore[assignment]  # (typer names its own click's Command)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not (SEEDS / "gold.json").exists():
        pytest.skip(f"seed documents not found at {SEEDS} (CI places ../shared beside the clone)")
    return SEEDS


@pytest.fixture(scope="session")
def gold(seeds: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    from madrega import api

    c = api.connect(tmp_path / "test.sqlite")
    yield c
    c.close()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the network: an HTTP request to anything but this machine fails at once, as
    it would offline (tests that need Sefaria's answers replay them through httpx.MockTransport)."""
    import httpx

    real = httpx.HTTPTransport.handle_request

    def only_loopback(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        if request.url.host not in ("127.0.0.1", "localhost", "::1", "[::1]"):
            raise httpx.ConnectError(f"tests do not reach the network ({request.url.host})", request=request)
        return real(self, request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", only_loopback)
