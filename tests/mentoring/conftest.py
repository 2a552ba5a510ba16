"""The assessments world plus a second mentor, a role profile and self-assessments that make
the matching's choice clear.

Needs and strengths (profile: level 3 on four competencies c1-c4, no study, so weight 1):
ben (no mentor) rates himself 0 on c1, c2 and 3 on c3, c4 (needs 3 + 3); max, a coordinator
too, 4/4/0/1 (needs c3: 3, c4: 2; strong in c1, c2); mia, a mentor, 1/1/4/4 (strong in c3,
c4). Ana already has max (people file), so max has one place left of his default two.
The best matching: ben -> max (covers 6), max -> mia (covers 5).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.assessments.conftest import world  # noqa: F401

SELF_LEVELS = {"ben": (0, 0, 3, 3), "max": (4, 4, 0, 1), "mia": (1, 1, 4, 4)}


@dataclass
class Mentoring:
    world: object
    profile: object
    competencies: list
    people: dict
    users: dict


@pytest.fixture
def mentoring(world):  # noqa: F811
    return add_mentoring(world.organisation, world.people, world.users, world)


def add_mentoring(organisation, people: dict, users: dict, origin=None) -> Mentoring:
    """Mia, the profile and the self-assessments above, in `organisation`."""
    from django.contrib.auth.models import User

    from rtwcomp.assessments import services
    from rtwcomp.assessments.models import Person, Requirement, RoleProfile

    mia = Person.objects.create(
        organisation=organisation, name="Mia Mentor", email="mia@example.org", is_mentor=True,
        user=User.objects.create_user("mia", password="x-long-password-0"),
    )  # fmt: skip
    people = {**people, "mia": mia}
    users = {**users, "mia": mia.user}
    framework = organisation.framework
    competencies = list(
        framework.competencies.exclude(ksab_type="attitude").order_by("group__position", "position")
    )[:4]
    profile = RoleProfile.objects.create(
        organisation=organisation, framework=framework, name="Coordinator"
    )
    for competency in competencies:
        Requirement.objects.create(profile=profile, competency=competency, level=3)
    for key, levels in SELF_LEVELS.items():
        person = people[key]
        for competency, level in zip(competencies, levels, strict=True):
            services.record(
                person, competency, source="self", instrument="self", level=level,
                user=users[key], rater=person, rated_on="2026-11-01",
            )  # fmt: skip
    return Mentoring(origin, profile, competencies, people, users)
