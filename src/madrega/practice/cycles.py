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
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from pyluach import dates as hdates
from pyluach import hebrewcal, parshios

from madrega import errors, refs
from madrega.errors import MadregaError, NotFound
from madrega.practice import calendar, journal
from madrega.refs.address import join_range

if TYPE_CHECKING:  # httpx is imported where the network is used: starting the CLI needs none
    import httpx


@cache
def _data() -> dict[str, Any]:
    text = resources.files("madrega").joinpath("data/cycles.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# ---------------------------------------------------------------- settings and the Hebrew day
# They live in `practice.calendar` (below the journal); these names stay for the callers of cycles.
SETTINGS = calendar.SETTINGS
Place = calendar.Place
set_setting = calendar.set_setting
settings = calendar.settings
place = calendar.place
nightfall = calendar.nightfall
hebrew_day_at = calendar.hebrew_day_at
hebrew_day = calendar.hebrew_day
hebrew_date = calendar.hebrew_date
hebrew_date_string = calendar.hebrew_date_string
hebrew_date_english = calendar.hebrew_date_english


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


def weekly_parshiot(day: date, israel: bool = False, *, chitas: bool = True) -> list[int]:
    """Indices (0 = Bereishit) of the portions learned this week: those of the coming Shabbat.

    In a week whose Shabbat is a festival, the portion of the next Shabbat that has one. Chitas
    learns V'Zot HaBerachah from the day after Yom Kippur to Simchat Torah (`chitas=False`: the
    public reading, Ha'azinu on a Shabbat after Yom Kippur).
    """
    hd = hebrew_date(day)
    last_festival_day = 22 if israel else 23
    if chitas and hd.month == 7 and 10 < hd.day <= last_festival_day:
        return [53]
    shabbat = day + timedelta(days=(5 - day.weekday()) % 7)
    for _ in range(4):
        found = parshios.getparsha(hdates.GregorianDate.from_pydate(shabbat), israel)
        if found:
            return list(found)
        shabbat += timedelta(days=7)
    raise AssertionError(f"no parasha within four weeks of {day}")  # pragma: no cover - calendar invariant


def aliyot_of_day(day: date, israel: bool = False, *, chitas: bool = True) -> list[Aliyah]:
    """Chitas: Sunday learns the 1st aliyah … Shabbat the 7th; a double week learns both portions' aliyah."""
    number = _weekday_index(day) + 1
    table = _data()["aliyot"]
    out = []
    for index in weekly_parshiot(day, israel, chitas=chitas):
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
    """Refs of the day's Tanya, each an exact range: by an imported Tanya's own schedule, else by the
    division shipped with madrega measured in a Tanya in the library (fetched from Sefaria), else by
    Sefaria's calendar when online; raises NotFound with the reason when none knows where it ends."""
    from madrega.study import library

    try:
        schedule = library.tanya_schedule(conn)
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
    start = tanya_start(day) or tanya_start(day - timedelta(days=1))
    if start is not None and _has_tanya_segment(conn, start):
        following = next((s for s in (tanya_start(day + timedelta(days=n)) for n in (1, 2)) if s), None)
        return [_until(conn, start, following)]
    if online or transport is not None:
        refs = sefaria_calendar(day, "Tanya Yomi", transport=transport)
        if refs:
            return refs
    raise NotFound(
        "today's Tanya is not available offline: import a Sefaria Hebrew Tanya (with its schedule) "
        "or look it up online",
        remedy=errors.LOOK_ONLINE,
    )


def _has_tanya_segment(conn: sqlite3.Connection, ref: str) -> bool:
    try:
        row = conn.execute(
            "SELECT 1 FROM segments s JOIN versions v ON v.id=s.version_id JOIN works w ON w.id=v.work_id "
            "WHERE w.title='Tanya' AND v.lang='he' AND s.ref=? LIMIT 1",
            (ref,),
        ).fetchone()
    except sqlite3.Error:
        return False
    return row is not None


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
    import httpx

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


def canonical_ref(text: str) -> str | None:
    """Sefaria's form of a ref the user typed, or None when it is not one (free text)."""
    try:
        return str(refs.parse(text.strip()))
    except MadregaError:
        return None


@lru_cache(maxsize=65536)
def parsed(text: str) -> refs.Ref | None:
    """A ref string as a `Ref`, or None when the catalog cannot read it (remembered both ways: a
    failed parse, which looks for suggestions, is the slow one)."""
    try:
        return refs.parse(text.strip())
    except MadregaError:
        return None


def covers(step_ref: str | None, portion_ref: str) -> bool:
    """Does a study of `step_ref` include the whole of `portion_ref`?"""
    if not step_ref:
        return False
    step, portion = parsed(step_ref), parsed(portion_ref)
    if step is None or portion is None:
        return step_ref.strip() == portion_ref.strip()  # works the catalog does not know yet
    return step.contains(portion)


# ---------------------------------------------------------------- the cycles people keep
#
# Each cycle is data (data/cycles.json, data/cycles/learning.json, data/cycles/tanya.json) and a small
# rule that counts days over it. The rules are madrega's own; the tests check them day by day against
# @hebcal/learning and Debian's hebcal (tests/data/cycles/).


@cache
def _learning() -> dict[str, Any]:
    text = resources.files("madrega").joinpath("data/cycles/learning.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _tanya_tables() -> dict[str, dict[str, str]]:
    text = resources.files("madrega").joinpath("data/cycles/tanya.json").read_text(encoding="utf-8")
    loaded: dict[str, dict[str, str]] = json.loads(text)
    return loaded


@dataclass(frozen=True)
class Portion:
    """What a cycle gives for a day: canonical refs to read (the first is `ref`) and how to say it."""

    cycle: str
    name: str
    refs: tuple[str, ...]
    label: str
    note: str | None = None

    @property
    def ref(self) -> str:
        return self.refs[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "name": self.name,
            "ref": self.ref,
            "refs": list(self.refs),
            "label": self.label,
            "note": self.note,
        }


@dataclass(frozen=True)
class Cycle:
    key: str
    name: str
    he: str
    about: str
    portion: Any  # Callable[[date, bool], Portion | None]; Any keeps the frozen dataclass simple

    def of(self, day: date, israel: bool = False) -> Portion | None:
        found: Portion | None = self.portion(day, israel)
        return found


_DAY_ONE = date(1, 1, 1)


def _days_since(day: date, start: str) -> int:
    return (day - date.fromisoformat(start)).days


def _talmud(name: str) -> str:
    names: dict[str, str] = _learning()["talmud_names"]
    return names.get(name, name)


def _mishnah_title(tractate: str) -> str:
    return "Pirkei Avot" if tractate == "Avot" else f"Mishnah {tractate}"


# The fourth chapter of Bikkurim (a baraita the printed Mishnah adds) is not in the catalog's Mishnah:
# a portion in it reads the tractate, and says why.
_BIKKURIM_4 = re.compile(r"^Mishnah Bikkurim 4\b|^Mishnah Bikkurim [\d:]+-4:")
_NOT_IN_TEXT = (
    "Bikkurim's fourth chapter is in the printed editions, not in madrega's Mishnah: read it on Sefaria"
)
_NOT_EMBEDDED = "madrega addresses the day's entry by month and day; the embedded library has no Hayom Yom (import one to read it here)"


def _mishnah_portion(key: str, name: str, refs_: list[str]) -> Portion:
    label = "; ".join(refs_)
    if any(_BIKKURIM_4.match(r) for r in refs_):
        fixed = ["Mishnah Bikkurim" if _BIKKURIM_4.match(r) else r for r in refs_]
        return Portion(key, name, tuple(dict.fromkeys(fixed)), label, _NOT_IN_TEXT)
    return Portion(key, name, tuple(refs_), label)


def _range(title: str, first: str, last: str) -> str:
    """'T', '8:9', '9:1' -> 'T 8:9-9:1'; 'T', '3:1', '3:4' -> 'T 3:1-4'; equal ends -> 'T 3:1'."""
    if first == last:
        return f"{title} {first}"
    a, b = first.split(":"), last.split(":")
    shared = 0
    while shared < min(len(a), len(b)) - 1 and a[shared] == b[shared]:
        shared += 1
    return f"{title} {first}-{':'.join(b[shared:])}"


def _fixed(key: str, name: str, refs_: list[str] | tuple[str, ...], label: str | None = None) -> Portion:
    return Portion(key, name, tuple(refs_), label or "; ".join(refs_))


# ---- Talmud


def _daf_yomi(day: date, israel: bool) -> Portion:
    d = daf_yomi(day)
    return _fixed("daf_yomi", "Daf Yomi", [_daf_ref(d.tractate, d.daf)], f"{d.tractate} {d.daf}")


def _daf_ref(tractate: str, daf: int) -> str:
    """A whole daf; Shekalim's daf is learned in the Jerusalem Talmud, by its Vilna halakhot; Kinnim's
    and Middot's pages (which have no Gemara) are their Mishnah tractate, learned over those days."""
    if tractate in ("Kinnim", "Middot"):
        return f"Mishnah {tractate}"
    if tractate == "Shekalim":
        first, _ = _full_span(_learning()["shekalim_amudim"][f"{daf}a"])
        _, last = _full_span(_learning()["shekalim_amudim"][f"{daf}b"])
        return _range("Jerusalem Talmud Shekalim", first, last)
    return _whole_daf(tractate, daf)


@cache
def _whole_daf(tractate: str, daf: int) -> str:
    """'Berakhot 2a-b', or 'Berakhot 64a' where the tractate ends on the first side (as Sefaria writes it)."""
    return canonical_ref(f"{tractate} {daf}") or f"{tractate} {daf}a-b"


def _full_span(span: str) -> tuple[str, str]:
    """'1:1:5-10' -> ('1:1:5', '1:1:10'): a span's two ends written in full."""
    first, _, last = span.partition("-")
    return first, _expand(first, last or first)


def _expand(first: str, last: str) -> str:
    """The end of a range written short ('3:2:5-8' has end '8') in full, like its start."""
    a, b = first.split(":"), last.split(":")
    return ":".join(a[: len(a) - len(b)] + b)


def _daf_weekly(day: date, israel: bool) -> Portion | None:
    info = _data()["daf_yomi"]
    offset = _days_since(day, "2005-03-06")
    if offset < 0:
        return None
    week = (offset % (int(info["days_per_cycle"]) * 7)) // 7
    for tractate in info["tractates"]:
        size = tractate["last"] - tractate["first"] + 1
        if week < size:
            daf = tractate["first"] + week
            return _fixed(
                "daf_weekly", "Daf a Week", [_daf_ref(tractate["name"], daf)], f"{tractate['name']} {daf}"
            )
        week -= size
    raise AssertionError("tractate table shorter than the cycle")  # pragma: no cover - data invariant


def _amud_yomi(day: date, israel: bool) -> Portion | None:
    info = _learning()["amud_yomi"]
    offset = _days_since(day, info["start"])
    if offset < 0:
        return None
    total = sum(n for _name, n in info["tractates"])
    index = offset % total
    for name, amudim in info["tractates"]:
        if index < amudim:
            amud = f"{2 + index // 2}{'ab'[index % 2]}"
            if name == "Shekalim":
                ref = _range("Jerusalem Talmud Shekalim", *_full_span(_learning()["shekalim_amudim"][amud]))
            else:
                ref = f"{name} {amud}"
            return _fixed("amud_yomi", "Amud Yomi", [ref], f"{name} {amud}")
        index -= amudim
    raise AssertionError("amud table shorter than the cycle")  # pragma: no cover - data invariant


@cache
def _mishnayot() -> list[tuple[str, int, int]]:
    """Every mishnah in order: (tractate, chapter, mishnah)."""
    return [
        (tractate, chapter, n)
        for tractate, counts in _learning()["mishnah"]
        for chapter, count in enumerate(counts, 1)
        for n in range(1, count + 1)
    ]


def _mishnah_yomit(day: date, israel: bool) -> Portion | None:
    info = _learning()["mishnah_yomit"]
    offset = _days_since(day, info["start"])
    if offset < 0:
        return None
    every = _mishnayot()
    per_day = int(info["per_day"])
    first = (offset % (len(every) // per_day)) * per_day
    (t1, c1, m1), (t2, c2, m2) = every[first], every[first + per_day - 1]
    if t1 == t2:
        refs_ = [_range(_mishnah_title(t1), f"{c1}:{m1}", f"{c2}:{m2}")]
    else:
        refs_ = [f"{_mishnah_title(t1)} {c1}:{m1}", f"{_mishnah_title(t2)} {c2}:{m2}"]
    return _mishnah_portion("mishnah_yomit", "Mishnah Yomit", refs_)


def _perek_yomi(day: date, israel: bool) -> Portion | None:
    offset = _days_since(day, _learning()["perek_yomi"]["start"])
    if offset < 0:
        return None
    chapters = [(t, c) for t, counts in _learning()["mishnah"] for c in range(1, len(counts) + 1)]
    tractate, chapter = chapters[offset % len(chapters)]
    return _mishnah_portion("perek_yomi", "Perek Yomi (Mishnah)", [f"{_mishnah_title(tractate)} {chapter}"])


def _yerushalmi(edition: str) -> Any:
    def portion(day: date, israel: bool) -> Portion | None:
        info = _learning()["yerushalmi"][edition]
        start = date.fromisoformat(info["start"])
        if day < start:
            return None
        skips = bool(info["skip_yom_kippur_and_tisha_bav"])
        if skips and _is_yom_kippur_or_tisha_bav(day):
            return None
        readings = (day - start).days - (_skipped_between(start, day) if skips else 0)
        total = sum(n for _name, n in info["tractates"])
        index = readings % total
        for name, pages in info["tractates"]:
            if index < pages:
                page = index + 1
                label = f"Jerusalem Talmud {name}, daf {page} ({edition.capitalize()} edition)"
                address = info.get("pages", {}).get(name, [])
                if page - 1 < len(address) and address[page - 1]:
                    ref = _yerushalmi_range(f"Jerusalem Talmud {name}", *_full_span(address[page - 1]))
                else:
                    ref = f"Jerusalem Talmud {name}"
                return Portion(
                    f"yerushalmi_{edition}", f"Yerushalmi Yomi ({edition.capitalize()})", (ref,), label
                )
            index -= pages
        raise AssertionError("Yerushalmi table shorter than the cycle")  # pragma: no cover

    return portion


@cache
def _yerushalmi_range(title: str, first: str, last: str) -> str:
    """A page's range; where the page map counts a halakha more in a chapter than the catalog's text
    (Ketubot 4:14 in Sefaria's numbering), the range ends with the catalog's last halakha."""
    work = parsed(title)
    lengths = work.work.lengths if work is not None else None
    chapter, halakha = (int(n) for n in last.split(":")[:2])
    if lengths and chapter <= len(lengths) and halakha > lengths[chapter - 1]:
        last = f"{chapter}:{lengths[chapter - 1]}"
        first = ":".join(first.split(":")[:2]) if first.split(":")[0] == str(chapter) else first
    return _range(title, first, last)


def _is_yom_kippur_or_tisha_bav(day: date) -> bool:
    return day in (_yom_kippur(hebrew_date(day).year), _tisha_bav_observed(hebrew_date(day).year))


@cache
def _yom_kippur(year: int) -> date:
    return hdates.HebrewDate(year, 7, 10).to_pydate()


@cache
def _tisha_bav_observed(year: int) -> date:
    day = hdates.HebrewDate(year, 5, 9).to_pydate()
    return day + timedelta(days=1) if day.weekday() == 5 else day


def _skipped_between(start: date, day: date) -> int:
    """Yom Kippur and Tisha B'Av (observed) days in [start, day)."""
    count = 0
    for year in range(hebrew_date(start).year, hebrew_date(day).year + 1):
        for skip in (_yom_kippur(year), _tisha_bav_observed(year)):
            if start <= skip < day:
                count += 1
    return count


# ---- Tanakh


@cache
def _tanakh_chapters() -> list[tuple[str, int]]:
    return [(book, chapter) for book, count in _learning()["tanakh"] for chapter in range(1, count + 1)]


def _nach_yomi(day: date, israel: bool) -> Portion | None:
    offset = _days_since(day, _learning()["nach_yomi"]["start"])
    if offset < 0:
        return None
    nach = _tanakh_chapters()[187:]  # after the 187 chapters of the Torah
    book, chapter = nach[offset % len(nach)]
    return _fixed("nach_yomi", "Nach Yomi", [f"{book} {chapter}"])


def _nine29(day: date, israel: bool) -> Portion | None:
    """929: a chapter each Sunday to Thursday, cycle after cycle since 21 December 2014."""
    info = _learning()["nine29"]
    start, second = date.fromisoformat(info["start"]), date.fromisoformat(info["second_cycle"])
    if day < start or day.weekday() in (4, 5):  # Friday and Shabbat
        return None
    if day < second:
        cycle_start, last = start, date.fromisoformat(info["end_of_first_cycle"])
    else:
        cycles_done = (day - second).days // int(info["cycle_days"])
        cycle_start = second + timedelta(days=cycles_done * int(info["cycle_days"]))
        last = cycle_start + timedelta(days=int(info["last_chapter_offset"]))
    if day > last:
        return None
    days = (day - cycle_start).days
    number = days // 7 * 5 + min(days % 7, 5)
    book, chapter = _tanakh_chapters()[number]
    return Portion("929", "929", (f"{book} {chapter}",), f"{book} {chapter} ({number + 1} of 929)")


def _tanakh_yomi_rests(day: date) -> bool:
    """Days Tanakh Yomi does not read: Shabbat, the Yom Tov days of the Land of Israel, Purim, Yom
    HaAtzma'ut and Tisha B'Av (as observed)."""
    if day.weekday() == 5 or calendar.yom_tov(day, True):
        return True
    year, month, number = calendar.hebrew_ymd(day)
    purim_month = 13 if hebrewcal.Year(year).leap else 12
    return (month, number) == (purim_month, 14) or day in (_yom_haatzmaut(year), _tisha_bav_observed(year))


@cache
def _yom_haatzmaut(year: int) -> date:
    """5 Iyar, moved back to Thursday from Friday or Shabbat, and (since 5764) on to Tuesday from Monday."""
    day = hdates.HebrewDate(year, 2, 5).to_pydate()
    if day.weekday() == 4:
        return day - timedelta(days=1)
    if day.weekday() == 5:
        return day - timedelta(days=2)
    if day.weekday() == 0 and year >= 5764:
        return day + timedelta(days=1)
    return day


def _tanakh_yomi_sedarim(extra: int) -> list[tuple[str, str, list[str]]]:
    """The year's readings in order, (book, seder, refs): a year with more reading days than the 293
    sedarim reads Ruth, then Song of Songs, then Jeremiah's 9th and Joshua's 4th seder over two days
    (one extra day each, in that order); a leap year reads Chronicles again."""
    info = _learning()["tanakh_yomi"]
    halved = ["Ruth", "Song of Songs", "Jeremiah", "Joshua"][:extra]
    out: list[tuple[str, str, list[str]]] = []
    for group in [*info["order"], "Chronicles"]:
        for number, refs_ in enumerate(info["sedarim"][group], 1):
            if group in halved and f"{number}.1" in info["split"][group]:
                out += [
                    (group, f"{number}.{half}", info["split"][group][f"{number}.{half}"]) for half in (1, 2)
                ]
            else:
                out.append((group, str(number), refs_))
    return out


@cache
def _tanakh_yomi_year(year: int) -> dict[date, tuple[str, str, list[str]]]:
    """Every reading day of Hebrew year `year` and its seder. The cycle restarts on 23 Tishrei; the
    days before finish Chronicles, from its 10th, 11th or 12th seder as Rosh Hashanah falls."""
    rosh_hashanah = hdates.HebrewDate(year, 7, 1).to_pydate()
    start = rosh_hashanah + timedelta(days=22)
    next_year = hdates.HebrewDate(year + 1, 7, 1).to_pydate()
    sedarim = _learning()["tanakh_yomi"]["sedarim"]["Chronicles"]
    out: dict[date, tuple[str, str, list[str]]] = {}
    seder = {3: 11, 5: 10}.get(rosh_hashanah.weekday(), 12)  # Thursday, Shabbat, else
    day = rosh_hashanah + timedelta(days=2)
    while day < start:
        if not _tanakh_yomi_rests(day):
            out[day] = ("Chronicles", str(seder), sedarim[seder - 1])
            seder += 1
        day += timedelta(days=1)
    reading_days = [
        d
        for d in (start + timedelta(days=n) for n in range((next_year - start).days + 22))
        if not _tanakh_yomi_rests(d)
    ]
    extra = len(reading_days) - (25 if hebrewcal.Year(year).leap else 0) - 293
    if not 0 <= extra <= 4:  # pragma: no cover - calendar invariant
        raise AssertionError(f"Tanakh Yomi: {len(reading_days)} reading days in {year}")
    readings = _tanakh_yomi_sedarim(extra)
    for d, reading in zip((d for d in reading_days if d < next_year), readings, strict=False):
        out[d] = reading
    return out


def _tanakh_yomi(day: date, israel: bool) -> Portion | None:
    """A Masoretic seder of the Prophets and Writings each reading day, the whole in a year (the
    same calendar everywhere: it rests on the Yom Tov days of the Land of Israel)."""
    if day < date.fromisoformat(_learning()["tanakh_yomi"]["start"]):
        return None
    found = _tanakh_yomi_year(calendar.hebrew_ymd(day)[0]).get(day)
    if found is None:
        return None
    book, seder, refs_ = found
    return Portion("tanakh_yomi", "Tanakh Yomi", tuple(refs_), f"{book}, seder {seder}: {'; '.join(refs_)}")


# Tehillim by the day of the week, as the Psalter divides it.
TEHILLIM_WEEKLY = ("1-29", "30-50", "51-72", "73-89", "90-106", "107-119", "120-150")


def _tehillim_monthly(day: date, israel: bool) -> Portion:
    return _fixed("tehillim", "Tehillim (monthly)", [tehillim_of_day(day)])


def _tehillim_weekly(day: date, israel: bool) -> Portion:
    return _fixed("tehillim_weekly", "Tehillim (weekly)", [f"Psalms {TEHILLIM_WEEKLY[_weekday_index(day)]}"])


# ---- Chitas: Chumash with Rashi, Tehillim, Tanya


def _chumash(day: date, israel: bool) -> Portion:
    aliyot = aliyot_of_day(day, israel)
    refs_: list[str] = []
    for a in aliyot:
        refs_ += [a.ref, "Rashi on " + a.ref]
    label = "; ".join(f"{a.parasha}, aliyah {a.number}: {a.ref}" for a in aliyot)
    return Portion("chumash", "Chumash with Rashi", tuple(refs_), label + " (with Rashi)")


def _parasha(day: date, israel: bool) -> Portion:
    aliyot = aliyot_of_day(day, israel, chitas=False)
    label = " – ".join(f"{a.parasha} ({a.parasha_he})" for a in aliyot)
    return Portion(
        "parasha",
        "Weekly portion, the day's aliyah",
        tuple(a.ref for a in aliyot),
        f"{label}, aliyah {aliyot[0].number}",
    )


def tanya_start(day: date) -> str | None:
    """Where the day's Tanya starts (a Sefaria segment ref) in the division of its cycle."""
    hd = hebrew_date(day)
    found: str | None = _tanya_tables()[tanya_cycle(day)].get(f"{hd.month}-{hd.day}")
    return found


_TANYA_START = re.compile(r"^(?P<title>.+?) (?P<chapter>\d+):(?P<segment>\d+)$")


def tanya_portion(day: date) -> tuple[str, str]:
    """(ref, label) of the day's Tanya offline: from its start to just before the next day's."""
    start = tanya_start(day)
    if start is None:  # a 30th the division has no lesson for: the 29th's lesson runs on
        start = tanya_start(day - timedelta(days=1)) or ""
    following = next((s for s in (tanya_start(day + timedelta(days=n)) for n in (1, 2)) if s), None)
    a, b = _TANYA_START.match(start), _TANYA_START.match(following or "")
    if a and b and a["title"] == b["title"]:
        if a["chapter"] == b["chapter"] and int(b["segment"]) > int(a["segment"]) + 1:
            return f"{start}-{int(b['segment']) - 1}", f"{start}-{int(b['segment']) - 1}"
        if a["chapter"] == b["chapter"]:
            return start, start
        if b["segment"] == "1":
            last = int(b["chapter"]) - 1
            whole = f"{a['title']} {a['chapter']}" if a["segment"] == "1" else None
            if whole and last == int(a["chapter"]):
                return whole, whole
            end = f"the end of chapter {last}"
            if a["segment"] == "1":
                span = f"{a['title']} {a['chapter']}-{last}"
                return span, span
            return start, f"{start} to {end}"
        return start, f"{start} to {b['chapter']}:{int(b['segment']) - 1}"
    return start, f"{start}, to where the next lesson begins"


def _tanya(day: date, israel: bool) -> Portion:
    ref, label = tanya_portion(day)
    return Portion("tanya", "Tanya", (ref,), label)


_HAYOM_YOM_MONTHS = {
    1: "Nisan", 2: "Iyar", 3: "Sivan", 4: "Tammuz", 5: "Av", 6: "Elul", 7: "Tishrei", 8: "Cheshvan",
    9: "Kislev", 10: "Tevet", 11: "Shevat", 12: "Adar I", 13: "Adar II",
}  # fmt: skip


def _hayom_yom(day: date, israel: bool) -> Portion:
    """Hayom Yom was written for 5703, a leap year: in a regular year Adar reads both Adars' entries,
    and a 30th with no entry of its own (a long Cheshvan or Kislev) reads the 29th's."""
    hd = hebrew_date(day)
    n = hd.day
    if n == 30 and hd.month in (8, 9):
        n = 29
    months = [hd.month]
    if hd.month == 12 and not hebrewcal.Year(hd.year).leap:
        months = [12, 13]
    refs_ = tuple(f"Hayom Yom, {_HAYOM_YOM_MONTHS[m]} {n}" for m in months)
    label = "; ".join(f"{n} {_HAYOM_YOM_MONTHS[m]}" for m in months)
    return Portion("hayom_yom", "Hayom Yom", refs_, label, _NOT_EMBEDDED)


# ---- halakhah and musar


def _rambam_readings(day: date, per_day: int) -> list[tuple[str, str]] | None:
    info = _learning()["rambam"]
    offset = _days_since(day, info["start"])
    if offset < 0:
        return None
    books = [[name, count] for name, count in _learning()["mishneh_torah"]]
    if per_day == 3:  # the three-chapter cycle reads two chapters as one, twice, to end on time
        books[15][1], books[20][1] = 5, 8
    index = (offset % (int(info["cycle_days"]) // per_day)) * per_day
    out: list[tuple[str, str]] = []
    for i in range(index, index + per_day):
        rest = i
        for j, (name, count) in enumerate(books):
            if rest < count:
                chapter = str(rest + 1)
                if j < 4:
                    chapter = info["first_four"][j][rest]
                elif per_day == 1 and name == "The Order of Prayer" and chapter == "4":
                    chapter = "4-5"
                elif per_day == 3 and name == "Leavened and Unleavened Bread" and chapter == "8":
                    chapter = "8-9"
                out.append((name, chapter))
                break
            rest -= count
    return out


def _rambam(per_day: int) -> Any:
    key = "rambam" if per_day == 1 else "rambam3"

    def portion(day: date, israel: bool) -> Portion | None:
        readings = _rambam_readings(day, per_day)
        if readings is None:
            return None
        grouped: list[tuple[str, list[str]]] = []
        for name, chapter in readings:
            if grouped and grouped[-1][0] == name:
                grouped[-1][1].append(chapter)
            else:
                grouped.append((name, [chapter]))
        refs_ = []
        for name, chapters in grouped:
            first, last = chapters[0].split("-")[0], chapters[-1].split("-")[-1]
            refs_.append(f"Mishneh Torah, {name} {first}" + (f"-{last}" if last != first else ""))
        title = "Rambam (1 chapter)" if per_day == 1 else "Rambam (3 chapters)"
        return _fixed(key, title, refs_)

    return portion


_MITZVAH_KIND = {"P": "Positive Commandments", "N": "Negative Commandments"}


def _sefer_hamitzvot(day: date, israel: bool) -> Portion | None:
    info = _learning()["sefer_hamitzvot"]
    offset = _days_since(day, info["start"])
    if offset < 0:
        return None
    days: list[str] = info["days"]
    reading = days[offset % len(days)]
    if reading.startswith("Principle"):
        refs_ = [f"Sefer HaMitzvot, Shorashim {reading.split(' ', 1)[1]}"]
    elif not re.fullmatch(r"[PN]\d+(, [PN]\d+)*", reading):
        refs_ = ["Sefer HaMitzvot, Introduction"]
    else:
        refs_ = [f"Sefer HaMitzvot, {_MITZVAH_KIND[m[0]]} {m[1:]}" for m in reading.split(", ")]
    number = offset % len(days) + 1
    return Portion("sefer_hamitzvot", "Sefer HaMitzvot", tuple(refs_), f"Day {number}: {reading}")


def _dated(table: dict[str, dict[str, dict[str, Any]]], day: date) -> dict[str, Any]:
    """A reading kept by Hebrew date; the 29th of a short Cheshvan or Kislev reads the 30th's too."""
    hd = hebrew_date(day)
    kind = "leap" if hebrewcal.Year(hd.year).leap else "regular"
    reading = dict(table[kind][f"{hd.month}-{hd.day}"])
    if hd.day == 29 and hd.month in (8, 9) and (hd + 1).day == 1:
        reading["e"] = table[kind][f"{hd.month}-30"]["e"]
    return reading


def _chofetz_chaim(day: date, israel: bool) -> Portion:
    info = _learning()["chofetz_chaim"]
    r = _dated(info["days"], day)
    title = "Chofetz Chaim, " + info["names"][r["k"]]
    first, last = r.get("b"), r.get("e")
    if isinstance(last, list):  # Sefaria numbers the Preface's last paragraphs apart: read to the last
        last = last[-1]
    if r["k"] in ("HilchosLH", "HilchosRechilus", "Tziyurim"):
        word = "Illustration" if r["k"] == "Tziyurim" else "Principle"
        c1, _, s1 = str(first).partition(".")
        c2, _, s2 = str(last).partition(".") if last is not None else (c1, "", s1)
        start = f"{title}, {word} {c1}" + (f":{s1}" if s1 else "")
        if last is None or str(last) == str(first):
            found = [start]
        elif c1 == c2 and s1 and s2:
            found = [f"{start}-{s2}"]
        else:  # from one principle into the next
            found = [start, f"{title}, {word} {c2}" + (f":{s2}" if s2 else "")]
    elif first in (None, 0):
        found = [title]
    else:
        found = [f"{title} {first}" + (f"-{last}" if last not in (None, 0, first) else "")]
    label = " to ".join(found).removeprefix("Chofetz Chaim, ")
    return Portion("chofetz_chaim", "Chofetz Chaim", tuple(found), label)


def _shemirat_halashon(day: date, israel: bool) -> Portion:
    info = _learning()["shemirat_halashon"]
    r = _dated(info["days"], day)
    book = "Book I" if r["bk"] == 1 else "Book II"
    section = info["names"].get(str(r["k"]).replace(" ", "_"))
    title = f"Shemirat HaLashon, {book}" + (f", {section}" if section else "")
    first, last = str(r["b"]), str(r["e"])
    if not re.fullmatch(r"[\d.]+", first + last):  # a footnote Sefaria addresses by name: read the chapter
        chapter = first.split(".")[0]
        return Portion(
            "shemirat_halashon",
            "Shemirat HaLashon",
            (f"{title} {chapter}",),
            f"{title} {first}-{last}".removeprefix("Shemirat HaLashon, "),
        )
    a, b = first.split("."), last.split(".")
    start = ":".join(a)
    ref = f"{title} {start}"
    if last != first:
        ref += "-" + (b[-1] if a[:-1] == b[:-1] else ":".join(b))
    return Portion("shemirat_halashon", "Shemirat HaLashon", (ref,), ref.removeprefix("Shemirat HaLashon, "))


def _kitzur(day: date, israel: bool) -> Portion | None:
    hd = hebrew_date(day)
    leap = hebrewcal.Year(hd.year).leap
    if hd.day == 30 and hd.month in (8, 12):  # Cheshvan and Adar (I): the 29th's reading covers it
        return None
    if leap and hd.month == 13:
        month = "Leap Option A"
    elif hd.month == 12:
        month = "Adar"
    else:
        month = _KITZUR_MONTHS[hd.month]
    reading: str = _learning()["kitzur"][month][hd.day - 1]
    first, _, last = reading.partition("-")
    title = "Kitzur Shulchan Arukh"
    if last == "E" and ":" not in first:  # a whole siman
        ref, label = f"{title} {first}", first
    elif last.endswith(":E"):  # to the end of a siman
        ref, label = f"{title} {first}", f"{first} to the end of siman {last.split(':')[0]}"
    elif last and ":" not in first and ":" in last:  # from a whole siman into the next
        ref, label = f"{title} {first}:1-{last}", reading
    elif last and ":" not in first + last and int(last) < int(first):  # a misprint ('54-46'): start there
        ref, label = f"{title} {first}", reading
    else:
        ref = _range(title, first, last) if last else f"{title} {first}"
        label = reading
        if ":" in first and _backwards(first, last):  # a range the schedule misprints: start there
            ref = f"{title} {first}"
    if not re.match(r"\d", first):  # the introduction (Klalim)
        ref, label = title, reading.rstrip("-")
    return Portion("kitzur", "Kitzur Shulchan Arukh Yomi", (ref,), label)


def _backwards(first: str, last: str) -> bool:
    """'98:33', '98:32' (or '32'), '133:27', '4:1': does the range end before it starts?"""
    if not last or not re.fullmatch(r"[\d:]+", first + last):
        return False
    a, b = [int(n) for n in first.split(":")], [int(n) for n in last.split(":")]
    return a[: len(a) - len(b)] + b < a


_KITZUR_MONTHS = {
    1: "Nisan", 2: "Iyyar", 3: "Sivan", 4: "Tamuz", 5: "Av", 6: "Elul", 7: "Tishrei", 8: "Cheshvan",
    9: "Kislev", 10: "Tevet", 11: "Sh'vat",
}  # fmt: skip


def _arukh_hashulchan(day: date, israel: bool) -> Portion | None:
    info = _learning()["arukh_hashulchan"]
    offset = _days_since(day, info["start"])
    if offset < 0:
        return None
    section, span = info["days"][offset % len(info["days"])]
    ref = _range(f"Arukh HaShulchan, {info['sections'][section]}", *_full_span(span.replace(".", ":")))
    return Portion(
        "arukh_hashulchan", "Arukh HaShulchan Yomi", (ref,), ref.removeprefix("Arukh HaShulchan, ")
    )


def pirkei_avot_chapters(day: date, israel: bool) -> list[int]:
    """The chapters of Avot read on a summer Shabbat afternoon, Pesach to Rosh Hashanah (none else)."""
    if day.weekday() != 5:
        return []
    year = hebrew_date(day).year
    pesach_last = hdates.HebrewDate(year, 1, 21).to_pydate()
    if day <= pesach_last:
        return []
    first = pesach_last + timedelta(days=(5 - pesach_last.weekday()) % 7 or 7)
    weeks = (day - first).days // 7
    not_read = [hdates.HebrewDate(year, 5, 8).to_pydate(), hdates.HebrewDate(year, 5, 9).to_pydate()]
    if not israel:  # the eighth day of Pesach and the second of Shavuot are Yom Tov abroad
        not_read += [pesach_last + timedelta(days=1), hdates.HebrewDate(year, 3, 7).to_pydate()]
    for holiday in not_read:
        if holiday == day:
            return []
        if holiday <= day and holiday.weekday() == 5:
            weeks -= 1
    if weeks < 0:
        return []
    if weeks < 18:
        return [weeks % 6 + 1]
    rosh_hashanah = hdates.HebrewDate(year + 1, 7, 1).to_pydate()
    last = rosh_hashanah - timedelta(days=(rosh_hashanah.weekday() - 5) % 7 or 7)
    remaining = (last - day).days // 7
    return {0: [5, 6], 1: [3, 4], 2: [2] if weeks % 6 == 1 else [1, 2], 3: [1]}.get(remaining, [])


def _pirkei_avot(day: date, israel: bool) -> Portion | None:
    chapters = pirkei_avot_chapters(day, israel)
    if not chapters:
        return None
    ref = f"Pirkei Avot {chapters[0]}" + (f"-{chapters[-1]}" if len(chapters) > 1 else "")
    return _fixed("pirkei_avot", "Pirkei Avot (summer Shabbat)", [ref])


CYCLES: dict[str, Cycle] = {
    c.key: c
    for c in (
        Cycle("chumash", "Chumash with Rashi", "חומש עם פירש״י", "Chitas: the day's aliyah of the week's portion, Sunday the first … Shabbat the seventh", _chumash),
        Cycle("tehillim", "Tehillim (monthly)", "תהילים", "Chitas: the book of Psalms each Hebrew month", _tehillim_monthly),
        Cycle("tanya", "Tanya", "תניא", "Chitas: the daily Tanya, 19 Kislev to 19 Kislev (regular and leap years)", _tanya),
        Cycle("hayom_yom", "Hayom Yom", "היום יום", "The Rebbe's calendar of a teaching for each day", _hayom_yom),
        Cycle("daf_yomi", "Daf Yomi", "דף יומי", "A page of the Babylonian Talmud a day", _daf_yomi),
        Cycle("amud_yomi", "Amud Yomi", "עמוד יומי", "A side of a page of the Babylonian Talmud a day (Dirshu)", _amud_yomi),
        Cycle("daf_weekly", "Daf a Week", "דף השבוע", "A page of the Babylonian Talmud a week", _daf_weekly),
        Cycle("yerushalmi_vilna", "Yerushalmi Yomi (Vilna)", "ירושלמי יומי", "A page of the Jerusalem Talmud a day, Vilna edition", _yerushalmi("vilna")),
        Cycle("yerushalmi_schottenstein", "Yerushalmi Yomi (Schottenstein)", "ירושלמי יומי", "A page of the Jerusalem Talmud a day, Schottenstein edition", _yerushalmi("schottenstein")),
        Cycle("mishnah_yomit", "Mishnah Yomit", "משנה יומית", "Two mishnayot a day", _mishnah_yomit),
        Cycle("perek_yomi", "Perek Yomi (Mishnah)", "פרק יומי", "A chapter of Mishnah a day", _perek_yomi),
        Cycle("parasha", "Weekly portion, the day's aliyah", "פרשת השבוע", "The week's Torah portion, an aliyah a day", _parasha),
        Cycle("nach_yomi", "Nach Yomi", "נ״ך יומי", "A chapter of the Prophets and Writings a day", _nach_yomi),
        Cycle("tanakh_yomi", "Tanakh Yomi", "תנ״ך יומי", "The Prophets and Writings in a year, a Masoretic seder a day", _tanakh_yomi),
        Cycle("929", "929", "929", "A chapter of Tanakh each Sunday to Thursday", _nine29),
        Cycle("tehillim_weekly", "Tehillim (weekly)", "תהילים לפי ימי השבוע", "The book of Psalms each week", _tehillim_weekly),
        Cycle("rambam", "Rambam (1 chapter)", "רמב״ם פרק אחד", "A chapter of Mishneh Torah a day", _rambam(1)),
        Cycle("rambam3", "Rambam (3 chapters)", "רמב״ם ג׳ פרקים", "Three chapters of Mishneh Torah a day", _rambam(3)),
        Cycle("sefer_hamitzvot", "Sefer HaMitzvot", "ספר המצוות", "The Rambam's mitzvot, day by day with the one-chapter cycle", _sefer_hamitzvot),
        Cycle("kitzur", "Kitzur Shulchan Arukh Yomi", "קיצור שולחן ערוך", "The Kitzur by the Hebrew calendar", _kitzur),
        Cycle("arukh_hashulchan", "Arukh HaShulchan Yomi", "ערוך השולחן", "The Arukh HaShulchan day by day", _arukh_hashulchan),
        Cycle("chofetz_chaim", "Chofetz Chaim", "חפץ חיים", "The laws of speech, three times a year", _chofetz_chaim),
        Cycle("shemirat_halashon", "Shemirat HaLashon", "שמירת הלשון", "Guarding the tongue, by the Hebrew calendar", _shemirat_halashon),
        Cycle("pirkei_avot", "Pirkei Avot", "פרקי אבות", "A chapter on each summer Shabbat, Pesach to Rosh Hashanah", _pirkei_avot),
    )
}  # fmt: skip

# What a new journal keeps: Chitas and Daf Yomi, as Today always showed.
DEFAULT_CYCLES = ("chumash", "tehillim", "tanya", "daf_yomi")
CHITAS = ("chumash", "tehillim", "tanya")
_ALIASES = {
    "chitas": CHITAS,
    "daf": ("daf_yomi",),
    "yerushalmi": ("yerushalmi_vilna",),
    "rambam1": ("rambam",),
}


def portion(key: str, day: date, israel: bool = False) -> Portion | None:
    """The day's portion of one cycle (None on a day the cycle has none, e.g. 929 on Shabbat)."""
    return cycle(key).of(day, israel)


def cycle(key: str) -> Cycle:
    try:
        return CYCLES[key]
    except KeyError:
        import difflib

        raise NotFound(
            f"no cycle '{key}' (known: {', '.join(CYCLES)})",
            suggestions=difflib.get_close_matches(key, list(CYCLES), n=3),
        ) from None


def parse_cycle_list(text: str) -> tuple[str, ...]:
    """'chitas, daf_yomi, rambam' -> the cycle keys, in the catalog's order, without repeats."""
    wanted: list[str] = []
    for word in re.split(r"[\s,]+", text.strip().lower()):
        if not word:
            continue
        for key in _ALIASES.get(word, (word,)):
            cycle(key)
            wanted.append(key)
    if not wanted:
        raise MadregaError("name at least one cycle to keep", suggestions=list(CYCLES)[:6])
    return tuple(k for k in CYCLES if k in wanted)


def kept(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The cycles this journal keeps (a setting; Chitas and Daf Yomi until the user chooses)."""
    stored = journal.get_setting(conn, "cycles")
    if not stored:
        return DEFAULT_CYCLES
    return tuple(k for k in stored.split(",") if k in CYCLES) or DEFAULT_CYCLES


def keep(
    conn: sqlite3.Connection, keys: tuple[str, ...] | list[str] | str, *, since: date | None = None
) -> tuple[str, ...]:
    """Choose the cycles to keep; a cycle newly kept counts its catch-up from `since` (default today)."""
    chosen = parse_cycle_list(keys) if isinstance(keys, str) else parse_cycle_list(",".join(keys))
    started = kept_since(conn)
    begin = (since or hebrew_day(conn)).isoformat()
    for key in chosen:
        started.setdefault(key, begin)
    with journal.db.transaction(conn):
        journal.put_setting(conn, "cycles", ",".join(chosen))
        journal.put_setting(
            conn, "cycles_since", json.dumps({k: v for k, v in started.items() if k in chosen})
        )
    return chosen


def kept_since(conn: sqlite3.Connection) -> dict[str, str]:
    """When the user began keeping each cycle (catch-up never reaches before it)."""
    try:
        loaded = json.loads(journal.get_setting(conn, "cycles_since") or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
