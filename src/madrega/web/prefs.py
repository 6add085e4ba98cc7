"""The reader's settings — niqqud, cantillation, language layout, light or dark — kept in cookies so
they hold across pages and visits, without JavaScript: an address that names one (`?niqqud=0`, the
toggle links) sets it, and every later page reads it back. JavaScript only makes switching instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

__all__ = ["LAYOUTS", "THEMES", "Prefs", "local_path", "remember", "router"]

LAYOUTS = {"side": "Side by side", "stacked": "Stacked", "he": "Hebrew", "en": "English"}
THEMES = ("auto", "light", "dark")
COOKIE_AGE = 400 * 24 * 3600  # about as long as browsers keep a cookie
_FLAGS = ("niqqud", "cantillation")

router = APIRouter()


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() not in ("0", "false", "no", "off")


@dataclass(frozen=True)
class Prefs:
    niqqud: bool = True
    cantillation: bool = True
    layout: str = "side"
    theme: str = "auto"

    @classmethod
    def of(cls, request: Request) -> Prefs:
        """The address's settings first, then the cookies', then the defaults."""
        q, c = request.query_params, request.cookies

        def pick(name: str, allowed: tuple[str, ...] | dict[str, str], default: str) -> str:
            for value in (q.get(name), c.get(name)):
                if value is not None and value in allowed:
                    return str(value)
            return default

        flags = {}
        for name in _FLAGS:
            value = _flag(q.get(name))
            flags[name] = value if value is not None else _flag(c.get(name)) is not False
        return cls(
            niqqud=flags["niqqud"],
            cantillation=flags["cantillation"],
            layout=pick("layout", LAYOUTS, "side"),
            theme=pick("theme", THEMES, "auto"),
        )


def _set(response: Response, name: str, value: str) -> None:
    response.set_cookie(name, value, max_age=COOKIE_AGE, samesite="lax", httponly=False, path="/")


def remember(request: Request, response: Response) -> Response:
    """Keep the settings the address named (so the next page, and the next visit, has them)."""
    q = request.query_params
    for name in _FLAGS:
        value = _flag(q.get(name))
        if value is not None:
            _set(response, name, "1" if value else "0")
    if q.get("layout") in LAYOUTS:
        _set(response, "layout", str(q.get("layout")))
    if q.get("theme") in THEMES:
        _set(response, "theme", str(q.get("theme")))
    return response


def local_path(value: str | None) -> str | None:
    """`value` if it is a path on this site (a way back must never lead elsewhere), else None."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    return value


@router.post("/settings", include_in_schema=False)
def save_settings(
    request: Request,
    theme: Annotated[str | None, Form()] = None,
    layout: Annotated[str | None, Form()] = None,
    back: Annotated[str | None, Form()] = None,
) -> Response:
    """The no-JavaScript way to switch light/dark or the layout: remember it and go back."""
    response = RedirectResponse(local_path(back) or "/", status_code=303)
    if theme in THEMES:
        _set(response, "theme", theme)
    if layout in LAYOUTS:
        _set(response, "layout", layout)
    return response
