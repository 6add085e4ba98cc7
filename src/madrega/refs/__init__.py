"""References to the works of the tradition: the catalog of works and the `Ref` type.

    >>> from madrega.refs import parse
    >>> ref = parse("Iyov (Job) 8:7")
    >>> str(ref), ref.he(), ref.url()
    ('Job 8:7', 'איוב ח, ז', 'Job.8.7')

Canonical strings are Sefaria's. The catalog is data (data/catalog.json): adding a work is adding an
entry there.
"""

from __future__ import annotations

from madrega.refs.catalog import AmbiguousRef, Catalog, Group, PlaceNotInWork, RefError, Work, name_key
from madrega.refs.catalog_file import catalog
from madrega.refs.parser import describe, make, parse, validate
from madrega.refs.ref import Ref, daf_text

__all__ = [
    "AmbiguousRef",
    "Catalog",
    "Group",
    "PlaceNotInWork",
    "Ref",
    "RefError",
    "Work",
    "catalog",
    "daf_text",
    "describe",
    "make",
    "name_key",
    "parse",
    "validate",
]
