"""Every assessment URL, from the URLconf, tried as every assessment role.

The records are Ana's (a coordinator): she, her mentor Max, her supervisor Sue, the
programme admin and superusers see them; a colleague (Ben), an outsider, a researcher and
anonymous visitors get 404 (or the log-in page), the same answer as for a person who does
not exist. Only Ana assesses herself; only her mentor or supervisor observes her; an
observation draft is its observer's alone.
"""

from __future__ import annotations

from django.test import Client

from rtwcomp.assessments.models import Observation, RoleProfile
from tests.conftest import make_researcher
from tests.site.test_permission_matrix import patterns

LOGGED_IN = {"outsider", "researcher", "ana", "ben", "max", "sue", "admin", "root"}
RULES = {
    "assessments:index": LOGGED_IN,
    "assessments:person": {"ana", "max", "sue", "admin", "root"},
    "assessments:self": {"ana"},
    "assessments:observe": {"max", "sue", "root"},
    "assessments:observation": {"max"},
    "assessments:observation_draft": {"max"},  # POST only
    "assessments:team": {"sue", "admin", "root"},  # Ana's team, North
    "assessments:request_feedback": {"max", "sue", "admin", "root"},
    # A feedback link is its own key: tried in tests/assessments/test_feedback.py.
    "assessments:feedback": set(),
    "api-v1:list_people": LOGGED_IN,  # each sees only the people they may see
    "api-v1:get_person": {"ana", "max", "sue", "admin", "root"},
    "api-v1:list_ratings": {"ana", "max", "sue", "admin", "root"},
    "api-v1:get_gaps": {"ana", "max", "sue", "admin", "root"},
}
API = "api/v1/assessments/"
ROLES = ("anonymous", *sorted(LOGGED_IN))


def _clients(world):
    from django.contrib.auth.models import User

    users = dict(world.users)
    users["researcher"] = make_researcher("researcher")
    users["root"] = User.objects.create_superuser("root", password="x-long-password-0")
    clients = {"anonymous": Client()}
    for role in LOGGED_IN:
        clients[role] = Client()
        clients[role].force_login(users[role])
    return clients


def _path(route: str, pk: int, profile: int) -> str:
    filled = route.replace("<int:pk>", str(pk)).replace("<person_id>", str(pk))
    filled = filled.replace("<str:token>", "no-such-token")
    return "/" + filled.replace("<profile_id>", str(profile))


def _ours(name: str, route: str) -> bool:
    return name.startswith("assessments:") or route.startswith(API)


def test_every_assessment_url_is_declared():
    declared = {name for name, route in patterns() if _ours(name, route)}
    assert declared == set(RULES)


def test_every_assessment_url_as_every_role(world, report_line):
    ana = world.people["ana"]
    draft = Observation.objects.create(
        subject=ana, observer=world.people["max"], activity="case conference",
        observed_on="2026-11-20",
    )  # fmt: skip
    ids = {
        "assessments:observation": draft.pk,
        "assessments:observation_draft": draft.pk,
        "assessments:team": ana.team_id,
    }
    profile = RoleProfile.objects.create(
        organisation=world.organisation, framework=world.organisation.framework, name="Lead"
    )
    clients, failures, requests = _clients(world), [], 0
    for name, route in patterns():
        if not _ours(name, route):
            continue
        pk = ids.get(name, ana.pk)
        for role in ROLES:
            for method, target in (("get", pk), ("post", pk), ("get", 999_999)):
                if method == "post" and route.startswith(API):
                    continue  # the API's assessment operations only read
                if method == "get" and name == "assessments:observation_draft":
                    continue  # POST only: 405 for everyone
                response = getattr(clients[role], method)(_path(route, target, profile.pk))
                requests += 1
                got = _outcome(response)
                allowed = role in RULES[name] and target != 999_999
                if "<" not in route:
                    allowed = role in RULES[name]
                refused = "401" if route.startswith(API) else "login"
                if name == "assessments:feedback":
                    refused = "404"  # public: the link is the key
                expected = "ok" if allowed else refused if role == "anonymous" else "404"
                if got != expected:
                    failures.append(f"{role:10} {method} {route} -> {got}, expected {expected}")
    report_line(f"assessment permission matrix: {len(ROLES)} roles ({requests} requests)")
    assert not failures, "\n".join(failures)


def _outcome(response) -> str:
    if response.status_code in (301, 302):
        return "login" if "/login/" in response["Location"] else "ok"
    if response.status_code in (200, 400):
        return "ok"
    return str(response.status_code)
