"""Shared steps: what a member chooses to show a group, the answers (comment, amen), the building.

A shared step is a copy of the public part of one step: kind, ref, what, minutes, time. The note
travels only when the step itself is marked `shared`; a private note never leaves its owner. When
the owner corrects or deletes the step later (on the web or by sync), the copies follow.
"""

from __future__ import annotations

from typing import Any

from madrega.community.accounts import Forbidden, User, iso, now
from madrega.community.backend import Backend, CommunityError, NotFound, Tx
from madrega.community.groups import GroupNotFound, require_member
from madrega.community.steps import step_of

MAX_COMMENT = 2000
FEED_LIMIT = 100
BRICKS_PER_ROW = 10
BUILDING_PAGE = 200  # bricks a page shows (20 rows)


def _public(step: dict[str, Any]) -> dict[str, Any]:
    minutes = step.get("minutes")
    return {
        "kind": str(step.get("kind") or "step")[:40],
        "ref": step.get("ref"),
        "what": step.get("what"),
        "note": step.get("note") if step.get("shared") is True else None,
        "minutes": float(minutes) if isinstance(minutes, int | float) else None,
        "at": str(step.get("at")),
    }


def share(backend: Backend, user: User, group_id: int, step_uid: str) -> dict[str, Any]:
    with backend.transaction() as tx:
        require_member(tx, group_id, user)
        step = step_of(tx, user.id, step_uid)
        if step is None:
            raise NotFound("no such step among yours (sync it first)")
        public = _public(step)
        row = tx.one(
            "INSERT INTO shared_steps(group_id, user_id, step_uid, kind, ref, what, note, minutes, at, shared_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (group_id, user_id, step_uid) DO NOTHING "
            "RETURNING id",
            (group_id, user.id, step_uid, *public.values(), iso(now())),
        )
        if row is None:
            row = tx.one(
                "SELECT id FROM shared_steps WHERE group_id=? AND user_id=? AND step_uid=?",
                (group_id, user.id, step_uid),
            )
        assert row is not None
    return {"id": row["id"], "group_id": group_id, "step_uid": step_uid, **public}


def unshare(backend: Backend, user: User, shared_id: int) -> None:
    with backend.transaction() as tx:
        row = _shared_row(tx, user, shared_id)
        if row["user_id"] != user.id:
            raise Forbidden("only the person who shared a step may take it back")
        tx.execute("DELETE FROM shared_steps WHERE id=?", (shared_id,))


def refresh_shared(tx: Tx, user_id: int, step_uid: str) -> None:
    """Bring the group copies of one step in line with the owner's log (or remove them)."""
    if not tx.value("SELECT COUNT(*) FROM shared_steps WHERE user_id=? AND step_uid=?", (user_id, step_uid)):
        return
    step = step_of(tx, user_id, step_uid)
    if step is None:
        tx.execute("DELETE FROM shared_steps WHERE user_id=? AND step_uid=?", (user_id, step_uid))
        return
    public = _public(step)
    tx.execute(
        "UPDATE shared_steps SET kind=?, ref=?, what=?, note=?, minutes=?, at=? WHERE user_id=? AND step_uid=?",
        (*public.values(), user_id, step_uid),
    )


def _shared_row(tx: Tx, user: User, shared_id: int) -> dict[str, Any]:
    row = tx.one("SELECT id, group_id, user_id FROM shared_steps WHERE id=?", (shared_id,))
    if row is None:
        raise GroupNotFound("no such shared step among your groups")
    require_member(tx, int(row["group_id"]), user)
    return row


def feed(backend: Backend, user: User, group_id: int, *, before: int | None = None) -> list[dict[str, Any]]:
    """The newest shared steps of a group, each with its sharer, amens and comments."""
    with backend.transaction(write=False) as tx:
        require_member(tx, group_id, user)
        items = tx.all(
            "SELECT s.id, s.step_uid, s.kind, s.ref, s.what, s.note, s.minutes, s.at, s.shared_at, "
            "s.user_id, u.display_name AS who FROM shared_steps s JOIN users u ON u.id = s.user_id "
            "WHERE s.group_id=? AND s.id<? ORDER BY s.id DESC LIMIT ?",
            (group_id, before or 2**62, FEED_LIMIT),
        )
        if not items:
            return []
        ids = [int(i["id"]) for i in items]
        marks = ",".join("?" * len(ids))
        amens = tx.all(
            f"SELECT a.shared_id, u.display_name AS who FROM amens a JOIN users u ON u.id = a.user_id "
            f"WHERE a.shared_id IN ({marks}) ORDER BY a.at",
            ids,
        )
        comments = tx.all(
            f"SELECT c.id, c.shared_id, c.body, c.at, c.user_id, u.display_name AS who FROM comments c "
            f"JOIN users u ON u.id = c.user_id WHERE c.shared_id IN ({marks}) ORDER BY c.id",
            ids,
        )
    for item in items:
        item["amens"] = [a["who"] for a in amens if a["shared_id"] == item["id"]]
        item["comments"] = [
            {k: c[k] for k in ("id", "body", "at", "user_id", "who")}
            for c in comments
            if c["shared_id"] == item["id"]
        ]
    return items


def amen(backend: Backend, user: User, shared_id: int) -> int:
    with backend.transaction() as tx:
        _shared_row(tx, user, shared_id)
        tx.execute(
            "INSERT INTO amens(shared_id, user_id, at) VALUES (?, ?, ?) ON CONFLICT (shared_id, user_id) DO NOTHING",
            (shared_id, user.id, iso(now())),
        )
        return int(tx.value("SELECT COUNT(*) FROM amens WHERE shared_id=?", (shared_id,)))


def comment(backend: Backend, user: User, shared_id: int, body: str) -> dict[str, Any]:
    text = body.strip()
    if not 1 <= len(text) <= MAX_COMMENT:
        raise CommunityError(f"a comment is 1 to {MAX_COMMENT} characters")
    with backend.transaction() as tx:
        _shared_row(tx, user, shared_id)
        row = tx.one(
            "INSERT INTO comments(shared_id, user_id, body, at) VALUES (?, ?, ?, ?) RETURNING id, body, at",
            (shared_id, user.id, text, iso(now())),
        )
    assert row is not None
    return {**row, "who": user.display_name}


def delete_comment(backend: Backend, user: User, comment_id: int) -> None:
    with backend.transaction() as tx:
        row = tx.one("SELECT id, shared_id, user_id FROM comments WHERE id=?", (comment_id,))
        if row is None:
            raise GroupNotFound("no such comment among your groups")
        _shared_row(tx, user, int(row["shared_id"]))
        if row["user_id"] != user.id:
            raise Forbidden("only its author may delete a comment")
        tx.execute("DELETE FROM comments WHERE id=?", (comment_id,))


def building(backend: Backend, user: User, group_id: int, *, floor: int = 0) -> dict[str, Any]:
    """The group's building, a page of it at a time: one brick per shared step, oldest at the bottom.

    `floor` 0 is the top of the building (the newest `BUILDING_PAGE` bricks), 1 the page below, and
    so on; `rows` are lists of bricks, bottom row first, each row `BRICKS_PER_ROW` wide counted from
    the ground (so a page's edge may cut a row). Counts cover the whole building.
    """
    if not 0 <= floor <= 10**6:
        raise CommunityError("a floor is a page number from 0 (the top)")
    with backend.transaction(write=False) as tx:
        require_member(tx, group_id, user)
        # Both read indexes only: (group_id, user_id) for the counts, (group_id, at, id) for the page.
        counts = tx.all(
            "SELECT u.display_name AS who, c.n FROM (SELECT user_id, COUNT(*) AS n FROM shared_steps "
            "WHERE group_id=? GROUP BY user_id) c JOIN users u ON u.id = c.user_id ORDER BY c.n DESC, u.display_name",
            (group_id,),
        )
        total = sum(int(c["n"]) for c in counts)
        newest_first = tx.all(
            "SELECT s.id, s.kind, s.ref, s.what, s.at, u.display_name AS who FROM shared_steps s "
            "JOIN users u ON u.id = s.user_id WHERE s.id IN (SELECT id FROM shared_steps WHERE group_id=? "
            "ORDER BY at DESC, id DESC LIMIT ? OFFSET ?) ORDER BY s.at DESC, s.id DESC",
            (group_id, BUILDING_PAGE, floor * BUILDING_PAGE),
        )
    rows: dict[int, list[dict[str, Any]]] = {}
    for offset, brick in enumerate(newest_first):
        position = total - 1 - (floor * BUILDING_PAGE + offset)  # from the ground, 0-based
        rows.setdefault(position // BRICKS_PER_ROW, []).insert(0, brick)
    return {
        "bricks": total,
        "rows": [rows[k] for k in sorted(rows)],
        "by_member": {c["who"]: int(c["n"]) for c in counts},
        "floor": floor,
        "floors": max(1, -(-total // BUILDING_PAGE)),
    }
