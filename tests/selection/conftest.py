"""A vacancy at Acme (the assessments `world`): a role profile, a guide from it, a hiring
panel of Sue and Ben, and two candidates."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.assessments.conftest import world  # noqa: F401


@dataclass
class Hiring:
    profile: object
    guide: object
    vacancy: object
    candidates: list


def make_profile(organisation, name="New coordinator"):
    """A profile requiring level 2 of the first three skills and the first two attitudes."""
    from rtwcomp.assessments.models import Requirement, RoleProfile

    framework = organisation.framework
    profile = RoleProfile.objects.create(organisation=organisation, framework=framework, name=name)
    skills = list(framework.competencies.filter(ksab_type="skill")[:3])
    attitudes = list(framework.competencies.filter(ksab_type="attitude")[:2])
    for competency in skills + attitudes:
        Requirement.objects.create(profile=profile, competency=competency, level=2)
    return profile


@pytest.fixture
def hiring(world):  # noqa: F811
    from rtwcomp.selection import services

    profile = make_profile(world.organisation)
    guide = services.make_guide(profile, name="Intake 2027", size=6, user=world.admin)
    panel = [world.users["sue"], world.users["ben"]]
    vacancy = services.open_vacancy(
        world.organisation, title="RTW coordinator, North", guide=guide, panel=panel,
        user=world.admin,
    )  # fmt: skip
    candidates = [
        services.add_candidate(vacancy, name="Carla Candidate", email="carla@example.net"),
        services.add_candidate(vacancy, name="Dev Candidate"),
    ]
    return Hiring(profile, guide, vacancy, candidates)
