"""The community face: a JSON API under /api/community and a few pages under /community.

`mount_community(app, database_url)` adds it to the madrega web app (what `madrega serve
--database postgresql://…` does). Who is asking is decided once, in `viewer()`: an API token
(`Authorization: Bearer mdg_…`, for the CLI) or a session cookie (HTTP-only, SameSite=Lax, Secure
unless turned off for loopback tests). Every state-changing request made with a cookie must carry
the session's CSRF token (header `X-CSRF-Token` or form field `csrf_token`); the anonymous forms
(login, sign-up, reset) use a double-submit cookie instead. Bearer requests carry no cookie and so
need no CSRF token.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Annotated, Any

from argon2 import PasswordHasher
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from madrega import db
from madrega.community import accounts, feed, groups, minyan, plans, schema, sync
from madrega.community.accounts import Session, Unauthorized, User
from madrega.community.backend import Backend, CommunityError, open_backend

SESSION_COOKIE = "madrega_session"
CSRF_COOKIE = "madrega_csrf"
CSRF_HEADER = "X-CSRF-Token"
MAX_BODY = 1_048_576  # bytes: a sync push of 1000 events fits; nothing else comes near
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PREFIXES = ("/api/community", "/community")


@dataclass
class CommunityConfig:
    backend: Backend
    hasher: PasswordHasher
    secure_cookies: bool = True


@dataclass(frozen=True)
class Viewer:
    user: User | None
    session: Session | None = None
    via_token: bool = False


# ---------------------------------------------------------------- plumbing


def config_of(request: Request) -> CommunityConfig:
    cfg: CommunityConfig = request.app.state.community
    return cfg


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _bearer(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else ""


def viewer(request: Request) -> Viewer:
    cfg = config_of(request)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = accounts.user_for_api_token(cfg.backend, _bearer(request))
        if user is None:
            raise Unauthorized("that API token is not valid (revoked or mistyped)")
        return Viewer(user, via_token=True)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        session = accounts.session_for(cfg.backend, token)
        if session is not None:
            return Viewer(session.user, session)
    return Viewer(None)


def _sent_token(request: Request, form_token: str | None) -> str:
    return request.headers.get(CSRF_HEADER) or form_token or ""


def check_csrf(request: Request, who: Viewer, form_token: str | None = None) -> None:
    """A state-changing request made with a cookie must prove it came from our own page."""
    if request.method in SAFE_METHODS or who.via_token:
        return
    sent = _sent_token(request, form_token)
    expected = who.session.csrf if who.session is not None else request.cookies.get(CSRF_COOKIE, "")
    if not expected or not sent or not secrets.compare_digest(sent, expected):
        raise CommunityError("missing or wrong CSRF token: reload the page and try again", status=403)


def current(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> User:
    """The signed-in user (401 otherwise), with the CSRF check done for state-changing calls."""
    if who.user is None:
        raise Unauthorized("sign in first")
    check_csrf(request, who)
    return who.user


Me = Annotated[User, Depends(current)]


def anonymous_csrf(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    check_csrf(request, who)
    return who


def backend_of(request: Request) -> Backend:
    return config_of(request).backend


DB = Annotated[Backend, Depends(backend_of)]


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=config_of(request).secure_cookies,
        path="/",
    )


def ensure_csrf_cookie(request: Request, response: Response, token: str | None = None) -> str:
    token = token or request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=config_of(request).secure_cookies,
        path="/",
    )
    return token


def operator_check(request: Request) -> None:
    """The single-user routes in server mode: the server admin only (session cookie or API token)."""
    who = viewer(request)
    if who.user is None:
        raise Unauthorized("this server's library and journal are its admin's: sign in as the admin")
    if not who.user.is_admin:
        raise accounts.Forbidden("only the server's admin may use its own library and journal")


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
        group_invite=body.group_invite,
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
        accounts.revoke_presented_token(db, _bearer(request))
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
    records = accounts.export_records(db, me)

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
    accounts.delete_account(db, config_of(request).hasher, me, body.password)
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
    return sync.list_steps(db, me)


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


# ---------------------------------------------------------------- mounting


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413 before any endpoint reads them."""

    def __init__(self, app: Any, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def limited_receive() -> MutableMapping[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        response = JSONResponse(
            {"error": f"the request body is over {self.limit} bytes", "suggestions": []}, status_code=413
        )
        await response(scope, receive, send)


def mount_community(
    app: FastAPI,
    database_url: str,
    *,
    secure_cookies: bool = True,
    hasher: PasswordHasher | None = None,
) -> CommunityConfig:
    """Add the community API and pages to `app`, over the database at `database_url` (migrated now)."""
    backend = open_backend(database_url)
    schema.migrate(backend)
    cfg = CommunityConfig(backend, hasher or accounts.default_hasher(), secure_cookies)
    app.state.community = cfg
    app.state.operator_check = operator_check
    nav = getattr(app.state, "nav", None)
    if nav is not None and ("Together", "/community") not in nav:
        nav.append(("Together", "/community"))
    app.include_router(router)
    from madrega.community import pages

    app.include_router(pages.router)
    app.add_middleware(BodyLimit)

    @app.exception_handler(CommunityError)
    async def community_error(request: Request, exc: CommunityError) -> Response:
        headers = {"Retry-After": "2"} if exc.status in (429, 503) else None
        if exc.status == 401 and request.method == "GET" and not request.url.path.startswith("/api/"):
            return RedirectResponse("/community", status_code=303)  # a page that needs you: sign in first
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": exc.message, "suggestions": exc.suggestions},
                status_code=exc.status,
                headers=headers,
            )
        return pages.error_page(request, exc.status, exc.message, headers)

    @app.exception_handler(db.StorageError)
    async def storage_error(request: Request, exc: db.StorageError) -> Response:
        """The community's SQLite file is full, read-only or gone: refused, nothing acknowledged."""
        if request.url.path.startswith("/api/"):
            body = {"error": exc.message, "suggestions": exc.suggestions}
            return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})
        return pages.error_page(request, 503, exc.message, {"Retry-After": "5"})

    return cfg


def create_community_app(database_url: str, **options: Any) -> FastAPI:
    """A bare app with only the community face (tests, the bench; `madrega serve` uses the full app)."""
    app = FastAPI(title="madrega community")
    mount_community(app, database_url, **options)
    return app
