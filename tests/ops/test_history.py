"""Audit history: who changed a study, a framework version or a project, when, and each
field before and after; the page and its CSV for the owner, collaborators and superusers
only; never anything of a respondent's answers."""

from __future__ import annotations

import csv
import io

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from rtwcomp.audit import selectors
from rtwcomp.elicitation import services as elicitation
from rtwcomp.frameworks import services as frameworks
from rtwcomp.frameworks.models import Competency, FrozenError
from rtwcomp.interop.csv_output import FORMULA_START
from rtwcomp.surveys import invitations, studies
from tests.conftest import make_researcher
from tests.surveys import conftest as survey_fixtures
from tests.surveys import test_invitations as invitation_tests

# The invitation tests' fixtures: a study with a panel of two invitees.
researcher = survey_fixtures.researcher
panel_study = survey_fixtures.panel_study
complete_by_link = invitation_tests.complete_by_link
personal_link = invitation_tests.personal_link

TRACKED = {
    "frameworks.historicalframework",
    "frameworks.historicalgroup",
    "frameworks.historicalcompetency",
    "surveys.historicalstudy",
    "surveys.historicalquestion",
    "surveys.historicalinvitation",
    "elicitation.historicalproject",
    "elicitation.historicalstatement",
    "assessments.historicalorganisation",
    "assessments.historicalround",
    "assessments.historicalperson",
    "assessments.historicalperson_mentors",
    "assessments.historicalroleprofile",
}


@pytest.fixture
def ada(db):
    return make_researcher("ada")


@pytest.fixture
def study(default_framework, ada):
    found = studies.create_study(name="Audited", framework=default_framework, items="12", owner=ada)
    return studies.open_study(found)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_change_by_a_researcher_shows_who_when_and_before_and_after(study, ada):
    assert (
        logged_in(ada).post(f"/studies/{study.slug}/action/", {"action": "close"}).status_code
        == 302
    )
    changes = selectors.study_history(study)
    closed = next(c for c in changes if c.field == "status" and c.after == "closed")
    assert (closed.who, closed.before, closed.action) == ("ada", "open", "changed")
    assert changes[0] == closed  # newest first
    page = logged_in(ada).get(f"/history/studies/{study.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "ada" in html and "closed" in html and f"/history/studies/{study.slug}/history.csv" in html
    )
    rows = list(
        csv.reader(
            io.StringIO(
                logged_in(ada).get(f"/history/studies/{study.slug}/history.csv").content.decode()
            )
        )
    )
    assert rows[0] == selectors.HEADER
    assert any(r[1:] == ["ada", "study", "changed", "status", "open", "closed"] for r in rows)


def test_only_owner_collaborators_and_superusers_see_a_history(study, ada):
    collaborator = make_researcher("cleo")
    study.collaborators.add(collaborator)
    other = make_researcher("otto")
    from django.contrib.auth.models import User

    root = User.objects.create_superuser("root", password="x-long-password-0")
    for url in (f"/history/studies/{study.slug}/", f"/history/studies/{study.slug}/history.csv"):
        assert logged_in(other).get(url).status_code == 404, url
        assert logged_in(other).get(url.replace(study.slug, "no-such-study")).status_code == 404
        for user in (ada, collaborator, root):
            assert logged_in(user).get(url).status_code == 200, (url, user)
        assert "/login/" in Client().get(url)["Location"]


def test_the_csv_defuses_formulas(study, ada):
    study.name = '=HYPERLINK("http://example.org/x","click")'
    study.save()
    text = logged_in(ada).get(f"/history/studies/{study.slug}/history.csv").content.decode()
    assert "'=HYPERLINK" in text
    for row in csv.reader(io.StringIO(text)):
        assert not any(cell.startswith(FORMULA_START) for cell in row), row


def test_publishing_is_recorded_without_tripping_the_freeze(ada):
    draft = frameworks.create_from_rows(
        frameworks.default_rows(), slug="audited", name="Audited", owner=ada
    )
    competency = draft.competencies.first()
    competency.statement = "Changed before publishing"
    competency.save()
    frameworks.publish(draft)
    changes = selectors.framework_history(draft)
    assert any(
        c.field == "status" and (c.before, c.after) == ("draft", "published") for c in changes
    )
    assert any(
        c.object == f"competency {competency.code}" and c.after == "Changed before publishing"
        for c in changes
    )
    assert not any(c.field == "search_text" for c in changes)
    with pytest.raises(FrozenError):
        Competency.objects.get(pk=competency.pk).save()
    assert logged_in(ada).get("/history/frameworks/audited/?version=1").status_code == 200
    # published (so public), yet its history is its owner's
    assert logged_in(make_researcher("otto")).get("/history/frameworks/audited/").status_code == 404
    assert Client().get("/frameworks/audited/").status_code == 200


def test_a_projects_history(ada):
    project = elicitation.create_project("Audited project", owner=ada)
    project.role = "case manager"
    project.save()
    page = logged_in(ada).get(f"/history/projects/{project.slug}/")
    assert page.status_code == 200 and "case manager" in page.content.decode()


def test_only_the_declared_models_are_tracked():
    historical = {
        m._meta.label_lower for m in apps.get_models() if m.__name__.startswith("Historical")
    }
    assert historical == TRACKED


def history_rows() -> dict[str, list[tuple]]:
    found = {}
    with connection.cursor() as cursor:
        for label in TRACKED:
            table = apps.get_model(label)._meta.db_table
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the models
            found[table] = cursor.fetchall()
    return found


def test_an_anonymous_studys_answers_never_reach_any_history_table(panel_study):
    study = panel_study(anonymous=True)
    from django.core import mail

    invitations.send(study)
    ana = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    before = history_rows()
    complete_by_link(study, personal_link(ana))
    response = study.responses.get()
    assert response.completed
    # Responding writes nothing to any history table ...
    assert history_rows() == before
    # ... and no table of the database that is a history holds anything of the response.
    marks = {response.key, str(response.public_id), response.public_id.hex}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if "historical" not in table:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                assert not any(m in text for m in marks), table
    invitation = study.invitations.get(email="ana@example.org")
    assert not any(invitation.token in str(row) for rows in before.values() for row in rows)


def test_sending_invitations_and_reminders_is_recorded(panel_study):
    from rtwcomp.surveys.models import Invitation

    study = panel_study(anonymous=True)
    assert invitations.send(study) == invitations.send(study, reminders=True) == 2
    for invitation in Invitation.objects.filter(study=study):
        changes = [
            r.diff_against(r.prev_record).changed_fields for r in invitation.history.all()[:2]
        ]
        assert changes == [["reminded_at"], ["sent_at"]]
