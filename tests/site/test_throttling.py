"""Throttling: the survey access-code and resume-code forms, and the log-in lockout.

Clients are told apart by their address (`REMOTE_ADDR`, or behind trusted proxies the
entry they add to `X-Forwarded-For`); the counts live in the database, shared by every
server process.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from rtwcomp.site.clientip import client_ip
from rtwcomp.surveys import studies, throttle
from rtwcomp.surveys.models import AttemptCount, SurveyResponse
from tests.surveys.test_anonymity import at_once

CODE = "4821"


@pytest.fixture
def coded_study(default_framework):
    study = studies.create_study(name="Coded", framework=default_framework, items="5")
    study.access_code = CODE
    study.save()
    return studies.open_study(study)


def guess(study, code, address="10.0.0.1", client=None, **extra):
    client = client or Client()
    return client.post(f"/s/{study.slug}/", {"access_code": code}, REMOTE_ADDR=address, **extra)


def resume(study, code, address="10.0.0.1", **extra):
    return Client().post(f"/s/{study.slug}/resume/", {"code": code}, REMOTE_ADDR=address, **extra)


# --- the access code ------------------------------------------------------------------------


def minutes_named(refused) -> int:
    """The wait the page names, in whole minutes rounded up from `Retry-After`. Tries are
    counted per minute, so the window ends 15 minutes after the start of the first try's
    minute: 15 minutes, or 14 when the tries ran past the end of that minute."""
    wait = int(refused["Retry-After"])
    assert 13 * 60 < wait <= 15 * 60
    return -(-wait // 60)


def test_access_code_guesses_are_throttled_per_address(coded_study):
    for n in range(throttle.PER_CLIENT):
        assert guess(coded_study, f"{n:04d}").status_code == 400
    refused = guess(coded_study, "0005")
    assert refused.status_code == 429
    minutes = minutes_named(refused)
    assert f"Too many attempts; try again in {minutes} minutes." in refused.content.decode()
    # while it lasts, not even the right code is checked from that address ...
    assert guess(coded_study, CODE).status_code == 429
    assert not SurveyResponse.objects.exists()
    # ... but another address is not held back
    assert guess(coded_study, CODE, address="10.0.0.2").status_code == 302


def test_the_message_is_translated(coded_study):
    for n in range(throttle.PER_CLIENT + 1):
        refused = guess(coded_study, f"{n:04d}", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 429
    minutes = minutes_named(refused)
    assert f"Trop de tentatives ; réessayez dans {minutes} minutes." in refused.content.decode()


def test_only_wrong_tries_that_were_checked_count(coded_study):
    for n in range(4):
        assert guess(coded_study, f"{n:04d}").status_code == 400
    assert guess(coded_study, CODE).status_code == 302  # a right code is not held against it
    assert guess(coded_study, "0004").status_code == 400  # the fifth wrong try
    assert guess(coded_study, "0005").status_code == 429
    assert guess(coded_study, "0006").status_code == 429  # refused tries do not lengthen it
    assert throttle.total(throttle.ACCESS_CODE, coded_study) == throttle.PER_CLIENT


def test_the_wait_ends_when_the_tries_age_out(coded_study):
    for n in range(throttle.PER_CLIENT):
        guess(coded_study, f"{n:04d}")
    assert guess(coded_study, CODE).status_code == 429
    rows = AttemptCount.objects.all()
    for row in rows:  # ten minutes later: five minutes to wait
        AttemptCount.objects.filter(pk=row.pk).update(minute=row.minute - timedelta(minutes=10))
    refused = guess(coded_study, CODE)
    assert "try again in 5 minutes" in refused.content.decode()
    for row in AttemptCount.objects.all():  # fifteen minutes later
        AttemptCount.objects.filter(pk=row.pk).update(minute=row.minute - timedelta(minutes=5))
    assert guess(coded_study, CODE).status_code == 302
    assert not AttemptCount.objects.filter(count__gt=0).exists()  # old counts are removed


def test_a_higher_ceiling_holds_over_all_addresses(coded_study, default_framework):
    addresses = throttle.PER_STUDY // throttle.PER_CLIENT
    for a in range(addresses):
        for n in range(throttle.PER_CLIENT):
            assert guess(coded_study, f"9{n:03d}", address=f"10.1.0.{a}").status_code == 400
    assert guess(coded_study, CODE, address="10.2.0.1").status_code == 429
    other = studies.create_study(name="Other", framework=default_framework, items="5")
    other.access_code = CODE
    other.save()
    studies.open_study(other)
    assert guess(other, CODE, address="10.2.0.1").status_code == 302  # per study


def test_counts_are_kept_in_the_database_without_the_address(coded_study):
    for n in range(3):
        guess(coded_study, f"{n:04d}", address="192.0.2.44")
    stored = list(AttemptCount.objects.values_list("client", "count"))
    assert sum(n for client, n in stored if client != throttle.ALL_CLIENTS) == 3
    assert not any("192.0.2.44" in client for client, _n in stored)
    # a fresh "process" (no memory of its own) sees the same counts
    for n in range(2):
        assert guess(coded_study, f"1{n:03d}", address="192.0.2.44").status_code == 400
    assert guess(coded_study, CODE, address="192.0.2.44").status_code == 429


def test_the_code_is_compared_in_constant_time(coded_study, monkeypatch):
    from rtwcomp.surveys import responding

    compared = []

    def spy(a, b):
        compared.append((a, b))
        return a == b

    monkeypatch.setattr(responding, "constant_time_compare", spy)
    assert guess(coded_study, CODE).status_code == 302
    assert compared == [(CODE, CODE)]


@pytest.mark.django_db(transaction=True)
def test_guesses_sent_at_once_are_counted_exactly(coded_study):
    answers = at_once(
        [Client() for _ in range(12)], lambda client: guess(coded_study, "0000", client=client)
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [400] * throttle.PER_CLIENT + [429] * (12 - throttle.PER_CLIENT)


# --- resume codes ----------------------------------------------------------------------------


def test_resume_codes_are_throttled(coded_study):
    client = Client()
    guess(coded_study, CODE, client=client)
    saved = client.post(f"/s/{coded_study.slug}/page/1/", {"action": "save"})
    code = saved.content.decode().split('id="resume-code">')[1].split("<")[0]
    for n in range(throttle.PER_CLIENT):
        assert resume(coded_study, f"AAAA-BBBB-CCC{n}").status_code == 400
    refused = resume(coded_study, code)
    assert refused.status_code == 429
    minutes = minutes_named(refused)
    assert f"Too many attempts; try again in {minutes} minutes." in refused.content.decode()
    assert resume(coded_study, code, address="10.0.0.9").status_code == 302


# --- who the client is -----------------------------------------------------------------------


def test_x_forwarded_for_is_ignored_without_trusted_proxies(coded_study, settings):
    assert settings.RTWCOMP_TRUSTED_PROXIES == 0
    for n in range(throttle.PER_CLIENT):
        guess(coded_study, f"{n:04d}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert guess(coded_study, CODE, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_trusted_proxies_the_address_they_saw_counts(coded_study, settings):
    settings.RTWCOMP_TRUSTED_PROXIES = 1
    proxy = "10.9.9.9"
    for n in range(throttle.PER_CLIENT):  # the client's own left-most entries change nothing
        chain = f"192.0.2.{n}, 203.0.113.5"
        guess(coded_study, f"{n:04d}", address=proxy, HTTP_X_FORWARDED_FOR=chain)
    assert guess(coded_study, CODE, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert guess(coded_study, CODE, proxy, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


def test_client_ip_rules(settings):
    def ip(remote, forwarded=None):
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(RequestFactory().get("/", **meta))

    assert ip("10.0.0.1", "1.2.3.4") == "10.0.0.1"
    settings.RTWCOMP_TRUSTED_PROXIES = 2
    assert ip("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2") == "1.2.3.4"
    assert ip("10.0.0.1", "10.0.0.2") == "10.0.0.1"  # too short: not through both proxies
    assert ip("10.0.0.1", "junk, 10.0.0.2") == "10.0.0.1"
    assert ip("10.0.0.1", "2001:db8::1 , 10.0.0.2") == "2001:db8::1"


# --- log-in lockout (django-axes) ------------------------------------------------------------


def log_in(username, password, address, **extra):
    client = Client()
    answer = client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )
    return answer.status_code, "_auth_user_id" in client.session


@pytest.fixture
def users(db):
    User.objects.create_user("alice", password="alice correct horse")
    User.objects.create_user("bob", password="bob correct horse")


def test_a_failure_storm_locks_only_that_user_from_that_address(users):
    statuses = [log_in("alice", "wrong", "10.0.0.1")[0] for _ in range(5)]
    assert statuses[-1] == 429
    assert log_in("alice", "alice correct horse", "10.0.0.1") == (429, False)
    assert log_in("alice", "alice correct horse", "10.0.0.2") == (302, True)
    assert log_in("bob", "bob correct horse", "10.0.0.1") == (302, True)


def test_a_forged_x_forwarded_for_does_not_dodge_the_lockout(users, settings):
    assert settings.RTWCOMP_TRUSTED_PROXIES == 0
    for n in range(5):
        log_in("alice", "wrong", "10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    forged = log_in("alice", "alice correct horse", "10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert forged == (429, False)


def test_behind_a_trusted_proxy_the_lockout_is_per_forwarded_address(users, settings):
    settings.RTWCOMP_TRUSTED_PROXIES = 1
    proxy = "10.9.9.9"
    for n in range(5):
        log_in("alice", "wrong", proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
    password = "alice correct horse"
    assert log_in("alice", password, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5") == (429, False)
    assert log_in("alice", password, proxy, HTTP_X_FORWARDED_FOR="198.51.100.7") == (302, True)
