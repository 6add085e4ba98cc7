"""Accounts: sign-up modes, argon2 passwords, cookies, CSRF, rate limits, resets, tokens, export, deletion."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from madrega.community import accounts

from .helpers import Person, add_step, make_group


def test_first_account_is_admin_and_signup_is_by_invitation_by_default(app: FastAPI) -> None:
    admin = Person(app, "rivka").signup()
    assert admin.get("/api/community/me").json()["user"]["is_admin"] is True
    stranger = Person(app, "yossi")
    stranger.csrf = stranger.get("/api/community/csrf").json()["csrf"]
    r = stranger.post("/api/community/signup", {"name": "yossi", "password": "long enough pw"})
    assert r.status_code == 403 and "invitation" in r.json()["error"]
    code = admin.post("/api/community/invitations").json()["invitation"]
    guest = Person(app, "yossi").signup(invitation=code)
    assert guest.get("/api/community/me").json()["user"]["is_admin"] is False
    # An invitation is single-use.
    third = Person(app, "dina")
    third.csrf = third.get("/api/community/csrf").json()["csrf"]
    r = third.post(
        "/api/community/signup", {"name": "dina", "password": "long enough pw", "invitation": code}
    )
    assert r.status_code == 403


def test_password_is_stored_as_argon2_and_login_works(app: FastAPI, backend: Any) -> None:
    Person(app, "rivka").signup(password="a good secret")
    with backend.transaction() as tx:
        stored = tx.value("SELECT password_hash FROM users WHERE name='rivka'")
    assert stored.startswith("$argon2id$") and "a good secret" not in stored
    fresh = Person(app, "rivka")
    fresh.csrf = fresh.get("/api/community/csrf").json()["csrf"]
    r = fresh.post("/api/community/login", {"name": "Rivka", "password": "a good secret"})
    assert r.status_code == 200
    fresh.csrf = r.json()["csrf"]
    assert fresh.get("/api/community/me").json()["user"]["name"] == "rivka"
    assert fresh.post("/api/community/logout").status_code == 204
    assert fresh.get("/api/community/me").status_code == 401


def test_session_cookie_is_http_only_lax_and_secure_by_default(database_url: str) -> None:
    from madrega.community.app import create_community_app

    app = create_community_app(database_url, hasher=accounts.fast_hasher())
    try:
        p = Person(app, "rivka", base_url="https://testserver")
        p.csrf = p.get("/api/community/csrf").json()["csrf"]
        r = p.post("/api/community/signup", {"name": "rivka", "password": "a good secret"})
        assert r.status_code == 201, r.text
        cookie = r.headers["set-cookie"].lower()
        assert "madrega_session=" in cookie
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    finally:
        app.state.community.backend.close()


def test_login_without_or_with_a_forged_csrf_token_is_refused(app: FastAPI) -> None:
    Person(app, "rivka").signup(password="a good secret")
    p = Person(app, "rivka")
    p.get("/api/community/csrf")  # the cookie is set, but the header is missing
    r = p.client.post("/api/community/login", json={"name": "rivka", "password": "a good secret"})
    assert r.status_code == 403
    r = p.client.post(
        "/api/community/login",
        json={"name": "rivka", "password": "a good secret"},
        headers={"X-CSRF-Token": "forged"},
    )
    assert r.status_code == 403
    assert "madrega_session" not in p.client.cookies


def test_state_changes_need_the_sessions_csrf_token(person: Callable[..., Person], backend: Any) -> None:
    rivka = person("rivka")
    for token in (None, "forged", "x" * 43):
        headers = {"X-CSRF-Token": token} if token else {}
        r = rivka.client.post("/api/community/groups", json={"name": "Shul"}, headers=headers)
        assert r.status_code == 403
    with backend.transaction() as tx:
        assert tx.value("SELECT COUNT(*) FROM groups") == 0
    # Another user's CSRF token does not work with this session either.
    other = person("other")
    r = rivka.client.post(
        "/api/community/groups", json={"name": "Shul"}, headers={"X-CSRF-Token": other.csrf}
    )
    assert r.status_code == 403
    assert rivka.post("/api/community/groups", {"name": "Shul"}).status_code == 201


def test_tampered_and_expired_session_cookies_are_anonymous(
    person: Callable[..., Person], backend: Any
) -> None:
    rivka = person("rivka")
    token = rivka.client.cookies["madrega_session"]
    rivka.client.cookies.set("madrega_session", token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert rivka.get("/api/community/me").status_code == 401
    assert rivka.post("/api/community/groups", {"name": "x"}).status_code == 401
    rivka.client.cookies.set("madrega_session", token)
    assert rivka.get("/api/community/me").status_code == 200
    with backend.transaction() as tx:
        tx.execute("UPDATE sessions SET expires_at='2000-01-01T00:00:00.000000Z'")
    assert rivka.get("/api/community/me").status_code == 401


def test_brute_force_login_is_rate_limited_per_account(person: Callable[..., Person], app: FastAPI) -> None:
    person("rivka")
    attacker = Person(app, "x")
    attacker.csrf = attacker.get("/api/community/csrf").json()["csrf"]
    codes = [
        attacker.post("/api/community/login", {"name": "rivka", "password": f"guess-{i}"}).status_code
        for i in range(accounts.MAX_FAILURES_PER_ACCOUNT + 3)
    ]
    assert codes[: accounts.MAX_FAILURES_PER_ACCOUNT] == [401] * accounts.MAX_FAILURES_PER_ACCOUNT
    assert set(codes[accounts.MAX_FAILURES_PER_ACCOUNT :]) == {429}
    # Even the right password is refused while the account is throttled: guessing gains nothing.
    r = attacker.post("/api/community/login", {"name": "rivka", "password": "correct horse"})
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert "madrega_session" not in attacker.client.cookies


def test_many_accounts_from_one_address_are_rate_limited_per_ip(app: FastAPI) -> None:
    attacker = Person(app, "x")
    attacker.csrf = attacker.get("/api/community/csrf").json()["csrf"]
    codes = [
        attacker.post("/api/community/login", {"name": f"user{i}", "password": "guess-guess"}).status_code
        for i in range(accounts.MAX_FAILURES_PER_IP + 2)
    ]
    assert codes[0] == 401 and codes[-1] == 429


def test_admin_issues_a_password_reset(person: Callable[..., Person], app: FastAPI) -> None:
    admin, sara = person("admin"), person("sara")
    assert sara.post(f"/api/community/admin/users/{admin.id}/reset").status_code == 403
    code = admin.post(f"/api/community/admin/users/{sara.id}/reset").json()["code"]
    other = Person(app, "sara")
    other.csrf = other.get("/api/community/csrf").json()["csrf"]
    bad = other.post("/api/community/reset", {"name": "sara", "code": "wrong", "password": "new password"})
    assert bad.status_code == 403
    ok = other.post("/api/community/reset", {"name": "sara", "code": code, "password": "new password"})
    assert ok.status_code == 204
    assert sara.get("/api/community/me").status_code == 401  # old sessions end
    assert (
        other.post(
            "/api/community/reset", {"name": "sara", "code": code, "password": "again pass"}
        ).status_code
        == 403
    )
    r = other.post("/api/community/login", {"name": "sara", "password": "new password"})
    assert r.status_code == 200


def test_api_token_for_the_cli_needs_no_cookie_or_csrf(person: Callable[..., Person], app: FastAPI) -> None:
    person("rivka")
    from fastapi.testclient import TestClient

    cli = TestClient(app)
    r = cli.post("/api/community/token", json={"name": "rivka", "password": "correct horse"})
    assert r.status_code == 201
    bearer = {"Authorization": f"Bearer {r.json()['token']}"}
    assert cli.post("/api/community/groups", json={"name": "From the CLI"}, headers=bearer).status_code == 201
    assert cli.get("/api/community/groups", headers={"Authorization": "Bearer mdg_forged"}).status_code == 401
    assert (
        cli.post("/api/community/token", json={"name": "rivka", "password": "nope nope"}).status_code == 401
    )


def test_export_has_all_my_data_and_none_of_others(person: Callable[..., Person]) -> None:
    rivka, sara = person("rivka"), person("sara")
    group_id = make_group(rivka, sara)
    mine = add_step(rivka, note="my private thought")
    theirs = add_step(sara, note="sara's private thought")
    shared = rivka.post(f"/api/community/groups/{group_id}/shared", {"step_uid": mine["uid"]}).json()
    sara.post(f"/api/community/groups/{group_id}/shared", {"step_uid": theirs["uid"]})
    rivka.post(f"/api/community/shared/{shared['id']}/comments", {"body": "thank God"})
    r = rivka.get("/api/community/me/export")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in r.text.splitlines()]
    kinds = {rec["record"] for rec in records}
    assert {"user", "membership", "event", "shared_step", "comment"} <= kinds
    assert "my private thought" in r.text and "sara's" not in r.text
    assert all("password" not in key for rec in records for key in rec)


def test_deleting_my_account_removes_all_of_it(person: Callable[..., Person], backend: Any) -> None:
    rivka, sara = person("rivka"), person("sara")
    group_id = make_group(rivka, sara)
    step = add_step(rivka)
    shared = rivka.post(f"/api/community/groups/{group_id}/shared", {"step_uid": step["uid"]}).json()
    sara.post(f"/api/community/shared/{shared['id']}/amen")
    assert rivka.post("/api/community/me/delete", {"password": "wrong password"}).status_code == 403
    assert rivka.post("/api/community/me/delete", {"password": "correct horse"}).status_code == 204
    with backend.transaction() as tx:
        for table in ("server_events", "shared_steps", "sessions", "memberships"):
            assert tx.value(f"SELECT COUNT(*) FROM {table} WHERE user_id=?", (rivka.id,)) == 0
        assert tx.value("SELECT COUNT(*) FROM users WHERE id=?", (rivka.id,)) == 0
        assert tx.value("SELECT COUNT(*) FROM amens") == 0
    # The group lives on with its remaining member as admin.
    assert sara.get(f"/api/community/groups/{group_id}").json()["role"] == "admin"
