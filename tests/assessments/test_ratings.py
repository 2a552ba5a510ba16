"""Ratings are events: never changed or deleted; corrections supersede and stay visible."""

from __future__ import annotations

import pytest

from rtwcomp.assessments import selectors, services
from rtwcomp.assessments.models import Rating, RatingsAreEvents

INSTRUMENT = {"self": "self", "observed": "observation"}


def _rate(world, key, source, level, code="RTWC-001", rater=None, on=None):
    return services.record(
        world.people[key],
        _competency(code),
        source=source,
        instrument=INSTRUMENT.get(source, "feedback"),
        level=level,
        user=world.admin,
        rater=rater,
        rated_on=on,
    )


def _competency(code):
    from rtwcomp.frameworks.models import Competency

    return Competency.objects.get(code=code, framework__slug="rtw-coordinator")


def test_ratings_cannot_be_changed_or_deleted(world):
    rating = _rate(world, "ana", "self", 2)
    rating.level = 4
    with pytest.raises(RatingsAreEvents):
        rating.save()
    with pytest.raises(RatingsAreEvents):
        Rating.objects.filter(pk=rating.pk).update(level=4)
    with pytest.raises(RatingsAreEvents):
        Rating.objects.filter(pk=rating.pk).delete()
    with pytest.raises(RatingsAreEvents):
        rating.delete()
    assert Rating.objects.get().level == 2


def test_a_correction_supersedes_and_keeps_the_history(world):
    first = _rate(world, "ana", "self", 1)
    fixed = services.correct(first, level=3, user=world.users["ana"], evidence="typo")
    assert list(Rating.objects.current().values_list("level", flat=True)) == [3]
    assert fixed.supersedes == first and Rating.objects.count() == 2
    with pytest.raises(ValueError, match="already been corrected"):
        services.correct(first, level=2, user=world.users["ana"])
    assert selectors.latest_by_source(world.people["ana"])[first.competency_id] == {"self": [3]}


def test_a_person_or_organisation_goes_with_its_ratings_corrections_and_rounds(world):
    """Ratings are never deleted one by one, yet a person's deletion (a request to erase
    them) or their organisation's takes every rating, correction and round together."""
    import datetime as dt

    from rtwcomp.assessments.models import Person, Round
    from rtwcomp.assessments.rounds import create_round

    create_round(world.organisation, "Spring", dt.date(2026, 3, 1), dt.date(2026, 5, 31), None)
    for key in ("ana", "ben"):
        first = _rate(world, key, "self", 1, on=dt.date(2026, 4, 2))
        services.correct(first, level=3, user=world.admin)
    assert Rating.objects.filter(round__name="Spring").count() == 4
    with pytest.raises(RatingsAreEvents):
        Rating.objects.all().delete()
    world.people["ana"].delete()
    assert Rating.objects.count() == 2 and not Rating.objects.filter(
        subject__name__startswith="Ana"
    )
    world.organisation.delete()
    assert not (Rating.objects.exists() or Round.objects.exists() or Person.objects.exists())


def test_levels_outside_the_scale_and_draft_frameworks_are_refused(world):
    from rtwcomp.frameworks.services import new_draft

    with pytest.raises(ValueError, match="outside 0-4"):
        _rate(world, "ana", "self", 5)
    draft = new_draft(_competency("RTWC-001").framework)
    with pytest.raises(ValueError, match="not in a published framework"):
        services.record(world.people["ana"], draft.competencies.first(), source="self",
                        instrument="self", level=1, user=None)  # fmt: skip


def test_self_assessment_is_all_or_nothing(world):
    good, bad = _competency("RTWC-001"), _competency("RTWC-002")
    with pytest.raises(ValueError):
        services.self_assess(world.people["ana"], {good: (2, ""), bad: (9, "")}, world.users["ana"])
    assert not Rating.objects.exists()
    services.self_assess(world.people["ana"], {good: (2, "did it"), bad: (1, "")}, None)
    assert Rating.objects.filter(source="self", rater=world.people["ana"]).count() == 2


def test_latest_by_source_keeps_each_raters_latest(world):
    import datetime as dt

    day = dt.date(2026, 1, 1)
    _rate(world, "ana", "peer", 1, rater=world.people["ben"], on=day)
    _rate(world, "ana", "peer", 3, rater=world.people["ben"], on=day + dt.timedelta(days=9))
    _rate(world, "ana", "peer", 2, rater=world.people["max"], on=day + dt.timedelta(days=5))
    latest = selectors.latest_by_source(world.people["ana"])
    assert latest[_competency("RTWC-001").pk] == {"peer": [2, 3]}


def test_a_user_reads_ratings_only_of_people_they_may_see(world):
    _rate(world, "ana", "self", 2)
    assert selectors.ratings(world.users["max"], world.people["ana"]).count() == 1
    assert selectors.ratings(world.users["ben"], world.people["ana"]).count() == 0
