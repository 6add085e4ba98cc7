"""Derived indexes kept in a file beside the database: memory-mapped arrays under a versioned header.

What is expensive to build from the library (the quotation indexes, the gematria runs, the title
automaton) is written once into `<db>.<name>.idx` and later opened in milliseconds: the arrays are
views on a read-only memory map, so several processes share one copy in the page cache and nothing
is decoded on open. Never a pickle — a changed class would break it and a replaced file would run code.

A file holds: a fixed prefix (magic, header length, CRC-32 of the header), a JSON header (kind, format,
free `meta`, each array's dtype, shape and offset, the payload's size and CRC-32) and the payload.
A file is used only when its header parses, its kind and format are the ones asked for, and its payload
is whole: the payload's checksum is verified unless the database's row for the file (`derived_files`,
written when the file was) vouches for exactly this file (same size, mtime and checksum) — so a normal
open reads no more than the header, while a file that was replaced, truncated or damaged is detected
and rebuilt by its owner. The row also says up to which library generation the file is known to be
current: library change hooks move it forward for changes that do not concern the file.
"""

from __future__ import annotations

import json
import mmap
import os
import sqlite3
import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from madrega import db
from madrega.study import library

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "CacheFile",
    "CorruptFile",
    "Stamp",
    "cache_dir",
    "db_file",
    "forget",
    "load",
    "open_file",
    "path_for",
    "store",
    "write_file",
]

MAGIC = b"MADREGA\x00IDX\x00"  # 12 bytes
_PREFIX = struct.Struct("<12sII")  # magic, header length, header CRC-32
_ALIGN = 64
_CHUNK = 1 << 24

SCHEMA_V1 = """
CREATE TABLE derived_files (
    name TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    digest TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    valid_for INTEGER NOT NULL
);
"""

db.register("derived", [SCHEMA_V1])


class CorruptFile(Exception):
    """The file is not a whole index of the kind asked for (internal: callers rebuild)."""


@dataclass(frozen=True)
class Stamp:
    """What identifies one written file: its payload checksum, size and modification time."""

    digest: str
    size: int
    mtime_ns: int


class CacheFile:
    """An opened index file: `meta` from its header and its arrays, read-only views on the map."""

    def __init__(self, path: Path, header: dict[str, Any], mapped: mmap.mmap, stamp: Stamp) -> None:
        self.path = path
        self.meta: dict[str, Any] = header["meta"]
        self.stamp = stamp
        self._header = header
        self._map = mapped
        self._arrays: dict[str, Any] = {}

    def names(self) -> list[str]:
        return list(self._header["arrays"])

    def array(self, name: str) -> npt.NDArray[Any]:
        found = self._arrays.get(name)
        if found is None:
            import numpy as np

            spec = self._header["arrays"][name]
            count = 1
            for dim in spec["shape"]:
                count *= int(dim)
            found = np.frombuffer(
                self._map, dtype=np.dtype(spec["dtype"]), count=count, offset=spec["offset"]
            )
            found = found.reshape(spec["shape"])
            self._arrays[name] = found
        return found

    def memory(self, name: str) -> memoryview:
        """An array's bytes as a view on the map (no copy, no numpy)."""
        spec = self._header["arrays"][name]
        return memoryview(self._map)[spec["offset"] : spec["offset"] + int(spec["nbytes"])]

    def items(self, name: str) -> memoryview:
        """A one-dimensional array of integers as a typed view (no numpy): `view[i]` is an int."""
        spec = self._header["arrays"][name]
        codes = {"<i8": "q", "<u8": "Q", "<i4": "i", "<u4": "I", "|u1": "B", "|i1": "b", "<f8": "d"}
        code = codes[spec["dtype"]]
        if sys.byteorder != "little" and code not in "Bb":  # pragma: no cover - files are little-endian
            swapped = array(code, bytes(self.memory(name)))
            swapped.byteswap()
            return memoryview(swapped)
        return self.memory(name).cast(code)  # type: ignore[call-overload]

    def blob(self, name: str) -> bytes:
        """A uint8 array's bytes (text tables are stored so)."""
        return bytes(self.memory(name))

    def text(self, name: str) -> str:
        return self.blob(name).decode("utf-8")


def code_digest(*modules: str) -> str:
    """A short digest of these modules' source files: an index derived by code that changed is
    another format (a changed word key must never meet an index built with the old one)."""
    import hashlib
    import importlib.util

    digest = hashlib.blake2b(digest_size=6)
    for name in modules:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            digest.update(Path(origin).read_bytes() if origin else name.encode())
        except OSError:  # installed without sources: the name and the package version decide
            digest.update(name.encode())
    return digest.hexdigest()


def cache_dir() -> Path:
    """Where indexes that do not belong to one library live (`$MADREGA_CACHE_DIR`, else the user's
    cache directory)."""
    env = os.environ.get("MADREGA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("madrega"))


def path_for(db_path: str | os.PathLike[str], name: str) -> Path:
    return Path(f"{os.fspath(db_path)}.{name}.idx")


def db_file(conn: sqlite3.Connection) -> str:
    """The path of the connection's main database ('' for an in-memory one)."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return str(row[2] or "")
    return ""


# ---------------------------------------------------------------------------- writing and reading


def write_file(
    path: Path, *, kind: str, fmt: str, meta: Mapping[str, Any], arrays: Mapping[str, Any]
) -> Stamp:
    """Write the arrays (numpy arrays or bytes) under a header, atomically (a temporary file renamed)."""
    import numpy as np

    prepared: list[tuple[str, Any]] = []
    for name, value in arrays.items():
        arr = np.frombuffer(value, dtype=np.uint8) if isinstance(value, bytes | bytearray) else value
        arr = np.ascontiguousarray(arr)
        if arr.dtype.byteorder == ">" or (arr.dtype.byteorder == "=" and struct.pack("=H", 1) != b"\x01\x00"):
            arr = arr.astype(arr.dtype.newbyteorder("<"))
        prepared.append((name, arr))
    specs: dict[str, dict[str, Any]] = {}
    offset = 0
    for name, arr in prepared:
        offset = -(-offset // _ALIGN) * _ALIGN
        specs[name] = {
            "dtype": arr.dtype.str,
            "shape": list(arr.shape),
            "offset": offset,
            "nbytes": arr.nbytes,
        }
        offset += arr.nbytes
    payload_size = offset
    crc = 0
    for _, arr in prepared:
        crc = _crc_of(memoryview(arr).cast("B"), crc)
    header: dict[str, Any] = {
        "kind": kind,
        "format": fmt,
        "meta": dict(meta),
        "arrays": specs,
        "payload": {"size": payload_size, "crc32": crc},
    }
    raw = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    start = -(-(_PREFIX.size + len(raw)) // _ALIGN) * _ALIGN
    # offsets in the header are relative to the payload; the payload starts at `start`
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(_PREFIX.pack(MAGIC, len(raw), zlib.crc32(raw)))
            fh.write(raw)
            fh.write(b"\x00" * (start - _PREFIX.size - len(raw)))
            written = 0
            for name, arr in prepared:
                gap = specs[name]["offset"] - written
                if gap:
                    fh.write(b"\x00" * gap)
                fh.write(memoryview(arr).cast("B"))
                written = specs[name]["offset"] + arr.nbytes
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    st = path.stat()
    return Stamp(_digest(crc, payload_size), st.st_size, st.st_mtime_ns)


def _crc_of(data: memoryview, crc: int) -> int:
    """The running CRC-32 over the arrays' bytes in file order (the zero padding between is not summed)."""
    for i in range(0, len(data), _CHUNK):
        crc = zlib.crc32(data[i : i + _CHUNK], crc)
    return crc


def _digest(crc: int, size: int) -> str:
    return f"crc32:{crc:08x}:{size}"


def open_file(path: Path, *, kind: str, fmt: str, trusted: Stamp | None = None) -> CacheFile:
    """Open an index file (CorruptFile if it is missing parts, damaged, or of another kind/format)."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, once the map is made
    except OSError as exc:
        raise CorruptFile(f"cannot open {path}: {exc}") from exc
    with fh:
        st = os.fstat(fh.fileno())
        head = fh.read(_PREFIX.size)
        if len(head) < _PREFIX.size:
            raise CorruptFile("shorter than its header")
        magic, length, header_crc = _PREFIX.unpack(head)
        if magic != MAGIC or length > st.st_size:
            raise CorruptFile("not an index file")
        raw = fh.read(length)
        if len(raw) != length or zlib.crc32(raw) != header_crc:
            raise CorruptFile("damaged header")
        try:
            header = json.loads(raw)
        except ValueError as exc:
            raise CorruptFile("unreadable header") from exc
        if not isinstance(header, dict) or header.get("kind") != kind or header.get("format") != fmt:
            raise CorruptFile("another kind or format of index")
        start = -(-(_PREFIX.size + length) // _ALIGN) * _ALIGN
        try:
            payload = header["payload"]
            size, crc = int(payload["size"]), int(payload["crc32"])
            for spec in header["arrays"].values():
                spec["offset"] = int(spec["offset"]) + start
                if spec["offset"] + int(spec["nbytes"]) > st.st_size:
                    raise CorruptFile("truncated")
        except (KeyError, TypeError, ValueError) as exc:
            raise CorruptFile("incomplete header") from exc
        if start + size != st.st_size:
            raise CorruptFile("truncated or padded")
        stamp = Stamp(_digest(crc, size), st.st_size, st.st_mtime_ns)
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if st.st_size else None
    if mapped is None:
        raise CorruptFile("empty")
    if trusted != stamp:
        found = 0
        for spec in sorted(header["arrays"].values(), key=lambda s: s["offset"]):
            found = _crc_of(memoryview(mapped)[spec["offset"] : spec["offset"] + int(spec["nbytes"])], found)
        if found != crc:
            mapped.close()
            raise CorruptFile("damaged payload")
    return CacheFile(path, header, mapped, stamp)


# ---------------------------------------------------------------------------- files a library owns

Dependency = Callable[[sqlite3.Connection, Any], bool]
_DEPENDS: dict[str, Dependency] = {}


def depends(name: str, affected: Dependency) -> None:
    """Declare which library changes make the file `name` stale (`affected(conn, change)`)."""
    _DEPENDS[name] = affected


def _row(conn: sqlite3.Connection, name: str) -> tuple[str, Stamp, int] | None:
    try:
        row = conn.execute(
            "SELECT format, digest, size, mtime_ns, valid_for FROM derived_files WHERE name = ?", (name,)
        ).fetchone()
    except sqlite3.OperationalError:  # a database from before this table: nothing is vouched for
        return None
    if row is None:
        return None
    return str(row[0]), Stamp(str(row[1]), int(row[2]), int(row[3])), int(row[4])


def load(conn: sqlite3.Connection, name: str, *, kind: str, fmt: str) -> CacheFile | None:
    """The current index file `name` of this library, or None (missing, stale, damaged: rebuild it)."""
    path = db_file(conn)
    if not path:
        return None
    row = _row(conn, name)
    if row is None or row[0] != fmt or row[2] != library.generation(conn):
        return None
    try:
        found = open_file(path_for(path, name), kind=kind, fmt=fmt, trusted=row[1])
    except CorruptFile:
        return None
    if found.stamp != row[1]:
        if found.stamp.digest != row[1].digest:
            return None  # a whole file, but not the one this library wrote
        _remember(conn, name, fmt, found.stamp, row[2])  # the same file, touched or copied: vouch again
    return found


def store(
    conn: sqlite3.Connection,
    name: str,
    *,
    kind: str,
    fmt: str,
    meta: Mapping[str, Any],
    arrays: Mapping[str, Any],
    generation: int | None = None,
) -> CacheFile | None:
    """Write the index file `name` beside the library and vouch for it; None for an in-memory library
    or where the file cannot be written (a read-only directory: callers keep what they built)."""
    path = db_file(conn)
    if not path:
        return None
    gen = library.generation(conn) if generation is None else generation
    target = path_for(path, name)
    try:
        stamp = write_file(target, kind=kind, fmt=fmt, meta=meta, arrays=arrays)
    except OSError:
        return None
    if not _remember(conn, name, fmt, stamp, gen):
        return None
    try:
        return open_file(target, kind=kind, fmt=fmt, trusted=stamp)
    except CorruptFile:
        return None


def _remember(conn: sqlite3.Connection, name: str, fmt: str, stamp: Stamp, generation: int) -> bool:
    try:
        with db.transaction(conn):
            conn.execute(
                "INSERT INTO derived_files(name, format, digest, size, mtime_ns, valid_for) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET format = excluded.format, "
                "digest = excluded.digest, size = excluded.size, mtime_ns = excluded.mtime_ns, "
                "valid_for = excluded.valid_for",
                (name, fmt, stamp.digest, stamp.size, stamp.mtime_ns, generation),
            )
    except sqlite3.OperationalError:  # a read-only database: the file is verified on every open instead
        return False
    return True


def forget(conn: sqlite3.Connection, name: str) -> None:
    """Drop the row (the file is then rebuilt on next use) and the file."""
    with db.transaction(conn):
        conn.execute("DELETE FROM derived_files WHERE name = ?", (name,))
    path = db_file(conn)
    if path:
        path_for(path, name).unlink(missing_ok=True)


def is_current(conn: sqlite3.Connection, name: str, fmt: str) -> bool:
    """Whether the library vouches for a current file `name` (without opening it)."""
    row = _row(conn, name)
    return row is not None and row[0] == fmt and row[2] == library.generation(conn)


def _follow_library(conn: sqlite3.Connection, change: Any) -> None:
    """A change a file does not depend on leaves it current: move its generation forward with it."""
    rows = conn.execute("SELECT name, valid_for FROM derived_files").fetchall()
    generation = library.generation(conn)
    for name, valid_for in rows:
        affected = _DEPENDS.get(name)
        if valid_for == generation - 1 and affected is not None and not affected(conn, change):
            conn.execute("UPDATE derived_files SET valid_for = ? WHERE name = ?", (generation, name))


def segments_in(lang: str | None) -> Dependency:
    """A file derived from the library's segments (of one language, or of any): documents never count."""

    def affected(conn: sqlite3.Connection, change: Any) -> bool:
        if change.table != "segments":
            return False
        if lang is None:
            return True
        ids = list(change.ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            if conn.execute(
                f"SELECT 1 FROM versions WHERE id IN ({marks}) AND lang = ? LIMIT 1", (*chunk, lang)
            ).fetchone():
                return True
        return False

    return affected


library.on_change(_follow_library)
