"""The practice half's faces at parity: each CLI `--json` command and its API twin, on the same
journal at the same moment, say the same (as tests/test_parity.py does for the study half).

Both faces read "now" from one clock (`MADREGA_CLOCK_FILE`), so a day's strength, today's portions
and a plan's next portion are computed for the same moment. The API may add what only a web client
needs; everything the CLI prints must be in the API's answer with the same value.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from madrega.web import create_app
from test_parity import contained

NOW = "2025-03-04T09:30:00+00:00"  # a Tuesday morning in Jerusalem: no Shabbat, no Yom Tov


@pytest.fixture(scope="module")
def journal_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A journal with steps of several kinds, a plan with a portion done, days set aside and cycles
    kept, written through the CLI at the clock's moment."""
    folder = tmp_path_factory.mktemp("parity-practice")
    clock = folder / "clock"
    clock.write_text(NOW, encoding="utf-8")
    path = folder / "journal.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MADREGA_CLOCK_FILE", str(clock))
        mp.setenv("MADREGA_OFFLINE", "1")
        cli(path, "config", "set", "timezone", "Asia/Jerusalem")
        cli(path, "cycles", "keep", "chumash,tehillim,tanya,daf_yomi")
        cli(path, "step", "add", "study", "Psalms 121", "--minutes", "12", "--note", "at dawn")
        cli(path, "step", "add", "tzedakah", "--amount", "18", "--at", "2025-03-02T08:00:00+00:00")
        cli(path, "step", "add", "prayer", "--prayer", "shacharit", "--minutes", "30")
        cli(path, "step", "add", "kindness", "--note", "visited a friend", "--day", "yesterday")
        plan = cli_json(path, "plan", "add", "Psalms 120-134", "--by", "chapter")
        cli(path, "plan", "done", plan["id"], "1")
        cli(path, "skip", "add", "2025-02-20", "2025-02-22", "--reason", "travel")
    yield path  # the environment as it was: each test sets its own (same_moment)


@pytest.fixture(scope="module")
def client(journal_path: Path) -> Iterator[TestClient]:
    with TestClient(
        create_app(journal_path), raise_server_exceptions=False, base_url="http://127.0.0.1"
    ) as c:
        yield c


@pytest.fixture(autouse=True)
def same_moment(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both faces at the journal's moment (the web face's clock reads the same file)."""
    monkeypatch.setenv("MADREGA_CLOCK_FILE", str(journal_path.parent / "clock"))
    monkeypatch.setenv("MADREGA_OFFLINE", "1")


def cli(path: Path, *args: str) -> str:
    from madrega.cli import _load, app

    _load()
    result = CliRunner().invoke(app, [*args, "--db", str(path)])
    assert result.exit_code == 0, result.output
    return result.stdout


def cli_json(path: Path, *args: str) -> Any:
    return json.loads(cli(path, *args, "--json"))


@pytest.mark.parametrize(
    ("command", "twin"),
    [
        (("step", "list"), "/api/journal"),
        (("step", "list", "--kind", "study"), "/api/journal?kind=study"),
        (("step", "list", "--since", "2025-03-03"), "/api/journal?since=2025-03-03"),
        (("step", "list", "--limit", "2"), "/api/journal?limit=2"),
        (("today", "--offline"), "/api/today"),
        (("progress",), "/api/progress"),
        (("plan", "list"), "/api/plans"),
        (("skip", "list"), "/api/skips"),
        (("cycles", "list"), "/api/cycles"),
        (("hitbodedut", "status"), "/api/timers"),
    ],
)
def test_practice_commands_and_their_api_twins(
    journal_path: Path, client: TestClient, command: tuple[str, ...], twin: str
) -> None:
    response = client.get(twin)
    assert response.status_code == 200, response.text
    contained(cli_json(journal_path, *command), response.json(), " ".join(command))


def test_the_journal_has_what_the_comparisons_compare(journal_path: Path) -> None:
    """The comparisons above compare something: steps of four kinds, a plan begun, days set aside."""
    steps = cli_json(journal_path, "step", "list")
    assert sorted(s["kind"] for s in steps) == ["kindness", "prayer", "study", "study", "tzedakah"]
    (plan,) = cli_json(journal_path, "plan", "list")
    # Psalms 120 marked done, and Psalms 121 already studied before the plan began.
    assert plan["done_count"] == 2 and plan["next"]["ref"] == "Psalms 122"
    assert len(cli_json(journal_path, "skip", "list")) == 1
    today = cli_json(journal_path, "today", "--offline")
    assert today["cycles"] and today["done"]
