"""The community pages in a real browser, against `madrega serve --database …` (the embedded SQLite
community backend; the API tests cover PostgreSQL): signing up and in, sharing a step into a
group's feed, and a minyan confirmed the moment its tenth member joins."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from serving import HTTP_LIMIT, madrega_serve

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PASSWORD = "a long enough secret"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


class Member:
    """Someone using the JSON API as the pages' own script would: a cookie jar and its CSRF token."""

    def __init__(self, base: str, name: str) -> None:
        self.name = name
        self.http = httpx.Client(base_url=base, timeout=HTTP_LIMIT)
        anonymous = self.http.get("/api/community/csrf").json()["csrf"]
        r = self.http.post(
            "/api/community/signup",
            json={"name": name, "password": PASSWORD, "display_name": name.title()},
            headers={"X-CSRF-Token": anonymous},
        )
        assert r.status_code == 201, r.text
        self.csrf: str = r.json()["csrf"]

    def post(self, path: str, body: Any = None) -> Any:
        r = self.http.post(path, json=body, headers={"X-CSRF-Token": self.csrf})
        assert r.status_code < 300, r.text
        return r.json()

    def get(self, path: str) -> Any:
        r = self.http.get(path)
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`madrega serve --database sqlite:///…` on a free port; its first account (the admin) opens sign-up."""
    root = tmp_path_factory.mktemp("community")
    args = ["--db", str(root / "library.sqlite"), "--database", f"sqlite://{root}/community.sqlite"]
    with madrega_serve(args, "community-server.log") as base:
        admin = Member(base, unique("admin"))
        r = admin.http.put(
            "/api/community/admin/settings", json={"signup": "open"}, headers={"X-CSRF-Token": admin.csrf}
        )
        assert r.status_code == 200, r.text
        yield base


@pytest.fixture
def open_page(browser: Any, community: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """`open_page()` → a page in a fresh browser context (its own cookies); each is screenshotted at the end."""
    contexts: list[Any] = []
    errors: list[str] = []

    def make() -> Any:
        context = browser.new_context(base_url=community, viewport={"width": 1100, "height": 900})
        contexts.append(context)
        pg = context.new_page()
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        return pg

    yield make
    for i, context in enumerate(contexts):
        for pg in context.pages:
            pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}.png"), full_page=True)
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sign_up(page: Any, name: str) -> None:
    page.goto("/community")
    form = page.locator("form[action='/community/signup']")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Create my account").click()
    expect(page.locator("header")).to_contain_text(name)


def test_sign_up_sign_out_and_a_wrong_password(open_page: Any) -> None:
    page = open_page()
    name = unique("miriam")
    page.goto("/community")
    expect(page.get_by_role("heading", name="New here?")).to_be_visible()
    sign_up(page, name)
    expect(page.get_by_role("heading", name="Your groups")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "community-signed-up.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert name not in page.locator("header").inner_text()

    sign_in = page.locator("form[action='/community/login']")
    sign_in.get_by_label("Name").fill(name)
    sign_in.get_by_label("Password").fill("not my password")
    with page.expect_response("**/community/login") as answer:
        sign_in.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 401
    expect(page.locator("p.error")).to_have_text("wrong user name or password")
    assert "Traceback" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "community-wrong-password.png"), full_page=True)

    page.goto("/community")
    sign_in.get_by_label("Name").fill(name)
    sign_in.get_by_label("Password").fill(PASSWORD)
    sign_in.get_by_role("button", name="Sign in").click()
    expect(page.locator("header")).to_contain_text(name)
    expect(page.get_by_role("heading", name="Your groups")).to_be_visible()


def test_a_step_shared_into_the_group_feed_with_amen_and_answer(open_page: Any) -> None:
    rivka, sara = open_page(), open_page()
    rivka_name, sara_name = unique("rivka"), unique("sara")
    sign_up(rivka, rivka_name)
    sign_up(sara, sara_name)

    rivka.get_by_label("New group").fill("Iggeret HaTeshuvah class")
    rivka.get_by_role("button", name="Create").click()
    expect(rivka.get_by_role("heading", name="Iggeret HaTeshuvah class")).to_be_visible()
    group_url = rivka.url
    rivka.get_by_role("button", name="Make an invite link").click()
    link = rivka.locator("#invite-link").input_value()
    assert "/community/join/" in link

    sara.goto(link)
    sara.get_by_role("button", name="Join").click()
    expect(sara.get_by_role("heading", name="Iggeret HaTeshuvah class")).to_be_visible()
    expect(sara.locator("p", has_text="2 members")).to_contain_text(rivka_name)

    private = unique("only for me")
    rivka.goto("/community")
    rivka.get_by_label("What", exact=True).fill("Iggeret HaTeshuvah 3")
    rivka.get_by_label("Note", exact=True).fill(private)
    rivka.get_by_role("button", name="Add a step").click()
    expect(rivka.locator("ul li", has_text="Iggeret HaTeshuvah 3")).to_have_count(1)
    rivka.goto(group_url)
    rivka.locator("#share select").select_option(label=rivka.locator("#share option").first.inner_text())
    rivka.get_by_role("button", name="Share").click()
    expect(rivka.locator("#feed article")).to_contain_text("Iggeret HaTeshuvah 3")

    sara.goto(group_url)
    shared = sara.locator("#feed article").first
    expect(shared).to_contain_text(f"{rivka_name}: study Iggeret HaTeshuvah 3")
    expect(sara.locator("#building .brick")).to_have_count(1)
    assert private not in sara.content()
    shared.get_by_role("button", name="Amen").click()
    sara.locator("#feed article input[name=body]").first.fill("Yasher koach!")
    sara.locator("#feed article").first.get_by_role("button", name="Answer").click()
    expect(sara.locator("#feed article").first).to_contain_text(f"{sara_name}: Yasher koach!")

    rivka.reload()
    item = rivka.locator("#feed article").first
    expect(item).to_contain_text(f"Amen: 1 ({sara_name})")
    expect(item).to_contain_text(f"{sara_name}: Yasher koach!")
    assert private not in item.inner_text()


def test_a_minyan_is_confirmed_by_its_tenth_member_and_unconfirmed_when_one_withdraws(
    open_page: Any, community: str
) -> None:
    nine = [Member(community, unique(f"m{i}")) for i in range(9)]
    caller = nine[0]
    group = caller.post("/api/community/groups", {"name": "Shul on the corner", "kind": "shul"})["id"]
    invite = caller.post(f"/api/community/groups/{group}/invites", {"uses": 20})
    for m in nine[1:]:
        m.post(f"/api/community/join/{invite['code']}")
    gathering = caller.post(
        f"/api/community/groups/{group}/gatherings",
        {"title": "Mincha", "starts_at": "2031-03-02T13:30:00+02:00", "place": "the small room"},
    )
    for m in nine[1:]:
        m.post(f"/api/community/gatherings/{gathering['id']}/join")

    page = open_page()
    sign_up(page, unique("tenth"))
    page.goto(invite["link"])
    page.get_by_role("button", name="Join").click()
    card = page.locator(".gathering", has_text="Mincha")
    expect(card).to_contain_text("9 coming, 1 more needed")
    page.screenshot(path=str(ARTIFACTS / "community-minyan-one-more.png"), full_page=True)

    card.get_by_role("button", name="I'm coming").click()
    expect(card).to_contain_text("confirmed — 10 coming")
    expect(card).not_to_contain_text("more needed")
    page.screenshot(path=str(ARTIFACTS / "community-minyan-confirmed.png"), full_page=True)
    page.goto("/community")
    expect(page.locator("li", has_text="Mincha: confirmed — 10 are coming")).to_have_count(1)
    assert any("confirmed — 10" in n["body"] for n in nine[4].get("/api/community/notifications"))

    page.goto(page.url.rsplit("/community", 1)[0] + f"/community/groups/{group}")
    card.get_by_role("button", name="I can't come").click()
    expect(card).to_contain_text("9 coming, 1 more needed")
    expect(card).not_to_contain_text("confirmed")
    assert caller.get(f"/api/community/gatherings/{gathering['id']}")["confirmed"] is False
    bodies = [n["body"] for n in nine[1].get("/api/community/notifications")]
    assert bodies[0] == "Mincha: no longer confirmed — 1 more needed"


def test_a_gathering_called_through_the_group_pages_form(browser: Any, community: str) -> None:
    """The form alone (no API): the browser's own zone pre-selected, the time listed as people read it."""
    context = browser.new_context(
        base_url=community, timezone_id="Asia/Jerusalem", viewport={"width": 1100, "height": 900}
    )
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_up(page, unique("caller"))
        page.get_by_label("New group").fill("Morning learners")
        page.get_by_role("button", name="Create").click()
        expect(page.get_by_role("heading", name="Morning learners")).to_be_visible()

        gathering = page.locator("#call-gathering")
        expect(gathering.get_by_label("Time zone")).to_have_value("Asia/Jerusalem")
        gathering.get_by_label("Title").fill("Shacharit")
        gathering.get_by_label("Date and time").fill("2031-03-04T06:45")
        gathering.get_by_label("Place").fill("the small room")
        gathering.get_by_role("button", name="Call it").click()

        card = page.locator(".gathering", has_text="Shacharit")
        expect(card).to_contain_text("Tue 4 Mar 2031, 06:45 (Asia/Jerusalem)")
        expect(card).to_contain_text("1 coming, 9 more needed")
        expect(card.get_by_role("button", name="I can't come")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "community-gathering-called.png"), full_page=True)
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
