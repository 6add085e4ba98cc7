"""Inline HTML from imported texts, made safe: an allow-list of inline marks survives; footnotes and
page/schedule markers are lifted out as structured data; everything else is unwrapped or dropped.

Shared by the importers and the web app: whatever the web renders with `|safe` went through here.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

ALLOWED = frozenset({"b", "i", "em", "strong", "br", "sup", "small", "big", "span"})
VOID = frozenset({"br"})
DROPPED = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed", "head", "title"})

# A Tanya daily-lesson marker as Sefaria writes it: "[מ: יט כסלו]" (leap years) / "[פ: יט כסלו]".
_TANYA_DAILY = re.compile(r"^\[\s*([מפ])\s*:\s*(.+?)\s*\]$")
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


@dataclass
class Sanitized:
    text: str  # safe inline HTML, footnote markers and markers removed
    footnotes: list[dict[str, Any]] = field(default_factory=list)  # {marker, offset, text}
    markers: list[dict[str, Any]] = field(default_factory=list)  # {kind, ..., offset}


def marker_for(value: str) -> dict[str, Any]:
    """Turn a Sefaria overlay value into structured data: a Tanya daily-lesson date or a page."""
    m = _TANYA_DAILY.match(value.strip())
    if m:
        cycle = "leap" if m.group(1) == "מ" else "regular"
        return {"kind": "tanya-daily", "cycle": cycle, "date": m.group(2)}
    return {"kind": "page", "value": value.strip()}


def _is_footnote_marker(node: LexborNode) -> bool:
    return node.tag == "sup" and "footnote-marker" in (node.attributes.get("class") or "")


def _is_footnote(node: LexborNode) -> bool:
    return node.tag == "i" and "footnote" in (node.attributes.get("class") or "").split()


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.footnotes: list[dict[str, Any]] = []
        self.markers: list[dict[str, Any]] = []
        self.pending_marker: dict[str, Any] | None = None

    def emit(self, s: str, visible: int) -> None:
        self.parts.append(s)
        self.length += visible

    def walk(self, node: LexborNode | None) -> None:
        while node is not None:
            self.visit(node)
            node = node.next

    def visit(self, node: LexborNode) -> None:
        tag = node.tag
        if tag == "-text":
            raw = node.text_content or ""
            escaped = htmllib.escape(raw, quote=False)
            self.parts.append(escaped)
            self.length += len(escaped)
            return
        if tag in ("-comment", "!doctype") or tag in DROPPED:
            return
        if _is_footnote_marker(node):
            self.pending_marker = {"marker": node.text(deep=True).strip(), "offset": self.length, "text": ""}
            self.footnotes.append(self.pending_marker)
            return
        if _is_footnote(node):
            inner = _Writer()
            inner.walk(node.child)
            note = "".join(inner.parts).strip()
            if self.pending_marker is not None and not self.pending_marker["text"]:
                self.pending_marker["text"] = note
            else:
                self.footnotes.append({"marker": "", "offset": self.length, "text": note})
            self.pending_marker = None
            return
        attrs = node.attributes
        if tag == "i" and "data-overlay" in attrs:
            value = attrs.get("data-value") or ""
            if value.strip():
                self.markers.append({**marker_for(value), "offset": self.length})
            self.walk(node.child)
            return
        if tag in ALLOWED:
            if tag in VOID:
                self.emit(f"<{tag}>", len(tag) + 2)
                return
            self.emit(f"<{tag}>", len(tag) + 2)
            self.walk(node.child)
            self.emit(f"</{tag}>", len(tag) + 3)
            return
        # any other element: keep its text, drop the element and its attributes
        self.walk(node.child)


def sanitize(fragment: str) -> Sanitized:
    """Sanitize one segment's inline HTML. Offsets are character offsets into the returned `text`."""
    if "<" not in fragment and "&" not in fragment:
        return Sanitized(fragment.strip())
    tree = LexborHTMLParser(f"<div>{fragment}</div>")
    root = tree.body.child if tree.body is not None else None
    w = _Writer()
    if root is not None:
        w.walk(root.child)
    text = "".join(w.parts)
    stripped = text.lstrip()
    shift = len(text) - len(stripped)
    text = stripped.rstrip()
    for item in (*w.footnotes, *w.markers):
        item["offset"] = min(max(0, item["offset"] - shift), len(text))
    return Sanitized(text, w.footnotes, w.markers)


def plain_text(text: str) -> str:
    """The searchable form of a sanitized segment: no tags, entities decoded, whitespace collapsed."""
    if "<" in text:
        text = _TAG.sub("", text.replace("<br>", " "))
    if "&" in text:
        text = htmllib.unescape(text)
    return _SPACES.sub(" ", text).strip()


def insert_at_offsets(text: str, inserts: list[tuple[int, str]]) -> str:
    """Put strings back at their offsets (e.g. footnote markers for display), right to left."""
    out = text
    for offset, s in sorted(inserts, key=lambda x: x[0], reverse=True):
        out = out[:offset] + s + out[offset:]
    return out
