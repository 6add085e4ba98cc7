"""What the linker's tests ask of it: the written references `link` finds in a text, as (text, ref)."""

from __future__ import annotations

from madrega.study.linker import link


def refs_of(text: str, context_ref: str | None = None) -> list[tuple[str, str]]:
    return [(c.text, c.ref) for c in link(text, context_ref=context_ref) if c.kind == "reference"]
