"""The community tables: one portable schema and one migration history for SQLite and PostgreSQL.

Add a migration, never edit one. Each migration is portable SQL (see `backend.render_sql`);
statements are separated by `;` at the end of a line. Versions are kept in `schema_version`
under the component name `community`, the same table the embedded database uses.
"""

from __future__ import annotations

from madrega.community.backend import Backend, Tx

COMPONENT = "community"

MIGRATIONS: list[str] = [
    """
    CREATE TABLE users (
        id {id},
        name {text} NOT NULL UNIQUE,
        display_name {text} NOT NULL,
        password_hash {text} NOT NULL,
        is_admin {bool} NOT NULL DEFAULT 0,
        created_at {ts} NOT NULL,
        reset_hash {text},
        reset_expires {ts}
    );
    CREATE TABLE sessions (
        id {id},
        token_hash {text} NOT NULL UNIQUE,
        user_id {bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf {text} NOT NULL,
        created_at {ts} NOT NULL,
        expires_at {ts} NOT NULL
    );
    CREATE INDEX sessions_user ON sessions(user_id);
    CREATE TABLE api_tokens (
        id {id},
        token_hash {text} NOT NULL UNIQUE,
        user_id {bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        label {text} NOT NULL,
        created_at {ts} NOT NULL
    );
    CREATE TABLE invitations (
        id {id},
        code_hash {text} NOT NULL UNIQUE,
        created_by {bigint} REFERENCES users(id) ON DELETE SET NULL,
        created_at {ts} NOT NULL,
        expires_at {ts} NOT NULL,
        used_by {bigint} REFERENCES users(id) ON DELETE SET NULL
    );
    CREATE TABLE server_settings (
        key {text} PRIMARY KEY,
        value {text} NOT NULL
    );
    CREATE TABLE login_failures (
        id {id},
        scope {text} NOT NULL,
        at {ts} NOT NULL
    );
    CREATE INDEX login_failures_scope ON login_failures(scope, at);
    CREATE TABLE groups (
        id {id},
        name {text} NOT NULL,
        kind {text} NOT NULL,
        created_by {bigint} REFERENCES users(id) ON DELETE SET NULL,
        created_at {ts} NOT NULL
    );
    CREATE TABLE memberships (
        group_id {bigint} NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id {bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role {text} NOT NULL,
        joined_at {ts} NOT NULL,
        PRIMARY KEY (group_id, user_id)
    );
    CREATE INDEX memberships_user ON memberships(user_id);
    CREATE TABLE group_invites (
        id {id},
        group_id {bigint} NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        code_hash {text} NOT NULL UNIQUE,
        created_by {bigint} REFERENCES users(id) ON DELETE SET NULL,
        created_at {ts} NOT NULL,
        expires_at {ts} NOT NULL
    );
    CREATE TABLE server_events (
        id {id},
        user_id {bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        uid {text} NOT NULL,
        at {ts} NOT NULL,
        type {text} NOT NULL,
        step_uid {text},
        data {text} NOT NULL,
        device {text},
        received_at {ts} NOT NULL,
        UNIQUE (user_id, uid)
    );
    CREATE INDEX server_events_step ON server_events(user_id, step_uid);
    CREATE TABLE shared_steps (
        id {id},
        group_id {bigint} NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id {bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        step_uid {text} NOT NULL,
        kind {text} NOT NULL,
        ref {text},
        what {text},
        note {text},
        minutes {real},
        at {ts} NOT NULL,
        shared_at {ts} NOT NULL,
        UNIQUE (group_id, user_id, step_uid)
    );
    CREATE INDEX shared_steps_feed ON shared_steps(group_id, shared_at);
    CREATE TABLE comments (
        id {id},
        shared_id {bigint} NOT NULL REFERENCES shared_steps(id) ON DELETE CASCADE,
        user_id {bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        body {text} NOT NULL,
        at {ts} NOT NULL
    );
    CREATE INDEX comments_shared ON comments(shared_id, at);
    CREATE TABLE amens (
        shared_id {bigint} NOT NULL REFERENCES shared_steps(id) ON DELETE CASCADE,
        user_id {bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        at {ts} NOT NULL,
        PRIMARY KEY (shared_id, user_id)
    );
    CREATE TABLE gatherings (
        id {id},
        group_id {bigint} NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        called_by {bigint} REFERENCES users(id) ON DELETE SET NULL,
        kind {text} NOT NULL,
        title {text} NOT NULL,
        starts_at {ts} NOT NULL,
        place {text},
        link {text},
        needed {int} NOT NULL,
        confirmed_at {ts},
        created_at {ts} NOT NULL
    );
    CREATE INDEX gatherings_group ON gatherings(group_id, starts_at);
    CREATE TABLE attendees (
        gathering_id {bigint} NOT NULL REFERENCES gatherings(id) ON DELETE CASCADE,
        user_id {bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        joined_at {ts} NOT NULL,
        PRIMARY KEY (gathering_id, user_id)
    );
    CREATE TABLE notifications (
        id {id},
        user_id {bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind {text} NOT NULL,
        body {text} NOT NULL,
        subject {text},
        created_at {ts} NOT NULL,
        read_at {ts}
    );
    CREATE INDEX notifications_user ON notifications(user_id, created_at);
    CREATE TABLE group_plans (
        id {id},
        group_id {bigint} NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        title {text} NOT NULL,
        created_by {bigint} REFERENCES users(id) ON DELETE SET NULL,
        created_at {ts} NOT NULL,
        siyum_at {ts}
    );
    CREATE TABLE plan_portions (
        id {id},
        plan_id {bigint} NOT NULL REFERENCES group_plans(id) ON DELETE CASCADE,
        position {int} NOT NULL,
        ref {text} NOT NULL,
        assigned_to {bigint} REFERENCES users(id) ON DELETE SET NULL,
        done_by {bigint} REFERENCES users(id) ON DELETE SET NULL,
        done_at {ts},
        UNIQUE (plan_id, position)
    )
    """,
    # The zone a gathering was called in, so members read its time as the caller meant it.
    """
    ALTER TABLE gatherings ADD COLUMN zone {text}
    """,
    # Revocable, limited invitations; removed members stay out; tokens are listed; atomic login
    # limits (one lock row per counted scope); the feed and the building read by index, a page at a time.
    """
    ALTER TABLE invitations ADD COLUMN revoked_at {ts};
    ALTER TABLE group_invites ADD COLUMN max_uses {int} NOT NULL DEFAULT 1;
    ALTER TABLE group_invites ADD COLUMN uses {int} NOT NULL DEFAULT 0;
    ALTER TABLE group_invites ADD COLUMN revoked_at {ts};
    CREATE INDEX group_invites_group ON group_invites(group_id);
    CREATE TABLE group_removals (
        group_id {bigint} NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id {bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        removed_at {ts} NOT NULL,
        PRIMARY KEY (group_id, user_id)
    );
    CREATE INDEX api_tokens_user ON api_tokens(user_id);
    CREATE TABLE login_locks (
        scope {text} PRIMARY KEY
    );
    CREATE INDEX shared_steps_group_id ON shared_steps(group_id, id);
    CREATE INDEX shared_steps_group_at ON shared_steps(group_id, at, id);
    CREATE INDEX shared_steps_group_user ON shared_steps(group_id, user_id)
    """,
]


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";\n") if s.strip()]


def migrate(backend: Backend) -> int:
    """Bring the community tables up to date; safe when several servers start at once."""
    with backend.transaction() as tx:
        _lock_migrations(tx)
        tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        current = tx.value("SELECT version FROM schema_version WHERE component=?", (COMPONENT,)) or 0
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            for statement in statements(script):
                tx.execute(statement)
            tx.execute(
                "INSERT INTO schema_version(component, version) VALUES (?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version=excluded.version",
                (COMPONENT, number),
            )
        return len(MIGRATIONS)


def _lock_migrations(tx: Tx) -> None:
    if tx.dialect == "postgres":
        # Two servers starting together: the second waits, then finds the tables already there.
        tx.execute("SELECT pg_advisory_xact_lock(7245190331)")
