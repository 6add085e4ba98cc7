"""The JSON API over a small library built in the test: every endpoint, its errors, and its safety."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import web_library
from madrega.cli import _load
from madrega.cli import app as cli_app
from madrega.web import create_app


@pytest.fixture(scope="module")
def library_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return web_library.build(tmp_path_factory.mktemp("weblib") / "lib.sqlite")


@pytest.fixture(scope="module")
def client(library_path: Path) -> Iterator[TestClient]:
    with TestClient(
        create_app(library_path), raise_server_exceptions=False, base_url="http://127.0.0.1"
    ) as c:
        yield c


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_openapi_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/documents", "/api/documents/{slug}"):
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    r = client.get("/api/no-such-thing")
    assert r.status_code == 404
    assert r.json()["error"]
    assert r.json()["suggestions"] == []


# ------------------------------------------------------------------------------- documents


def test_documents_list_and_one(client: TestClient) -> None:
    docs = client.get("/api/documents").json()
    stored = next(d for d in docs if d["title"] == "Rock and quarry")
    one = client.get(f"/api/documents/{stored['slug']}").json()
    assert one["teaches_ref"] == "Isaiah 51"
    assert one["pairs"][0]["ref"] == "Isaiah 51:1"
    assert one["pairs"][0]["translation"] == "look to the rock you were cut from"


def test_missing_document_is_404_with_suggestions(client: TestClient) -> None:
    r = client.get("/api/documents/rock-and-quary")
    assert r.status_code == 404
    assert "rock-and-quarry" in r.json()["suggestions"]


def test_import_by_upload_gives_pairs(client: TestClient) -> None:
    files = {"file": ("looking.txt", web_library.LESSON_TEXT.encode(), "text/plain")}
    r = client.post("/api/documents", files=files, data={"kind": "lesson"})
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    assert r.headers["location"] == f"/api/documents/{slug}"
    pairs = client.get(f"/api/documents/{slug}").json()["pairs"]
    assert [p["source"] for p in pairs] == ["שִׁמְעוּ אֵלַי רֹדְפֵי צֶדֶק", "הַבִּיטוּ אֶל צוּר חֻצַּבְתֶּם"]


def test_import_pasted_text(client: TestClient) -> None:
    r = client.post("/api/documents", data={"text": "A short note\n\nOn comfort, see Isaiah 51:3.\n"})
    assert r.status_code == 201, r.text
    assert r.json()["kind"] in ("article", "lesson")


def test_import_under_a_title_of_ones_own(client: TestClient, tmp_path: Path) -> None:
    """A pasted note whose first line is not its name gets the title the user gives, in the API, the
    import form and the CLI alike (each name makes its own slug)."""
    note = "notes from Tuesday\n\nOn comfort, see Isaiah 51:3.\n"
    r = client.post("/api/documents", data={"text": note, "title": "  Comfort   in Isaiah "})
    assert r.status_code == 201, r.text
    assert (r.json()["title"], r.json()["slug"]) == ("Comfort in Isaiah", "comfort-in-isaiah")
    page = client.post(
        "/documents/import", data={"text": note, "title": "Comfort, again"}, follow_redirects=False
    )
    assert page.status_code == 303 and page.headers["location"] == "/documents/comfort-again"
    untitled = client.post("/api/documents", data={"text": note, "title": "  "}).json()
    assert untitled["title"] == "notes from Tuesday"  # an empty title is no title
    path = tmp_path / "note.txt"
    path.write_text(note, encoding="utf-8")
    db = tmp_path / "cli.sqlite"
    _load(["library"])
    out = CliRunner().invoke(
        cli_app, ["library", "import", str(path), "--title", "Comfort by hand", "--db", str(db), "--json"]
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["title"] == "Comfort by hand"


@pytest.mark.parametrize(
    ("name", "body", "ctype", "status"),
    [
        ("big.txt", b"a" * (2 * 1024 * 1024 + 1), "text/plain", 413),
        ("picture.png", b"\x89PNG\r\n\x1a\n", "image/png", 415),
        ("latin1.txt", "Shalom, caf\u00e9".encode("latin-1"), "text/plain", 415),
        ("empty.txt", b"   \n", "text/plain", 400),
    ],
)
def test_bad_uploads_are_refused_clearly(
    client: TestClient, name: str, body: bytes, ctype: str, status: int
) -> None:
    before = len(client.get("/api/documents").json())
    r = client.post("/api/documents", files={"file": (name, body, ctype)})
    assert r.status_code == status
    assert name in r.json()["error"]
    assert len(client.get("/api/documents").json()) == before  # nothing was stored


def test_import_with_nothing_is_400(client: TestClient) -> None:
    r = client.post("/api/documents", data={"kind": "auto"})
    assert r.status_code == 400
    assert "paste" in r.json()["error"]


HOSTILE_HTML = """<!doctype html><html><head><title>Evil post</title>
<style>body { background: url(javascript:alert(1)) }</style>
<script>alert('x')</script></head>
<body><article><h1>Evil post</h1>
<p onclick="alert(1)" style="color:red">Look to the rock, says <a href="javascript:alert(2)">Isaiah 51:1</a>.</p>
<p><span class="he" lang="he">שִׁמְעוּ אֵלַי<sup class="footnote-marker">1</sup><i class="footnote">a note</i></span>
<img src=x onerror="alert(3)"><iframe src="https://example.com"></iframe></p>
</article></body></html>"""


def test_imported_html_is_sanitized_in_store_and_on_the_page(client: TestClient) -> None:
    r = client.post("/api/documents", files={"file": ("evil.html", HOSTILE_HTML.encode(), "text/html")})
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    stored = str(client.get(f"/api/documents/{slug}").json()["segments"]).lower()
    html = client.get(f"/documents/{slug}").text.lower()
    page = html[html.index("<main") : html.index("</main>")]
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style", "alert("):
        assert bad not in stored, bad
        assert bad not in page, bad
    assert "look to the rock" in page


# -------------------------------------------------------------------------------- practice


def test_record_a_step_and_see_it_everywhere(client: TestClient) -> None:
    r = client.post("/api/journal", data={"kind": "study", "ref": "Isaiah 51", "minutes": "15"})
    assert r.status_code == 201, r.text
    uid = r.json()["uid"]
    assert uid in [s["uid"] for s in client.get("/api/journal").json()]
    progress = client.get("/api/progress").json()
    assert progress["total"] >= 1
    # the building's shape, not every brick (the bricks are the steps: /api/journal pages them)
    assert progress["building"]["bricks"] == progress["total"] and progress["building"]["storeys"]
    svg = client.get("/api/progress/building.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert f'data-step="{uid}"' in svg.text
    today = client.get("/api/today").json()
    assert today["chumash"] and today["tehillim"].startswith("Psalms")
    assert client.get("/api/plans").json() == []


@pytest.mark.parametrize(
    ("data", "needle"),
    [({"kind": "studdy"}, "unknown kind"), ({"kind": "study", "minutes": "ten"}, "minutes")],
)
def test_bad_step_is_400_with_message(client: TestClient, data: dict[str, str], needle: str) -> None:
    r = client.post("/api/journal", data=data)
    assert r.status_code == 400
    assert needle in r.json()["error"]


# ---------------------------------------------------------------------------------- reader


def test_text_aligns_hebrew_and_english_by_ref(client: TestClient) -> None:
    data = client.get("/api/text/Isaiah%2051").json()
    assert data["ref"] == "Isaiah 51"
    first = [s for s in data["segments"] if s["ref"] == "Isaiah 51:1"]
    assert {s["lang"] for s in first} == {"he", "en"}
    assert data["prev"] == "Isaiah 50" and data["next"] == "Isaiah 52"
    assert data["rows"] == 23 and data["truncated"] is False


def test_text_preview_and_marks(client: TestClient) -> None:
    data = client.get("/api/text/Isaiah%2051:1-5?preview=1&niqqud=0").json()
    assert data["truncated"] is True
    assert len({s["ref"] for s in data["segments"]}) == 3
    he = next(s["plain"] for s in data["segments"] if s["lang"] == "he")
    assert he.startswith("שמעו אלי רדפי צדק")


def test_unknown_ref_is_404_with_suggestions(client: TestClient) -> None:
    r = client.get("/api/text/Isaxiahq%2051")
    assert r.status_code in (400, 404)
    body = r.json()
    assert body["error"] and "Isaiah" in body["suggestions"]


def test_works_and_chapters(client: TestClient) -> None:
    works = client.get("/api/works").json()
    assert "Isaiah" in [w["title"] for w in works]
    isaiah = client.get("/api/works/Isaiah").json()
    chapters = isaiah["parts"][0]["chapters"]
    assert len(chapters) == 66 and chapters[50] == {"address": "51", "ref": "Isaiah 51"}
    assert client.get("/api/works/Isaiahh").status_code == 404


# ------------------------------------------------------------------------ search, gematria


def test_hebrew_search_finds_the_verse_and_the_document(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "צור חצבתם"}).json()
    urls = {h["url"] for h in data["hits"]}
    assert "/read/Isaiah%2051%3A1" in urls
    assert any(u.startswith("/documents/") for u in urls)
    assert all("<mark>" in h["snippet"] for h in data["hits"])


def test_search_filters_and_paging(client: TestClient) -> None:
    everything = client.get("/api/search", params={"q": "rock"}).json()
    english = client.get("/api/search", params={"q": "rock", "lang": "en", "limit": 1}).json()
    assert english["total"] <= everything["total"] and len(english["hits"]) == 1
    assert client.get("/api/search", params={"q": "rock", "limit": -1}).status_code == 422


def test_gematria_value_and_methods(client: TestClient) -> None:
    data = client.get("/api/gematria", params={"q": "ספר"}).json()
    assert data["value"] == 340 and data["by_method"]["standard"] == 340
    names = [m["name"] for m in client.get("/api/gematria/methods").json()]
    assert "standard" in names and "atbash" in names
    bad = client.get("/api/gematria", params={"q": "ספר", "method": "atbsh"})
    assert bad.status_code == 400 and "atbash" in bad.json()["suggestions"]


def test_gematria_lookup_finds_words_with_the_value(client: TestClient) -> None:
    data = client.get("/api/gematria/lookup", params={"q": "שלום", "work": "Isaiah", "max_words": 1}).json()
    assert data["value"] == 376
    shalom = next(m for m in data["matches"] if m["text"] == "שלום")
    assert all(r.startswith("Isaiah ") for r in shalom["refs"])
    assert client.get("/api/gematria/lookup", params={"q": "376", "work": "Nope"}).status_code == 404


# ---------------------------------------------------------------------------------- linker


def test_link_finds_references_and_their_sources(client: TestClient) -> None:
    r = client.post("/api/link", json={"text": "As the prophet says (Isaiah 51:2), look to Abraham."})
    assert r.status_code == 200, r.text
    data = r.json()
    assert [c["ref"] for c in data["citations"]] == ["Isaiah 51:2"]
    assert 'data-ref="Isaiah 51:2"' in data["html"]
    source = data["sources"][0]
    assert source["ref"] == "Isaiah 51:2" and source["rows"][0]["en"].startswith("Look to Abraham")


def test_link_escapes_pasted_markup(client: TestClient) -> None:
    data = client.post("/api/link", json={"text": "<script>alert(1)</script> Isaiah 51:1"}).json()
    assert "<script" not in data["html"]


def test_link_rejects_empty_text(client: TestClient) -> None:
    assert client.post("/api/link", json={"text": ""}).status_code == 422
