"""Citations as HTML links: the text escaped, each span wrapped in a link to the reader."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from madrega.linker import Citation


def url_of(ref: str) -> str:
    """Sefaria's URL form of a canonical ref (`Job 8:7` → `Job.8.7`), falling back to the ref itself."""
    from madrega import refs

    try:
        return refs.parse(ref).url()
    except Exception:
        return ref.replace(" ", "_").replace(":", ".")


def to_html(text: str, citations: list[Citation]) -> str:
    """Escaped `text` with `<a class="citation">` around each (non-overlapping) citation span."""
    out: list[str] = []
    pos = 0
    for c in sorted(citations, key=lambda c: (c.start, -c.end)):
        if c.start < pos:
            continue  # overlapping spans cannot both be links
        out.append(html.escape(text[pos : c.start]))
        title = c.ref if not c.alternatives else f"{c.ref} (also: {', '.join(c.alternatives)})"
        out.append(
            f'<a class="citation {c.kind}" href="/read/{quote(url_of(c.ref), safe=".,;:_-")}" '
            f'data-ref="{html.escape(c.ref)}" title="{html.escape(title)}">'
            f"{html.escape(text[c.start : c.end])}</a>"
        )
        pos = c.end
    out.append(html.escape(text[pos:]))
    return "".join(out)
