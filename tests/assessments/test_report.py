"""The individual profile report: HTML and PDF from plain data, on the web for those who may
see the person, and on the command line; the profile chart per group on the person page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from rtwcomp.assessments import services
from rtwcomp.assessments.models import Requirement, RoleProfile
from rtwcomp.assessments.rounds import create_round
from rtwcomp.reports import profile_report
from tests.reports.conftest import pdftotext


def _client(world, who):
    client = Client()
    client.force_login(world.users[who])
    return client


@pytest.fixture
def rated(world):
    """Ana: two groups required at 3; one competency observed at 1 in a round, one self at
    2; the profile "Lead"."""
    groups = list(world.organisation.framework.groups.all()[:2])
    first, second = groups[0].competencies.first(), groups[1].competencies.first()
    profile = RoleProfile.objects.create(
        organisation=world.organisation, framework=world.organisation.framework, name="Lead"
    )
    for competency in (first, second):
        Requirement.objects.create(profile=profile, competency=competency, level=3)
    create_round(world.organisation, "Spring", dt.date(2026, 3, 1), dt.date(2026, 5, 31), None)
    ana = world.people["ana"]
    services.record(
        ana, first, source="observed", instrument="observation", level=1, user=world.admin,
        rater=world.people["max"], rated_on=dt.date(2026, 4, 1),
    )  # fmt: skip
    services.record(
        ana, second, source="self", instrument="self", level=2, user=world.admin,
        rated_on=dt.date(2026, 4, 2),
    )  # fmt: skip
    return profile, groups, first, second


def test_the_person_page_shows_the_profile_chart_and_its_table(world, rated):
    profile, groups, *_ = rated
    ana = world.people["ana"]
    page = _client(world, "ana").get(f"/assess/people/{ana.pk}/?profile={profile.pk}").text
    assert 'id="profile-chart"' in page and 'aria-labelledby="profile-title profile-desc"' in page
    table = re.sub(r"\s+", "", page[page.index('id="profile-help"') :])
    # each group: required 3.0, assessed 1.0 (observed) and 2.0 (self), 1 of 1 assessed
    assert "<td>3.0</td><td>1.0</td><td>1/1</td>" in table
    assert "<td>3.0</td><td>2.0</td><td>1/1</td>" in table
    assert f"report.pdf?profile={profile.pk}" in page


def test_the_report_downloads_as_html_and_pdf(world, rated):
    profile, groups, first, _second = rated
    ana = world.people["ana"]
    url = f"/assess/people/{ana.pk}/report"
    html = _client(world, "max").get(f"{url}.html?profile={profile.pk}")
    assert html.status_code == 200
    assert html["Content-Disposition"] == f'attachment; filename="profile-{ana.pk}.html"'
    text = html.content.decode()
    assert "Profile report: Ana Coordinator" in text and "Lead" in text
    assert text.count("<svg") == 2 and "<title" in text  # the profile and the trends
    assert first.code in text and "Gaps, most pressing first" in text
    assert "<link" not in text and "<script" not in text  # self-contained
    pdf = _client(world, "ana").get(f"{url}.pdf?profile={profile.pk}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert _client(world, "ana").get(f"{url}.docx").status_code == 404
    assert _client(world, "ben").get(f"{url}.html").status_code == 404


def test_the_command_writes_the_report(world, rated, tmp_path, capsys):
    from rtwcomp.cli import main

    target = tmp_path / "ana.pdf"
    args = ["assess", "report", "acme", "ANA@example.org", "--profile", "Lead", "-o"]
    assert main([*args, str(target)]) == 0, capsys.readouterr().err
    text = pdftotext(target)
    assert "Ana Coordinator" in text and "Trends across rounds" in text
    assert rated[2].code in text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["acme", "ana@example.org", "-o", "x.docx"], "the file must end in .pdf or .html"),
        (["acme", "nobody@example.org", "-o", "x.html"], "no person 'nobody@example.org'"),
        (["acme", "ana@example.org", "--profile", "Chief", "-o", "x.html"],
         "no role profile 'Chief' (profiles: none yet)"),
        (["nope", "ana@example.org", "-o", "x.html"], "no organisation 'nope'"),
    ],
)  # fmt: skip
def test_bad_report_commands_exit_2(world, capsys, args, message):
    from rtwcomp.cli import main

    assert main(["assess", "report", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_report_renders_plain_data_escaped_in_its_language():
    data = profile_report.ProfileReportData(
        person="<Zoé>", organisation="Acme", team="", date="2026-11-26", profile="",
        profile_rule="", combining_rule="rule", scale=["a", "b", "c"], sources=["self"],
        side_by_side=[], gaps=[], groups=[], rounds=[], trends=[],
        labels={k: k for k in _labels()}, language="fr",
    )  # fmt: skip
    html = profile_report.render_html(data)
    assert "&lt;Zoé&gt;" in html and '<html lang="fr">' in html
    assert "<svg" not in html and "no_ratings" in html and "no_trends" in html


def _labels():
    from rtwcomp.assessments.report_data import headings

    return headings()
