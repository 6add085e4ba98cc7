"""Hebrew in visual order, for terminals that do not reorder right-to-left text (tmux, screen, xterm).

Text is stored and printed in logical order (the order it is read); a BiDi-aware terminal lays it out.
One that is not shows each line left to right as it comes, so a Hebrew line must arrive already in
visual order: wrapped to its column first (a paragraph's lines keep their reading order top to bottom),
then each line reordered by the Unicode BiDi algorithm (python-bidi). Two things the algorithm leaves
to the renderer are done here: a letter's vowel points and accents stay after it (a terminal draws a
combining mark on the cell before it), and brackets in right-to-left runs are mirrored.
"""

from __future__ import annotations

import unicodedata

from bidi import get_display

_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}
_OPENERS = {v: k for k, v in _PAIRS.items()}


def width(text: str) -> int:
    """Terminal cells the text takes: combining marks take none."""
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf" else 1 for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Greedy word wrap to `columns` cells (a word longer than a line gets a line of its own)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and width(candidate) > columns:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _marks_after_their_letters(visual: str) -> str:
    """The reordering reverses a right-to-left run character by character, putting each letter's
    marks before it; put them back after it, in their own order."""
    out: list[str] = []
    marks: list[str] = []
    for ch in visual:
        if unicodedata.combining(ch):
            marks.append(ch)
            continue
        out.append(ch)
        if marks:
            out.extend(reversed(marks))
            marks = []
    out.extend(reversed(marks))
    return "".join(out)


def _mirror_brackets(visual: str) -> str:
    """A bracket pair in a right-to-left run comes out back to front, ')…(': draw it '(…)'."""
    chars = list(visual)
    stack: list[tuple[int, str, bool]] = []  # (position, char, reversed pair)
    for i, ch in enumerate(chars):
        if ch in _OPENERS:
            if stack and stack[-1][2] and _PAIRS[stack[-1][1]] == ch:
                j, closer, _ = stack.pop()
                chars[j], chars[i] = ch, closer
            else:
                stack.append((i, ch, False))
        elif ch in _PAIRS:
            if stack and not stack[-1][2] and stack[-1][1] == _PAIRS[ch]:
                stack.pop()
            else:
                stack.append((i, ch, True))
    return "".join(chars)


def visual(line: str, *, base: str | None = None) -> str:
    """One line in visual order (left to right as it is to be seen); `base` "R" or "L" forces the
    paragraph direction, else its first strong character decides."""
    if not any("\u0590" <= ch <= "\u05ff" or "\ufb1d" <= ch <= "\ufb4f" for ch in line):
        return line
    shown = get_display(line, base_dir=base)
    return _mirror_brackets(_marks_after_their_letters(str(shown)))


def visual_lines(text: str, columns: int, *, base: str | None = None) -> list[str]:
    """A paragraph wrapped to `columns` cells, each line in visual order."""
    return [visual(line, base=base) for line in wrap(text, columns)]
