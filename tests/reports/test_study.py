"""A study's report from the database: `rtwcomp study report` and the dashboard download."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from rtwcomp.cli import main
from rtwcomp.surveys import report_data, results, studies
from tests.conftest import make_researcher
from tests.reports.conftest import EPOCH, pdftotext
from tests.reports.parse import tables
from tests.surveys import simulate
from tests.surveys.conftest import open_study, researcher, researcher_client  # noqa: F401


@pytest.fixture
def simulated(open_study):  # noqa: F811
    simulate.simulate(open_study, 60, seed=1)
    return open_study


@pytest.mark.django_db(transaction=True)
def test_study_report_command_writes_pdf_and_html(simulated, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    pdf, html = tmp_path / "report.pdf", tmp_path / "report.html"
    assert main(["study", "report", simulated.slug, "-o", str(pdf)]) == 0
    assert main(["study", "report", simulated.slug, "-o", str(html)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    _, analysis = results.analyze(simulated)
    text = pdftotext(pdf, "-layout")
    flat = " ".join(text.split())
    assert simulated.name in flat and "n = 60" in flat and "2024-05-01" in flat
    for _, item in analysis.items.iterrows():
        assert item["item"] in text
        assert f"{item['share_top'] * 100:.1f}%" in text
    for group in analysis.groups["group"]:
        assert group in flat
    page = html.read_text(encoding="utf-8")
    found = tables(page)
    assert "tab-acquisition" in found  # the study asked how competencies were acquired
    # Questions by their text and answers by their labels, never by their codes.
    country = next(t for t in found.values() if t.caption == "Country where you work")
    counts = {r.cells[0]: int(r.cells[1]) for r in country.rows[1:]}
    assert sum(counts.values()) == 60
    assert set(counts) <= {"Australia", "Canada", "United States", "Other"}
    assert "<strong>Client types you work with</strong>: nobody answered" in page
    assert not any(t.caption in ("country", "profession") for t in found.values())
    assert "formal training" in page  # acquisition routes by their labels
    for fact in ("Key-item rule", "share rating 4 or higher &gt; 50%", "Framework"):
        assert fact in page
    assert 'id="delphi"' not in page


@pytest.mark.django_db(transaction=True)
def test_study_report_command_refuses_bad_requests(open_study, tmp_path: Path, capsys) -> None:  # noqa: F811
    assert main(["study", "report", open_study.slug, "-o", str(tmp_path / "r.docx")]) == 2
    assert main(["study", "report", open_study.slug, "-o", str(tmp_path / "r.pdf")]) == 2
    assert "no completed response" in capsys.readouterr().err
    assert main(["study", "report", "nope", "-o", str(tmp_path / "r.pdf")]) == 2
    assert list(tmp_path.iterdir()) == []


def test_dashboard_offers_the_report_as_attachments(simulated, researcher_client, run_jobs) -> None:  # noqa: F811
    page = researcher_client.get(f"/studies/{simulated.slug}/results/").content.decode()
    assert f"/studies/{simulated.slug}/report.pdf" in page
    assert f"/studies/{simulated.slug}/report.html" in page
    detail = researcher_client.get(f"/studies/{simulated.slug}/").content.decode()
    assert f"/studies/{simulated.slug}/report.pdf" in detail

    pdf = _report_through_its_job(researcher_client, simulated, "pdf", run_jobs)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (f'attachment; filename="{simulated.slug}-report.pdf"')
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF-")

    html = _report_through_its_job(researcher_client, simulated, "html", run_jobs)
    assert html["Content-Type"].startswith("text/html")
    assert html["Content-Disposition"].startswith("attachment;")
    body = b"".join(html.streaming_content if html.streaming else [html.content]).decode()
    assert "<svg" in body and simulated.name in body

    assert researcher_client.post(f"/studies/{simulated.slug}/report.docx").status_code == 404


def _report_through_its_job(client, study, fmt, run_jobs):
    """Ask for the report (the request only queues a job), run the job, download its file."""
    started = client.post(f"/studies/{study.slug}/report.{fmt}")
    assert started.status_code == 302 and started.url.startswith("/jobs/")
    run_jobs()
    response = client.get(started.url + "file")
    assert response.status_code == 200
    return response


def test_report_download_has_the_researcher_checks(simulated) -> None:
    other = make_researcher("other", password="x-long-password-2")
    client = Client()
    client.force_login(other)
    assert client.post(f"/studies/{simulated.slug}/report.pdf").status_code == 404
    assert client.post(f"/studies/{simulated.slug}/report.html").status_code == 404
    anonymous = Client().get(f"/studies/{simulated.slug}/report.pdf")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_no_response_yet_goes_back_to_the_dashboard(open_study, researcher_client) -> None:  # noqa: F811
    response = researcher_client.get(f"/studies/{open_study.slug}/report.pdf")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/studies/{open_study.slug}/results/")


def test_delphi_rounds_and_elicitation_counts(default_framework, researcher, monkeypatch) -> None:  # noqa: F811
    study = studies.create_study(
        name="Delphi panel",
        framework=default_framework,
        items="12",
        owner=researcher,
        delphi=True,
        anonymous=False,
    )
    studies.open_study(study)
    simulate.simulate(study, 30, seed=4)
    following = studies.start_next_round(study)
    simulate.simulate(study, 25, seed=5)
    data = report_data.report_data(study)
    assert [r.number for r in data.delphi or []] == [1, 2]
    assert data.delphi[1].respondents == 25  # type: ignore[index]
    assert data.funnel is None  # the default framework has no focus-group provenance
    html = report_data.render(study, "html").decode()
    rounds = tables(html)["tab-delphi"]
    assert rounds.row("2").cells[1:3] == ["25", str(following.items.count())]


def test_funnel_counts_the_focus_groups_the_framework_came_from(simulated) -> None:
    from rtwcomp.elicitation.models import Item, Project, Provenance, Session, Statement

    project = Project.objects.create(name="Focus groups", slug="focus-groups")
    session = Session.objects.create(project=project, code="S1")
    items = [
        Item.objects.create(project=project, code=f"U{k}", statement=f"unique {k}")
        for k in range(3)
    ]
    for k in range(7):
        Statement.objects.create(
            project=project,
            external_id=f"s{k}",
            session=session,
            text=f"said {k}",
            position=k,
            item=items[k % 3],
        )
    competencies = list(simulated.framework.competencies.order_by("position")[:2])
    for competency, item in zip(competencies, items, strict=False):
        Provenance.objects.create(
            competency=competency, item=item, citation_count=3, session_count=1
        )
    data = report_data.report_data(simulated)
    assert data.funnel == {"statements": 7, "unique_items": 3}
    funnel = tables(report_data.render(simulated, "html").decode())["tab-funnel"]
    assert [r.cells for r in funnel.rows[1:3]] == [["statements", "7"], ["unique items", "3"]]


def test_report_states_framework_key_rule_and_exclusions(simulated) -> None:
    import datetime as dt

    from rtwcomp.reports import render_html
    from rtwcomp.surveys.models import SurveyResponse

    round_ = simulated.current_round()
    today = dt.date.today()
    SurveyResponse.objects.create(study=simulated, round=round_, started_on=today)
    SurveyResponse.objects.create(
        study=simulated, round=round_, started_on=today, submitted_on=today, is_test=True
    )
    data = report_data.report_data(simulated)
    assert data.excluded == {"incomplete": 1, "test": 1}
    framework = simulated.framework
    assert data.framework == f"{framework.name}, version {framework.version}"
    page = render_html(data)
    assert "1 incomplete response (started, never submitted); 1 test response" in page
    assert f"The items come from {framework.name}, version {framework.version}." in page
    assert "n = 60" in page  # the test response is not counted


def test_dashboard_notes_what_three_respondents_cannot_give(open_study, researcher_client) -> None:  # noqa: F811
    simulate.simulate(open_study, 3, seed=2)
    page = researcher_client.get(f"/studies/{open_study.slug}/results/").content.decode()
    assert "Left out: the sample is too small" in page
    assert "polychoric correlations (the items) is not given: 3 respondents" in page
    assert "below the minimum of 10" in page  # alpha
    _, analysis = results.analyze(open_study)
    assert analysis.groups["alpha"].isna().all()


def test_dashboard_names_subgroup_variables_and_levels_by_their_labels(
    simulated,
    researcher_client,  # noqa: F811
) -> None:
    page = researcher_client.get(f"/studies/{simulated.slug}/results/").content.decode()
    assert "Country where you work" in page
    assert "Australia: " in page or "Canada: " in page
    assert "AU: " not in page and "CA: " not in page
