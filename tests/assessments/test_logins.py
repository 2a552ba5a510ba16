"""Log-ins for people: a programme admin invites a person, who chooses a password through a
single-use link and then sees their own record only; nobody's account is ever taken over."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from rtwcomp.assessments import logins
from rtwcomp.assessments.models import Organisation, Person
from tests.interop.cli import run

PASSWORD = "a-long-new-password-7"


@pytest.fixture
def carol(world):
    return Person.objects.create(
        organisation=world.organisation, name="Carol Coordinator", email="Carol@Example.org",
        is_coordinator=True,
    )  # fmt: skip


def _admin(world) -> Client:
    client = Client()
    client.force_login(world.admin)
    return client


def _link(message) -> str:
    """The path of the invitation's link to choose a password."""
    (found,) = re.findall(r"http://\S+/assess/welcome/\S+/", message.body)
    return urlsplit(found).path


def _choose_password(link: str) -> Client:
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.text
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    return client


def test_an_invited_person_chooses_a_password_and_sees_only_their_own_record(world, carol):
    admin = _admin(world)
    page = admin.get(f"/assess/people/{carol.pk}/").text
    assert "No log-in yet." in page and "Send a log-in invitation" in page
    answer = admin.post(f"/assess/people/{carol.pk}/invite/", follow=True)
    assert "A log-in invitation was sent to Carol@Example.org." in answer.text
    assert "Invited; no password chosen yet." in answer.text
    (message,) = mail.outbox
    assert message.to == ["Carol@Example.org"] and "carol@example.org" in message.body
    carol.refresh_from_db()
    assert carol.user.username == "carol@example.org" and not carol.user.has_usable_password()

    link = _link(message)
    _choose_password(link)
    client = Client()
    logged_in = client.post(
        "/accounts/login/", {"username": "carol@example.org", "password": PASSWORD}
    )
    assert logged_in.status_code == 302 and "/login/" not in logged_in["Location"]
    assert client.get(f"/assess/people/{carol.pk}/self/").status_code == 200
    assert client.get(f"/assess/people/{world.people['ana'].pk}/").status_code == 404
    # The link worked once: the password it set changed it.
    assert Client().get(link).status_code == 404
    assert "Has a log-in." in admin.get(f"/assess/people/{carol.pk}/").text


def test_an_invitation_sent_again_replaces_nothing_and_a_log_in_is_not_sent_twice(world, carol):
    admin = _admin(world)
    admin.post(f"/assess/people/{carol.pk}/invite/")
    admin.post(f"/assess/people/{carol.pk}/invite/")  # lost the first e-mail
    assert len(mail.outbox) == 2 and User.objects.filter(username__iexact=carol.email).count() == 1
    _choose_password(_link(mail.outbox[1]))
    answer = admin.post(f"/assess/people/{carol.pk}/invite/", follow=True)
    assert "Carol Coordinator has a log-in already." in answer.text and len(mail.outbox) == 2


def test_someone_elses_account_of_that_name_is_never_taken_over(world, carol):
    someone = User.objects.create_user("carol@example.org", password="their-own-password-1")
    answer = _admin(world).post(f"/assess/people/{carol.pk}/invite/", follow=True)
    assert "is never taken over" in answer.text and not mail.outbox
    carol.refresh_from_db()
    assert carol.user is None and someone.check_password("their-own-password-1")


def test_a_person_of_a_second_organisation_gets_the_same_log_in(world, carol):
    logins.invite(carol, "http://testserver")
    _choose_password(_link(mail.outbox[0]))
    other = Organisation.objects.create(slug="other", name="Other", owner=world.admin)
    again = Person.objects.create(organisation=other, name="Carol C.", email="carol@example.org")
    logins.invite(again, "http://testserver")
    again.refresh_from_db()
    carol.refresh_from_db()
    assert again.user == carol.user
    assert "/accounts/login/" in mail.outbox[1].body and "/welcome/" not in mail.outbox[1].body


@pytest.mark.parametrize("role", ["ana", "max", "sue", "outsider"])
def test_only_a_programme_admin_invites(world, carol, role):
    client = Client()
    client.force_login(world.users[role])
    assert client.post(f"/assess/people/{carol.pk}/invite/").status_code == 404
    assert not mail.outbox
    ana = f"/assess/people/{world.people['ana'].pk}/"
    assert 'id="login-heading"' in _admin(world).get(ana).text
    assert 'id="login-heading"' not in client.get(ana).text  # Ana's own, mentor's, supervisor's


def test_an_unknown_link_is_404(world):
    assert Client().get("/assess/welcome/MQ/no-such-token/").status_code == 404


def test_the_invitation_is_written_in_the_admins_language(world, carol):
    admin = _admin(world)
    admin.cookies["django_language"] = "fr"
    answer = admin.post(f"/assess/people/{carol.pk}/invite/", follow=True)
    assert "Une invitation" in answer.text
    assert "Choisissez votre mot de passe" in mail.outbox[0].body


def test_the_command_invites_everyone_without_a_log_in_or_nobody(world, carol):
    status, out, err = run("assess", "invite", "acme", "nobody@example.org")
    assert status == 2 and "nobody@example.org" in err and not mail.outbox
    status, out, err = run("assess", "invite", "acme", "ana@example.org", carol.email)
    assert status == 2 and "has a log-in already" in err and not mail.outbox
    status, out, err = run("assess", "invite", "acme")
    assert status == 0 and "1 invitation(s) sent" in out
    assert [m.to for m in mail.outbox] == [["Carol@Example.org"]]
    status, out, err = run("assess", "invite", "acme")
    assert status == 0 and "0 invitation(s) sent" in out
