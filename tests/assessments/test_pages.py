"""The assessment pages as each person uses them: self-assessment, direct observation with a
draft that survives, ratings side by side; everyone else gets 404."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client

from rtwcomp.assessments.models import Observation, Rating


def client(world, who):
    c = Client()
    c.force_login(world.users[who])
    return c


def _groups(world):
    return list(world.organisation.framework.groups.all())


def _levels(group, level="2"):
    return {f"level_{c.pk}": level for c in group.competencies.all()[:3]}


def test_a_coordinator_assesses_themself_and_sees_the_ratings(world):
    ana = world.people["ana"]
    group = _groups(world)[1]
    page = client(world, "ana").get(f"/assess/people/{ana.pk}/self/?group={quote(group.key)}")
    assert page.status_code == 200 and group.name in page.text
    posted = client(world, "ana").post(
        f"/assess/people/{ana.pk}/self/?group={quote(group.key)}", _levels(group) | {"x": "y"}
    )
    assert posted.status_code == 302
    assert Rating.objects.filter(subject=ana, source="self", level=2).count() == 3
    person = client(world, "ana").get(f"/assess/people/{ana.pk}/")
    first = group.competencies.first()
    assert first.statement in person.text and "Assess yourself" in person.text


@pytest.mark.parametrize(
    ("data", "field"),
    [({"level": "9"}, "level"), ({"evidence": "x" * 4001}, "evidence")],
)
def test_bad_input_is_refused_with_the_field_named(world, data, field):
    ana = world.people["ana"]
    competency = _groups(world)[0].competencies.first()
    form = {f"{key}_{competency.pk}": value for key, value in data.items()}
    page = client(world, "ana").post(f"/assess/people/{ana.pk}/self/", form)
    assert page.status_code == 400
    assert "error-summary" in page.text and f'href="#id_{field}_{competency.pk}' in page.text
    assert not Rating.objects.exists()


@pytest.mark.parametrize("who", ["ben", "outsider", "admin", "max", "sue"])
def test_only_the_person_self_assesses(world, who):
    ana = world.people["ana"]
    assert client(world, who).get(f"/assess/people/{ana.pk}/self/").status_code == 404


@pytest.mark.parametrize("who", ["ben", "outsider"])
def test_a_colleague_or_outsider_gets_404_everywhere(world, who):
    ana = world.people["ana"]
    for url in ("", "self/", "observe/"):
        assert client(world, who).get(f"/assess/people/{ana.pk}/{url}").status_code == 404


def test_a_mentor_observes_with_a_draft_that_keeps_what_was_typed(world):
    ana, mentor = world.people["ana"], client(world, "max")
    started = mentor.post(
        f"/assess/people/{ana.pk}/observe/",
        {"activity": "workplace visit", "setting": "warehouse", "observed_on": "2026-11-20"},
    )
    assert started.status_code == 302
    draft = Observation.objects.get()
    url = f"/assess/observations/{draft.pk}/"
    first, second = _groups(world)[:2]
    moved = mentor.post(
        f"{url}?group={quote(first.key)}", _levels(first, "3") | {"goto": second.key}
    )
    assert moved.status_code == 302 and moved["Location"].endswith(f"?group={quote(second.key)}")
    # The connection drops; the mentor comes back later and finds the draft.
    again = client(world, "max").get(f"{url}?group={quote(first.key)}")
    competency = first.competencies.first()
    assert re.search(rf'name="level_{competency.pk}" value="3"[^>]*checked', again.text)
    assert not re.search(rf'name="level_{competency.pk}" value="2"[^>]*checked', again.text)
    assert not Rating.objects.exists()
    done = mentor.post(f"{url}?group={quote(second.key)}", _levels(second, "1") | {"submit": "1"})
    assert done.status_code == 302
    kept = Rating.objects.filter(subject=ana, source="observed", rater=world.people["max"])
    assert sorted(kept.values_list("level", flat=True)) == [1, 1, 1, 3, 3, 3]
    assert mentor.post(url, _levels(first, "0") | {"submit": "1"}).status_code == 200
    assert kept.count() == 6  # a submitted observation cannot be submitted again


@pytest.mark.parametrize("who", ["sue", "ana", "ben", "admin"])
def test_an_observation_draft_is_its_observers_alone(world, who):
    ana = world.people["ana"]
    draft = Observation.objects.create(
        subject=ana, observer=world.people["max"], activity="case conference",
        observed_on="2026-11-20",
    )  # fmt: skip
    assert client(world, who).get(f"/assess/observations/{draft.pk}/").status_code == 404


def test_side_by_side_flags_a_self_rating_far_from_the_others(world):
    from rtwcomp.assessments import services

    ana = world.people["ana"]
    competency = _groups(world)[0].competencies.first()
    services.record(ana, competency, source="self", instrument="self", level=4, user=None)
    services.record(ana, competency, source="mentor", instrument="feedback", level=1,
                    user=None, rater=world.people["max"])  # fmt: skip
    page = client(world, "sue").get(f"/assess/people/{ana.pk}/")
    assert page.status_code == 200 and "self rates higher" in page.text


def test_the_index_lists_people_by_relation(world):
    page = client(world, "sue").get("/assess/")
    assert "Your team" in page.text and "Ana Coordinator" in page.text
    assert "Ben Coordinator" not in page.text


def test_the_team_heat_map_shows_each_members_mean_per_group(world):
    from rtwcomp.assessments import services

    ana, max_ = world.people["ana"], world.people["max"]
    first = _groups(world)[0]
    a, b = list(first.competencies.all()[:2])
    services.record(ana, a, source="self", instrument="self", level=1, user=None)
    services.record(ana, b, source="observed", instrument="observation", level=4, user=None,
                    rater=max_)  # fmt: skip
    services.record(ana, b, source="self", instrument="self", level=0, user=None)
    page = client(world, "sue").get(f"/assess/teams/{ana.team_id}/")
    assert page.status_code == 200
    row = re.search(r"Ana Coordinator</a></th>(.*?)</tr>", page.text, re.S)[1]
    cells = re.findall(r"<td class=\"heat-[^\"]+\">([^<]+)</td>", row)
    assert cells[0] == "2.5"  # (1 self + 4 observed beats self 0) / 2
    assert cells[1:] == ["–"] * (len(_groups(world)) - 1)
    assert "Ben Coordinator" not in page.text  # team South
    assert client(world, "ben").get(f"/assess/teams/{ana.team_id}/").status_code == 404


def test_agreement_between_sources_per_group(world):
    """Two sources in perfect agreement on four competencies: alpha 1 and ICC(2,1) 1."""
    from rtwcomp.assessments import selectors, services

    ana, max_ = world.people["ana"], world.people["max"]
    group = _groups(world)[0]
    for competency, level in zip(group.competencies.all()[:4], (0, 2, 3, 4), strict=True):
        services.record(ana, competency, source="self", instrument="self", level=level, user=None)
        services.record(ana, competency, source="mentor", instrument="feedback", level=level,
                        user=None, rater=max_)  # fmt: skip
    (row,) = selectors.agreement(ana)
    assert row["group"] == group and row["sources"] == ["mentor", "self"]
    assert row["paired"] == row["complete"] == 4
    assert row["alpha"] == 1.0 and row["icc2"].icc == 1.0
    page = client(world, "ana").get(f"/assess/people/{ana.pk}/")
    assert "Agreement between sources" in page.text


def test_autosave_keeps_the_page_in_the_draft(world):
    ana = world.people["ana"]
    draft = Observation.objects.create(
        subject=ana, observer=world.people["max"], activity="case conference",
        observed_on="2026-11-20",
    )  # fmt: skip
    first = _groups(world)[0]
    url = f"/assess/observations/{draft.pk}/draft/?group={quote(first.key)}"
    saved = client(world, "max").post(url, _levels(first, "4"))
    assert saved.status_code == 200 and "Draft saved" in saved.text
    draft.refresh_from_db()
    assert sorted(m["level"] for m in draft.marks.values() if m["level"] is not None) == [4] * 3
    refused = client(world, "max").post(url, _levels(first, "7"))
    assert refused.status_code == 400 and "Not saved" in refused.text
    assert client(world, "sue").post(url, _levels(first, "1")).status_code == 404


def test_ids_too_large_for_the_database_are_not_found(world):
    huge = 2**70
    pages = ("assess/people/{}/", "assess/teams/{}/", "assess/observations/{}/")
    api = ("api/v1/assessments/people/{}", "api/v1/assessments/people/{}/ratings")
    for url in ("/" + route.format(huge) for route in pages + api):
        assert client(world, "admin").get(url).status_code == 404, url
