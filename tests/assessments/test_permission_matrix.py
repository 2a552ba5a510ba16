"""Every assessment URL, from the URLconf, tried as every assessment role.

The records are Ana's (a coordinator): she, her mentor Max, her supervisor Sue, the
programme admin and superusers see them; a colleague (Ben), an outsider, a researcher and
anonymous visitors get 404 (or the log-in page), the same answer as for a person who does
not exist. Only Ana assesses herself; only her mentor or supervisor observes her; an
observation draft is its observer's alone.
"""

from __future__ import annotations

from rtwcomp.assessments.models import Observation, RoleProfile, Round
from tests.roles import LOGGED_IN, outcome, role_clients
from tests.site.test_permission_matrix import patterns

RULES = {
    "assessments:index": LOGGED_IN,
    "assessments:person": {"ana", "max", "sue", "admin", "root"},
    "assessments:self": {"ana"},
    "assessments:observe": {"max", "sue", "root"},
    "assessments:observation": {"max"},
    "assessments:observation_draft": {"max"},  # POST only
    "assessments:team": {"sue", "admin", "root"},  # Ana's team, North
    "assessments:request_feedback": {"max", "sue", "admin", "root"},
    "assessments:invite": {"admin", "root"},  # POST only
    # A feedback link and a log-in invitation's link are their own keys: tried in
    # tests/assessments/test_feedback.py and test_logins.py.
    "assessments:feedback": set(),
    "assessments:choose_password": set(),
    "assessments:organisation": {"admin", "root"},  # programme admins only
    "assessments:export_round": {"admin", "root"},
    "assessments:settings": {"admin", "root"},
    "assessments:report": {"ana", "max", "sue", "admin", "root"},
    "api-v1:list_people": LOGGED_IN,  # each sees only the people they may see
    "api-v1:get_person": {"ana", "max", "sue", "admin", "root"},
    "api-v1:list_ratings": {"ana", "max", "sue", "admin", "root"},
    "api-v1:get_gaps": {"ana", "max", "sue", "admin", "root"},
    "api-v1:list_profiles": LOGGED_IN,  # each sees their organisations' only
    "api-v1:get_profile": {"ana", "ben", "max", "sue", "admin", "root"},  # acme's people
    "api-v1:list_rounds": LOGGED_IN,
    "api-v1:list_assessments": {"ana", "max", "sue", "admin", "root"},
    "api-v1:get_assessment": {"ana", "max", "sue", "admin", "root"},
}
API = "api/v1/assessments/"
POST_ONLY = {"assessments:observation_draft", "assessments:invite"}
ROLES = ("anonymous", *sorted(LOGGED_IN))


def _path(route: str, pk: int, profile: int, round_id: int = 0) -> str:
    filled = route.replace("<int:pk>", str(pk)).replace("<person_id>", str(pk))
    fmt = "html" if "report." in route else "csv"
    filled = filled.replace("<str:token>", "no-such-token").replace("<str:fmt>", fmt)
    filled = filled.replace("<str:uidb64>", "MQ")
    filled = filled.replace("<slug:slug>", "no-such-org" if pk == 999_999 else "acme")
    if pk == 999_999:  # naming nothing that exists
        profile = round_id = pk
    filled = filled.replace("<round_id>", str(round_id))
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
    spring = Round.objects.create(
        organisation=world.organisation, name="Spring", starts_on="2026-03-01",
        ends_on="2026-05-31",
    )  # fmt: skip
    ids = {
        "assessments:observation": draft.pk,
        "assessments:observation_draft": draft.pk,
        "assessments:team": ana.team_id,
        "assessments:export_round": spring.pk,
    }
    profile = RoleProfile.objects.create(
        organisation=world.organisation, framework=world.organisation.framework, name="Lead"
    )
    clients, failures, requests = role_clients(world.users), [], 0
    for name, route in patterns():
        if not _ours(name, route):
            continue
        pk = ids.get(name, ana.pk)
        for role in ROLES:
            for method, target in (("get", pk), ("post", pk), ("get", 999_999)):
                if method == "post" and route.startswith(API):
                    continue  # the API's assessment operations only read
                if method == "get" and name in POST_ONLY:
                    continue  # 405 for everyone
                path = _path(route, target, profile.pk, spring.pk)
                response = getattr(clients[role], method)(path)
                requests += 1
                got = outcome(response)
                allowed = role in RULES[name] and target != 999_999
                if "<" not in route:
                    allowed = role in RULES[name]
                refused = "401" if route.startswith(API) else "login"
                if name in ("assessments:feedback", "assessments:choose_password"):
                    refused = "404"  # public: the link is the key
                expected = "ok" if allowed else refused if role == "anonymous" else "404"
                if got != expected:
                    failures.append(f"{role:10} {method} {route} -> {got}, expected {expected}")
    report_line(f"assessment permission matrix: {len(ROLES)} roles ({requests} requests)")
    assert not failures, "\n".join(failures)
