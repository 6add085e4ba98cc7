"""The community pages: sign in, your groups, a group's feed, building, gatherings and plans.

Plain HTML forms that work without script: each carries the CSRF token in a hidden field, each POST
answers with a redirect back to the page (303), or — for a mistake in what was typed — the same page
again with the message next to the form and what was typed kept (422). One small static script only
pre-selects the browser's time zone. All user text goes through Jinja's autoescaping.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from madrega.community import accounts, feed, groups, minyan, plans, steps, sync
from madrega.community.accounts import Unauthorized, User
from madrega.community.backend import CommunityError, NotFound
from madrega.community.http import (
    CSRF_COOKIE,
    DB,
    Viewer,
    check_csrf,
    client_ip,
    config_of,
    ensure_csrf_cookie,
    set_session_cookie,
    viewer,
)
from madrega.errors import ErrorKind, MadregaError
from madrega.practice import cycles
from madrega.practice import plans as study_plans

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.autoescape = True
ASSETS = {
    "community.js": ("text/javascript", HERE / "static" / "community.js"),
    "community.css": ("text/css", HERE / "static" / "community.css"),
    # the reader's stylesheet, served here too: the community pages build on it even without the reader app
    "style.css": ("text/css", HERE.parent / "web" / "static" / "style.css"),
}
GROUP_PAGE = re.compile(r"/community/groups/\d+")

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
        "steps": steps.list_steps(db, who.user, limit=20),
        "notifications": minyan.notifications(db, who.user)[:20],
        "tokens": accounts.list_api_tokens(db, who.user),
    }
    return page(request, "community_home.html", context)


@router.post("/tokens/{token_id}/revoke")
def revoke_token_form(token_id: int, db: DB, me: FormUser) -> Response:
    """A computer's login (`madrega login`) stops working at once."""
    accounts.revoke_api_token(db, me, token_id)
    return back("/community#tokens")


@router.post("/invitations")
def invitation_form(
    request: Request, db: DB, me: FormUser, who: Annotated[Viewer, Depends(viewer)]
) -> Response:
    """A single-use sign-up code, shown once (from the home page, or the admin page)."""
    code = accounts.create_invitation(db, me)
    context = {"csrf": who.session.csrf if who.session else "", "me": me, "code": code}
    return page(request, "community_invitation.html", context, 201)


@router.post("/invitations/{invitation_id}/revoke")
def revoke_invitation_form(invitation_id: int, db: DB, me: FormUser) -> Response:
    accounts.revoke_invitation(db, me, invitation_id)
    return back("/community/admin#invitations")


# ---------------------------------------------------------------- the server admin's page


@router.get("/admin")
def admin_page(request: Request, db: DB, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    """Sign-up (open or by invitation), invitations, members and their password resets."""
    if who.user is None or who.session is None:
        raise Unauthorized("sign in first")
    context = {
        "csrf": who.session.csrf,
        "me": who.user,
        "mode": accounts.signup_mode(db),
        "modes": accounts.SIGNUP_MODES,
        "users": accounts.list_users(db, who.user),
        "invitations": accounts.list_invitations(db, who.user),
    }
    return page(request, "community_admin.html", context)


@router.post("/admin/settings")
def admin_settings_form(db: DB, me: FormUser, signup: Annotated[str, Form(max_length=20)]) -> Response:
    accounts.set_signup_mode(db, me, signup)
    return back("/community/admin#settings")


@router.post("/admin/users/{user_id}/reset")
def admin_reset_form(
    request: Request, user_id: int, db: DB, me: FormUser, who: Annotated[Viewer, Depends(viewer)]
) -> Response:
    """A one-time reset code for a member who forgot their password, shown once to hand over."""
    code = accounts.issue_reset(db, me, user_id)
    name = next((u.name for u in accounts.list_users(db, me) if u.id == user_id), "")
    context = {"csrf": who.session.csrf if who.session else "", "me": me, "code": code, "name": name}
    return page(request, "community_reset_code.html", context, 201)


@router.post("/reset")
def reset_form(
    request: Request,
    db: DB,
    _: Annotated[Viewer, Depends(form_anonymous)],
    name: Annotated[str, Form(max_length=64)],
    code: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
) -> Response:
    """A new password with the admin's reset code; every session and token of the account ends."""
    accounts.reset_password(db, config_of(request).hasher, name, code, password)
    user = accounts.verify_password(db, config_of(request).hasher, name, password, client_ip(request))
    session = accounts.open_session(db, user)
    response = back("/community")
    set_session_cookie(request, response, session.token)
    return response


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
    back_to: Annotated[str | None, Form(max_length=100)] = None,
) -> Response:
    sync.add_step(db, me, kind, what=ref or None, note=note or None, shared=shared)
    # Only back to one of our own group pages: never an open redirect.
    return back(back_to if back_to and GROUP_PAGE.fullmatch(back_to) else "/community")


def default_zone(request: Request) -> str:
    """The zone the gathering form starts from: the one set with `madrega config` for the library this
    server also serves, else the machine's."""
    configured = None
    pool = getattr(request.app.state, "pool", None)
    if pool is not None:
        try:
            with pool.borrow() as conn:
                configured = cycles.settings(conn)["timezone"]
        except (sqlite3.Error, MadregaError):
            configured = None
    return minyan.server_zone(configured)


def group_page_response(
    request: Request, db: DB, who: Viewer, group_id: int, status_code: int = 200, floor: int = 0, **extra: Any
) -> Response:
    """The group page; `extra` carries a form's error and what was typed, to show it again."""
    if who.user is None or who.session is None:
        raise Unauthorized("sign in first")
    me = who.user
    zone = default_zone(request)
    group = groups.get_group(db, me, group_id)
    group_role = group["role"]
    gatherings = minyan.upcoming(db, me, group_id)
    for g in gatherings:
        g["when"] = minyan.readable_time(g["starts_at"], g["zone"], zone)
    context = {
        "csrf": who.session.csrf,
        "me": me,
        "group": group,
        "feed": feed.feed(db, me, group_id),
        "building": feed.building(db, me, group_id, floor=floor),
        "gatherings": gatherings,
        "kinds": minyan.KINDS,
        "minyan": minyan.MINYAN,
        "zones": minyan.zone_names(),
        "default_zone": zone,
        "plans": plans.group_plans(db, me, group_id),
        "invites": groups.list_invites(db, me, group_id) if group_role == "admin" else [],
        "suggested_works": study_plans.SUGGESTED_PLAN_WORKS,
        "steps": steps.list_steps(db, me, limit=20),
        "gathering_form": {},
        "plan_form": {},
        **extra,
    }
    return page(request, "community_group.html", context, status_code)


@router.get("/groups/{group_id}")
def group_page(
    request: Request, group_id: int, db: DB, who: Annotated[Viewer, Depends(viewer)], floor: int = 0
) -> Response:
    return group_page_response(request, db, who, group_id, floor=floor)


def _count(text: str | None, what: str) -> int | None:
    if text is None or not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise CommunityError(f"{what} is a whole number, not '{text}'") from None


@router.post("/groups/{group_id}/gatherings")
def call_gathering_form(
    request: Request,
    group_id: int,
    db: DB,
    me: FormUser,
    who: Annotated[Viewer, Depends(viewer)],
    title: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=40)] = "prayer",
    when: Annotated[str, Form(max_length=40)] = "",
    zone: Annotated[str, Form(max_length=80)] = "",
    place: Annotated[str | None, Form(max_length=400)] = None,
    link: Annotated[str | None, Form(max_length=600)] = None,
    needed: Annotated[str | None, Form(max_length=10)] = None,
) -> Response:
    """Call a gathering from the group page: a wall-clock time and a zone, made aware in the core."""
    try:
        moment = minyan.local_moment(when, zone)
        minyan.call(
            db,
            me,
            group_id,
            title=title,
            starts_at=moment.isoformat(),
            kind=kind,
            place=place or None,
            link=link or None,
            needed=_count(needed, "the number of people needed") or minyan.MINYAN,
            zone=minyan.parse_zone(zone).key,
        )
    except CommunityError as exc:
        if exc.kind is not ErrorKind.INVALID:
            raise
        typed = {"title": title, "kind": kind, "when": when, "zone": zone, "place": place, "link": link}
        typed["needed"] = needed
        return group_page_response(
            request, db, who, group_id, 422, gathering_error=exc.message, gathering_form=typed
        )
    return back(f"/community/groups/{group_id}#gatherings")


@router.post("/groups/{group_id}/plans")
def new_plan_form(
    request: Request,
    group_id: int,
    db: DB,
    me: FormUser,
    who: Annotated[Viewer, Depends(viewer)],
    text: Annotated[str, Form(max_length=200)] = "",
    parts: Annotated[str | None, Form(max_length=10)] = None,
    title: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    """Start a group plan from a text's name, divided by the refs catalog (as the API's callers do)."""
    try:
        name, portions = plans.divide_text(text, _count(parts, "the number of portions"))
        plans.create_plan(db, me, group_id, (title or "").strip() or name, portions)
    except CommunityError as exc:
        if exc.kind is not ErrorKind.INVALID:
            raise
        typed = {"text": text, "parts": parts, "title": title}
        return group_page_response(
            request,
            db,
            who,
            group_id,
            422,
            plan_error=exc.message,
            plan_suggestions=exc.suggestions,
            plan_form=typed,
        )
    return back(f"/community/groups/{group_id}#plans")


@router.post("/portions/{portion_id}/take")
def take_portion_form(portion_id: int, db: DB, me: FormUser) -> Response:
    plan = plans.take(db, me, portion_id)
    return back(f"/community/groups/{plan['group_id']}#plans")


@router.post("/portions/{portion_id}/done")
def portion_done_form(
    portion_id: int, db: DB, me: FormUser, done: Annotated[str, Form(max_length=10)] = "true"
) -> Response:
    plan = plans.mark_done(db, me, portion_id, done != "false")
    return back(f"/community/groups/{plan['group_id']}#plans")


@router.get("/assets/{name}")
def asset(name: str) -> Response:
    """The pages' script and stylesheet (served here so the bare community app needs no static mount)."""
    if name not in ASSETS:
        raise NotFound("no such file")
    media_type, path = ASSETS[name]
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"})


@router.post("/groups/{group_id}/invites")
def invite_form(
    request: Request,
    group_id: int,
    db: DB,
    me: FormUser,
    who: Annotated[Viewer, Depends(viewer)],
    uses: Annotated[str | None, Form(max_length=10)] = None,
    days: Annotated[str | None, Form(max_length=10)] = None,
) -> Response:
    """A group admin makes an invite link to pass on (shown once: only its digest is kept)."""
    code = groups.create_invite(
        db,
        me,
        group_id,
        uses=_count(uses, "the number of people") or 1,
        days=_count(days, "the number of days") or groups.INVITE_DAYS,
    )
    context = {
        "csrf": who.session.csrf if who.session else "",
        "me": me,
        "group": groups.get_group(db, me, group_id),
        "link": str(request.url_for("join_page", code=code)),
    }
    return page(request, "community_invite.html", context)


@router.post("/groups/{group_id}/invites/{invite_id}/revoke")
def revoke_invite_form(group_id: int, invite_id: int, db: DB, me: FormUser) -> Response:
    groups.revoke_invite(db, me, group_id, invite_id)
    return back(f"/community/groups/{group_id}#invites")


@router.post("/groups/{group_id}/members/{member_id}/remove")
def remove_member_form(group_id: int, member_id: int, db: DB, me: FormUser) -> Response:
    """A group admin removes someone (their old invite links stop working for them), or you leave."""
    groups.remove_member(db, me, group_id, member_id)
    return back("/community" if member_id == me.id else f"/community/groups/{group_id}")


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
        raise NotFound("no such action")
    return back(f"/community/groups/{result['group_id']}")


@router.get("/join/{code}")
def join_page(request: Request, code: str, db: DB, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    """An invite link: signed in, a button to join; a visitor signs up (or in) right here and is in."""
    group = groups.invite_preview(db, code)
    if who.user is not None and who.session is not None:
        return page(
            request,
            "community_join.html",
            {"csrf": who.session.csrf, "me": who.user, "code": code, "group": group},
        )
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = page(request, "community_join.html", {"csrf": token, "code": code, "group": group})
    ensure_csrf_cookie(request, response, token)
    return response


@router.post("/join/{code}")
def join_form(code: str, db: DB, me: FormUser) -> Response:
    joined = groups.join_by_invite(db, me, code)
    return back(f"/community/groups/{joined['id']}")


@router.post("/join/{code}/signup")
def join_signup_form(
    request: Request,
    code: str,
    db: DB,
    _: Annotated[Viewer, Depends(form_anonymous)],
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
) -> Response:
    """A new account made from an invite link: the link is the invitation, and the group is joined."""
    group = groups.invite_preview(db, code)
    user = accounts.sign_up(db, config_of(request).hasher, name, password, admission=groups.InviteLink(code))
    session = accounts.open_session(db, user)
    response = back(f"/community/groups/{group['id']}")
    set_session_cookie(request, response, session.token)
    return response


@router.post("/join/{code}/login")
def join_login_form(
    request: Request,
    code: str,
    db: DB,
    _: Annotated[Viewer, Depends(form_anonymous)],
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
) -> Response:
    """Someone with an account opens the link signed out: sign in, and join in the same step."""
    user = accounts.verify_password(db, config_of(request).hasher, name, password, client_ip(request))
    joined = groups.join_by_invite(db, user, code)
    session = accounts.open_session(db, user)
    response = back(f"/community/groups/{joined['id']}")
    set_session_cookie(request, response, session.token)
    return response
