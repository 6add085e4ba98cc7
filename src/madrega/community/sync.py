"""Sync: a laptop's journal and a server account exchange journal events by uid.

The journal is an append-only log whose events carry a uuid, so the server keeps them keyed by
(user, uid): pushing the same event twice, or from two devices, stores it once. Each stored event
gets a server sequence number; a client pulls "everything after cursor N". Pushes of one user are
serialized (a row lock on the user on PostgreSQL, the write lock on SQLite) so sequence numbers of
one user's events become visible in order and a pull never skips one committed late.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from madrega.community.accounts import User, iso, now
from madrega.community.backend import Backend, CommunityError, TooLarge, Tx
from madrega.community.feed import refresh_shared
from madrega.community.steps import STEP_EVENTS, STEP_FIELDS
from madrega.practice import calendar
from madrega.practice import events as schema

# The journal's one event schema decides what an event is; the server keeps the same kinds.
EVENT_TYPES = schema.EVENT_TYPES
MAX_BATCH = 1000
MAX_EVENT_BYTES = 16_000
PULL_LIMIT = 500


def check_event(raw: Any, index: int) -> dict[str, Any]:
    """One pushed event checked against the journal's one event schema (`practice.events`): a clear
    error names the first bad one and its field; nothing of the batch is stored then."""
    try:
        ev = schema.validate(raw, where=f"event {index}")
    except schema.InvalidEvent as exc:
        raise CommunityError(f"{exc.message}; nothing was stored") from None
    text = json.dumps(ev.data, ensure_ascii=False)
    if len(text.encode("utf-8")) > MAX_EVENT_BYTES:
        raise CommunityError(f"event {index}: data over {MAX_EVENT_BYTES} bytes; nothing was stored")
    return {
        "uid": ev.uid,
        "type": ev.type,
        "at": ev.at,
        "step_uid": ev.step_uid,
        "data": text,
        "device": ev.device,
    }


def push(backend: Backend, user: User, events: list[Any]) -> dict[str, Any]:
    if len(events) > MAX_BATCH:
        raise TooLarge(f"push at most {MAX_BATCH} events at a time")
    checked = [check_event(raw, i) for i, raw in enumerate(events)]
    with backend.transaction() as tx:
        tx.one("SELECT id FROM users WHERE id=?{for_update}", (user.id,))
        added = store_events(tx, user.id, checked)
        cursor = tx.value("SELECT MAX(id) FROM server_events WHERE user_id=?", (user.id,)) or 0
    return {"added": added, "duplicates": len(checked) - added, "cursor": int(cursor)}


def store_events(tx: Tx, user_id: int, checked: list[dict[str, Any]]) -> int:
    added = 0
    received = iso(now())
    for ev in checked:
        added += tx.execute(
            "INSERT INTO server_events(user_id, uid, at, type, step_uid, data, device, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, uid) DO NOTHING",
            (user_id, ev["uid"], ev["at"], ev["type"], ev["step_uid"], ev["data"], ev["device"], received),
        )
    touched = {ev["step_uid"] for ev in checked if ev["type"] in STEP_EVENTS}
    if added and touched:
        for step_uid in sorted(touched):
            refresh_shared(tx, user_id, step_uid)
    return added


def pull(backend: Backend, user: User, since: int = 0, limit: int = PULL_LIMIT) -> dict[str, Any]:
    limit = max(1, min(limit, PULL_LIMIT))
    with backend.transaction(write=False) as tx:
        rows = tx.all(
            "SELECT id, uid, at, type, step_uid, data, device FROM server_events "
            "WHERE user_id=? AND id>? ORDER BY id LIMIT ?",
            (user.id, since, limit + 1),
        )
    more = len(rows) > limit
    rows = rows[:limit]
    events = [
        {**{k: r[k] for k in ("uid", "at", "type", "step_uid", "device")}, "data": json.loads(r["data"])}
        for r in rows
    ]
    cursor = int(rows[-1]["id"]) if rows else since
    return {"events": events, "cursor": cursor, "more": more}


# ---------------------------------------------------------------- a step recorded on the web


def add_step(
    backend: Backend,
    user: User,
    kind: str,
    *,
    ref: str | None = None,
    what: str | None = None,
    note: str | None = None,
    shared: bool = False,
    minutes: float | None = None,
) -> dict[str, Any]:
    """A step recorded on the server (from the web), stored as a journal event like a pushed one."""
    clean_kind = kind.strip().lower()
    if not 1 <= len(clean_kind) <= 40:
        raise CommunityError("a kind is 1 to 40 characters (study, prayer, kindness, …)")
    if minutes is not None and not 0 <= minutes <= 1440:
        raise CommunityError("minutes are between 0 and 1440")
    moment = now()
    data: dict[str, Any] = {
        "kind": clean_kind,
        "at": iso(moment),
        "day": moment.date().isoformat(),
        "hebrew_date": calendar.hebrew_date_string(moment.date()),
        "ref": ref,
        "what": what,
        "note": note,
        "shared": bool(shared),
        "minutes": minutes,
    }
    step_uid = str(uuid.uuid4())
    event = {
        "uid": str(uuid.uuid4()),
        "type": "step.added",
        "at": iso(moment),
        "step_uid": step_uid,
        "data": data,
    }
    push(backend, user, [event])
    return {"uid": step_uid, **{k: data.get(k) for k in STEP_FIELDS}}


# ---------------------------------------------------------------- the laptop's side


class Remote(Protocol):
    """What a client needs from the server: the two API calls (an HTTP client in the CLI)."""

    def push(self, events: list[dict[str, Any]]) -> dict[str, Any]: ...
    def pull(self, since: int) -> dict[str, Any]: ...


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pulled: int
    cursor: int


def sync_journal(conn: sqlite3.Connection, remote: Remote, *, batch: int = 500) -> SyncResult:
    """Push local events the server has not acknowledged, then pull what other devices pushed.

    Progress is kept in the journal's settings only after the server acknowledged it, so an
    interrupted sync is simply repeated: both sides ignore events they already hold.
    """
    from madrega.practice import journal

    pushed_through = int(journal.get_setting(conn, "sync.pushed_through") or 0)
    cursor = int(journal.get_setting(conn, "sync.cursor") or 0)
    pushed = 0
    while True:
        rows = conn.execute(
            "SELECT id, uid, at, type, step_uid, data, device FROM journal_events WHERE id>? ORDER BY id LIMIT ?",
            (pushed_through, batch),
        ).fetchall()
        if not rows:
            break
        events = [
            {
                "uid": r["uid"],
                "at": r["at"],
                "type": r["type"],
                "step_uid": r["step_uid"],
                "data": json.loads(r["data"]),
                "device": r["device"],
            }
            for r in rows
        ]
        answer = remote.push(events)
        pushed += int(answer.get("added", 0))
        pushed_through = int(rows[-1]["id"])
        journal.put_setting(conn, "sync.pushed_through", str(pushed_through))
    merged: set[int] = set()
    while True:
        answer = remote.pull(cursor)
        # What the server sends is checked as strictly as what it takes: a bad event is refused by
        # name, before anything of the batch is merged into this journal.
        fresh = schema.validate_all(answer["events"], where=functools.partial(_pulled_event, cursor))
        if fresh:
            merged |= journal.merge_events(conn, fresh)
        cursor = int(answer["cursor"])
        journal.put_setting(conn, "sync.cursor", str(cursor))
        if not answer.get("more"):
            break
    if merged:
        _skip_pulled(conn, pushed_through, merged)
    return SyncResult(pushed, len(merged), cursor)


def _pulled_event(cursor: int, i: int) -> str:
    return f"event {cursor + i + 1} from the server"


def _skip_pulled(conn: sqlite3.Connection, pushed_through: int, merged: set[int]) -> None:
    """Move the pushed mark over the events just pulled (the server has them), and only over those.

    The mark means "every id up to here is on the server", so it stops at the first id that was
    not pulled: an event recorded locally while this sync ran (by another madrega process) stays
    above it and goes up next time. Pulled events above that one are pushed again then, and the
    server drops them as duplicates.
    """
    from madrega.practice import journal

    mark = pushed_through
    for (event_id,) in conn.execute(
        "SELECT id FROM journal_events WHERE id>? ORDER BY id", (pushed_through,)
    ):
        if event_id not in merged:
            break
        mark = int(event_id)
    if mark > pushed_through:
        journal.put_setting(conn, "sync.pushed_through", str(mark))
