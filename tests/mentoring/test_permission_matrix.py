"""Every mentoring URL, from the URLconf, tried as every role.

The pair is Max mentoring Ben. Max and Ben see it and log its meetings; only Max starts an
observation from a meeting; the programme admin (and superusers) see every pair of the
organisation, run the matching and end pairs, but log no meeting in the pair's name. Ana
(another mentee of Max), Sue (a supervisor), Mia (another mentor), an outsider, a
researcher and anonymous visitors get 404 (or the log-in page), the same answer as for a
pair that does not exist. Each request runs in a rolled-back savepoint, so every role sees
the same data.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.test import Client

from rtwcomp.mentoring import services
from rtwcomp.mentoring.models import Mentorship
from tests.roles import LOGGED_IN as WORLD
from tests.roles import expected, outcome, role_clients
from tests.site.test_permission_matrix import patterns

LOGGED_IN = WORLD | {"mia"}  # Mia: another mentor
ADMINS = {"admin", "root"}
PAIR = {"max", "ben", "admin", "root"}
RULES = {
    "mentoring:index": LOGGED_IN,
    "mentoring:match": ADMINS,
    "mentoring:apply": ADMINS,  # POST only
    "mentoring:capacity": ADMINS,  # POST only
    "mentoring:override": ADMINS,  # POST only
    "mentoring:pair": PAIR,
    "mentoring:end": ADMINS,  # POST only
    "mentoring:add_meeting": {"max", "ben"},  # POST only
    "mentoring:observe": {"max"},  # POST only
    "api-v1:list_mentorships": LOGGED_IN,  # each sees only the pairs they may see
    "api-v1:get_mentorship": PAIR,
    "api-v1:list_meetings": PAIR,
    "api-v1:create_meeting": {"max", "ben"},
}
GET_PAGES = {"mentoring:index", "mentoring:match", "mentoring:pair"}
API = "api/v1/mentoring/"
ROLES = ("anonymous", *sorted(LOGGED_IN))


def _ours(name: str, route: str) -> bool:
    return name.startswith("mentoring:") or route.startswith(API)


def _path(route: str, value: str) -> str:
    for parameter in ("<int:pk>", "<slug:slug>", "<mentorship_id>"):
        route = route.replace(parameter, value)
    return "/" + route


def test_every_mentoring_url_is_declared():
    declared = {name for name, route in patterns() if _ours(name, route)}
    assert declared == set(RULES)


def test_every_mentoring_url_as_every_role(mentoring, report_line):
    people = mentoring.people
    pair = services.pair(
        people["max"], people["ben"], made_by=Mentorship.MadeBy.MATCHING, user=None
    )
    meeting = services.log_meeting(pair, None, held_on="2026-11-20")
    values = {"mentoring:observe": str(meeting.pk)}
    clients, failures, requests = role_clients(mentoring.users, LOGGED_IN), [], 0
    for name, route in patterns():
        if not _ours(name, route):
            continue
        if "<slug:slug>" in route:
            real, missing = "acme", "no-such-organisation"
        else:
            real, missing = values.get(name, str(pair.pk)), "999999"
        method = "get" if name in GET_PAGES or name.startswith("api-v1:") else "post"
        if name == "api-v1:create_meeting":
            method = "post"
        for role in ROLES:
            for target in (real, missing):
                got = _request(clients[role], method, _path(route, target), name)
                requests += 1
                allowed = role in RULES[name] and (target == real or "<" not in route)
                want = expected(role, allowed, api=route.startswith(API))
                if got != want:
                    failures.append(f"{role:10} {method} {route} {target} -> {got}, not {want}")
    report_line(f"mentoring permission matrix: {len(ROLES)} roles ({requests} requests)")
    assert not failures, "\n".join(failures)


def _request(client: Client, method: str, path: str, name: str) -> str:
    with transaction.atomic():
        if name == "api-v1:create_meeting":
            body = json.dumps({"held_on": "2026-11-21", "notes": "Talked."})
            response = client.post(path, body, content_type="application/json")
        else:
            response = getattr(client, method)(path)
        transaction.set_rollback(True)
    return outcome(response)
