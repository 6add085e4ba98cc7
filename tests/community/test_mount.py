"""`mount_community` on the full madrega web app: the reader keeps working, the community answers."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from madrega.community import accounts
from madrega.community.app import mount_community
from madrega.web import create_app


def test_mounted_on_the_web_app(tmp_path: Path) -> None:
    app = create_app(tmp_path / "single-user.sqlite")
    cfg = mount_community(
        app, f"sqlite://{tmp_path}/community.sqlite", secure_cookies=False, hasher=accounts.fast_hasher()
    )
    try:
        client = TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1")
        assert client.get("/healthz").json() == {"status": "ok"}
        r = client.get("/api/community/groups")
        assert r.status_code == 401 and r.json()["error"] == "sign in first"
        page = client.get("/community")
        assert page.status_code == 200 and "Sign in" in page.text
        assert page.headers.get("x-frame-options") == "DENY"
        r = client.post("/api/community/groups", content=b"x" * 2_000_000)
        assert r.status_code == 413
        assert 'href="/community/assets/community.css"' in page.text
        assert client.get("/community/assets/style.css").status_code == 200  # the reader's, underneath
        css = client.get("/community/assets/community.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
        assert 'href="/community">Together</a>' in client.get("/").text  # the reader's menu leads there
        assert client.get("/community/assets/..%2Fapi.py").status_code == 404
    finally:
        cfg.backend.close()


def test_an_app_without_a_community_has_no_together_link(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "single-user.sqlite"), base_url="http://127.0.0.1")
    assert "Together" not in client.get("/").text
