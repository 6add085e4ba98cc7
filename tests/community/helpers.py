"""Helpers for the community tests: a person with their own browser, a group, a step."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from madrega.community.backend import open_backend


class Person:
    """One browser: its own cookie jar, the session's CSRF token sent on every change."""

    def __init__(self, app: FastAPI, name: str, base_url: str = "http://testserver") -> None:
        self.client = TestClient(app, raise_server_exceptions=False, base_url=base_url)
        self.name = name
        self.csrf = ""
        self.id = 0

    def signup(self, password: str = "correct horse", invitation: str | None = None) -> Person:
        self.csrf = self.client.get("/api/community/csrf").json()["csrf"]
        body: dict[str, Any] = {"name": self.name, "password": password, "display_name": self.name.title()}
        if invitation:
            body["invitation"] = invitation
        r = self.post("/api/community/signup", body)
        assert r.status_code == 201, r.text
        self.csrf = r.json()["csrf"]
        self.id = r.json()["user"]["id"]
        return self

    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf} if self.csrf else {}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.client.post(path, json=json, headers={**self.headers(), **kw.pop("headers", {})}, **kw)

    def put(self, path: str, json: Any = None) -> Any:
        return self.client.put(path, json=json, headers=self.headers())

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers())


def make_group(owner: Person, *members: Person, name: str = "Tanya class") -> int:
    """A group of `owner` (admin) with `members` joined through an invite link."""
    r = owner.post("/api/community/groups", {"name": name, "kind": "class"})
    assert r.status_code == 201, r.text
    group_id = int(r.json()["id"])
    uses = max(1, len(members))
    code = owner.post(f"/api/community/groups/{group_id}/invites", {"uses": uses}).json()["code"]
    for m in members:
        assert m.post(f"/api/community/join/{code}").status_code == 200
    return group_id


def add_step(p: Person, **fields: Any) -> dict[str, Any]:
    body = {"kind": "study", "ref": "Tanya, Part III; Iggeret HaTeshuvah 3", "minutes": 20, **fields}
    r = p.post("/api/community/steps", body)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


def open_url(url: str) -> Any:
    return open_backend(url)
