"""Browser tests: a real uvicorn server (started by `madrega serve`) over a test library, driven by
Debian's headless Chromium through Playwright. Screenshots land in tests/artifacts/ (ignored by git)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

import web_library  # noqa: E402
from serving import ClockFile, madrega_serve  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = TESTS / "artifacts"
EXPECT_LIMIT = 30_000  # ms
ACTION_LIMIT = 60_000  # ms: clicks and page loads (Playwright's own default is 30 s)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def server_clock(tmp_path_factory: pytest.TempPathFactory) -> ClockFile:
    """The shared server's clock: it stands still (at the session's start) until a test moves it, so
    a test that needs time to pass moves it rather than waits for it."""
    start = datetime.now(UTC).replace(microsecond=0)
    return ClockFile(tmp_path_factory.mktemp("browser-clock") / "clock", start)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, server_clock: ClockFile) -> Iterator[str]:
    """`madrega serve` on a free loopback port over a fresh test library, its time read from
    `server_clock`; yields its base URL."""
    db = web_library.build(tmp_path_factory.mktemp("browser") / "lib.sqlite", talmud=True)
    with madrega_serve(["--db", str(db)], "server.log", env=server_clock.env) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make browsers` installs Debian's chromium")
    from playwright.sync_api import expect, sync_playwright

    # Playwright's assertions wait 5 s by default, which a loaded machine can exceed: they wait for
    # what the page shows, so a longer limit costs nothing when it is shown, and fails only a page
    # that never shows it.
    expect.set_options(timeout=EXPECT_LIMIT)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser: Any, server: str, name: str, **options: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=server, **options)
    context.set_default_timeout(ACTION_LIMIT)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page; after the test a full-page screenshot named after it goes to tests/artifacts/."""
    yield from _page(browser, server, request.node.name, viewport={"width": 1200, "height": 900})


@pytest.fixture
def wide(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page on a wide screen (1280 px), downloads allowed."""
    yield from _page(
        browser,
        server,
        f"{request.node.name}-1280",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )


@pytest.fixture
def phone(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page on a phone-sized touch screen (390 px wide)."""
    yield from _page(
        browser,
        server,
        f"{request.node.name}-390",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
