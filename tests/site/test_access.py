"""The permission model beyond the generated matrix: the admin, drafts, staff status."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from rtwcomp.frameworks.models import Framework
from rtwcomp.frameworks.services import create_from_rows, default_rows, new_draft, publish
from rtwcomp.site.models import ApiToken
from rtwcomp.surveys import studies
from rtwcomp.surveys.models import Invitation
from tests.conftest import make_researcher


@pytest.fixture
def two_researchers(default_framework):
    owner = make_researcher("owner")
    rival = make_researcher("rival")
    study = studies.create_study(name="Owner's study", framework=default_framework, owner=owner)
    Invitation.objects.create(study=study, email="panellist@example.org")
    return owner, rival, study


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_admin_model_permissions_do_not_open_another_researchers_study(two_researchers):
    owner, rival, study = two_researchers
    # What the admin once told researchers to hold: view and change on studies and invitations.
    rival.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_study", "change_study", "view_invitation", "change_invitation"]
        )
    )
    rival = User.objects.get(pk=rival.pk)
    client = logged_in(rival)
    listing = client.get("/admin/surveys/study/").content.decode()
    assert "Owner&#x27;s study" not in listing and "Owner's study" not in listing
    invitations = client.get("/admin/surveys/invitation/").content.decode()
    assert "panellist@example.org" not in invitations
    change = f"/admin/surveys/study/{study.pk}/change/"
    assert client.get(change).url == "/admin/"  # the same answer as for no such study
    client.post(change, {"name": "Taken", "collaborators": [rival.pk]})
    study.refresh_from_db()
    assert study.name == "Owner's study" and not study.collaborators.exists()


def test_only_the_owner_edits_collaborators_in_the_admin(two_researchers):
    owner, rival, study = two_researchers
    helper = make_researcher("helper")
    study.collaborators.add(helper)
    change = f"/admin/surveys/study/{study.pk}/change/"
    as_helper = logged_in(helper).get(change).content.decode()
    assert 'name="collaborators"' not in as_helper and 'name="name"' in as_helper
    as_owner = logged_in(owner).get(change).content.decode()
    assert 'name="collaborators"' in as_owner


def test_staff_status_alone_grants_nothing(two_researchers):
    owner, rival, study = two_researchers
    staff = User.objects.create_user("staff", password="x-long-password-0", is_staff=True)
    client = logged_in(staff)
    assert client.get("/studies/").status_code == 403
    assert client.get(f"/studies/{study.slug}/").status_code == 403
    assert client.get("/admin/surveys/study/").status_code == 403
    assert client.get("/api/v1/studies", HTTP_AUTHORIZATION="").json() == []


def test_drafts_are_private_to_their_owner_and_collaborators(default_framework):
    owner = make_researcher("owner")
    draft = create_from_rows(default_rows(), slug="team-draft", name="Team draft", owner=owner)
    code = draft.competencies.first().code
    urls = ["/frameworks/team-draft/", f"/frameworks/team-draft/{code}/"]
    api = "/api/v1/frameworks/team-draft"
    for client in (Client(), logged_in(make_researcher("rival"))):
        assert all(client.get(url).status_code == 404 for url in urls)
        assert client.get(api).status_code == 404
        assert "team-draft" not in client.get("/frameworks/").content.decode()
        assert "team-draft" not in {f["slug"] for f in client.get("/api/v1/frameworks").json()}
    client = logged_in(owner)
    assert all(client.get(url).status_code == 200 for url in urls)
    assert client.get(api).json()["status"] == "draft"
    bearer = f"Bearer {ApiToken.issue(owner)}"
    assert Client().get(api, HTTP_AUTHORIZATION=bearer).json()["status"] == "draft"
    assert Client().get(api, HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    publish(draft)
    assert Client().get(api).json()["version"] == 1
    second = new_draft(draft)
    assert second.owner == owner
    assert Client().get(api).json()["version"] == 1  # the public sees the published one
    assert Client().get(f"{api}?version=2").status_code == 404


def test_a_researcher_cannot_add_a_version_to_anothers_framework(default_framework):
    from rtwcomp.frameworks.services import SlugTaken, check_new_version

    rival = make_researcher("rival")
    with pytest.raises(SlugTaken):
        check_new_version(default_framework.slug, rival)
    check_new_version("a-new-slug", rival)
    assert Framework.objects.filter(slug=default_framework.slug).count() == 1


def test_403_404_and_500_pages_are_styled_and_say_what_happened(db, rf):
    from django.core.exceptions import PermissionDenied
    from django.views import defaults

    missing = Client().get("/no-such-page/")
    assert missing.status_code == 404
    pages = {
        404: missing.content.decode(),
        403: defaults.permission_denied(rf.get("/"), PermissionDenied()).content.decode(),
        500: defaults.server_error(rf.get("/")).content.decode(),
    }
    titles = {404: "Page not found", 403: "Not allowed", 500: "Something went wrong"}
    for status, html in pages.items():
        assert f"<h1>{titles[status]}</h1>" in html, status
        assert "/static/rtwcomp/site.css" in html, status
        assert '<main id="main"' in html and 'href="/"' in html, status
