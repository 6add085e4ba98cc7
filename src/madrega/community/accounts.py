"""Accounts: sign-up (open or by invitation), argon2 passwords, sessions, API tokens, rate limits.

Secrets (session tokens, API tokens, invitation and reset codes) are random and stored only as
SHA-256 digests: a copy of the database does not let anyone in. Passwords are argon2id hashes.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from madrega import errors
from madrega.community.backend import Backend, CommunityError, Conflict, NotFound, Tx

SESSION_LIFETIME = timedelta(days=14)
INVITATION_LIFETIME = timedelta(days=14)
RESET_LIFETIME = timedelta(hours=24)
# Failed logins in the window after which further attempts are refused (`TooManyAttempts`) until it slides by.
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_IP = 30
MIN_PASSWORD = 8
MAX_PASSWORD = 256
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,31}$")
SIGNUP_MODES = ("open", "invite")


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    display_name: str
    is_admin: bool

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> User:
        return cls(int(row["id"]), row["name"], row["display_name"], bool(row["is_admin"]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "display_name": self.display_name,
            "is_admin": self.is_admin,
        }


@dataclass(frozen=True)
class Session:
    token: str
    csrf: str
    user: User


class Unauthorized(CommunityError, errors.Unauthorized):
    """Who is asking is not known: sign in."""


class Forbidden(CommunityError, errors.Forbidden):
    """Known, but not allowed to do this."""


class TooManyAttempts(CommunityError, errors.TooMany):
    """Too many failed logins in the window: wait."""


def default_hasher() -> PasswordHasher:
    return PasswordHasher()


def fast_hasher() -> PasswordHasher:
    """Cheap argon2id parameters for tests and benches only (still a real argon2 hash)."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


# ---------------------------------------------------------------- settings


def get_setting(tx: Tx, key: str, default: str) -> str:
    value = tx.value("SELECT value FROM server_settings WHERE key=?", (key,))
    return str(value) if value is not None else default


def put_setting(tx: Tx, key: str, value: str) -> None:
    tx.execute(
        "INSERT INTO server_settings(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        (key, value),
    )


def set_signup_mode(backend: Backend, admin: User, mode: str) -> None:
    require_admin(admin)
    if mode not in SIGNUP_MODES:
        raise CommunityError(f"sign-up mode must be one of {', '.join(SIGNUP_MODES)}")
    with backend.transaction() as tx:
        put_setting(tx, "signup", mode)


def signup_mode(backend: Backend) -> str:
    with backend.transaction(write=False) as tx:
        return get_setting(tx, "signup", "invite")


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden("only a server admin may do that")


# ---------------------------------------------------------------- sign-up and login


def check_name(name: str) -> str:
    clean = name.strip().lower()
    if not NAME_PATTERN.match(clean):
        raise CommunityError(
            "a user name is 2-32 characters: letters a-z, digits, '.', '_' or '-', starting with a letter or digit",
        )
    return clean


def check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise CommunityError(f"a password is {MIN_PASSWORD} to {MAX_PASSWORD} characters long")


def check_display(display_name: str) -> str:
    clean = " ".join(display_name.split())
    if not 1 <= len(clean) <= 80:
        raise CommunityError("a display name is 1 to 80 characters")
    return clean


class Admission(Protocol):
    """A way in besides a sign-up invitation code (a group's invite link: `groups.InviteLink`).

    `check` runs first in the sign-up's transaction and refuses a way in that is not good (then no
    invitation code is needed, whatever the server's sign-up rule); `admit` runs in the same
    transaction once the account exists."""

    def check(self, tx: Tx) -> None: ...
    def admit(self, tx: Tx, user: User) -> None: ...


def sign_up(
    backend: Backend,
    hasher: PasswordHasher,
    name: str,
    password: str,
    *,
    display_name: str | None = None,
    invitation: str | None = None,
    admission: Admission | None = None,
) -> User:
    """A new account. The very first account is the server's admin; after that, the admin's setting rules.

    A group's invite link is an invitation too (`admission=groups.InviteLink(code)`): whoever opens
    it signs up and is in the group in the same step (it counts one of the link's uses).
    """
    clean = check_name(name)
    check_password(password)
    display = check_display(display_name or clean)
    password_hash = hasher.hash(password)
    with backend.transaction() as tx:
        first = tx.value("SELECT COUNT(*) FROM users") == 0
        invite_row = None
        if admission is not None:
            admission.check(tx)
        if not first and admission is None and get_setting(tx, "signup", "invite") == "invite":
            if not invitation:
                raise Forbidden(
                    "sign-up on this server is by invitation: ask a member for an invitation code"
                )
            invite_row = tx.one(
                "SELECT id, expires_at FROM invitations WHERE code_hash=? AND used_by IS NULL "
                "AND revoked_at IS NULL{for_update}",
                (digest(invitation),),
            )
            if invite_row is None or invite_row["expires_at"] < iso(now()):
                raise Forbidden("that invitation code is not valid (used, expired, revoked or mistyped)")
        if tx.value("SELECT id FROM users WHERE name=?", (clean,)) is not None:
            raise Conflict(f"the name '{clean}' is taken")
        row = tx.one(
            "INSERT INTO users(name, display_name, password_hash, is_admin, created_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id, name, display_name, is_admin",
            (clean, display, password_hash, 1 if first else 0, iso(now())),
        )
        assert row is not None
        user = User.from_row(row)
        if invite_row is not None:
            tx.execute("UPDATE invitations SET used_by=? WHERE id=?", (user.id, invite_row["id"]))
        if admission is not None:
            admission.admit(tx, user)
        return user


def list_invitations(backend: Backend, admin: User) -> list[dict[str, Any]]:
    """Every sign-up invitation, newest first: who made it, and whether it is used, revoked or open."""
    require_admin(admin)
    with backend.transaction(write=False) as tx:
        rows = tx.all(
            "SELECT i.id, i.created_at, i.expires_at, i.revoked_at, c.name AS created_by, u.name AS used_by "
            "FROM invitations i LEFT JOIN users c ON c.id = i.created_by "
            "LEFT JOIN users u ON u.id = i.used_by ORDER BY i.id DESC LIMIT 200"
        )
    moment = iso(now())
    for row in rows:
        row["state"] = (
            "used"
            if row["used_by"]
            else "revoked"
            if row["revoked_at"]
            else "expired"
            if row["expires_at"] < moment
            else "open"
        )
    return rows


def revoke_invitation(backend: Backend, user: User, invitation_id: int) -> None:
    """An unused invitation stops working (the admin's, or the member who made it)."""
    with backend.transaction() as tx:
        row = tx.one("SELECT created_by, used_by FROM invitations WHERE id=?", (invitation_id,))
        if row is None or (not user.is_admin and row["created_by"] != user.id):
            raise NotFound("no such invitation among yours")
        tx.execute(
            "UPDATE invitations SET revoked_at=? WHERE id=? AND revoked_at IS NULL",
            (iso(now()), invitation_id),
        )


def create_invitation(backend: Backend, user: User) -> str:
    """A single-use code to sign up with (any member may invite; the admin decides if sign-up is open)."""
    code = new_secret()
    with backend.transaction() as tx:
        tx.execute(
            "INSERT INTO invitations(code_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (digest(code), user.id, iso(now()), iso(now() + INVITATION_LIFETIME)),
        )
    return code


def _claim_attempt(tx: Tx, scopes: list[tuple[str, int]]) -> list[int]:
    """Count this login attempt as a failure *before* the password is evaluated, atomically.

    Each scope's lock row is taken (in a fixed order, so two attempts never deadlock), the window
    is counted, and a failure row is written, all in one transaction: of N simultaneous guesses only
    the allowed number get a row, and only those are evaluated. A right password deletes its rows.
    """
    since = iso(now() - FAILURE_WINDOW)
    for scope, _ in sorted(scopes):
        tx.execute("INSERT INTO login_locks(scope) VALUES (?) ON CONFLICT (scope) DO NOTHING", (scope,))
        tx.one("SELECT scope FROM login_locks WHERE scope=?{for_update}", (scope,))
    for scope, limit in scopes:
        tx.execute("DELETE FROM login_failures WHERE scope=? AND at<=?", (scope, since))
        count = tx.value("SELECT COUNT(*) FROM login_failures WHERE scope=? AND at>?", (scope, since))
        if count >= limit:
            raise TooManyAttempts("too many failed logins: wait a few minutes and try again")
    ids = []
    for scope, _ in scopes:
        row = tx.one("INSERT INTO login_failures(scope, at) VALUES (?, ?) RETURNING id", (scope, iso(now())))
        assert row is not None
        ids.append(int(row["id"]))
    return ids


def verify_password(backend: Backend, hasher: PasswordHasher, name: str, password: str, ip: str) -> User:
    """The user, if the password is right; attempts are counted per account and per client address."""
    clean = name.strip().lower()[:64]
    scopes = [(f"user:{clean}", MAX_FAILURES_PER_ACCOUNT), (f"ip:{ip[:64]}", MAX_FAILURES_PER_IP)]
    with backend.transaction() as tx:
        claimed = _claim_attempt(tx, scopes)
        row = tx.one("SELECT * FROM users WHERE name=?", (clean,))
    ok = False
    if row is not None:
        try:
            ok = hasher.verify(row["password_hash"], password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        # The same work for an unknown name: the answer's timing does not say who has an account.
        hasher.hash(password[:MAX_PASSWORD])
    if not ok or row is None:
        raise Unauthorized("wrong user name or password")
    with backend.transaction() as tx:
        tx.execute(f"DELETE FROM login_failures WHERE id IN ({','.join('?' * len(claimed))})", claimed)
        if hasher.check_needs_rehash(row["password_hash"]):
            tx.execute("UPDATE users SET password_hash=? WHERE id=?", (hasher.hash(password), row["id"]))
    return User.from_row(row)


def open_session(backend: Backend, user: User) -> Session:
    token, csrf = new_secret(), new_secret()
    with backend.transaction() as tx:
        tx.execute(
            "INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (digest(token), user.id, csrf, iso(now()), iso(now() + SESSION_LIFETIME)),
        )
    return Session(token, csrf, user)


def session_for(backend: Backend, token: str) -> Session | None:
    if not token or len(token) > 200:
        return None
    with backend.transaction(write=False) as tx:
        row = tx.one(
            "SELECT u.id, u.name, u.display_name, u.is_admin, s.csrf, s.expires_at FROM sessions s "
            "JOIN users u ON u.id = s.user_id WHERE s.token_hash=?",
            (digest(token),),
        )
    if row is None or row["expires_at"] < iso(now()):
        return None
    return Session(token, row["csrf"], User.from_row(row))


def close_session(backend: Backend, token: str) -> None:
    with backend.transaction() as tx:
        tx.execute("DELETE FROM sessions WHERE token_hash=?", (digest(token),))


def create_api_token(backend: Backend, user: User, label: str = "cli") -> str:
    token = "mdg_" + new_secret()
    with backend.transaction() as tx:
        tx.execute(
            "INSERT INTO api_tokens(token_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)",
            (digest(token), user.id, label[:80], iso(now())),
        )
    return token


def list_api_tokens(backend: Backend, user: User) -> list[dict[str, Any]]:
    """The user's API tokens (never the secrets: only their labels and when they were made)."""
    with backend.transaction(write=False) as tx:
        return tx.all("SELECT id, label, created_at FROM api_tokens WHERE user_id=? ORDER BY id", (user.id,))


def revoke_api_token(backend: Backend, user: User, token_id: int) -> None:
    """One of the user's own tokens stops working at once."""
    with backend.transaction() as tx:
        if not tx.execute("DELETE FROM api_tokens WHERE id=? AND user_id=?", (token_id, user.id)):
            raise NotFound("no such token among yours")


def revoke_presented_token(backend: Backend, token: str) -> bool:
    """The token that is asking stops working (what `madrega logout` does on the server)."""
    with backend.transaction() as tx:
        return bool(tx.execute("DELETE FROM api_tokens WHERE token_hash=?", (digest(token),)))


def user_for_api_token(backend: Backend, token: str) -> User | None:
    if not token.startswith("mdg_") or len(token) > 200:
        return None
    with backend.transaction(write=False) as tx:
        row = tx.one(
            "SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash=?",
            (digest(token),),
        )
    return User.from_row(row) if row else None


# ---------------------------------------------------------------- password reset (issued by an admin)


def issue_reset(backend: Backend, admin: User, user_id: int) -> str:
    """A one-time code the admin hands to the user; their sessions end when it is used."""
    require_admin(admin)
    code = new_secret()
    with backend.transaction() as tx:
        changed = tx.execute(
            "UPDATE users SET reset_hash=?, reset_expires=? WHERE id=?",
            (digest(code), iso(now() + RESET_LIFETIME), user_id),
        )
        if not changed:
            raise NotFound("no such user")
    return code


def reset_password(backend: Backend, hasher: PasswordHasher, name: str, code: str, new_password: str) -> None:
    check_password(new_password)
    password_hash = hasher.hash(new_password)
    with backend.transaction() as tx:
        row = tx.one(
            "SELECT id, reset_hash, reset_expires FROM users WHERE name=?{for_update}",
            (name.strip().lower(),),
        )
        if (
            row is None
            or not row["reset_hash"]
            or not secrets.compare_digest(row["reset_hash"], digest(code))
            or row["reset_expires"] < iso(now())
        ):
            raise Forbidden("that reset code is not valid (used, expired or mistyped)")
        tx.execute(
            "UPDATE users SET password_hash=?, reset_hash=NULL, reset_expires=NULL WHERE id=?",
            (password_hash, row["id"]),
        )
        # Whoever knew the old password may hold a session or a token: all of them end here.
        tx.execute("DELETE FROM sessions WHERE user_id=?", (row["id"],))
        tx.execute("DELETE FROM api_tokens WHERE user_id=?", (row["id"],))
        tx.execute("DELETE FROM login_failures WHERE scope=?", (f"user:{name.strip().lower()}",))


def list_users(backend: Backend, admin: User) -> list[User]:
    require_admin(admin)
    with backend.transaction(write=False) as tx:
        return [User.from_row(r) for r in tx.all("SELECT * FROM users ORDER BY id")]
