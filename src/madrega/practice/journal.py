"""The practice journal: an append-only log of events whose replay is the list of steps.

Nothing is ever updated or deleted in `journal_events`: a correction or a deletion is a new
event that hides the old one, so two devices can merge their logs by event uid and arrive at
the same steps. The `steps` table is a cache of the replay kept in the same transaction.

Every event is checked against the one schema (`practice.events`) before it is written, and
again when the log is replayed: an event an older madrega let in with a wrong-typed field is
skipped with a warning, never a crash. Journal transactions commit with `synchronous=FULL`, so
a step that was acknowledged survives a power cut, not only a killed process.
"""

from __future__ import annotations

import difflib
import json
import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from madrega import db, errors
from madrega.errors import MadregaError, NotFound
from madrega.practice import calendar
from madrega.practice.events import (
    EVENT_TYPES,
    FIRST_YEAR,
    LAST_YEAR,
    PLAN_EVENTS,
    SKIP_EVENTS,
    STEP_EVENTS,
    TIMER_EVENTS,
    Event,
    InvalidEvent,
    validate,
)
from madrega.practice.settings import get_setting, put_setting

__all__ = [
    "EVENT_TYPES",
    "PLAN_EVENTS",
    "SKIP_EVENTS",
    "STEP_EVENTS",
    "TIMER_EVENTS",
    "Event",
    "Skip",
    "Step",
    "StepPage",
    "get_setting",
    "put_setting",
]

logger = logging.getLogger("madrega.journal")

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

# Pages of steps in time order, overall and per kind, without a sort; the building's bricks (kind and
# day in time order) and the totals per kind (minutes) read from indexes alone.
SCHEMA_V2 = """
CREATE INDEX steps_order ON steps(at, uid, kind, day);
CREATE INDEX steps_kind_order ON steps(kind, at, uid);
CREATE INDEX steps_kind_minutes ON steps(kind, day, minutes);
CREATE INDEX steps_day_order ON steps(day, at, uid);
"""


def _rebuild_cache(conn: sqlite3.Connection) -> None:
    """Migration 3: replay the log through the schema, so a cache row made from a bad event an older
    madrega accepted (`minutes: "ten"`) is gone, and every step gains its civil date."""
    _rebuild_in_transaction(conn)


db.register("journal", [SCHEMA_V1, SCHEMA_V2, _rebuild_cache])

BUILTIN_KINDS = ("study", "prayer", "hitbodedut", "kindness", "tzedakah", "mitzvah")
PRAYERS = ("shacharit", "mincha", "maariv", "musaf", "neilah", "bedtime-shema", "tehillim", "other")
DEFAULT_PAGE = 50
MAX_PAGE = 10_000
MAX_SKIP_DAYS = 366


def utcnow() -> datetime:
    return calendar.SYSTEM_CLOCK.now()


def iso(moment: datetime) -> str:
    """UTC ISO with microseconds: sorts as text in time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time without a zone: {text}")
    return moment.astimezone(UTC)


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One journal transaction, durable against power loss: it commits with `synchronous=FULL`
    (SQLite's WAL default, NORMAL, survives a killed process but may lose the last commits to a
    power cut). Inside an outer transaction it is a savepoint of that one."""
    if conn.in_transaction:
        with db.transaction(conn):
            yield conn
        return
    before = int(conn.execute("PRAGMA synchronous").fetchone()[0])
    conn.execute("PRAGMA synchronous=FULL")
    try:
        with db.transaction(conn):
            yield conn
    finally:
        conn.execute(f"PRAGMA synchronous={before}")


# ---------------------------------------------------------------- steps


@dataclass
class Step:
    uid: str
    kind: str
    at: str
    day: str
    hebrew_date: str
    civil_date: str | None = None
    local_time: str | None = None
    zone: str | None = None
    late: bool = False
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
        return summary_of(self.__dict__)

    def when(self, *, year: bool = True) -> str:
        """Both dates, readably: 'Tuesday evening, 1 Dec 2026 · 22 Kislev 5787'."""
        day = date.fromisoformat(self.day)
        civil = date.fromisoformat(self.civil_date) if self.civil_date else day
        text = calendar.when_words(day, civil, israel=True, year=year)
        return text + " (recorded after)" if self.late else text

    def values(self) -> dict[str, Any]:
        """The fields as a dict (shallow: `dataclasses.asdict` deep-copies, too slow for a replay)."""
        out = {name: getattr(self, name) for name in _STEP_NAMES}
        out["extra"] = dict(self.extra)
        return out

    def to_dict(self) -> dict[str, Any]:
        out = self.values()
        out["when"] = self.when()
        out["hebrew_date_en"] = calendar.hebrew_date_english(date.fromisoformat(self.day))
        return out


def summary_of(values: dict[str, Any]) -> str:
    """A step's one line from its stored values (the building reads thousands without making Steps)."""
    parts = [str(values["kind"])]
    if values.get("prayer"):
        parts.append(str(values["prayer"]))
    if values.get("ref") or values.get("what"):
        parts.append(str(values.get("ref") or values.get("what")))
    if values.get("minutes"):
        parts.append(f"{values['minutes']:g} min")
    if values.get("amount") is not None:
        parts.append(f"{values['amount']:g} {values.get('currency') or ''}".strip())
    if values.get("focus"):
        parts.append(f"({values['focus']})")
    return " · ".join(parts)


# Fields a `step.added` or `step.corrected` event may carry.
_STEP_NAMES = tuple(f.name for f in fields(Step))
STEP_FIELDS = tuple(name for name in _STEP_NAMES if name not in ("uid", "device", "recorded", "corrected"))
_STEP_FIELD_SET = frozenset(_STEP_NAMES)
MOMENT_FIELDS = ("day", "hebrew_date", "civil_date", "local_time", "zone", "late")

StepHook = Callable[[sqlite3.Connection, Step], None]
_STEP_HOOKS: list[StepHook] = []


def on_step_recorded(hook: StepHook) -> StepHook:
    """Register `hook(conn, step)`, called inside the transaction that adds or corrects a step (plans
    mark the portions a study step covers). The journal never imports its listeners."""
    if hook not in _STEP_HOOKS:
        _STEP_HOOKS.append(hook)
    return hook


def new_uid() -> str:
    return str(uuid.uuid4())


# ---------------------------------------------------------------- replay


def replay(log: Iterable[Event], problems: list[str] | None = None) -> dict[str, Step]:
    """The current steps: apply the log in order; later corrections win, deletions hide.

    An event that does not fit the schema is skipped (and described in `problems`, and logged)."""
    steps: dict[str, Step] = {}
    deleted: set[str] = set()
    for ev in log:
        sid = ev.step_uid
        if sid is None or ev.type not in STEP_EVENTS:
            continue
        if not _valid(ev, problems):
            continue
        if ev.type == "step.added":
            if sid in steps or sid in deleted:
                continue  # the same step recorded twice (e.g. a timer recovered on two devices)
            values = {k: v for k, v in ev.data.items() if k in STEP_FIELDS and v is not None}
            if "hebrew_date" not in values:
                values["hebrew_date"] = calendar.hebrew_date_string(date.fromisoformat(values["day"]))
            steps[sid] = Step(uid=sid, device=ev.device, recorded=ev.at, **values)
        elif ev.type == "step.corrected" and sid in steps:
            step = steps[sid]
            for key, value in ev.data.items():
                if key in STEP_FIELDS and not (
                    value is None and key in ("kind", "at", "day", "hebrew_date", "late")
                ):
                    setattr(step, key, value)
            step.corrected = ev.at
        elif ev.type == "step.deleted":
            steps.pop(sid, None)
            deleted.add(sid)
    return steps


def _valid(ev: Event, problems: list[str] | None) -> bool:
    try:
        validate(ev, where=f"event {ev.uid[:40]!r}")
    except InvalidEvent as exc:
        message = f"skipped a bad event in the journal: {exc.message}"
        logger.warning(message)
        if problems is not None:
            problems.append(message)
        return False
    if ev.type == "step.added" and "day" not in ev.data:
        message = f"skipped a bad event in the journal: event {ev.uid[:40]!r}: field data.day: is missing"
        logger.warning(message)
        if problems is not None:
            problems.append(message)
        return False
    return True


def _row_event(row: sqlite3.Row) -> Event | None:
    try:
        data = json.loads(row["data"])
    except (ValueError, TypeError, RecursionError):
        logger.warning("skipped an event whose data is not JSON (uid %r)", str(row["uid"])[:40])
        return None
    if not isinstance(data, dict):
        data = {"_not_an_object": data}  # validation names it
    return Event(row["uid"], row["at"], row["type"], row["step_uid"], data, row["device"])


def events(
    conn: sqlite3.Connection, *, types: Iterable[str] | None = None, check: bool = True
) -> list[Event]:
    """The log in time order; with `check`, only the events that fit the schema (others are skipped
    with a warning: see `bad_events`)."""
    sql = "SELECT uid, at, type, step_uid, data, device FROM journal_events"
    params: list[Any] = []
    wanted = list(types or [])
    if wanted:
        sql += f" WHERE type IN ({','.join('?' * len(wanted))})"
        params = wanted
    out = []
    for row in conn.execute(sql + " ORDER BY at, id", params):
        ev = _row_event(row)
        if ev is not None and (not check or _valid(ev, None)):
            out.append(ev)
    return out


def bad_events(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with each stored event that does not fit the schema (they are skipped on replay)."""
    problems: list[str] = []
    for row in conn.execute("SELECT uid, at, type, step_uid, data, device FROM journal_events ORDER BY id"):
        ev = _row_event(row)
        if ev is None:
            problems.append(f"event {str(row['uid'])[:40]!r}: field data: is not JSON")
            continue
        try:
            validate(ev, where=f"event {ev.uid[:40]!r}")
        except InvalidEvent as exc:
            problems.append(exc.message)
    return problems


def subject_events(conn: sqlite3.Connection, subject: str) -> list[Event]:
    rows = conn.execute(
        "SELECT uid, at, type, step_uid, data, device FROM journal_events WHERE step_uid=? ORDER BY at, id",
        (subject,),
    )
    return [ev for ev in map(_row_event, rows) if ev is not None and _valid(ev, None)]


def _refresh(conn: sqlite3.Connection, step_uid: str, where: calendar.Place | None = None) -> None:
    """Bring one row of the `steps` cache in line with the log."""
    step = replay(subject_events(conn, step_uid)).get(step_uid)
    if step is None:
        conn.execute("DELETE FROM steps WHERE uid=?", (step_uid,))
        return
    _store(conn, step, where)


def _store(conn: sqlite3.Connection, step: Step, where: calendar.Place | None) -> None:
    if step.civil_date is None:  # recorded by an older madrega: the civil date of its moment, here
        found = calendar.moment(where or calendar.place(conn), parse_iso(step.at))
        step.civil_date = found.civil_date.isoformat()
        step.local_time = found.local.strftime("%H:%M")
    values = step.values()
    conn.execute(
        "INSERT INTO steps(uid, kind, at, day, ref, minutes, data) VALUES (?,?,?,?,?,?,?) "
        "ON CONFLICT(uid) DO UPDATE SET kind=excluded.kind, at=excluded.at, day=excluded.day, "
        "ref=excluded.ref, minutes=excluded.minutes, data=excluded.data",
        (
            step.uid,
            step.kind,
            step.at,
            step.day,
            step.ref,
            step.minutes,
            json.dumps(values, ensure_ascii=False),
        ),
    )


def rebuild(conn: sqlite3.Connection, problems: list[str] | None = None) -> int:
    """Regenerate the `steps` cache from the log (the log is the truth); bad events are skipped."""
    with write(conn):
        return _rebuild_in_transaction(conn, problems)


def _rebuild_in_transaction(conn: sqlite3.Connection, problems: list[str] | None = None) -> int:
    conn.execute("DELETE FROM steps")
    current = replay(events(conn, types=STEP_EVENTS, check=False), problems)
    where = calendar.place(conn)
    for step in current.values():
        _store(conn, step, where)
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
    """Write one event (and refresh the cache of the step it concerns) atomically and durably.

    The event is checked against the schema first: a core function that builds a wrong one is a
    bug, reported as a clear error, never a poisoned log."""
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_}")
    ev = validate(Event(uid or new_uid(), iso(at or utcnow()), type_, subject, dict(data), device_id(conn)))
    with write(conn):
        conn.execute(
            "INSERT INTO journal_events(uid, at, type, step_uid, data, device) VALUES (?,?,?,?,?,?)",
            (ev.uid, ev.at, ev.type, ev.step_uid, json.dumps(ev.data, ensure_ascii=False), ev.device),
        )
        if type_ in STEP_EVENTS and subject:
            _refresh(conn, subject)
    return ev


def insert_events(conn: sqlite3.Connection, checked: list[Event]) -> int:
    """Merge events that passed `events.validate` (an import, a sync) in one durable transaction;
    those already here (same uid) are skipped. Returns how many were new."""
    return len(merge_events(conn, checked))


def merge_events(conn: sqlite3.Connection, checked: list[Event]) -> set[int]:
    """`insert_events`, saying which rows are new (their ids in the log: a sync moves its marks by them)."""
    added: set[int] = set()
    with write(conn):
        for ev in checked:
            cur = conn.execute(
                "INSERT OR IGNORE INTO journal_events(uid, at, type, step_uid, data, device) VALUES (?,?,?,?,?,?)",
                (ev.uid, ev.at, ev.type, ev.step_uid, json.dumps(ev.data, ensure_ascii=False), ev.device),
            )
            if cur.rowcount == 1 and cur.lastrowid is not None:
                added.add(int(cur.lastrowid))
        where = calendar.place(conn)
        for subject in {ev.step_uid for ev in checked if ev.type in STEP_EVENTS and ev.step_uid}:
            step = replay(subject_events(conn, subject)).get(subject)
            if step is None:
                conn.execute("DELETE FROM steps WHERE uid=?", (subject,))
            else:
                _store(conn, step, where)
    return added


# ---------------------------------------------------------------- settings and kinds


def device_id(conn: sqlite3.Connection) -> str:
    """A stable name for this database, so merged logs tell where each event came from."""
    found = get_setting(conn, "device")
    if found:
        return found
    name = uuid.uuid4().hex[:12]
    conn.execute("INSERT OR IGNORE INTO settings(key, value) VALUES ('device', ?)", (name,))
    return get_setting(conn, "device") or name


def known_kinds(conn: sqlite3.Connection) -> list[str]:
    used = [r[0] for r in conn.execute("SELECT DISTINCT kind FROM steps ORDER BY kind")]
    custom = json.loads(get_setting(conn, "kinds") or "[]")
    return list(dict.fromkeys([*BUILTIN_KINDS, *custom, *used]))


def define_kind(conn: sqlite3.Connection, kind: str) -> None:
    kind = check_kind_name(kind)
    custom = json.loads(get_setting(conn, "kinds") or "[]")
    if kind not in custom and kind not in BUILTIN_KINDS:
        put_setting(conn, "kinds", json.dumps([*custom, kind]))


def check_kind_name(kind: str) -> str:
    kind = kind.strip().lower()
    if not kind or len(kind) > 32 or not all(c.isalnum() or c in "-_" for c in kind) or kind[0] in "-_":
        raise MadregaError(
            f"'{shown(kind)}' is not a usable kind name: use letters, digits, '-' or '_' (at most 32)"
        )
    return kind


def resolve_kind(conn: sqlite3.Connection, kind: str, new_kind: bool = False) -> str:
    kind = check_kind_name(kind)
    kinds = known_kinds(conn)
    if kind in kinds:
        return kind
    if new_kind:
        define_kind(conn, kind)
        return kind
    close = difflib.get_close_matches(kind, kinds, n=3)
    raise MadregaError(
        f"unknown kind '{kind}' (known: {', '.join(kinds)}); to define a kind of your own, add it as a new kind",
        suggestions=close,
    )


def _canonical_ref(text: str) -> str | None:
    """Sefaria's form of a ref the user typed, or None when it is not one (free text)."""
    from madrega import refs

    try:
        return str(refs.parse(text.strip()))
    except MadregaError:
        return None


def moment_fields(conn: sqlite3.Connection, at: datetime) -> dict[str, Any]:
    """What a step records about its moment: the Hebrew day by nightfall and the civil date and time
    in the user's zone."""
    where = calendar.place(conn)
    return calendar.moment(where, at).fields(where.zone_name)


def _late_fields(conn: sqlite3.Connection, day: date, now: datetime) -> dict[str, Any]:
    """A step recorded afterwards for a past Hebrew day ("I learned on Shabbat"): it lands on that day."""
    where = calendar.place(conn)
    today = calendar.hebrew_day_at(where, now)
    if day > today:
        raise MadregaError(
            f"{calendar.when_words(day)} has not come yet: a step is recorded for today or a day that has passed"
        )
    if day == today:
        return moment_fields(conn, now)
    return {
        "day": day.isoformat(),
        "hebrew_date": calendar.hebrew_date_string(day),
        "civil_date": day.isoformat(),
        "local_time": None,
        "zone": where.zone_name,
        "late": True,
    }


def _step_values(
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
        if not 0 <= minutes <= 24 * 60:
            raise MadregaError(f"{minutes:g} minutes is not a duration: give a number between 0 and 1440")
        values["minutes"] = round(float(minutes), 2)
    if amount is not None:
        if amount < 0:
            raise MadregaError("an amount of tzedakah cannot be negative")
        if not amount <= 1e12:
            raise MadregaError(f"{amount:g} is not an amount madrega can keep (at most 1,000,000,000,000)")
        values["amount"] = float(amount)
    if currency is not None:
        code = currency.strip().upper()
        if not (len(code) == 3 and code.isascii() and code.isalpha()):
            raise MadregaError(
                f"'{shown(currency, 20)}' is not a currency code: use three letters such as ILS, USD, EUR"
            )
        values["currency"] = code
    if prayer is not None:
        name = prayer.strip().lower()
        if name not in PRAYERS:
            raise MadregaError(
                f"unknown prayer '{shown(prayer)}' (known: {', '.join(PRAYERS)})",
                suggestions=difflib.get_close_matches(name, PRAYERS, n=3),
            )
        values["prayer"] = name
    if focus is not None:
        values["focus"] = focus
    if lesson is not None:
        values["lesson"] = lesson
    return values


def _in_range(moment: datetime) -> bool:
    try:
        return FIRST_YEAR <= moment.astimezone(UTC).year <= LAST_YEAR
    except (OverflowError, ValueError):  # 0001-01-01 in a zone east of UTC has no UTC moment
        return False


def _checked(data: dict[str, Any], type_: str) -> dict[str, Any]:
    """A user's values as a valid event's data: a note with a NUL or 30,000 characters is the user's
    mistake, said clearly (the schema would refuse it as a bug otherwise)."""
    try:
        validate(
            {"uid": "check", "at": "2000-01-01T00:00:00Z", "type": type_, "step_uid": "check", "data": data}
        )
    except InvalidEvent as exc:
        name = (exc.field or "").removeprefix("data.")
        raise MadregaError(f"the {name or 'step'} cannot be recorded: {exc.why}") from None
    return data


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
    day: date | None = None,
    now: datetime | None = None,
    new_kind: bool = False,
    timer: str | None = None,
    uid: str | None = None,
) -> Step:
    """Record one act. Returns only after the step is committed (durably).

    `at` is when it happened (default `now`, the clock's moment). `day` records it afterwards for a
    past Hebrew day — after Havdalah, "I learned on Shabbat" — and the step lands on that day."""
    kind = resolve_kind(conn, kind, new_kind)
    current = now or utcnow()
    when = at or current
    if when.tzinfo is None or current.tzinfo is None:
        raise MadregaError("give the time with its zone, e.g. 2025-03-01T08:30:00+02:00")
    if kind == "tzedakah" and amount is not None and currency is None:
        currency = "ILS"
    data = _step_values(
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
    if not _in_range(when):
        raise MadregaError(f"{when.isoformat()} is not a time madrega can record a step at (years 1900-2199)")
    moment = _late_fields(conn, day, current) if day is not None else moment_fields(conn, when)
    data.update(kind=kind, at=iso(when), timer=timer, **moment)
    _checked(data, "step.added")
    step_uid = uid or new_uid()
    with write(conn):
        append(conn, "step.added", step_uid, data, at=current)
        step = get_step(conn, step_uid)
        for hook in _STEP_HOOKS:
            hook(conn, step)
    return step


def shown(text: str, limit: int = 40) -> str:
    """User text as an error message can print it (a lone surrogate or NUL escaped, long text cut)."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return cut.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\0")


def _usable_id(uid: str) -> bool:
    return (
        bool(uid) and len(uid) <= 64 and uid.isprintable() and uid == uid.encode("utf-8", "ignore").decode()
    )


def get_step(conn: sqlite3.Connection, uid: str) -> Step:
    """A step by its uid or by an unambiguous prefix of it (as the lists show them)."""
    if not _usable_id(uid):
        raise NotFound(f"no step with id '{shown(uid, 64)}'")
    row = conn.execute("SELECT uid, data FROM steps WHERE uid=?", (uid,)).fetchone()
    # a prefix (as the lists show ids) is a range of the primary key's index, not a scan
    rows = (
        [row]
        if row
        else conn.execute(
            "SELECT uid, data FROM steps WHERE uid >= ? AND uid < ? ORDER BY uid LIMIT 3",
            (uid, uid + "\uffff"),
        ).fetchall()
    )
    if not rows:
        raise NotFound(f"no step with id '{uid}'", remedy=errors.LIST_STEPS)
    if len(rows) > 1:
        raise MadregaError(
            f"'{uid}' names more than one step: give more of its id",
            suggestions=[r[0] for r in rows],
        )
    return _step_from_json(rows[0][1])


def _step_from_json(text: str) -> Step:
    values = json.loads(text)
    return Step(**{k: v for k, v in values.items() if k in _STEP_FIELD_SET})


CORRECTABLE = ("ref", "note", "shared", "minutes", "amount", "currency", "prayer", "focus", "lesson")


def correct_step(
    conn: sqlite3.Connection,
    uid: str,
    *,
    at: datetime | None = None,
    day: date | None = None,
    now: datetime | None = None,
    only_changed: bool = False,
    **changes: Any,
) -> Step:
    """Record a correction: the step shows the new values, the log keeps the old ones.

    `only_changed` keeps just the values that differ from the step's (a form sends every field back);
    a correction that changes nothing is then the mistake to report."""
    step = get_step(conn, uid)
    unknown = set(changes) - {*CORRECTABLE, "kind", "new_kind"}
    if unknown:
        raise MadregaError(f"cannot correct {', '.join(sorted(unknown))}")
    data = _step_values(**{k: v for k, v in changes.items() if k in CORRECTABLE and v is not None})
    if changes.get("kind"):
        data["kind"] = resolve_kind(conn, str(changes["kind"]), bool(changes.get("new_kind")))
    current = now or utcnow()
    if at is not None:
        if at.tzinfo is None:
            raise MadregaError("give the time with its zone, e.g. 2025-03-01T08:30:00+02:00")
        if not _in_range(at):
            raise MadregaError(f"{at.isoformat()} is not a time madrega can record a step at")
        data.update(at=iso(at), late=False, **moment_fields(conn, at))
    if day is not None:
        data.update(_late_fields(conn, day, current))
    if only_changed:
        before = step.to_dict()
        data = {k: v for k, v in data.items() if before.get(k) != v}
    if not data:
        raise MadregaError("nothing to correct: give at least one new value (a note, minutes, the time…)")
    _checked(data, "step.corrected")
    with write(conn):
        append(conn, "step.corrected", step.uid, data, at=current)
        fresh = get_step(conn, step.uid)
        for hook in _STEP_HOOKS:
            hook(conn, fresh)
    return fresh


def delete_step(conn: sqlite3.Connection, uid: str, *, now: datetime | None = None) -> Step:
    """Hide a step: a `step.deleted` event; the log still holds what it was."""
    step = get_step(conn, uid)
    append(conn, "step.deleted", step.uid, {}, at=now)
    return step


# ---------------------------------------------------------------- lists and pages


@dataclass(frozen=True)
class StepPage:
    """One page of steps, counted from the newest: page 0 holds the latest `limit` steps. The steps
    of a page are in time order (oldest first), as a diary reads."""

    steps: list[Step]
    total: int
    offset: int
    limit: int

    @property
    def first(self) -> int:
        """1-based position (from the oldest) of the page's first step."""
        return self.total - self.offset - len(self.steps) + 1 if self.steps else 0

    @property
    def last(self) -> int:
        return self.total - self.offset if self.steps else 0

    @property
    def earlier_offset(self) -> int | None:
        """The offset of the page of older steps, if there is one."""
        return self.offset + len(self.steps) if self.first > 1 else None

    @property
    def later_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None

    @property
    def before(self) -> str | None:
        """The cursor for the older page: the uid of this page's oldest step."""
        return self.steps[0].uid if self.steps and self.first > 1 else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "steps": [s.to_dict() for s in self.steps],
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "earlier_offset": self.earlier_offset,
            "before": self.before,
        }


def _filters(kind: str | None, since: str | None, until: str | None) -> tuple[str, list[Any]]:
    sql, params = "", []
    if kind:
        sql += " AND kind=?"
        params.append(kind)
    for value, op in ((since, ">="), (until, "<=")):
        if value is None:
            continue
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            raise MadregaError(f"'{shown(str(value))}' is not a day: use YYYY-MM-DD") from None
        sql += f" AND day{op}?"
        params.append(value)
    return sql, params


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise MadregaError(f"a page holds 1 to {MAX_PAGE:,} steps, not {limit:,}" if abs(limit) < 10**15 else
                           f"a page holds 1 to {MAX_PAGE:,} steps")  # fmt: skip
    if not 0 <= offset <= 2**62:
        raise MadregaError("the offset counts steps back from the newest: give 0 or more")


def page_steps(
    conn: sqlite3.Connection,
    *,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = DEFAULT_PAGE,
    offset: int = 0,
    before: str | None = None,
) -> StepPage:
    """A page of steps: the newest `limit` after skipping `offset` newer ones, or (cursor) the
    `limit` steps just before the step `before`. Uses the (at, uid) index: a page costs the same
    at step 10 and step 100,000."""
    _check_page(limit, offset)
    where, params = _filters(kind, since, until)
    total = int(conn.execute(f"SELECT COUNT(*) FROM steps WHERE 1=1{where}", params).fetchone()[0])
    page_where, page_params, newer = where, list(params), 0
    if before is not None:
        anchor = get_step(conn, before)
        page_where += " AND (at, uid) < (?, ?)"  # a row value: SQLite seeks the (at, uid) index
        page_params += [anchor.at, anchor.uid]
        newer = int(
            conn.execute(
                f"SELECT COUNT(*) FROM steps WHERE 1=1{where} AND (at, uid) >= (?, ?)",
                [*params, anchor.at, anchor.uid],
            ).fetchone()[0]
        )
    rows = conn.execute(
        f"SELECT data FROM steps WHERE 1=1{page_where} ORDER BY at DESC, uid DESC LIMIT ? OFFSET ?",
        [*page_params, limit, offset],
    ).fetchall()
    steps = [_step_from_json(r[0]) for r in reversed(rows)]
    return StepPage(steps, total, newer + offset, limit)


def list_steps(
    conn: sqlite3.Connection,
    *,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Step]:
    """Current steps in time order; `since`/`until` are days (YYYY-MM-DD, by the Hebrew day). With
    `limit`, only the newest `limit` (after skipping `offset` newer ones): a page."""
    if limit is not None or offset:
        return page_steps(
            conn, kind=kind, since=since, until=until, limit=limit or DEFAULT_PAGE, offset=offset
        ).steps
    where, params = _filters(kind, since, until)
    rows = conn.execute(f"SELECT data FROM steps WHERE 1=1{where} ORDER BY at, uid", params).fetchall()
    return [_step_from_json(r[0]) for r in rows]


def count_steps(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM steps").fetchone()[0])


# ---------------------------------------------------------------- declared skip days


@dataclass(frozen=True)
class Skip:
    """Days the user could not practise (illness, travel): they freeze the strength like Shabbat."""

    uid: str
    first: date
    last: date
    reason: str | None
    declared: str

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "days": len(self.days),
            "reason": self.reason,
            "declared": self.declared,
        }


def add_skip(
    conn: sqlite3.Connection,
    first: date,
    last: date | None = None,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> Skip:
    """Declare days the strength should not count (from `first` to `last`, inclusive)."""
    last = last or first
    if last < first:
        raise MadregaError("a skip ends on or after the day it begins")
    if (last - first).days + 1 > MAX_SKIP_DAYS:
        raise MadregaError(f"a skip covers at most {MAX_SKIP_DAYS} days; declare a longer absence in parts")
    reason = reason.strip() if reason and reason.strip() else None
    data = {"first": first.isoformat(), "last": last.isoformat(), "reason": reason}
    _checked(data, "skip.added")
    uid = new_uid()
    ev = append(conn, "skip.added", uid, data, at=now)
    return Skip(uid, first, last, reason, ev.at)


def skips(conn: sqlite3.Connection) -> list[Skip]:
    found: dict[str, Skip] = {}
    for ev in events(conn, types=SKIP_EVENTS):
        sid = ev.step_uid or ""
        if ev.type == "skip.added":
            first, last = date.fromisoformat(ev.data["first"]), date.fromisoformat(ev.data["last"])
            if last >= first:
                found[sid] = Skip(sid, first, last, ev.data.get("reason"), ev.at)
        else:
            found.pop(sid, None)
    return sorted(found.values(), key=lambda s: (s.first, s.uid))


def remove_skip(conn: sqlite3.Connection, uid: str, *, now: datetime | None = None) -> Skip:
    matches = [s for s in skips(conn) if s.uid.startswith(uid)] if _usable_id(uid) else []
    if len(matches) != 1:
        raise NotFound(
            f"no declared skip with id '{shown(uid, 64)}'", suggestions=[s.uid[:8] for s in skips(conn)]
        )
    append(conn, "skip.removed", matches[0].uid, {}, at=now)
    return matches[0]


def skipped_days(conn: sqlite3.Connection) -> set[date]:
    return {day for skip in skips(conn) for day in skip.days}
