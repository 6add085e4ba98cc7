"""Timers (hitbodedut sessions) that are recorded however they end.

`timer.started` is written the moment a session begins, so the session is on record if the
terminal closes, the tab dies or the laptop sleeps: a foreground timer says it is alive with a
heartbeat every ~15 s, and one silent for a minute is recorded up to its last heartbeat.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from madrega import errors
from madrega.errors import MadregaError, NotFound
from madrega.practice import journal
from madrega.practice.events import Event, InvalidEvent, validate
from madrega.practice.journal import Step, iso, parse_iso, utcnow

# How long a foreground timer may stay silent before it is taken as abandoned (heartbeats are ~15 s).
STALE_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class Timer:
    uid: str
    kind: str
    started: str
    planned_minutes: float | None
    foreground: bool
    last_seen: str

    def elapsed_minutes(self, until: datetime) -> float:
        return max(0.0, (until - parse_iso(self.started)).total_seconds() / 60)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def open_timers(conn: sqlite3.Connection) -> list[Timer]:
    """Timers started and not yet stopped, with the time each was last known alive.

    Read through the subject index (not a replay of every heartbeat ever written), so a page that
    checks for abandoned sessions costs the same after years of sessions."""
    rows = conn.execute(
        "SELECT s.uid, s.at, s.type, s.step_uid, s.data, s.device, "
        "(SELECT MAX(h.at) FROM journal_events h WHERE h.step_uid=s.step_uid AND h.type='timer.heartbeat') "
        "AS beat FROM journal_events s WHERE s.type='timer.started' AND NOT EXISTS "
        "(SELECT 1 FROM journal_events e WHERE e.step_uid=s.step_uid AND e.type='timer.stopped') "
        "ORDER BY s.at, s.id"
    ).fetchall()
    timers: dict[str, Timer] = {}
    for row in rows:
        ev = journal._row_event(row)
        if ev is None or not _valid(ev) or ev.step_uid is None:
            continue
        started = str(ev.data.get("started", ev.at))
        beat = row["beat"]
        timers[ev.step_uid] = Timer(
            ev.step_uid,
            str(ev.data.get("kind") or "hitbodedut"),
            started,
            ev.data.get("planned_minutes"),
            bool(ev.data.get("foreground", False)),
            beat if beat and beat > started else started,
        )
    return list(timers.values())


def _valid(ev: Event) -> bool:
    try:
        validate(ev)
    except InvalidEvent:
        return False
    return True


def start_timer(
    conn: sqlite3.Connection,
    *,
    kind: str = "hitbodedut",
    planned_minutes: float | None = None,
    foreground: bool = False,
    now: datetime | None = None,
) -> Timer:
    """Write `timer.started` at once, so the session is on record however it ends."""
    now = now or utcnow()
    recover_timers(conn, now=now)
    kind = journal.resolve_kind(conn, kind, False)
    if planned_minutes is not None and not 0 < planned_minutes <= 1440:
        raise MadregaError("a session is planned for more than 0 and at most 1440 minutes")
    running = [t for t in open_timers(conn) if t.kind == kind]
    if running:
        raise MadregaError(
            f"a {kind} timer is already running since {running[0].started}: stop it first",
            remedy=errors.STOP_TIMER,
            subject=kind,
        )
    uid = journal.new_uid()
    data = {"kind": kind, "started": iso(now), "planned_minutes": planned_minutes, "foreground": foreground}
    journal.append(conn, "timer.started", uid, data, at=now)
    return Timer(uid, kind, iso(now), planned_minutes, foreground, iso(now))


def heartbeat(conn: sqlite3.Connection, timer_uid: str, *, now: datetime | None = None) -> None:
    journal.append(conn, "timer.heartbeat", timer_uid, {}, at=now or utcnow())


def find_timer(conn: sqlite3.Connection, timer_uid: str | None = None, kind: str = "hitbodedut") -> Timer:
    timers = open_timers(conn)
    if timer_uid:
        found = [t for t in timers if t.uid.startswith(timer_uid)]
    else:
        found = [t for t in timers if t.kind == kind]
    if not found:
        raise NotFound("no timer is running", remedy=errors.START_TIMER, subject=kind)
    return found[-1]


def stop_timer(
    conn: sqlite3.Connection,
    timer_uid: str | None = None,
    *,
    kind: str = "hitbodedut",
    now: datetime | None = None,
    note: str | None = None,
    reason: str = "stopped",
    ended: datetime | None = None,
) -> Step | None:
    """Close a timer and record the session as a step (none if no time was measured)."""
    now = now or utcnow()
    timer = find_timer(conn, timer_uid, kind)
    end = ended or now
    minutes = timer.elapsed_minutes(end)
    if timer.planned_minutes is not None:
        minutes = min(minutes, float(timer.planned_minutes))
    minutes = round(min(minutes, 1440.0), 2)
    with journal.write(conn):
        journal.append(
            conn,
            "timer.stopped",
            timer.uid,
            {"ended": iso(end), "minutes": minutes, "reason": reason},
            at=now,
        )
        if minutes <= 0:
            return None
        return journal.add_step(
            conn,
            timer.kind,
            minutes=minutes,
            note=note,
            at=parse_iso(timer.started),
            now=now,
            timer=timer.uid,
            uid=timer.uid,
        )


def recover_timers(conn: sqlite3.Connection, *, now: datetime | None = None) -> list[Step]:
    """Record foreground timers whose process died, with the time up to their last heartbeat."""
    now = now or utcnow()
    recorded: list[Step] = []
    for timer in open_timers(conn):
        last = parse_iso(timer.last_seen)
        if not timer.foreground or now - last < STALE_AFTER:
            continue
        step = stop_timer(conn, timer.uid, now=now, ended=last, reason="recovered")
        if step is not None:
            recorded.append(step)
    return recorded
