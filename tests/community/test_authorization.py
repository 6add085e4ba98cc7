"""The authorization matrix: every endpoint against anonymous, another group's member, the server admin,
a member and the group's admin. Nobody reads or changes what is not theirs — private notes above all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from .helpers import Person, add_step, make_group

PRIVATE = "PRIVATE-NOTE-only-for-me"
ROLES = ("anonymous", "outsider", "server_admin", "owner", "member")


def _expect(
    anonymous: int = 401, outsider: int = 404, server_admin: int = 404, owner: int = 200, member: int = 200
) -> dict[str, int]:
    return dict(anonymous=anonymous, outsider=outsider, server_admin=server_admin, owner=owner, member=member)


def _matrix(ids: dict[str, int | str]) -> list[tuple[str, str, Any, dict[str, int]]]:
    a, s, g, c, p1, p2 = (ids[k] for k in ("group", "shared", "gathering", "comment", "portion1", "portion2"))
    gathering = {"title": "Mincha", "starts_at": "2030-01-01T13:30:00+02:00"}
    admin_only = _expect(outsider=403, server_admin=200, owner=403, member=403)
    return [
        ("GET", f"/api/community/groups/{a}", None, _expect()),
        ("GET", f"/api/community/groups/{a}/feed", None, _expect()),
        ("GET", f"/api/community/groups/{a}/building", None, _expect()),
        ("GET", f"/api/community/groups/{a}/gatherings", None, _expect()),
        ("GET", f"/api/community/groups/{a}/plans", None, _expect()),
        ("GET", f"/api/community/gatherings/{g}", None, _expect()),
        ("POST", f"/api/community/groups/{a}/invites", None, _expect(owner=201, member=403)),
        (
            "PUT",
            f"/api/community/groups/{a}/members/{ids['member_id']}",
            {"role": "member"},
            _expect(member=403),
        ),
        # Sharing someone else's step is impossible even for the group's admin.
        (
            "POST",
            f"/api/community/groups/{a}/shared",
            {"step_uid": ids["member_step"]},
            _expect(owner=404, member=201),
        ),
        ("POST", f"/api/community/shared/{s}/amen", None, _expect()),
        (
            "POST",
            f"/api/community/shared/{s}/comments",
            {"body": "Amen, well done"},
            _expect(owner=201, member=201),
        ),
        ("POST", f"/api/community/groups/{a}/gatherings", gathering, _expect(owner=201, member=201)),
        ("POST", f"/api/community/gatherings/{g}/join", None, _expect()),
        ("POST", f"/api/community/gatherings/{g}/withdraw", None, _expect()),
        (
            "POST",
            f"/api/community/groups/{a}/plans",
            {"title": "T", "portions": ["Job 1"]},
            _expect(owner=201, member=201),
        ),
        ("POST", f"/api/community/portions/{p1}/take", None, _expect(owner=200, member=409)),
        ("POST", f"/api/community/portions/{p2}/done", {"done": True}, _expect(member=403)),
        ("GET", "/api/community/admin/users", None, admin_only),
        ("PUT", "/api/community/admin/settings", {"signup": "open"}, admin_only),
        (
            "POST",
            f"/api/community/admin/users/{ids['member_id']}/reset",
            None,
            {**admin_only, "server_admin": 201},
        ),
        ("GET", "/api/community/groups", None, _expect(outsider=200, server_admin=200)),
        ("GET", "/api/community/steps", None, _expect(outsider=200, server_admin=200)),
        ("GET", "/api/community/sync/pull", None, _expect(outsider=200, server_admin=200)),
        ("GET", "/api/community/notifications", None, _expect(outsider=200, server_admin=200)),
        ("GET", "/api/community/me/export", None, _expect(outsider=200, server_admin=200)),
        (
            "POST",
            "/api/community/invitations",
            None,
            _expect(outsider=201, server_admin=201, owner=201, member=201),
        ),
        # Deletions last: only the author may take back a comment or a shared step.
        ("DELETE", f"/api/community/comments/{c}", None, _expect(owner=403, member=204)),
        ("DELETE", f"/api/community/shared/{s}", None, _expect(owner=403, member=204)),
    ]


def _world(person: Callable[..., Person], app: FastAPI) -> tuple[dict[str, Person], dict[str, int | str]]:
    people = {
        "server_admin": person("root"),
        "owner": person("owner"),
        "member": person("member"),
        "outsider": person("outsider"),
        "anonymous": Person(app, "anonymous"),
    }
    owner, member, outsider = people["owner"], people["member"], people["outsider"]
    group = make_group(owner, member)
    make_group(outsider, name="Another shul")
    step = add_step(member, note=PRIVATE)  # a private note: never leaves its owner
    extra = add_step(member, note=PRIVATE)
    shared = member.post(f"/api/community/groups/{group}/shared", {"step_uid": step["uid"]}).json()
    comment = member.post(f"/api/community/shared/{shared['id']}/comments", {"body": "mine"}).json()
    gathering = owner.post(
        f"/api/community/groups/{group}/gatherings", {"title": "Maariv", "starts_at": "2030-01-01T19:00:00Z"}
    ).json()
    plan = owner.post(f"/api/community/groups/{group}/plans", {"title": "IH", "portions": ["A", "B"]}).json()
    ids: dict[str, int | str] = {
        "group": group,
        "shared": shared["id"],
        "comment": comment["id"],
        "gathering": gathering["id"],
        "portion1": plan["portions"][0]["id"],
        "portion2": plan["portions"][1]["id"],
        "member_id": member.id,
        "member_step": extra["uid"],
    }
    return people, ids


def test_authorization_matrix(person: Callable[..., Person], app: FastAPI, backend: Any) -> None:
    people, ids = _world(person, app)
    failures: list[str] = []
    seen_by_others: list[str] = []
    for method, path, body, expected in _matrix(ids):
        for role in ROLES:
            who = people[role]
            kwargs: dict[str, Any] = {"headers": who.headers()}
            if body is not None:
                kwargs["json"] = body
            r = who.client.request(method, path, **kwargs)
            if r.status_code != expected[role]:
                failures.append(
                    f"{method} {path} as {role}: {r.status_code} (expected {expected[role]}) {r.text[:120]}"
                )
            if role != "member":
                seen_by_others.append(r.text)
    assert not failures, "\n".join(failures)
    assert not any(PRIVATE in text for text in seen_by_others)
    with backend.transaction() as tx:
        # Nothing the refused requests tried landed: only the owner and member acted in group A.
        actors = {
            r["user_id"] for r in tx.all("SELECT user_id FROM comments UNION SELECT user_id FROM amens")
        }
        assert actors <= {people["owner"].id, people["member"].id}
        assert tx.value("SELECT COUNT(*) FROM shared_steps WHERE user_id<>?", (people["member"].id,)) == 0


def test_private_notes_never_reach_the_group(person: Callable[..., Person]) -> None:
    sara, dovid = person("sara"), person("dovid")
    group = make_group(sara, dovid)
    private = add_step(sara, note=PRIVATE)
    public = add_step(sara, note="I may share this one", shared=True)
    for step in (private, public):
        assert (
            sara.post(f"/api/community/groups/{group}/shared", {"step_uid": step["uid"]}).status_code == 201
        )
    feed = dovid.get(f"/api/community/groups/{group}/feed")
    assert PRIVATE not in feed.text and "I may share this one" in feed.text
    page = dovid.get(f"/community/groups/{group}")
    assert page.status_code == 200 and PRIVATE not in page.text
    # Sara herself sees her private note in her own steps.
    assert PRIVATE in sara.get("/api/community/steps").text
    assert PRIVATE not in dovid.get("/api/community/steps").text
