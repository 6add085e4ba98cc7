"""The one event schema of the journal: every event type, its typed fields, and the validator.

Everything that lets an event into a journal goes through `validate` — `journal.append`, `journal
import`, and community sync on both sides (the server before it stores a pushed event, the laptop
before it merges a pulled one) — and replay checks every stored event again, skipping (with a
warning) one that an older madrega let in. So a wrong-typed field (`minutes: "ten"`) is refused at
the door with the line and the field named, and never reaches the code that adds minutes.

    from madrega.practice import events
    try:
        event = events.validate(raw, where="line 3")   # raw: the dict parsed from JSON
    except events.InvalidEvent as exc:
        exc.message   # "line 3: field data.minutes: 'ten' is not a number (0 to 1440)"
        exc.field     # "data.minutes"

Unknown keys inside `data` are kept and ignored by replay (a newer madrega may add fields), but
they must be clean JSON too: no NUL, no lone surrogates, no numbers too big to use, bounded size.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from madrega.errors import MadregaError

MAX_EVENT_BYTES = 64_000
FIRST_YEAR, LAST_YEAR = 1900, 2199  # a journal of a life: times outside are typing mistakes
_UID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_KIND = re.compile(r"[^\W_][\w-]{0,39}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class InvalidEvent(MadregaError):
    """An event that does not fit the schema; `where` says which (a line, an index), `field` which part."""

    def __init__(self, where: str | None, field_name: str | None, why: str) -> None:
        parts = [p for p in (where, f"field {field_name}" if field_name else None, why) if p]
        super().__init__(": ".join(parts))
        self.where = where
        self.field = field_name
        self.why = why


@dataclass(frozen=True)
class Event:
    uid: str
    at: str
    type: str
    step_uid: str | None
    data: dict[str, Any]
    device: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A shallow dict (data is shared, not copied: dataclasses.asdict would deep-copy it)."""
        return {
            "uid": self.uid,
            "at": self.at,
            "type": self.type,
            "step_uid": self.step_uid,
            "data": self.data,
            "device": self.device,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)


# ---------------------------------------------------------------- field types

Check = Callable[[Any], Any]  # returns the clean value or raises ValueError(why)


def _text(max_len: int) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"{_show(value)} is not text")
        if len(value) > max_len:
            raise ValueError(f"text of {len(value)} characters is longer than {max_len}")
        _clean(value)
        return value

    return check


def _pattern(regex: re.Pattern[str], what: str) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not regex.fullmatch(value):
            raise ValueError(f"{_show(value)} is not {what}")
        return value

    return check


def _number(low: float, high: float) -> Check:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{_show(value)} is not a number ({low:g} to {high:g})")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{_show(value)} is not a finite number")
        if not low <= value <= high:
            raise ValueError(f"{_show(value)} is out of range ({low:g} to {high:g})")
        return value

    return check


def _integer(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{_show(value)} is not a whole number ({low} to {high})")
        if not low <= value <= high:
            raise ValueError(f"{_show(value)} is out of range ({low} to {high})")
        return value

    return check


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{_show(value)} is not true or false")
    return value


def _time(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError(f"{_show(value)} is not a time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{_show(value)} is not an ISO time (e.g. 2024-05-01T08:30:00Z)") from None
    if moment.tzinfo is None:
        raise ValueError(f"{_show(value)} has no time zone")
    if not FIRST_YEAR <= moment.astimezone(UTC).year <= LAST_YEAR:
        raise ValueError(f"{_show(value)} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
    return value


def _day(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"{_show(value)} is not a day (YYYY-MM-DD)")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{_show(value)} is not a day of the calendar") from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise ValueError(f"{_show(value)} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
    return value


def _texts(max_items: int, max_len: int) -> Check:
    item = _text(max_len)

    def check(value: Any) -> list[str]:
        if not isinstance(value, list):
            raise ValueError(f"{_show(value)} is not a list of texts")
        if len(value) > max_items:
            raise ValueError(f"a list of {len(value)} items is longer than {max_items}")
        if not value:
            raise ValueError("the list is empty")
        return [item(v) for v in value]

    return check


def _ints(max_items: int, low: int, high: int) -> Check:
    item = _integer(low, high)

    def check(value: Any) -> list[int]:
        if not isinstance(value, list) or len(value) > max_items:
            raise ValueError(f"{_show(value)} is not a list of at most {max_items} whole numbers")
        return [item(v) for v in value]

    return check


def _optional(check: Check) -> Check:
    def wrapped(value: Any) -> Any:
        return None if value is None else check(value)

    return wrapped


# ---------------------------------------------------------------- the schema

UID = _pattern(_UID, "an id (letters, digits, '-', at most 64)")
KIND = _pattern(_KIND, "a kind name (letters, digits, '-' or '_', at most 40)")

STEP_FIELDS: dict[str, Check] = {
    "kind": KIND,
    "at": _time,
    "day": _day,
    "hebrew_date": _optional(_text(60)),
    "civil_date": _optional(_day),
    "local_time": _optional(_pattern(_HHMM, "a time of day (HH:MM)")),
    "zone": _optional(_text(64)),
    "late": _optional(_bool),
    "ref": _optional(_text(500)),
    "what": _optional(_text(2000)),
    "note": _optional(_text(20_000)),
    "shared": _optional(_bool),
    "minutes": _optional(_number(0, 1440)),
    "amount": _optional(_number(0, 1e12)),
    "currency": _optional(_pattern(_CURRENCY, "a currency code (three capital letters)")),
    "prayer": _optional(KIND),
    "focus": _optional(_text(2000)),
    "lesson": _optional(_text(300)),
    "timer": _optional(UID),
}


@dataclass(frozen=True)
class EventType:
    name: str
    fields: dict[str, Check]
    required: tuple[str, ...] = ()
    needs_subject: bool = True
    doc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _type(name: str, fields: dict[str, Check], required: tuple[str, ...] = (), doc: str = "") -> EventType:
    return EventType(name, fields, required, True, doc)


TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        _type("step.added", STEP_FIELDS, ("kind", "at"), "a step recorded; step_uid is the step"),
        _type("step.corrected", STEP_FIELDS, (), "new values for some fields of the step"),
        _type("step.deleted", {}, (), "the step leaves the building (the log keeps it)"),
        _type(
            "timer.started",
            {
                "kind": KIND,
                "started": _time,
                "planned_minutes": _optional(_number(0, 1440)),
                "foreground": _optional(_bool),
            },
            ("started",),
            "a session began; step_uid is the timer (and the step it becomes)",
        ),
        _type("timer.heartbeat", {}, (), "the session's page or terminal is alive"),
        _type(
            "timer.stopped",
            {"ended": _time, "minutes": _optional(_number(0, 1440)), "reason": _optional(_text(40))},
            (),
            "the session ended",
        ),
        _type(
            "plan.added",
            {
                "title": _text(500),
                "work": _text(500),
                "portions": _texts(20_000, 500),
                "start": _day,
                "days": _optional(_integer(1, 100_000)),
                "by": _optional(_text(40)),
                "reviews": _optional(_ints(50, 0, 100_000)),
            },
            ("title", "work", "portions", "start"),
            "a study plan; step_uid is the plan",
        ),
        _type(
            "plan.portion_done",
            {
                "portion": _integer(0, 100_000),
                "step": _optional(UID),
                "pass": _optional(_integer(0, 1000)),
                "day": _optional(_day),
            },
            ("portion",),
            "a pass over a portion of the plan marked done (by a study step, or by hand); 0 is the first reading",
        ),
        _type("plan.removed", {}, (), "the plan is put aside"),
        _type(
            "skip.added",
            {"first": _day, "last": _day, "reason": _optional(_text(200))},
            ("first", "last"),
            "days the user could not practise (illness, travel): the strength is frozen; step_uid is the skip",
        ),
        _type("skip.removed", {}, (), "a declared skip withdrawn"),
    )
}
EVENT_TYPES = tuple(TYPES)
STEP_EVENTS = ("step.added", "step.corrected", "step.deleted")
TIMER_EVENTS = ("timer.started", "timer.heartbeat", "timer.stopped")
PLAN_EVENTS = ("plan.added", "plan.portion_done", "plan.removed")
SKIP_EVENTS = ("skip.added", "skip.removed")


# ---------------------------------------------------------------- validation


def validate(raw: Any, *, where: str | None = None) -> Event:
    """The event `raw` (a dict as parsed from JSON, or an `Event`) checked against the schema.

    Raises `InvalidEvent` naming `where` and the first bad field; returns an `Event` whose values
    are the ones given (nothing is coerced: `"10"` is not a number)."""
    if isinstance(raw, Event):
        raw = raw.to_dict()
    if not isinstance(raw, Mapping):
        raise InvalidEvent(where, None, f"{_show(raw)} is not an event (an object with uid, at, type, data)")
    for key in raw:
        if key not in ("uid", "at", "type", "step_uid", "data", "device", "id"):
            raise InvalidEvent(where, str(key)[:64], "is not part of an event")
    type_name = raw.get("type")
    if type_name is None:
        raise InvalidEvent(where, "type", "is missing")
    if not isinstance(type_name, str) or type_name not in TYPES:
        raise InvalidEvent(
            where, "type", f"{_show(type_name)} is not an event type (known: {', '.join(EVENT_TYPES)})"
        )
    kind = TYPES[type_name]
    uid = _field(where, "uid", raw.get("uid"), UID, required=True)
    at = _field(where, "at", raw.get("at"), _time, required=True)
    step_uid = _field(where, "step_uid", raw.get("step_uid"), UID, required=kind.needs_subject)
    device = _field(where, "device", raw.get("device"), _text(64), required=False)
    data = raw.get("data", {})
    if not isinstance(data, Mapping):
        raise InvalidEvent(where, "data", f"{_show(data)} is not an object")
    clean: dict[str, Any] = {}
    for key, value in data.items():
        name = f"data.{str(key)[:64]}"
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise InvalidEvent(where, name, "is not a field name")
        check = kind.fields.get(key)
        if check is None:
            clean[key] = _field(where, name, value, _json_value, required=False)
        else:
            clean[key] = _field(where, name, value, check, required=key in kind.required)
    for key in kind.required:
        if clean.get(key) is None:
            raise InvalidEvent(where, f"data.{key}", f"is missing (a {type_name} event needs it)")
    event = Event(uid, at, type_name, step_uid, clean, device)
    # Encoding to measure costs as much as the rest of the check: only when it could be too big.
    rough = sum(len(v) if isinstance(v, str) else 64 if not isinstance(v, list | dict) else MAX_EVENT_BYTES
                for v in clean.values())  # fmt: skip
    size = (
        rough if rough * 4 < MAX_EVENT_BYTES else len(json.dumps(clean, ensure_ascii=False).encode("utf-8"))
    )
    if size > MAX_EVENT_BYTES:
        raise InvalidEvent(where, "data", f"{size} bytes is more than an event may hold ({MAX_EVENT_BYTES})")
    return event


def validate_all(raws: Iterable[Any], *, where: Callable[[int], str] | None = None) -> list[Event]:
    """Every event of a batch checked; the first bad one raises (`where(i)` names it; default 'event i+1')."""
    name = where or (lambda i: f"event {i + 1}")
    return [validate(raw, where=name(i)) for i, raw in enumerate(raws)]


def parse_line(line: str, *, where: str | None = None) -> Event:
    """One line of a JSON Lines export, parsed and validated."""
    try:
        raw = json.loads(line)
    except ValueError as exc:  # includes integers too long to convert and invalid escapes
        raise InvalidEvent(where, None, f"not JSON ({exc})") from None
    except RecursionError:
        raise InvalidEvent(where, None, "not JSON (nested too deeply)") from None
    return validate(raw, where=where)


def is_valid(raw: Any) -> bool:
    try:
        validate(raw)
    except InvalidEvent:
        return False
    return True


def _field(where: str | None, name: str, value: Any, check: Check, *, required: bool) -> Any:
    if value is None:
        if required:
            raise InvalidEvent(where, name, "is missing")
        return None
    try:
        return check(value)
    except ValueError as exc:
        raise InvalidEvent(where, name, str(exc)) from None


def _json_value(value: Any, depth: int = 0) -> Any:
    """A value of a field this madrega does not know: any JSON, as long as it is clean and small."""
    if depth > 8:
        raise ValueError("nested too deeply")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > 2**53:
            raise ValueError("is a number too big to keep")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{_show(value)} is not a finite number")
        return value
    if isinstance(value, str):
        _clean(value)
        return value
    if isinstance(value, list):
        return [_json_value(v, depth + 1) for v in value]
    if isinstance(value, Mapping):
        for key in value:
            if not isinstance(key, str):
                raise ValueError("has a key that is not text")
            _clean(key)
        return {k: _json_value(v, depth + 1) for k, v in value.items()}
    raise ValueError(f"{_show(value)} is not a JSON value")


def _clean(text: str) -> None:
    bad = _BAD_CHARS.search(text)
    if bad is not None:
        char = bad.group()
        what = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        name = "NUL" if char == "\x00" else f"U+{ord(char):04X}"
        raise ValueError(f"contains {what} ({name}) at position {bad.start()}")


def _show(value: Any) -> str:
    """A short, printable picture of a bad value for an error message."""
    if isinstance(value, str):
        text = value.encode("utf-8", "backslashreplace").decode("utf-8")
        text = text.replace("\x00", "\\0")
        return repr(text if len(text) <= 40 else text[:37] + "...")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**12:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
