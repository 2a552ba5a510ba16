"""Who sees whose records: the programme admin their organisation's, a person their own, a
mentor their mentees', a supervisor their team's; nobody else (researchers included)."""

from __future__ import annotations

import pytest

from rtwcomp.assessments import selectors
from tests.conftest import make_researcher

SEES = {
    "admin": {"ana", "ben", "max", "sue"},
    "ana": {"ana"},
    "ben": {"ben"},
    "max": {"max", "ana"},  # Ana's mentor
    "sue": {"sue", "ana", "max"},  # supervises team North (Ana and Max); not South (Ben)
    "outsider": set(),
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_people_each_user_may_see(world, who):
    user = world.users[who]
    seen = {p.email.split("@")[0] for p in selectors.people(user)}
    assert seen == SEES[who]
    for key, person in world.people.items():
        assert user.has_perm("assessments.view_person", person) == (key in SEES[who])


def test_a_researcher_sees_no_one(world):
    assert not selectors.people(make_researcher("rita")).exists()


def test_only_the_person_self_assesses_and_only_mentor_or_supervisor_observes(world):
    ana, users = world.people["ana"], world.users
    assert [u for u in users if users[u].has_perm("assessments.self_assess_person", ana)] == ["ana"]
    observers = {u for u in users if users[u].has_perm("assessments.observe_person", ana)}
    assert observers == {"max", "sue"}


def test_an_inactive_user_sees_nothing(world):
    max_user = world.users["max"]
    max_user.is_active = False
    max_user.save()
    assert not selectors.people(max_user).exists()
    assert not max_user.has_perm("assessments.observe_person", world.people["ana"])


def test_a_second_organisation_stays_apart(world):
    from django.contrib.auth.models import User

    from rtwcomp.assessments.models import Organisation, Person

    other_admin = User.objects.create_user("other-admin", password="x-long-password-0")
    other = Organisation.objects.create(slug="other", name="Other", owner=other_admin)
    Person.objects.create(organisation=other, name="Olga", email="olga@example.org")
    assert [p.name for p in selectors.people(other_admin)] == ["Olga"]
    assert "Olga" not in {p.name for p in selectors.people(world.admin)}
