"""Group study plans: a text learned together portion by portion, ending in a siyum.

Portions are refs ("Tanya, Part III; Iggeret HaTeshuvah 3"). A member takes a portion and marks it
done; the plan's row is locked while a portion is marked, so the siyum is declared exactly once —
when the last portion is covered — and every member is told.
"""

from __future__ import annotations

from typing import Any

from madrega import refs
from madrega.community.accounts import Forbidden, User, iso, now
from madrega.community.backend import Backend, CommunityError, Conflict, Tx
from madrega.community.groups import GroupNotFound, require_member
from madrega.errors import MadregaError
from madrega.practice import plans as study_plans

MAX_PORTIONS = 500


def create_plan(
    backend: Backend, user: User, group_id: int, title: str, portions: list[str]
) -> dict[str, Any]:
    clean_title = " ".join(title.split())
    if not 1 <= len(clean_title) <= 120:
        raise CommunityError("a plan title is 1 to 120 characters")
    refs = [" ".join(p.split()) for p in portions]
    if not 1 <= len(refs) <= MAX_PORTIONS or any(not 1 <= len(r) <= 200 for r in refs):
        raise CommunityError(f"a plan has 1 to {MAX_PORTIONS} portions, each a ref of up to 200 characters")
    with backend.transaction() as tx:
        require_member(tx, group_id, user)
        row = tx.one(
            "INSERT INTO group_plans(group_id, title, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            (group_id, clean_title, user.id, iso(now())),
        )
        assert row is not None
        for position, ref in enumerate(refs, start=1):
            tx.execute(
                "INSERT INTO plan_portions(plan_id, position, ref) VALUES (?, ?, ?)",
                (row["id"], position, ref),
            )
        return _describe(tx, int(row["id"]))


def divide_text(text: str, parts: int | None = None) -> tuple[str, list[str]]:
    """A plan's title and portions from a text as people name it ("Job", "Psalms 1-41",
    "Tanya, Part III; Iggeret HaTeshuvah"): a chapter a portion, or `parts` even runs of chapters,
    counted from the refs catalog."""
    try:
        ref = refs.parse(" ".join(text.split()))
    except MadregaError as exc:
        raise CommunityError(f"'{text}' is not a text madrega knows", suggestions=exc.suggestions) from None
    work = ref.work
    chapters = work.top_count()
    if ref.depth > 1 or not chapters or work.kinds[0] == "daf":
        raise CommunityError(
            f"{ref} cannot be divided into chapters: name a work or a run of chapters, "
            "e.g. Job or Psalms 1-41",
            suggestions=list(study_plans.SUGGESTED_PLAN_WORKS),
        )
    first, last = (ref.sections[0], ref.end[0]) if ref.depth else (1, chapters)
    count = last - first + 1
    if parts is not None and not 1 <= parts <= count:
        raise CommunityError(
            f"{ref} has {count} chapters: divide it into 1 to {count} portions, or a chapter each",
        )
    if count > MAX_PORTIONS and parts is None:
        raise CommunityError(f"a plan has at most {MAX_PORTIONS} portions: say how many")
    return str(ref), study_plans.divide(work.title, last, days=parts, first=first)


def _describe(tx: Tx, plan_id: int) -> dict[str, Any]:
    plan = tx.one("SELECT id, group_id, title, created_at, siyum_at FROM group_plans WHERE id=?", (plan_id,))
    assert plan is not None
    portions = tx.all(
        "SELECT p.id, p.position, p.ref, p.assigned_to, a.display_name AS assigned_name, p.done_at, "
        "d.display_name AS done_name FROM plan_portions p LEFT JOIN users a ON a.id = p.assigned_to "
        "LEFT JOIN users d ON d.id = p.done_by WHERE p.plan_id=? ORDER BY p.position",
        (plan_id,),
    )
    done = sum(1 for p in portions if p["done_at"])
    return {
        **plan,
        "portions": portions,
        "done": done,
        "total": len(portions),
        "siyum": plan["siyum_at"] is not None,
    }


def _plan_locked(tx: Tx, user: User, portion_id: int) -> dict[str, Any]:
    """The portion, read only after its plan's row is locked: two members taking the same portion
    at once are served one after the other, and the second sees the first's name on it."""
    plan_id = tx.value("SELECT plan_id FROM plan_portions WHERE id=?", (portion_id,))
    if plan_id is None:
        raise GroupNotFound("no such portion among your groups' plans")
    plan = tx.one("SELECT id, group_id, title, siyum_at FROM group_plans WHERE id=?{for_update}", (plan_id,))
    if plan is None:
        raise GroupNotFound("no such portion among your groups' plans")
    require_member(tx, int(plan["group_id"]), user)
    portion = tx.one("SELECT id, plan_id, assigned_to, done_at FROM plan_portions WHERE id=?", (portion_id,))
    if portion is None:
        raise GroupNotFound("no such portion among your groups' plans")
    return {**portion, "group_id": plan["group_id"], "title": plan["title"], "siyum_at": plan["siyum_at"]}


def take(backend: Backend, user: User, portion_id: int) -> dict[str, Any]:
    with backend.transaction() as tx:
        row = _plan_locked(tx, user, portion_id)
        if row["assigned_to"] not in (None, user.id):
            raise Conflict("someone else has taken this portion")
        tx.execute("UPDATE plan_portions SET assigned_to=? WHERE id=?", (user.id, portion_id))
        return _describe(tx, int(row["plan_id"]))


def mark_done(backend: Backend, user: User, portion_id: int, done: bool = True) -> dict[str, Any]:
    with backend.transaction() as tx:
        row = _plan_locked(tx, user, portion_id)
        if row["assigned_to"] not in (None, user.id):
            raise Forbidden("this portion is someone else's to mark")
        if done:
            tx.execute(
                "UPDATE plan_portions SET assigned_to=?, done_by=?, done_at=? WHERE id=?",
                (user.id, user.id, iso(now()), portion_id),
            )
        else:
            tx.execute("UPDATE plan_portions SET done_by=NULL, done_at=NULL WHERE id=?", (portion_id,))
        plan_id = int(row["plan_id"])
        left = int(
            tx.value("SELECT COUNT(*) FROM plan_portions WHERE plan_id=? AND done_at IS NULL", (plan_id,))
        )
        if left == 0 and row["siyum_at"] is None:
            tx.execute("UPDATE group_plans SET siyum_at=? WHERE id=?", (iso(now()), plan_id))
            tx.execute(
                "INSERT INTO notifications(user_id, kind, body, subject, created_at) "
                "SELECT user_id, 'plan.siyum', ?, ?, ? FROM memberships WHERE group_id=?",
                (f"Siyum! {row['title']} is complete", f"plan:{plan_id}", iso(now()), row["group_id"]),
            )
        elif left and row["siyum_at"] is not None:
            tx.execute("UPDATE group_plans SET siyum_at=NULL WHERE id=?", (plan_id,))
        return _describe(tx, plan_id)


def group_plans(backend: Backend, user: User, group_id: int) -> list[dict[str, Any]]:
    with backend.transaction(write=False) as tx:
        require_member(tx, group_id, user)
        ids = tx.all("SELECT id FROM group_plans WHERE group_id=? ORDER BY id", (group_id,))
        return [_describe(tx, int(r["id"])) for r in ids]
