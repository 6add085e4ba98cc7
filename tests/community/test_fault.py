"""PostgreSQL killed mid-load: the server answers 503 meanwhile, recovers by itself, loses no acknowledged step."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from madrega.community import accounts
from madrega.community.app import create_community_app
from pgcluster import PgCluster

from .conftest import _require_postgres
from .helpers import Person

pytestmark = pytest.mark.postgres


@pytest.fixture
def own_cluster() -> Iterator[PgCluster]:
    _require_postgres()
    cluster = PgCluster().init()
    cluster.start()
    yield cluster
    cluster.destroy()


def test_outage_gives_503_then_recovers_without_losing_acknowledged_steps(own_cluster: PgCluster) -> None:
    app = create_community_app(own_cluster.url, secure_cookies=False, hasher=accounts.fast_hasher())
    backend = app.state.community.backend
    try:
        writer = Person(app, "rivka").signup()
        acknowledged: list[str] = []
        statuses: dict[int, int] = {}
        after_restart: list[int] = []
        restarted = threading.Event()
        stop = threading.Event()
        lock = threading.Lock()

        def load(worker: int) -> None:
            client = TestClient(app, raise_server_exceptions=False)
            client.cookies.update(writer.client.cookies)
            i = 0
            while not stop.is_set():
                i += 1
                r = client.post(
                    "/api/community/steps",
                    json={"kind": "study", "what": f"w{worker}-{i}"},
                    headers=writer.headers(),
                )
                with lock:
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                    if r.status_code == 201:
                        acknowledged.append(r.json()["uid"])
                        if restarted.is_set():
                            after_restart.append(worker)
                if r.status_code == 503:
                    time.sleep(0.05)

        threads = [threading.Thread(target=load, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        own_cluster.stop("immediate")
        time.sleep(1.5)
        during = dict(statuses)
        own_cluster.start()
        restarted.set()
        deadline = time.monotonic() + 15
        while len(after_restart) < 20 and time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        for t in threads:
            t.join()
        assert set(statuses) <= {201, 503}, statuses
        assert during.get(503, 0) > 0, "the outage was never seen as 503"
        assert len(after_restart) >= 20, "the server did not recover without a restart"
        with backend.transaction() as tx:
            stored = {r["step_uid"] for r in tx.all("SELECT step_uid FROM server_events")}
        lost = [uid for uid in acknowledged if uid not in stored]
        assert not lost and len(acknowledged) > 20
    finally:
        backend.close()
