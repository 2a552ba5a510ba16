"""The organisation's scale and activity list: edited by programme admins, used by every
instrument; a competency's behavioural indicators shown as anchors."""

from __future__ import annotations

import pytest
from django.test import Client

from rtwcomp.assessments import scales, services
from rtwcomp.assessments.models import Rating

THREE = "beginner\nable\nmaster"


def _client(world, who):
    client = Client()
    client.force_login(world.users[who])
    return client


def _settings(world, scale=THREE, activities="home visit\ncase conference"):
    return _client(world, "admin").post(
        "/assess/orgs/acme/settings/", {"scale": scale, "activities": activities}
    )


def _first(world):
    return world.organisation.framework.groups.first().competencies.first()


def test_an_admin_sets_a_three_level_scale_that_every_form_uses(world):
    assert _settings(world).status_code == 302
    world.organisation.refresh_from_db()
    assert world.organisation.scale == ["beginner", "able", "master"]
    assert world.organisation.top_level == 2
    ana = world.people["ana"]
    page = _client(world, "ana").get(f"/assess/people/{ana.pk}/self/").text
    assert "0 beginner, 1 able, 2 master" in page and "expert" not in page
    competency = _first(world)
    refused = _client(world, "ana").post(
        f"/assess/people/{ana.pk}/self/", {f"level_{competency.pk}": "3"}
    )
    assert refused.status_code == 400 and f'href="#id_level_{competency.pk}' in refused.text
    assert not Rating.objects.exists()
    with pytest.raises(ValueError, match="level 3 is outside 0-2"):
        services.record(
            ana, competency, source="self", instrument="self", level=3, user=world.admin
        )
    observe = _client(world, "max").get(f"/assess/people/{ana.pk}/observe/").text
    assert "home visit" in observe and "workplace visit" not in observe


def test_a_level_in_use_cannot_be_removed(world):
    services.record(
        world.people["ana"], _first(world), source="self", instrument="self", level=4,
        user=world.admin,
    )  # fmt: skip
    refused = _settings(world)
    assert refused.status_code == 400
    assert "Levels above 2 are in use (1 ratings, 0 requirements" in refused.text
    assert "needs at least 5 levels" in refused.text
    world.organisation.refresh_from_db()
    assert len(world.organisation.scale) == 5


@pytest.mark.parametrize(
    ("scale", "activities", "field", "message"),
    [
        ("only", "visit", "scale", "2 to 5 levels, one label per line; this has 1"),
        ("a\nb\nc\nd\ne\nf", "visit", "scale", "this has 6"),
        ("a\n" + "b" * 61, "visit", "scale", "Entry 2 has 61 characters; the limit is 60"),
        ("a\nA", "visit", "scale", "Each line must differ"),
        ("a\nb", "\n \n", "activities", "This field is required"),
        ("a\nb", "x\n" + "y" * 121, "activities", "Entry 2 has 121 characters"),
        ("a\nb", "".join(f"x{i}\n" for i in range(31)), "activities", "1 to 30 activities"),
        ("a\nb", "x\nX", "activities", "Each line must differ"),
    ],
)
def test_bad_settings_are_refused_with_the_field_named(world, scale, activities, field, message):
    page = _settings(world, scale, activities)
    assert page.status_code == 400 and message in page.text
    assert f'href="#id_{field}"' in page.text
    world.organisation.refresh_from_db()
    assert world.organisation.scale == [
        "not yet", "developing", "competent", "proficient", "expert"
    ]  # fmt: skip


def test_default_labels_are_translated_and_typed_ones_kept(world):
    from django.utils import translation

    with translation.override("fr"):
        assert scales.labels(world.organisation)[0] == "pas encore"
        world.organisation.scale = ["débutant", "expert confirmé"]
        assert scales.labels(world.organisation) == ["débutant", "expert confirmé"]


@pytest.fixture
def with_indicators(world):
    """The organisation's framework in a new published version whose first competency has
    two behavioural indicators."""
    from rtwcomp.frameworks import services as frameworks
    from rtwcomp.frameworks.models import BehaviouralIndicator

    draft = frameworks.new_draft(world.organisation.framework)
    competency = draft.groups.first().competencies.first()
    for position, text in enumerate(("Names the next step", "Checks understanding"), 1):
        BehaviouralIndicator.objects.create(competency=competency, position=position, text=text)
    world.organisation.framework = frameworks.publish(draft)
    world.organisation.save()
    return competency


def test_indicators_are_anchors_on_a_self_assessment_and_marked_in_an_observation(
    world, with_indicators
):
    ana = world.people["ana"]
    page = _client(world, "ana").get(f"/assess/people/{ana.pk}/self/").text
    assert 'class="anchors"' in page and "Names the next step" in page
    assert 'name="indicator_' not in page  # nothing to mark seen / not seen on oneself
    started = _client(world, "max").post(
        f"/assess/people/{ana.pk}/observe/",
        {"activity": "case conference", "setting": "", "observed_on": "2026-11-20"},
    )
    observation = _client(world, "max").get(started["Location"]).text
    assert 'name="indicator_' in observation and "Checks understanding" in observation
    assert 'class="anchors"' not in observation


def test_a_feedback_answer_above_the_scale_keeps_nothing_and_leaves_the_link(world):
    assert _settings(world).status_code == 302
    competency = _first(world)
    request, token = services.request_feedback(
        world.people["ana"], source="peer", rater_name="Pia", competencies=[competency],
        user=world.admin,
    )  # fmt: skip
    with pytest.raises(ValueError, match="level 3 is outside 0-2"):
        services.answer_feedback(token, {str(competency.pk): {"level": 3}})
    request.refresh_from_db()
    assert request.used_at is None and not Rating.objects.exists()
    page = Client().post(f"/assess/f/{token}/", {f"level_{competency.pk}": "3"})
    assert page.status_code == 400 and "master" in page.text
