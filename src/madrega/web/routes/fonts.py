"""The Hebrew font the pages use, served from an installed package's own file (never fetched at run
time): Noto Serif Hebrew (SIL Open Font License 1.1), which draws every letter, vowel point and
cantillation mark (U+0591–U+05C7) and positions the marks (OpenType mark/mkmk), from the PyPI package
`pylopdf-fonts-he`. A machine without any Hebrew font still shows the accents, not empty boxes."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from madrega.errors import NotFound

PUBLIC = True  # served to every visitor in server mode too: the community pages draw Hebrew with it
router = APIRouter()
NAV: list[tuple[str, str]] = []

FONT_NAME = "hebrew-serif.ttf"
LICENSE = "SIL Open Font License 1.1 (Noto Serif Hebrew, The Noto Project Authors)"


def hebrew_font() -> Path:
    """The font file inside its package."""
    try:
        import pylopdf_fonts_he
    except ImportError as exc:  # pragma: no cover - a hard dependency
        raise NotFound("the Hebrew font package is not installed") from exc
    return Path(pylopdf_fonts_he.serif_path())


@router.get(f"/fonts/{FONT_NAME}", include_in_schema=False)
def font() -> Response:
    return FileResponse(
        hebrew_font(),
        media_type="font/ttf",
        headers={"Cache-Control": "public, max-age=604800", "X-Font-License": LICENSE},
    )
