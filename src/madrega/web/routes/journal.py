"""The practice companion: today's learning, the journal of steps, progress, plans, the hitbodedut timer.

Every state change is a POST. The pages' forms redirect (303) so they work without JavaScript; the
same actions exist under /api/ as JSON for static/journal.js and for scripts. Corrections and
deletions are new events: nothing recorded is ever destroyed.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup

from madrega.errors import ErrorKind, MadregaError, NotFound
from madrega.practice import building as building_mod
from madrega.practice import calendar, cycles, journal, plans, progress, timers, today
from madrega.practice.words import plural
from madrega.web.deps import Conn, Now
from madrega.web.render import render, templates

templates.env.filters.setdefault("plural", lambda n, word: plural(n, word))

router = APIRouter()
NAV = [("Today", "/today"), ("Journal", "/journal"), ("Progress", "/progress"), ("Plans", "/plans")]

TIMER_KIND = "hitbodedut"
HEARTBEAT_SECONDS = 15.0
OptionalField = Annotated[str | None, Form()]


# ------------------------------------------------------------------------------ helpers


def _number(text: str | None, name: str) -> float | None:
    """A form's number field: empty means not given; anything else must be a number."""
    if text is None or not text.strip():
        return None
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise MadregaError(f"{name} must be a number, not {text[:40]!r}") from None
    if not math.isfinite(value):
        raise MadregaError(f"{name} must be a number, not {text[:40]!r}")
    if value < 0:
        raise MadregaError(f"{name} cannot be negative")
    return value


def _minutes(text: str | None) -> float | None:
    return _number(text, "minutes")


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _day(text: str | None) -> date | None:
    """A form's day field (YYYY-MM-DD): empty means now."""
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise MadregaError(f"{text[:40]!r} is not a day: use YYYY-MM-DD") from None


@dataclass
class StepForm:
    """The optional fields of a step form (add or correct), as typed."""

    ref: OptionalField = None
    minutes: OptionalField = None
    note: OptionalField = None
    amount: OptionalField = None
    currency: OptionalField = None
    prayer: OptionalField = None
    day: OptionalField = None

    def values(self) -> dict[str, Any]:
        """The fields parsed; absent ones are left out (a MadregaError names a bad one)."""
        values: dict[str, Any] = {
            "ref": _text(self.ref),
            "note": _text(self.note),
            "minutes": _minutes(self.minutes),
            "amount": _number(self.amount, "amount"),
            "currency": _text(self.currency),
            "prayer": _text(self.prayer),
            "day": _day(self.day),
        }
        if values["amount"] is None:
            values["currency"] = None  # a currency alone, with no amount, says nothing
        return {k: v for k, v in values.items() if v is not None}


StepFields = Annotated[StepForm, Depends()]


def heartbeat_seconds(request: Request) -> float:
    """How often the page's timer says it is alive: ?heartbeat=SECONDS (1..60) lets tests go fast."""
    try:
        value = float(request.query_params.get("heartbeat", HEARTBEAT_SECONDS))
    except ValueError:
        return HEARTBEAT_SECONDS
    return min(60.0, max(1.0, value))


def _open_timer(conn: sqlite3.Connection, uid: str) -> timers.Timer | None:
    return next((t for t in timers.open_timers(conn) if t.uid == uid), None)


def _recover(conn: sqlite3.Connection, now: datetime) -> list[journal.Step]:
    """A cheap check on every practice page: sessions whose tab died are recorded up to their last
    heartbeat, so nothing hangs open."""
    return timers.recover_timers(conn, now=now)


def duration(minutes: float | None) -> str:
    """A session length a person reads at a glance: seconds under a minute, else minutes."""
    if not minutes:
        return ""
    if minutes < 1:
        return f"{round(minutes * 60)} s"
    whole, seconds = divmod(round(minutes * 60), 60)
    return f"{whole} min" + (f" {seconds} s" if seconds else "")


def _offset(request: Request) -> int:
    try:
        return max(0, min(2**62, int(request.query_params.get("offset", "0"))))
    except ValueError:
        return 0


def late_days(conn: sqlite3.Connection, now: datetime) -> list[tuple[str, str]]:
    """The days a step can be recorded for from the form: now, and the days of rest that just ended
    (after Havdalah: "I learned on Shabbat"), and yesterday."""
    where = calendar.place(conn)
    today = calendar.hebrew_day_at(where, now)
    days = [r.day for r in calendar.rest_before(today, where.israel)][::-1]
    if today - timedelta(days=1) not in days:
        days.append(today - timedelta(days=1))
    return [("", "Now")] + [(d.isoformat(), calendar.when_words(d, year=False)) for d in days]


def _journal_context(conn: sqlite3.Connection, request: Request, now: datetime) -> dict[str, Any]:
    page = journal.page_steps(conn, limit=journal.DEFAULT_PAGE, offset=_offset(request))
    live = request.query_params.get("timer")
    return {
        "steps": list(reversed(page.steps)),
        "page": page,
        "kinds": journal.known_kinds(conn),
        "prayers": journal.PRAYERS,
        "timers": [t for t in timers.open_timers(conn) if t.kind == TIMER_KIND],
        "live_timer": live,
        "heartbeat": heartbeat_seconds(request),
        "highlight": request.query_params.get("step"),
        "duration": duration,
        "late_days": late_days(conn, now),
        "now_words": calendar.describe_now(calendar.place(conn), now),
        "values": {"day": request.query_params.get("day", "")},
        "error": None,
    }


# ---------------------------------------------------------------------------- pages: today


@router.get("/today", include_in_schema=False)
def today_page(request: Request, conn: Conn, now: Now) -> Response:
    _recover(conn, now)
    context = {
        "today": today.today(conn, now),
        "duration": duration,
        "all_cycles": list(cycles.CYCLES.values()),
        "kept": cycles.kept(conn),
        "review_days": ", ".join(map(str, plans.default_reviews(conn))),
        "now_words": calendar.describe_now(calendar.place(conn), now),
        "greeting": progress.greeting(conn, now),
        "late_days": late_days(conn, now),
    }
    return render(request, "today.html", context)


@router.post("/today/cycles", include_in_schema=False)
def today_cycles_page(conn: Conn, now: Now, keep: Annotated[list[str] | None, Form()] = None) -> Response:
    cycles.keep(conn, keep or [], since=cycles.hebrew_day(conn, now))
    return RedirectResponse("/today#cycles", status_code=303)


@router.post("/today/cycles/{key}/done", include_in_schema=False)
def cycle_done_page(conn: Conn, now: Now, key: str, day: OptionalField = None) -> Response:
    today.mark_cycle_done(conn, key, _day(day), now=now)
    return RedirectResponse(f"/today#cycle-{quote(key)}", status_code=303)


@router.post("/today/reviews", include_in_schema=False)
def review_days_page(conn: Conn, days: OptionalField = None) -> Response:
    plans.set_default_reviews(conn, days or "none")
    return RedirectResponse("/today#reviews", status_code=303)


# -------------------------------------------------------------------------- pages: journal


@router.get("/journal", include_in_schema=False)
def journal_page(request: Request, conn: Conn, now: Now) -> Response:
    _recover(conn, now)
    return render(request, "journal.html", _journal_context(conn, request, now))


@router.post("/journal", include_in_schema=False)
def journal_add(
    request: Request, conn: Conn, now: Now, kind: Annotated[str, Form()], form: StepFields
) -> Response:
    try:
        step = journal.add_step(conn, kind, now=now, **form.values())
    except MadregaError as exc:
        if exc.kind is not ErrorKind.INVALID:
            raise  # not a typing mistake (the database is gone, full, …): the error page says so
        # Show the form again with what was typed and what is wrong, instead of losing the input.
        context = _journal_context(conn, request, now)
        context.update(values={"kind": kind, **asdict(form)}, error=exc)
        return render(request, "journal.html", context, status_code=400)
    return RedirectResponse(f"/journal?step={quote(step.uid)}#step-{step.uid}", status_code=303)


@router.get("/journal/{uid}", include_in_schema=False)
def step_page(request: Request, conn: Conn, uid: str) -> Response:
    step = journal.get_step(conn, uid)
    context = {
        "step": step,
        "kinds": journal.known_kinds(conn),
        "prayers": journal.PRAYERS,
        "duration": duration,
        "history": journal.subject_events(conn, step.uid),
    }
    return render(request, "step.html", context)


@router.post("/journal/{uid}/correct", include_in_schema=False)
def step_correct(conn: Conn, now: Now, uid: str, form: StepFields, kind: OptionalField = None) -> Response:
    step = _correct(conn, uid, kind, form, now)
    return RedirectResponse(f"/journal/{quote(step.uid)}", status_code=303)


@router.post("/journal/{uid}/delete", include_in_schema=False)
def step_delete(conn: Conn, now: Now, uid: str) -> Response:
    journal.delete_step(conn, uid, now=now)
    return RedirectResponse("/journal", status_code=303)


def _correct(
    conn: sqlite3.Connection, uid: str, kind: str | None, form: StepForm, now: datetime
) -> journal.Step:
    """The form's values become a correction (the core keeps only those that changed)."""
    changes = form.values()
    day = changes.pop("day", None)
    if _text(kind):
        changes["kind"] = _text(kind)
    return journal.correct_step(conn, uid, only_changed=True, day=day, now=now, **changes)


# ----------------------------------------------------------------------- pages: the timer


@router.post("/journal/timer/start", include_in_schema=False)
def timer_start_page(
    conn: Conn, now: Now, planned: OptionalField = None, heartbeat: OptionalField = None
) -> Response:
    timer = timers.start_timer(
        conn, kind=TIMER_KIND, planned_minutes=_number(planned, "planned minutes"), foreground=True, now=now
    )
    beat = _text(heartbeat)
    every = f"&heartbeat={quote(beat)}" if beat else ""  # tests choose a faster beat
    return RedirectResponse(f"/journal?timer={quote(timer.uid)}{every}#timer", status_code=303)


@router.post("/journal/timer/{uid}/stop", include_in_schema=False)
def timer_stop_page(conn: Conn, now: Now, uid: str, note: OptionalField = None) -> Response:
    step = _stop(conn, uid, now, _text(note))
    if step is None:
        return RedirectResponse("/journal#timer", status_code=303)
    return RedirectResponse(f"/journal?step={quote(step.uid)}#step-{step.uid}", status_code=303)


def _stop(conn: sqlite3.Connection, uid: str, now: datetime, note: str | None = None) -> journal.Step | None:
    """Stop a session; stopping one that already ended (a beacon after the click) is no mistake."""
    if _open_timer(conn, uid) is None:
        steps = [s for s in journal.list_steps(conn, kind=TIMER_KIND) if s.timer == uid]
        if steps:
            return steps[-1]
        raise NotFound(f"no session '{uid}' is running or was recorded")
    return timers.stop_timer(conn, uid, kind=TIMER_KIND, note=note, now=now)


# ------------------------------------------------------------------------- pages: progress


@router.get("/progress", include_in_schema=False)
def progress_page(request: Request, conn: Conn, now: Now) -> Response:
    _recover(conn, now)
    summary = progress.summary(conn, now)
    building = progress.building(conn)
    newest = journal.page_steps(conn, limit=20).steps[::-1]
    context = {
        "summary": summary,
        "greeting": progress.greeting(conn, now),
        "grid": progress.heat_grid(conn, days=84, today=date.fromisoformat(summary["today"])),
        # the SVG escapes every value it writes; it is our own markup, not the user's.
        "svg": Markup(building_mod.svg(building, legend=False, styled=False)),
        "building": building,
        "legend": [(k, n, building_mod.color_of(k)) for k, n in building.kinds.most_common()],
        "newest": newest,
        "skips": journal.skips(conn),
        "today": date.fromisoformat(summary["today"]),
    }
    return render(request, "progress.html", context)


@router.post("/progress/skips", include_in_schema=False)
def skip_add_page(
    conn: Conn,
    now: Now,
    first: Annotated[str, Form()],
    last: OptionalField = None,
    reason: OptionalField = None,
) -> Response:
    start = _day(first)
    if start is None:
        raise MadregaError("say which day to set aside (YYYY-MM-DD)")
    journal.add_skip(conn, start, _day(last), reason=_text(reason), now=now)
    return RedirectResponse("/progress#skips", status_code=303)


@router.post("/progress/skips/{uid}/remove", include_in_schema=False)
def skip_remove_page(conn: Conn, now: Now, uid: str) -> Response:
    journal.remove_skip(conn, uid, now=now)
    return RedirectResponse("/progress#skips", status_code=303)


# ---------------------------------------------------------------------------- pages: plans


@router.get("/plans", include_in_schema=False)
def plans_page(request: Request, conn: Conn, now: Now) -> Response:
    _recover(conn, now)
    return render(request, "plans.html", _plans_context(conn, now))


def _plans_context(conn: sqlite3.Connection, now: Any) -> dict[str, Any]:
    day = cycles.hebrew_day(conn, now)
    return {"plans": [p.to_dict(day) for p in plans.plans(conn)], "works": list(plans.SUGGESTED_PLAN_WORKS)}


@router.post("/plans", include_in_schema=False)
def plan_add_page(
    conn: Conn,
    now: Now,
    work: Annotated[str, Form()],
    divide: Annotated[str, Form()] = "days",
    days: OptionalField = None,
    reviews: OptionalField = None,
) -> Response:
    plan = _add_plan(conn, work, divide, days, reviews, now)
    return RedirectResponse(f"/plans#plan-{plan.short_id}", status_code=303)


@router.post("/plans/{plan_id}/portions/{portion}/done", include_in_schema=False)
def plan_portion_done_page(
    conn: Conn, now: Now, plan_id: str, portion: int, back: OptionalField = None
) -> Response:
    plan = plans.mark_portion(conn, plan_id, portion, now=now).plan
    target = "/today" if back == "today" else "/plans"
    return RedirectResponse(f"{target}#plan-{plan.short_id}", status_code=303)


@router.post("/plans/{plan_id}/remove", include_in_schema=False)
def plan_remove_page(conn: Conn, plan_id: str) -> Response:
    plans.remove_plan(conn, plan_id)
    return RedirectResponse("/plans", status_code=303)


def _add_plan(
    conn: sqlite3.Connection, work: str, divide: str, days: str | None, reviews: str | None, now: Any
) -> plans.Plan:
    review_days = plans.parse_reviews(reviews) if reviews and reviews.strip() else None
    if divide == "chapter":
        return plans.add_plan(conn, work, by="chapter", reviews=review_days, now=now)
    count = _number(days, "days")
    if count is None or count != int(count):
        raise MadregaError("say in how many days (a whole number), or divide by chapter")
    return plans.add_plan(conn, work, days=int(count), reviews=review_days, now=now)


# ------------------------------------------------------------------------------------- API


@router.get("/api/today", tags=["practice"], summary="Today's learning: Chitas, Daf Yomi, plans, steps done")
def api_today(conn: Conn, now: Now) -> dict[str, Any]:
    moment = calendar.describe_now(calendar.place(conn), now)
    return {**today.today(conn, now).to_dict(), **moment, "greeting": progress.greeting(conn, now)}


@router.get(
    "/api/cycles", tags=["practice"], summary="Every cycle madrega knows, and which the journal keeps"
)
def api_cycles(conn: Conn) -> dict[str, Any]:
    kept = cycles.kept(conn)
    return {
        "kept": list(kept),
        "cycles": [
            {"key": c.key, "name": c.name, "he": c.he, "about": c.about, "kept": c.key in kept}
            for c in cycles.CYCLES.values()
        ],
    }


@router.post("/api/cycles", tags=["practice"], summary="Choose the cycles to keep (comma-separated keys)")
def api_cycles_keep(conn: Conn, now: Now, keep: Annotated[str, Form()]) -> dict[str, Any]:
    return {"kept": list(cycles.keep(conn, keep, since=cycles.hebrew_day(conn, now)))}


@router.post(
    "/api/cycles/{key}/done",
    tags=["practice"],
    summary="Mark a cycle's portion of a day done (records the study)",
)
def api_cycle_done(conn: Conn, now: Now, key: str, day: OptionalField = None) -> dict[str, Any]:
    steps = today.mark_cycle_done(conn, key, _day(day), now=now)
    return {"recorded": [s.to_dict() for s in steps]}


@router.get(
    "/api/journal",
    tags=["practice"],
    summary="Steps, a page at a time: the newest page first, each page oldest first",
    description="Headers: X-Total-Count, and Link rel=next to the page of older steps (a cursor).",
)
def api_journal(
    request: Request,
    conn: Conn,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**62)] = 0,
    before: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    page = journal.page_steps(
        conn, kind=kind, since=since, until=until, limit=limit, offset=offset, before=before
    )
    headers = {"X-Total-Count": str(page.total)}
    if page.before is not None:
        query = {k: v for k, v in {"kind": kind, "since": since, "until": until}.items() if v}
        query.update(limit=str(limit), before=page.before)
        headers["Link"] = f'</api/journal?{urlencode(query)}>; rel="next"'
    return JSONResponse([s.to_dict() for s in page.steps], headers=headers)


@router.post("/api/journal", tags=["practice"], status_code=201, summary="Record a step")
def api_journal_add(conn: Conn, now: Now, kind: Annotated[str, Form()], form: StepFields) -> dict[str, Any]:
    return journal.add_step(conn, kind, now=now, **form.values()).to_dict()


@router.get("/api/journal/{uid}", tags=["practice"], summary="One step (a brick of the building)")
def api_step(conn: Conn, uid: str) -> dict[str, Any]:
    step = journal.get_step(conn, uid)
    return {**step.to_dict(), "summary": step.summary(), "duration": duration(step.minutes)}


@router.post("/api/journal/{uid}/correct", tags=["practice"], summary="Correct a step (a new event)")
def api_step_correct(
    conn: Conn, now: Now, uid: str, form: StepFields, kind: OptionalField = None
) -> dict[str, Any]:
    return _correct(conn, uid, kind, form, now).to_dict()


@router.post("/api/journal/{uid}/delete", tags=["practice"], summary="Delete a step (a new event)")
def api_step_delete(conn: Conn, now: Now, uid: str) -> dict[str, Any]:
    return {"deleted": journal.delete_step(conn, uid, now=now).uid}


@router.get("/api/skips", tags=["practice"], summary="Days set aside (illness, travel): the strength waits")
def api_skips(conn: Conn) -> list[dict[str, Any]]:
    return [s.to_dict() for s in journal.skips(conn)]


@router.post("/api/skips", tags=["practice"], status_code=201, summary="Set days aside")
def api_skip_add(
    conn: Conn,
    now: Now,
    first: Annotated[str, Form()],
    last: OptionalField = None,
    reason: OptionalField = None,
) -> dict[str, Any]:
    start = _day(first)
    if start is None:
        raise MadregaError("say which day to set aside (YYYY-MM-DD)")
    return journal.add_skip(conn, start, _day(last), reason=_text(reason), now=now).to_dict()


@router.post("/api/skips/{uid}/remove", tags=["practice"], summary="Count those days again")
def api_skip_remove(conn: Conn, now: Now, uid: str) -> dict[str, Any]:
    return {"removed": journal.remove_skip(conn, uid, now=now).uid}


@router.get("/api/timers", tags=["practice"], summary="Running sessions (after recovering dead ones)")
def api_timers(conn: Conn, now: Now) -> dict[str, Any]:
    recovered = _recover(conn, now)
    return {
        "running": [t.to_dict() for t in timers.open_timers(conn)],
        "recovered": [s.to_dict() for s in recovered],
    }


@router.post("/api/timers", tags=["practice"], status_code=201, summary="Start a hitbodedut session")
def api_timer_start(conn: Conn, now: Now, planned: OptionalField = None) -> dict[str, Any]:
    timer = timers.start_timer(
        conn, kind=TIMER_KIND, planned_minutes=_number(planned, "planned minutes"), foreground=True, now=now
    )
    return timer.to_dict()


@router.post("/api/timers/{uid}/heartbeat", tags=["practice"], summary="The session's page is alive")
def api_timer_heartbeat(conn: Conn, now: Now, uid: str) -> dict[str, Any]:
    if _open_timer(conn, uid) is None:
        # Ended elsewhere (stopped, or recovered after the page slept): tell the page so.
        return {"running": False}
    timers.heartbeat(conn, uid, now=now)
    return {"running": True}


@router.post("/api/timers/{uid}/stop", tags=["practice"], summary="End a session and record it")
def api_timer_stop(conn: Conn, now: Now, uid: str, note: OptionalField = None) -> dict[str, Any]:
    step = _stop(conn, uid, now, _text(note))
    return {"step": None if step is None else step.to_dict()}


@router.get(
    "/api/progress", tags=["practice"], summary="Totals, strength, stage, days kept, and the building"
)
def api_progress(
    conn: Conn,
    now: Now,
    days: Annotated[int, Query(ge=7, le=3660, description="Days in the heatmap.")] = 84,
    kind: Annotated[str | None, Query(max_length=64, description="Heatmap of one kind.")] = None,
) -> dict[str, Any]:
    return progress.report(conn, now, days=days, kind=kind)


@router.get("/api/progress/building.svg", tags=["practice"], summary="The building as SVG")
def api_building_svg(conn: Conn) -> Response:
    return Response(progress.building_svg(progress.building(conn)), media_type="image/svg+xml")


@router.get("/api/plans", tags=["practice"], summary="Study plans and their progress")
def api_plans(conn: Conn, now: Now) -> list[dict[str, Any]]:
    day = cycles.hebrew_day(conn, now)
    return [p.to_dict(day) for p in plans.plans(conn)]


@router.post("/api/plans", tags=["practice"], status_code=201, summary="Add a study plan")
def api_plan_add(
    conn: Conn,
    now: Now,
    work: Annotated[str, Form()],
    divide: Annotated[str, Form()] = "days",
    days: OptionalField = None,
    reviews: OptionalField = None,
) -> dict[str, Any]:
    return _add_plan(conn, work, divide, days, reviews, now).to_dict(cycles.hebrew_day(conn, now))


@router.post(
    "/api/plans/{plan_id}/portions/{portion}/done",
    tags=["practice"],
    summary="Mark a portion (1-based) done: records a study step covering it, which counts the pass due",
)
def api_plan_portion_done(conn: Conn, now: Now, plan_id: str, portion: int) -> dict[str, Any]:
    return plans.mark_portion(conn, plan_id, portion, now=now).to_dict(cycles.hebrew_day(conn, now))
