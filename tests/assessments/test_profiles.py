"""Role profiles drawn from a validation study, and the gaps a person's page shows."""

from __future__ import annotations

import pytest
from django.test import Client

from rtwcomp.assessments import selectors, services
from rtwcomp.surveys import studies
from tests.surveys import simulate


@pytest.fixture
def study(world, default_framework):
    made = studies.create_study(name="Validation", framework=default_framework, items="24")
    studies.open_study(made)
    simulate.simulate(made, 40, seed=3)
    return made


def test_key_items_of_the_study_require_the_level_and_the_rule_says_so(world, study):
    from rtwcomp.surveys.results import cached_analysis

    profile = services.profile_from_study(world.organisation, study, "New coordinator", level=2)
    items = cached_analysis(study)[1].items
    key = set(items.loc[items["key"].astype(bool), "item"])
    assert {r.competency.code for r in profile.requirements.all()} == key
    assert {r.level for r in profile.requirements.all()} == {2}
    assert "40 respondents" in profile.rule and f"{len(key)} of its 24 items" in profile.rule
    weights = selectors.importance(profile)
    shares = dict(zip(items["item"], items["share_top"], strict=True))
    for requirement in profile.requirements.select_related("competency"):
        assert weights[requirement.competency_id] == pytest.approx(
            shares[requirement.competency.code]
        )


def test_a_study_without_responses_gives_no_profile(world, default_framework):
    empty = studies.create_study(name="Empty", framework=default_framework, items="5")
    with pytest.raises(services.ProfileError, match="no completed response"):
        services.profile_from_study(world.organisation, empty, "None")


def test_the_person_page_lists_the_gaps_most_pressing_first(world, study):
    profile = services.profile_from_study(world.organisation, study, "New coordinator", level=3)
    ana = world.people["ana"]
    required = list(profile.requirements.select_related("competency"))
    services.record(ana, required[0].competency, source="self", instrument="self", level=3,
                    user=None)  # fmt: skip
    rows = selectors.gap_rows(ana, profile)
    met = next(r["gap"] for r in rows if r["competency"] == required[0].competency)
    assert (met.gap, met.basis, met.priority) == (0, "self", 0)
    unmet = [r["gap"] for r in rows if r["competency"] != required[0].competency]
    assert all(g.assessed is None and g.priority > 0 for g in unmet)
    assert [r["gap"].priority for r in rows if not r["gap"].personal_attribute] == sorted(
        (r["gap"].priority for r in rows if not r["gap"].personal_attribute), reverse=True
    )
    client = Client()
    client.force_login(world.users["sue"])
    page = client.get(f"/assess/people/{ana.pk}/?profile={profile.pk}")
    assert page.status_code == 200 and "Gaps to the profile" in page.text
    assert client.get(f"/assess/people/{ana.pk}/?profile=abc").status_code == 200
