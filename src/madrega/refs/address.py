"""Stored segment refs as strings: split, ordered, walked up, joined into ranges.

The library stores every segment under its canonical ref (`Genesis 1:1`, `Berakhot 2a:3`,
`Tanya, Part III; Iggeret HaTeshuvah 10:1`, `Zohar 1:11b:2`): a *node* (the work or the part of a
complex work) and an *address* of numbers (`10:1`; a daf is a number with its amud, `2a`). Reading
such strings back is needed everywhere a ref is stored — the reader, the library's ordering, the
linker's ancestors, the cycles' ranges — so it is done here, once, without the catalog: these are
refs the library wrote, not text a person typed (that is `madrega.refs.parse`).
"""

from __future__ import annotations

import re

__all__ = ["ancestors", "chapter_of", "complete_end", "join_range", "sort_key", "split"]

_ADDRESS = re.compile(r"^(?P<node>.+?) (?P<address>\d+[ab]?(?::\d+[ab]?)*)(?:-[\d:ab]+)?$")
_PART = re.compile(r"(\d+)([ab]?)")


def split(ref: str) -> tuple[str, str | None]:
    """'Tanya, Part III; Iggeret HaTeshuvah 10:1' → ('Tanya, Part III; Iggeret HaTeshuvah', '10:1');
    a ref without an address (`Genesis`) → ('Genesis', None). A range's end is dropped."""
    m = _ADDRESS.match(ref.strip())
    if not m:
        return ref.strip(), None
    return m.group("node"), m.group("address")


def sort_key(ref: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Natural order within a node: 'Genesis 2:10' after 'Genesis 2:9', '3a' before '3b'."""
    node, _, address = ref.rpartition(" ")
    parts = address.split(":")
    if not node or not all(_PART.fullmatch(p) for p in parts):
        return ref, ()
    return node, tuple((int(m[1]), m[2]) for p in parts if (m := _PART.fullmatch(p)))


def chapter_of(segment_ref: str) -> str:
    """The chapter a segment belongs to: `Isaiah 51:3` → `Isaiah 51`, `Berakhot 2a:3` → `Berakhot 2a`."""
    node, address = split(segment_ref)
    if address is None:
        return node
    return f"{node} {address.rsplit(':', 1)[0]}" if ":" in address else segment_ref


def ancestors(ref: str) -> list[str]:
    """'Zohar 1:11b:2' → ['Zohar 1:11b', 'Zohar 1']: the units a citation of the whole may name."""
    out = []
    while ":" in ref:
        ref = ref.rsplit(":", 1)[0]
        out.append(ref)
    return out


def complete_end(start: str, end: str) -> str:
    """A range's end written short, made whole: '1:1' with '5' → '1:5'; '1:1' with '2:3' → '2:3'."""
    a, b = start.split(":"), end.split(":")
    if len(b) >= len(a):
        return end
    return ":".join(a[: len(a) - len(b)] + b)


_TITLED = re.compile(r"^(?P<title>.+?)\s+(?P<addr>\d+[ab]?(?::\d+)?(?:-\d+[ab]?(?::\d+)?)?)$")


def join_range(first: str, last: str) -> str:
    """'T 1:1' + 'T 1:8' → 'T 1:1-8'; 'T 1:1' + 'T 2:3' → 'T 1:1-2:3' (different nodes: 'A – B')."""
    a, b = _TITLED.match(first), _TITLED.match(last)
    if not a or not b or a["title"] != b["title"]:
        return f"{first} – {last}"
    left, right = a["addr"].split(":"), b["addr"].split(":")
    if len(left) == len(right) == 2 and left[0] == right[0]:
        return f"{first}-{right[1]}"
    return f"{first}-{b['addr']}"
