"""The Hebrew day and what is learned on it: Chitas (Chumash aliyah, Tehillim, Tanya), Daf Yomi,
and personal plans that divide a work into daily portions.

The Hebrew day begins at nightfall: at tzeit for the user's location (via `zmanim`), or at a
configured hour when no location is set. Tables (aliyot, Tehillim, tractates) are data in
`data/cycles.json`; this module only counts.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pyluach import dates as hdates
from pyluach import hebrewcal, parshios

from madrega import refs
from madrega.errors import MadregaError, NotFound
from madrega.practice import journal
from madrega.refs.address import join_range


@cache
def _data() -> dict[str, Any]:
    text = resources.files("madrega").joinpath("data/cycles.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# ---------------------------------------------------------------- settings and the Hebrew day

SETTINGS = {
    "location": "latitude,longitude of where you keep the day (e.g. 31.778,35.235); nightfall is tzeit there",
    "timezone": "IANA time zone, e.g. Asia/Jerusalem (default: this computer's)",
    "nightfall_hour": "local hour the Hebrew day changes when no location is set (default 18:00)",
    "israel": "true for the Torah-reading schedule of the Land of Israel (default false)",
}


@dataclass(frozen=True)
class Place:
    latitude: float | None
    longitude: float | None
    timezone: tzinfo
    nightfall: time
    israel: bool


def set_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Validate and store one setting (None removes it)."""
    if key not in SETTINGS:
        raise MadregaError(f"unknown setting '{key}' (known: {', '.join(SETTINGS)})")
    if value is not None:
        value = value.strip()
        {
            "location": _parse_location,
            "timezone": _parse_zone,
            "nightfall_hour": _parse_hour,
            "israel": _parse_bool,
        }[key](value)
    journal.put_setting(conn, key, value)


def settings(conn: sqlite3.Connection) -> dict[str, str | None]:
    return {key: journal.get_setting(conn, key) for key in SETTINGS}


def _parse_location(text: str) -> tuple[float, float]:
    try:
        lat_text, lon_text = text.replace(" ", "").split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise MadregaError(
            f"'{text}' is not a location: give latitude,longitude, e.g. 31.778,35.235"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise MadregaError(f"'{text}' is off the globe: latitude is -90..90, longitude -180..180")
    return lat, lon


def _parse_zone(text: str) -> tzinfo:
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise MadregaError(f"unknown time zone '{text}': use an IANA name such as Asia/Jerusalem") from None


def _parse_hour(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", text)
    if not match or int(match[1]) > 23 or int(match[2] or 0) > 59:
        raise MadregaError(f"'{text}' is not an hour: give HH or HH:MM, e.g. 18 or 18:30")
    return time(int(match[1]), int(match[2] or 0))


def _parse_bool(text: str) -> bool:
    if text.lower() in ("true", "yes", "1", "on"):
        return True
    if text.lower() in ("false", "no", "0", "off"):
        return False
    raise MadregaError(f"'{text}' is not true or false")


def place(conn: sqlite3.Connection) -> Place:
    values = settings(conn)
    lat = lon = None
    if values["location"]:
        lat, lon = _parse_location(values["location"])
    zone = _parse_zone(values["timezone"]) if values["timezone"] else _local_zone()
    hour = _parse_hour(values["nightfall_hour"]) if values["nightfall_hour"] else time(18, 0)
    return Place(lat, lon, zone, hour, _parse_bool(values["israel"]) if values["israel"] else False)


def _local_zone() -> tzinfo:
    return datetime.now().astimezone().tzinfo or UTC


def nightfall(where: Place, civil_day: date) -> datetime:
    """When the Hebrew day that starts on the evening of `civil_day` begins."""
    if where.latitude is not None and where.longitude is not None:
        from zmanim.util.geo_location import GeoLocation
        from zmanim.zmanim_calendar import ZmanimCalendar

        zone_name = getattr(where.timezone, "key", None) or "UTC"  # zmanim takes IANA names
        geo = GeoLocation("here", where.latitude, where.longitude, zone_name)
        tzeit = ZmanimCalendar(geo_location=geo, date=civil_day).tzais()
        if tzeit is not None:  # the sun may not set far north in summer: fall back to the hour
            return tzeit.astimezone(where.timezone)
    return datetime.combine(civil_day, where.nightfall, tzinfo=where.timezone)


def hebrew_day_at(where: Place, moment: datetime) -> date:
    """The civil date whose Hebrew date is current at `moment` (after nightfall: the next one)."""
    local = moment.astimezone(where.timezone)
    civil = local.date()
    return civil + timedelta(days=1) if local >= nightfall(where, civil) else civil


def hebrew_day(conn: sqlite3.Connection, moment: datetime | None = None) -> date:
    return hebrew_day_at(place(conn), moment or journal.utcnow())


def hebrew_date(day: date) -> hdates.HebrewDate:
    return hdates.HebrewDate.from_pydate(day)


def hebrew_date_string(day: date) -> str:
    """E.g. 'י״ט כסלו תשפ״ה'."""
    return hebrew_date(day).hebrew_date_string()


def hebrew_date_english(day: date) -> str:
    hd = hebrew_date(day)
    return f"{hd.day} {hd.month_name()} {hd.year}"


# ---------------------------------------------------------------- Chumash: parasha and the day's aliyah

BOOK_HE = {
    "Genesis": "בראשית",
    "Exodus": "שמות",
    "Leviticus": "ויקרא",
    "Numbers": "במדבר",
    "Deuteronomy": "דברים",
}
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Shabbat")


@dataclass(frozen=True)
class Aliyah:
    parasha: str
    parasha_he: str
    number: int
    ref: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _weekday_index(day: date) -> int:
    """0 for Sunday … 6 for Shabbat."""
    return (day.weekday() + 1) % 7


def _range_ref(book: str, span: str) -> str:
    start, end = span.split("-")
    if start.split(":")[0] == end.split(":")[0]:
        return f"{book} {start}-{end.split(':')[1]}"
    return f"{book} {start}-{end}"


def weekly_parshiot(day: date, israel: bool = False) -> list[int]:
    """Indices (0 = Bereishit) of the portions learned this week: those of the coming Shabbat.

    Between Yom Kippur and Simchat Torah it is V'Zot HaBerachah; in a week whose Shabbat is a
    festival, the portion of the next Shabbat that has one.
    """
    hd = hebrew_date(day)
    last_festival_day = 22 if israel else 23
    if hd.month == 7 and 10 < hd.day <= last_festival_day:
        return [53]
    shabbat = day + timedelta(days=(5 - day.weekday()) % 7)
    for _ in range(4):
        found = parshios.getparsha(hdates.GregorianDate.from_pydate(shabbat), israel)
        if found:
            return list(found)
        shabbat += timedelta(days=7)
    raise AssertionError(f"no parasha within four weeks of {day}")  # pragma: no cover - calendar invariant


def aliyot_of_day(day: date, israel: bool = False) -> list[Aliyah]:
    """Chitas: Sunday learns the 1st aliyah … Shabbat the 7th; a double week learns both portions' aliyah."""
    number = _weekday_index(day) + 1
    table = _data()["aliyot"]
    out = []
    for index in weekly_parshiot(day, israel):
        entry = table[index]
        out.append(
            Aliyah(
                entry["parasha"], entry["he"], number, _range_ref(entry["book"], entry["aliyot"][number - 1])
            )
        )
    return out


# ---------------------------------------------------------------- Tehillim by the day of the month


def tehillim_of_day(day: date) -> str:
    """The monthly division; on the 29th of a 29-day month, the 29th and 30th portions together."""
    hd = hebrew_date(day)
    table: list[str] = _data()["tehillim_monthly"]
    span = table[hd.day - 1]
    if hd.day == 29 and (hd + 1).day == 1:
        span = table[28].split("-")[0] + "-" + table[29].split("-")[1]
    return f"Psalms {span}"


# ---------------------------------------------------------------- Daf Yomi


@dataclass(frozen=True)
class Daf:
    tractate: str
    tractate_he: str
    daf: int
    cycle: int

    @property
    def ref(self) -> str:
        return f"{self.tractate} {self.daf}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ref": self.ref}


def daf_yomi(day: date) -> Daf:
    """The daf of the Babylonian Talmud cycle (2711 days a cycle since the 8th, 24 June 1975)."""
    info = _data()["daf_yomi"]
    anchor = date.fromisoformat(info["cycle_start"])
    length = int(info["days_per_cycle"])
    offset = (day - anchor).days
    cycle = int(info["cycle_number"]) + offset // length
    if cycle < int(info["first_supported_cycle"]):
        raise MadregaError("Daf Yomi is computed from the 8th cycle (24 June 1975) on")
    remaining = offset % length
    for tractate in info["tractates"]:
        size = tractate["last"] - tractate["first"] + 1
        if remaining < size:
            return Daf(tractate["name"], tractate["he"], tractate["first"] + remaining, cycle)
        remaining -= size
    raise AssertionError("tractate table shorter than the cycle")  # pragma: no cover - data invariant


# ---------------------------------------------------------------- Tanya


def _strip_marks(text: str) -> str:
    return re.sub(r"[\s\"'׳״]", "", text)


def tanya_cycle(day: date) -> str:
    """'leap' or 'regular': the division of the cycle that began on the last 19 Kislev, which
    spans the Adar of that Hebrew year."""
    hd = hebrew_date(day)
    before_kislev_19 = hd.month in (7, 8) or (hd.month == 9 and hd.day < 19)
    year = hd.year - 1 if before_kislev_19 else hd.year
    return "leap" if hebrewcal.Year(year).leap else "regular"


def _tanya_key(day: date) -> str:
    hd = hebrew_date(day)
    return _strip_marks(hd.hebrew_day() + hd.month_name(hebrew=True))


def tanya_of_day(
    conn: sqlite3.Connection,
    day: date,
    *,
    online: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> list[str]:
    """Refs of the day's Tanya: from an imported Tanya's schedule, else Sefaria's calendar when
    online; raises NotFound with the reason when neither has it."""
    schedule: list[tuple[str, str, str]] = []
    try:
        from madrega.study import library

        getter = getattr(library, "tanya_schedule", None)
        if getter is not None:
            schedule = list(getter(conn))
    except sqlite3.Error:
        schedule = []
    if schedule:
        cycle, key = tanya_cycle(day), _tanya_key(day)
        ordered = [(when, ref) for c, when, ref in schedule if c == cycle] or [
            (w, r) for _c, w, r in schedule
        ]
        for index, (when, ref) in enumerate(ordered):
            if _strip_marks(when) == key:
                following = ordered[index + 1][1] if index + 1 < len(ordered) else None
                return [_until(conn, ref, following)]
    if online or transport is not None:
        refs = sefaria_calendar(day, "Tanya Yomi", transport=transport)
        if refs:
            return refs
    raise NotFound(
        "today's Tanya is not available offline: import a Sefaria Hebrew Tanya (with its schedule) "
        "or run `madrega today --online`"
    )


def _until(conn: sqlite3.Connection, start: str, following: str | None) -> str:
    """The day's lesson as a range: from its first segment to the one before the next day's."""
    if following is None:
        return start
    row = conn.execute(
        "SELECT s.ref FROM segments s JOIN versions v ON v.id=s.version_id JOIN works w ON w.id=v.work_id "
        "WHERE w.title='Tanya' AND v.lang='he' AND s.ord < (SELECT s2.ord FROM segments s2 "
        "WHERE s2.version_id=s.version_id AND s2.ref=?) ORDER BY s.ord DESC LIMIT 1",
        (following,),
    ).fetchone()
    if row is None or row[0] == start:
        return start
    return join_range(start, str(row[0]))


SEFARIA_CALENDARS = "https://www.sefaria.org/api/calendars"


def sefaria_calendar(
    day: date, title: str, *, diaspora: bool = True, transport: httpx.BaseTransport | None = None
) -> list[str]:
    """Refs Sefaria's calendar gives for `title` on `day` ([] when unreachable)."""
    params = {"year": day.year, "month": day.month, "day": day.day, "diaspora": int(diaspora)}
    try:
        with httpx.Client(transport=transport, timeout=5.0) as client:
            response = client.get(SEFARIA_CALENDARS, params=params)
            response.raise_for_status()
            payload = response.json()
    except (httpx.HTTPError, ValueError):
        return []
    out = []
    for item in payload.get("calendar_items", []):
        if item.get("title", {}).get("en") == title and item.get("ref"):
            out.append(str(item["ref"]))
    return out


# ---------------------------------------------------------------- refs: canonical form and coverage

# Works people often follow chapter by chapter, offered as examples (any catalog work will do).
SUGGESTED_PLAN_WORKS: tuple[str, ...] = (
    "Tanya, Part III; Iggeret HaTeshuvah",
    "Tanya, Part I; Likkutei Amarim",
    "Likutei Moharan, Part II",
    "Psalms",
    "Proverbs",
)
_ADDRESS = re.compile(r"^(?P<title>.+?)\s+(?P<addr>\d+[ab]?(?::\d+)?(?:-\d+[ab]?(?::\d+)?)?)$")


def canonical_ref(text: str) -> str | None:
    """Sefaria's form of a ref the user typed, or None when it is not one (free text)."""
    try:
        return str(refs.parse(text.strip()))
    except MadregaError:
        return None


Address = tuple[int, ...]
_END = 10**9


def _span(ref: str) -> tuple[str, Address, Address] | None:
    """(title, first, last) of a chapter/segment ref; a bare chapter spans all its segments."""
    match = _ADDRESS.match(ref.strip())
    if not match:
        return None
    first_text, _, last_text = match["addr"].partition("-")
    first = tuple(int(x) for x in re.findall(r"\d+", first_text))
    if not last_text:
        last = first
    else:
        last = tuple(int(x) for x in re.findall(r"\d+", last_text))
        if len(first) == 2 and len(last) == 1:  # "119:1-96"
            last = (first[0], last[0])
    start = first + (0,) * (2 - len(first))
    end = last + (_END,) * (2 - len(last))
    return match["title"], start, end


def covers(step_ref: str | None, portion_ref: str) -> bool:
    """Does a study of `step_ref` include the whole of `portion_ref`?"""
    if not step_ref:
        return False
    try:
        return refs.parse(step_ref).contains(refs.parse(portion_ref))
    except MadregaError:
        return False


# ---------------------------------------------------------------- personal plans


@dataclass
class Plan:
    uid: str
    title: str
    work: str
    portions: list[str]
    start: str
    days: int | None
    by: str | None
    done: dict[int, str | None] = field(default_factory=dict)

    @property
    def short_id(self) -> str:
        return self.uid[:8]

    def next_portion(self) -> int | None:
        return next((i for i in range(len(self.portions)) if i not in self.done), None)

    def scheduled_index(self, day: date) -> int:
        return max(0, min(len(self.portions) - 1, (day - date.fromisoformat(self.start)).days))

    def to_dict(self, day: date | None = None) -> dict[str, Any]:
        nxt = self.next_portion()
        out = {
            "id": self.short_id,
            "uid": self.uid,
            "title": self.title,
            "work": self.work,
            "start": self.start,
            "days": self.days,
            "by": self.by,
            "portions": self.portions,
            "done": sorted(self.done),
            "done_count": len(self.done),
            "next": None if nxt is None else {"index": nxt + 1, "ref": self.portions[nxt]},
        }
        if day is not None:
            out["scheduled_today"] = self.scheduled_index(day) + 1
        return out


def work_chapters(conn: sqlite3.Connection, work: str) -> int:
    """How many chapters a work has: from the catalog, else counted in the imported library."""
    try:
        known = refs.catalog().work(work).top_count()
    except MadregaError:
        known = None
    if known:
        return int(known)
    numbers: set[int] = set()
    try:
        rows = conn.execute("SELECT DISTINCT ref FROM segments WHERE ref LIKE ?", (work + " %",))
        for (ref,) in rows:
            match = re.match(re.escape(work) + r" (\d+)", ref)
            if match:
                numbers.add(int(match[1]))
    except sqlite3.Error:
        numbers = set()
    if not numbers:
        raise NotFound(
            f"madrega does not know how '{work}' divides: import it first (`madrega library ...`)",
            suggestions=refs.catalog().suggest(work),
        )
    return max(numbers)


def divide(work: str, chapters: int, *, days: int | None = None, first: int = 1) -> list[str]:
    """Split chapters first..chapters into `days` contiguous portions as even as possible
    (the larger ones first); without `days`, a chapter a portion."""
    total = chapters - first + 1
    if days is None:
        return [f"{work} {n}" for n in range(first, chapters + 1)]
    if days < 1:
        raise MadregaError("a plan needs at least one day")
    if days > total:
        raise MadregaError(
            f"{work} has {total} chapters: a plan of {days} days would leave days empty; "
            f"use at most {total} days or --by chapter"
        )
    size, extra = divmod(total, days)
    out, n = [], first
    for i in range(days):
        count = size + (1 if i < extra else 0)
        last = n + count - 1
        out.append(f"{work} {n}" if count == 1 else f"{work} {n}-{last}")
        n = last + 1
    return out


def add_plan(
    conn: sqlite3.Connection,
    text: str,
    *,
    days: int | None = None,
    by: str | None = None,
    start: date | None = None,
) -> Plan:
    if (days is None) == (by is None):
        raise MadregaError("say how to divide the plan: --days N, or --by chapter")
    if by is not None and by != "chapter":
        raise MadregaError(f"cannot divide by '{by}': use --by chapter")
    work = canonical_ref(text)
    if work is None:
        raise NotFound(f"'{text}' is not a work madrega knows", suggestions=refs.catalog().suggest(text))
    title = work
    span = _span(work)
    first, last = 1, None
    if span is not None:  # a plan over part of a work, e.g. "Psalms 1-41"
        work, first, last = span[0], span[1][0], span[2][0] if span[2][0] != _END else span[1][0]
    chapters = last or work_chapters(conn, work)
    portions = divide(work, chapters, days=days, first=first)
    begin = start or hebrew_day(conn)
    uid = journal.new_uid()
    data = {
        "title": title,
        "work": work,
        "portions": portions,
        "start": begin.isoformat(),
        "days": days,
        "by": by,
    }
    with journal.db.transaction(conn):
        journal.append(conn, "plan.added", uid, data)
        for step in journal.list_steps(conn, kind="study"):
            _mark(conn, plans(conn, include=uid), step)
    return get_plan(conn, uid)


def plans(conn: sqlite3.Connection, include: str | None = None) -> list[Plan]:
    """Replay of the plan events; a portion whose marking step was deleted is open again."""
    found: dict[str, Plan] = {}
    alive = {r[0] for r in conn.execute("SELECT uid FROM steps")}
    for ev in journal.events(conn, types=journal.PLAN_EVENTS):
        sid = ev.step_uid or ""
        if ev.type == "plan.added":
            d = ev.data
            found[sid] = Plan(
                sid, d["title"], d["work"], list(d["portions"]), d["start"], d.get("days"), d.get("by")
            )
        elif ev.type == "plan.portion_done" and sid in found:
            step = ev.data.get("step")
            if step is None or step in alive:
                found[sid].done[int(ev.data["portion"])] = step
        elif ev.type == "plan.removed":
            found.pop(sid, None)
    out = list(found.values())
    return [p for p in out if p.uid == include] if include else out


def get_plan(conn: sqlite3.Connection, plan_id: str) -> Plan:
    matches = [p for p in plans(conn) if p.uid.startswith(plan_id)]
    if not matches:
        raise NotFound(f"no plan with id '{plan_id}' (see `madrega plan list`)")
    if len(matches) > 1:
        raise MadregaError(f"'{plan_id}' names more than one plan", suggestions=[p.short_id for p in matches])
    return matches[0]


def mark_portion(conn: sqlite3.Connection, plan_id: str, portion: int) -> Plan:
    """Mark a portion (1-based) done by hand."""
    plan = get_plan(conn, plan_id)
    if not 1 <= portion <= len(plan.portions):
        raise MadregaError(f"plan {plan.short_id} has portions 1..{len(plan.portions)}")
    journal.append(conn, "plan.portion_done", plan.uid, {"portion": portion - 1, "step": None})
    return get_plan(conn, plan.uid)


def remove_plan(conn: sqlite3.Connection, plan_id: str) -> Plan:
    plan = get_plan(conn, plan_id)
    journal.append(conn, "plan.removed", plan.uid, {})
    return plan


def _mark(conn: sqlite3.Connection, candidates: list[Plan], step: journal.Step) -> None:
    for plan in candidates:
        for index, portion in enumerate(plan.portions):
            if index not in plan.done and covers(step.ref, portion):
                journal.append(conn, "plan.portion_done", plan.uid, {"portion": index, "step": step.uid})
                plan.done[index] = step.uid


def mark_plans(conn: sqlite3.Connection, step: journal.Step) -> None:
    """Called in the transaction that records a study step: mark the portions it covers."""
    if step.kind == "study" and step.ref:
        _mark(conn, plans(conn), step)


# ---------------------------------------------------------------- today


@dataclass
class Today:
    day: date
    hebrew: str
    hebrew_en: str
    chumash: list[Aliyah]
    tehillim: str
    tanya: list[str]
    tanya_note: str | None
    daf: Daf
    plans: list[dict[str, Any]]
    done: list[journal.Step]

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "weekday": DAY_NAMES[_weekday_index(self.day)],
            "hebrew_date": self.hebrew,
            "hebrew_date_en": self.hebrew_en,
            "chumash": [a.to_dict() for a in self.chumash],
            "tehillim": self.tehillim,
            "tanya": self.tanya,
            "tanya_note": self.tanya_note,
            "daf_yomi": self.daf.to_dict(),
            "plans": self.plans,
            "done": [s.to_dict() for s in self.done],
        }


def today(
    conn: sqlite3.Connection,
    now: datetime | None = None,
    *,
    online: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> Today:
    where = place(conn)
    day = hebrew_day_at(where, now or journal.utcnow())
    try:
        tanya, tanya_note = tanya_of_day(conn, day, online=online, transport=transport), None
    except NotFound as exc:
        tanya, tanya_note = [], exc.message
    plan_rows = []
    for plan in plans(conn):
        row = plan.to_dict(day)
        plan_rows.append(row)
    return Today(
        day=day,
        hebrew=hebrew_date_string(day),
        hebrew_en=hebrew_date_english(day),
        chumash=aliyot_of_day(day, where.israel),
        tehillim=tehillim_of_day(day),
        tanya=tanya,
        tanya_note=tanya_note,
        daf=daf_yomi(day),
        plans=plan_rows,
        done=journal.list_steps(conn, since=day.isoformat(), until=day.isoformat()),
    )
