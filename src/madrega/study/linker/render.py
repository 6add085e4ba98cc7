"""Citations as HTML links: the text escaped, each span wrapped in a link to the reader."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from madrega.study.linker.citations import Citation


def url_of(ref: str) -> str:
    """Sefaria's URL form of a canonical ref (`Job 8:7` → `Job.8.7`), falling back to the ref itself."""
    from madrega import refs

    try:
        return refs.parse(ref).url()
    except refs.RefError:  # a stored ref the catalog does not know
        return ref.replace(" ", "_").replace(":", ".")


def to_html(text: str, citations: list[Citation], *, back: str | None = None) -> str:
    """Escaped `text` with `<a class="citation">` around each (non-overlapping) citation span;
    `back` is the page each link offers a way back to."""
    out: list[str] = []
    pos = 0
    for c in sorted(citations, key=lambda c: (c.start, -c.end)):
        if c.start < pos:
            continue  # overlapping spans cannot both be links
        out.append(html.escape(text[pos : c.start]))
        out.append(f"{_anchor(c, back)}{html.escape(text[c.start : c.end])}</a>")
        pos = c.end
    out.append(html.escape(text[pos:]))
    return "".join(out)


_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _plain_positions(markup: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The plain text of sanitized markup (as `importers.html.plain_text` makes it) and, for each of
    its characters, the span of markup it came from; None if the two readings disagree."""
    from madrega.text.markup import plain_text

    chars: list[tuple[str, int, int]] = []
    i, n = 0, len(markup)
    while i < n:
        if markup.startswith("<br>", i):
            chars.append((" ", i, i + 4))
            i += 4
        elif markup[i] == "<" and (close := markup.find(">", i)) != -1:
            i = close + 1
        elif markup[i] == "&" and (entity := _ENTITY.match(markup, i)) is not None:
            for ch in html.unescape(entity.group()):
                chars.append((ch, i, entity.end()))
            i = entity.end()
        else:
            chars.append((markup[i], i, i + 1))
            i += 1
    kept: list[tuple[str, int, int]] = []
    for ch, a, b in chars:  # whitespace runs collapse to one space, as in plain_text
        if ch.isspace():
            if kept and kept[-1][0] == " ":
                continue
            ch = " "
        kept.append((ch, a, b))
    while kept and kept[0][0] == " ":
        kept.pop(0)
    while kept and kept[-1][0] == " ":
        kept.pop()
    plain = "".join(ch for ch, _, _ in kept)
    if plain != plain_text(markup):
        return None
    return plain, [(a, b) for _, a, b in kept]


def link_markup(markup: str, citations: list[Citation], *, back: str | None = None) -> str:
    """Sanitized markup (bold, italics, footnote marks kept) with each citation made a link. A
    citation that crosses a tag becomes one link per run of text, so the tags still nest."""
    mapped = _plain_positions(markup)
    if mapped is None:
        from madrega.text.markup import plain_text

        return to_html(plain_text(markup), citations, back=back)
    _, spans = mapped
    out: list[str] = []
    pos = 0
    done = 0
    for c in sorted(citations, key=lambda c: (c.start, -c.end)):
        if c.start < done or c.end > len(spans) or c.start >= c.end:
            continue
        start, end = spans[c.start][0], spans[c.end - 1][1]
        out.append(markup[pos:start])
        out.extend(_anchored(markup[start:end], _anchor(c, back)))
        pos, done = end, c.end
    out.append(markup[pos:])
    return "".join(out)


def _anchor(c: Citation, back: str | None = None) -> str:
    title = c.ref if not c.alternatives else f"{c.ref} (also: {', '.join(c.alternatives)})"
    if c.note:  # the quoted words disagree with the place written: say so where the link is
        title = c.note
    href = f"/read/{quote(url_of(c.ref), safe='.,;:_-')}"
    if back:
        href += "?back=" + quote(back, safe="/")
    return (
        f'<a class="citation {c.kind}" href="{html.escape(href)}" '
        f'data-ref="{html.escape(c.ref)}" title="{html.escape(title)}">'
    )


def _anchored(piece: str, opening: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r"(<[^>]*>)", piece):
        if not part:
            continue
        out.append(part if part.startswith("<") else f"{opening}{part}</a>")
    return out
