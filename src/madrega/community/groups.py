"""Groups (a class, a chevruta, a shul): members, admins and invite links.

A group is visible only to its members: to anyone else it does not exist (`GroupNotFound`), so its name,
members and feed never leak. Only a group admin invites, promotes or removes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from madrega.community.accounts import Forbidden, User, digest, iso, new_secret, now
from madrega.community.backend import Backend, CommunityError, NotFound, Tx

KINDS = ("class", "chevruta", "shul", "other")
ROLES = ("admin", "member")
INVITE_DAYS = 7
MAX_INVITE_DAYS = 30
MAX_INVITE_USES = 1000  # a link for a whole shul


class GroupNotFound(NotFound):
    """No such group among yours: to anyone outside it, a group does not exist."""


def check_group_name(name: str) -> str:
    clean = " ".join(name.split())
    if not 1 <= len(clean) <= 80:
        raise CommunityError("a group name is 1 to 80 characters")
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
        raise CommunityError(f"a group is one of: {', '.join(KINDS)}")
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


def create_invite(
    backend: Backend, user: User, group_id: int, *, uses: int = 1, days: int = INVITE_DAYS
) -> str:
    """A code for an invite link (`/community/join/CODE`): good for `uses` people within `days`,
    until an admin revokes it. Only its digest is kept, so the link is shown once."""
    if not 1 <= uses <= MAX_INVITE_USES:
        raise CommunityError(f"an invite link is for 1 to {MAX_INVITE_USES} people")
    if not 1 <= days <= MAX_INVITE_DAYS:
        raise CommunityError(f"an invite link lasts 1 to {MAX_INVITE_DAYS} days")
    code = new_secret()
    with backend.transaction() as tx:
        require_group_admin(tx, group_id, user)
        tx.execute(
            "INSERT INTO group_invites(group_id, code_hash, created_by, created_at, expires_at, max_uses) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (group_id, digest(code), user.id, iso(now()), iso(now() + timedelta(days=days)), uses),
        )
    return code


def list_invites(backend: Backend, user: User, group_id: int) -> list[dict[str, Any]]:
    """A group's invite links for its admins: uses left, expiry, revoked or not (never the codes)."""
    with backend.transaction(write=False) as tx:
        require_group_admin(tx, group_id, user)
        rows = tx.all(
            "SELECT i.id, i.created_at, i.expires_at, i.max_uses, i.uses, i.revoked_at, u.display_name AS made_by "
            "FROM group_invites i LEFT JOIN users u ON u.id = i.created_by WHERE i.group_id=? "
            "ORDER BY i.id DESC LIMIT 100",
            (group_id,),
        )
    moment = iso(now())
    for row in rows:
        row["open"] = (
            row["revoked_at"] is None and row["expires_at"] > moment and row["uses"] < row["max_uses"]
        )
    return rows


def revoke_invite(backend: Backend, user: User, group_id: int, invite_id: int) -> None:
    """The link stops working at once; people who joined with it stay."""
    with backend.transaction() as tx:
        require_group_admin(tx, group_id, user)
        if not tx.execute(
            "UPDATE group_invites SET revoked_at=COALESCE(revoked_at, ?) WHERE id=? AND group_id=?",
            (iso(now()), invite_id, group_id),
        ):
            raise GroupNotFound("no such invite link in this group")


def usable_invite(tx: Tx, code: str) -> dict[str, Any]:
    """The invite behind a code, locked, if it still lets someone in; else a clear `GroupNotFound`."""
    row = tx.one(
        "SELECT i.id, i.group_id, i.created_at, i.expires_at, i.max_uses, i.uses, i.revoked_at, g.name "
        "FROM group_invites i JOIN groups g ON g.id = i.group_id WHERE i.code_hash=?{for_update}",
        (digest(code[:200]),),
    )
    if (
        row is None
        or row["revoked_at"] is not None
        or row["expires_at"] < iso(now())
        or row["uses"] >= row["max_uses"]
    ):
        raise GroupNotFound("that invite link is not valid (used up, expired, revoked or mistyped)")
    return row


def use_invite(tx: Tx, invite: dict[str, Any], user: User) -> bool:
    """Put `user` in the invite's group, counting one use; False when they were already in.

    Someone an admin removed cannot come back through a link made before the removal: only a
    new link, made after it, lets them in again.
    """
    group_id = int(invite["group_id"])
    if role_in(tx, group_id, user.id) is not None:
        return False
    removed = tx.value(
        "SELECT removed_at FROM group_removals WHERE group_id=? AND user_id=?", (group_id, user.id)
    )
    if removed is not None and str(invite["created_at"]) <= str(removed):
        raise Forbidden("you were removed from this group: ask its admin for a new invite link")
    tx.execute(
        "INSERT INTO memberships(group_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)",
        (group_id, user.id, iso(now())),
    )
    tx.execute("UPDATE group_invites SET uses = uses + 1 WHERE id=?", (invite["id"],))
    return True


@dataclass
class InviteLink:
    """Signing up through a group's invite link (an `accounts.Admission`): the link stands in for an
    invitation code, and the new account is in the group in the same transaction."""

    code: str
    _invite: dict[str, Any] | None = field(default=None, init=False, repr=False)

    def check(self, tx: Tx) -> None:
        self._invite = usable_invite(tx, self.code)

    def admit(self, tx: Tx, user: User) -> None:
        assert self._invite is not None, "check() comes first"
        use_invite(tx, self._invite, user)


def invite_preview(backend: Backend, code: str) -> dict[str, Any]:
    """What an invite link's page shows before anyone signs in: the group's name, if the link is good."""
    with backend.transaction(write=False) as tx:
        row = usable_invite(tx, code)
    return {"id": row["group_id"], "name": row["name"]}


def join_by_invite(backend: Backend, user: User, code: str) -> dict[str, Any]:
    with backend.transaction() as tx:
        row = usable_invite(tx, code)
        use_invite(tx, row, user)
    return {"id": row["group_id"], "name": row["name"]}


def set_role(backend: Backend, user: User, group_id: int, member_id: int, role: str) -> None:
    if role not in ROLES:
        raise CommunityError(f"a role is one of: {', '.join(ROLES)}")
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
        if member_id != user.id:  # removed by an admin: the links they knew no longer let them back in
            tx.execute(
                "INSERT INTO group_removals(group_id, user_id, removed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (group_id, user_id) DO UPDATE SET removed_at=excluded.removed_at",
                (group_id, member_id, iso(now())),
            )
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
