"""The `Ref` value: a place (or range) in a work, formatted the way Sefaria writes it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from madrega.refs.catalog import Work
from madrega.refs.catalog_file import catalog
from madrega.text.numerals import to_hebrew

__all__ = ["Ref", "daf_text", "new_ref"]


def daf_text(amud: int) -> str:
    """Amud number (1a = 1, 1b = 2, 2a = 3 …) → '2a'."""
    return f"{(amud + 1) // 2}{'a' if amud % 2 else 'b'}"


@lru_cache(maxsize=4096)
def _he_number(n: int) -> str:
    return to_hebrew(n, punctuate=False)


@dataclass(frozen=True, order=True, slots=True)
class Ref:
    """A place in a work. Sections are integers; a daf is stored as its amud number (2a = 3, 2b = 4) so
    refs order and compare naturally. `end` equals `sections` unless the ref is a range.

    Refs order by catalog position of the work (Tanakh in canonical order first), then by place.
    """

    index: int
    sections: tuple[int, ...]
    end: tuple[int, ...]

    # ---- what it points at
    @property
    def work(self) -> Work:
        return catalog().by_index(self.index)

    @property
    def title(self) -> str:
        return self.work.title

    @property
    def is_range(self) -> bool:
        return self.end != self.sections

    @property
    def depth(self) -> int:
        return len(self.sections)

    def starting(self) -> Ref:
        """The first place of a range (the ref itself when it is not a range)."""
        return Ref(self.index, self.sections, self.sections)

    def ending(self) -> Ref:
        return Ref(self.index, self.end, self.end)

    def top(self) -> Ref:
        """The first-level unit the ref starts in: Job 8:7 → Job 8; Zohar 1:11b → Zohar 1."""
        return Ref(self.index, self.sections[:1], self.sections[:1])

    def parent(self) -> Ref:
        """One level up: Job 8:7 → Job 8; Berakhot 2a:3 → Berakhot 2a."""
        if len(self.sections) <= 1:
            return self
        up = self.sections[:-1]
        return Ref(self.index, up, up)

    def contains(self, other: Ref) -> bool:
        """Whether every place of `other` lies within this ref (Job 8 contains Job 8:7 and Job 8:3-5)."""
        if other.index != self.index:
            return False
        n, m = len(self.sections), len(self.end)
        return other.sections[:n] >= self.sections and other.end[:m] <= self.end

    # ---- formatting
    def _address(self, sections: tuple[int, ...], offset: int = 0) -> list[str]:
        kinds = self.work.kinds
        out = []
        for i, value in enumerate(sections, offset):
            kind = kinds[i] if i < len(kinds) else "segment"
            out.append(daf_text(value) if kind == "daf" else str(value))
        return out

    def _end_address(self, sep: str) -> str:
        """The end of a range without the levels it shares with the start (Genesis 1:1-3, Berakhot 5a-b)."""
        start, end = self.sections, self.end
        shared = 0
        while shared < min(len(start), len(end)) - 1 and start[shared] == end[shared]:
            shared += 1
        kinds = self.work.kinds
        tail = self._address(end[shared:], shared)
        if (
            len(end) - shared == 1
            and shared < len(kinds)
            and kinds[shared] == "daf"
            and (start[shared] + 1) // 2 == (end[shared] + 1) // 2
        ):
            tail = [tail[0][-1]]
        return sep.join(tail)

    def whole_dafs(self) -> tuple[int, int] | None:
        """The first and last daf of a ref that is whole dafs (Berakhot 2a-2b, 2a-3b), else None."""
        work = self.work
        kinds = work.kinds
        if len(self.sections) != len(self.end) or not self.sections or work.view_of is not None:
            return None  # a Yerushalmi folio's 'Berakhot 2' would read as its chapter
        level = len(self.sections) - 1
        if level >= len(kinds) or kinds[level] != "daf" or self.sections[:-1] != self.end[:-1]:
            return None
        first, last = self.sections[-1], self.end[-1]
        if first % 2 == 0 or last % 2 == 1 or last <= first:
            return None
        return (first + 1) // 2, last // 2

    def __str__(self) -> str:
        dafs = self.whole_dafs() if self.is_range else None
        if dafs is not None:  # Sefaria's normal form: 'Berakhot 2' is 2a-2b, 'Berakhot 2-3' is 2a-3b
            return self._whole_dafs(dafs, ":", self.work.title)
        text = " ".join((self.work.title, ":".join(self._address(self.sections)))).rstrip()
        if self.is_range:
            text += "-" + self._end_address(":")
        return text

    def _whole_dafs(self, dafs: tuple[int, int], sep: str, title: str) -> str:
        head = sep.join(self._address(self.sections[:-1]))
        place = f"{dafs[0]}" if dafs[0] == dafs[1] else f"{dafs[0]}-{dafs[1]}"
        joiner = " " if sep == ":" else "."
        return f"{title}{joiner}{head}{sep if head else ''}{place}"

    def url(self) -> str:
        """Sefaria's URL form: Job.8.7, Genesis.1.1-3, Tanya,_Part_I;_Likkutei_Amarim.46."""
        dafs = self.whole_dafs() if self.is_range else None
        if dafs is not None:
            return self._whole_dafs(dafs, ".", self.work.title.replace(" ", "_"))
        text = ".".join((self.work.title.replace(" ", "_"), *self._address(self.sections)))
        if self.is_range:
            text += "-" + self._end_address(".")
        return text

    def _he_address(self, sections: tuple[int, ...], offset: int = 0) -> str:
        kinds = self.work.kinds
        parts: list[str] = []
        for i, value in enumerate(sections, offset):
            kind = kinds[i] if i < len(kinds) else "segment"
            if kind == "daf":
                parts.append(_he_number((value + 1) // 2) + ("." if value % 2 else ":"))
            elif kind == "volume":
                parts.append('ח"' + _he_number(value))
            else:
                parts.append(_he_number(value))
        out = ""
        for i, part in enumerate(parts):
            if i:
                prev_kind = kinds[offset + i - 1] if offset + i - 1 < len(kinds) else ""
                out += " " if prev_kind == "volume" else ", "
            out += part
        return out

    def he(self) -> str:
        """Hebrew form: איוב ח, ז · ברכות ה. · זוהר ח"א יא: · תניא, ליקוטי אמרים מו."""
        dafs = self.whole_dafs() if self.is_range else None
        if dafs is not None:  # 'ברכות ב' is 2a-2b, 'ברכות ב-ג' 2a-3b
            head = self._he_address(self.sections[:-1])
            place = _he_number(dafs[0]) + ("" if dafs[0] == dafs[1] else "-" + _he_number(dafs[1]))
            sep = "" if not head else (" " if self.work.kinds[len(self.sections) - 2] == "volume" else ", ")
            return f"{self.work.he_title} {head}{sep}{place}"
        text = f"{self.work.he_title} {self._he_address(self.sections)}".rstrip()
        if self.is_range:
            start, end = self.sections, self.end
            shared = 0
            while shared < min(len(start), len(end)) - 1 and start[shared] == end[shared]:
                shared += 1
            text += "-" + self._he_address(end[shared:], shared)
        return text

    def __repr__(self) -> str:
        return f"Ref({str(self)!r})"


_new = object.__new__
_SET_INDEX = vars(Ref)["index"].__set__  # the slots' own setters
_SET_SECTIONS = vars(Ref)["sections"].__set__
_SET_END = vars(Ref)["end"].__set__


def new_ref(index: int, sections: tuple[int, ...], end: tuple[int, ...]) -> Ref:
    """`Ref(index, sections, end)` without the frozen dataclass's checking `__setattr__` — the parser
    builds one per reference it reads (its slots are set directly)."""
    ref: Ref = _new(Ref)
    _SET_INDEX(ref, index)
    _SET_SECTIONS(ref, sections)
    _SET_END(ref, end)
    return ref
