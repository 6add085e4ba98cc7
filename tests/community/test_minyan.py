"""Gatherings: the tenth who joins confirms it exactly once, even when everyone joins at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from madrega.community import groups, minyan
from madrega.community.accounts import User

from .helpers import Person, make_group


def _users(backend: Any, count: int) -> list[User]:
    with backend.transaction() as tx:
        rows = tx.all("SELECT id, name, display_name, is_admin FROM users ORDER BY id")
    return [User.from_row(r) for r in rows][:count]


def test_page_shows_how_many_more_and_withdrawal_unconfirms(person: Callable[..., Person]) -> None:
    people = [person(f"p{i}") for i in range(10)]
    group = make_group(people[0], *people[1:])
    g = (
        people[0]
        .post(
            f"/api/community/groups/{group}/gatherings",
            {
                "title": "Mincha",
                "starts_at": "2030-05-01T13:30:00+03:00",
                "place": "the shul",
                "kind": "prayer",
            },
        )
        .json()
    )
    assert (g["coming"], g["more_needed"], g["confirmed"]) == (1, 9, False)
    for p in people[1:9]:
        p.post(f"/api/community/gatherings/{g['id']}/join")
    page = people[0].get(f"/community/groups/{group}")
    assert "9 coming, 1 more needed" in page.text
    tenth = people[9].post(f"/api/community/gatherings/{g['id']}/join").json()
    assert tenth["confirmed"] and tenth["more_needed"] == 0
    for p in people:
        notes = p.get("/api/community/notifications").json()
        assert [n["kind"] for n in notes] == ["gathering.confirmed"]
    # Joining twice counts once.
    assert people[9].post(f"/api/community/gatherings/{g['id']}/join").json()["coming"] == 10
    left = people[3].post(f"/api/community/gatherings/{g['id']}/withdraw").json()
    assert (left["coming"], left["more_needed"], left["confirmed"]) == (9, 1, False)
    assert (
        people[0].get("/api/community/notifications?unread=true").json()[0]["kind"] == "gathering.unconfirmed"
    )
    assert "gathering.unconfirmed" not in str(people[3].get("/api/community/notifications").json())
    again = people[3].post(f"/api/community/gatherings/{g['id']}/join").json()
    assert again["confirmed"]


def test_ten_concurrent_joins_confirm_exactly_once(person: Callable[..., Person], backend: Any) -> None:
    for i in range(11):
        person(f"p{i}")
    users = _users(backend, 11)
    caller, joiners = users[0], users[1:]
    group = groups.create_group(backend, caller, "Shul")["id"]
    with backend.transaction() as tx:
        for u in joiners:
            tx.execute(
                "INSERT INTO memberships(group_id, user_id, role, joined_at) VALUES (?, ?, 'member', 'x')",
                (group, u.id),
            )
    for _round in range(3):
        gathering = minyan.call(backend, caller, group, title="Maariv", starts_at="2030-01-01T20:00:00Z")
        start = threading.Barrier(len(joiners))
        errors: list[BaseException] = []

        def join(
            u: User,
            gathering_id: int = gathering["id"],
            barrier: threading.Barrier = start,
            errors: list[BaseException] = errors,
        ) -> None:
            try:
                barrier.wait()
                minyan.join(backend, u, gathering_id)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=join, args=(u,)) for u in joiners]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        final = minyan.get(backend, caller, gathering["id"])
        assert final["coming"] == 11 and final["confirmed"]
        with backend.transaction() as tx:
            confirmations = tx.all(
                "SELECT user_id FROM notifications WHERE kind='gathering.confirmed' AND subject=?",
                (f"gathering:{gathering['id']}",),
            )
        # One confirmation, sent once to each of the ten who had joined at that moment.
        assert len(confirmations) == 10 and len({c["user_id"] for c in confirmations}) == 10
