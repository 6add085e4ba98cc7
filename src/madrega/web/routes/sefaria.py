"""Getting a work from Sefaria from a page: start the fetch, watch its progress, then read it."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from madrega.web.fetch_jobs import Fetches
from madrega.web.render import render

router = APIRouter()
NAV: list[tuple[str, str]] = []


def fetches(request: Request) -> Fetches:
    found: Fetches = request.app.state.fetches
    return found


def _url_after(job_work: str | None, then: str | None) -> str:
    if then and then.startswith("/") and not then.startswith("//"):
        return then
    return f"/library/{job_work}" if job_work else "/library"


@router.post("/library/fetch", include_in_schema=False)
def start_page(
    request: Request,
    work: Annotated[str, Form()],
    then: Annotated[str | None, Form()] = None,
) -> Response:
    job = fetches(request).start(work)
    suffix = f"?{urlencode({'then': then})}" if then else ""
    return RedirectResponse(f"/library/fetch/{job.id}{suffix}", status_code=303)


@router.get("/library/fetch/{job_id}", include_in_schema=False)
def progress_page(request: Request, job_id: str, then: str | None = None) -> Response:
    job = fetches(request).get(job_id)
    if job.state == "done":
        return RedirectResponse(_url_after(job.work, then), status_code=303)
    return render(request, "fetch.html", {"job": job, "then": then or ""})


@router.post("/api/fetch", tags=["library"], summary="Start getting a whole work from Sefaria")
def api_start(request: Request, work: Annotated[str, Form()]) -> dict[str, Any]:
    job = fetches(request).start(work)
    return {**job.to_json(), "url": f"/library/fetch/{job.id}"}


@router.get("/api/fetch/{job_id}", tags=["library"], summary="How far a fetch from Sefaria has come")
def api_progress(request: Request, job_id: str) -> dict[str, Any]:
    job = fetches(request).get(job_id)
    data = job.to_json()
    if job.state == "done" and job.work:
        data["url"] = f"/library/{job.work}"
    return data
