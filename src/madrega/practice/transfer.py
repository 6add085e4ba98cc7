"""The journal in and out: JSON Lines of every event (complete), CSV of the steps (for a
spreadsheet), imports of either, and a consistent backup of the whole database.

An import is checked line by line against the one event schema before anything is written: the
first bad line is named with its field, and the journal is left exactly as it was. CSV cells that
a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) are written with a leading `'`,
which the import takes off again. A backup is written beside its target and renamed into place, so
a full disk leaves no half-written file to block the next one.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from madrega import db
from madrega.errors import MadregaError, NotFound
from madrega.practice import journal
from madrega.practice.events import Event, InvalidEvent, parse_line, validate

CSV_COLUMNS = (
    "uid",
    "kind",
    "at",
    "when",
    "day",
    "civil_date",
    "local_time",
    "hebrew_date",
    "ref",
    "what",
    "minutes",
    "amount",
    "currency",
    "prayer",
    "focus",
    "lesson",
    "note",
    "shared",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_IMPORT_BYTES = 200_000_000


def export_jsonl(conn: sqlite3.Connection) -> Iterator[str]:
    """Every event that fits the schema, one JSON object a line (bad ones stay out of the copy)."""
    for ev in journal.events(conn):
        yield ev.to_json() + "\n"


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading `'`
    (and so does one that already starts with `'`, so the import can always take one off)."""
    text = "" if value is None else str(value)
    if text.startswith((*FORMULA_STARTS, "'")):
        return "'" + text
    return text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def export_csv(conn: sqlite3.Connection) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for step in journal.list_steps(conn):
        row = step.to_dict()
        row["shared"] = "true" if step.shared else "false"
        writer.writerow({k: csv_cell(row.get(k)) for k in CSV_COLUMNS})
    return out.getvalue()


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def import_file(conn: sqlite3.Connection, path: Path) -> ImportResult:
    """Merge an export into this journal; what is already here is skipped, so twice is once.

    Every line is validated first; a bad one raises `MadregaError` naming the line and the field,
    and nothing is written."""
    try:
        if not path.is_file():
            raise NotFound(f"no file at {path}")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise MadregaError(
                f"{path} is larger than {MAX_IMPORT_BYTES // 1_000_000} MB: not a journal export"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise MadregaError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MadregaError(f"{path} is not UTF-8 text (byte {exc.start}); nothing was imported") from None
    if path.suffix.lower() == ".csv" or text.startswith("uid,kind,"):
        parsed = _events_from_csv(conn, text, path)
    else:
        parsed = _events_from_jsonl(text, path)
    added = journal.insert_events(conn, parsed)
    return ImportResult(added, len(parsed) - added)


def _events_from_jsonl(text: str, path: Path) -> list[Event]:
    out: list[Event] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(parse_line(line, where=f"{path}:{number}"))
        except InvalidEvent as exc:
            raise MadregaError(f"{exc.message}; nothing was imported") from None
    return out


def _events_from_csv(conn: sqlite3.Connection, text: str, path: Path) -> list[Event]:
    """Each row becomes a `step.added` whose event uid derives from the step uid (so re-import dedupes)."""
    out: list[Event] = []
    device = journal.device_id(conn)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
        escaped = "when" in header  # written by a madrega that escapes formula cells
        for number, row in enumerate(reader, start=2):
            where = f"{path}:{number}"
            cells = {
                k: (_uncell(v) if escaped else v)
                for k, v in row.items()
                if isinstance(k, str) and isinstance(v, str)
            }
            out.append(_csv_event(conn, cells, where, device))
    except csv.Error as exc:
        raise MadregaError(f"{path}: not a CSV of steps ({exc}); nothing was imported") from None
    return out


def _csv_event(conn: sqlite3.Connection, row: dict[str, str], where: str, device: str) -> Event:
    def bad(name: str, why: str) -> MadregaError:
        return MadregaError(f"{where}: field {name}: {why}; nothing was imported")

    uid = row.get("uid") or journal.new_uid()
    if not row.get("kind"):
        raise bad("kind", "is missing")
    try:
        kind = journal.check_kind_name(row["kind"])
    except MadregaError as exc:
        raise bad("kind", exc.message) from None
    try:
        at = journal.iso(journal.parse_iso(row.get("at") or ""))
    except (ValueError, OverflowError):
        raise bad("at", f"{(row.get('at') or '')[:40]!r} is not a time with its zone") from None
    data: dict[str, Any] = {"kind": kind, "at": at}
    for key in ("day", "civil_date", "local_time", "hebrew_date", "ref", "what", "currency", "prayer"):
        if row.get(key):
            data[key] = row[key]
    for key in ("focus", "lesson", "note"):
        if row.get(key):
            data[key] = row[key]
    for key in ("minutes", "amount"):
        if row.get(key):
            try:
                data[key] = float(row[key])
            except ValueError:
                raise bad(key, f"{row[key][:40]!r} is not a number") from None
    data["shared"] = (row.get("shared") or "").strip().lower() in ("true", "1", "yes")
    if "day" not in data:
        try:
            data.update(journal.moment_fields(conn, journal.parse_iso(at)))
        except (ValueError, OverflowError):
            raise bad("at", "is outside the calendar") from None
    elif "hebrew_date" not in data:
        try:
            from madrega.practice import calendar

            data["hebrew_date"] = calendar.hebrew_date_string(date.fromisoformat(data["day"]))
        except ValueError:
            raise bad("day", f"{data['day'][:40]!r} is not a day (YYYY-MM-DD)") from None
    event_uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"madrega-csv-step:{uid}"))
    try:
        return validate(
            {
                "uid": event_uid,
                "at": at,
                "type": "step.added",
                "step_uid": uid,
                "data": data,
                "device": device,
            },
            where=where,
        )
    except InvalidEvent as exc:
        name = (exc.field or "").removeprefix("data.")
        raise bad(name or "row", exc.why) from None


# ---------------------------------------------------------------- backup


def default_backup_path(conn: sqlite3.Connection, now: datetime | None = None) -> Path:
    row = conn.execute("PRAGMA database_list").fetchone()
    base = Path(row["file"]).parent if row and row["file"] else db.default_path().parent
    stamp = (now or datetime.now(UTC)).astimezone().strftime("%Y%m%d-%H%M%S")
    return base / "backups" / f"madrega-{stamp}.sqlite"


def backup(conn: sqlite3.Connection, dest: Path | None = None, *, now: datetime | None = None) -> Path:
    """A consistent copy of the whole database while it is in use (SQLite's online backup).

    Written to a temporary file beside the target, synced, then renamed into place: if the disk
    fills up midway, the temporary file is removed and nothing blocks the next backup."""
    target = dest or default_backup_path(conn, now)
    try:
        if target.is_dir():
            target = target / default_backup_path(conn, now).name
        if target.exists() and target.stat().st_size > 0:
            raise MadregaError(f"{target} already exists: choose another path")
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MadregaError(f"cannot write a backup in {target.parent}: {exc.strerror or exc}") from None
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        copy = sqlite3.connect(str(part))
        try:
            conn.backup(copy)
        finally:
            copy.close()
        with part.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(part, target)
    except (sqlite3.Error, OSError) as exc:
        for leftover in (part, part.with_name(part.name + "-journal")):
            leftover.unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or str(exc)
        raise MadregaError(
            f"the backup could not be written to {target}: {reason}; nothing was left behind",
            suggestions=["free some space, or give another place for the backup"],
        ) from None
    return target
