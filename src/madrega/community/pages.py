"""The community pages: sign in, your groups, a group's feed, building, gatherings and plans.

Plain HTML forms (no script): each carries the CSRF token in a hidden field, each POST answers with
a redirect back to the page (303). All user text goes through Jinja's autoescaping.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from madrega.community import accounts, feed, groups, minyan, plans, sync
from madrega.community.accounts import Unauthorized, User
from madrega.community.api import (
    CSRF_COOKIE,
    DB,
    CommunityError,
    Viewer,
    check_csrf,
    client_ip,
    config_of,
    ensure_csrf_cookie,
    set_session_cookie,
    viewer,
)

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
templates.env.autoescape = True

router = APIRouter(prefix="/community", tags=["community pages"], include_in_schema=False)

CsrfField = Annotated[str | None, Form(max_length=200)]


def form_user(
    request: Request, who: Annotated[Viewer, Depends(viewer)], csrf_token: CsrfField = None
) -> User:
    if who.user is None:
        raise Unauthorized("sign in first")
    check_csrf(request, who, csrf_token)
    return who.user


FormUser = Annotated[User, Depends(form_user)]


def form_anonymous(
    request: Request, who: Annotated[Viewer, Depends(viewer)], csrf_token: CsrfField = None
) -> Viewer:
    check_csrf(request, who, csrf_token)
    return who


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def page(
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=headers)


def error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    return page(request, "community_error.html", {"status": status, "message": message}, status, headers)


@router.get("")
def home(request: Request, db: DB, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    if who.user is None or who.session is None:
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        response = page(request, "community_login.html", {"csrf": token, "mode": accounts.signup_mode(db)})
        ensure_csrf_cookie(request, response, token)
        return response
    context = {
        "csrf": who.session.csrf,
        "me": who.user,
        "groups": groups.my_groups(db, who.user),
        "steps": sync.list_steps(db, who.user, limit=20),
        "notifications": minyan.notifications(db, who.user)[:20],
    }
    return page(request, "community_home.html", context)


@router.post("/login")
def login_form(
    request: Request,
    db: DB,
    _: Annotated[Viewer, Depends(form_anonymous)],
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
) -> Response:
    user = accounts.verify_password(db, config_of(request).hasher, name, password, client_ip(request))
    session = accounts.open_session(db, user)
    response = back("/community")
    set_session_cookie(request, response, session.token)
    return response


@router.post("/signup")
def signup_form(
    request: Request,
    db: DB,
    _: Annotated[Viewer, Depends(form_anonymous)],
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
    invitation: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    user = accounts.sign_up(db, config_of(request).hasher, name, password, invitation=invitation or None)
    session = accounts.open_session(db, user)
    response = back("/community")
    set_session_cookie(request, response, session.token)
    return response


@router.post("/logout")
def logout_form(request: Request, db: DB, me: FormUser) -> Response:
    token = request.cookies.get("madrega_session")
    if token:
        accounts.close_session(db, token)
    response = back("/community")
    response.delete_cookie("madrega_session", path="/")
    return response


@router.post("/groups")
def new_group_form(
    db: DB, me: FormUser, name: Annotated[str, Form(max_length=200)], kind: Annotated[str, Form()] = "class"
) -> Response:
    created = groups.create_group(db, me, name, kind)
    return back(f"/community/groups/{created['id']}")


@router.post("/steps")
def new_step_form(
    db: DB,
    me: FormUser,
    kind: Annotated[str, Form(max_length=40)],
    ref: Annotated[str | None, Form(max_length=200)] = None,
    note: Annotated[str | None, Form(max_length=4000)] = None,
    shared: Annotated[bool, Form()] = False,
) -> Response:
    sync.add_step(db, me, kind, what=ref or None, note=note or None, shared=shared)
    return back("/community")


@router.get("/groups/{group_id}")
def group_page(request: Request, group_id: int, db: DB, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    if who.user is None or who.session is None:
        raise Unauthorized("sign in first")
    me = who.user
    context = {
        "csrf": who.session.csrf,
        "me": me,
        "group": groups.get_group(db, me, group_id),
        "feed": feed.feed(db, me, group_id),
        "building": feed.building(db, me, group_id),
        "gatherings": minyan.upcoming(db, me, group_id),
        "plans": plans.group_plans(db, me, group_id),
        "steps": sync.list_steps(db, me, limit=20),
    }
    return page(request, "community_group.html", context)


@router.post("/groups/{group_id}/invites")
def invite_form(
    request: Request, group_id: int, db: DB, me: FormUser, who: Annotated[Viewer, Depends(viewer)]
) -> Response:
    """A group admin makes an invite link to pass on (shown once: only its digest is kept)."""
    code = groups.create_invite(db, me, group_id)
    context = {
        "csrf": who.session.csrf if who.session else "",
        "me": me,
        "group": groups.get_group(db, me, group_id),
        "link": str(request.url_for("join_page", code=code)),
    }
    return page(request, "community_invite.html", context)


@router.post("/groups/{group_id}/share")
def share_form(
    group_id: int, db: DB, me: FormUser, step_uid: Annotated[str, Form(max_length=64)]
) -> Response:
    feed.share(db, me, group_id, step_uid)
    return back(f"/community/groups/{group_id}")


@router.post("/shared/{shared_id}/amen")
def amen_form(shared_id: int, db: DB, me: FormUser, group_id: Annotated[int, Form()]) -> Response:
    feed.amen(db, me, shared_id)
    return back(f"/community/groups/{group_id}")


@router.post("/shared/{shared_id}/comments")
def comment_form(
    shared_id: int,
    db: DB,
    me: FormUser,
    group_id: Annotated[int, Form()],
    body: Annotated[str, Form(max_length=feed.MAX_COMMENT)],
) -> Response:
    feed.comment(db, me, shared_id, body)
    return back(f"/community/groups/{group_id}")


@router.post("/gatherings/{gathering_id}/{action}")
def gathering_form(gathering_id: int, action: str, db: DB, me: FormUser) -> Response:
    if action == "join":
        result = minyan.join(db, me, gathering_id)
    elif action == "withdraw":
        result = minyan.withdraw(db, me, gathering_id)
    else:
        raise CommunityError("no such action", status=404)
    return back(f"/community/groups/{result['group_id']}")


@router.get("/join/{code}")
def join_page(request: Request, code: str, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    if who.user is None or who.session is None:
        raise Unauthorized("sign in first, then open the invite link again")
    return page(request, "community_join.html", {"csrf": who.session.csrf, "code": code})


@router.post("/join/{code}")
def join_form(code: str, db: DB, me: FormUser) -> Response:
    joined = groups.join_by_invite(db, me, code)
    return back(f"/community/groups/{joined['id']}")
