"""A Document is what a user imports that is not itself a canonical work: a lesson, an article,
a blog post. Importers produce one; the library stores it; the reader, linker and search read it.

Shape of a bilingual lesson: segments in reading order, each with a role. A *pair* joins a Hebrew
`source` segment with its English `translation` (same `pair` number on both) and the `commentary`
paragraphs that follow them until the next pair. An article's segments carry the `post` they
belong to when one page holds several posts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["source", "translation", "commentary", "heading"]
ROLES: tuple[Role, ...] = ("source", "translation", "commentary", "heading")


@dataclass
class Footnote:
    marker: str  # as printed: "1", "*", "a"
    offset: int  # character offset in the segment's text where the marker stood
    text: str = ""  # the note itself, when the page gives it


@dataclass
class DocSegment:
    role: Role
    text: str  # as given, footnote markers removed (they live in `footnotes`)
    lang: str  # "he" or "en"
    ref: str | None = None  # canonical ref in the library, when aligned (e.g. a Hebrew source line)
    pair: int | None = None  # pair number shared by a source and its translation
    post: int | None = None  # index of the post in a multi-post page
    footnotes: list[Footnote] = field(default_factory=list)


@dataclass
class Pair:
    source: str
    translation: str
    commentary: list[str] = field(default_factory=list)
    ref: str | None = None


@dataclass
class Document:
    title: str
    kind: Literal["lesson", "article", "text"]
    segments: list[DocSegment] = field(default_factory=list)
    source: str | None = None  # file name or URL it came from
    teaches_ref: str | None = None  # e.g. "Tanya, Part III; Iggeret HaTeshuvah 10" when it says so
    posts: list[str] = field(default_factory=list)  # post titles, for articles holding several
    meta: dict[str, Any] = field(default_factory=dict)

    def pairs(self) -> list[Pair]:
        """The source/translation pairs with the commentary that follows each."""
        out: dict[int, Pair] = {}
        current: Pair | None = None
        for seg in self.segments:
            if seg.pair is not None:
                p = out.setdefault(seg.pair, Pair(source="", translation=""))
                if seg.role == "source":
                    p.source = seg.text
                    p.ref = seg.ref or p.ref
                elif seg.role == "translation":
                    p.translation = seg.text
                current = p
            elif seg.role == "commentary" and current is not None:
                current.commentary.append(seg.text)
        return [out[k] for k in sorted(out)]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["pairs"] = [asdict(p) for p in self.pairs()]
        return data
