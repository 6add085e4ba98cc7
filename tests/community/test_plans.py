"""Group study plans: portions taken and done, and a siyum exactly when every portion is covered."""

from __future__ import annotations

from collections.abc import Callable

from .helpers import Person, make_group

PORTIONS = [f"Tanya, Part III; Iggeret HaTeshuvah {n}" for n in range(1, 4)]


def test_portions_done_by_members_lead_to_one_siyum(person: Callable[..., Person]) -> None:
    rivka, sara = person("rivka"), person("sara")
    group = make_group(rivka, sara)
    plan = rivka.post(
        f"/api/community/groups/{group}/plans", {"title": "Iggeret HaTeshuvah", "portions": PORTIONS}
    ).json()
    first, second, third = (p["id"] for p in plan["portions"])
    assert sara.post(f"/api/community/portions/{second}/take").status_code == 200
    assert rivka.post(f"/api/community/portions/{second}/done", {"done": True}).status_code == 403
    rivka.post(f"/api/community/portions/{first}/done", {"done": True})
    state = sara.post(f"/api/community/portions/{second}/done", {"done": True}).json()
    assert (state["done"], state["total"], state["siyum"]) == (2, 3, False)
    assert [p["done_name"] for p in state["portions"]] == ["Rivka", "Sara", None]
    final = sara.post(f"/api/community/portions/{third}/done", {"done": True}).json()
    assert final["siyum"] and final["done"] == 3
    for p in (rivka, sara):
        assert [n["kind"] for n in p.get("/api/community/notifications").json()] == ["plan.siyum"]
    # Undoing a portion reopens the plan; covering it again completes it again.
    assert not sara.post(f"/api/community/portions/{third}/done", {"done": False}).json()["siyum"]
    assert sara.post(f"/api/community/portions/{third}/done", {"done": True}).json()["siyum"]
    page = rivka.get(f"/community/groups/{group}")
    assert "Iggeret HaTeshuvah — 3/3" in page.text and "Siyum!" in page.text
