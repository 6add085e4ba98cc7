"""The reader as a study tool, without a browser: pages read stored anchors (no linking on GET), the
connections panel counts what the anchors say, settings persist, a followed citation leads back."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import web_library
from madrega import api
from madrega.study import linker
from madrega.study.linker import references
from madrega.web import create_app


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return web_library.build(tmp_path_factory.mktemp("webreader") / "lib.sqlite")


@pytest.fixture(scope="module")
def client(path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(path), raise_server_exceptions=False, base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture
def fresh(client: TestClient) -> TestClient:
    client.cookies.clear()
    return client


@pytest.fixture
def linker_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call of the linker (whole texts, or written references alone) made while a test runs."""
    calls: list[str] = []
    real_link, real_refs = linker.link, references.find_references

    def counting_link(text: str, **kw: Any) -> Any:
        calls.append("link with quotations" if kw.get("conn") is not None else "link")
        return real_link(text, **kw)

    def counting_refs(text: str, **kw: Any) -> Any:
        calls.append("references")
        return real_refs(text, **kw)

    monkeypatch.setattr(linker, "link", counting_link)
    monkeypatch.setattr(references, "find_references", counting_refs)
    return calls


def test_a_document_page_links_nothing_on_get(fresh: TestClient, linker_calls: list[str]) -> None:
    html = fresh.get("/documents/rock-and-quarry").text
    assert 'data-ref="Isaiah 51:2"' in html  # its citation is a link, read from the stored anchors
    data = fresh.get("/api/documents/rock-and-quarry").json()
    # the commentary's written reference, and the translation's words of the English Isaiah 51:1
    assert [c["ref"] for s in data["citations"] for c in s["citations"]] == ["Isaiah 51:1", "Isaiah 51:2"]
    assert linker_calls == []


def test_a_linked_chapter_links_nothing_on_get(fresh: TestClient, linker_calls: list[str]) -> None:
    assert fresh.get("/read/Isaiah%2051").status_code == 200
    assert fresh.get("/read/Isaiah%2051%3A2").status_code == 200
    assert linker_calls == []


def _panel_counts(html: str) -> dict[str, int]:
    panel = html[html.index('<aside class="connections"') : html.index("</aside>")]
    return {
        name: int(count)
        for name, count in re.findall(
            r'data-group="([^"]+)".*?<span class="count"[^>]*>(\d+)</span>', panel, flags=re.S
        )
    }


def test_the_panel_counts_equal_the_anchors(fresh: TestClient, path: Path) -> None:
    html = fresh.get("/read/Isaiah%2051%3A2").text
    conn = api.connect(path)
    anchors = linker.cited_by(conn, "Isaiah 51:2")
    assert anchors and _panel_counts(html) == {"Your documents": len(anchors)}
    assert "Rock and quarry" in html[html.index('<aside class="connections"') :]
    data = fresh.get("/api/connections/Isaiah%2051%3A2").json()
    assert data["total"] == len(anchors) == sum(g["count"] for g in data["groups"])
    item = data["groups"][0]["items"][0]
    assert item["document"] == "rock-and-quarry" and item["quote"] == "Isaiah 51:2"
    assert data["linking"] is None  # everything is linked


def test_a_verse_nobody_cites_says_so(fresh: TestClient) -> None:
    html = fresh.get("/read/Isaiah%2051%3A3").text
    assert "No text in the library cites or quotes Isaiah 51:3" in html


def test_the_panel_links_lead_back_to_the_verse(fresh: TestClient) -> None:
    html = fresh.get("/read/Isaiah%2051%3A2").text
    link = re.search(r'<a class="source" href="([^"]+)">Rock and quarry', html)
    assert link and link.group(1).startswith("/documents/rock-and-quarry?back=")
    page = fresh.get(link.group(1).replace("&amp;", "&")).text
    back = re.search(r'<a class="back" href="([^"]+)"', page)
    assert back and back.group(1) == "/read/Isaiah%2051%3A2#connections"


def test_a_way_back_never_leads_off_the_site(fresh: TestClient) -> None:
    for bad in ("https://example.org/", "//example.org/x", "javascript:alert(1)"):
        html = fresh.get("/read/Isaiah%2051%3A2", params={"back": bad}).text
        assert 'class="back"' not in html


def test_settings_persist_across_pages(fresh: TestClient) -> None:
    fresh.get("/read/Isaiah%2051?niqqud=0&layout=stacked")
    html = fresh.get("/read/Isaiah%2052").text  # no settings in this address: the cookies keep them
    verse = html[html.index('id="s-52-1"') :]
    assert "niqqud=1" in html and 'class="passage stacked"' in html
    from madrega.text import hebrew

    assert not hebrew.has_niqqud(verse[: verse.index("</p>")])


def test_dark_mode_without_javascript(fresh: TestClient) -> None:
    r = fresh.post("/settings", data={"theme": "dark", "back": "/library"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/library"
    assert '<html lang="en" data-theme="dark">' in fresh.get("/library").text
    r = fresh.post(
        "/settings", data={"theme": "dark", "back": "https://example.org/"}, follow_redirects=False
    )
    assert r.headers["location"] == "/"


def test_a_chapter_still_queued_is_linked_on_view_for_references_only(
    path: Path, tmp_path: Path, linker_calls: list[str]
) -> None:
    conn = api.connect(path)
    from madrega import db
    from madrega.study.linker import stage

    with db.transaction(conn):
        vid = conn.execute(
            "SELECT v.id FROM versions v JOIN works w ON w.id = v.work_id WHERE w.title = 'Isaiah' AND v.lang = 'en'"
        ).fetchone()[0]
        stage.queue(conn, "version", [vid])
    try:
        with TestClient(create_app(path), base_url="http://127.0.0.1") as c:
            html = c.get("/read/Isaiah%2051").text
        assert "Connections are still being built" in html
        assert "link" in linker_calls and "link with quotations" not in linker_calls
    finally:
        with db.transaction(conn):
            conn.execute("DELETE FROM link_queue")
        conn.close()
