"""Templates and the presentation helpers they share (URLs for refs, text direction)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import Response

from madrega.text import hebrew

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
# Jinja2Templates autoescapes .html already; say so explicitly since user text flows through here.
templates.env.autoescape = True


def read_url(ref: str, **params: Any) -> str:
    """The reader's address for a canonical ref (`Isaiah 51` → `/read/Isaiah%2051`)."""
    url = "/read/" + quote(ref, safe="")
    query = {k: v for k, v in params.items() if v is not None}
    return url + ("?" + urlencode(query) if query else "")


def text_lang(text: str) -> str:
    """'he' when a text is mostly Hebrew, else 'en' — for lang/dir attributes."""
    return "he" if hebrew.is_hebrew(text) else "en"


def lang_attrs(text: str) -> Markup:
    if text_lang(text) == "he":
        return Markup(' lang="he" dir="rtl"')
    return Markup(' lang="en" dir="ltr"')


def url_with(request: Request, **params: Any) -> str:
    """The current address with some query parameters replaced (None removes one)."""
    query = dict(request.query_params)
    for key, value in params.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return quote(request.url.path) + ("?" + urlencode(query) if query else "")


def _safe_html(text: str) -> Markup:
    from madrega.web.present import safe_html

    return safe_html(text)


templates.env.globals.update(read_url=read_url, url_with=url_with, safe_html=_safe_html)
templates.env.filters.update(lang_attrs=lang_attrs, text_lang=text_lang)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    from madrega.web.prefs import Prefs

    context = dict(context or {})
    context.setdefault("prefs", Prefs.of(request))
    nav = getattr(request.app.state, "nav", None)
    if nav is not None:
        context.setdefault("nav", nav)  # this app's menu (a community server adds "Together")
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=headers)


def compile_templates() -> int:
    """Compile every page template now, as a server does before it prints its address, so that no first
    page waits for Jinja's compiler (a third of a second for them all). The number compiled."""
    names = [n for n in templates.env.list_templates() if n.endswith(".html")]
    for name in names:
        templates.env.get_template(name)
    return len(names)
