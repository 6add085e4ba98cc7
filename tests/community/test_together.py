"""Groups, shared steps, amen and comments, the building, the pages, and bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .helpers import Person, add_step, make_group

SCRIPT = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_invite_link_members_and_admins(person: Callable[..., Person]) -> None:
    rivka, sara, dovid = person("rivka"), person("sara"), person("dovid")
    group = make_group(rivka, sara, dovid)
    info = rivka.get(f"/api/community/groups/{group}").json()
    assert [(m["name"], m["role"]) for m in info["members"]] == [
        ("rivka", "admin"),
        ("sara", "member"),
        ("dovid", "member"),
    ]
    assert rivka.put(f"/api/community/groups/{group}/members/{sara.id}", {"role": "admin"}).status_code == 200
    assert sara.post(f"/api/community/groups/{group}/invites").status_code == 201
    assert sara.delete(f"/api/community/groups/{group}/members/{dovid.id}").status_code == 204
    assert dovid.get(f"/api/community/groups/{group}").status_code == 404
    # The last admin leaving hands the group on rather than orphaning it.
    rivka.put(f"/api/community/groups/{group}/members/{sara.id}", {"role": "member"})
    assert rivka.delete(f"/api/community/groups/{group}/members/{rivka.id}").status_code == 204
    assert sara.get(f"/api/community/groups/{group}").json()["role"] == "admin"
    assert person("eli").post("/api/community/join/not-a-code").status_code == 404


def test_shared_steps_amen_comment_and_building(person: Callable[..., Person]) -> None:
    rivka, sara = person("rivka"), person("sara")
    group = make_group(rivka, sara)
    steps = [
        add_step(rivka),
        add_step(sara, ref=None, what="visited the sick", kind="kindness"),
        add_step(rivka),
    ]
    owners = [rivka, sara, rivka]
    shared = [
        p.post(f"/api/community/groups/{group}/shared", {"step_uid": s["uid"]}).json()
        for p, s in zip(owners, steps, strict=True)
    ]
    # Sharing the same step twice is one brick.
    again = rivka.post(f"/api/community/groups/{group}/shared", {"step_uid": steps[0]["uid"]})
    assert again.status_code == 201 and again.json()["id"] == shared[0]["id"]
    assert sara.post(f"/api/community/shared/{shared[0]['id']}/amen").json() == {"amens": 1}
    assert sara.post(f"/api/community/shared/{shared[0]['id']}/amen").json() == {"amens": 1}
    assert rivka.post(f"/api/community/shared/{shared[0]['id']}/amen").json() == {"amens": 2}
    sara.post(f"/api/community/shared/{shared[0]['id']}/comments", {"body": "Yasher koach!"})
    feed = rivka.get(f"/api/community/groups/{group}/feed").json()
    assert [item["id"] for item in feed] == [s["id"] for s in reversed(shared)]
    first = feed[-1]
    assert first["who"] == "Rivka" and first["amens"] == ["Sara", "Rivka"]
    assert [c["body"] for c in first["comments"]] == ["Yasher koach!"]
    building = sara.get(f"/api/community/groups/{group}/building").json()
    assert building["bricks"] == 3 and building["by_member"] == {"Rivka": 2, "Sara": 1}
    assert [b["who"] for b in building["rows"][0]] == ["Rivka", "Sara", "Rivka"]


def test_a_deleted_step_leaves_the_feed(person: Callable[..., Person]) -> None:
    rivka, sara = person("rivka"), person("sara")
    group = make_group(rivka, sara)
    step = add_step(rivka)
    rivka.post(f"/api/community/groups/{group}/shared", {"step_uid": step["uid"]})
    deletion = {
        "uid": "6f1c2b9e-1d7a-4c55-9d8e-3a1b2c3d4e5f",
        "type": "step.deleted",
        "at": "2031-01-01T00:00:00.000000Z",
        "step_uid": step["uid"],
        "data": {},
    }
    assert rivka.post("/api/community/sync/push", {"events": [deletion]}).json()["added"] == 1
    assert sara.get(f"/api/community/groups/{group}/feed").json() == []


def test_script_in_names_notes_and_comments_is_shown_escaped(person: Callable[..., Person], app: Any) -> None:
    rivka = Person(app, "rivka")
    rivka.csrf = rivka.get("/api/community/csrf").json()["csrf"]
    body = {"name": "rivka", "password": "correct horse", "display_name": SCRIPT}
    assert rivka.post("/api/community/signup", body).status_code == 201
    rivka.csrf = rivka.get("/api/community/me").json()["csrf"]
    group = rivka.post("/api/community/groups", {"name": SCRIPT}).json()["id"]
    step = add_step(rivka, note=SCRIPT, shared=True, what=SCRIPT, ref=None)
    shared = rivka.post(f"/api/community/groups/{group}/shared", {"step_uid": step["uid"]}).json()
    rivka.post(f"/api/community/shared/{shared['id']}/comments", {"body": SCRIPT})
    rivka.post(
        f"/api/community/groups/{group}/gatherings", {"title": SCRIPT, "starts_at": "2030-01-01T10:00:00Z"}
    )
    for path in (f"/community/groups/{group}", "/community"):
        page = rivka.get(path)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x onerror" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    # The API returns the text as it was given (JSON is not HTML): nothing is lost.
    assert rivka.get(f"/api/community/groups/{group}").json()["name"] == SCRIPT


def test_sql_injection_attempts_are_just_text(person: Callable[..., Person], backend: Any) -> None:
    rivka = person("rivka")
    evil = "x'); DROP TABLE users; --"
    group = rivka.post("/api/community/groups", {"name": evil}).json()["id"]
    assert rivka.get(f"/api/community/groups/{group}").json()["name"] == evil
    assert rivka.get("/api/community/groups/1%20OR%201=1").status_code == 422
    assert rivka.get("/api/community/sync/pull?since=0;DELETE FROM users").status_code == 422
    r = rivka.client.post("/api/community/token", json={"name": "rivka' OR '1'='1", "password": "' OR ''='"})
    assert r.status_code == 401
    with backend.transaction() as tx:
        assert tx.value("SELECT COUNT(*) FROM users") == 1


def test_bad_bodies_get_a_clear_4xx_and_change_nothing(person: Callable[..., Person], backend: Any) -> None:
    rivka = person("rivka")
    headers = {**rivka.headers(), "content-type": "application/json"}
    r = rivka.client.post("/api/community/groups", content=b'{"name": "unclosed', headers=headers)
    assert r.status_code == 422
    r = rivka.client.post("/api/community/groups", content=b"[1, 2]", headers=headers)
    assert r.status_code == 422
    r = rivka.client.post("/api/community/sync/push", content=b"x" * 2_000_000, headers=headers)
    assert r.status_code == 413
    r = rivka.post("/api/community/groups", {"name": "n" * 81})
    assert r.status_code == 422
    r = rivka.post("/api/community/groups", {"name": "ok", "kind": "cult"})
    assert r.status_code == 422
    bad_events = [{"uid": "not-a-uuid", "type": "step.added", "at": "2024-01-01T00:00:00Z", "data": {}}]
    r = rivka.post("/api/community/sync/push", {"events": bad_events})
    assert r.status_code == 422 and "event 0" in r.json()["error"]
    with backend.transaction() as tx:
        assert tx.value("SELECT COUNT(*) FROM groups") == 0
        assert tx.value("SELECT COUNT(*) FROM server_events") == 0


def test_pages_forms_carry_csrf_and_work(person: Callable[..., Person], app: Any) -> None:
    visitor = Person(app, "x")
    page = visitor.get("/community")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"csrf_token": token, "name": "rivka", "password": "correct horse"}
    r = visitor.client.post("/community/signup", data=form, follow_redirects=False)
    assert r.status_code == 303
    home = visitor.get("/community")
    assert "Your groups" in home.text
    session_token = home.text.split('name="csrf_token" value="')[1].split('"')[0]
    forged = visitor.client.post("/community/groups", data={"csrf_token": "forged", "name": "G"})
    assert forged.status_code == 403
    made = visitor.client.post("/community/groups", data={"csrf_token": session_token, "name": "Chevruta"})
    assert made.status_code == 200 and "Chevruta" in made.text
