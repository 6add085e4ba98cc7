"""A member's steps as the server sees them: replayed from the journal events they pushed (or recorded
on the web), later corrections winning and deletions hiding, as the laptop's journal replays them.

Sync stores the events, the feed copies a step's public part: both read steps here.
"""

from __future__ import annotations

import json
from typing import Any

from madrega.community.accounts import User
from madrega.community.backend import Backend, Tx
from madrega.practice import events as schema

STEP_EVENTS = schema.STEP_EVENTS
# Step fields a server copy keeps (the rest stays in the event data, exported with it).
STEP_FIELDS = ("kind", "at", "day", "ref", "what", "note", "shared", "minutes", "prayer")


def replay_steps(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The user's current steps from their events (later corrections win, deletions hide)."""
    steps: dict[str, dict[str, Any]] = {}
    deleted: set[str] = set()
    for row in sorted(rows, key=lambda r: (r["at"], r.get("id", 0))):
        sid, data = row["step_uid"], row["data"]
        if isinstance(data, str):
            data = json.loads(data)
        if not sid or row["type"] not in STEP_EVENTS:
            continue
        if row["type"] == "step.added" and sid not in steps and sid not in deleted:
            steps[sid] = {"uid": sid, **{k: data.get(k) for k in STEP_FIELDS}}
            steps[sid]["at"] = data.get("at") or row["at"]
        elif row["type"] == "step.corrected" and sid in steps:
            steps[sid].update({k: data[k] for k in STEP_FIELDS if k in data})
        elif row["type"] == "step.deleted":
            steps.pop(sid, None)
            deleted.add(sid)
    return steps


def step_of(tx: Tx, user_id: int, step_uid: str) -> dict[str, Any] | None:
    rows = tx.all(
        "SELECT id, at, type, step_uid, data FROM server_events WHERE user_id=? AND step_uid=?",
        (user_id, step_uid),
    )
    return replay_steps(rows).get(step_uid)


def list_steps(backend: Backend, user: User, limit: int = 200) -> list[dict[str, Any]]:
    with backend.transaction(write=False) as tx:
        rows = tx.all(
            "SELECT id, at, type, step_uid, data FROM server_events WHERE user_id=? AND type IN (?, ?, ?)",
            (user.id, *STEP_EVENTS),
        )
    steps = sorted(replay_steps(rows).values(), key=lambda s: str(s["at"]), reverse=True)
    return steps[:limit]
