"""The person page's agreement table names its sources as people read them, not by the keys
the database stores."""

from __future__ import annotations

import re

import pytest

from rtwcomp.assessments import services
from tests.development.helpers import login


def test_agreement_sources_are_labels_not_keys(world):
    ana = world.people["ana"]
    competencies = list(ana.organisation.framework.groups.first().competencies.all()[:3])
    for competency, (own, seen) in zip(competencies, ((1, 2), (2, 2), (3, 1)), strict=True):
        services.record(
            ana, competency, source="self", instrument="self", level=own,
            user=world.users["ana"], rater=ana,
        )  # fmt: skip
        services.record(
            ana, competency, source="observed", instrument="observation", level=seen,
            user=world.users["max"], rater=world.people["max"],
        )  # fmt: skip
    html = login(world, "ana").get(f"/assess/people/{ana.pk}/").content.decode()
    table = re.search(r'<table aria-describedby="agreement">.*?</table>', html, re.S)[0]
    assert "<td>direct observation, self</td>" in table
    assert "observed, self" not in table


def test_required_levels_carry_the_organisations_scale_labels(world):
    from rtwcomp.assessments.models import Requirement, RoleProfile

    organisation = world.organisation
    organisation.scale = ["none", "basic", "able", "strong", "master"]
    organisation.save()
    competency = organisation.framework.competencies.exclude(ksab_type="attitude").first()
    profile = RoleProfile.objects.create(
        organisation=organisation, framework=organisation.framework, name="Lead"
    )
    Requirement.objects.create(profile=profile, competency=competency, level=3)
    ana = world.people["ana"]
    html = login(world, "ana").get(f"/assess/people/{ana.pk}/?profile={profile.pk}")
    table = re.search(r'<table aria-describedby="gaps">.*?</table>', html.content.decode(), re.S)
    row = re.search(rf"{competency.code}.*?</tr>", table[0], re.S)[0]
    assert "<td>3 strong</td>" in row


@pytest.mark.parametrize(
    "url",
    ["/assess/people/{ana}/feedback/", "/mentoring/pairs/{pair}/"],
)
def test_lists_of_checkboxes_are_fieldsets_not_labels_for_nothing(world, url):
    """A label must name an element that exists: a list of checkboxes (the groups to rate,
    a meeting's plan goals) is a fieldset with a legend and its help text."""
    from rtwcomp.development import services as plans
    from rtwcomp.mentoring import services as mentoring

    ana, max_ = world.people["ana"], world.people["max"]
    plan = plans.create_plan(ana, None, world.users["ana"])
    plans.add_goal(plan, ana.organisation.framework.competencies.first(), 3, None)
    pair = mentoring.pair(max_, ana, made_by="override", user=world.admin, reason="test")
    html = login(world, "max").get(url.format(ana=ana.pk, pair=pair.pk)).content.decode()
    assert 'for=""' not in html
    fieldset = re.search(r"<fieldset aria-describedby=\"([^\"]+)\">\s*<legend>", html)
    assert fieldset and f'id="{fieldset[1]}"' in html
