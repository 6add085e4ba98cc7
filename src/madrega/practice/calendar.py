"""Civil and Hebrew time for the practice companion: one clock, the user's zone, the Hebrew day
that begins at nightfall, and the days of rest (Shabbat and Yom Tov) by where the user lives.

A step keeps two dates because people live by both: the civil date and time of the moment in the
user's zone (what their diary says: Tuesday 1 December, 22:07) and the Hebrew day it belongs to
(which began at nightfall: already 22 Kislev, ליל רביעי). A Hebrew day is named by the civil date
of its daylight, so the evening of Tuesday 1 December belongs to the day keyed 2 December.

Nightfall is tzeit at the user's location (via `zmanim`), or a configured hour when no location is
set. Yom Tov is one day in the Land of Israel and two in the diaspora (the `israel` setting; by
default, true when the time zone is Israel's). Nothing here reads the real clock except
`SystemClock`: the faces own one `Clock` and pass its moments to the core, so tests pass a
`FakeClock` and never sleep.
"""

from __future__ import annotations

import bisect
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pyluach import dates as hdates

from madrega.errors import MadregaError
from madrega.practice.settings import get_setting, put_setting

# ---------------------------------------------------------------- the clock


class Clock(Protocol):
    """Where "now" comes from. The faces hold one; the core takes the moments it gives."""

    def now(self) -> datetime: ...


class SystemClock:
    """The computer's clock, in UTC. For tests that drive whole processes (`madrega serve`, the command
    line), `MADREGA_CLOCK_FILE` may name a file holding an ISO time: "now" is read from it."""

    def now(self) -> datetime:
        path = os.environ.get("MADREGA_CLOCK_FILE")
        if path:
            with open(path, encoding="utf-8") as f:
                moment = datetime.fromisoformat(f.read().strip().replace("Z", "+00:00"))
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to: tests set it to Friday afternoon and walk it through Shabbat."""

    def __init__(self, start: datetime) -> None:
        self._now = _aware(start)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = _aware(moment)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now = self._now + (delta or timedelta(**kwargs))
        return self._now


SYSTEM_CLOCK = SystemClock()


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one")
    return moment.astimezone(UTC)


# ---------------------------------------------------------------- where the day is kept

SETTINGS = {
    "location": "latitude,longitude of where you keep the day (e.g. 31.778,35.235); nightfall is tzeit there",
    "timezone": "IANA time zone, e.g. Asia/Jerusalem (default: this computer's)",
    "nightfall_hour": "local hour the Hebrew day changes when no location is set (default 18:00)",
    "israel": "true in the Land of Israel: one day of Yom Tov and its Torah readings "
    "(default: true when the time zone is Asia/Jerusalem)",
}
ISRAEL_ZONES = ("Asia/Jerusalem", "Asia/Tel_Aviv", "Israel")


@dataclass(frozen=True)
class Place:
    latitude: float | None
    longitude: float | None
    timezone: tzinfo
    nightfall: time
    israel: bool

    @property
    def zone_name(self) -> str:
        """The IANA name of the zone (what a step records), or its abbreviation when it has none."""
        return str(getattr(self.timezone, "key", None) or datetime.now(self.timezone).tzname() or "UTC")


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
    put_setting(conn, key, value)


def settings(conn: sqlite3.Connection) -> dict[str, str | None]:
    return {key: get_setting(conn, key) for key in SETTINGS}


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
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
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
    """Where and by which rules this user keeps the day."""
    values = settings(conn)
    lat = lon = None
    if values["location"]:
        lat, lon = _parse_location(values["location"])
    zone = _parse_zone(values["timezone"]) if values["timezone"] else _local_zone()
    hour = _parse_hour(values["nightfall_hour"]) if values["nightfall_hour"] else time(18, 0)
    israel = _parse_bool(values["israel"]) if values["israel"] else getattr(zone, "key", None) in ISRAEL_ZONES
    return Place(lat, lon, zone, hour, israel)


def _local_zone() -> tzinfo:
    return datetime.now().astimezone().tzinfo or UTC


# ---------------------------------------------------------------- the Hebrew day


def nightfall(where: Place, civil_day: date) -> datetime:
    """When the Hebrew day that starts on the evening of `civil_day` begins (and the one before ends:
    on a Saturday, Havdalah)."""
    if where.latitude is not None and where.longitude is not None:
        found = _tzeit(where.latitude, where.longitude, where.zone_name, civil_day)
        if found is not None:  # the sun may not set far north in summer: fall back to the hour
            return found.astimezone(where.timezone)
    return datetime.combine(civil_day, where.nightfall, tzinfo=where.timezone)


@cache
def _tzeit(latitude: float, longitude: float, zone: str, civil_day: date) -> datetime | None:
    from zmanim.util.geo_location import GeoLocation
    from zmanim.zmanim_calendar import ZmanimCalendar

    geo = GeoLocation("here", latitude, longitude, zone)  # zmanim takes IANA names
    found = ZmanimCalendar(geo_location=geo, date=civil_day).tzais()
    return None if found is None else found.astimezone(UTC)


def hebrew_day_at(where: Place, moment: datetime) -> date:
    """The civil date whose Hebrew date is current at `moment` (after nightfall: the next one)."""
    local = moment.astimezone(where.timezone)
    civil = local.date()
    return civil + timedelta(days=1) if local >= nightfall(where, civil) else civil


def hebrew_day(conn: sqlite3.Connection, moment: datetime | None = None) -> date:
    return hebrew_day_at(place(conn), moment or SYSTEM_CLOCK.now())


def day_ends(where: Place, day: date) -> datetime:
    """The moment the Hebrew day keyed `day` ends (for Shabbat: Havdalah may be made)."""
    return nightfall(where, day)


def hebrew_date(day: date) -> hdates.HebrewDate:
    return hdates.HebrewDate.from_pydate(day)


def hebrew_date_string(day: date) -> str:
    """E.g. 'י״ט כסלו תשפ״ה'."""
    return hebrew_date(day).hebrew_date_string()


MONTHS_EN = {
    1: "Nisan",
    2: "Iyar",
    3: "Sivan",
    4: "Tammuz",
    5: "Av",
    6: "Elul",
    7: "Tishrei",
    8: "Cheshvan",
    9: "Kislev",
    10: "Tevet",
    11: "Shevat",
    12: "Adar",
    13: "Adar II",
}


def hebrew_month_en(day: date) -> str:
    """The month's English name, with Adar I and Adar II in a leap year."""
    year, month, _day = hebrew_ymd(day)
    if month == 12 and _leap(year):
        return "Adar I"
    return MONTHS_EN[month]


@cache
def _leap(year: int) -> bool:
    from pyluach import hebrewcal

    return bool(hebrewcal.Year(year).leap)


@cache
def _month_starts(year: int) -> tuple[tuple[date, int], ...]:
    """The civil date each month of Hebrew `year` begins, Tishrei first (13 conversions a year)."""
    months = [7, 8, 9, 10, 11, 12, *([13] if _leap(year) else []), 1, 2, 3, 4, 5, 6]
    return tuple((hdates.HebrewDate(year, m, 1).to_pydate(), m) for m in months)


def hebrew_ymd(day: date) -> tuple[int, int, int]:
    """(year, month, day) of the Hebrew date, from a table of month starts: pyluach's conversion costs
    ~40 µs, which thousands of bricks' labels feel."""
    year = day.year + 3761
    starts = _month_starts(year)
    if day < starts[0][0]:
        year -= 1
        starts = _month_starts(year)
    index = bisect.bisect_right([d for d, _m in starts], day) - 1
    first, month = starts[index]
    return year, month, (day - first).days + 1


def hebrew_date_english(day: date, *, year: bool = True) -> str:
    """E.g. '22 Kislev 5787' ('6 Adar II 5784' in a leap year)."""
    y, m, d = hebrew_ymd(day)
    name = "Adar I" if m == 12 and _leap(y) else MONTHS_EN[m]
    return f"{d} {name} {y}" if year else f"{d} {name}"


# ---------------------------------------------------------------- Shabbat and Yom Tov

# (month, day) -> (name, kept in Israel too). The second day of each festival is the diaspora's.
_YOM_TOV: dict[tuple[int, int], tuple[str, bool]] = {
    (7, 1): ("Rosh Hashanah", True),
    (7, 2): ("Rosh Hashanah", True),
    (7, 10): ("Yom Kippur", True),
    (7, 15): ("Sukkot", True),
    (7, 16): ("Sukkot", False),
    (7, 22): ("Shemini Atzeret", True),
    (7, 23): ("Simchat Torah", False),
    (1, 15): ("Pesach", True),
    (1, 16): ("Pesach", False),
    (1, 21): ("Pesach", True),
    (1, 22): ("Pesach", False),
    (3, 6): ("Shavuot", True),
    (3, 7): ("Shavuot", False),
}


@dataclass(frozen=True)
class RestDay:
    """A Hebrew day on which the people who keep this journal do not write: Shabbat, Yom Tov, or both."""

    day: date
    names: tuple[str, ...]

    @property
    def name(self) -> str:
        """'Shabbat', 'Pesach', 'Rosh Hashanah and Shabbat'."""
        return " and ".join(self.names)

    @property
    def shabbat(self) -> bool:
        return "Shabbat" in self.names


@cache
def _yom_tov_of_year(year: int, israel: bool) -> dict[date, str]:
    out: dict[date, str] = {}
    for (month, day), (name, in_israel) in _YOM_TOV.items():
        if israel and not in_israel:
            continue
        label = "Shemini Atzeret and Simchat Torah" if israel and (month, day) == (7, 22) else name
        out[hdates.HebrewDate(year, month, day).to_pydate()] = label
    return out


def yom_tov(day: date, israel: bool) -> str | None:
    """The festival whose Yom Tov `day` is (by the Land of Israel's count or the diaspora's), else None."""
    return _yom_tov_of_year(hebrew_ymd(day)[0], israel).get(day)


def rest_day(day: date, israel: bool) -> RestDay | None:
    names: list[str] = []
    festival = yom_tov(day, israel)
    if festival:
        names.append(festival)
    if day.weekday() == 5:
        names.append("Shabbat")
    return RestDay(day, tuple(names)) if names else None


def rest_days(first: date, last: date, israel: bool) -> dict[date, RestDay]:
    """Every Shabbat and Yom Tov from `first` to `last` (inclusive), computed per Hebrew year (fast
    over decades: a handful of conversions a year, not one a day)."""
    if last < first:
        return {}
    festivals: dict[date, str] = {}
    for year in range(hebrew_ymd(first)[0], hebrew_ymd(last)[0] + 1):
        festivals.update(_yom_tov_of_year(year, israel))
    out: dict[date, RestDay] = {}
    for day, name in festivals.items():
        if first <= day <= last:
            out[day] = RestDay(day, (name, "Shabbat") if day.weekday() == 5 else (name,))
    saturday = first + timedelta(days=(5 - first.weekday()) % 7)
    while saturday <= last:
        out.setdefault(saturday, RestDay(saturday, ("Shabbat",)))
        saturday += timedelta(days=7)
    return out


def rest_before(day: date, israel: bool) -> list[RestDay]:
    """The run of rest days that ended just before `day` (oldest first; empty if yesterday was a weekday)."""
    out: list[RestDay] = []
    cursor = day - timedelta(days=1)
    while (found := rest_day(cursor, israel)) is not None:
        out.insert(0, found)
        cursor -= timedelta(days=1)
    return out


# ---------------------------------------------------------------- a moment, in both calendars


@dataclass(frozen=True)
class Moment:
    """An instant as the user lives it: their civil date and time, and the Hebrew day it belongs to."""

    at: datetime
    local: datetime
    day: date

    @property
    def civil_date(self) -> date:
        return self.local.date()

    @property
    def evening(self) -> bool:
        """After nightfall: the Hebrew day is already the next civil date's."""
        return self.day > self.civil_date

    def fields(self, zone: str) -> dict[str, str]:
        """The values a step records about its moment."""
        return {
            "day": self.day.isoformat(),
            "hebrew_date": hebrew_date_string(self.day),
            "civil_date": self.civil_date.isoformat(),
            "local_time": self.local.strftime("%H:%M"),
            "zone": zone,
        }


def moment(where: Place, at: datetime) -> Moment:
    local = _aware(at).astimezone(where.timezone)
    return Moment(_aware(at), local, hebrew_day_at(where, at))


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def civil_words(civil: date, *, evening: bool = False, year: bool = True) -> str:
    """'Tuesday evening, 1 Dec 2026'; a Saturday in daylight is called Shabbat."""
    weekday = WEEKDAYS[civil.weekday()]
    if civil.weekday() == 5 and not evening:
        weekday = "Shabbat"
    text = f"{weekday}{' evening' if evening else ''}, {civil.day} {MONTHS_SHORT[civil.month - 1]}"
    return f"{text} {civil.year}" if year else text


def when_words(day: date, civil: date | None = None, *, israel: bool = False, year: bool = True) -> str:
    """Both dates, readably: 'Tuesday evening, 1 Dec 2026 · 22 Kislev 5787' (and '· Shabbat' on a day
    of rest). `civil` is the civil date of the moment; without it, the day's daylight."""
    civil = civil or day
    text = f"{civil_words(civil, evening=day > civil, year=year)} · {hebrew_date_english(day, year=year)}"
    rest = rest_day(day, israel)
    if rest is not None and not (rest.names == ("Shabbat",) and civil == day):
        text += f" · {rest.name}"
    return text


def parse_day(text: str, today: date, israel: bool = False) -> date:
    """A day as a person names it: YYYY-MM-DD, 'today', 'yesterday', or 'shabbat' (the last Shabbat
    that has ended; on Sunday, yesterday)."""
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    if word in ("shabbat", "shabbos", "saturday"):
        back = (today.weekday() - 5) % 7 or 7
        return today - timedelta(days=back)
    try:
        found = date.fromisoformat(word)
    except ValueError:
        raise MadregaError(f"'{text[:40]}' is not a day: use YYYY-MM-DD, 'yesterday' or 'shabbat'") from None
    if not 1900 <= found.year <= 2199:
        raise MadregaError(f"{found.isoformat()} is outside the years 1900-2199")
    return found


def describe_now(where: Place, now: datetime) -> dict[str, str | bool | None]:
    """The moment in both calendars, for the faces' "Today": civil date and time, the Hebrew day, and
    what kind of day it is."""
    found = moment(where, now)
    rest = rest_day(found.day, where.israel)
    return {
        "civil_date": found.civil_date.isoformat(),
        "local_time": found.local.strftime("%H:%M"),
        "zone": where.zone_name,
        "evening": found.evening,
        "when": when_words(found.day, found.civil_date, israel=where.israel),
        "rest": rest.name if rest else None,
        "rest_ends": nightfall(where, found.day).isoformat() if rest else None,
    }
