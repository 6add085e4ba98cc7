"""The web answers of issue 19's list, one by one (the fuzz suites find their kin): each a clear 4xx
or a right answer, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from madrega.web import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(
        create_app(tmp_path / "lib.sqlite"), base_url="http://127.0.0.1", raise_server_exceptions=False
    ) as c:
        yield c


def test_a_document_with_a_hebrew_title_is_imported_once(client: TestClient) -> None:
    text = "שיעור על תשובה\n\nThe lesson begins with Isaiah 51:1.\n\nשמעו אלי רודפי צדק"
    r = client.post("/api/documents", data={"text": text, "kind": "article"})
    assert r.status_code == 201, r.text
    location = r.headers["location"]
    assert location.isascii()  # headers are Latin-1: the Hebrew slug is percent-encoded
    assert unquote(location) == f"/api/documents/{r.json()['slug']}"
    assert client.get(location).status_code == 200
    assert len(client.get("/api/documents").json()) == 1
    page = client.post(
        "/documents/import", data={"text": text + "\n\nagain", "kind": "article"}, follow_redirects=False
    )
    assert page.status_code == 303 and page.headers["location"].isascii()


@pytest.mark.parametrize("q", ["²", "①", "٣", "9" * 25, "9" * 4400])
def test_gematria_of_unicode_digits_and_huge_numbers(client: TestClient, q: str) -> None:
    for path in ("/api/gematria", "/api/gematria/lookup", "/gematria"):
        r = client.get(path, params={"q": q})
        assert 400 <= r.status_code < 500 or r.status_code == 200, (path, r.status_code, r.text[:200])


def test_search_offsets_past_two_to_the_63(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "ארץ", "offset": str(2**63)})
    assert 400 <= r.status_code < 500
    assert "error" in r.json()
