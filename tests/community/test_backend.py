"""The dialect layer and the one migration history, on both backends."""

from __future__ import annotations

import pytest

from madrega.community import schema
from madrega.community.backend import Conflict, render_sql

from .helpers import open_url


def test_render_sql_translates_tokens_and_placeholders() -> None:
    sql = "CREATE TABLE t (id {id}, at {ts}); SELECT * FROM t WHERE a=? AND b LIKE '%x'{for_update}"
    assert "INTEGER PRIMARY KEY AUTOINCREMENT" in render_sql(sql, "sqlite")
    assert render_sql(sql, "sqlite").endswith("b LIKE '%x'")
    pg = render_sql(sql, "postgres")
    assert "BIGSERIAL PRIMARY KEY" in pg
    assert pg.endswith("a=%s AND b LIKE '%%x' FOR UPDATE")


def test_migrations_run_once_and_record_their_version(database_url: str) -> None:
    backend = open_url(database_url)
    try:
        assert schema.migrate(backend) == len(schema.MIGRATIONS)
        assert schema.migrate(backend) == len(schema.MIGRATIONS)  # a second start changes nothing
        with backend.transaction() as tx:
            assert tx.value("SELECT version FROM schema_version WHERE component='community'") == len(
                schema.MIGRATIONS
            )
            assert tx.value("SELECT COUNT(*) FROM users") == 0
    finally:
        backend.close()


def test_unique_clash_is_a_conflict_and_rolls_back(database_url: str) -> None:
    backend = open_url(database_url)
    try:
        schema.migrate(backend)
        with backend.transaction() as tx:
            tx.execute("INSERT INTO server_settings(key, value) VALUES (?, ?)", ("a", "1"))
        with pytest.raises(Conflict), backend.transaction() as tx:
            tx.execute("INSERT INTO server_settings(key, value) VALUES (?, ?)", ("b", "2"))
            tx.execute("INSERT INTO server_settings(key, value) VALUES (?, ?)", ("a", "3"))
        with backend.transaction() as tx:
            assert tx.all("SELECT key, value FROM server_settings ORDER BY key") == [
                {"key": "a", "value": "1"}
            ]
    finally:
        backend.close()


def test_insert_returning_gives_ids_in_order(database_url: str) -> None:
    backend = open_url(database_url)
    try:
        schema.migrate(backend)
        with backend.transaction() as tx:
            ids = [
                tx.one("INSERT INTO login_failures(scope, at) VALUES (?, ?) RETURNING id", ("ip:x", "2024"))[
                    "id"
                ]  # type: ignore[index]
                for _ in range(3)
            ]
        assert ids == sorted(ids) and len(set(ids)) == 3
    finally:
        backend.close()
