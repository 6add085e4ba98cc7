"""The practice journal: an append-only log of events whose replay is the list of steps.

Nothing is ever updated or deleted in `journal_events`: a correction or a deletion is a new
event that hides the old one, so two devices can merge their logs by event uid and arrive at
the same steps. The `steps` table is a cache of the replay kept in the same transaction.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from madrega import db, errors
from madrega.errors import MadregaError, NotFound

SCHEMA_V1 = """
CREATE TABLE journal_events (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    step_uid TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    device TEXT
);
CREATE INDEX journal_events_subject ON journal_events(step_uid, at);
CREATE INDEX journal_events_type ON journal_events(type, at);
CREATE TABLE steps (
    uid TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    day TEXT NOT NULL,
    ref TEXT,
    minutes REAL,
    data TEXT NOT NULL
);
CREATE INDEX steps_at ON steps(at);
CREATE INDEX steps_day ON steps(day);
CREATE INDEX steps_kind ON steps(kind, day);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

db.register("journal", [SCHEMA_V1])

BUILTIN_KINDS = ("study", "prayer", "hitbodedut", "kindness", "tzedakah", "mitzvah")
PRAYERS = ("shacharit", "mincha", "maariv", "musaf", "neilah", "bedtime-shema", "tehillim", "other")
STEP_EVENTS = ("step.added", "step.corrected", "step.deleted")
TIMER_EVENTS = ("timer.started", "timer.heartbeat", "timer.stopped")
PLAN_EVENTS = ("plan.added", "plan.portion_done", "plan.removed")
EVENT_TYPES = STEP_EVENTS + TIMER_EVENTS + PLAN_EVENTS

# How long a foreground timer may stay silent before it is taken as abandoned (heartbeats are ~15 s).
STALE_AFTER = timedelta(seconds=60)


def utcnow() -> datetime:
    """Now, in UTC. A test clock: when `MADREGA_CLOCK_FILE` names a file holding an ISO time, every
    face (the command line, the server) reads "now" from it, so tests move time without waiting."""
    path = os.environ.get("MADREGA_CLOCK_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            moment = datetime.fromisoformat(f.read().strip().replace("Z", "+00:00"))
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """UTC ISO with microseconds: sorts as text in time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


FIRST_YEAR, LAST_YEAR = 1900, 2199  # a journal of a life: times outside are typing mistakes


def parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time without a zone: {text}")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Event:
    uid: str
    at: str
    type: str
    step_uid: str | None
    data: dict[str, Any]
    device: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


@dataclass
class Step:
    uid: str
    kind: str
    at: str
    day: str
    hebrew_date: str
    ref: str | None = None
    what: str | None = None
    note: str | None = None
    shared: bool = False
    minutes: float | None = None
    amount: float | None = None
    currency: str | None = None
    prayer: str | None = None
    focus: str | None = None
    lesson: str | None = None
    timer: str | None = None
    device: str | None = None
    recorded: str | None = None
    corrected: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        """One line a person recognises: kind and what was done."""
        parts = [self.kind]
        if self.prayer:
            parts.append(self.prayer)
        if self.ref or self.what:
            parts.append(str(self.ref or self.what))
        if self.minutes:
            parts.append(f"{self.minutes:g} min")
        if self.amount is not None:
            parts.append(f"{self.amount:g} {self.currency or ''}".strip())
        if self.focus:
            parts.append(f"({self.focus})")
        return " · ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Fields a `step.added` or `step.corrected` event may carry.
STEP_FIELDS = tuple(f.name for f in fields(Step) if f.name not in ("uid", "device", "recorded", "corrected"))


def new_uid() -> str:
    return str(uuid.uuid4())


# ---------------------------------------------------------------- replay


def replay(events: Iterable[Event]) -> dict[str, Step]:
    """The current steps: apply the log in order; later corrections win, deletions hide."""
    steps: dict[str, Step] = {}
    deleted: set[str] = set()
    for ev in events:
        sid = ev.step_uid
        if sid is None or ev.type not in STEP_EVENTS:
            continue
        if ev.type == "step.added":
            if sid in steps or sid in deleted:
                continue  # the same step recorded twice (e.g. a timer recovered on two devices)
            values = {k: v for k, v in ev.data.items() if k in STEP_FIELDS}
            steps[sid] = Step(uid=sid, device=ev.device, recorded=ev.at, **values)
        elif ev.type == "step.corrected" and sid in steps:
            step = steps[sid]
            for key, value in ev.data.items():
                if key in STEP_FIELDS:
                    setattr(step, key, value)
            step.corrected = ev.at
        elif ev.type == "step.deleted":
            steps.pop(sid, None)
            deleted.add(sid)
    return steps


def _row_event(row: sqlite3.Row) -> Event:
    return Event(row["uid"], row["at"], row["type"], row["step_uid"], json.loads(row["data"]), row["device"])


def events(conn: sqlite3.Connection, *, types: Iterable[str] | None = None) -> list[Event]:
    sql = "SELECT uid, at, type, step_uid, data, device FROM journal_events"
    params: list[Any] = []
    wanted = list(types or [])
    if wanted:
        sql += f" WHERE type IN ({','.join('?' * len(wanted))})"
        params = wanted
    return [_row_event(r) for r in conn.execute(sql + " ORDER BY at, id", params)]


def subject_events(conn: sqlite3.Connection, subject: str) -> list[Event]:
    rows = conn.execute(
        "SELECT uid, at, type, step_uid, data, device FROM journal_events WHERE step_uid=? ORDER BY at, id",
        (subject,),
    )
    return [_row_event(r) for r in rows]


def _refresh(conn: sqlite3.Connection, step_uid: str) -> None:
    """Bring one row of the `steps` cache in line with the log."""
    step = replay(subject_events(conn, step_uid)).get(step_uid)
    if step is None:
        conn.execute("DELETE FROM steps WHERE uid=?", (step_uid,))
        return
    conn.execute(
        "INSERT INTO steps(uid, kind, at, day, ref, minutes, data) VALUES (?,?,?,?,?,?,?) "
        "ON CONFLICT(uid) DO UPDATE SET kind=excluded.kind, at=excluded.at, day=excluded.day, "
        "ref=excluded.ref, minutes=excluded.minutes, data=excluded.data",
        (step.uid, step.kind, step.at, step.day, step.ref, step.minutes, json.dumps(step.to_dict())),
    )


def rebuild(conn: sqlite3.Connection) -> int:
    """Regenerate the `steps` cache from the log (the log is the truth)."""
    with db.transaction(conn):
        conn.execute("DELETE FROM steps")
        current = replay(events(conn, types=STEP_EVENTS))
        for uid in current:
            _refresh(conn, uid)
    return len(current)


def append(
    conn: sqlite3.Connection,
    type_: str,
    subject: str | None,
    data: dict[str, Any],
    *,
    at: datetime | None = None,
    uid: str | None = None,
) -> Event:
    """Write one event (and refresh the cache of the step it concerns) atomically."""
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_}")
    ev = Event(uid or new_uid(), iso(at or utcnow()), type_, subject, data, device_id(conn))
    with db.transaction(conn):
        conn.execute(
            "INSERT INTO journal_events(uid, at, type, step_uid, data, device) VALUES (?,?,?,?,?,?)",
            (ev.uid, ev.at, ev.type, ev.step_uid, json.dumps(ev.data, ensure_ascii=False), ev.device),
        )
        if type_ in STEP_EVENTS and subject:
            _refresh(conn, subject)
    return ev


# ---------------------------------------------------------------- settings


def get_setting(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
    return None if row is None else str(row[0])


def put_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    with db.transaction(conn):
        if value is None:
            conn.execute("DELETE FROM settings WHERE key=?", (key,))
        else:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, value),
            )


def device_id(conn: sqlite3.Connection) -> str:
    """A stable name for this database, so merged logs tell where each event came from."""
    found = get_setting(conn, "device")
    if found:
        return found
    name = uuid.uuid4().hex[:12]
    conn.execute("INSERT OR IGNORE INTO settings(key, value) VALUES ('device', ?)", (name,))
    return get_setting(conn, "device") or name


# ---------------------------------------------------------------- steps

StepHook = Callable[[sqlite3.Connection, "Step"], None]
_STEP_HOOKS: list[StepHook] = []


def on_step_recorded(hook: StepHook) -> StepHook:
    """Register `hook(conn, step)`, called inside the transaction that adds or corrects a step (plans
    mark the passes a study step covers). The journal never imports its listeners."""
    if hook not in _STEP_HOOKS:
        _STEP_HOOKS.append(hook)
    return hook


def known_kinds(conn: sqlite3.Connection) -> list[str]:
    used = [r[0] for r in conn.execute("SELECT DISTINCT kind FROM steps ORDER BY kind")]
    custom = json.loads(get_setting(conn, "kinds") or "[]")
    return list(dict.fromkeys([*BUILTIN_KINDS, *custom, *used]))


def define_kind(conn: sqlite3.Connection, kind: str) -> None:
    kind = _check_kind_name(kind)
    custom = json.loads(get_setting(conn, "kinds") or "[]")
    if kind not in custom and kind not in BUILTIN_KINDS:
        put_setting(conn, "kinds", json.dumps([*custom, kind]))


def _check_kind_name(kind: str) -> str:
    kind = kind.strip().lower()
    if not kind or len(kind) > 32 or not all(c.isalnum() or c in "-_" for c in kind):
        raise MadregaError(
            f"'{kind}' is not a usable kind name: use letters, digits, '-' or '_' (at most 32)"
        )
    return kind


def _resolve_kind(conn: sqlite3.Connection, kind: str, new_kind: bool) -> str:
    kind = _check_kind_name(kind)
    kinds = known_kinds(conn)
    if kind in kinds:
        return kind
    if new_kind:
        define_kind(conn, kind)
        return kind
    close = difflib.get_close_matches(kind, kinds, n=3)
    raise MadregaError(
        f"unknown kind '{kind}' (known: {', '.join(kinds)}); to define a kind of your own, add it with --new-kind",
        suggestions=close,
    )


def _canonical_ref(text: str) -> str | None:
    from madrega.practice import cycles

    return cycles.canonical_ref(text)


def _day_fields(conn: sqlite3.Connection, moment: datetime) -> dict[str, str]:
    from madrega.practice import cycles

    day = cycles.hebrew_day(conn, moment)
    return {"day": day.isoformat(), "hebrew_date": cycles.hebrew_date_string(day)}


def _step_values(
    conn: sqlite3.Connection,
    *,
    ref: str | None = None,
    note: str | None = None,
    shared: bool | None = None,
    minutes: float | None = None,
    amount: float | None = None,
    currency: str | None = None,
    prayer: str | None = None,
    focus: str | None = None,
    lesson: str | None = None,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if ref is not None:
        text = ref.strip()
        canonical = _canonical_ref(text) if text else None
        values["ref"] = canonical
        values["what"] = None if canonical else (text or None)
    if note is not None:
        values["note"] = note
    if shared is not None:
        values["shared"] = bool(shared)
    if minutes is not None:
        if minutes < 0 or minutes > 24 * 60:
            raise MadregaError(f"{minutes:g} minutes is not a duration: give a number between 0 and 1440")
        values["minutes"] = round(float(minutes), 2)
    if amount is not None:
        if amount < 0:
            raise MadregaError("an amount of tzedakah cannot be negative")
        values["amount"] = float(amount)
    if currency is not None:
        code = currency.strip().upper()
        if not (len(code) == 3 and code.isalpha()):
            raise MadregaError(
                f"'{currency}' is not a currency code: use three letters such as ILS, USD, EUR"
            )
        values["currency"] = code
    if prayer is not None:
        name = prayer.strip().lower()
        if name not in PRAYERS:
            raise MadregaError(
                f"unknown prayer '{prayer}' (known: {', '.join(PRAYERS)})",
                suggestions=difflib.get_close_matches(name, PRAYERS, n=3),
            )
        values["prayer"] = name
    if focus is not None:
        values["focus"] = focus
    if lesson is not None:
        values["lesson"] = lesson
    return values


def add_step(
    conn: sqlite3.Connection,
    kind: str,
    *,
    ref: str | None = None,
    note: str | None = None,
    shared: bool = False,
    minutes: float | None = None,
    amount: float | None = None,
    currency: str | None = None,
    prayer: str | None = None,
    focus: str | None = None,
    lesson: str | None = None,
    at: datetime | None = None,
    new_kind: bool = False,
    timer: str | None = None,
    uid: str | None = None,
) -> Step:
    """Record one act. Returns only after the step is committed."""
    kind = _resolve_kind(conn, kind, new_kind)
    when = at or utcnow()
    if not FIRST_YEAR <= when.year <= LAST_YEAR:  # the calendar cannot lay a brick at year 9999
        raise MadregaError(f"a step's time is in the years {FIRST_YEAR}-{LAST_YEAR}, not {when.year}")
    if when.tzinfo is None:
        raise MadregaError("give the time with its zone, e.g. 2025-03-01T08:30:00+02:00")
    if kind == "tzedakah" and amount is not None and currency is None:
        currency = "ILS"
    data = _step_values(
        conn,
        ref=ref,
        note=note,
        shared=shared,
        minutes=minutes,
        amount=amount,
        currency=currency,
        prayer=prayer,
        focus=focus,
        lesson=lesson,
    )
    data.update(kind=kind, at=iso(when), timer=timer, **_day_fields(conn, when))
    step_uid = uid or new_uid()
    with db.transaction(conn):
        append(conn, "step.added", step_uid, data)
        step = get_step(conn, step_uid)
        for hook in _STEP_HOOKS:
            hook(conn, step)
    return step


def get_step(conn: sqlite3.Connection, uid: str) -> Step:
    """A step by its uid or by an unambiguous prefix of it (as the CLI shows them)."""
    rows = conn.execute(
        "SELECT data FROM steps WHERE uid=? OR uid LIKE ? LIMIT 3", (uid, uid + "%")
    ).fetchall()
    exact = [r for r in rows if json.loads(r[0])["uid"] == uid]
    if exact:
        rows = exact
    if not rows:
        raise NotFound(f"no step with id '{uid}'", remedy=errors.LIST_STEPS)
    if len(rows) > 1:
        raise MadregaError(
            f"'{uid}' names more than one step: give more of its id",
            suggestions=[json.loads(r[0])["uid"] for r in rows],
        )
    return _step_from_json(rows[0][0])


def _step_from_json(text: str) -> Step:
    values = json.loads(text)
    known = {f.name for f in fields(Step)}
    return Step(**{k: v for k, v in values.items() if k in known})


def correct_step(
    conn: sqlite3.Connection,
    uid: str,
    *,
    at: datetime | None = None,
    only_changed: bool = False,
    **changes: Any,
) -> Step:
    """Record a correction: the step shows the new values, the log keeps the old ones.

    `only_changed` keeps just the values that differ from the step's (a form sends every field back);
    a correction that changes nothing is then the mistake to report."""
    step = get_step(conn, uid)
    value_keys = ("ref", "note", "shared", "minutes", "amount", "currency", "prayer", "focus", "lesson")
    unknown = set(changes) - {*value_keys, "kind", "new_kind"}
    if unknown:
        raise MadregaError(f"cannot correct {', '.join(sorted(unknown))}")
    data = _step_values(conn, **{k: v for k, v in changes.items() if k in value_keys and v is not None})
    if changes.get("kind"):
        data["kind"] = _resolve_kind(conn, str(changes["kind"]), bool(changes.get("new_kind")))
    if at is not None:
        if at.tzinfo is None:
            raise MadregaError("give the time with its zone, e.g. 2025-03-01T08:30:00+02:00")
        data.update(at=iso(at), **_day_fields(conn, at))
    if only_changed:
        current = step.to_dict()
        data = {k: v for k, v in data.items() if current.get(k) != v}
    if not data:
        raise MadregaError("nothing to correct: give at least one new value (e.g. --note, --minutes, --at)")
    with db.transaction(conn):
        append(conn, "step.corrected", step.uid, data)
        fresh = get_step(conn, step.uid)
        for hook in _STEP_HOOKS:
            hook(conn, fresh)
    return fresh


def delete_step(conn: sqlite3.Connection, uid: str) -> Step:
    """Hide a step: a `step.deleted` event; the log still holds what it was."""
    step = get_step(conn, uid)
    append(conn, "step.deleted", step.uid, {})
    return step


def list_steps(
    conn: sqlite3.Connection,
    *,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[Step]:
    """Current steps in time order; `since`/`until` are days (YYYY-MM-DD, by the Hebrew day)."""
    sql = "SELECT data FROM steps WHERE 1=1"
    params: list[Any] = []
    if kind:
        sql += " AND kind=?"
        params.append(kind)
    if since:
        sql += " AND day>=?"
        params.append(since)
    if until:
        sql += " AND day<=?"
        params.append(until)
    sql += " ORDER BY at, uid"
    rows = conn.execute(sql, params).fetchall()
    if limit is not None:
        rows = rows[-limit:]
    return [_step_from_json(r[0]) for r in rows]


# ---------------------------------------------------------------- timers


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
    """Timers started and not yet stopped, with the time each was last known alive."""
    timers: dict[str, Timer] = {}
    for ev in events(conn, types=TIMER_EVENTS):
        sid = ev.step_uid or ""
        if ev.type == "timer.started":
            timers[sid] = Timer(
                sid,
                str(ev.data.get("kind", "hitbodedut")),
                str(ev.data.get("started", ev.at)),
                ev.data.get("planned_minutes"),
                bool(ev.data.get("foreground", False)),
                str(ev.data.get("started", ev.at)),
            )
        elif ev.type == "timer.heartbeat" and sid in timers:
            t = timers[sid]
            timers[sid] = Timer(t.uid, t.kind, t.started, t.planned_minutes, t.foreground, ev.at)
        elif ev.type == "timer.stopped":
            timers.pop(sid, None)
    return list(timers.values())


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
    kind = _resolve_kind(conn, kind, False)
    running = [t for t in open_timers(conn) if t.kind == kind]
    if running:
        raise MadregaError(
            f"a {kind} timer is already running since {running[0].started}: stop it first",
            remedy=errors.STOP_TIMER,
            subject=kind,
        )
    uid = new_uid()
    data = {"kind": kind, "started": iso(now), "planned_minutes": planned_minutes, "foreground": foreground}
    append(conn, "timer.started", uid, data, at=now)
    return Timer(uid, kind, iso(now), planned_minutes, foreground, iso(now))


def heartbeat(conn: sqlite3.Connection, timer_uid: str, *, now: datetime | None = None) -> None:
    append(conn, "timer.heartbeat", timer_uid, {}, at=now or utcnow())


def _find_timer(conn: sqlite3.Connection, timer_uid: str | None, kind: str) -> Timer:
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
    timer = _find_timer(conn, timer_uid, kind)
    end = ended or now
    minutes = timer.elapsed_minutes(end)
    if timer.planned_minutes is not None:
        minutes = min(minutes, float(timer.planned_minutes))
    minutes = round(minutes, 2)
    with db.transaction(conn):
        append(
            conn,
            "timer.stopped",
            timer.uid,
            {"ended": iso(end), "minutes": minutes, "reason": reason},
            at=now,
        )
        if minutes <= 0:
            return None
        return add_step(
            conn,
            timer.kind,
            minutes=minutes,
            note=note,
            at=parse_iso(timer.started),
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


# ---------------------------------------------------------------- export / import / backup

CSV_COLUMNS = (
    "uid",
    "kind",
    "at",
    "day",
    "hebrew_date",
    "ref",
    "what",
    "minutes",
    "amount",
    "currency",
    "prayer",
    "focus",
    "lesson",
    "note",
    "shared",
)


def export_jsonl(conn: sqlite3.Connection) -> Iterator[str]:
    for ev in events(conn):
        yield ev.to_json() + "\n"


def export_csv(conn: sqlite3.Connection) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for step in list_steps(conn):
        row = step.to_dict()
        row["shared"] = "true" if step.shared else "false"
        writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in CSV_COLUMNS})
    return out.getvalue()


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def import_file(conn: sqlite3.Connection, path: Path) -> ImportResult:
    """Merge an export into this journal; what is already here is skipped, so twice is once."""
    if not path.exists():
        raise NotFound(f"no file at {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MadregaError(f"{path} is not UTF-8 text (byte {exc.start}): nothing was imported") from None
    if path.suffix.lower() == ".csv" or text.startswith("uid,kind,"):
        parsed = _events_from_csv(conn, text, path)
    else:
        parsed = _events_from_jsonl(text, path)
    added = 0
    with db.transaction(conn):
        for ev in parsed:
            cur = conn.execute(
                "INSERT OR IGNORE INTO journal_events(uid, at, type, step_uid, data, device) VALUES (?,?,?,?,?,?)",
                (ev.uid, ev.at, ev.type, ev.step_uid, json.dumps(ev.data, ensure_ascii=False), ev.device),
            )
            added += cur.rowcount
        for subject in {ev.step_uid for ev in parsed if ev.type in STEP_EVENTS and ev.step_uid}:
            _refresh(conn, subject)
    return ImportResult(added, len(parsed) - added)


def _events_from_jsonl(text: str, path: Path) -> list[Event]:
    out: list[Event] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            ev = Event(
                str(raw["uid"]),
                str(raw["at"]),
                str(raw["type"]),
                raw.get("step_uid"),
                dict(raw["data"]),
                raw.get("device"),
            )
            parse_iso(ev.at)
        except (ValueError, KeyError, TypeError) as exc:
            raise MadregaError(f"{path}:{number}: not a journal event ({exc}); nothing was imported") from exc
        if ev.type not in EVENT_TYPES:
            raise MadregaError(f"{path}:{number}: unknown event type '{ev.type}'; nothing was imported")
        out.append(ev)
    return out


def _events_from_csv(conn: sqlite3.Connection, text: str, path: Path) -> list[Event]:
    """Each row becomes a `step.added` whose event uid derives from the step uid (so re-import dedupes)."""
    out: list[Event] = []
    device = device_id(conn)
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            uid = row["uid"] or new_uid()
            at = iso(parse_iso(row["at"]))
            data: dict[str, Any] = {"kind": _check_kind_name(row["kind"]), "at": at}
            for key in ("day", "hebrew_date", "ref", "what", "currency", "prayer", "focus", "lesson", "note"):
                if row.get(key):
                    data[key] = row[key]
            for key in ("minutes", "amount"):
                if row.get(key):
                    data[key] = float(row[key])
            data["shared"] = (row.get("shared") or "").strip().lower() in ("true", "1", "yes")
            if "day" not in data or "hebrew_date" not in data:
                data.update(_day_fields(conn, parse_iso(at)))
        except (ValueError, KeyError, MadregaError) as exc:
            raise MadregaError(f"{path}:{number}: not a step row ({exc}); nothing was imported") from exc
        event_uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"madrega-csv-step:{uid}"))
        out.append(Event(event_uid, at, "step.added", uid, data, device))
    return out


def default_backup_path(conn: sqlite3.Connection) -> Path:
    row = conn.execute("PRAGMA database_list").fetchone()
    base = Path(row["file"]).parent if row and row["file"] else db.default_path().parent
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return base / "backups" / f"madrega-{stamp}.sqlite"


def backup(conn: sqlite3.Connection, dest: Path | None = None) -> Path:
    """A consistent copy of the whole database while it is in use (SQLite's online backup)."""
    target_path = dest or default_backup_path(conn)
    if target_path.is_dir():
        target_path = target_path / default_backup_path(conn).name
    target_path.parent.mkdir(parents=True, exist_ok=True)
    if target_path.exists():
        raise MadregaError(f"{target_path} already exists: choose another path")
    target = sqlite3.connect(str(target_path))
    try:
        conn.backup(target)
    finally:
        target.close()
    return target_path
