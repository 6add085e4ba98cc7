"""The journal: steps as an append-only log, replay, timers, export/import and backup."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madrega import api
from madrega.errors import MadregaError, NotFound
from madrega.practice import cycles, journal, plans, timers, transfer

FIXTURES = Path(__file__).parent / "fixtures" / "journal"
T0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)


def count_events(conn: sqlite3.Connection, type_: str | None = None) -> int:
    if type_:
        return int(conn.execute("SELECT COUNT(*) FROM journal_events WHERE type=?", (type_,)).fetchone()[0])
    return int(conn.execute("SELECT COUNT(*) FROM journal_events").fetchone()[0])


def test_every_kind_of_step(conn: sqlite3.Connection) -> None:
    cycles.set_setting(conn, "timezone", "Asia/Jerusalem")
    study = journal.add_step(conn, "study", ref="Tanya, Iggeret HaTeshuvah 10", minutes=25, at=T0)
    assert study.ref == "Tanya, Part III; Iggeret HaTeshuvah 10" and study.minutes == 25
    assert study.day == "2024-05-01" and study.hebrew_date == "כ״ג ניסן תשפ״ד"
    lesson = journal.add_step(conn, "study", ref="a class on trust", lesson="bitachon-lesson", at=T0)
    assert lesson.ref is None and lesson.what == "a class on trust" and lesson.lesson == "bitachon-lesson"
    prayer = journal.add_step(conn, "prayer", prayer="Shacharit", focus="gratitude", at=T0)
    assert (prayer.prayer, prayer.focus) == ("shacharit", "gratitude")
    hb = journal.add_step(conn, "hitbodedut", minutes=30, at=T0)
    gift = journal.add_step(conn, "tzedakah", amount=18, at=T0)
    assert (gift.amount, gift.currency) == (18.0, "ILS")
    usd = journal.add_step(conn, "tzedakah", amount=5, currency="usd", at=T0)
    assert usd.currency == "USD"
    kind = journal.add_step(conn, "kindness", note="visited a friend in hospital", at=T0)
    assert kind.note and kind.shared is False  # notes are private unless shared
    shared = journal.add_step(conn, "mitzvah", note="lit candles", shared=True, at=T0)
    assert shared.shared is True
    mine = journal.add_step(conn, "psalm-walk", new_kind=True, at=T0)
    assert "psalm-walk" in journal.known_kinds(conn)
    again = journal.add_step(conn, "psalm-walk", at=T0)  # once defined, no flag needed
    assert {s.uid for s in journal.list_steps(conn)} == {
        s.uid for s in (study, lesson, prayer, hb, gift, usd, kind, shared, mine, again)
    }
    assert count_events(conn, "step.added") == 10


def test_hebrew_date_of_a_step_turns_at_nightfall(conn: sqlite3.Connection) -> None:
    cycles.set_setting(conn, "timezone", "UTC")
    evening = journal.add_step(conn, "prayer", prayer="maariv", at=datetime(2024, 10, 2, 18, 30, tzinfo=UTC))
    assert evening.day == "2024-10-03" and evening.hebrew_date.startswith("א׳ תשרי")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "studdy"}, "unknown kind"),
        ({"kind": "prayer", "prayer": "brunch"}, "unknown prayer"),
        ({"kind": "study", "minutes": -3}, "duration"),
        ({"kind": "tzedakah", "amount": -1}, "negative"),
        ({"kind": "tzedakah", "amount": 5, "currency": "shekels"}, "currency"),
        ({"kind": "bad kind!", "new_kind": True}, "kind name"),
    ],
)
def test_mistakes_are_explained(conn: sqlite3.Connection, kwargs: dict[str, object], message: str) -> None:
    kind = str(kwargs.pop("kind"))
    with pytest.raises(MadregaError, match=message) as info:
        journal.add_step(conn, kind, **kwargs)  # type: ignore[arg-type]
    if kind == "studdy":
        assert "study" in info.value.suggestions
    assert count_events(conn) == 0


def test_naive_time_is_refused(conn: sqlite3.Connection) -> None:
    with pytest.raises(MadregaError, match="zone"):
        journal.add_step(conn, "study", at=datetime(2024, 1, 1, 8, 0))


def test_correction_and_deletion_hide_but_never_destroy(conn: sqlite3.Connection) -> None:
    step = journal.add_step(conn, "study", ref="Psalms 1", minutes=5, at=T0)
    other = journal.add_step(conn, "kindness", at=T0)
    fixed = journal.correct_step(
        conn, step.uid[:8], minutes=12, note="with my son", at=T0 + timedelta(days=1)
    )
    assert fixed.minutes == 12 and fixed.note == "with my son" and fixed.day == "2024-05-02"
    assert fixed.ref == "Psalms 1" and fixed.corrected is not None
    journal.delete_step(conn, other.uid)
    assert [s.uid for s in journal.list_steps(conn)] == [step.uid]
    log = journal.events(conn)
    assert [e.type for e in log] == ["step.added", "step.added", "step.corrected", "step.deleted"]
    assert log[0].data["minutes"] == 5  # the original survives in the log
    with pytest.raises(NotFound):
        journal.get_step(conn, other.uid)
    with pytest.raises(MadregaError, match="nothing to correct"):
        journal.correct_step(conn, step.uid)


def test_replay_is_order_sensitive_and_dedupes() -> None:
    def ev(n: int, type_: str, sid: str, **data: object) -> journal.Event:
        return journal.Event(f"e{n}", f"2024-01-01T00:00:0{n}.000000Z", type_, sid, dict(data))

    base = {"kind": "study", "at": "2024-01-01T00:00:00.000000Z", "day": "2024-01-01", "hebrew_date": "x"}
    log = [
        ev(1, "step.added", "a", **base),
        ev(2, "step.added", "b", **base),
        ev(3, "step.corrected", "a", minutes=7),
        ev(4, "step.added", "a", **{**base, "minutes": 99}),  # a duplicate add changes nothing
        ev(5, "step.deleted", "b"),
        ev(6, "step.added", "b", **base),  # nor does re-adding a deleted uid
        ev(7, "step.corrected", "zzz", minutes=1),  # a correction of an unknown step is ignored
        ev(8, "timer.heartbeat", "a"),
    ]
    state = journal.replay(log)
    assert list(state) == ["a"] and state["a"].minutes == 7


def test_rebuild_regenerates_the_view_from_the_log(conn: sqlite3.Connection) -> None:
    a = journal.add_step(conn, "study", ref="Psalms 2", at=T0)
    b = journal.add_step(conn, "prayer", at=T0)
    journal.correct_step(conn, a.uid, minutes=3)
    journal.delete_step(conn, b.uid)
    before = [s.to_dict() for s in journal.list_steps(conn)]
    conn.execute("DELETE FROM steps")
    conn.execute("INSERT INTO steps(uid, kind, at, day, data) VALUES ('junk', 'x', 'y', 'z', '{}')")
    assert journal.rebuild(conn) == 1
    assert [s.to_dict() for s in journal.list_steps(conn)] == before


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["add", "correct", "delete"]), st.integers(0, 4), st.integers(0, 60)),
        max_size=25,
    )
)
def test_view_always_equals_replay_of_the_log(tmp_path_factory: pytest.TempPathFactory, ops: list) -> None:
    conn = api.connect(tmp_path_factory.mktemp("h") / "j.sqlite")
    uids: list[str] = []
    for op, pick, minutes in ops:
        if op == "add" or not uids:
            uids.append(journal.add_step(conn, "study", minutes=minutes, at=T0).uid)
            continue
        uid = uids[pick % len(uids)]
        try:
            if op == "correct":
                journal.correct_step(conn, uid, minutes=minutes)
            else:
                journal.delete_step(conn, uid)
        except NotFound:
            pass
    replayed = journal.replay(journal.events(conn))
    assert {s.uid: s.minutes for s in journal.list_steps(conn)} == {u: s.minutes for u, s in replayed.items()}
    conn.close()


# ---------------------------------------------------------------- timers


def test_timer_start_stop_records_a_session(conn: sqlite3.Connection) -> None:
    timer = timers.start_timer(conn, now=T0)
    assert [t.uid for t in timers.open_timers(conn)] == [timer.uid]
    with pytest.raises(MadregaError, match="already running"):
        timers.start_timer(conn, now=T0 + timedelta(minutes=1))
    step = timers.stop_timer(conn, now=T0 + timedelta(minutes=17, seconds=30), note="in the field")
    assert step is not None and step.kind == "hitbodedut" and step.minutes == 17.5
    assert step.at == journal.iso(T0) and step.note == "in the field" and step.timer == timer.uid
    assert timers.open_timers(conn) == []
    with pytest.raises(NotFound):
        timers.stop_timer(conn, now=T0 + timedelta(hours=1))


def test_planned_timer_records_no_more_than_planned(conn: sqlite3.Connection) -> None:
    timers.start_timer(conn, planned_minutes=10, foreground=True, now=T0)
    step = timers.stop_timer(conn, now=T0 + timedelta(minutes=14))
    assert step is not None and step.minutes == 10


def test_abandoned_foreground_timer_is_recorded_up_to_last_heartbeat(conn: sqlite3.Connection) -> None:
    timer = timers.start_timer(conn, planned_minutes=20, foreground=True, now=T0)
    for n in range(1, 25):  # heartbeats every 15 s for six minutes, then the terminal vanished
        timers.heartbeat(conn, timer.uid, now=T0 + timedelta(seconds=15 * n))
    assert timers.recover_timers(conn, now=T0 + timedelta(minutes=6, seconds=30)) == []  # still fresh
    recovered = timers.recover_timers(conn, now=T0 + timedelta(hours=2))
    assert len(recovered) == 1 and recovered[0].minutes == 6.0
    assert timers.open_timers(conn) == []
    stopped = [e for e in journal.events(conn) if e.type == "timer.stopped"]
    assert stopped[0].data["reason"] == "recovered"


def test_background_timer_is_not_recovered_as_abandoned(conn: sqlite3.Connection) -> None:
    timers.start_timer(conn, now=T0)
    assert timers.recover_timers(conn, now=T0 + timedelta(hours=3)) == []
    assert len(timers.open_timers(conn)) == 1


def test_timer_recovered_twice_from_two_devices_is_one_step(tmp_path: Path) -> None:
    a = api.connect(tmp_path / "a.sqlite")
    b = api.connect(tmp_path / "b.sqlite")
    timer = timers.start_timer(a, planned_minutes=30, foreground=True, now=T0)
    timers.heartbeat(a, timer.uid, now=T0 + timedelta(minutes=5))
    export = tmp_path / "a.jsonl"
    export.write_text("".join(transfer.export_jsonl(a)), encoding="utf-8")
    transfer.import_file(b, export)
    timers.recover_timers(a, now=T0 + timedelta(hours=1))
    timers.recover_timers(b, now=T0 + timedelta(hours=1, minutes=1))
    for src, dst in ((a, b), (b, a)):
        path = tmp_path / "x.jsonl"
        path.write_text("".join(transfer.export_jsonl(src)), encoding="utf-8")
        transfer.import_file(dst, path)
    assert [s.minutes for s in journal.list_steps(a)] == [5.0]
    assert [s.minutes for s in journal.list_steps(b)] == [5.0]


# ---------------------------------------------------------------- export, import, backup


def test_jsonl_export_import_round_trip_is_idempotent(conn: sqlite3.Connection, tmp_path: Path) -> None:
    journal.add_step(conn, "study", ref="Psalms 90", at=T0)
    gone = journal.add_step(conn, "kindness", at=T0)
    journal.delete_step(conn, gone.uid)
    plans.add_plan(conn, "Iggeret HaTeshuvah", by="chapter")
    path = tmp_path / "export.jsonl"
    path.write_text("".join(transfer.export_jsonl(conn)), encoding="utf-8")
    other = api.connect(tmp_path / "other.sqlite")
    first = transfer.import_file(other, path)
    second = transfer.import_file(other, path)
    assert first.added == count_events(conn) and first.skipped == 0
    assert second.added == 0 and second.skipped == first.added
    assert [s.to_dict() for s in journal.list_steps(other)] == [s.to_dict() for s in journal.list_steps(conn)]
    assert len(plans.plans(other)) == 1


def test_import_of_a_recorded_log(conn: sqlite3.Connection) -> None:
    result = transfer.import_file(conn, FIXTURES / "events_sample.jsonl")
    assert result.added == 4
    steps = journal.list_steps(conn)
    assert [(s.kind, s.minutes, s.device) for s in steps] == [("study", 15, "laptop")]


def test_csv_export_import_is_idempotent(conn: sqlite3.Connection, tmp_path: Path) -> None:
    journal.add_step(conn, "tzedakah", amount=36, currency="EUR", note="for the school, with a comma", at=T0)
    journal.add_step(conn, "study", ref="Psalms 23", minutes=4, shared=True, at=T0)
    path = tmp_path / "steps.csv"
    path.write_text(transfer.export_csv(conn), encoding="utf-8")
    other = api.connect(tmp_path / "o.sqlite")
    assert transfer.import_file(other, path).added == 2
    assert transfer.import_file(other, path).added == 0
    mine = [
        (s.uid, s.kind, s.amount, s.currency, s.note, s.ref, s.minutes, s.shared)
        for s in journal.list_steps(conn)
    ]
    theirs = [
        (s.uid, s.kind, s.amount, s.currency, s.note, s.ref, s.minutes, s.shared)
        for s in journal.list_steps(other)
    ]
    assert mine == theirs


def test_bad_import_writes_nothing(conn: sqlite3.Connection, tmp_path: Path) -> None:
    good = (FIXTURES / "events_sample.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([good[0], '{"uid": "x", "type": "step.added"}']), encoding="utf-8")
    with pytest.raises(MadregaError, match=":2:"):
        transfer.import_file(conn, path)
    assert count_events(conn) == 0
    with pytest.raises(NotFound):
        transfer.import_file(conn, tmp_path / "missing.jsonl")


def test_backup_is_a_complete_database(conn: sqlite3.Connection, tmp_path: Path) -> None:
    journal.add_step(conn, "mitzvah", at=T0)
    target = transfer.backup(conn, tmp_path / "b" / "copy.sqlite")
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT COUNT(*) FROM steps").fetchone()[0] == 1
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with pytest.raises(MadregaError, match="exists"):
        transfer.backup(conn, target)
    default = transfer.backup(conn)
    assert default.parent.name == "backups" and default.exists()


def test_events_have_unique_uuid4_and_a_device(conn: sqlite3.Connection) -> None:
    journal.add_step(conn, "study", at=T0)
    journal.add_step(conn, "study", at=T0)
    rows = conn.execute("SELECT uid, device, at FROM journal_events").fetchall()
    assert len({r[0] for r in rows}) == 2 and all(len(r[0]) == 36 for r in rows)
    assert {r[1] for r in rows} == {journal.device_id(conn)}
    assert all(json.dumps(r[2]).endswith('Z"') for r in rows)
