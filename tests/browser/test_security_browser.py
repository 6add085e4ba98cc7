"""In a real browser: a page on another localhost port cannot write to the single-user app, and
the invitation flows of a community server work from its pages alone — the admin page, a group's
invite links (limited, revocable, dead for a removed member), a visitor signing up from a link,
a password reset and logging a computer out. Screenshots, wide and 390 px, go to tests/artifacts/."""

from __future__ import annotations

import http.server
import threading
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
WIDTHS = {"wide": 1200, "phone": 390}


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"


def shots(page: Any, name: str) -> None:
    """The page as it is now, full length, at a desktop width and at a phone's."""
    ARTIFACTS.mkdir(exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"security-{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["wide"], "height": 900})


# ---------------------------------------------------------------- a cross-origin page


@pytest.fixture
def attacker(tmp_path: Path, server: str) -> Iterator[str]:
    """Another web site on this machine (another port): its page writes to madrega two ways."""
    (tmp_path / "attack.html").write_text(
        f"""<!doctype html><meta charset="utf-8"><title>free recipes</title>
<p id="status">loading</p>
<form id="plant" method="post" action="{server}/journal">
<input name="kind" value="study"><input name="note" value="PLANTED-BY-FORM"></form>
<script>
fetch("{server}/api/journal", {{method: "POST", mode: "no-cors", credentials: "include",
  body: new URLSearchParams({{kind: "study", note: "PLANTED-BY-FETCH"}})}})
  .catch(() => null)
  .finally(() => {{ document.getElementById("status").textContent = "sent";
                   document.getElementById("plant").submit(); }});
</script>""",
        encoding="utf-8",
    )

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, directory=str(tmp_path), **kw)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)  # bound now: no port to race for
    port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_page_on_another_localhost_port_cannot_write(browser: Any, server: str, attacker: str) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        with page.expect_navigation(url=f"{server}/journal") as nav:
            page.goto(f"{attacker}/attack.html")
        response = nav.value
        assert response is not None and response.status == 403
        expect(page.locator("body")).to_contain_text("another site")
        shots(page, "cross-origin-refused")
    finally:
        context.close()
    steps = httpx.get(f"{server}/api/journal", timeout=HTTP_LIMIT).json()
    assert not any("PLANTED" in str(s.get("note")) for s in steps), steps
    # The app's own page still writes.
    own = browser.new_context(base_url=server)
    try:
        page = own.new_page()
        page.goto("/journal")
        note = unique("mine-")
        form = page.locator("form[action='/journal']").first
        form.locator("[name=kind]").select_option("study")
        form.locator("[name=note]").fill(note)
        form.locator("button[type=submit], button").first.click()
        page.wait_for_load_state()
    finally:
        own.close()
    assert any(s.get("note") == note for s in httpx.get(f"{server}/api/journal", timeout=HTTP_LIMIT).json())


# ---------------------------------------------------------------- the invitation flows


@pytest.fixture(scope="module")
def shul(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("shul")
    args = ["--db", str(root / "library.sqlite"), "--database", f"sqlite://{root}/community.sqlite"]
    with madrega_serve(args, "security-server.log") as base:
        yield base


@pytest.fixture
def people(browser: Any, shul: str) -> Iterator[Any]:
    contexts: list[Any] = []
    errors: list[str] = []

    def make() -> Any:
        context = browser.new_context(base_url=shul, viewport={"width": 1200, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _sign_in(page: Any, name: str, password: str = PASSWORD) -> None:
    page.goto("/community")
    form = page.locator("form[action='/community/login']")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()
    expect(page.locator("header")).to_contain_text(name)


def test_invitations_from_the_pages(people: Any, shul: str) -> None:
    # The first account is the server's admin.
    admin = people()
    admin_name = unique("admin")
    admin.goto("/community")
    signup = admin.locator("form[action='/community/signup']")
    signup.get_by_label("Name").fill(admin_name)
    signup.get_by_label("Password").fill(PASSWORD)
    signup.get_by_role("button", name="Create my account").click()
    expect(admin.locator("header")).to_contain_text(admin_name)

    # The admin page: sign-up is by invitation; a sign-up code is made and shown once.
    admin.get_by_role("link", name="server admin").click()
    expect(admin.get_by_role("heading", name="Server admin")).to_be_visible()
    expect(admin.locator("#settings")).to_contain_text("now: by invitation")
    admin.locator("#invitations").get_by_role("button", name="Make a sign-up code").click()
    code = admin.locator("#invitation-code").input_value()
    assert len(code) > 20

    # Someone signs up with the code on the ordinary sign-up form.
    dovid, dovid_name = people(), unique("dovid")
    dovid.goto("/community")
    form = dovid.locator("form[action='/community/signup']")
    form.get_by_label("Name").fill(dovid_name)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_label("Invitation code").fill(code)
    form.get_by_role("button", name="Create my account").click()
    expect(dovid.locator("header")).to_contain_text(dovid_name)

    admin.goto("/community/admin")
    expect(admin.locator("#invitations tbody tr").first).to_contain_text(f"used ({dovid_name})")
    admin.locator("#invitations").get_by_role("button", name="Make a sign-up code").click()
    admin.goto("/community/admin")
    admin.locator("#invitations tbody tr").first.get_by_role("button", name="Revoke").click()
    expect(admin.locator("#invitations tbody tr").first).to_contain_text("revoked")
    shots(admin, "admin-page")

    # A group, and an invite link for two people.
    admin.goto("/community")
    admin.get_by_label("New group").fill("Tanya class")
    admin.get_by_role("button", name="Create").click()
    group_url = admin.url
    invites = admin.locator("#invites")
    invites.get_by_label("For how many people").fill("2")
    invites.get_by_role("button", name="Make an invite link").click()
    link = admin.locator("#invite-link").input_value()
    assert "/community/join/" in link

    # A visitor with no account opens it, signs up right there, and lands in the group.
    visitor, visitor_name = people(), unique("miriam")
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Join Tanya class")).to_be_visible()
    shots(visitor, "join-link-visitor")
    join = visitor.locator("#join-signup")
    join.get_by_label("Name").fill(visitor_name)
    join.get_by_label("Password").fill(PASSWORD)
    join.get_by_role("button", name="Create my account and join").click()
    expect(visitor.get_by_role("heading", name="Tanya class")).to_be_visible()
    expect(visitor.locator("p", has_text="2 members")).to_contain_text(admin_name)

    # Dovid already has an account: signed out, he signs in on the link's page and joins.
    dovid.get_by_role("button", name="Sign out").click()
    dovid.goto(link)
    login = dovid.locator("#join-login")
    login.get_by_label("Name").fill(dovid_name)
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Sign in and join").click()
    expect(dovid.locator("p", has_text="3 members")).to_be_visible()

    # The link is used up; the admin sees it on the group page.
    admin.goto(group_url)
    expect(admin.locator("#invites li").first).to_contain_text("2 of 2 used")
    late = people()
    late.goto(link)
    expect(late.locator("body")).to_contain_text("not valid")

    # The admin removes the visitor; a new, long-lived link does not let a removed member back in
    # unless it was made after the removal — and a revoked link lets nobody in.
    invites = admin.locator("#invites")
    invites.get_by_label("For how many people").fill("10")
    invites.get_by_role("button", name="Make an invite link").click()
    old_link = admin.locator("#invite-link").input_value()
    admin.goto(group_url)
    admin.locator("#members summary").click()
    admin.get_by_role("button", name=f"Remove {visitor_name.title()}").click()
    expect(admin.locator("p", has_text="2 members")).to_be_visible()
    shots(admin, "group-invites")
    visitor.goto(old_link)
    visitor.get_by_role("button", name="Join Tanya class").click()
    expect(visitor.locator("body")).to_contain_text("you were removed from this group")
    admin.goto(group_url)
    admin.locator("#invites li", has_text="0 of 10 used").get_by_role("button", name="Revoke").click()
    expect(admin.locator("#invites li").first).to_contain_text("revoked")
    late.goto(old_link)
    expect(late.locator("body")).to_contain_text("not valid")

    # A password reset from the admin page; the member sets a new one on the sign-in page.
    admin.goto("/community/admin")
    admin.locator("#members tr", has_text=dovid_name).get_by_role(
        "button", name="Password reset code"
    ).click()
    reset_code = admin.locator("#reset-code").input_value()
    shots(admin, "reset-code")
    forgot = people()
    forgot.goto("/community")
    reset = forgot.locator("#reset")
    reset.get_by_label("Name").fill(dovid_name)
    reset.get_by_label("Reset code").fill(reset_code)
    reset.get_by_label("New password").fill("a different long secret")
    reset.get_by_role("button", name="Set my new password").click()
    expect(forgot.locator("header")).to_contain_text(dovid_name)
    dovid.goto("/community")  # his old session ended with the reset
    expect(dovid.get_by_role("heading", name="Sign in")).to_be_visible()

    # A computer logged in with `madrega login` shows on the home page and is logged out from there.
    token = httpx.post(
        f"{shul}/api/community/token",
        json={"name": dovid_name, "password": "a different long secret", "label": "madrega cli (laptop)"},
        timeout=HTTP_LIMIT,
    ).json()["token"]
    assert (
        httpx.get(
            f"{shul}/api/community/steps", headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_LIMIT
        ).status_code
        == 200
    )
    forgot.goto("/community#tokens")
    forgot.reload()  # the same page: a new fragment alone would not fetch it again
    tokens = forgot.locator("#tokens + p + ul")
    expect(tokens).to_contain_text("madrega cli (laptop)")
    shots(forgot, "home-tokens")
    tokens.get_by_role("button", name="Log it out").click()
    expect(forgot.locator("#tokens + p + ul")).to_contain_text("None.")
    assert (
        httpx.get(
            f"{shul}/api/community/steps", headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_LIMIT
        ).status_code
        == 401
    )

    # The server's own library is the admin's: a member is refused, a visitor is sent to sign in.
    forgot.goto("/journal")
    expect(forgot.locator("body")).to_contain_text("only the server's admin")
    late.goto("/journal")
    expect(late.get_by_role("heading", name="Sign in")).to_be_visible()
    admin.goto("/journal")
    expect(admin.locator("h1")).to_be_visible()
    assert "only the server's admin" not in admin.content()
