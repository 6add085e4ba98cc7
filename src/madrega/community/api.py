"""The community's JSON API under /api/community: accounts, groups, steps and the feed, gatherings,
sync and plans. Each route calls the core and returns what it returns; `community.http` decides who
is asking, `community.app` mounts it and answers errors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from madrega.community import accounts, feed, groups, minyan, plans, privacy, steps, sync
from madrega.community.accounts import Unauthorized
from madrega.community.http import (
    DB,
    SESSION_COOKIE,
    Me,
    Viewer,
    anonymous_csrf,
    bearer_token,
    client_ip,
    config_of,
    ensure_csrf_cookie,
    set_session_cookie,
    viewer,
)

# ---------------------------------------------------------------- bodies

Name = Annotated[str, Field(min_length=1, max_length=64)]
Password = Annotated[str, Field(min_length=1, max_length=accounts.MAX_PASSWORD)]


class SignupBody(BaseModel):
    name: Name
    password: Password
    display_name: Annotated[str, Field(max_length=200)] | None = None
    invitation: Annotated[str, Field(max_length=200)] | None = None
    group_invite: Annotated[str, Field(max_length=200)] | None = None


class InviteBody(BaseModel):
    uses: Annotated[int, Field(ge=1, le=groups.MAX_INVITE_USES)] = 1
    days: Annotated[int, Field(ge=1, le=groups.MAX_INVITE_DAYS)] = groups.INVITE_DAYS


class LoginBody(BaseModel):
    name: Name
    password: Password


class TokenBody(LoginBody):
    label: Annotated[str, Field(max_length=80)] = "cli"


class PasswordBody(BaseModel):
    password: Password


class ResetBody(BaseModel):
    name: Name
    code: Annotated[str, Field(max_length=200)]
    password: Password


class SettingsBody(BaseModel):
    signup: str


class GroupBody(BaseModel):
    name: Annotated[str, Field(max_length=200)]
    kind: str = "class"


class RoleBody(BaseModel):
    role: str


class StepBody(BaseModel):
    kind: Annotated[str, Field(max_length=40)]
    ref: Annotated[str, Field(max_length=200)] | None = None
    what: Annotated[str, Field(max_length=500)] | None = None
    note: Annotated[str, Field(max_length=4000)] | None = None
    shared: bool = False
    minutes: float | None = None


class ShareBody(BaseModel):
    step_uid: Annotated[str, Field(max_length=64)]


class CommentBody(BaseModel):
    body: Annotated[str, Field(max_length=feed.MAX_COMMENT)]


class GatheringBody(BaseModel):
    title: Annotated[str, Field(max_length=200)]
    starts_at: Annotated[str, Field(max_length=64)]
    kind: str = "prayer"
    place: Annotated[str, Field(max_length=400)] | None = None
    link: Annotated[str, Field(max_length=600)] | None = None
    needed: int = minyan.MINYAN


class PushBody(BaseModel):
    events: list[Any]


class PlanBody(BaseModel):
    title: Annotated[str, Field(max_length=200)]
    portions: list[Annotated[str, Field(max_length=400)]]


class DoneBody(BaseModel):
    done: bool = True


# ---------------------------------------------------------------- accounts

router = APIRouter(prefix="/api/community", tags=["community"])


@router.get("/csrf", summary="A CSRF token (and cookie) for the anonymous forms: login, sign-up, reset")
def csrf_token(
    request: Request, response: Response, who: Annotated[Viewer, Depends(viewer)]
) -> dict[str, str]:
    if who.session is not None:
        return {"csrf": who.session.csrf}
    return {"csrf": ensure_csrf_cookie(request, response)}


@router.post("/signup", status_code=201)
def signup(
    request: Request, body: SignupBody, db: DB, _: Annotated[Viewer, Depends(anonymous_csrf)]
) -> JSONResponse:
    cfg = config_of(request)
    user = accounts.sign_up(
        db,
        cfg.hasher,
        body.name,
        body.password,
        display_name=body.display_name,
        invitation=body.invitation,
        admission=groups.InviteLink(body.group_invite) if body.group_invite else None,
    )
    session = accounts.open_session(db, user)
    response = JSONResponse({"user": user.to_dict(), "csrf": session.csrf}, status_code=201)
    set_session_cookie(request, response, session.token)
    return response


@router.post("/login")
def login(
    request: Request, body: LoginBody, db: DB, _: Annotated[Viewer, Depends(anonymous_csrf)]
) -> JSONResponse:
    user = accounts.verify_password(
        db, config_of(request).hasher, body.name, body.password, client_ip(request)
    )
    session = accounts.open_session(db, user)
    response = JSONResponse({"user": user.to_dict(), "csrf": session.csrf})
    set_session_cookie(request, response, session.token)
    return response


@router.post("/logout", status_code=204, summary="End this session, or revoke the API token that asks")
def logout(request: Request, db: DB, me: Me, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    if who.via_token:
        accounts.revoke_presented_token(db, bearer_token(request))
        return Response(status_code=204)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.close_session(db, token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/token", status_code=201, summary="An API token for the CLI (Authorization: Bearer …)")
def api_token(request: Request, body: TokenBody, db: DB) -> dict[str, str]:
    user = accounts.verify_password(
        db, config_of(request).hasher, body.name, body.password, client_ip(request)
    )
    return {"token": accounts.create_api_token(db, user, body.label)}


@router.get("/tokens", summary="Your API tokens (labels and dates; never the secrets)")
def list_tokens(db: DB, me: Me) -> list[dict[str, Any]]:
    return accounts.list_api_tokens(db, me)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke one of your API tokens")
def revoke_token(token_id: int, db: DB, me: Me) -> Response:
    accounts.revoke_api_token(db, me, token_id)
    return Response(status_code=204)


@router.get("/me")
def me(who: Annotated[Viewer, Depends(viewer)]) -> dict[str, Any]:
    if who.user is None:
        raise Unauthorized("sign in first")
    return {"user": who.user.to_dict(), "csrf": who.session.csrf if who.session else None}


@router.get("/me/export", summary="Everything the server holds about you, as JSON Lines")
def export(db: DB, me: Me) -> StreamingResponse:
    records = privacy.export_records(db, me)

    def lines() -> Iterator[str]:
        for record in records:
            yield json.dumps(record, ensure_ascii=False, default=str) + "\n"

    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="madrega-{me.name}.jsonl"'},
    )


@router.post("/me/delete", status_code=204, summary="Delete your account and everything it made")
def delete_me(request: Request, body: PasswordBody, db: DB, me: Me) -> Response:
    privacy.delete_account(db, config_of(request).hasher, me, body.password)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/invitations", status_code=201, summary="A single-use sign-up code (any member may invite)")
def invite_someone(db: DB, me: Me) -> dict[str, str]:
    return {"invitation": accounts.create_invitation(db, me)}


@router.get("/admin/invitations", summary="Every sign-up invitation and its state (server admin)")
def admin_invitations(db: DB, me: Me) -> list[dict[str, Any]]:
    return accounts.list_invitations(db, me)


@router.delete("/invitations/{invitation_id}", status_code=204, summary="Revoke an unused invitation")
def revoke_invitation(invitation_id: int, db: DB, me: Me) -> Response:
    accounts.revoke_invitation(db, me, invitation_id)
    return Response(status_code=204)


@router.post("/reset", status_code=204)
def reset(
    request: Request, body: ResetBody, db: DB, _: Annotated[Viewer, Depends(anonymous_csrf)]
) -> Response:
    accounts.reset_password(db, config_of(request).hasher, body.name, body.code, body.password)
    return Response(status_code=204)


@router.get("/admin/users")
def admin_users(db: DB, me: Me) -> list[dict[str, Any]]:
    return [u.to_dict() for u in accounts.list_users(db, me)]


@router.put("/admin/settings")
def admin_settings(body: SettingsBody, db: DB, me: Me) -> dict[str, str]:
    accounts.set_signup_mode(db, me, body.signup)
    return {"signup": body.signup}


@router.post("/admin/users/{user_id}/reset", status_code=201)
def admin_reset(user_id: int, db: DB, me: Me) -> dict[str, str]:
    return {"code": accounts.issue_reset(db, me, user_id)}


# ---------------------------------------------------------------- groups


@router.get("/groups")
def list_groups(db: DB, me: Me) -> list[dict[str, Any]]:
    return groups.my_groups(db, me)


@router.post("/groups", status_code=201)
def new_group(body: GroupBody, db: DB, me: Me) -> dict[str, Any]:
    return groups.create_group(db, me, body.name, body.kind)


@router.get("/groups/{group_id}")
def group(group_id: int, db: DB, me: Me) -> dict[str, Any]:
    return groups.get_group(db, me, group_id)


@router.post("/groups/{group_id}/invites", status_code=201, summary="An invite link (single-use by default)")
def group_invite(group_id: int, db: DB, me: Me, body: InviteBody | None = None) -> dict[str, str]:
    options = body or InviteBody()
    code = groups.create_invite(db, me, group_id, uses=options.uses, days=options.days)
    return {"code": code, "link": f"/community/join/{code}"}


@router.get("/groups/{group_id}/invites", summary="The group's invite links (group admin)")
def group_invites(group_id: int, db: DB, me: Me) -> list[dict[str, Any]]:
    return groups.list_invites(db, me, group_id)


@router.delete("/groups/{group_id}/invites/{invite_id}", status_code=204, summary="Revoke an invite link")
def revoke_group_invite(group_id: int, invite_id: int, db: DB, me: Me) -> Response:
    groups.revoke_invite(db, me, group_id, invite_id)
    return Response(status_code=204)


@router.post("/join/{code}")
def join_group(code: str, db: DB, me: Me) -> dict[str, Any]:
    return groups.join_by_invite(db, me, code)


@router.put("/groups/{group_id}/members/{member_id}")
def member_role(group_id: int, member_id: int, body: RoleBody, db: DB, me: Me) -> dict[str, str]:
    groups.set_role(db, me, group_id, member_id, body.role)
    return {"role": body.role}


@router.delete("/groups/{group_id}/members/{member_id}", status_code=204)
def remove_member(group_id: int, member_id: int, db: DB, me: Me) -> Response:
    groups.remove_member(db, me, group_id, member_id)
    return Response(status_code=204)


# ---------------------------------------------------------------- steps and the feed


@router.get("/steps")
def my_steps(db: DB, me: Me) -> list[dict[str, Any]]:
    return steps.list_steps(db, me)


@router.post("/steps", status_code=201)
def add_step(body: StepBody, db: DB, me: Me) -> dict[str, Any]:
    return sync.add_step(
        db,
        me,
        body.kind,
        ref=body.ref,
        what=body.what,
        note=body.note,
        shared=body.shared,
        minutes=body.minutes,
    )


@router.post("/groups/{group_id}/shared", status_code=201)
def share_step(group_id: int, body: ShareBody, db: DB, me: Me) -> dict[str, Any]:
    return feed.share(db, me, group_id, body.step_uid)


@router.delete("/shared/{shared_id}", status_code=204)
def unshare_step(shared_id: int, db: DB, me: Me) -> Response:
    feed.unshare(db, me, shared_id)
    return Response(status_code=204)


@router.get("/groups/{group_id}/feed")
def group_feed(group_id: int, db: DB, me: Me, before: int | None = None) -> list[dict[str, Any]]:
    return feed.feed(db, me, group_id, before=before)


@router.get("/groups/{group_id}/building", summary="The group's building, a page (floor) at a time")
def group_building(group_id: int, db: DB, me: Me, floor: int = 0) -> dict[str, Any]:
    return feed.building(db, me, group_id, floor=floor)


@router.post("/shared/{shared_id}/amen")
def say_amen(shared_id: int, db: DB, me: Me) -> dict[str, int]:
    return {"amens": feed.amen(db, me, shared_id)}


@router.post("/shared/{shared_id}/comments", status_code=201)
def add_comment(shared_id: int, body: CommentBody, db: DB, me: Me) -> dict[str, Any]:
    return feed.comment(db, me, shared_id, body.body)


@router.delete("/comments/{comment_id}", status_code=204)
def delete_comment(comment_id: int, db: DB, me: Me) -> Response:
    feed.delete_comment(db, me, comment_id)
    return Response(status_code=204)


# ---------------------------------------------------------------- gatherings and notifications


@router.get("/groups/{group_id}/gatherings")
def gatherings(group_id: int, db: DB, me: Me) -> list[dict[str, Any]]:
    return minyan.upcoming(db, me, group_id)


@router.post("/groups/{group_id}/gatherings", status_code=201)
def call_gathering(group_id: int, body: GatheringBody, db: DB, me: Me) -> dict[str, Any]:
    return minyan.call(
        db,
        me,
        group_id,
        title=body.title,
        starts_at=body.starts_at,
        kind=body.kind,
        place=body.place,
        link=body.link,
        needed=body.needed,
    )


@router.get("/gatherings/{gathering_id}")
def gathering(gathering_id: int, db: DB, me: Me) -> dict[str, Any]:
    return minyan.get(db, me, gathering_id)


@router.post("/gatherings/{gathering_id}/join")
def join_gathering(gathering_id: int, db: DB, me: Me) -> dict[str, Any]:
    return minyan.join(db, me, gathering_id)


@router.post("/gatherings/{gathering_id}/withdraw")
def withdraw_gathering(gathering_id: int, db: DB, me: Me) -> dict[str, Any]:
    return minyan.withdraw(db, me, gathering_id)


@router.get("/notifications")
def my_notifications(db: DB, me: Me, unread: bool = False) -> list[dict[str, Any]]:
    return minyan.notifications(db, me, unread_only=unread)


@router.post("/notifications/read")
def read_notifications(db: DB, me: Me) -> dict[str, int]:
    return {"marked": minyan.mark_read(db, me)}


# ---------------------------------------------------------------- sync and plans


@router.post("/sync/push")
def sync_push(body: PushBody, db: DB, me: Me) -> dict[str, Any]:
    return sync.push(db, me, body.events)


@router.get("/sync/pull")
def sync_pull(db: DB, me: Me, since: int = 0, limit: int = sync.PULL_LIMIT) -> dict[str, Any]:
    return sync.pull(db, me, since, limit)


@router.get("/groups/{group_id}/plans")
def list_plans(group_id: int, db: DB, me: Me) -> list[dict[str, Any]]:
    return plans.group_plans(db, me, group_id)


@router.post("/groups/{group_id}/plans", status_code=201)
def new_plan(group_id: int, body: PlanBody, db: DB, me: Me) -> dict[str, Any]:
    return plans.create_plan(db, me, group_id, body.title, body.portions)


@router.post("/portions/{portion_id}/take")
def take_portion(portion_id: int, db: DB, me: Me) -> dict[str, Any]:
    return plans.take(db, me, portion_id)


@router.post("/portions/{portion_id}/done")
def portion_done(portion_id: int, body: DoneBody, db: DB, me: Me) -> dict[str, Any]:
    return plans.mark_done(db, me, portion_id, body.done)
