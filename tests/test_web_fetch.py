"""The web face of fetching from Sefaria: a work that is not in the library offers a button (only when
Sefaria is reachable), the fetch shows its progress, then the reader opens; web words, never a command."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from madrega import api, db
from madrega.study import library
from madrega.web.app import create_app
from madrega.web.fetch_jobs import Fetches
from madrega.web.render import TEMPLATES_DIR
from sefaria_replay import Replay, offline_client

IGGERET = "/read/Tanya%2C%20Part%20III%3B%20Iggeret%20HaTeshuvah%202"


def _app(tmp_path: Path, factory: object, probe_wait: float = 60.0) -> TestClient:
    path = tmp_path / "web.sqlite"
    api.connect(path).close()
    app = create_app(path)
    # the page waits for the look at Sefaria (a generous bound: a loaded machine is slow, never wrong)
    app.state.fetches = Fetches(path, factory, probe_wait=probe_wait)  # type: ignore[arg-type]
    return TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1")


@pytest.fixture
def online(tmp_path: Path) -> Iterator[TestClient]:
    with _app(tmp_path, lambda: Replay("tanya").client()) as c:
        yield c


def test_a_missing_work_offers_to_get_it_from_sefaria(online: TestClient) -> None:
    page = online.get(IGGERET)
    assert page.status_code == 404
    assert "is not in the library: the library is empty" in page.text
    form = re.search(
        r'<form class="fetch" method="post" action="/library/fetch">(.*?)</form>', page.text, re.S
    )
    assert form and 'name="work" value="Tanya, Part III; Iggeret HaTeshuvah"' in form.group(1)
    assert "Get it from Sefaria" in form.group(1)
    assert not re.search(r"madrega (library|fetch|init|demo|read)\b", page.text)


def test_offline_the_page_says_so_in_web_words(tmp_path: Path) -> None:
    with _app(tmp_path, offline_client) as c:
        page = c.get(IGGERET)
    assert page.status_code == 404
    assert "Sefaria cannot be reached from this computer right now" in page.text
    assert 'action="/library/fetch"' not in page.text.split("<main", 1)[1].split("Get a work", 1)[0]
    assert not re.search(r"madrega (library|fetch|init|demo|read)\b", page.text)


def test_a_slow_look_at_sefaria_does_not_hold_the_page(tmp_path: Path) -> None:
    """Offline, a name lookup can hang for seconds: the page answers without the button meanwhile,
    and offers it once the look has come back."""
    answered = threading.Event()

    def slow_client() -> httpx.Client:
        def handler(request: httpx.Request) -> httpx.Response:
            answered.wait(60)
            return httpx.Response(200, json=[])

        return httpx.Client(transport=httpx.MockTransport(handler))

    with _app(tmp_path, slow_client, probe_wait=0.01) as c:
        fetches: Fetches = c.app.state.fetches  # type: ignore[attr-defined]
        page = c.get(IGGERET)
        assert page.status_code == 404 and fetches.probing()
        assert 'action="/library/fetch"' not in page.text.split("<main", 1)[1].split("Get a work", 1)[0]
        answered.set()
        fetches.wait_probe(60)
        assert 'name="work" value="Tanya, Part III; Iggeret HaTeshuvah"' in c.get(IGGERET).text


def test_the_button_fetches_shows_progress_then_opens_the_reader(online: TestClient) -> None:
    started = online.post(
        "/library/fetch",
        data={"work": "Tanya, Part III; Iggeret HaTeshuvah", "then": IGGERET},
        follow_redirects=False,
    )
    assert started.status_code == 303
    job_id = started.headers["location"].split("/library/fetch/")[1].split("?")[0]
    fetches: Fetches = online.app.state.fetches  # type: ignore[attr-defined]
    assert fetches.wait(job_id, timeout=300).state == "done"
    done = online.get(started.headers["location"], follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == IGGERET
    page = online.get(IGGERET)
    assert page.status_code == 200
    assert "One line in the second chapter of the letter." in page.text
    sources = page.text.split('<footer class="sources"', 1)[1]
    assert "Lessons in Tanya, Kehot Publication Society" in sources and "Licence: CC-BY-NC." in sources
    assert "for non-commercial use only" in sources


def test_the_progress_page_while_a_fetch_runs(tmp_path: Path) -> None:
    reached, release = threading.Event(), threading.Event()
    replay = Replay("tanya")

    def slow(request: httpx.Request) -> httpx.Response:
        if "/api/v3/texts/" in request.url.path and len(replay.texts_requests()) == 3:
            reached.set()  # three sections are in; the fourth waits until the test has looked
            release.wait()  # set by the test, whatever happens to it
        return replay.handler(request)

    with _app(tmp_path, lambda: httpx.Client(transport=httpx.MockTransport(slow))) as c:
        started = c.post("/library/fetch", data={"work": "Tanya"}, follow_redirects=False)
        location = started.headers["location"]
        job_id = location.rsplit("/", 1)[1]
        fetches: Fetches = c.app.state.fetches  # type: ignore[attr-defined]
        try:
            _look_while_it_runs(c, location, job_id, reached)
        finally:
            release.set()
        assert fetches.wait(job_id, timeout=300).state == "done"
        assert c.get(f"/api/fetch/{job_id}").json()["url"] == "/library/Tanya"


def _look_while_it_runs(c: TestClient, location: str, job_id: str, reached: threading.Event) -> None:
    """What the pages say while the fetch waits at its fourth section (the limit only fails a fetch
    that never gets there)."""
    assert reached.wait(300)
    page = c.get(location, follow_redirects=False)
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert re.search(r'<progress max="12" value="3"', page.text) and "3 of 12 sections" in page.text
    status = c.get(f"/api/fetch/{job_id}").json()
    assert status["state"] == "running" and status["total"] == 12
    # asking again for the same work joins the running fetch
    again = c.post("/library/fetch", data={"work": "Tanya"}, follow_redirects=False)
    assert again.headers["location"] == location


def test_a_fetch_that_fails_says_why_and_offers_to_go_on(tmp_path: Path) -> None:
    with _app(tmp_path, lambda: Replay("tanya", fail_after=4).client()) as c:
        started = c.post("/library/fetch", data={"work": "Tanya"}, follow_redirects=False)
        job_id = started.headers["location"].rsplit("/", 1)[1]
        assert c.app.state.fetches.wait(job_id, timeout=300).state == "failed"  # type: ignore[attr-defined]
        page = c.get(started.headers["location"])
    assert "stopped after 4 of 12 sections of Tanya" in page.text and "Try again" in page.text
    assert not re.search(r"madrega (library|fetch|init|demo|read)\b", page.text)


def test_the_api_names_the_remedy_for_its_own_clients(online: TestClient) -> None:
    conn = api.connect(online.app.state.db_path)  # type: ignore[attr-defined]
    with db.transaction(conn):
        work = library.ensure_work(conn, "Ruth", "רות", "Tanakh")
        segments = [library.SegmentIn("Ruth 1:1", "one", "one")]
        library.write_version(
            conn,
            work_id=work,
            lang="en",
            title="t",
            source=None,
            license=None,
            segments=segments,
            fingerprint="x",
        )
    conn.close()
    answer = online.get("/api/text/Tanya%2C%20Part%20III%3B%20Iggeret%20HaTeshuvah%202")
    assert answer.status_code == 404
    body = answer.json()
    assert body["remedy"] == "fetch" and body["subject"] == "Tanya, Part III; Iggeret HaTeshuvah"
    assert "madrega " not in body["error"]


def test_no_page_template_shows_a_command() -> None:
    shown = []
    for template in sorted(TEMPLATES_DIR.glob("*.html")):
        text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        shown += [f"{template.name}: {m}" for m in re.findall(r"madrega [a-z-]+(?: [a-z-]+)?", text)]
    assert [
        s for s in shown if re.search(r"madrega (library|init|demo|read|serve|fetch|import|search|link)\b", s)
    ] == []


def test_core_messages_name_no_command() -> None:
    """Every string a core module (or a web route) can show is worded for every face: none names a CLI
    command. Docstrings and comments may; the CLI's own words and the laptop's sync client (used from
    the CLI only) are left out."""
    import ast

    core = Path(__file__).resolve().parent.parent / "src" / "madrega"
    found = []
    for module in sorted(core.rglob("*.py")):
        if {"cli", "community"} & set(module.relative_to(core).parts):
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            shown = (
                isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            )
            if shown and re.search(r"`madrega [a-z]", str(node.value)):  # type: ignore[attr-defined]
                found.append(f"{module.relative_to(core)}:{node.lineno}: {str(node.value)[:80]}")  # type: ignore[attr-defined]
    assert found == []
