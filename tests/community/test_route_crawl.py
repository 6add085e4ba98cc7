"""Every route of the whole server — the single-user app and the community, as `madrega serve
--database` mounts them — against anonymous, a member, a member of another group, the group's
admin and the server's admin, on both backends. Nobody reads or writes what is not theirs.

The routes come from the app itself (the OpenAPI document and the page routers): a route added
without a line in ROUTES below fails this test until someone decides who may use it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.routing import Mount

from madrega.community import accounts
from madrega.community.app import mount_community
from madrega.web import create_app

from .helpers import Person

BASE = "http://127.0.0.1"
PRIVATE = "MEMBER-PRIVATE-NOTE"
OPERATOR_PRIVATE = "OPERATOR-PRIVATE-NOTE"
ROLES = ("anonymous", "outsider", "server_admin", "member", "owner")

# Who may use a route (the rest are refused: 401 signed out, 403/404 signed in).
PUBLIC = frozenset(ROLES)
SIGNED_IN = frozenset({"outsider", "server_admin", "member", "owner"})
OPERATOR = frozenset({"server_admin"})  # the server's own library and journal
SERVER_ADMIN = frozenset({"server_admin"})
GROUP = frozenset({"member", "owner"})
GROUP_ADMIN = frozenset({"owner"})
AUTHOR = frozenset({"member"})  # what the member made: their comment, their share, their token
NOBODY = frozenset[str]()  # refused to everyone (e.g. deleting an account without its password)


@dataclass(frozen=True)
class R:
    method: str
    path: str
    who: frozenset[str]
    json: Any = None
    form: dict[str, str] | None = None
    phase: int = 0  # 1: changes who is in the group; 2: ends the caller's session
    expect_any: bool = False  # a public form whose answer depends on what was typed: only no 5xx
    also_ok: tuple[int, ...] = ()  # what an allowed role may meet after another allowed role acted first


def _routes() -> list[R]:
    step_form = {"kind": "study", "note": "{mark}"}
    gathering = {"title": "{mark}", "starts_at": "2031-01-01T13:30:00+02:00"}
    return [
        # ---------------------------------------------------------------- public
        R("GET", "/healthz", PUBLIC),
        R("GET", "/openapi.json", PUBLIC),
        R("GET", "/docs", PUBLIC),
        R("GET", "/docs/oauth2-redirect", PUBLIC),
        R("GET", "/redoc", PUBLIC),
        R("GET", "/static/style.css", PUBLIC),
        R("GET", "/community", PUBLIC),
        R("GET", "/community/assets/{asset}", PUBLIC),
        R("GET", "/api/community/csrf", PUBLIC),
        R("GET", "/community/join/{code}", PUBLIC),
        R(
            "POST",
            "/api/community/signup",
            PUBLIC,
            json={"name": "x{mark}", "password": "short"},
            expect_any=True,
        ),
        R(
            "POST",
            "/api/community/login",
            PUBLIC,
            json={"name": "nobody-here", "password": "wrong pw!"},
            expect_any=True,
        ),
        R(
            "POST",
            "/api/community/token",
            PUBLIC,
            json={"name": "nobody-here", "password": "wrong pw!"},
            expect_any=True,
        ),
        R(
            "POST",
            "/api/community/reset",
            PUBLIC,
            json={"name": "member", "code": "x", "password": "new password"},
            expect_any=True,
        ),
        R(
            "POST",
            "/community/login",
            PUBLIC,
            form={"name": "nobody-here", "password": "wrong pw!"},
            expect_any=True,
        ),
        R("POST", "/community/signup", PUBLIC, form={"name": "x", "password": "short"}, expect_any=True),
        R(
            "POST",
            "/community/reset",
            PUBLIC,
            form={"name": "member", "code": "x", "password": "new password"},
            expect_any=True,
        ),
        R(
            "POST",
            "/community/join/{code}/signup",
            PUBLIC,
            form={"name": "x", "password": "short"},
            expect_any=True,
        ),
        R(
            "POST",
            "/community/join/{code}/login",
            PUBLIC,
            form={"name": "nobody-here", "password": "wrong pw!"},
            expect_any=True,
        ),
        # ---------------------------------------------------------------- the operator's library and journal
        R("GET", "/", OPERATOR),
        R("GET", "/library", OPERATOR),
        R("GET", "/library/{work}", OPERATOR),
        R("GET", "/read/{ref}", OPERATOR),
        R("GET", "/api/works", OPERATOR),
        R("GET", "/api/works/{work}", OPERATOR),
        R("GET", "/api/works/{work}/contents", OPERATOR),
        R("GET", "/api/library", OPERATOR),
        R("GET", "/api/ref?q=Job 8:7", OPERATOR),
        R("GET", "/api/numeral?q=5785", OPERATOR),
        R("GET", "/api/text/{ref}", OPERATOR),
        R("GET", "/documents", OPERATOR),
        R("GET", "/documents/import", OPERATOR),
        R(
            "POST",
            "/documents/import",
            OPERATOR,
            form={"text": "A note {mark}\n\nשמע ישראל", "kind": "article"},
        ),
        R("GET", "/documents/{slug}", OPERATOR),
        R("GET", "/api/documents", OPERATOR),
        R("GET", "/api/documents/{slug}", OPERATOR),
        R(
            "POST",
            "/api/documents",
            OPERATOR,
            form={"text": "Another {mark}\n\nבראשית ברא", "kind": "article"},
        ),
        R("GET", "/link", OPERATOR),
        R("POST", "/link", OPERATOR, form={"text": "see Genesis 1:1"}),
        R("POST", "/api/link", OPERATOR, json={"text": "see Genesis 1:1"}),
        R("GET", "/search", OPERATOR),
        R("GET", "/api/search?q=ארץ", OPERATOR),
        R("GET", "/gematria", OPERATOR),
        R("GET", "/api/gematria/methods", OPERATOR),
        R("GET", "/api/gematria?q=ספר", OPERATOR),
        R("GET", "/api/gematria/lookup?q=340", OPERATOR),
        R("GET", "/today", OPERATOR),
        R("GET", "/journal", OPERATOR),
        R("POST", "/journal", OPERATOR, form=step_form),
        R("GET", "/journal/{step}", OPERATOR),
        R("POST", "/journal/{step}/correct", OPERATOR, form={"note": "{mark}"}),
        R("POST", "/journal/timer/start", OPERATOR, form={}),
        R("POST", "/journal/timer/{timer}/stop", OPERATOR, form={"note": "{mark}"}),
        R("GET", "/progress", OPERATOR),
        R("POST", "/progress/skips", OPERATOR, form={"first": "2024-01-07"}),
        R("POST", "/progress/skips/{skip}/remove", OPERATOR),
        R("GET", "/api/skips", OPERATOR),
        R("POST", "/api/skips", OPERATOR, form={"first": "2024-01-07"}),
        R("POST", "/api/skips/{skip2}/remove", OPERATOR),
        R("GET", "/plans", OPERATOR),
        R("POST", "/plans", OPERATOR, form={"work": "Job", "divide": "chapter"}),
        R("POST", "/plans/{plan}/portions/1/done", OPERATOR, form={}),
        R("GET", "/api/today", OPERATOR),
        R("GET", "/api/cycles", OPERATOR),
        R("POST", "/api/cycles", OPERATOR, form={"keep": "tanya,tehillim"}),
        R("POST", "/api/cycles/tanya/done", OPERATOR, form={}),
        R("POST", "/today/cycles", OPERATOR, form={"keep": "tanya"}),
        R("POST", "/today/cycles/tanya/done", OPERATOR, form={}),
        R("POST", "/today/reviews", OPERATOR, form={"days": "1,7,30"}),
        R("GET", "/api/journal", OPERATOR),
        R("POST", "/api/journal", OPERATOR, form=step_form),
        R("GET", "/api/journal/{step}", OPERATOR),
        R("POST", "/api/journal/{step}/correct", OPERATOR, form={"note": "{mark}"}),
        R("GET", "/api/timers", OPERATOR),
        R("POST", "/api/timers", OPERATOR, form={}),
        R("POST", "/api/timers/{timer}/heartbeat", OPERATOR),
        R("POST", "/api/timers/{timer}/stop", OPERATOR, form={"note": "{mark}"}),
        R("GET", "/api/progress", OPERATOR),
        R("GET", "/api/progress/building.svg", OPERATOR),
        R("GET", "/api/plans", OPERATOR),
        R("POST", "/api/plans", OPERATOR, form={"work": "Ruth", "divide": "chapter"}),
        R("POST", "/api/plans/{plan}/portions/2/done", OPERATOR),
        R("POST", "/journal/{step}/delete", OPERATOR, form={}, phase=1),
        R("POST", "/api/journal/{step2}/delete", OPERATOR, phase=1),
        R("POST", "/plans/{plan}/remove", OPERATOR, form={}, phase=1),
        R("GET", "/api/connections/{ref}", OPERATOR),
        R("POST", "/settings", OPERATOR, form={"theme": "dark"}),
        R("GET", "/fonts/hebrew-serif.ttf", PUBLIC),
        R("POST", "/library/fetch", OPERATOR, form={"work": "Tanya"}),
        R("POST", "/api/fetch", OPERATOR, form={"work": "Tanya"}),
        R("GET", "/library/fetch/{fetch_job}", OPERATOR),
        R("GET", "/api/fetch/{fetch_job}", OPERATOR),
        R("GET", "/sheets", OPERATOR),
        R("POST", "/sheets", OPERATOR, form={"title": "A sheet {mark}"}),
        R("POST", "/sheets/from-document", OPERATOR, form={"document": "{slug}"}),
        R("GET", "/sheets/{sheet}", OPERATOR),
        R("GET", "/sheets/{sheet}/export.json", OPERATOR),
        R("POST", "/sheets/{sheet}/add", OPERATOR, form={"note": "{mark}"}),
        R("POST", "/sheets/{sheet}/move", OPERATOR, form={"number": "1", "to": "2"}),
        R("GET", "/api/sheets", OPERATOR),
        R("POST", "/api/sheets", OPERATOR, json={"title": "Another {mark}"}),
        R("GET", "/api/sheets/{sheet}", OPERATOR),
        R("POST", "/api/sheets/{sheet}/items", OPERATOR, json={"ref": "Job 8:7"}),
        R("POST", "/api/sheets/{sheet}/move", OPERATOR, json={"number": 1, "to": 2}),
        R("POST", "/sheets/{sheet}/drop", OPERATOR, form={"number": "3"}, phase=1),
        R("DELETE", "/api/sheets/{sheet}/items/1", OPERATOR, phase=1),
        # ---------------------------------------------------------------- anyone signed in, their own things
        R("GET", "/api/community/me", SIGNED_IN),
        R("GET", "/api/community/me/export", SIGNED_IN),
        R("GET", "/api/community/tokens", SIGNED_IN),
        R("GET", "/api/community/groups", SIGNED_IN),
        R("POST", "/api/community/groups", SIGNED_IN, json={"name": "{mark}"}),
        R("POST", "/community/groups", SIGNED_IN, form={"name": "{mark}"}),
        R("GET", "/api/community/steps", SIGNED_IN),
        R("POST", "/api/community/steps", SIGNED_IN, json={"kind": "study", "note": "{mark}"}),
        R("POST", "/community/steps", SIGNED_IN, form={"kind": "study", "note": "{mark}"}),
        R("GET", "/api/community/notifications", SIGNED_IN),
        R("POST", "/api/community/notifications/read", SIGNED_IN),
        R("POST", "/api/community/sync/push", SIGNED_IN, json={"events": []}),
        R("GET", "/api/community/sync/pull", SIGNED_IN),
        R("POST", "/api/community/invitations", SIGNED_IN),
        R("POST", "/community/invitations", SIGNED_IN, form={}),
        # ---------------------------------------------------------------- group A's members
        R("GET", "/api/community/groups/{group}", GROUP),
        R("GET", "/community/groups/{group}", GROUP),
        R("GET", "/api/community/groups/{group}/feed", GROUP),
        R("GET", "/api/community/groups/{group}/building", GROUP),
        R("GET", "/api/community/groups/{group}/gatherings", GROUP),
        R("POST", "/api/community/groups/{group}/gatherings", GROUP, json=gathering),
        R(
            "POST",
            "/community/groups/{group}/gatherings",
            GROUP,
            form={"title": "{mark}", "when": "2031-01-01T13:30", "zone": "UTC"},
        ),
        R("GET", "/api/community/gatherings/{gathering}", GROUP),
        R("POST", "/api/community/gatherings/{gathering}/join", GROUP),
        R("POST", "/api/community/gatherings/{gathering}/withdraw", GROUP),
        R("POST", "/community/gatherings/{gathering}/{action}", GROUP, form={}),
        R("GET", "/api/community/groups/{group}/plans", GROUP),
        R(
            "POST",
            "/api/community/groups/{group}/plans",
            GROUP,
            json={"title": "{mark}", "portions": ["Job 1"]},
        ),
        R("POST", "/community/groups/{group}/plans", GROUP, form={"text": "Job", "title": "{mark}"}),
        R("POST", "/api/community/portions/{portion}/take", GROUP),
        R("POST", "/community/portions/{portion}/take", GROUP, form={}),
        # The member takes the portion first: the owner then meets "someone else's to mark".
        R("POST", "/api/community/portions/{portion}/done", GROUP, json={"done": True}, also_ok=(403,)),
        R("POST", "/community/portions/{portion}/done", GROUP, form={"done": "false"}, also_ok=(403,)),
        R("POST", "/api/community/shared/{shared}/amen", GROUP),
        R("POST", "/community/shared/{shared}/amen", GROUP, form={"group_id": "{group}"}),
        R("POST", "/api/community/shared/{shared}/comments", GROUP, json={"body": "{mark}"}),
        R(
            "POST",
            "/community/shared/{shared}/comments",
            GROUP,
            form={"group_id": "{group}", "body": "{mark}"},
        ),
        # ---------------------------------------------------------------- the member's own
        R("POST", "/api/community/groups/{group}/shared", AUTHOR, json={"step_uid": "{member_step}"}),
        R("POST", "/community/groups/{group}/share", AUTHOR, form={"step_uid": "{member_step}"}),
        R("DELETE", "/api/community/comments/{comment}", AUTHOR),
        R("DELETE", "/api/community/shared/{shared}", AUTHOR),
        R("DELETE", "/api/community/tokens/{token}", AUTHOR),
        R("POST", "/community/tokens/{token2}/revoke", AUTHOR, form={}),
        # ---------------------------------------------------------------- group A's admin
        R("POST", "/api/community/groups/{group}/invites", GROUP_ADMIN, json={"uses": 1}),
        R("POST", "/community/groups/{group}/invites", GROUP_ADMIN, form={"uses": "1"}),
        R("GET", "/api/community/groups/{group}/invites", GROUP_ADMIN),
        R("DELETE", "/api/community/groups/{group}/invites/{invite}", GROUP_ADMIN),
        R("POST", "/community/groups/{group}/invites/{invite2}/revoke", GROUP_ADMIN, form={}),
        R("PUT", "/api/community/groups/{group}/members/{member_id}", GROUP_ADMIN, json={"role": "member"}),
        # ---------------------------------------------------------------- the server's admin
        R("GET", "/community/admin", SERVER_ADMIN),
        R("GET", "/api/community/admin/users", SERVER_ADMIN),
        R("GET", "/api/community/admin/invitations", SERVER_ADMIN),
        R("PUT", "/api/community/admin/settings", SERVER_ADMIN, json={"signup": "open"}),
        R("POST", "/community/admin/settings", SERVER_ADMIN, form={"signup": "open"}),
        R("POST", "/api/community/admin/users/{member_id}/reset", SERVER_ADMIN),
        R("POST", "/community/admin/users/{member_id}/reset", SERVER_ADMIN, form={}),
        R("DELETE", "/api/community/invitations/{invitation}", SERVER_ADMIN),
        R("POST", "/community/invitations/{invitation2}/revoke", SERVER_ADMIN, form={}),
        # ---------------------------------------------------------------- membership changes, then sessions ending
        R("POST", "/api/community/join/{code}", SIGNED_IN, phase=1),
        R("POST", "/community/join/{code}", SIGNED_IN, form={}, phase=1),
        # The member leaves (their own choice); the owner then finds nobody to remove.
        R("DELETE", "/api/community/groups/{group}/members/{member_id}", GROUP, phase=1, also_ok=(404,)),
        R(
            "POST",
            "/community/groups/{group}/members/{member_id}/remove",
            GROUP,
            form={},
            phase=1,
            also_ok=(404,),
        ),
        R("POST", "/api/community/me/delete", NOBODY, json={"password": "not my password"}, phase=2),
        R("POST", "/api/community/logout", SIGNED_IN, phase=2),
        R("POST", "/community/logout", SIGNED_IN, form={}, phase=2),
    ]


ROUTES = _routes()


def _template(path: str) -> str:
    """`/api/search?q=x` → `/api/search`; ids in braces stay as they are in the route table."""
    return path.split("?", 1)[0]


ALIASES = {  # a route table's placeholder → the app's own path parameter name
    "{asset}": "{name}",
    "{work}": "{work}",
    "{ref}": "{ref}",
    "{slug}": "{slug}",
    "{step}": "{uid}",
    "{step2}": "{uid}",
    "{timer}": "{uid}",
    "{skip}": "{uid}",
    "{skip2}": "{uid}",
    "{plan}": "{plan_id}",
    "{group}": "{group_id}",
    "{gathering}": "{gathering_id}",
    "{portion}": "{portion_id}",
    "{shared}": "{shared_id}",
    "{comment}": "{comment_id}",
    "{token}": "{token_id}",
    "{token2}": "{token_id}",
    "{invite}": "{invite_id}",
    "{invite2}": "{invite_id}",
    "{invitation}": "{invitation_id}",
    "{invitation2}": "{invitation_id}",
    "{member_id}": "{member_id}",
    "{code}": "{code}",
    "{action}": "{action}",
    "{sheet}": "{slug}",
    "{fetch_job}": "{job_id}",
}
FIXED = {
    "/sheets/{sheet}/export.json": "/sheets/{slug}/export.{fmt}",
    "/api/sheets/{sheet}/items/1": "/api/sheets/{slug}/items/{number}",
    "/api/cycles/tanya/done": "/api/cycles/{key}/done",
    "/today/cycles/tanya/done": "/today/cycles/{key}/done",
    "/plans/{plan}/portions/1/done": "/plans/{plan_id}/portions/{portion}/done",
    "/plans/{plan}/portions/2/done": "/plans/{plan_id}/portions/{portion}/done",
    "/api/plans/{plan}/portions/2/done": "/api/plans/{plan_id}/portions/{portion}/done",
    "/community/admin/users/{member_id}/reset": "/community/admin/users/{user_id}/reset",
    "/api/community/admin/users/{member_id}/reset": "/api/community/admin/users/{user_id}/reset",
    "/static/style.css": "/static",
}


def route_key(r: R) -> tuple[str, str]:
    path = _template(r.path)
    if path in FIXED:
        return r.method, FIXED[path]
    for ours, theirs in ALIASES.items():
        path = path.replace(ours, theirs)
    return r.method, path


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers: its OpenAPI document plus the routes kept out of it."""
    found: set[tuple[str, str]] = set()
    for path, item in app.openapi()["paths"].items():
        found |= {(m.upper(), path) for m in item}
    for route in app.routes:
        if isinstance(route, Mount):  # static files: read-only, by path
            found.add(("GET", route.path))
            continue
        contexts = route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]
        for ctx in contexts:
            path = getattr(ctx, "path_format", None) or getattr(ctx, "path", None)
            methods = getattr(ctx, "methods", None) or set()
            found |= {(m, path) for m in methods if m != "HEAD"}
    return found


# ---------------------------------------------------------------- the world


@pytest.fixture(scope="session")
def library_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import web_library

    return web_library.build(tmp_path_factory.mktemp("crawl") / "library.sqlite")


@dataclass
class World:
    app: FastAPI
    people: dict[str, Person]
    ids: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(
    database_url: str, library_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    # The crawl itself tries wrong passwords from one address far more often than a person would.
    monkeypatch.setattr(accounts, "MAX_FAILURES_PER_IP", 10_000)
    import built_once

    lib = built_once.copy_to(library_file, tmp_path / "library.sqlite")  # with its index files, as built
    app = create_app(lib, operator_only=True)
    cfg = mount_community(app, database_url, secure_cookies=False, hasher=accounts.fast_hasher())
    people = {role: Person(app, role, base_url=BASE) for role in ROLES}
    people["server_admin"].name = "root"
    people["server_admin"].signup()
    admin = people["server_admin"]
    assert admin.put("/api/community/admin/settings", {"signup": "open"}).status_code == 200
    for role in ("owner", "member", "outsider"):
        people[role].signup()
    owner, member, outsider = people["owner"], people["member"], people["outsider"]
    group = owner.post("/api/community/groups", {"name": "Group A"}).json()["id"]
    code = owner.post(f"/api/community/groups/{group}/invites", {"uses": 1}).json()["code"]
    assert member.post(f"/api/community/join/{code}").status_code == 200
    outsider.post("/api/community/groups", {"name": "Group B"})
    steps = [member.post("/api/community/steps", {"kind": "study", "note": PRIVATE}).json() for _ in range(2)]
    shared = member.post(f"/api/community/groups/{group}/shared", {"step_uid": steps[0]["uid"]}).json()
    comment = member.post(f"/api/community/shared/{shared['id']}/comments", {"body": "mine"}).json()
    gathering = owner.post(
        f"/api/community/groups/{group}/gatherings", {"title": "Maariv", "starts_at": "2031-01-01T19:00:00Z"}
    ).json()
    plan = owner.post(f"/api/community/groups/{group}/plans", {"title": "IH", "portions": ["A", "B"]}).json()
    tokens = [
        member.client.post(
            "/api/community/token",
            json={"name": "member", "password": "correct horse", "label": f"laptop {i}"},
        ).json()["token"]
        for i in range(2)
    ]
    assert all(t.startswith("mdg_") for t in tokens)
    token_ids = [t["id"] for t in member.get("/api/community/tokens").json()]
    # A link many may use, for the join routes at the end (everyone signed in may join with it).
    join_code = owner.post(f"/api/community/groups/{group}/invites", {"uses": 50}).json()["code"]
    for _ in range(2):
        owner.post(f"/api/community/groups/{group}/invites", {"uses": 1})
    invite_ids = [i["id"] for i in owner.get(f"/api/community/groups/{group}/invites").json()][:2]
    for _ in range(2):
        admin.post("/api/community/invitations")
    invitation_ids = [i["id"] for i in admin.get("/api/community/admin/invitations").json()][:2]
    # The operator's own journal, with a private note, and a plan.
    journal_steps = [
        admin.post("/api/journal", data={"kind": "study", "note": OPERATOR_PRIVATE}).json() for _ in range(2)
    ]
    timer = admin.post("/api/timers", data={}).json()
    skips = [
        admin.post("/api/skips", data={"first": day, "reason": OPERATOR_PRIVATE}).json()
        for day in ("2024-01-07", "2024-01-14")
    ]
    op_plan = admin.post("/api/plans", data={"work": "Psalms", "divide": "chapter"}).json()
    slug = admin.get("/api/documents").json()[0]["slug"]
    sheet = admin.post("/api/sheets", {"title": "Crawl sheet"}).json()["slug"]
    for item in ({"ref": "Job 8:7"}, {"note": "a note"}, {"ref": "Isaiah 51:1"}):
        assert admin.post(f"/api/sheets/{sheet}/items", item).status_code == 201
    fetch_job = admin.client.post("/api/fetch", data={"work": "Tanya"}, headers=admin.headers()).json()["id"]
    world = World(app, people)
    world.ids = {
        "group": group,
        "skip": skips[0]["uid"],
        "skip2": skips[1]["uid"],
        "code": join_code,
        "shared": shared["id"],
        "comment": comment["id"],
        "gathering": gathering["id"],
        "portion": plan["portions"][0]["id"],
        "member_id": member.id,
        "member_step": steps[1]["uid"],
        "token": token_ids[0],
        "token2": token_ids[1],
        "invite": invite_ids[0],
        "invite2": invite_ids[1],
        "invitation": invitation_ids[0],
        "invitation2": invitation_ids[1],
        "step": journal_steps[0]["uid"],
        "step2": journal_steps[1]["uid"],
        "timer": timer["uid"],
        "plan": op_plan["id"],
        "slug": slug,
        "sheet": sheet,
        "fetch_job": fetch_job,
        "asset": "community.css",
        "work": "Isaiah",
        "ref": "Isaiah 51:1",
        "action": "join",
    }
    yield world
    cfg.backend.close()


def _fill(value: Any, ids: dict[str, Any], mark: str) -> Any:
    if isinstance(value, str):
        return value.replace("{mark}", mark).format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids, mark) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids, mark) for v in value]
    return value


def _fresh_session(p: Person) -> None:
    """Sign in again (the phase-2 routes end the caller's session)."""
    if p.name == "anonymous":
        return
    p.client.cookies.clear()
    p.csrf = p.client.get("/api/community/csrf").json()["csrf"]
    r = p.post("/api/community/login", {"name": p.name, "password": "correct horse"})
    assert r.status_code == 200, r.text
    p.csrf = r.json()["csrf"]


def _refused(role: str, method: str, path: str, status: int, location: str) -> bool:
    if role == "anonymous":
        page_get = method == "GET" and not path.startswith("/api/")
        return status == 401 or (page_get and status == 303 and location.endswith("/community"))
    return status in (403, 404)


def _dump_text(world: World, lib: Path, backend: Any) -> str:
    """All text either database holds (to find what a refused request tried to write)."""
    parts: list[str] = []
    conn = sqlite3.connect(lib)
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '%fts%'"
    ):
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            parts.extend(str(v) for v in row if isinstance(v, str))
    conn.close()
    with backend.transaction(write=False) as tx:
        for table in (
            "users",
            "groups",
            "server_events",
            "shared_steps",
            "comments",
            "gatherings",
            "group_plans",
            "plan_portions",
            "notifications",
            "api_tokens",
            "invitations",
            "group_invites",
        ):
            for row in tx.all(f"SELECT * FROM {table}"):
                parts.extend(str(v) for v in row.values() if isinstance(v, str))
    return "\n".join(parts)


def test_every_route_is_classified(world: World) -> None:
    known = {route_key(r) for r in ROUTES}
    present = app_routes(world.app)
    assert present - known == set(), (
        f"routes nobody classified (add them to ROUTES): {sorted(present - known)}"
    )
    assert known - present == set(), f"ROUTES lists routes the app does not have: {sorted(known - present)}"


def test_nobody_reads_or_writes_what_is_not_theirs(world: World, tmp_path: Path) -> None:
    failures: list[str] = []
    refused_marks: list[str] = []
    for phase in (0, 1, 2):
        for index, r in enumerate(ROUTES):
            if r.phase != phase:
                continue
            # Refused roles first, so an allowed one's change (a delete) cannot hide a refusal.
            for role in sorted(ROLES, key=lambda x: (x in r.who, x)):
                who = world.people[role]
                if phase == 2:
                    _fresh_session(who)
                mark = f"MARK{index}{role.upper()}"
                path = _fill(r.path, world.ids, mark)
                kwargs: dict[str, Any] = {"headers": who.headers(), "follow_redirects": False}
                if r.json is not None:
                    kwargs["json"] = _fill(r.json, world.ids, mark)
                if r.form is not None:
                    kwargs["data"] = _fill(r.form, world.ids, mark)
                resp = who.client.request(r.method, path, **kwargs)
                text = resp.text
                where = f"{r.method} {path} as {role}: {resp.status_code} {text[:160]!r}"
                if resp.status_code >= 500:
                    failures.append("server error: " + where)
                    continue
                if PRIVATE in text and role != "member":
                    failures.append("member's private note leaked: " + where)
                if OPERATOR_PRIVATE in text and role != "server_admin":
                    failures.append("operator's journal leaked: " + where)
                if r.expect_any:
                    continue
                refused = _refused(role, r.method, path, resp.status_code, resp.headers.get("location", ""))
                answered = resp.status_code < 400 or resp.status_code in (400, 409, 422, *r.also_ok)
                if role in r.who and not answered:
                    failures.append("allowed but refused: " + where)
                elif role not in r.who and not refused:
                    failures.append("not allowed but answered: " + where)
                if role not in r.who:
                    refused_marks.append(mark)
    assert not failures, "\n".join(failures)
    backend = world.app.state.community.backend
    stored = _dump_text(world, Path(world.app.state.db_path), backend)
    landed = [m for m in refused_marks if m in stored]
    assert not landed, f"refused requests still wrote: {landed}"
