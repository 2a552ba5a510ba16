"""Publishing a draft version: on the web (owner only, after a confirmation page that shows
what is frozen) and with `rtwcomp framework publish`; a study opens only on a published
version."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rtwcomp.cli import main
from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import Framework
from rtwcomp.surveys import studies
from tests.conftest import make_researcher


@pytest.fixture
def owner(db):
    return make_researcher("owner")


@pytest.fixture
def draft(default_framework, owner):
    rows = services.default_rows()
    rows.competencies[0].indicators = ["Keeps a dated plan", "Sets deadlines"]
    return services.create_from_rows(rows, slug="team", name="Team framework", owner=owner)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def publish_url(framework: Framework) -> str:
    return reverse("frameworks:publish", args=[framework.slug, framework.version])


def test_confirmation_shows_what_is_frozen(draft, owner):
    page = client_of(owner).get(publish_url(draft)).content.decode()
    assert "Publish Team framework, version 1" in page
    assert "<dt>Groups</dt><dd>8</dd>" in page
    assert "<dt>Competencies</dt><dd>156</dd>" in page
    assert "<dt>Behavioural indicators</dt><dd>2</dd>" in page
    assert Framework.objects.get(pk=draft.pk).status == "draft"


def test_owner_publishes_with_a_post(draft, owner):
    client = client_of(owner)
    detail = client.get(reverse("frameworks:detail", args=["team"])).content.decode()
    assert publish_url(draft) in detail  # the button
    answer = client.post(publish_url(draft))
    assert answer.status_code == 302
    assert answer["Location"] == "/frameworks/team/?version=1"
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at is not None
    page = client.get(answer["Location"]).content.decode()
    assert "Version 1 is published." in page
    assert publish_url(draft) not in page  # no button on a published version
    assert client.get(publish_url(draft)).status_code == 404


def test_a_superuser_sees_no_button_on_a_published_version(default_framework):
    from django.contrib.auth.models import User

    root = User.objects.create_superuser("root", password="x-long-password-0")
    page = client_of(root).get(reverse("frameworks:detail", args=[default_framework.slug]))
    assert publish_url(default_framework) not in page.content.decode()


def test_others_see_no_button_and_cannot_publish(draft, owner):
    collaborator = make_researcher("collaborator")
    draft.collaborators.add(collaborator)
    for user in (collaborator, make_researcher("other")):
        client = client_of(user)
        page = client.get(reverse("frameworks:detail", args=["team"]))
        assert publish_url(draft) not in page.content.decode()
        assert client.post(publish_url(draft)).status_code == 404
    assert Client().post(publish_url(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_cli_publishes_the_latest_draft(draft, owner, capsys):
    assert main(["framework", "publish", "team", "--as", "owner"]) == 0
    assert "team version 1: published" in capsys.readouterr().out
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at is not None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such"], "no framework 'no-such'"),
        (["team", "--version", "7"], "no framework 'team' version 7"),
        (["rtw-coordinator"], "already published"),
        (["team", "--as", "stranger"], "stranger may not publish team version 1"),
        (["team", "--as", "nobody"], "no user 'nobody'"),
    ],
)
def test_cli_refusals_exit_2(draft, arguments, message, capsys):
    make_researcher("stranger")
    assert main(["framework", "publish", *arguments]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_study_opens_only_on_a_published_version(draft, owner):
    study = studies.create_study(name="On a draft", framework=draft, items="5", owner=owner)
    with pytest.raises(studies.SetupError, match="publish version 1 first"):
        studies.open_study(study)
    client = client_of(owner)
    answer = client.post(
        reverse("surveys:action", args=[study.slug]), {"action": "open"}, follow=True
    )
    assert "publish version 1 first" in answer.content.decode()
    study.refresh_from_db()
    assert study.status != "open"
    services.publish(draft)
    study.refresh_from_db()
    assert studies.open_study(study).status == "open"
