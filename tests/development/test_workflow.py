"""Draft -> agreed (both parties, each recorded) -> in progress -> done, every move kept."""

from __future__ import annotations

import pytest

from rtwcomp.development import services
from rtwcomp.development.models import Plan
from tests.development.helpers import login


def test_a_plan_is_agreed_only_when_coordinator_and_mentor_both_agree(world, plan):
    assert login(world, "ana").post(f"/develop/plans/{plan.pk}/agree/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT  # one party is not enough
    again = login(world, "ana").post(f"/develop/plans/{plan.pk}/agree/")
    assert again.status_code == 400 and "agreed to this plan already" in again.text
    assert login(world, "max").post(f"/develop/plans/{plan.pk}/agree/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED
    agreed = {a.party: a.user.username for a in plan.agreements.all()}
    assert agreed == {"coordinator": "ana", "mentor": "max"}
    assert all(a.agreed_at is not None for a in plan.agreements.all())
    page = login(world, "sue").get(f"/develop/plans/{plan.pk}/")
    assert "Agreed as coordinator by ana" in page.text
    assert "Agreed as mentor or supervisor by max" in page.text


def test_a_supervisor_may_agree_for_the_mentor_but_an_admin_may_not(world, plan):
    refused = login(world, "admin").post(f"/develop/plans/{plan.pk}/agree/")
    assert refused.status_code == 400
    assert "Only the coordinator and their mentor or supervisor" in refused.text
    services.agree(plan, world.users["sue"])
    with pytest.raises(services.PlanError):
        services.agree(plan, world.users["max"])  # the mentor's side is agreed already
    services.agree(plan, world.users["ana"])
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED


def test_every_move_is_kept_with_who_and_shown_as_history(world, plan):
    services.agree(plan, world.users["ana"])
    services.agree(plan, world.users["max"])
    sue = login(world, "sue")
    skipped = sue.post(f"/develop/plans/{plan.pk}/move/", {"status": "done"})
    assert skipped.status_code == 400 and "cannot move" in skipped.text
    assert sue.post(f"/develop/plans/{plan.pk}/move/", {"status": "in_progress"}).status_code == 302
    assert sue.post(f"/develop/plans/{plan.pk}/move/", {"status": "done"}).status_code == 302
    plan.refresh_from_db()
    moves = [(e.from_status, e.to_status, e.user.username) for e in plan.events.all()]
    assert moves == [
        ("", "draft", "ana"),
        ("draft", "agreed", "max"),
        ("agreed", "in_progress", "sue"),
        ("in_progress", "done", "sue"),
    ]
    page = sue.get(f"/develop/plans/{plan.pk}/")
    assert page.text.count("<td>sue</td>") == 2
    goal = plan.goals.first()
    locked = sue.post(f"/develop/goals/{goal.pk}/remove/")
    assert locked.status_code == 400 and "This plan is done" in locked.text
    assert plan.goals.filter(pk=goal.pk).exists()


def test_back_to_draft_needs_a_new_agreement(world, plan):
    services.agree(plan, world.users["ana"])
    services.agree(plan, world.users["sue"])
    services.move(plan, "draft", world.users["ana"])
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and not plan.agreements.exists()
    with pytest.raises(services.PlanError, match="Unknown status"):
        services.move(plan, "finished", world.users["ana"])
