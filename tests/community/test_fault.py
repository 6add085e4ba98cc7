"""PostgreSQL killed mid-load: the server answers 503 meanwhile, recovers by itself, loses no acknowledged step."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

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
    restarted = threading.Event()
    stop = threading.Event()
    try:
        writer = Person(app, "rivka").signup()
        acknowledged: list[str] = []
        statuses: dict[int, int] = {}
        after_restart: list[int] = []
        saw_outage: set[int] = set()
        # Every answer is counted under this condition, and the test waits on it for what the server
        # says (steps acknowledged, the outage seen by each worker), never for a length of time.
        answered = threading.Condition()

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
                with answered:
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                    if r.status_code == 201:
                        acknowledged.append(r.json()["uid"])
                        if restarted.is_set():
                            after_restart.append(worker)
                    elif r.status_code == 503 and not restarted.is_set():
                        saw_outage.add(worker)
                    answered.notify_all()
                if r.status_code == 503 and not restarted.is_set():
                    restarted.wait()  # seen the outage: try again once the database is back

        def until(condition: Callable[[], bool], what: str) -> None:
            with answered:
                # The timeout only fails a server that never answers so; nothing waits for it to pass.
                assert answered.wait_for(condition, timeout=120), what

        threads = [threading.Thread(target=load, args=(w,), daemon=True) for w in range(4)]
        for t in threads:
            t.start()
        until(lambda: len(acknowledged) >= 20, "no steps were acknowledged before the outage")
        own_cluster.stop("immediate")
        until(lambda: len(saw_outage) == len(threads), f"the outage was not seen by every worker: {statuses}")
        with answered:
            during = dict(statuses)
        own_cluster.start()
        restarted.set()
        until(lambda: len(after_restart) >= 20, "the server did not recover without a restart")
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
        stop.set()  # a failed wait above leaves no worker behind
        restarted.set()
        backend.close()
