"""Works cited by the names or numbers of their alternate structures, read onto their own addresses.

Sefaria addresses Tikkunei Zohar by daf and Yalkut Shimoni by remez, and lays other structures over them:
the tikkunim and introductions of Tikkunei Zohar, the weekly portions of Yalkut Shimoni. A citation of one
of those ('Tikkunei Zohar 21', 'Tikkunei Zohar, Introduction', 'Yalkut Shimoni, Vayera', 'ילקוט שמעוני
וירא') is the range of the work's own addresses the structure gives, as Sefaria writes it ('Tikkunei Zohar
43a:2-64a:9'), so `Ref` stays one plain value. The data is the catalog's (`alts`, from Sefaria's index).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from madrega.errors import MadregaError
from madrega.refs.catalog import PlaceNotInWork, Work, name_key
from madrega.refs.catalog_file import catalog
from madrega.refs.ref import Ref
from madrega.text.numerals import from_hebrew

Parse = Callable[[str], Ref]

__all__ = ["alt_ref", "folio_address", "read_structure", "section_names"]

_LEAD = re.compile(
    r"^[\s,:;]*(?:(?:parashat|parshat|parashas|parshas|parsha|parasha|portion|פרשת)\s+)?", re.I
)
_NUMBERED = re.compile(
    r"^[\s,]*(?:(?P<word>[a-z\u05d0-\u05ea\"' ]+?)\s*)?(?P<n>\d+|[\u05d0-\u05ea]{1,3}[\"']?[\u05d0-\u05ea]?)$",
    re.I,
)
# An address that starts with a daf and amud: '2a', '2 a', 'ב.', 'ב:', 'ב ע"א', 'דף ב ע"ב'.
_FOLIO = re.compile(
    r"""^[\s,]*(?:(?:daf|folio|fol\.?|f\.|דף)\s*)?
    (?:\d+\s?[ab](?![a-z])|[\u05d0-\u05ea]{1,3}["']?[\u05d0-\u05ea]?(?:[.:](?![\u05d0-\u05ea])|\s*ע["']?[אב](?![\u05d0-\u05ea])|\s*עמוד\s*[אב]))""",
    re.X,
)


def folio_address(rest: str) -> bool:
    """Whether an address starts with a daf and its amud (a Yerushalmi cited by folio)."""
    return _FOLIO.match(rest) is not None


@cache
def _tables(index: int) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The named sections of a work by the key of each of their names, and its numbered structures by
    the key of the name of their unit ('tikkun')."""
    alt: dict[str, Any] = catalog().alts.get(index, {})
    named: dict[str, str] = {}
    for node in alt.get("named", ()):
        for name in (*node.get("names", ()), *node.get("he_names", ())):
            named.setdefault(name_key(name), node["ref"])
    numbered: dict[str, list[str]] = {}
    for node in alt.get("numbered", ()):
        numbered[name_key(node["name"])] = node["refs"]
    if alt.get("default"):
        numbered[""] = numbered.get(name_key(alt["default"]), [])
        for word in ("tikkun", "tikun", "tiqqun", "תיקון", "תקון"):
            numbered.setdefault(word, numbered[""])
    return named, numbered


def section_names(index: int) -> frozenset[str]:
    """The keys of the names of a work's named sections (for the linker to find them in prose)."""
    return frozenset(_tables(index)[0])


def _range(work: Work, address: str, parse: Parse) -> Ref:
    ref = parse(f"{work.title} {address}")
    return Ref(ref.index, ref.sections, ref.end)


def alt_ref(work: Work, rest: str, original: str, parse: Parse) -> Ref | None:
    """The ref a citation of an alternate section names, or None when `rest` is an ordinary address."""
    named, numbered = _tables(work.index)
    text = rest.strip(" ,.;:")
    if not text:
        return None
    lead = _LEAD.match(text)
    key = name_key(text[lead.end() if lead else 0 :])
    if key in named:
        return _range(work, named[key], parse)
    if not numbered:
        return None
    m = _NUMBERED.match(rest.strip(" ,;"))  # a '.' or ':' after the number is an amud: not a tikkun
    if m is None or (m["word"] and name_key(m["word"]) not in numbered):
        return None
    refs = numbered[name_key(m["word"] or "")]
    if not refs:
        return None
    number = m["n"]
    try:
        n = int(number) if number.isdigit() else from_hebrew(number)
    except MadregaError:  # not a number: an ordinary address, not a section
        return None
    unit = "tikkunim" if refs is numbered.get("tikkun") else "sections"
    if not 1 <= n <= len(refs) or not refs[n - 1]:
        raise PlaceNotInWork(f"{original}: {work.title} has {len(refs)} {unit}")
    return _range(work, refs[n - 1], parse)


def read_structure(work: Work, rest: str, original: str, parse: Parse) -> Ref | Work:
    """`parse` reads the address a section stands for (the parser passes itself: no import circle)."""
    """For a work with alternate structures or a folio view: the ref an alternate section names, or the
    work the address is read in (the folio view when it starts with a daf and amud)."""
    if work.index in catalog().alts:
        ref = alt_ref(work, rest, original, parse)
        if ref is not None:
            return ref
    if work.folio is not None and folio_address(rest):
        return catalog().works[work.folio]
    return work
