"""Interview questions and guides: defaults saved on first edit, weighting toward personal
attributes and key competencies, rubrics from indicators, English and French."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.utils import translation

from rtwcomp.frameworks.models import BehaviouralIndicator
from rtwcomp.frameworks.services import create_from_rows, default_rows
from rtwcomp.selection import services
from rtwcomp.selection.models import InterviewQuestion
from tests.selection.conftest import make_profile


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_guide_asks_first_about_required_attitudes_then_key_then_attributes(hiring):
    items = list(hiring.guide.items.select_related("competency"))
    required = set(hiring.profile.requirements.values_list("competency_id", flat=True))
    assert len(items) == 6
    weights = [i.weight for i in items]
    assert weights == sorted(weights, reverse=True)
    # the two required attitudes (weight 3), the three required skills (2), then one more
    # personal attribute not required (2)
    assert weights == [3, 3, 2, 2, 2, 2]
    assert all(i.competency.ksab_type == "attitude" for i in items[:2])
    assert {i.competency_id for i in items[:5]} == required
    assert items[5].competency.ksab_type == "attitude"
    assert items[5].reasons == ["personal attribute"]
    assert items[0].reasons == ["personal attribute", "key"]


def test_the_guide_page_states_the_rule_and_shows_the_rubric(hiring, world):
    page = _client(world.admin).get(f"/selection/guides/{hiring.guide.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Each competency weighs 1, plus 1 if it is a personal attribute" in text
    assert "Tell us about a time when you showed this in your work" in text
    assert "0 · not yet" in text and "4 · expert" in text


def test_a_default_question_is_saved_on_first_edit_and_used_by_later_guides(world, hiring):
    competency = hiring.guide.items.first().competency
    assert not InterviewQuestion.objects.exists()
    url = f"/selection/organisations/acme/questions/{competency.pk}/"
    client = _client(world.admin)
    form = client.get(url)
    assert "Tell us about a time when you showed this" in form.content.decode()
    saved = client.post(
        url, {"text": "Describe a setback you recovered from.", "text_fr": "Décrivez un revers."}
    )
    assert saved.status_code == 302
    assert InterviewQuestion.objects.get().text == "Describe a setback you recovered from."
    later = services.make_guide(hiring.profile, name="Intake 2028", size=2, user=world.admin)
    assert later.items.first().question == "Describe a setback you recovered from."
    assert later.items.first().question_fr == "Décrivez un revers."
    # the earlier guide keeps the question it was made with
    assert hiring.guide.items.first().question.startswith("Tell us about a time")


def test_an_over_long_question_is_refused_naming_the_field(world, hiring):
    competency = hiring.guide.items.first().competency
    url = f"/selection/organisations/acme/questions/{competency.pk}/"
    refused = _client(world.admin).post(url, {"text": "x" * 1001, "text_fr": "ok"})
    assert refused.status_code == 400
    assert "at most 1000 characters" in refused.content.decode()
    assert not InterviewQuestion.objects.exists()


def test_the_guide_is_shown_in_french(world, hiring):
    client = _client(world.admin)
    client.post("/i18n/setlang/", {"language": "fr"})
    text = html.unescape(client.get(f"/selection/guides/{hiring.guide.pk}/").content.decode())
    assert "Parlez-nous d'une occasion où vous avez démontré ceci" in text


def test_anchors_come_from_the_competencys_indicators(world):
    draft = create_from_rows(default_rows(), slug="with-indicators", name="With indicators")
    attitude = draft.competencies.filter(ksab_type="attitude").first()
    BehaviouralIndicator.objects.create(competency=attitude, position=1, text="Stays calm")
    BehaviouralIndicator.objects.create(
        competency=attitude,
        position=2,
        text="Follows up",
        translations={"fr": {"text": "Fait le suivi"}},
    )
    world.organisation.framework = draft
    world.organisation.save()
    profile = make_profile(world.organisation, name="Indicators")
    guide = services.make_guide(profile, name="Anchored", size=3, user=world.admin)
    item = guide.items.get(competency=attitude)
    assert item.indicators == [
        {"text": "Stays calm", "text_fr": "Stays calm"},
        {"text": "Follows up", "text_fr": "Fait le suivi"},
    ]
    assert item.anchors[4]["text"].startswith("every indicator is shown")
    others = guide.items.exclude(competency=attitude)
    assert all(a["text"] == "" for other in others for a in other.anchors)
    with translation.override("fr"):
        from rtwcomp.selection.selectors import item_rows

        row = next(r for r in item_rows(guide) if r["item"] == item)
    assert row["indicators"] == ["Stays calm", "Fait le suivi"]
    assert row["anchors"][0]["text"] == "aucun des indicateurs n'est démontré"


@pytest.mark.parametrize("size", [0, 41])
def test_a_guide_has_1_to_40_questions(hiring, world, size):
    with pytest.raises(services.SelectionError, match="1 to 40"):
        services.make_guide(hiring.profile, name=f"Size {size}", size=size, user=world.admin)


def test_making_a_guide_through_the_page(world, hiring):
    client = _client(world.admin)
    made = client.post(
        "/selection/organisations/acme/guides/",
        {"guide-name": "From the page", "guide-profile": hiring.profile.pk, "guide-size": 3},
    )
    assert made.status_code == 302
    again = client.post(
        "/selection/organisations/acme/guides/",
        {"guide-name": "From the page", "guide-profile": hiring.profile.pk, "guide-size": 3},
    )
    assert again.status_code == 400
    assert "A guide with this name already exists." in again.content.decode()
