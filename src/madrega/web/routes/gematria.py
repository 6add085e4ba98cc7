"""Gematria: the value of a word by every method, and the words in the library that share it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from madrega import gematria

router = APIRouter()
NAV = [("Gematria", "/gematria")]

Method = Annotated[str, Query(description="one of the gematria methods (see /api/gematria/methods)")]
DEFAULT_METHOD = "standard"


@router.get("/api/gematria/methods", tags=["gematria"], summary="The gematria methods")
def api_methods() -> list[str]:
    return list(gematria.METHODS)


@router.get("/api/gematria", tags=["gematria"], summary="Value of a Hebrew word or phrase")
def api_value(q: Annotated[str, Query(min_length=1)], method: Method = DEFAULT_METHOD) -> dict[str, Any]:
    return {"text": q, "method": method, "value": gematria.value(q, method)}
