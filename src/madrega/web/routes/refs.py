"""References and numerals over HTTP: the JSON twins of `madrega ref` and `madrega numeral`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from madrega import refs
from madrega.text import numerals

router = APIRouter()
NAV: list[tuple[str, str]] = []


@router.get("/api/ref", tags=["refs"], summary="Read references: canonical English, Hebrew and URL form")
def api_ref(
    q: Annotated[list[str], Query(min_length=1, description="a reference; repeat q for several")],
) -> list[dict[str, Any]]:
    return [refs.describe(text) for text in q]


@router.get("/api/numeral", tags=["refs"], summary="Hebrew numerals both ways: 5785 ↔ ה׳תשפ״ה")
def api_numeral(
    q: Annotated[str, Query(min_length=1, description="a number or a Hebrew numeral")],
    ascii: Annotated[bool, Query(description="geresh and gershayim as ' and \"")] = False,
    thousands: Annotated[bool, Query(description="write the thousands (5785 → ה׳תשפ״ה)")] = True,
) -> dict[str, Any]:
    return numerals.convert(q, geresh_style="ascii" if ascii else "hebrew", thousands=thousands)
