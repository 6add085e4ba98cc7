"""What a server people trust must hold: login limits that count every guess, tokens that can be
revoked, invite links that run out and can be taken back, and one holder per plan portion."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from argon2 import PasswordHasher
from fastapi import FastAPI

from madrega.community import accounts, plans
from madrega.community.accounts import User
from madrega.community.backend import CommunityError
from madrega.errors import ErrorKind

from .helpers import Person, add_step, make_group


class CountingHasher(PasswordHasher):
    """A real argon2 hasher that counts how many passwords it was asked to check."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self._lock:
            self.verified += 1
        return super().verify(hash, password)


def _together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in `count` threads released at the same instant; their results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # collected: the test looks at each outcome
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


# ---------------------------------------------------------------- login limits


def _open_signup(backend: Any, hasher: PasswordHasher) -> User:
    """The server's first account (its admin), with sign-up opened to everyone."""
    admin = accounts.sign_up(backend, hasher, "owner", "long enough pw")
    accounts.set_signup_mode(backend, admin, "open")
    return admin


def test_twenty_parallel_guesses_only_the_allowed_number_are_evaluated(backend: Any) -> None:
    hasher = CountingHasher()
    _open_signup(backend, hasher)
    accounts.sign_up(backend, hasher, "sara", "the right password")
    outcomes = _together(
        20, lambda i: accounts.verify_password(backend, hasher, "sara", f"guess {i}", f"10.0.0.{i}")
    )
    unauthorized = [o for o in outcomes if isinstance(o, accounts.Unauthorized)]
    limited = [o for o in outcomes if isinstance(o, accounts.TooManyAttempts)]
    assert len(unauthorized) == accounts.MAX_FAILURES_PER_ACCOUNT
    assert len(limited) == 20 - accounts.MAX_FAILURES_PER_ACCOUNT
    assert hasher.verified == accounts.MAX_FAILURES_PER_ACCOUNT  # the others were never checked
    # Even the right password waits out the window now.
    try:
        accounts.verify_password(backend, hasher, "sara", "the right password", "10.0.1.1")
    except accounts.TooManyAttempts:
        pass
    else:
        raise AssertionError("the account limit let a login through")


def test_the_per_address_limit_counts_across_accounts(backend: Any) -> None:
    hasher = CountingHasher()
    outcomes = _together(
        accounts.MAX_FAILURES_PER_IP + 10,
        lambda i: accounts.verify_password(backend, hasher, f"user{i}", "x", "192.0.2.7"),
    )
    limited = [o for o in outcomes if isinstance(o, accounts.TooManyAttempts)]
    assert len(limited) == 10
    # Another address is not held back by this one's guesses.
    _open_signup(backend, hasher)
    accounts.sign_up(backend, hasher, "dovid", "the right password")
    assert (
        accounts.verify_password(backend, hasher, "dovid", "the right password", "192.0.2.8").name == "dovid"
    )


def test_a_right_password_does_not_count_as_a_failure(backend: Any) -> None:
    hasher = CountingHasher()
    _open_signup(backend, hasher)
    accounts.sign_up(backend, hasher, "leah", "the right password")
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT * 2):
        accounts.verify_password(backend, hasher, "leah", "the right password", "198.51.100.1")


# ---------------------------------------------------------------- tokens


def _token(p: Person, label: str = "laptop") -> str:
    r = p.client.post(
        "/api/community/token", json={"name": p.name, "password": "correct horse", "label": label}
    )
    assert r.status_code == 201, r.text
    token: str = r.json()["token"]
    return token


def test_tokens_are_listed_and_revocable(person: Callable[..., Person], app: FastAPI) -> None:
    sara = person("sara")
    first, second = _token(sara, "laptop"), _token(sara, "phone")
    listed = sara.get("/api/community/tokens").json()
    assert [t["label"] for t in listed] == ["laptop", "phone"]
    assert all(first not in str(t) and second not in str(t) for t in listed)  # never the secrets
    bearer = Person(app, "cli")
    ok = bearer.client.get("/api/community/steps", headers={"Authorization": f"Bearer {first}"})
    assert ok.status_code == 200
    assert sara.delete(f"/api/community/tokens/{listed[0]['id']}").status_code == 204
    gone = bearer.client.get("/api/community/steps", headers={"Authorization": f"Bearer {first}"})
    assert gone.status_code == 401
    # Someone else cannot revoke Sara's other token.
    dovid = person("dovid")
    assert dovid.delete(f"/api/community/tokens/{listed[1]['id']}").status_code == 404
    # The token revokes itself (what `madrega logout` does).
    r = bearer.client.post("/api/community/logout", headers={"Authorization": f"Bearer {second}"})
    assert r.status_code == 204
    assert (
        bearer.client.get("/api/community/me", headers={"Authorization": f"Bearer {second}"}).status_code
        == 401
    )


def test_a_password_reset_ends_every_session_and_token(person: Callable[..., Person], app: FastAPI) -> None:
    admin, sara = person("root"), person("sara")
    token = _token(sara)
    add_step(sara, note="private thoughts")
    code = admin.post(f"/api/community/admin/users/{sara.id}/reset").json()["code"]
    fresh = Person(app, "sara-again")
    fresh.csrf = fresh.client.get("/api/community/csrf").json()["csrf"]
    r = fresh.post("/api/community/reset", {"name": "sara", "code": code, "password": "a brand new one"})
    assert r.status_code == 204, r.text
    thief = Person(app, "thief").client
    assert thief.get("/api/community/steps", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert sara.get("/api/community/steps").status_code == 401  # her old browser session too


# ---------------------------------------------------------------- invitations


def test_invite_links_are_single_use_by_default_and_limited(person: Callable[..., Person]) -> None:
    owner, a, b, c = person("owner"), person("anna"), person("boaz"), person("chana")
    group = owner.post("/api/community/groups", {"name": "Chevruta"}).json()["id"]
    single = owner.post(f"/api/community/groups/{group}/invites").json()["code"]
    assert a.post(f"/api/community/join/{single}").status_code == 200
    assert b.post(f"/api/community/join/{single}").status_code == 404  # used up
    two = owner.post(f"/api/community/groups/{group}/invites", {"uses": 2}).json()["code"]
    assert b.post(f"/api/community/join/{two}").status_code == 200
    assert b.post(f"/api/community/join/{two}").status_code == 200  # already in: no use counted
    assert c.post(f"/api/community/join/{two}").status_code == 200
    listed = owner.get(f"/api/community/groups/{group}/invites").json()
    assert [(i["uses"], i["max_uses"], i["open"]) for i in listed] == [(2, 2, False), (1, 1, False)]


def test_a_revoked_link_lets_nobody_in(person: Callable[..., Person]) -> None:
    owner, anna = person("owner"), person("anna")
    group = owner.post("/api/community/groups", {"name": "Shul"}).json()["id"]
    code = owner.post(f"/api/community/groups/{group}/invites", {"uses": 10}).json()["code"]
    invite = owner.get(f"/api/community/groups/{group}/invites").json()[0]["id"]
    assert anna.delete(f"/api/community/groups/{group}/invites/{invite}").status_code == 404  # not a member
    assert owner.delete(f"/api/community/groups/{group}/invites/{invite}").status_code == 204
    r = anna.post(f"/api/community/join/{code}")
    assert r.status_code == 404 and "revoked" in r.json()["error"]


def test_a_removed_member_cannot_rejoin_with_an_old_link(person: Callable[..., Person]) -> None:
    owner, anna, boaz = person("owner"), person("anna"), person("boaz")
    group = owner.post("/api/community/groups", {"name": "Class"}).json()["id"]
    code = owner.post(f"/api/community/groups/{group}/invites", {"uses": 10}).json()["code"]
    assert anna.post(f"/api/community/join/{code}").status_code == 200
    assert owner.delete(f"/api/community/groups/{group}/members/{anna.id}").status_code == 204
    r = anna.post(f"/api/community/join/{code}")
    assert r.status_code == 403 and "removed" in r.json()["error"]
    assert boaz.post(f"/api/community/join/{code}").status_code == 200  # the link still works for others
    fresh = owner.post(f"/api/community/groups/{group}/invites").json()["code"]
    assert anna.post(f"/api/community/join/{fresh}").status_code == 200  # a new link is a new welcome


def test_a_visitor_signs_up_with_a_group_link_even_when_signup_is_by_invitation(
    person: Callable[..., Person], app: FastAPI
) -> None:
    owner = person("owner")
    assert owner.put("/api/community/admin/settings", {"signup": "invite"}).status_code == 200
    group = owner.post("/api/community/groups", {"name": "Tanya class"}).json()["id"]
    code = owner.post(f"/api/community/groups/{group}/invites").json()["code"]
    visitor = Person(app, "visitor")
    visitor.csrf = visitor.client.get("/api/community/csrf").json()["csrf"]
    refused = visitor.post("/api/community/signup", {"name": "visitor", "password": "long enough pw"})
    assert refused.status_code == 403
    r = visitor.post(
        "/api/community/signup", {"name": "visitor", "password": "long enough pw", "group_invite": code}
    )
    assert r.status_code == 201, r.text
    visitor.csrf = r.json()["csrf"]
    assert [g["id"] for g in visitor.get("/api/community/groups").json()] == [group]
    late = Person(app, "late")
    late.csrf = late.client.get("/api/community/csrf").json()["csrf"]
    used = late.post(
        "/api/community/signup", {"name": "late", "password": "long enough pw", "group_invite": code}
    )
    assert used.status_code == 404  # the single use is spent: no account made
    assert "late" not in [u["name"] for u in owner.get("/api/community/admin/users").json()]


def test_sign_up_codes_are_revocable(person: Callable[..., Person], app: FastAPI) -> None:
    admin = person("root")
    admin.put("/api/community/admin/settings", {"signup": "invite"})
    code = admin.post("/api/community/invitations").json()["invitation"]
    listed = admin.get("/api/community/admin/invitations").json()
    assert listed[0]["state"] == "open"
    assert admin.delete(f"/api/community/invitations/{listed[0]['id']}").status_code == 204
    visitor = Person(app, "visitor")
    visitor.csrf = visitor.client.get("/api/community/csrf").json()["csrf"]
    r = visitor.post(
        "/api/community/signup", {"name": "visitor", "password": "long enough pw", "invitation": code}
    )
    assert r.status_code == 403 and "revoked" in r.json()["error"]
    assert admin.get("/api/community/admin/invitations").json()[0]["state"] == "revoked"


# ---------------------------------------------------------------- plan portions


def test_two_members_taking_one_portion_at_once_one_holds_it(backend: Any) -> None:
    hasher = accounts.fast_hasher()
    owner = _open_signup(backend, hasher)
    from madrega.community import groups

    group = groups.create_group(backend, owner, "Plan group")
    members: list[User] = []
    for name in ("anna", "boaz"):
        member = accounts.sign_up(backend, hasher, name, "long enough pw")
        code = groups.create_invite(backend, owner, group["id"])
        groups.join_by_invite(backend, member, code)
        members.append(member)
    for trial in range(10):
        plan = plans.create_plan(backend, owner, group["id"], f"Plan {trial}", ["Job 1", "Job 2"])
        portion = plan["portions"][0]["id"]
        outcomes = _together(2, lambda i, portion=portion: plans.take(backend, members[i], portion))
        taken = [o for o in outcomes if isinstance(o, dict)]
        refused = [o for o in outcomes if isinstance(o, CommunityError)]
        assert len(taken) == 1 and len(refused) == 1, outcomes
        assert refused[0].kind is ErrorKind.CONFLICT
        holder = plans.group_plans(backend, owner, group["id"])[-1]["portions"][0]["assigned_to"]
        assert holder in {m.id for m in members}


def test_the_building_is_paged(person: Callable[..., Person], monkeypatch: Any) -> None:
    from madrega.community import feed

    monkeypatch.setattr(feed, "BUILDING_PAGE", 20)
    sara, dovid = person("sara"), person("dovid")
    group = make_group(sara, dovid)
    for i in range(25):
        step = add_step(sara if i % 2 else dovid, what=f"brick {i}")
        owner = sara if i % 2 else dovid
        assert (
            owner.post(f"/api/community/groups/{group}/shared", {"step_uid": step["uid"]}).status_code == 201
        )
    top = sara.get(f"/api/community/groups/{group}/building").json()
    assert top["bricks"] == 25 and top["floors"] == 2 and top["by_member"] == {"Dovid": 13, "Sara": 12}
    assert sum(len(r) for r in top["rows"]) == 20
    assert [len(r) for r in top["rows"]] == [5, 10, 5]  # rows counted from the ground: 25 = 10 + 10 + 5
    below = sara.get(f"/api/community/groups/{group}/building?floor=1").json()
    assert [b["what"] for r in below["rows"] for b in r] == [f"brick {i}" for i in range(5)]
    assert sara.get(f"/api/community/groups/{group}/building?floor=-1").status_code == 422


# ---------------------------------------------------------------- pushed events


def _event(type_: str = "step.added", **data: object) -> dict[str, object]:
    import uuid as _uuid

    full = {"kind": "study", "at": "2026-01-01T10:00:00Z", "day": "2026-01-01", "hebrew_date": "", **data}
    return {
        "uid": str(_uuid.uuid4()),
        "type": type_,
        "at": "2026-01-01T10:00:00Z",
        "step_uid": str(_uuid.uuid4()),
        "data": {k: v for k, v in full.items() if v is not None},
    }


def test_the_server_refuses_wrong_typed_events_and_keeps_what_it_has(person: Callable[..., Person]) -> None:
    sara = person("sara")
    good = _event()
    assert sara.post("/api/community/sync/push", {"events": [good]}).json()["added"] == 1
    bad_cases = {
        "minutes": _event(minutes="ten"),
        "kind": _event(kind=7),
        "shared": _event(shared="yes"),
        "at": _event(at=None),
        "day": _event(day="tomorrow"),
        "note": _event(note=["a", "list"]),
        "minutes range": _event(minutes=10**9),
        "year": {**_event(), "at": "0001-01-01T00:00:00Z"},
    }
    for field, event in bad_cases.items():
        r = sara.post("/api/community/sync/push", {"events": [good, event]})
        assert r.status_code == 422, (field, r.text)
        assert r.json()["error"].startswith("event 1:") and "nothing was stored" in r.json()["error"]
    only_kind = {**_event(), "data": {"kind": "study"}}
    r = sara.post("/api/community/sync/push", {"events": [only_kind]})
    assert r.status_code == 422 and "data.at" in r.json()["error"]
    pulled = sara.get("/api/community/sync/pull").json()["events"]
    assert [e["uid"] for e in pulled] == [good["uid"]]  # nothing else landed, the good one stayed
    assert len(sara.get("/api/community/steps").json()) == 1
