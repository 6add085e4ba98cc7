"""Domain errors carry a kind; only the faces turn kinds into HTTP statuses (and exit codes)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from madrega import errors
from madrega.community import accounts, backend, groups
from madrega.community import app as community_app
from madrega.errors import ErrorKind
from madrega.web import app as web_app

SRC = Path(__file__).resolve().parents[1] / "src" / "madrega"
# The faces: the CLI, the web app, and the community's own HTTP face beside its core.
FACES = ("cli", "web", "community/http.py", "community/app.py", "community/api.py", "community/pages.py")


def _core_modules() -> list[Path]:
    return [
        p
        for p in sorted(SRC.rglob("*.py"))
        if not any(p.relative_to(SRC).as_posix().startswith(face) for face in FACES)
    ]


@pytest.mark.parametrize("table", [web_app.STATUS_OF_KIND, community_app.STATUS_OF_KIND])
def test_each_face_answers_every_kind(table: dict[ErrorKind, int]) -> None:
    assert set(table) == set(ErrorKind)
    assert all(400 <= status < 600 for status in table.values())


def test_the_two_http_faces_differ_only_in_how_they_answer_an_invalid_value() -> None:
    differ = {k for k in ErrorKind if web_app.STATUS_OF_KIND[k] != community_app.STATUS_OF_KIND[k]}
    assert differ == {ErrorKind.INVALID}
    assert (web_app.STATUS_OF_KIND[ErrorKind.INVALID], community_app.STATUS_OF_KIND[ErrorKind.INVALID]) == (
        400,
        422,
    )


@pytest.mark.parametrize(
    ("community_class", "generic", "kind", "status"),
    [
        (backend.CommunityError, errors.MadregaError, ErrorKind.INVALID, 422),
        (backend.NotFound, errors.NotFound, ErrorKind.NOT_FOUND, 404),
        (groups.GroupNotFound, errors.NotFound, ErrorKind.NOT_FOUND, 404),
        (backend.Conflict, errors.Conflict, ErrorKind.CONFLICT, 409),
        (backend.TooLarge, errors.TooLarge, ErrorKind.TOO_LARGE, 413),
        (backend.Unavailable, errors.Unavailable, ErrorKind.UNAVAILABLE, 503),
        (accounts.Unauthorized, errors.Unauthorized, ErrorKind.UNAUTHORIZED, 401),
        (accounts.Forbidden, errors.Forbidden, ErrorKind.FORBIDDEN, 403),
        (accounts.TooManyAttempts, errors.TooMany, ErrorKind.TOO_MANY, 429),
    ],
)
def test_community_errors_are_the_core_kinds(
    community_class: type[backend.CommunityError],
    generic: type[errors.MadregaError],
    kind: ErrorKind,
    status: int,
) -> None:
    error = community_class("what went wrong")
    assert isinstance(error, generic) and isinstance(error, backend.CommunityError)
    assert error.kind is kind
    assert community_app.status_of(error) == status
    assert not hasattr(error, "status")


def _statuses_named(path: Path, root: Path = SRC) -> list[str]:
    """Where a core module gives an error an HTTP status: a `status=` argument in a raise, or a
    `status` attribute on a class."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            for call in ast.walk(node.exc):
                if isinstance(call, ast.Call) and any(k.arg == "status" for k in call.keywords):
                    found.append(f"{path.relative_to(root)}:{node.lineno} raises with status=")
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                targets = item.targets if isinstance(item, ast.Assign) else []
                if isinstance(item, ast.AnnAssign):
                    targets = [item.target]
                if any(isinstance(t, ast.Name) and t.id == "status" for t in targets):
                    found.append(f"{path.relative_to(root)}:{item.lineno} class {node.name} names a status")
    return found


def test_the_core_names_no_http_status() -> None:
    modules = _core_modules()
    assert any(p.name == "accounts.py" for p in modules)  # the community's core is looked at
    named = [where for p in modules for where in _statuses_named(p)]
    assert named == []


def test_the_check_sees_a_status(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("class E(Exception):\n    status = 404\n\n\ndef f():\n    raise E('x', status=422)\n")
    assert _statuses_named(sample, tmp_path) == [
        "sample.py:2 class E names a status",
        "sample.py:6 raises with status=",
    ]
