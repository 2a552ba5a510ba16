"""Score sheets: each interviewer's own until submitted; the comparison of candidates with
means, weighted totals and the interviewers' agreement, checked against published values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from django.contrib.auth.models import User
from django.test import Client

from rtwcomp.assessments.models import RoleProfile
from rtwcomp.selection import selectors, services
from tests.stats.test_raters import FOUR_OBSERVERS, REFERENCE


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _items(hiring):
    return list(hiring.guide.items.all())


def test_an_interviewer_sees_the_others_scores_only_after_submitting(hiring, world):
    carla = hiring.candidates[0]
    items = _items(hiring)
    sue, ben = world.users["sue"], world.users["ben"]
    services.save_sheet(carla, sue, {items[0].pk: (4, "Vivid example")}, submit=True)
    url = f"/selection/candidates/{carla.pk}/"
    before = _client(ben).get(url).content.decode()
    assert "Vivid example" not in before
    assert "once you have submitted yours" in before
    client = _client(ben)
    saved = client.post(
        url, {f"score_{items[0].pk}": "2", f"note_{items[0].pk}": "Thin", "save": ""}
    )
    assert saved.status_code == 302
    assert "Vivid example" not in client.get(url).content.decode()
    client.post(url, {f"score_{items[0].pk}": "3", f"note_{items[0].pk}": "Better", "submit": ""})
    after = client.get(url).content.decode()
    assert "Vivid example" in after and "Better" in after
    # the admin, not on the panel, sees the submitted sheets and has no sheet to fill
    admin_page = _client(world.admin).get(url).content.decode()
    assert "Vivid example" in admin_page and "Your score sheet" not in admin_page


def test_a_submitted_sheet_no_longer_changes(hiring, world):
    carla, item = hiring.candidates[0], _items(hiring)[0]
    services.save_sheet(carla, world.users["sue"], {item.pk: (1, "")}, submit=True)
    with pytest.raises(services.SelectionError, match="submitted"):
        services.save_sheet(carla, world.users["sue"], {item.pk: (4, "")}, submit=False)


def test_scores_outside_0_to_4_or_for_another_guide_are_refused(hiring, world):
    carla, item = hiring.candidates[0], _items(hiring)[0]
    with pytest.raises(services.SelectionError, match="0 to 4"):
        services.save_sheet(carla, world.users["sue"], {item.pk: (5, "")}, submit=False)
    with pytest.raises(services.SelectionError, match="not for questions of this guide"):
        services.save_sheet(carla, world.users["sue"], {999_999: (1, "")}, submit=False)
    with pytest.raises(services.SelectionError, match="at least one question"):
        services.save_sheet(carla, world.users["sue"], {}, submit=True)


def test_the_comparison_shows_means_weighted_totals_and_too_few_ratings(hiring, world):
    carla, dev = hiring.candidates
    items = _items(hiring)  # weights 3, 3, 2, 2, 2, 2
    sue, ben = world.users["sue"], world.users["ben"]
    services.save_sheet(carla, sue, {items[0].pk: (4, ""), items[2].pk: (2, "")}, submit=True)
    services.save_sheet(carla, ben, {items[0].pk: (3, ""), items[2].pk: (1, "")}, submit=True)
    services.save_sheet(dev, sue, {items[0].pk: (1, "")}, submit=True)
    services.save_sheet(dev, ben, {items[0].pk: (4, "")}, submit=False)  # not counted
    found = selectors.comparison(hiring.vacancy, world.admin)
    carla_column, dev_column = found["columns"]
    assert carla_column["means"][:3] == ["3.5", None, "1.5"]
    # (3 x 3.5 + 2 x 1.5) / (3 + 2)
    assert carla_column["total_value"] == pytest.approx(13.5 / 5)
    # Sue (3 x 4 + 2 x 2) / 5, Ben (3 x 3 + 2 x 1) / 5
    totals = {i["name"]: i["total"] for i in carla_column["interviewers"]}
    assert totals == {"sue": "3.2", "ben": "2.2"}
    assert carla_column["agreement"]["icc"] is None  # 2 questions scored by both
    assert dev_column["total"] == "1.0"
    assert dev_column["agreement"]["too_few"]  # one submitted sheet
    page = _client(world.admin).get(f"/selection/vacancies/{hiring.vacancy.pk}/compare/")
    text = page.content.decode()
    assert "too few ratings (1 interviewer)" in text
    assert "2.7" in text  # Carla's weighted total
    # Ben has not submitted Dev's sheet: Dev's column stays closed to him
    for_ben = selectors.comparison(hiring.vacancy, ben)
    assert for_ben["columns"][1]["hidden"] and not for_ben["columns"][0]["hidden"]


def test_agreement_reads_interviewers_as_raters_shrout_fleiss():
    """Shrout and Fleiss (1979): 6 targets x 4 judges, ICC(2,1) = .29. The interviewers are
    the judges, so the matrix goes in as judges x questions."""
    ratings = pd.read_csv(REFERENCE / "raters" / "shrout_fleiss.csv").to_numpy(dtype=float)
    found = selectors.agreement(ratings.T)
    assert round(found["icc"].icc, 2) == 0.29
    assert found["complete"] == 6 and found["interviewers"] == 4


def test_four_interviewers_agreement_matches_krippendorffs_worked_example(world):
    """Krippendorff (2011), four observers, twelve units with gaps: ordinal alpha 0.815. The
    values 1-5 become scores 0-4 (ordinal alpha depends on order only)."""
    from tests.selection.conftest import make_profile

    profile = make_profile(world.organisation, name="Twelve")
    guide = services.make_guide(profile, name="Twelve questions", size=12, user=world.admin)
    panel = [User.objects.create_user(f"judge{n}") for n in range(4)]
    vacancy = services.open_vacancy(
        world.organisation, title="Twelve", guide=guide, panel=panel, user=world.admin
    )
    candidate = services.add_candidate(vacancy, name="Eve")
    items = list(guide.items.all())
    for judge, row in zip(panel, FOUR_OBSERVERS, strict=True):
        marks = {i.pk: (int(v) - 1, "") for i, v in zip(items, row, strict=True) if not np.isnan(v)}
        services.save_sheet(candidate, judge, marks, submit=True)
    found = selectors.comparison(vacancy, world.admin)["columns"][0]["agreement"]
    assert found["alpha"] == pytest.approx(0.815, abs=5e-4)
    assert found["interviewers"] == 4 and found["complete"] == 8
    assert found["icc"] is not None


def test_a_profile_of_another_organisation_cannot_be_chosen(world, hiring):
    from rtwcomp.assessments.models import Organisation

    other = Organisation.objects.create(
        slug="other", name="Other", framework=world.organisation.framework
    )
    foreign = RoleProfile.objects.create(
        organisation=other, framework=other.framework, name="Foreign"
    )
    made = _client(world.admin).post(
        "/selection/organisations/acme/guides/",
        {"guide-name": "Sneaky", "guide-profile": foreign.pk, "guide-size": 3},
    )
    assert made.status_code == 400
    assert not foreign.organisation.interview_guides.exists()


def test_the_weighting_rule_kept_with_the_guide_is_shown_in_the_readers_language(hiring, world):
    client = _client(world.admin)
    url = f"/selection/vacancies/{hiring.vacancy.pk}/compare/"
    assert "1 for a personal attribute" in client.get(url).content.decode()
    client.cookies["django_language"] = "fr"
    assert "1 pour un attribut personnel" in client.get(url).content.decode()
