"""A Document is what a user imports that is not itself a canonical work: a lesson, an article,
a blog post. Importers produce one; the library stores it; the reader, linker and search read it.

Shape of a bilingual lesson: segments in reading order, each with a role. A *pair* joins a Hebrew
`source` segment with its English `translation` (same `pair` number on both) and the `commentary`
paragraphs that follow them until the next pair. An article's segments carry the `post` they
belong to when one page holds several posts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Generic, Literal, TypeVar

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


T = TypeVar("T")
U = TypeVar("U")


@dataclass
class Block(Generic[T]):
    """What reads as one unit: a heading, or a source/translation pair with the commentary after it.

    Generic in what it holds, so a face can turn the segments into what it shows (`map`) and keep
    the grouping, which is decided here once.
    """

    heading: T | None = None
    source: T | None = None
    translation: T | None = None
    commentary: list[T] = field(default_factory=list)

    def map(self, show: Callable[[T], U]) -> Block[U]:
        return Block(
            heading=show(self.heading) if self.heading is not None else None,
            source=show(self.source) if self.source is not None else None,
            translation=show(self.translation) if self.translation is not None else None,
            commentary=[show(c) for c in self.commentary],
        )


@dataclass
class Document:
    title: str
    kind: Literal["lesson", "article", "text"]
    segments: list[DocSegment] = field(default_factory=list)
    source: str | None = None  # file name or URL it came from
    teaches_ref: str | None = None  # e.g. "Tanya, Part III; Iggeret HaTeshuvah 10" when it says so
    posts: list[str] = field(default_factory=list)  # post titles, for articles holding several
    meta: dict[str, Any] = field(default_factory=dict)

    def blocks(self) -> list[Block[DocSegment]]:
        """The segments grouped the way they read: headings, and pairs with the commentary after them."""
        out: list[Block[DocSegment]] = []
        current: Block[DocSegment] | None = None
        pair_no: int | None = None
        for seg in self.segments:
            if seg.role == "heading":
                out.append(Block(heading=seg))
                current, pair_no = None, None
            elif seg.role in ("source", "translation"):
                if current is None or seg.pair is None or seg.pair != pair_no or getattr(current, seg.role):
                    current = Block()
                    out.append(current)
                    pair_no = seg.pair
                setattr(current, seg.role, seg)
            else:
                if current is None:
                    current = Block()
                    out.append(current)
                current.commentary.append(seg)
        return out

    def pairs(self) -> list[Pair]:
        """The source/translation pairs with the commentary that follows each."""
        return [
            Pair(
                source=b.source.text if b.source else "",
                translation=b.translation.text if b.translation else "",
                commentary=[c.text for c in b.commentary],
                ref=b.source.ref if b.source else None,
            )
            for b in self.blocks()
            if b.source is not None or b.translation is not None
        ]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["pairs"] = [asdict(p) for p in self.pairs()]
        return data
