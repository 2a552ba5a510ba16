"""Every development URL, from the URLconf, tried as every assessment role.

The plan is Ana's (a coordinator): she, her mentor Max, her supervisor Sue, the programme
admin and superusers see it and work on it; a colleague (Ben), an outsider, a researcher and
anonymous visitors get 404 (or the log-in page), the same answer as for a plan that does not
exist. A reminder is its recipient's alone; the programme page is the programme admins'.
Each request runs in a rolled-back savepoint, so every role meets the same data.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from rtwcomp.development import services
from rtwcomp.development.models import Reminder
from tests.roles import LOGGED_IN, expected, outcome, role_clients
from tests.site.test_permission_matrix import patterns

ANAS = {"ana", "max", "sue", "admin", "root"}
RULES = {
    "development:index": LOGGED_IN,
    "development:reminders": LOGGED_IN,  # each sees only their own
    "development:new": ANAS,
    "development:progress": ANAS,
    "development:plan": ANAS,
    "development:evidence": ANAS,
    "development:programme": {"admin", "root"},
    "development:stop_reminder": {"ana"},
    **{
        f"development:{n}": ANAS
        for n in (
            "edit",
            "add_goal",
            "agree",
            "move",
            "maintenance",
            "goal",
            "remove_goal",
            "move_goal",
            "add_activity",
            "upload",
            "activity_done",
        )
    },  # fmt: skip
    "api-v1:list_plans": LOGGED_IN,  # each sees only the plans they may see
    "api-v1:list_activities": LOGGED_IN,
    "api-v1:get_plan": ANAS,
}
POST_ONLY = {name for name in RULES if name not in {
    "development:index", "development:reminders", "development:new", "development:progress",
    "development:plan", "development:evidence", "development:programme",
} and not name.startswith("api-v1:")}  # fmt: skip
API = "api/v1/development/"
ROLES = ("anonymous", *sorted(LOGGED_IN))


def _ours(name: str, route: str) -> bool:
    return name.startswith("development:") or route.startswith(API)


def _objects(world, plan):
    goal = plan.goals.first()
    activity = services.add_activity(
        goal, route="training", description="Course", due_on=dt.date(2026, 1, 5)
    )
    evidence = services.attach(
        goal, SimpleUploadedFile("notes.txt", b"what I did"), world.users["ana"]
    )
    reminder = Reminder.objects.get(activity=activity)
    person = world.people["ana"].pk
    return {
        "development:new": person,
        "development:progress": person,
        "development:goal": goal.pk,
        "development:remove_goal": goal.pk,
        "development:move_goal": goal.pk,
        "development:add_activity": goal.pk,
        "development:upload": goal.pk,
        "development:activity_done": activity.pk,
        "development:evidence": evidence.pk,
        "development:stop_reminder": reminder.pk,
    }


def _path(route: str, pk: int, slug: str) -> str:
    filled = route.replace("<int:pk>", str(pk)).replace("<plan_id>", str(pk))
    return "/" + filled.replace("<slug:slug>", slug)


def test_every_development_url_is_declared():
    declared = {name for name, route in patterns() if _ours(name, route)}
    assert declared == set(RULES)


def test_every_development_url_as_every_role(world, plan, report_line):
    ids = _objects(world, plan)
    clients, failures, requests = role_clients(world.users), [], 0
    for name, route in patterns():
        if not _ours(name, route):
            continue
        method = "post" if name in POST_ONLY else "get"
        for role in ROLES:
            for missing in (False, True):
                pk = 999_999 if missing else ids.get(name, plan.pk)
                path = _path(route, pk, "no-such-org" if missing else world.organisation.slug)
                with transaction.atomic():
                    response = getattr(clients[role], method)(path)
                    transaction.set_rollback(True)
                requests += 1
                allowed = role in RULES[name] and (not missing or "<" not in route)
                want = expected(role, allowed, api=route.startswith(API))
                got = outcome(response)
                if got != want:
                    failures.append(f"{role:10} {method} {path} -> {got}, expected {want}")
    report_line(f"development permission matrix: {len(ROLES)} roles ({requests} requests)")
    assert not failures, "\n".join(failures)


def test_a_reminder_is_seen_only_by_its_recipient(world, plan):
    plan.reassess_on = dt.date(2027, 5, 1)
    services.update_plan(plan, reassess_on=plan.reassess_on)
    for who, sees in (("ana", True), ("max", False), ("admin", False)):
        client = Client()
        client.force_login(world.users[who])
        page = client.get("/develop/reminders/")
        assert ("2027-05-01" in page.text) is sees, who
