"""The web app in this process on a free loopback port, with a clock the test holds (so a Shabbat can
pass in a second), and journals of any size written quickly as events."""

from __future__ import annotations

import json
import random
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from madrega import api
from madrega.practice import calendar, journal

KINDS = ["study"] * 6 + ["prayer"] * 3 + ["hitbodedut", "kindness", "tzedakah", "mitzvah"]
REFS = ["Psalms 19", "Psalms 92", "Genesis 1", "Mishnah Berakhot 1", "Berakhot 2a", "Isaiah 40"]


@contextmanager
def serve(db_path: Path, clock: calendar.Clock) -> Iterator[str]:
    """`create_app(db_path, clock=clock)` under uvicorn in a thread; yields the base URL.

    The socket is bound and listening before the thread starts, so the first request simply waits
    in the backlog: nothing here sleeps or polls."""
    import uvicorn

    from madrega.web import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(create_app(db_path, clock=clock), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="practice-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def journal_of(
    path: Path, steps: int, *, end: datetime, zone: str = "Asia/Jerusalem", seed: int = 18
) -> Path:
    """A journal of `steps` steps ending at `end`, a few a day, written as validated events at once."""
    conn = api.connect(path)
    calendar.set_setting(conn, "timezone", zone)
    where = calendar.place(conn)
    rng = random.Random(seed)
    per_day = max(1, min(12, steps // 300 + 1))
    days = max(1, steps // per_day + 1)
    first = end - timedelta(days=days)
    moments = sorted(first + timedelta(seconds=rng.random() * days * 86400) for _ in range(steps))
    device = journal.device_id(conn)
    rows = []
    for moment in moments:
        kind = rng.choice(KINDS)
        data: dict[str, Any] = {"kind": kind, "at": journal.iso(moment), "shared": False}
        data.update(calendar.moment(where, moment).fields(where.zone_name))
        if kind == "study":
            data.update(ref=rng.choice(REFS), minutes=rng.choice([10, 15, 20, 30]))
        elif kind == "prayer":
            data["prayer"] = rng.choice(["shacharit", "mincha", "maariv"])
        elif kind == "tzedakah":
            data.update(amount=18.0, currency="ILS")
        step_uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        rows.append((str(uuid.uuid4()), data["at"], "step.added", step_uid, json.dumps(data), device))
    with journal.write(conn):
        conn.executemany(
            "INSERT INTO journal_events(uid, at, type, step_uid, data, device) VALUES (?,?,?,?,?,?)", rows
        )
    journal.rebuild(conn)
    conn.close()
    return path


def get_json(base: str, path: str) -> Any:
    return httpx.get(base + path, timeout=30).json()
