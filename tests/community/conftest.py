"""Community fixtures: a real throwaway PostgreSQL cluster, and each feature on both backends.

The cluster is started once per session (`initdb` + `pg_ctl`, as an unprivileged user when we are
root); each test gets a fresh schema in it, or a fresh SQLite file. Without PostgreSQL binaries
the postgres half FAILS, unless MADREGA_ALLOW_NO_POSTGRES=1 says to skip it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from madrega.community import accounts
from madrega.community.app import create_community_app
from madrega.community.http import CommunityConfig
from pgcluster import PgCluster, find_bin_dir

from .helpers import Person

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _require_postgres() -> None:
    if find_bin_dir() is None:
        if os.environ.get("MADREGA_ALLOW_NO_POSTGRES") == "1":
            pytest.skip("PostgreSQL binaries missing and MADREGA_ALLOW_NO_POSTGRES=1")
        pytest.fail(
            "PostgreSQL server binaries not found (apt-get install postgresql, or `make postgres`); "
            "set MADREGA_ALLOW_NO_POSTGRES=1 to skip the PostgreSQL tests"
        )


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    _require_postgres()
    cluster = PgCluster().init()
    cluster.start()
    yield cluster
    cluster.destroy()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite://{tmp_path}/community.sqlite"
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.create_schema("t_" + uuid.uuid4().hex[:12])


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    application = create_community_app(database_url, secure_cookies=False, hasher=accounts.fast_hasher())
    yield application
    cfg: CommunityConfig = application.state.community
    cfg.backend.close()


@pytest.fixture
def backend(app: FastAPI) -> Any:
    return app.state.community.backend


@pytest.fixture
def person(app: FastAPI) -> Callable[..., Person]:
    """`person("sara")`: a signed-up user; the first one made is the server's admin, sign-up is open."""
    made: list[Person] = []

    def make(name: str) -> Person:
        p = Person(app, name).signup()
        if not made:
            assert p.put("/api/community/admin/settings", {"signup": "open"}).status_code == 200
        made.append(p)
        return p

    return make


@pytest.fixture
def anonymous(app: FastAPI) -> Person:
    return Person(app, "nobody")
