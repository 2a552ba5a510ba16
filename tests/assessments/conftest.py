"""An organisation with a programme admin, two teams, coordinators, a mentor, a supervisor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

PEOPLE = (
    "name,email,role,team,mentor,supervisor\n"
    "Ana Coordinator,ana@example.org,coordinator,North,max@example.org,sue@example.org\n"
    "Ben Coordinator,ben@example.org,coordinator,South,,\n"
    "Max Mentor,max@example.org,mentor;coordinator,North,,\n"
    "Sue Supervisor,sue@example.org,supervisor,North,,\n"
)


@dataclass
class World:
    organisation: object
    admin: object
    people: dict
    users: dict


@pytest.fixture
def world(db, default_framework, tmp_path):
    """Every person with a log-in of their own, plus the programme admin and an outsider."""
    from django.contrib.auth.models import Group, User

    from rtwcomp.assessments import services
    from rtwcomp.assessments.models import Organisation
    from rtwcomp.interop.csv_input import text_source
    from rtwcomp.interop.people_csv import read_people_csv

    admin = User.objects.create_user("admin", password="x-long-password-0")
    admin.groups.add(Group.objects.get_or_create(name="programme-admins")[0])
    organisation = Organisation.objects.create(
        slug="acme", name="Acme", owner=admin, framework=default_framework
    )
    services.import_people(organisation, read_people_csv(text_source(PEOPLE), "people.csv"))
    people, users = {}, {"admin": admin}
    for person in organisation.people.all():
        key = person.email.split("@")[0]
        person.user = User.objects.create_user(key, password="x-long-password-0")
        person.save()
        people[key], users[key] = person, person.user
    users["outsider"] = User.objects.create_user("outsider", password="x-long-password-0")
    return World(organisation, admin, people, users)
