"""Every selection URL, from the URLconf, tried as every role, for an existing and a missing
object.

The vacancy's hiring panel is Sue and Ben: they, the programme admin and superusers see its
guide, candidates and scores; only the panel scores (a superuser not on it does not); only
programme admins (and superusers) manage questions, guides and vacancies and delete a
candidate. Anyone else, Ana's mentor Max included, gets 404 (anonymous visitors the log-in
page, or 401 from the API), the same answer as for a vacancy that does not exist.
"""

from __future__ import annotations

import json

from django.db import transaction

from tests.roles import LOGGED_IN, expected, outcome, role_clients
from tests.site.test_permission_matrix import patterns

HIRING = {"sue", "ben", "admin", "root"}
ADMINS = {"admin", "root"}
RULES = {
    "selection:index": LOGGED_IN,
    "selection:organisation": ADMINS,
    "selection:question": ADMINS,
    "selection:new_guide": ADMINS,
    "selection:new_vacancy": ADMINS,
    "selection:guide": HIRING,
    "selection:vacancy": HIRING,
    "selection:compare": HIRING,
    "selection:candidate": HIRING,
    "selection:delete_candidate": ADMINS,
    "api-v1:get_guide": HIRING,
    "api-v1:list_candidates": HIRING,
    "api-v1:create_candidate": HIRING,
    "api-v1:list_scores": HIRING,
    "api-v1:create_scores": {"sue", "ben"},
}
POST_ONLY = {"selection:new_guide", "selection:new_vacancy", "api-v1:create_candidate",
             "api-v1:create_scores"}  # fmt: skip
GET_ONLY = {"selection:index", "selection:organisation", "selection:guide", "selection:compare",
            "api-v1:get_guide", "api-v1:list_candidates", "api-v1:list_scores"}  # fmt: skip
API = "api/v1/selection/"
ROLES = ("anonymous", *sorted(LOGGED_IN))
MISSING = 999_999


def _ours(name: str, route: str) -> bool:
    return name.startswith("selection:") or route.startswith(API)


def test_every_selection_url_is_declared():
    declared = {name for name, route in patterns() if _ours(name, route)}
    assert declared == set(RULES)


def _targets(hiring):
    candidate = hiring.candidates[0]
    item = hiring.guide.items.first()
    ids = {"guide": hiring.guide.pk, "vacancy": hiring.vacancy.pk, "compare": hiring.vacancy.pk,
           "candidate": candidate.pk, "delete_candidate": candidate.pk,
           "question": item.competency_id}  # fmt: skip
    data = {
        "selection:question": {"text": "Q?", "text_fr": "Q ?"},
        "selection:new_guide": {
            "guide-name": "G",
            "guide-profile": hiring.profile.pk,
            "guide-size": "2",
        },  # fmt: skip
        "selection:vacancy": {"name": "New Candidate"},
        "selection:candidate": {f"score_{item.pk}": "2", f"note_{item.pk}": "", "save": ""},
        "api-v1:create_candidate": {"name": "New Candidate"},
        "api-v1:create_scores": {"scores": [{"question": item.pk, "score": 2}]},
    }
    return ids, data


def _path(name: str, route: str, ids: dict, missing: bool) -> str:
    key = name.split(":")[1]
    pk = MISSING if missing else ids.get(key, 0)
    filled = route.replace("<slug:slug>", "no-such-organisation" if missing else "acme")
    filled = filled.replace("<int:pk>", str(pk))
    for param, value in (("guide_id", ids["guide"]), ("vacancy_id", ids["vacancy"]),
                         ("candidate_id", ids["candidate"])):  # fmt: skip
        filled = filled.replace(f"<{param}>", str(MISSING if missing else value))
    return "/" + filled


def _request(client, method: str, path: str, name: str, data: dict):
    with transaction.atomic():
        if name.startswith("api-v1:") and method == "post":
            response = client.post(path, json.dumps(data), content_type="application/json")
        else:
            response = getattr(client, method)(path, data)
        transaction.set_rollback(True)
    return response


def test_every_selection_url_as_every_role(world, hiring, report_line):
    ids, data = _targets(hiring)
    clients, failures, requests = role_clients(world.users), [], 0
    for name, route in patterns():
        if not _ours(name, route):
            continue
        methods = (
            ["post"] if name in POST_ONLY else ["get"] if name in GET_ONLY else ["get", "post"]
        )
        for role in ROLES:
            for method in methods:
                for missing in (False, True):
                    if missing and "<" not in route:
                        continue
                    path = _path(name, route, ids, missing)
                    response = _request(clients[role], method, path, name, data.get(name, {}))
                    requests += 1
                    got = outcome(response)
                    allowed = role in RULES[name] and not missing
                    want = expected(role, allowed, api=route.startswith(API))
                    if got != want:
                        failures.append(f"{role:10} {method} {path} -> {got}, expected {want}")
    report_line(f"selection permission matrix: {len(ROLES)} roles ({requests} requests)")
    assert not failures, "\n".join(failures)
