"""Sefaria's API replayed from answers written for the tests (tests/fixtures/sefaria/fetch/*): nothing
reaches the network. Each folder's manifest maps a request path to the file that answers it."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import httpx

FETCH = Path(__file__).resolve().parent / "fixtures" / "sefaria" / "fetch"


class Replay:
    """A MockTransport handler over recorded answers; `fail_after` texts requests, the network goes."""

    def __init__(self, *works: str, fail_after: int | None = None) -> None:
        self.answers: dict[str, Path] = {}
        for work in works:
            folder = FETCH / work
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            for path, name in manifest["responses"].items():
                self.answers[path] = folder / name
        self.fail_after = fail_after
        self.requests: list[str] = []

    def texts_requests(self) -> list[str]:
        return [r for r in self.requests if r.startswith("/api/v3/texts/")]

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = unquote(request.url.path)
        texts = path.startswith("/api/v3/texts/")
        if texts and self.fail_after is not None and len(self.texts_requests()) >= self.fail_after:
            raise httpx.ConnectError("Network is unreachable", request=request)
        self.requests.append(path)
        found = self.answers.get(path)
        if found is None:
            return httpx.Response(404, json={"error": f"Could not find {path.rsplit('/', 1)[-1]}"})
        return httpx.Response(200, content=found.read_bytes(), headers={"content-type": "application/json"})

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler), base_url="https://www.sefaria.org")


def offline_client() -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    return httpx.Client(transport=httpx.MockTransport(handler))
