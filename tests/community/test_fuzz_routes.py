"""Every route of the served app — the single-user pages and API and the community, as `madrega
serve --database` mounts them — driven with generated input in every path parameter, query
parameter, form field and JSON field (Unicode digits, huge numbers, offsets past 2^63, NUL, lone
surrogates, calendar edges, deep nesting), on SQLite and PostgreSQL: never a 500, and every API
refusal says what is wrong (`{"error": …}`). The caller is the server's admin, signed in, and a
member of a group, so each request reaches as deep into the core as a person's could."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from madrega.community import accounts
from madrega.community.app import mount_community
from madrega.web import create_app

from .conftest import BACKENDS
from .helpers import Person

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
from fuzz_inputs import weird_text  # noqa: E402

TEXT = weird_text(nul=True)
NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([2**63, 2**64, -(2**63) - 1, 10**30])
)
DEEP_JSON = "[" * 990 + "]" * 990
DEEP_OBJECT = '{"a":' * 990 + "1" + "}" * 990
SKIP = {"/docs", "/redoc", "/docs/oauth2-redirect", "/openapi.json", "/static"}
LAST = ("/logout", "/me/delete")  # they end the caller's session: fuzzed after the rest


def _all_routes(app: FastAPI) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in app.routes:
        contexts = route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]
        for ctx in contexts:
            original = getattr(ctx, "original_route", ctx)
            if isinstance(original, APIRoute) and original.path not in SKIP:
                found.append(original)
    return found


def _schema(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of every route, the pages' too (they are kept out of the public one)."""
    routes = []
    for route in _all_routes(app):
        shown = copy.copy(route)
        shown.include_in_schema = True
        routes.append(shown)
    return get_openapi(title="fuzz", version="0", routes=routes)


@pytest.fixture(scope="module")
def library_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import web_library

    return web_library.build(tmp_path_factory.mktemp("fuzz-web") / "library.sqlite")


class Served:
    def __init__(self, app: FastAPI, admin: Person, ids: dict[str, str]) -> None:
        self.app = app
        self.admin = admin
        self.ids = ids
        self.schema = _schema(app)

    def sign_in(self) -> None:
        p = self.admin
        p.client.cookies.clear()
        p.csrf = p.client.get("/api/community/csrf").json()["csrf"]
        r = p.post("/api/community/login", {"name": p.name, "password": "correct horse"})
        assert r.status_code == 200, r.text
        p.csrf = r.json()["csrf"]


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest, library_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("fuzz-served")
    import built_once

    lib = built_once.copy_to(library_file, root / "library.sqlite")  # with its index files, as built
    if request.param == "sqlite":
        url = f"sqlite://{root}/community.sqlite"
    else:
        import uuid

        url = request.getfixturevalue("pg_cluster").create_schema("f_" + uuid.uuid4().hex[:12])
    app = create_app(lib, operator_only=True)
    cfg = mount_community(app, url, secure_cookies=False, hasher=accounts.fast_hasher())
    admin = Person(app, "root", base_url="http://127.0.0.1").signup()
    original = accounts.MAX_FAILURES_PER_IP, accounts.MAX_FAILURES_PER_ACCOUNT
    accounts.MAX_FAILURES_PER_IP = accounts.MAX_FAILURES_PER_ACCOUNT = (
        10**6
    )  # fuzzed logins never lock us out
    group = admin.post("/api/community/groups", {"name": "Fuzz"}).json()["id"]
    step = admin.post("/api/community/steps", {"kind": "study"}).json()
    shared = admin.post(f"/api/community/groups/{group}/shared", {"step_uid": step["uid"]}).json()
    ids = {"group_id": str(group), "shared_id": str(shared["id"]), "uid": step["uid"]}
    yield Served(app, admin, ids)
    accounts.MAX_FAILURES_PER_IP, accounts.MAX_FAILURES_PER_ACCOUNT = original
    cfg.backend.close()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    ops = [
        (method.upper(), path, op) for path, item in schema["paths"].items() for method, op in item.items()
    ]
    return sorted(ops, key=lambda o: (o[1].endswith(LAST), o[1], o[0]))


def _body_fields(schema: dict[str, Any], op: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The body's media type and its fields' schemas (resolving $ref)."""
    content = op.get("requestBody", {}).get("content", {})
    for media in ("application/json", "application/x-www-form-urlencoded", "multipart/form-data"):
        if media in content:
            body = content[media]["schema"]
            if "$ref" in body:
                body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
            return media, body.get("properties", {})
    return None, {}


def _value(field: dict[str, Any], draw: Any) -> Any:
    kinds = {field.get("type")} | {a.get("type") for a in field.get("anyOf", [])}
    if "array" in kinds:
        return draw(st.lists(TEXT, max_size=3))
    if "integer" in kinds or "number" in kinds:
        return draw(st.one_of(NUMBER, TEXT))
    if "boolean" in kinds:
        return draw(st.one_of(st.booleans(), TEXT))
    return draw(TEXT)


def _json_text(value: Any) -> str:
    """JSON as a client may send it: `\\ud800` escapes carry lone surrogates, which httpx cannot encode."""
    return json.dumps(value, ensure_ascii=True)


def _url_part(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _check(response: Any, where: str) -> None:
    shown = f"{where} → {response.status_code} {response.text[:300]!r}"
    assert response.status_code < 500, shown
    if response.status_code >= 400 and where.split()[1].startswith("/api/"):
        body = response.json()
        assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], shown


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "operation" in metafunc.fixturenames:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            app = create_app(Path(tmp) / "x.sqlite", operator_only=True)
            cfg = mount_community(app, f"sqlite://{tmp}/c.sqlite", hasher=accounts.fast_hasher())
            ops = [f"{m} {p}" for m, p, _ in _operations(_schema(app))]
            cfg.backend.close()
        metafunc.parametrize("operation", ops)


EXAMPLES = settings(
    max_examples=5,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_route_answers_every_input(served: Served, operation: str) -> None:
    method, path = operation.split(" ", 1)
    op = served.schema["paths"][path][method.lower()]
    media, fields = _body_fields(served.schema, op)
    params = [p for p in op.get("parameters", []) if p["in"] in ("path", "query")]
    served.sign_in()
    client, headers = served.admin.client, served.admin.headers()

    @EXAMPLES
    @given(data=st.data(), keep_ids=st.booleans())
    def run(data: Any, keep_ids: bool) -> None:
        url, query = path, {}
        for p in params:
            value = served.ids.get(p["name"]) if keep_ids and p["in"] == "path" else None
            value = value if value is not None else str(_value(p.get("schema", {}), data.draw))
            if p["in"] == "path":
                url = url.replace("{" + p["name"] + "}", _url_part(value) or "x")
            else:
                query[p["name"]] = value
        if query:
            url += "?" + urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in query.items()})
        kwargs: dict[str, Any] = {"headers": dict(headers), "follow_redirects": False}
        if media == "application/json":
            body = {name: _value(f, data.draw) for name, f in fields.items()}
            kwargs["content"] = _json_text(body)
            kwargs["headers"]["content-type"] = "application/json"
        elif media is not None:
            form = {name: str(_value(f, data.draw)) for name, f in fields.items() if name != "file"}
            kwargs["content"] = urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in form.items()})
            kwargs["headers"]["content-type"] = "application/x-www-form-urlencoded"
        _check(client.request(method, url, **kwargs), f"{method} {url[:200]}")

    run()
    if media == "application/json":  # nested past any parser's recursion limit
        filled = path
        for p in params:
            filled = filled.replace("{" + p["name"] + "}", served.ids.get(p["name"], "1"))
        for deep in (DEEP_JSON, DEEP_OBJECT, '{"events": ' + DEEP_JSON + "}"):
            r = client.request(
                method, filled, content=deep, headers={**headers, "content-type": "application/json"}
            )
            _check(r, f"{method} {filled} (nested 990 deep)")
