"""The web face: a FastAPI app with server-rendered pages and a JSON API over the same core as the CLI."""

from __future__ import annotations

from madrega.web.app import create_app

__all__ = ["create_app"]
