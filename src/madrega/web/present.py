"""Turning stored text into safe HTML for a page: sanitized, marks optionally stripped, citations linked.

Every string that came from an import or a user passes through `safe_html` before a template marks
it safe; the linker's output is the only other HTML we trust, and it escapes what it is given.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from markupsafe import Markup, escape

from madrega.text import hebrew
from madrega.text.markup import plain_text, sanitize


def safe_html(text: str) -> Markup:
    """Stored or pasted inline HTML, reduced to the sanitizer's allow-list."""
    return Markup(sanitize(text).text)


def strip_for_display(text: str, *, niqqud: bool, cantillation: bool) -> str:
    """Apply the reader's toggles: no niqqud means no marks at all (accents need their vowels)."""
    if not niqqud:
        return hebrew.strip_marks(text)
    if not cantillation:
        return hebrew.strip_cantillation(text)
    return text


def linked_html(
    conn: sqlite3.Connection,
    text: str,
    *,
    context_ref: str | None = None,
    quotations: bool = True,
    back: str | None = None,
) -> Markup:
    """The text with each citation the linker finds made a link to the reader (with a hover preview).

    `quotations=False` links written references only: a library text would otherwise be found
    quoting itself and its parallels. Pages of linked texts use `linked_with` and their stored anchors.
    """
    from madrega.study import linker

    markup = sanitize(text).text
    citations = linker.link(plain_text(markup), conn=conn if quotations else None, context_ref=context_ref)
    if not citations:
        return Markup(markup)
    return Markup(linker.link_markup(markup, citations, back=back))


def linked_with(text: str, citations: list[Any], *, back: str | None = None) -> Markup:
    """The text with the citations already found (stored anchors) made links: no linking here."""
    markup = sanitize(text).text
    if not citations:
        return Markup(markup)
    from madrega.study.linker import link_markup

    return Markup(link_markup(markup, citations, back=back))


__all__ = [
    "escape",
    "linked_html",
    "linked_with",
    "safe_html",
    "strip_for_display",
]
