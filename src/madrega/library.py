"""The library: works, their versions, segments aligned by ref, and imported documents.

Text is stored as given (sanitized inline marks kept); `plain` is derived from it — markup,
footnote markers and schedule/page markers removed — and is what search and the linker read.
"""

from __future__ import annotations

from madrega import db

SCHEMA_V1 = """
CREATE TABLE works (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL UNIQUE,
    he_title TEXT,
    category TEXT NOT NULL
);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT,
    license TEXT,
    UNIQUE (work_id, lang, title)
);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    ref TEXT NOT NULL,
    ord INTEGER NOT NULL,
    text TEXT NOT NULL,
    plain TEXT NOT NULL,
    footnotes TEXT,
    markers TEXT
);
CREATE UNIQUE INDEX segments_version_ref ON segments(version_id, ref);
CREATE INDEX segments_ref ON segments(ref);
CREATE INDEX segments_order ON segments(version_id, ord);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT,
    teaches_ref TEXT,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    meta TEXT
);
CREATE TABLE doc_segments (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    role TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'he',
    text TEXT NOT NULL,
    plain TEXT NOT NULL,
    ref TEXT,
    pair INTEGER,
    post INTEGER,
    footnotes TEXT,
    UNIQUE (doc_id, ord)
);
"""

db.register("library", [SCHEMA_V1])
