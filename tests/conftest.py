"""Shared fixtures: the seed documents (from ../shared, skipped when absent) and a fresh database."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
