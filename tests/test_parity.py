"""The faces at parity: each CLI `--json` command and its API twin, on the same library, say the same.

The API may add what only a web client needs (a `url`, paging echoes, rendered HTML); everything the
CLI prints must be in the API's answer with the same value.
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

import web_library
from madrega.web import create_app

LINKED = "As Job 8:7 says, and as Isaiah 51:1 teaches (compare Genesis 12:1)."


@pytest.fixture(scope="module")
def library_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return web_library.build(tmp_path_factory.mktemp("parity") / "lib.sqlite")


@pytest.fixture(scope="module")
def client(library_path: Path) -> Iterator[TestClient]:
    with TestClient(
        create_app(library_path), raise_server_exceptions=False, base_url="http://127.0.0.1"
    ) as c:
        yield c


def cli_json(library_path: Path, *args: str) -> Any:
    from madrega.cli import _load, app

    _load()
    result = CliRunner().invoke(app, [*args, "--db", str(library_path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cli_json_no_db(*args: str) -> Any:
    from madrega.cli import _load, app

    _load()
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def contained(cli: Any, api: Any, where: str = "") -> None:
    """Everything the CLI said is in the API's answer, the same (dicts may have more keys)."""
    if isinstance(cli, dict):
        assert isinstance(api, dict), f"{where}: the API answered {type(api).__name__}"
        for key, value in cli.items():
            assert key in api, f"{where}.{key}: missing from the API's answer"
            contained(value, api[key], f"{where}.{key}")
    elif isinstance(cli, list):
        assert isinstance(api, list) and len(cli) == len(api), f"{where}: {len(cli)} items vs {api!r:.200}"
        for i, (a, b) in enumerate(zip(cli, api, strict=True)):
            contained(a, b, f"{where}[{i}]")
    else:
        assert cli == api, f"{where}: CLI {cli!r} vs API {api!r}"


@pytest.mark.parametrize(
    ("cli", "path"),
    [
        (("library", "list"), "/api/library"),
        (("library", "show", "Isaiah"), "/api/works/Isaiah"),
        (("library", "contents", "Isaiah"), "/api/works/Isaiah/contents"),
        (("read", "Isaiah 51:1"), "/api/text/Isaiah 51:1"),
        (("read", "Isaiah 51:1-3"), "/api/text/Isaiah 51:1-3"),
        (("search", "צדק"), "/api/search?q=צדק"),
        (("search", "rock", "--lang", "en"), "/api/search?q=rock&lang=en"),
    ],
)
def test_library_commands_and_their_api_twins(
    library_path: Path, client: TestClient, cli: tuple[str, ...], path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    contained(cli_json(library_path, *cli), response.json(), " ".join(cli))


@pytest.mark.parametrize(
    ("cli", "path"),
    [
        (("ref", "Job 8:7", "Iyov (Job) 8:7"), "/api/ref?q=Job 8:7&q=Iyov (Job) 8:7"),
        (("numeral", "5785"), "/api/numeral?q=5785"),
        (("numeral", "תשפ״ה"), "/api/numeral?q=תשפ״ה"),
        (("gematria", "ספר"), "/api/gematria?q=ספר"),
    ],
)
def test_basics_and_their_api_twins(client: TestClient, cli: tuple[str, ...], path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    contained(cli_json_no_db(*cli), response.json(), " ".join(cli))


def test_link_and_its_api_twin(library_path: Path, client: TestClient, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(LINKED, encoding="utf-8")
    response = client.post("/api/link", json={"text": LINKED})
    assert response.status_code == 200, response.text
    cli = cli_json(library_path, "link", str(page))
    assert [c["ref"] for c in cli["citations"]] == ["Job 8:7", "Isaiah 51:1", "Genesis 12:1"]
    assert [s["ref"] for s in cli["sources"]] == ["Job 8:7", "Isaiah 51:1", "Genesis 12:1"]
    contained(cli, response.json(), "link")


def test_the_comparison_catches_a_difference() -> None:
    with pytest.raises(AssertionError):
        contained({"works": [{"title": "Job"}]}, {"works": [{"title": "Iyov"}]})
    with pytest.raises(AssertionError):
        contained({"segments": 2}, {})
