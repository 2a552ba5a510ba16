"""Multi-source feedback: a private link per rater, good for one answer, that expires; an
outside rater sees only their own form; the token never reaches the logs."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from django.test import Client
from django.utils import timezone

from rtwcomp.assessments import services
from rtwcomp.assessments.models import FeedbackRequest, Rating
from rtwcomp.site.logs import mask


def _competencies(world, n=3):
    return list(world.organisation.framework.groups.first().competencies.all()[:n])


def _link(world, **kw):
    return services.request_feedback(
        world.people["ana"], source="outside", rater_name="Wendy Worker",
        competencies=_competencies(world), user=world.admin, **kw,
    )  # fmt: skip


def _answer(competencies, level="3"):
    return {f"level_{c.pk}": level for c in competencies}


def test_a_link_gives_one_answer_and_then_is_used(world):
    made, token = _link(world)
    rater = Client()
    page = rater.get(f"/assess/f/{token}/")
    assert page.status_code == 200 and "Ana Coordinator" in page.text
    assert "site-header" not in page.text  # no navigation: the rater sees only this form
    done = rater.post(f"/assess/f/{token}/", _answer(_competencies(world)))
    assert done.status_code == 200 and "Thank you" in done.text
    kept = Rating.objects.filter(subject=world.people["ana"], source="outside", feedback=made)
    assert sorted(kept.values_list("level", flat=True)) == [3, 3, 3]
    again = Client().post(f"/assess/f/{token}/", _answer(_competencies(world), "0"))
    assert again.status_code == 410 and "has been used" in again.text
    assert Client().get(f"/assess/f/{token}/").status_code == 410
    assert kept.count() == 3


def test_only_the_competencies_asked_are_kept(world):
    _made, token = _link(world)
    other = world.organisation.framework.competencies.exclude(
        pk__in=[c.pk for c in _competencies(world)]
    ).first()
    Client().post(
        f"/assess/f/{token}/", {f"level_{other.pk}": "4"} | _answer(_competencies(world)[:1])
    )
    assert list(Rating.objects.values_list("competency", flat=True)) == [_competencies(world)[0].pk]


def test_an_expired_link_and_an_unknown_one(world):
    made, token = _link(world)
    FeedbackRequest.objects.filter(pk=made.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    expired = Client().get(f"/assess/f/{token}/")
    assert expired.status_code == 410 and "expired" in expired.text
    assert Client().get("/assess/f/no-such-token/").status_code == 404


def test_only_the_hash_of_the_token_is_stored(world):
    made, token = _link(world)
    assert token not in made.token_hash and len(made.token_hash) == 64
    assert not FeedbackRequest.objects.filter(token_hash=token).exists()


def test_the_token_is_masked_in_logs(world, caplog):
    _made, token = _link(world)
    assert token not in mask(f'"GET /assess/f/{token}/ HTTP/1.1" 200')
    with caplog.at_level(logging.WARNING, logger="django.request"):
        Client().post(f"/assess/f/{token}/", {f"level_{_competencies(world)[0].pk}": "9"})
    assert all(token not in mask(record.getMessage()) for record in caplog.records)


ASKERS = {"admin": 200, "max": 200, "sue": 200, "ana": 404, "ben": 404, "outsider": 404}


@pytest.mark.parametrize(("who", "status"), ASKERS.items())
def test_who_may_ask_for_feedback(world, who, status):
    client = Client()
    client.force_login(world.users[who])
    ana = world.people["ana"]
    group = world.organisation.framework.groups.first()
    posted = client.post(
        f"/assess/people/{ana.pk}/feedback/",
        {"source": "peer", "rater_name": "Pat Peer", "groups": [group.key]},
    )
    assert posted.status_code == status
    if status == 200:
        link = re.search(r'value="(http://testserver/assess/f/[^"]+)"', posted.text)[1]
        made = FeedbackRequest.objects.get()
        assert made.source == "peer" and made.competencies.count() == group.competencies.count()
        assert Client().get(link).status_code == 200
    else:
        assert not FeedbackRequest.objects.exists()
