"""The assessment world, with a role profile Ana falls short of and her draft plan."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.assessments.conftest import world  # noqa: F401
from tests.development.helpers import MET, SKILL_A, SKILL_B, attitude, competency, rate


@pytest.fixture
def profile(world):  # noqa: F811
    from rtwcomp.assessments.models import Requirement, RoleProfile

    made = RoleProfile.objects.create(
        organisation=world.organisation, framework=world.organisation.framework, name="Lead"
    )
    for code, level in ((SKILL_A, 3), (SKILL_B, 2), (MET, 2)):
        Requirement.objects.create(profile=made, competency=competency(world, code), level=level)
    Requirement.objects.create(profile=made, competency=attitude(world), level=3)
    day = dt.date(2026, 3, 1)
    rate(world, "ana", SKILL_A, 1, day)
    rate(world, "ana", MET, 3, day)
    rate(world, "ana", attitude(world), 1, day)
    return made


@pytest.fixture
def plan(world, profile):  # noqa: F811
    from rtwcomp.development import services

    return services.create_plan(world.people["ana"], profile, world.users["ana"])
