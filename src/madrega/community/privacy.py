"""What the server holds about a member: all of it, exported; or all of it, deleted.

Above accounts and groups (an account's deletion hands the groups it alone ran to their longest
member), so neither needs the other to let a person leave.
"""

from __future__ import annotations

import json
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from madrega.community.accounts import MAX_PASSWORD, Forbidden, User
from madrega.community.backend import Backend
from madrega.community.groups import ensure_admin_or_drop

EXPORT_QUERIES: tuple[tuple[str, str], ...] = (
    ("membership", "SELECT group_id, role, joined_at FROM memberships WHERE user_id=? ORDER BY group_id"),
    ("event", "SELECT uid, at, type, step_uid, data, device FROM server_events WHERE user_id=? ORDER BY id"),
    (
        "shared_step",
        "SELECT id, group_id, step_uid, kind, ref, what, note, minutes, at, shared_at FROM shared_steps "
        "WHERE user_id=? ORDER BY id",
    ),
    ("comment", "SELECT id, shared_id, body, at FROM comments WHERE user_id=? ORDER BY id"),
    ("amen", "SELECT shared_id, at FROM amens WHERE user_id=? ORDER BY shared_id"),
    (
        "gathering",
        "SELECT id, group_id, kind, title, starts_at, place, link, needed, confirmed_at FROM gatherings "
        "WHERE called_by=? ORDER BY id",
    ),
    ("attendance", "SELECT gathering_id, joined_at FROM attendees WHERE user_id=? ORDER BY gathering_id"),
    (
        "notification",
        "SELECT kind, body, subject, created_at, read_at FROM notifications WHERE user_id=? ORDER BY id",
    ),
    ("portion", "SELECT plan_id, position, ref, done_at FROM plan_portions WHERE done_by=? ORDER BY id"),
)


def export_records(backend: Backend, user: User) -> list[dict[str, Any]]:
    """Everything the server holds about this user, one record per line (`record` says which)."""
    records: list[dict[str, Any]] = [{"record": "user", **user.to_dict()}]
    with backend.transaction(write=False) as tx:
        for kind, sql in EXPORT_QUERIES:
            for row in tx.all(sql, (user.id,)):
                if kind == "event":
                    row["data"] = json.loads(row["data"])
                records.append({"record": kind, **row})
    return records


def delete_account(backend: Backend, hasher: PasswordHasher, user: User, password: str) -> None:
    """The account and everything it made, gone; groups it alone ran pass to their longest member."""
    with backend.transaction(write=False) as tx:
        row = tx.one("SELECT password_hash FROM users WHERE id=?", (user.id,))
    try:
        ok = row is not None and hasher.verify(row["password_hash"], password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        raise Forbidden("confirm with your password to delete your account")
    with backend.transaction() as tx:
        member_of = [
            r["group_id"] for r in tx.all("SELECT group_id FROM memberships WHERE user_id=?", (user.id,))
        ]
        tx.execute("DELETE FROM gatherings WHERE called_by=?", (user.id,))
        tx.execute("DELETE FROM users WHERE id=?", (user.id,))
        for group_id in member_of:
            ensure_admin_or_drop(tx, int(group_id))
