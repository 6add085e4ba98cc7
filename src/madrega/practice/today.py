"""What Today lists: the Hebrew date, the day's portion of every cycle the user keeps (done or not,
and what to open to read it), the days of those cycles still to catch up, the reviews due in plans,
the plans' portions for the day, and the steps already taken.

A cycle portion is done when a study step of that day or later covers it. A day missed does not
disappear: it stays on the catch-up list (from the day the user began keeping the cycle, at most
`CATCH_UP_DAYS` back) until a study step covers it.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from madrega import refs
from madrega.errors import MadregaError, NotFound
from madrega.practice import cycles, journal, plans

CATCH_UP_DAYS = 30


@dataclass(frozen=True)
class Entry:
    """A cycle's portion on a day, and whether it is done."""

    portion: cycles.Portion
    day: date
    done: bool
    step: str | None

    def to_dict(self) -> dict[str, Any]:
        return {**self.portion.to_dict(), "day": self.day.isoformat(), "done": self.done, "step": self.step}


@dataclass
class Today:
    day: date
    hebrew: str
    hebrew_en: str
    chumash: list[cycles.Aliyah]
    tehillim: str
    tanya: list[str]
    tanya_note: str | None
    daf: cycles.Daf
    cycles: list[Entry]
    catch_up: list[Entry]
    reviews_due: list[dict[str, Any]]
    plans: list[dict[str, Any]]
    done: list[journal.Step]

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "weekday": cycles.DAY_NAMES[cycles._weekday_index(self.day)],
            "hebrew_date": self.hebrew,
            "hebrew_date_en": self.hebrew_en,
            "cycles": [e.to_dict() for e in self.cycles],
            "catch_up": [e.to_dict() for e in self.catch_up],
            "reviews_due": self.reviews_due,
            "chumash": [a.to_dict() for a in self.chumash],
            "tehillim": self.tehillim,
            "tanya": self.tanya,
            "tanya_note": self.tanya_note,
            "daf_yomi": self.daf.to_dict(),
            "plans": self.plans,
            "done": [s.to_dict() for s in self.done],
        }


class _Studied:
    """The study steps of a stretch of days, indexed by work, so a portion is checked against the
    steps of its own work only (a month of catch-up over a long journal stays fast)."""

    def __init__(self, steps: list[journal.Step]) -> None:
        self.by_work: dict[int, list[tuple[str, refs.Ref, str]]] = defaultdict(list)
        self.by_text: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for step in steps:
            text = step.ref or step.what
            if not text:
                continue
            ref = cycles.parsed(text)
            if ref is None:
                self.by_text[text.strip()].append((step.day, step.uid))
            else:
                self.by_work[ref.index].append((step.day, ref, step.uid))

    def covering(self, portion: cycles.Portion, day: date) -> str | None:
        """The first study step, on `day` or later, among those covering the portion's refs (all of them)."""
        iso = day.isoformat()
        found: str | None = None
        for text in portion.refs:
            wanted = cycles.parsed(text)
            if wanted is None:
                hit = next((uid for d, uid in self.by_text.get(text.strip(), ()) if d >= iso), None)
            else:
                hit = next(
                    (
                        uid
                        for d, ref, uid in self.by_work.get(wanted.index, ())
                        if d >= iso and ref.contains(wanted)
                    ),
                    None,
                )
            if hit is None:
                return None
            found = found or hit
        return found


def entries(
    conn: sqlite3.Connection, day: date, *, israel: bool = False, keys: tuple[str, ...] | None = None
) -> tuple[list[Entry], list[Entry]]:
    """(today's entries, the catch-up list) for the kept cycles."""
    keys = keys or cycles.kept(conn)
    since = cycles.kept_since(conn)
    earliest = day - timedelta(days=CATCH_UP_DAYS)
    starts = {k: max(earliest, date.fromisoformat(since[k])) if k in since else day for k in keys}
    first = min(starts.values(), default=day)
    study = _Studied(journal.list_steps(conn, kind="study", since=first.isoformat()))
    today_entries: list[Entry] = []
    catch_up: list[Entry] = []
    for key in keys:
        found = cycles.portion(key, day, israel)
        if found is not None:
            step = study.covering(found, day)
            today_entries.append(Entry(found, day, step is not None, step))
        past = starts[key]
        while past < day:
            old = cycles.portion(key, past, israel)
            if old is not None and study.covering(old, past) is None:
                catch_up.append(Entry(old, past, False, None))
            past += timedelta(days=1)
    catch_up.sort(key=lambda e: (e.day, list(keys).index(e.portion.cycle)))
    return today_entries, catch_up


def today(
    conn: sqlite3.Connection,
    now: datetime | None = None,
    *,
    online: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> Today:
    where = cycles.place(conn)
    day = cycles.hebrew_day_at(where, now or journal.utcnow())
    tanya_ref, _label = cycles.tanya_portion(day)
    tanya, tanya_note = [tanya_ref], None
    with suppress(NotFound):  # an imported Tanya (or Sefaria's calendar) knows where the lesson ends
        tanya = cycles.tanya_of_day(conn, day, online=online, transport=transport)
    today_entries, catch_up = entries(conn, day, israel=where.israel)
    plan_rows = [p.to_dict(day) for p in plans.plans(conn)]
    return Today(
        day=day,
        hebrew=cycles.hebrew_date_string(day),
        hebrew_en=cycles.hebrew_date_english(day),
        chumash=cycles.aliyot_of_day(day, where.israel),
        tehillim=cycles.tehillim_of_day(day),
        tanya=tanya,
        tanya_note=tanya_note,
        daf=cycles.daf_yomi(day),
        cycles=today_entries,
        catch_up=catch_up,
        reviews_due=[r for p in plan_rows for r in p["reviews_due"]],
        plans=plan_rows,
        done=journal.list_steps(conn, since=day.isoformat(), until=day.isoformat()),
    )


def mark_cycle_done(
    conn: sqlite3.Connection, key: str, day: date | None = None, *, now: datetime | None = None
) -> list[journal.Step]:
    """Mark a cycle's portion of a day (default today) done by recording the study: a study step for
    each of its refs not yet covered. One core function for the command line, the API and the page."""
    where = cycles.place(conn)
    today_ = cycles.hebrew_day_at(where, now or journal.utcnow())
    day = day or today_
    if day > today_:
        raise MadregaError(f"{day.isoformat()} has not come yet: mark today's portion or an earlier one")
    found = cycles.portion(key, day, where.israel)
    if found is None:
        raise NotFound(f"{cycles.cycle(key).name} has no portion on {day.isoformat()}")
    study = journal.list_steps(conn, kind="study", since=day.isoformat())
    recorded = []
    with journal.db.transaction(conn):
        for ref in found.refs:
            if any(cycles.covers(s.ref or s.what, ref) for s in study):
                continue
            note = f"{found.name}, {day.isoformat()}"
            recorded.append(journal.add_step(conn, "study", ref=ref, note=note, at=now))
    return recorded
