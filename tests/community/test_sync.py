"""Sync: laptops push and pull journal events; twice, or from two devices, nothing doubles or goes missing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from madrega import api
from madrega.community.sync import sync_journal
from madrega.practice import journal

from .helpers import Person, make_group


class HttpRemote:
    """The server account as the CLI sees it: two API calls with a Bearer token."""

    def __init__(self, app: FastAPI, name: str, password: str = "correct horse") -> None:
        self.client = TestClient(app)
        r = self.client.post("/api/community/token", json={"name": name, "password": password})
        assert r.status_code == 201, r.text
        self.headers = {"Authorization": f"Bearer {r.json()['token']}"}

    def push(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        r = self.client.post("/api/community/sync/push", json={"events": events}, headers=self.headers)
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    def pull(self, since: int) -> dict[str, Any]:
        r = self.client.get(f"/api/community/sync/pull?since={since}&limit=7", headers=self.headers)
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data


def _steps(conn: Any) -> dict[str, tuple[str, str | None]]:
    return {s.uid: (s.kind, s.ref) for s in journal.list_steps(conn)}


def test_two_laptops_converge_without_duplicates(
    person: Callable[..., Person], app: FastAPI, tmp_path: Path
) -> None:
    person("rivka")
    laptop = api.connect(tmp_path / "laptop.sqlite")
    phone = api.connect(tmp_path / "phone.sqlite")
    try:
        for chapter in range(1, 13):
            journal.add_step(laptop, "study", ref=f"Job {chapter}", minutes=10)
        journal.add_step(phone, "kindness", note="visited a friend")
        first = sync_journal(laptop, HttpRemote(app, "rivka"))
        assert first.pushed == 12
        again = sync_journal(laptop, HttpRemote(app, "rivka"))
        assert (again.pushed, again.pulled) == (0, 0)
        from_phone = sync_journal(phone, HttpRemote(app, "rivka"))
        assert (from_phone.pushed, from_phone.pulled) == (1, 12)
        back = sync_journal(laptop, HttpRemote(app, "rivka"))
        assert back.pulled == 1
        assert _steps(laptop) == _steps(phone) and len(_steps(laptop)) == 13
        # A correction on one device reaches the other; the server keeps one copy of each event.
        uid = next(s.uid for s in journal.list_steps(phone) if s.ref == "Job 3")
        journal.correct_step(phone, uid, minutes=45)
        sync_journal(phone, HttpRemote(app, "rivka"))
        sync_journal(laptop, HttpRemote(app, "rivka"))
        assert journal.get_step(laptop, uid).minutes == 45
        assert len(journal.events(laptop)) == len(journal.events(phone)) == 14
    finally:
        laptop.close()
        phone.close()


def test_push_is_idempotent_and_pull_pages_by_cursor(person: Callable[..., Person], backend: Any) -> None:
    rivka = person("rivka")
    events = [
        {
            "uid": f"00000000-0000-4000-8000-{i:012d}",
            "type": "step.added",
            "at": f"2024-01-01T10:{i:02d}:00.000000Z",
            "step_uid": f"step-{i}",
            "data": {
                "kind": "study",
                "ref": f"Job {i + 1}",
                "at": f"2024-01-01T10:{i:02d}:00.000000Z",
                "day": "2024-01-01",
                "hebrew_date": "",
            },
        }
        for i in range(20)
    ]
    first = rivka.post("/api/community/sync/push", {"events": events[:15]}).json()
    second = rivka.post("/api/community/sync/push", {"events": events}).json()
    assert (first["added"], second["added"], second["duplicates"]) == (15, 5, 15)
    cursor, seen = 0, []
    while True:
        page = rivka.get(f"/api/community/sync/pull?since={cursor}&limit=6").json()
        seen += [e["uid"] for e in page["events"]]
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert sorted(seen) == sorted(e["uid"] for e in events) and len(seen) == 20
    # Another account pushing the same uids does not touch rivka's log.
    sara = person("sara")
    assert sara.post("/api/community/sync/push", {"events": events[:3]}).json()["added"] == 3
    assert len(rivka.get("/api/community/steps").json()) == 20
    assert len(sara.get("/api/community/steps").json()) == 3


def test_synced_steps_can_be_shared(person: Callable[..., Person], app: FastAPI, tmp_path: Path) -> None:
    rivka, sara = person("rivka"), person("sara")
    group = make_group(rivka, sara)
    laptop = api.connect(tmp_path / "laptop.sqlite")
    try:
        step = journal.add_step(laptop, "study", ref="Job 1", note="keep this to myself")
        sync_journal(laptop, HttpRemote(app, "rivka"))
    finally:
        laptop.close()
    assert rivka.post(f"/api/community/groups/{group}/shared", {"step_uid": step.uid}).status_code == 201
    feed = sara.get(f"/api/community/groups/{group}/feed")
    assert "Job 1" in feed.text and "keep this to myself" not in feed.text


class BadServer:
    """A server (or a man in the middle) that answers a pull with an event the schema refuses."""

    def push(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        return {"added": 0}

    def pull(self, since: int) -> dict[str, Any]:
        bad = {"uid": "6f1c1d7e-0000-4000-8000-000000000001", "at": "2026-12-01T10:00:00Z",
               "type": "step.added", "step_uid": "s-1", "data": {"kind": "study", "minutes": "ten"}}  # fmt: skip
        return {"events": [bad], "cursor": since + 1, "more": False}


def test_a_bad_event_from_the_server_is_refused_by_name_and_harms_nothing(tmp_path: Path) -> None:
    from madrega import api
    from madrega.errors import MadregaError
    from madrega.practice import journal

    laptop = api.connect(tmp_path / "laptop.sqlite")
    journal.add_step(laptop, "prayer", note="mine")
    with pytest.raises(MadregaError, match=r"event 1 from the server.*minutes"):
        sync_journal(laptop, BadServer())
    assert [s.kind for s in journal.list_steps(laptop)] == ["prayer"]
    assert journal.rebuild(laptop) == 1
