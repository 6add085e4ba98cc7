"""Whether this terminal lays out right-to-left text itself, and Hebrew cells for the one that does not.

`madrega read` prints Hebrew in logical order (the order it is read) for terminals that apply the
Unicode BiDi algorithm (GNOME Terminal and other VTE terminals since VTE 0.58, Konsole, mlterm), and in
visual order where the terminal is known not to (inside tmux or screen, which draw their own grid, and
a plain xterm). `--bidi logical|visual` decides instead of guessing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from rich.text import Text

from madrega.errors import MadregaError
from madrega.text import bidi

MODES = ("auto", "logical", "visual")


def reorders_rtl(env: Mapping[str, str] | None = None) -> bool | None:
    """True where the terminal reorders right-to-left text, False where it is known not to, None when
    nothing says."""
    env = os.environ if env is None else env
    term = env.get("TERM", "")
    if env.get("TMUX") or term.startswith(("tmux", "screen")) or env.get("STY"):
        return False  # a multiplexer draws cell by cell: whatever is outside cannot reorder
    vte = env.get("VTE_VERSION", "")
    if (vte.isdigit() and int(vte) >= 5800) or env.get("KONSOLE_VERSION") or env.get("MLTERM"):
        return True
    if "xterm" in term:
        return False
    return None


def mode(choice: str, *, is_terminal: bool, env: Mapping[str, str] | None = None) -> str:
    """'logical' or 'visual' for the --bidi choice; auto is visual only on a terminal known not to
    reorder (output into a pipe or a file stays in logical order: it is data)."""
    choice = choice.strip().lower()
    if choice not in MODES:
        raise MadregaError(f"--bidi {choice!r}: choose auto, logical or visual", suggestions=list(MODES))
    if choice != "auto":
        return choice
    return "visual" if is_terminal and reorders_rtl(env) is False else "logical"


def hebrew_cell(text: str, columns: int, order: str, style: str = "") -> Text:
    """A table cell of Hebrew: as it is in logical order, or wrapped to `columns` and in visual order."""
    if order != "visual":
        return Text(text, style=style)
    return Text("\n".join(bidi.visual_lines(text, max(columns, 8), base="R")), style=style, no_wrap=True)
