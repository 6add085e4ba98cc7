"""The practice companion: today's learning (Chitas, Daf Yomi, plans), the journal of steps, plans."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from madrega import cycles, journal, progress
from madrega.web.deps import Conn
from madrega.web.render import render

router = APIRouter()
NAV = [("Today", "/today"), ("Journal", "/journal"), ("Progress", "/progress"), ("Plans", "/plans")]


@router.get("/today", include_in_schema=False)
def today_page(request: Request, conn: Conn) -> Response:
    return render(request, "today.html", {"today": cycles.today(conn)})


@router.get("/journal", include_in_schema=False)
def journal_page(request: Request, conn: Conn) -> Response:
    steps = list(reversed(journal.list_steps(conn, limit=100)))
    return render(request, "journal.html", {"steps": steps, "kinds": journal.known_kinds(conn)})


@router.post("/journal", include_in_schema=False)
def journal_add(
    conn: Conn,
    kind: Annotated[str, Form()],
    ref: Annotated[str | None, Form()] = None,
    minutes: Annotated[str | None, Form()] = None,
    note: Annotated[str | None, Form()] = None,
) -> Response:
    journal.add_step(conn, kind, ref=ref or None, minutes=_minutes(minutes), note=note or None)
    return RedirectResponse("/journal", status_code=303)


@router.get("/progress", include_in_schema=False)
def progress_page(request: Request, conn: Conn) -> Response:
    building = progress.building(conn)
    context = {
        "summary": progress.summary(conn),
        "greeting": progress.greeting(conn),
        # building_svg escapes every value it writes; it is our own markup, not the user's.
        "svg": Markup(progress.building_svg(building)),
        "building": building,
    }
    return render(request, "progress.html", context)


@router.get("/plans", include_in_schema=False)
def plans_page(request: Request, conn: Conn) -> Response:
    return render(request, "plans.html", {"plans": [p.to_dict() for p in cycles.plans(conn)]})


def _minutes(text: str | None) -> float | None:
    from madrega.errors import MadregaError

    if not text or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise MadregaError(f"minutes must be a number, not {text!r}") from None
    if value < 0:
        raise MadregaError("minutes cannot be negative")
    return value


# ------------------------------------------------------------------------------------- API


@router.get("/api/today", tags=["practice"], summary="Today's learning: Chitas, Daf Yomi, plans, steps done")
def api_today(conn: Conn) -> dict[str, Any]:
    return cycles.today(conn).to_dict()


@router.get("/api/journal", tags=["practice"], summary="Steps, oldest first")
def api_journal(
    conn: Conn, kind: str | None = None, since: str | None = None, until: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    return [s.to_dict() for s in journal.list_steps(conn, kind=kind, since=since, until=until, limit=limit)]


@router.post("/api/journal", tags=["practice"], status_code=201, summary="Record a step")
def api_journal_add(
    conn: Conn,
    kind: Annotated[str, Form()],
    ref: Annotated[str | None, Form()] = None,
    minutes: Annotated[str | None, Form()] = None,
    note: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    step = journal.add_step(conn, kind, ref=ref or None, minutes=_minutes(minutes), note=note or None)
    return step.to_dict()


@router.get("/api/progress", tags=["practice"], summary="Totals, strength, stage, and the building")
def api_progress(conn: Conn) -> dict[str, Any]:
    return {**progress.summary(conn), "building": progress.building(conn).to_dict()}


@router.get("/api/progress/building.svg", tags=["practice"], summary="The building as SVG")
def api_building_svg(conn: Conn) -> Response:
    return Response(progress.building_svg(progress.building(conn)), media_type="image/svg+xml")


@router.get("/api/plans", tags=["practice"], summary="Study plans and their progress")
def api_plans(conn: Conn) -> list[dict[str, Any]]:
    return [p.to_dict() for p in cycles.plans(conn)]
