"""Counting words the way people say them: "1 step", "2 steps", "10,000 steps", "1 storey"."""

from __future__ import annotations


def plural_of(word: str) -> str:
    """'step' -> 'steps', 'entry' -> 'entries', 'storey' -> 'storeys' (a phrase: its last word)."""
    head, _, last = word.rpartition(" ")
    if len(last) > 1 and last.endswith("y") and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def plural(n: int | float, word: str) -> str:
    """The number with its noun, singular for exactly one: 'plural(1, "day")' is '1 day'."""
    count = f"{n:,}" if isinstance(n, int) or float(n).is_integer() else f"{n:,.1f}"
    if isinstance(n, float) and n.is_integer():
        count = f"{int(n):,}"
    return f"{count} {word if n == 1 else plural_of(word)}"
