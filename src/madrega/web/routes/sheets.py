"""Source sheets: pages and API (see madrega.study.sheets)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
NAV = [("Sheets", "/sheets")]
