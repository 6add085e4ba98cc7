"""Gatherings: a member calls a minyan or a learning session; it is confirmed when enough come.

Joining and withdrawing lock the gathering's row first (`SELECT … FOR UPDATE` on PostgreSQL; the
write lock of `BEGIN IMMEDIATE` on SQLite), so however many people press "coming" at the same
moment, the count each one sees is exact and the confirmation happens exactly once — the moment
the tenth joins — with one notification to everyone who joined.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from madrega.community.accounts import User, iso, now
from madrega.community.backend import Backend, CommunityError, Tx
from madrega.community.groups import GroupNotFound, require_member

KINDS = ("prayer", "learning")
MINYAN = 10


def _clean(value: str | None, limit: int, what: str) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    if len(text) > limit:
        raise CommunityError(f"{what} is at most {limit} characters")
    return text or None


def call(
    backend: Backend,
    user: User,
    group_id: int,
    *,
    title: str,
    starts_at: str,
    kind: str = "prayer",
    place: str | None = None,
    link: str | None = None,
    needed: int = MINYAN,
    zone: str | None = None,
) -> dict[str, Any]:
    """Call a gathering; the caller counts as the first one coming. `zone` (IANA) is the one its time
    is shown in; without it members see it in the server's zone."""
    if kind not in KINDS:
        raise CommunityError(f"a gathering is one of: {', '.join(KINDS)}")
    clean_title = _clean(title, 120, "a title")
    if not clean_title:
        raise CommunityError("give the gathering a title (e.g. Mincha)")
    try:
        moment = datetime.fromisoformat(starts_at.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CommunityError("starts_at is an ISO time such as 2025-03-01T13:30:00+02:00") from exc
    if moment.tzinfo is None:
        raise CommunityError("give starts_at with its time zone, e.g. +02:00")
    clean_link = _clean(link, 500, "a link")
    if clean_link and not clean_link.startswith(("https://", "http://")):
        raise CommunityError("a link starts with https://")
    if not 2 <= needed <= 1000:
        raise CommunityError("needed is between 2 and 1000")
    if zone is not None:
        parse_zone(zone)
    with backend.transaction() as tx:
        require_member(tx, group_id, user)
        row = tx.one(
            "INSERT INTO gatherings(group_id, called_by, kind, title, starts_at, place, link, needed, "
            "created_at, zone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                group_id,
                user.id,
                kind,
                clean_title,
                iso(moment),
                _clean(place, 200, "a place"),
                clean_link,
                needed,
                iso(now()),
                zone,
            ),
        )
        assert row is not None
        gathering_id = int(row["id"])
        tx.execute(
            "INSERT INTO attendees(gathering_id, user_id, joined_at) VALUES (?, ?, ?)",
            (gathering_id, user.id, iso(now())),
        )
        return _describe(tx, gathering_id, user)


# ---------------------------------------------------------------- local times and zones


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted (what a page offers to choose from)."""
    return tuple(sorted(available_timezones()))


def parse_zone(name: str) -> ZoneInfo:
    text = name.strip()
    try:
        if text and text in zone_names():
            return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    raise CommunityError(
        f"unknown time zone '{name}': choose an IANA name such as Asia/Jerusalem or America/New_York",
    )


def server_zone(configured: str | None = None) -> str:
    """The zone forms start from: the configured one, else this machine's own, else UTC."""
    candidates = [configured, os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    with contextlib.suppress(OSError):
        target = str(Path("/etc/localtime").resolve())
        candidates.append(target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else None)
    return next((name for name in candidates if name and name in zone_names()), "UTC")


def local_moment(when: str, zone: str) -> datetime:
    """A wall-clock time as a form sends it (`2026-12-01T13:30`) in `zone`, as an aware datetime.

    A time the clocks skip (the hour lost when summer time starts) is refused rather than guessed."""
    place = parse_zone(zone)
    text = when.strip()
    if not text:
        raise CommunityError("give the date and time of the gathering")
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        raise CommunityError(f"'{when}' is not a date and time: give it as 2026-12-01T13:30") from None
    if naive.tzinfo is not None:
        raise CommunityError("give the local time without an offset, and the zone apart")
    moment = naive.replace(tzinfo=place)
    if moment.astimezone(UTC).astimezone(place).replace(tzinfo=None) != naive:
        raise CommunityError(
            f"{naive:%H:%M} does not exist on {naive:%Y-%m-%d} in {place.key} (the clocks jump forward): "
            "choose another time",
        )
    return moment


def readable_time(starts_at: str, zone: str | None, fallback: str = "UTC") -> str:
    """'Tue 1 Dec 2026, 13:30 (Asia/Jerusalem)': a stored UTC time in the zone it was called in."""
    try:
        place = parse_zone(zone or fallback)
    except CommunityError:
        place = ZoneInfo("UTC")
    try:
        moment = datetime.fromisoformat(starts_at.replace("Z", "+00:00")).astimezone(place)
    except ValueError:
        return starts_at
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M} ({place.key})"


def _locked(tx: Tx, gathering_id: int, user: User) -> dict[str, Any]:
    row = tx.one(
        "SELECT id, group_id, needed, confirmed_at, title FROM gatherings WHERE id=?{for_update}",
        (gathering_id,),
    )
    if row is None:
        raise GroupNotFound("no such gathering among your groups")
    require_member(tx, int(row["group_id"]), user)
    return row


def _notify(tx: Tx, gathering_id: int, kind: str, body: str) -> None:
    tx.execute(
        "INSERT INTO notifications(user_id, kind, body, subject, created_at) "
        "SELECT user_id, ?, ?, ?, ? FROM attendees WHERE gathering_id=?",
        (kind, body, f"gathering:{gathering_id}", iso(now()), gathering_id),
    )


def join(backend: Backend, user: User, gathering_id: int) -> dict[str, Any]:
    with backend.transaction() as tx:
        row = _locked(tx, gathering_id, user)
        tx.execute(
            "INSERT INTO attendees(gathering_id, user_id, joined_at) VALUES (?, ?, ?) "
            "ON CONFLICT (gathering_id, user_id) DO NOTHING",
            (gathering_id, user.id, iso(now())),
        )
        coming = int(tx.value("SELECT COUNT(*) FROM attendees WHERE gathering_id=?", (gathering_id,)))
        if coming >= int(row["needed"]) and row["confirmed_at"] is None:
            tx.execute("UPDATE gatherings SET confirmed_at=? WHERE id=?", (iso(now()), gathering_id))
            _notify(
                tx, gathering_id, "gathering.confirmed", f"{row['title']}: confirmed — {coming} are coming"
            )
        return _describe(tx, gathering_id, user)


def withdraw(backend: Backend, user: User, gathering_id: int) -> dict[str, Any]:
    with backend.transaction() as tx:
        row = _locked(tx, gathering_id, user)
        removed = tx.execute(
            "DELETE FROM attendees WHERE gathering_id=? AND user_id=?", (gathering_id, user.id)
        )
        coming = int(tx.value("SELECT COUNT(*) FROM attendees WHERE gathering_id=?", (gathering_id,)))
        if removed and coming < int(row["needed"]) and row["confirmed_at"] is not None:
            tx.execute("UPDATE gatherings SET confirmed_at=NULL WHERE id=?", (gathering_id,))
            _notify(
                tx,
                gathering_id,
                "gathering.unconfirmed",
                f"{row['title']}: no longer confirmed — {int(row['needed']) - coming} more needed",
            )
        return _describe(tx, gathering_id, user)


def _describe(tx: Tx, gathering_id: int, user: User) -> dict[str, Any]:
    row = tx.one(
        "SELECT id, group_id, called_by, kind, title, starts_at, zone, place, link, needed, confirmed_at "
        "FROM gatherings WHERE id=?",
        (gathering_id,),
    )
    assert row is not None
    people = tx.all(
        "SELECT u.id, u.display_name FROM attendees a JOIN users u ON u.id = a.user_id "
        "WHERE a.gathering_id=? ORDER BY a.joined_at, u.id",
        (gathering_id,),
    )
    coming = len(people)
    return {
        **row,
        "coming": coming,
        "more_needed": max(0, int(row["needed"]) - coming),
        "confirmed": row["confirmed_at"] is not None,
        "people": [p["display_name"] for p in people],
        "me_coming": any(p["id"] == user.id for p in people),
    }


def get(backend: Backend, user: User, gathering_id: int) -> dict[str, Any]:
    with backend.transaction(write=False) as tx:
        row = tx.one("SELECT group_id FROM gatherings WHERE id=?", (gathering_id,))
        if row is None:
            raise GroupNotFound("no such gathering among your groups")
        require_member(tx, int(row["group_id"]), user)
        return _describe(tx, gathering_id, user)


def upcoming(backend: Backend, user: User, group_id: int) -> list[dict[str, Any]]:
    with backend.transaction(write=False) as tx:
        require_member(tx, group_id, user)
        ids = tx.all(
            "SELECT id FROM gatherings WHERE group_id=? ORDER BY starts_at, id LIMIT 50", (group_id,)
        )
        return [_describe(tx, int(r["id"]), user) for r in ids]


def notifications(backend: Backend, user: User, *, unread_only: bool = False) -> list[dict[str, Any]]:
    with backend.transaction(write=False) as tx:
        sql = "SELECT id, kind, body, subject, created_at, read_at FROM notifications WHERE user_id=?"
        if unread_only:
            sql += " AND read_at IS NULL"
        return tx.all(sql + " ORDER BY id DESC LIMIT 200", (user.id,))


def mark_read(backend: Backend, user: User) -> int:
    with backend.transaction() as tx:
        return tx.execute(
            "UPDATE notifications SET read_at=? WHERE user_id=? AND read_at IS NULL", (iso(now()), user.id)
        )
