"""The one event schema: every bad event is refused with the line and the field named, on `journal
import`; one already stored (by an older madrega, or a sync) is skipped on replay with a warning,
and `step list`, `progress`, `today` and the pages keep working."""

from __future__ import annotations

import json
import logging
import sqlite3
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import madrega.cli.journal  # noqa: F401  (registers the commands)
from madrega import api
from madrega.cli.app import app
from madrega.errors import MadregaError
from madrega.practice import calendar, events, journal, plans, progress, timers, transfer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

runner = CliRunner()
GOOD_AT = "2024-05-01T08:00:00.000000Z"


def step_added(**data: Any) -> dict[str, Any]:
    values = {"kind": "study", "at": GOOD_AT, "day": "2024-05-01", "hebrew_date": "כ״ג ניסן תשפ״ד", **data}
    return {"uid": "e-good", "at": GOOD_AT, "type": "step.added", "step_uid": "s-good", "data": values}


# The bad-type cases the issue names, and their neighbours. Each: (what to change, field named).
BAD_EVENTS: list[tuple[str, dict[str, Any], str]] = [
    ("minutes as words", step_added(minutes="ten"), "data.minutes"),
    ("minutes negative", step_added(minutes=-5), "data.minutes"),
    ("minutes huge", step_added(minutes=10**30), "data.minutes"),
    ("minutes infinite", step_added(minutes=float("inf")), "data.minutes"),
    ("amount huge", step_added(amount=1e300), "data.amount"),
    ("shared as text", step_added(shared="yes"), "data.shared"),
    ("missing kind", {**step_added(), "data": {"at": GOOD_AT, "day": "2024-05-01"}}, "data.kind"),
    ("kind not text", step_added(kind=7), "data.kind"),
    ("wrong date", step_added(at="2024-13-45T99:00:00Z"), "data.at"),
    ("date without zone", step_added(at="2024-05-01T08:00:00"), "data.at"),
    ("date out of the calendar", step_added(at="0001-01-01T00:00:00Z"), "data.at"),
    ("day not a day", step_added(day="yesterday"), "data.day"),
    ("NUL in a note", step_added(note="good\x00bad"), "data.note"),
    ("lone surrogate in a note", step_added(note="a\ud800b"), "data.note"),
    ("surrogate in an unknown field", step_added(colour="\udfff"), "data.colour"),
    ("note too long", step_added(note="x" * 30_000), "data.note"),
    ("event time wrong", {**step_added(), "at": "not a time"}, "at"),
    ("no uid", {k: v for k, v in step_added().items() if k != "uid"}, "uid"),
    ("no step_uid", {**step_added(), "step_uid": None}, "step_uid"),
    ("unknown type", {**step_added(), "type": "step.exploded"}, "type"),
    ("data not an object", {**step_added(), "data": [1, 2]}, "data"),
    (
        "plan portion as text",
        {
            "uid": "p1",
            "at": GOOD_AT,
            "type": "plan.portion_done",
            "step_uid": "p",
            "data": {"portion": "one"},
        },
        "data.portion",
    ),
    (
        "timer minutes as text",
        {
            "uid": "t1",
            "at": GOOD_AT,
            "type": "timer.stopped",
            "step_uid": "t",
            "data": {"ended": GOOD_AT, "minutes": "5"},
        },
        "data.minutes",
    ),
    ("unknown top-level key", {**step_added(), "extra": 1}, "extra"),
]


@pytest.mark.parametrize(("case", "raw", "field"), BAD_EVENTS, ids=[c[0] for c in BAD_EVENTS])
def test_the_validator_names_the_field(case: str, raw: dict[str, Any], field: str) -> None:
    with pytest.raises(events.InvalidEvent) as info:
        events.validate(raw, where="line 7")
    assert info.value.field == field, case
    assert info.value.message.startswith(f"line 7: field {field}: ")
    assert "\x00" not in info.value.message and "\ud800" not in info.value.message


def test_good_events_pass_and_keep_their_values() -> None:
    ev = events.validate(step_added(minutes=12.5, note="בוקר", colour="blue"), where="line 1")
    assert ev.data["minutes"] == 12.5 and ev.data["colour"] == "blue" and ev.step_uid == "s-good"
    assert events.validate_all([step_added(), step_added()], where=lambda i: f"#{i}")[1].uid == "e-good"


def test_validate_all_names_the_bad_one() -> None:
    with pytest.raises(events.InvalidEvent, match=r"^event 2: field data.kind"):
        events.validate_all([step_added(), {**step_added(), "data": {"kind": 1, "at": GOOD_AT}}])


def test_parse_line_refuses_what_json_cannot_hold() -> None:
    for line in ("{", '{"uid": 1' + "0" * 5000 + "}", "[" * 5000 + "]" * 5000, '"just text"'):
        with pytest.raises(events.InvalidEvent):
            events.parse_line(line, where="x.jsonl:1")


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["kind", "at", "day", "minutes", "amount", "note", "shared", "ref", "currency", "x"]),
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.lists(st.integers())),
    )
)
def test_no_data_makes_the_validator_crash(data: dict[str, Any]) -> None:
    raw = {**step_added(), "data": data}
    try:
        ev = events.validate(raw)
    except events.InvalidEvent as exc:
        assert exc.message
        return
    json.dumps(ev.data, ensure_ascii=False).encode("utf-8")  # what passes can be stored


# ---------------------------------------------------------------- import: refused, nothing harmed


def write_jsonl(path: Path, raws: list[dict[str, Any]]) -> Path:
    lines = [json.dumps(r) for r in raws]  # ASCII with \\u escapes: how a lone surrogate reaches a file
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("case", "raw", "field"), BAD_EVENTS[:16], ids=[c[0] for c in BAD_EVENTS[:16]])
def test_import_refuses_a_bad_line_and_harms_nothing(
    conn: sqlite3.Connection, tmp_path: Path, case: str, raw: dict[str, Any], field: str
) -> None:
    mine = journal.add_step(conn, "prayer", note="mine", at=datetime(2024, 4, 30, 8, 0, tzinfo=UTC))
    before = conn.execute("SELECT COUNT(*) FROM journal_events").fetchone()[0]
    good = {**step_added(), "uid": "e-ok", "step_uid": "s-ok"}
    path = write_jsonl(tmp_path / "in.jsonl", [good, raw])
    with pytest.raises(MadregaError) as info:
        transfer.import_file(conn, path)
    assert f"in.jsonl:2: field {field}" in info.value.message and "nothing was imported" in info.value.message
    assert conn.execute("SELECT COUNT(*) FROM journal_events").fetchone()[0] == before
    assert [s.uid for s in journal.list_steps(conn)] == [mine.uid]


def test_a_csv_with_a_wrong_number_is_refused_with_line_and_field(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = tmp_path / "steps.csv"
    path.write_text(
        "uid,kind,at,minutes\na1,study,2024-05-01T08:00:00Z,10\na2,study,2024-05-01T09:00:00Z,ten\n"
    )
    with pytest.raises(MadregaError, match=r"steps.csv:3: field minutes: 'ten' is not a number"):
        transfer.import_file(conn, path)
    assert journal.count_steps(conn) == 0
    path.write_text("uid,kind,at\na1,,2024-05-01T08:00:00Z\n")
    with pytest.raises(MadregaError, match=r"steps.csv:2: field kind: is missing"):
        transfer.import_file(conn, path)
    path.write_bytes(b"uid,kind,at\n\xff\xfe\n")
    with pytest.raises(MadregaError, match="not UTF-8"):
        transfer.import_file(conn, path)


def test_cli_import_prints_the_line_and_field_not_a_traceback(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [step_added(minutes="ten")])
    result = runner.invoke(app, ["journal", "import", str(path), "--db", str(tmp_path / "j.sqlite")])
    assert result.exit_code != 0 and isinstance(result.exception, MadregaError)
    assert "bad.jsonl:1: field data.minutes: 'ten' is not a number" in result.exception.message


# ---------------------------------------------------------------- stored bad events: skipped, never a crash


def poison(conn: sqlite3.Connection) -> None:
    """Write the bad events straight into the log, as an older madrega's import or a sync let them in."""
    rows = []
    for i, (_case, raw, field) in enumerate(BAD_EVENTS):
        if not field.startswith("data"):
            continue  # a bad uid or time cannot be stored in the log's columns as such
        data = raw.get("data")
        try:
            text = json.dumps(data, ensure_ascii=False)
            text.encode("utf-8")
        except (TypeError, UnicodeEncodeError):
            text = json.dumps(data)  # the surrogate as an escape, as a JSON file holds it
        rows.append(
            (
                f"bad-{i}",
                str(raw.get("at")),
                str(raw.get("type")),
                raw.get("step_uid") or f"s-bad-{i}",
                text,
                None,
            )
        )
    rows.append(("bad-garbage", GOOD_AT, "step.added", "s-garbage", "{not json", None))
    rows.append(("bad-only-kind", GOOD_AT, "step.added", "s-only-kind", '{"kind": "study"}', None))
    conn.executemany(
        "INSERT INTO journal_events(uid, at, type, step_uid, data, device) VALUES (?,?,?,?,?,?)", rows
    )
    # and the cache rows an older madrega made from them
    conn.execute(
        "INSERT INTO steps(uid, kind, at, day, ref, minutes, data) VALUES ('s-bad-0','study',?,'2024-05-01',NULL,'ten',?)",
        (GOOD_AT, json.dumps({**step_added(minutes="ten")["data"], "uid": "s-bad-0"})),
    )


def test_replay_skips_bad_events_with_a_warning(
    conn: sqlite3.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    good = journal.add_step(conn, "study", minutes=10, at=datetime(2024, 5, 1, 8, 0, tzinfo=UTC))
    poison(conn)
    problems: list[str] = []
    with caplog.at_level(logging.WARNING, logger="madrega.journal"):
        assert journal.rebuild(conn, problems) == 1
    assert len(problems) >= 15 and any("data.minutes" in p for p in problems)
    assert any("skipped a bad event" in r.message for r in caplog.records)
    assert [s.uid for s in journal.list_steps(conn)] == [good.uid]
    assert len(journal.bad_events(conn)) >= 18


def test_after_poison_every_face_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADREGA_OFFLINE", "1")
    path = tmp_path / "poisoned.sqlite"
    conn = api.connect(path)
    calendar.set_setting(conn, "timezone", "Asia/Jerusalem")
    journal.add_step(conn, "study", ref="Psalms 1", minutes=10)
    timers.start_timer(conn, foreground=False)
    plans.add_plan(conn, "Psalms 1-3", days=3)
    poison(conn)
    conn.execute("DELETE FROM schema_version WHERE component='journal'")  # as if opened by an older madrega …
    conn.execute("INSERT INTO schema_version(component, version) VALUES ('journal', 2)")
    conn.close()
    conn = api.connect(path)  # … the migration replays the log through the schema
    assert progress.summary(conn)["total"] == 1
    conn.close()
    for args in (
        ["step", "list"], ["step", "list", "--json"], ["progress"], ["progress", "--json"], ["today"],
        ["today", "--json"], ["journal", "rebuild"], ["journal", "check"], ["hitbodedut", "status"],
        ["plan", "list"], ["journal", "export"], ["journal", "export", "--format", "csv"],
    ):  # fmt: skip
        result = runner.invoke(app, [*args, "--db", str(path)])
        assert result.exit_code == 0, (args, result.output, result.exception)
    check = runner.invoke(app, ["journal", "check", "--json", "--db", str(path)])
    assert len(json.loads(check.stdout)["bad_events"]) >= 18
    exported = runner.invoke(app, ["journal", "export", "--db", str(path)]).stdout
    assert all(events.is_valid(json.loads(line)) for line in exported.splitlines())  # the poison stays out

    from madrega.web import create_app

    with TestClient(create_app(path), base_url="http://127.0.0.1") as client:
        for page in ("/today", "/journal", "/progress", "/plans", "/api/journal", "/api/progress", "/api/today",
                     "/api/timers", "/api/plans", "/api/progress/building.svg"):  # fmt: skip
            r = client.get(page)
            assert r.status_code == 200, (page, r.text[:300])


def test_a_step_with_unusable_values_is_the_users_mistake(conn: sqlite3.Connection) -> None:
    for kwargs, message in (
        ({"note": "a\x00b"}, "note cannot be recorded"),
        ({"note": "x" * 30_000}, "note cannot be recorded"),
        ({"ref": "x" * 3000}, "cannot be recorded"),
        ({"amount": 1e300}, "not an amount"),
        ({"at": datetime(1, 1, 1, tzinfo=UTC)}, "not a time madrega can record a step at"),
    ):
        with pytest.raises(MadregaError, match=message):
            journal.add_step(conn, "tzedakah", **kwargs)  # type: ignore[arg-type]
    assert journal.count_steps(conn) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    note=st.text(max_size=60), minutes=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))
)
def test_any_note_and_number_is_recorded_or_refused_clearly(
    conn: sqlite3.Connection, note: str, minutes: float | None
) -> None:
    try:
        step = journal.add_step(conn, "study", note=note, minutes=minutes)
    except MadregaError as exc:
        assert exc.message
        return
    assert journal.get_step(conn, step.uid).note == note


class PoisonedServer:
    """A community server that let a `step.added` with only a kind through (issue 19, item 4)."""

    def push(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        return {"added": len(events), "duplicates": 0, "cursor": 1}

    def pull(self, since: int) -> dict[str, Any]:
        bad = {
            "uid": "srv-1",
            "at": GOOD_AT,
            "type": "step.added",
            "step_uid": "s-kind-only",
            "data": {"kind": "study"},
        }
        worse = {
            **bad,
            "uid": "srv-2",
            "step_uid": "s-ten",
            "data": {**step_added()["data"], "minutes": "ten"},
        }
        return {"events": [bad, worse] if since == 0 else [], "cursor": 2, "more": False}


def test_a_poisoned_pull_never_breaks_the_laptop(tmp_path: Path) -> None:
    from madrega import api
    from madrega.community import sync

    conn = api.connect(tmp_path / "laptop.sqlite")
    mine = journal.add_step(conn, "prayer", at=datetime(2024, 4, 30, 8, 0, tzinfo=UTC))
    for _ in range(2):  # "every time" it crashed; now: refused clearly, or merged and skipped
        try:
            sync.sync_journal(conn, PoisonedServer())
        except MadregaError as exc:
            assert exc.message
    assert [s.uid for s in journal.list_steps(conn)] == [mine.uid]
    assert progress.summary(conn)["total"] == 1
    result = runner.invoke(app, ["step", "list", "--db", str(tmp_path / "laptop.sqlite")])
    assert result.exit_code == 0, result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    command=st.sampled_from(
        [
            ["step", "add", "study", "--at"],
            ["step", "add", "study", "--day"],
            ["step", "add", "study", "--note"],
            ["step", "add"],
            ["step", "list", "--since"],
            ["step", "list", "--before"],
            ["step", "list", "--offset"],
            ["step", "correct"],
            ["skip", "add"],
            ["skip", "remove"],
        ]
    ),
    value=st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            ["2024-02-30", "9999-12-31T23:59:59+14:00", "²", "①", "1" * 30, "-1", "shabbat", "\ud800"]
        ),
    ),
)
def test_the_journal_commands_never_show_a_traceback(tmp_path: Path, command: list[str], value: str) -> None:
    result = runner.invoke(app, [*command, value, "--db", str(tmp_path / "fuzz.sqlite")])
    assert result.exit_code in (0, 1, 2), (command, value, result.output)
    assert result.exception is None or isinstance(result.exception, MadregaError | SystemExit), (
        command,
        value,
        repr(result.exception),
    )
