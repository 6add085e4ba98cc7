"""Groups (a class, a chevruta, a shul): members, admins and invite links.

A group is visible only to its members: to anyone else it does not exist (404), so its name,
members and feed never leak. Only a group admin invites, promotes or removes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from madrega.community.accounts import Forbidden, User, digest, iso, new_secret, now
from madrega.community.backend import Backend, CommunityError, Tx

KINDS = ("class", "chevruta", "shul", "other")
ROLES = ("admin", "member")
INVITE_LIFETIME = timedelta(days=30)


class GroupNotFound(CommunityError):
    status = 404


def check_group_name(name: str) -> str:
    clean = " ".join(name.split())
    if not 1 <= len(clean) <= 80:
        raise CommunityError("a group name is 1 to 80 characters", status=422)
    return clean


def role_in(tx: Tx, group_id: int, user_id: int) -> str | None:
    value = tx.value("SELECT role FROM memberships WHERE group_id=? AND user_id=?", (group_id, user_id))
    return str(value) if value is not None else None


def require_member(tx: Tx, group_id: int, user: User) -> str:
    role = role_in(tx, group_id, user.id)
    if role is None:
        raise GroupNotFound("no such group among yours")
    return role


def require_group_admin(tx: Tx, group_id: int, user: User) -> None:
    if require_member(tx, group_id, user) != "admin":
        raise Forbidden("only an admin of this group may do that")


def create_group(backend: Backend, user: User, name: str, kind: str = "class") -> dict[str, Any]:
    clean = check_group_name(name)
    if kind not in KINDS:
        raise CommunityError(f"a group is one of: {', '.join(KINDS)}", status=422)
    with backend.transaction() as tx:
        row = tx.one(
            "INSERT INTO groups(name, kind, created_by, created_at) VALUES (?, ?, ?, ?) "
            "RETURNING id, name, kind, created_at",
            (clean, kind, user.id, iso(now())),
        )
        assert row is not None
        tx.execute(
            "INSERT INTO memberships(group_id, user_id, role, joined_at) VALUES (?, ?, 'admin', ?)",
            (row["id"], user.id, iso(now())),
        )
    return {**row, "role": "admin"}


def my_groups(backend: Backend, user: User) -> list[dict[str, Any]]:
    with backend.transaction(write=False) as tx:
        return tx.all(
            "SELECT g.id, g.name, g.kind, g.created_at, m.role, "
            "(SELECT COUNT(*) FROM memberships x WHERE x.group_id = g.id) AS members "
            "FROM groups g JOIN memberships m ON m.group_id = g.id WHERE m.user_id=? ORDER BY g.id",
            (user.id,),
        )


def get_group(backend: Backend, user: User, group_id: int) -> dict[str, Any]:
    with backend.transaction(write=False) as tx:
        role = require_member(tx, group_id, user)
        group = tx.one("SELECT id, name, kind, created_at FROM groups WHERE id=?", (group_id,))
        assert group is not None
        members = tx.all(
            "SELECT u.id, u.name, u.display_name, m.role, m.joined_at FROM memberships m "
            "JOIN users u ON u.id = m.user_id WHERE m.group_id=? ORDER BY m.joined_at, u.id",
            (group_id,),
        )
    return {**group, "role": role, "members": members}


def create_invite(backend: Backend, user: User, group_id: int) -> str:
    """A code for an invite link (`/community/join/CODE`); anyone signed in who has it may join."""
    code = new_secret()
    with backend.transaction() as tx:
        require_group_admin(tx, group_id, user)
        tx.execute(
            "INSERT INTO group_invites(group_id, code_hash, created_by, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (group_id, digest(code), user.id, iso(now()), iso(now() + INVITE_LIFETIME)),
        )
    return code


def join_by_invite(backend: Backend, user: User, code: str) -> dict[str, Any]:
    with backend.transaction() as tx:
        row = tx.one(
            "SELECT i.group_id, i.expires_at, g.name FROM group_invites i JOIN groups g ON g.id = i.group_id "
            "WHERE i.code_hash=?",
            (digest(code),),
        )
        if row is None or row["expires_at"] < iso(now()):
            raise GroupNotFound("that invite link is not valid (expired, revoked or mistyped)")
        tx.execute(
            "INSERT INTO memberships(group_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?) "
            "ON CONFLICT (group_id, user_id) DO NOTHING",
            (row["group_id"], user.id, iso(now())),
        )
    return {"id": row["group_id"], "name": row["name"]}


def set_role(backend: Backend, user: User, group_id: int, member_id: int, role: str) -> None:
    if role not in ROLES:
        raise CommunityError(f"a role is one of: {', '.join(ROLES)}", status=422)
    with backend.transaction() as tx:
        require_group_admin(tx, group_id, user)
        if not tx.execute(
            "UPDATE memberships SET role=? WHERE group_id=? AND user_id=?", (role, group_id, member_id)
        ):
            raise GroupNotFound("that person is not a member of this group")
        ensure_admin_or_drop(tx, group_id)


def remove_member(backend: Backend, user: User, group_id: int, member_id: int) -> None:
    """A member leaves (themselves) or an admin removes them; their shared steps leave with them."""
    with backend.transaction() as tx:
        if member_id != user.id:
            require_group_admin(tx, group_id, user)
        else:
            require_member(tx, group_id, user)
        if not tx.execute("DELETE FROM memberships WHERE group_id=? AND user_id=?", (group_id, member_id)):
            raise GroupNotFound("that person is not a member of this group")
        tx.execute("DELETE FROM shared_steps WHERE group_id=? AND user_id=?", (group_id, member_id))
        tx.execute(
            "DELETE FROM attendees WHERE user_id=? AND gathering_id IN (SELECT id FROM gatherings WHERE group_id=?)",
            (member_id, group_id),
        )
        ensure_admin_or_drop(tx, group_id)


def ensure_admin_or_drop(tx: Tx, group_id: int) -> None:
    """A group always has an admin: the longest member inherits; an empty group is removed."""
    if tx.value("SELECT COUNT(*) FROM memberships WHERE group_id=? AND role='admin'", (group_id,)):
        return
    heir = tx.one(
        "SELECT user_id FROM memberships WHERE group_id=? ORDER BY joined_at, user_id LIMIT 1", (group_id,)
    )
    if heir is None:
        tx.execute("DELETE FROM groups WHERE id=?", (group_id,))
    else:
        tx.execute(
            "UPDATE memberships SET role='admin' WHERE group_id=? AND user_id=?", (group_id, heir["user_id"])
        )
