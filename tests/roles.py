"""The roles of the stage-6 permission matrices: one logged-in client per role, and what an
answer means (allowed, sent to log in, 401 from the API, or 404)."""

from __future__ import annotations

from django.test import Client

from tests.conftest import make_researcher

# The `world` fixture's people and admin (tests/assessments/conftest.py), plus a researcher
# and a superuser made here.
LOGGED_IN = frozenset({"outsider", "researcher", "ana", "ben", "max", "sue", "admin", "root"})


def role_clients(users: dict, roles=LOGGED_IN) -> dict[str, Client]:
    """A client logged in as each role, and an anonymous one."""
    from django.contrib.auth.models import User

    users = dict(users)
    users["researcher"] = make_researcher("researcher")
    users["root"] = User.objects.create_superuser("root", password="x-long-password-0")
    clients = {"anonymous": Client()}
    for role in roles:
        clients[role] = Client()
        clients[role].force_login(users[role])
    return clients


def outcome(response) -> str:
    """ "ok" (a page, a created object or a form's own 400), "login", or the status code."""
    if response.status_code in (301, 302):
        return "login" if "/login/" in response["Location"] else "ok"
    if response.status_code in (200, 201, 400):
        return "ok"
    return str(response.status_code)


def expected(role: str, allowed: bool, api: bool) -> str:
    """What `role` gets: anonymous visitors are sent to log in (401 from the API), others
    get 404, the same answer as for an object that does not exist."""
    if allowed:
        return "ok"
    if role == "anonymous":
        return "401" if api else "login"
    return "404"
