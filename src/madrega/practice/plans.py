"""Personal study plans: a work divided into daily portions, each read once and then reviewed.

A portion has passes: the first reading (pass 0) and review passes after a number of days from the
first reading (by default a day, a week and a month; the user sets them per plan or for the journal).
A pass is done by a study step that covers the portion (it marks the pass then due), or by marking it
done, which records that study step: one core function for the command line, the API and the page.
Everything is replayed from the journal's plan events; a pass whose step was deleted opens again.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from madrega import errors, refs
from madrega.errors import MadregaError, NotFound
from madrega.practice import cycles, journal

# Works people often follow chapter by chapter, offered as examples (any catalog work will do).
SUGGESTED_PLAN_WORKS: tuple[str, ...] = (
    "Tanya, Part III; Iggeret HaTeshuvah",
    "Tanya, Part I; Likkutei Amarim",
    "Likutei Moharan, Part II",
    "Psalms",
    "Proverbs",
)
DEFAULT_REVIEWS: tuple[int, ...] = (1, 7, 30)
MAX_REVIEWS = 10
_ADDRESS = re.compile(r"^(?P<title>.+?)\s+(?P<addr>\d+[ab]?(?::\d+)?(?:-\d+[ab]?(?::\d+)?)?)$")
Address = tuple[int, ...]
_END = 10**9


@dataclass(frozen=True)
class Pass:
    """One reading of a portion: pass 0 is the first, pass k the k-th review."""

    number: int
    step: str | None
    day: str  # the Hebrew day (civil date of it) the pass was done

    def to_dict(self) -> dict[str, Any]:
        return {"pass": self.number, "step": self.step, "day": self.day}


@dataclass
class Plan:
    uid: str
    title: str
    work: str
    portions: list[str]
    start: str
    days: int | None
    by: str | None
    reviews: tuple[int, ...] = DEFAULT_REVIEWS
    passes: dict[int, dict[int, Pass]] = field(default_factory=dict)

    @property
    def short_id(self) -> str:
        return self.uid[:8]

    @property
    def done(self) -> dict[int, str | None]:
        """Portions read at least once, with the step of their first reading."""
        return {i: p[0].step for i, p in self.passes.items() if 0 in p}

    def next_portion(self) -> int | None:
        return next((i for i in range(len(self.portions)) if i not in self.done), None)

    def scheduled_index(self, day: date) -> int:
        return max(0, min(len(self.portions) - 1, (day - date.fromisoformat(self.start)).days))

    def due_pass(self, index: int, day: date) -> int | None:
        """The pass a study of portion `index` on `day` belongs to: the first reading, else the
        earliest review that is due by then (None when nothing is due: a re-reading)."""
        done = self.passes.get(index, {})
        if 0 not in done:
            return 0
        first = date.fromisoformat(done[0].day)
        for k, after in enumerate(self.reviews, start=1):
            if k not in done:
                return k if first + timedelta(days=after) <= day else None
        return None

    def reviews_due(self, day: date) -> list[dict[str, Any]]:
        out = []
        for index in sorted(self.passes):
            k = self.due_pass(index, day)
            if k:
                first = date.fromisoformat(self.passes[index][0].day)
                due = first + timedelta(days=self.reviews[k - 1])
                out.append(
                    {
                        "plan": self.short_id,
                        "title": self.title,
                        "portion": index + 1,
                        "ref": self.portions[index],
                        "pass": k,
                        "after_days": self.reviews[k - 1],
                        "due": due.isoformat(),
                        "overdue_days": (day - due).days,
                    }
                )
        return out

    def to_dict(self, day: date | None = None) -> dict[str, Any]:
        nxt = self.next_portion()
        out: dict[str, Any] = {
            "id": self.short_id,
            "uid": self.uid,
            "title": self.title,
            "work": self.work,
            "start": self.start,
            "days": self.days,
            "by": self.by,
            "reviews": list(self.reviews),
            "portions": self.portions,
            "done": sorted(self.done),
            "done_count": len(self.done),
            "passes": {
                str(i + 1): [p.to_dict() for _, p in sorted(v.items())]
                for i, v in sorted(self.passes.items())
            },
            "next": None if nxt is None else {"index": nxt + 1, "ref": self.portions[nxt]},
        }
        if day is not None:
            out["scheduled_today"] = self.scheduled_index(day) + 1
            out["reviews_due"] = self.reviews_due(day)
        return out


# ---------------------------------------------------------------- dividing a work


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
            f"madrega does not know how '{work}' divides: import it into the library first",
            suggestions=refs.catalog().suggest(work),
            remedy=errors.FETCH,
            subject=work,
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
            f"use at most {total} days, or a chapter a day"
        )
    size, extra = divmod(total, days)
    out, n = [], first
    for i in range(days):
        count = size + (1 if i < extra else 0)
        last = n + count - 1
        out.append(f"{work} {n}" if count == 1 else f"{work} {n}-{last}")
        n = last + 1
    return out


def parse_reviews(text: str | None) -> tuple[int, ...]:
    """'1,7,30' -> (1, 7, 30); '' or 'none' -> no reviews. Days after the first reading, increasing."""
    if text is None:
        return DEFAULT_REVIEWS
    words = [w for w in re.split(r"[\s,]+", text.strip().lower()) if w]
    if not words or words == ["none"]:
        return ()
    try:
        days = tuple(int(w) for w in words)
    except ValueError:
        raise MadregaError(
            f"'{text}' is not a list of days: give days after the first reading, e.g. 1,7,30"
        ) from None
    if any(d < 1 or d > 3660 for d in days) or list(days) != sorted(set(days)) or len(days) > MAX_REVIEWS:
        raise MadregaError(
            f"'{text}': review days must grow, each from 1 to 3660 days, at most {MAX_REVIEWS}",
            suggestions=["1,7,30", "1,3,7,30,90"],
        )
    return days


def default_reviews(conn: sqlite3.Connection) -> tuple[int, ...]:
    """The journal's review intervals for new plans (setting `reviews`; a day, a week, a month)."""
    return parse_reviews(journal.get_setting(conn, "reviews"))


def set_default_reviews(conn: sqlite3.Connection, text: str | None) -> tuple[int, ...]:
    days = parse_reviews(text)
    journal.put_setting(conn, "reviews", ",".join(map(str, days)) or "none")
    return days


# ---------------------------------------------------------------- the plan events


def add_plan(
    conn: sqlite3.Connection,
    text: str,
    *,
    days: int | None = None,
    by: str | None = None,
    start: date | None = None,
    reviews: tuple[int, ...] | None = None,
    now: datetime | None = None,
) -> Plan:
    if (days is None) == (by is None):
        raise MadregaError("say how to divide the plan: in a number of days, or a chapter a day")
    if by is not None and by != "chapter":
        raise MadregaError(f"cannot divide by '{by}': divide by chapter")
    work = cycles.canonical_ref(text)
    if work is None:
        raise NotFound(f"'{text}' is not a work madrega knows", suggestions=refs.catalog().suggest(text))
    title = work
    span = _span(work)
    first, last = 1, None
    if span is not None:  # a plan over part of a work, e.g. "Psalms 1-41"
        work, first, last = span[0], span[1][0], span[2][0] if span[2][0] != _END else span[1][0]
    chapters = last or work_chapters(conn, work)
    portions = divide(work, chapters, days=days, first=first)
    begin = start or cycles.hebrew_day(conn, now)
    uid = journal.new_uid()
    data = {
        "title": title,
        "work": work,
        "portions": portions,
        "start": begin.isoformat(),
        "days": days,
        "by": by,
        "reviews": list(default_reviews(conn) if reviews is None else reviews),
    }
    with journal.db.transaction(conn):
        journal.append(conn, "plan.added", uid, data, at=now)
        plan = get_plan(conn, uid)
        for step in journal.list_steps(conn, kind="study"):
            _mark([plan], conn, step)
    return get_plan(conn, uid)


def plans(conn: sqlite3.Connection, include: str | None = None) -> list[Plan]:
    """Replay of the plan events; a pass whose marking step was deleted is open again."""
    found: dict[str, Plan] = {}
    marks: list[tuple[str, int, int, str | None, str]] = []
    for ev in journal.events(conn, types=journal.PLAN_EVENTS):
        sid = ev.step_uid or ""
        if ev.type == "plan.added":
            d = ev.data
            reviews = tuple(int(x) for x in d.get("reviews", DEFAULT_REVIEWS))
            found[sid] = Plan(
                sid,
                d["title"],
                d["work"],
                list(d["portions"]),
                d["start"],
                d.get("days"),
                d.get("by"),
                reviews,
            )
        elif ev.type == "plan.portion_done" and sid in found:
            day = str(ev.data.get("day") or ev.at[:10])
            marks.append(
                (sid, int(ev.data["portion"]), int(ev.data.get("pass", 0)), ev.data.get("step"), day)
            )
        elif ev.type == "plan.removed":
            found.pop(sid, None)
    wanted = {m[3] for m in marks if m[3]}
    alive = _alive_steps(conn, wanted)
    for sid, index, number, step, day in marks:
        plan = found.get(sid)
        if plan is None or (step is not None and step not in alive):
            continue
        plan.passes.setdefault(index, {}).setdefault(number, Pass(number, step, day))
    out = list(found.values())
    return [p for p in out if p.uid == include] if include else out


def _alive_steps(conn: sqlite3.Connection, uids: set[str]) -> set[str]:
    """Which of these steps still exist (one indexed lookup per batch, not a scan of the journal)."""
    alive: set[str] = set()
    listed = list(uids)
    for i in range(0, len(listed), 500):
        chunk = listed[i : i + 500]
        rows = conn.execute(f"SELECT uid FROM steps WHERE uid IN ({','.join('?' * len(chunk))})", chunk)
        alive.update(r[0] for r in rows)
    return alive


def get_plan(conn: sqlite3.Connection, plan_id: str) -> Plan:
    matches = [p for p in plans(conn) if p.uid.startswith(plan_id)]
    if not matches:
        raise NotFound(f"no plan with id '{plan_id}'", suggestions=[p.short_id for p in plans(conn)][:5])
    if len(matches) > 1:
        raise MadregaError(f"'{plan_id}' names more than one plan", suggestions=[p.short_id for p in matches])
    return matches[0]


def remove_plan(conn: sqlite3.Connection, plan_id: str, *, now: datetime | None = None) -> Plan:
    plan = get_plan(conn, plan_id)
    journal.append(conn, "plan.removed", plan.uid, {}, at=now)
    return plan


def _mark(
    candidates: list[Plan], conn: sqlite3.Connection, step: journal.Step
) -> list[tuple[Plan, int, int]]:
    """Mark, in every plan, the pass that a study step covering a portion belongs to."""
    day = date.fromisoformat(step.day)
    marked = []
    for plan in candidates:
        for index, portion in enumerate(plan.portions):
            if not cycles.covers(step.ref, portion):
                continue
            number = plan.due_pass(index, day)
            if number is None:
                continue
            data = {"portion": index, "step": step.uid, "pass": number, "day": step.day}
            journal.append(conn, "plan.portion_done", plan.uid, data)
            plan.passes.setdefault(index, {})[number] = Pass(number, step.uid, step.day)
            marked.append((plan, index, number))
    return marked


@journal.on_step_recorded
def mark_plans(conn: sqlite3.Connection, step: journal.Step) -> None:
    """Called in the transaction that records a study step: mark the passes it covers."""
    if step.kind == "study" and step.ref:
        _mark(plans(conn), conn, step)


@dataclass(frozen=True)
class Marked:
    """What marking a portion did: the plan after it, the study step recorded and the pass it counted."""

    plan: Plan
    portion: int
    number: int | None
    step: journal.Step | None

    def to_dict(self, day: date | None = None) -> dict[str, Any]:
        """The plan as it is now, with what this marking did (`marked`)."""
        marked = {
            "portion": self.portion,
            "pass": self.number,
            "step": None if self.step is None else self.step.to_dict(),
        }
        return {**self.plan.to_dict(day), "marked": marked}


def mark_portion(
    conn: sqlite3.Connection, plan_id: str, portion: int, *, now: datetime | None = None
) -> Marked:
    """Mark portion `portion` (1-based) done: record the study itself (a study step covering it, which
    marks the pass now due); a pass with nothing due (read again the same day) records nothing more.
    The command line, the API and the page all call this."""
    plan = get_plan(conn, plan_id)
    if not 1 <= portion <= len(plan.portions):
        raise MadregaError(f"plan {plan.short_id} has portions 1..{len(plan.portions)}")
    index = portion - 1
    day = cycles.hebrew_day(conn, now)
    number = plan.due_pass(index, day)
    if number is None:
        return Marked(plan, portion, None, None)
    with journal.db.transaction(conn):
        step = journal.add_step(conn, "study", ref=plan.portions[index], note=f"plan: {plan.title}", at=now)
        plan = get_plan(conn, plan.uid)
        if number not in plan.passes.get(index, {}):  # a portion the ref matcher cannot read
            data = {"portion": index, "step": step.uid, "pass": number, "day": step.day}
            journal.append(conn, "plan.portion_done", plan.uid, data, at=now)
            plan = get_plan(conn, plan.uid)
    return Marked(plan, portion, number, step)


def reviews_due(conn: sqlite3.Connection, day: date) -> list[dict[str, Any]]:
    return [r for p in plans(conn) for r in p.reviews_due(day)]
