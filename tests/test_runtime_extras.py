"""A single user's install (`make demo`: `pip install -e .`, no extras) must run the CLI and the web
app: what only the community server (argon2, PostgreSQL), a Dask cluster or PDF export needs may be
imported only when that feature is used. A fresh process is run with those modules made unimportable,
as they are on a machine that installed the runtime alone.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

EXTRAS = ("argon2", "psycopg", "psycopg_binary", "dask", "distributed", "weasyprint", "tantivy")

SCRIPT = textwrap.dedent(
    """
    import sys
    for name in {extras!r}:
        sys.modules[name] = None  # `import name` now raises ImportError, as without the extra
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner
    from madrega.cli import _load, app as cli_app
    from madrega.web import create_app

    _load()  # every command module, as `madrega --help` imports them
    for argv in (["ref", "Job 8:7"], ["--help"], ["numeral", "5785"]):
        result = CliRunner().invoke(cli_app, argv)
        assert result.exit_code == 0, (argv, result.output)
    client = TestClient(create_app({db!r}))
    for path in ("/", "/today", "/journal", "/search?q=light", "/library"):
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
    print("runtime ok")
    """
)


def test_cli_and_web_run_without_the_extras(tmp_path: Path) -> None:
    script = SCRIPT.format(extras=EXTRAS, db=str(tmp_path / "madrega.sqlite"))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "runtime ok" in done.stdout


def test_the_check_can_fail(tmp_path: Path) -> None:
    """The blocking works: importing a blocked extra fails in that process."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['argon2'] = None; import argon2"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode != 0
    assert "ImportError" in done.stderr or "ModuleNotFoundError" in done.stderr
