"""Assessment rounds: never overlapping; every instrument files its ratings under the round
of their date; a round's ratings as CSV and XLSX, on the command line and the web."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from rtwcomp.assessments import exports, services
from rtwcomp.assessments.models import FeedbackRequest, Observation, Rating, Round
from rtwcomp.assessments.rounds import RoundError, create_round, ratings_in

D = dt.date


def _competency(world, n=0):
    return list(world.organisation.framework.competencies.order_by("position"))[n]


def _round(world, name="Spring", starts=None, ends=None):
    starts, ends = starts or D(2026, 3, 1), ends or D(2026, 5, 31)
    return create_round(world.organisation, name, starts, ends, user=world.admin)


def _rate(world, on, level=2, source="self", who="ana", **kw):
    return services.record(
        world.people[who], _competency(world), source=source,
        instrument="self" if source == "self" else "feedback", level=level,
        user=world.admin, rated_on=on, **kw,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("starts", "ends", "field", "message"),
    [
        (D(2026, 5, 31), D(2026, 6, 30), "starts_on", "overlap the round “Spring”"),
        (D(2026, 1, 1), D(2026, 3, 1), "starts_on", "(2026-03-01 to 2026-05-31)"),
        (D(2026, 4, 1), D(2026, 4, 2), "starts_on", "overlap"),
        (D(2026, 7, 2), D(2026, 7, 1), "ends_on", "ends before it starts"),
    ],
)
def test_overlapping_or_backwards_rounds_are_refused(world, starts, ends, field, message):
    _round(world)
    with pytest.raises(RoundError) as refused:
        _round(world, "Summer", starts, ends)
    assert message in str(refused.value) and refused.value.field == field
    assert list(Round.objects.values_list("name", flat=True)) == ["Spring"]


def test_adjacent_rounds_are_fine_and_names_are_unique(world):
    _round(world)
    _round(world, "Summer", D(2026, 6, 1), D(2026, 8, 31))
    with pytest.raises(RoundError, match="There is a round “Summer” already"):
        _round(world, "Summer", D(2027, 1, 1), D(2027, 1, 2))
    with pytest.raises(RoundError, match="needs a name"):
        _round(world, "  ", D(2027, 1, 1), D(2027, 1, 2))


def test_a_rating_dated_inside_a_round_belongs_to_it(world):
    spring = _round(world)
    inside, before, last_day = (
        _rate(world, D(2026, 4, 1)), _rate(world, D(2026, 2, 28)), _rate(world, D(2026, 5, 31))
    )  # fmt: skip
    assert (inside.round, before.round, last_day.round) == (spring, None, spring)
    correction = services.correct(inside, level=3, user=world.admin)
    assert correction.round == spring


def test_a_round_made_later_takes_the_ratings_dated_inside_it(world):
    early = _rate(world, D(2026, 4, 1))
    assert early.round is None
    spring = _round(world)
    assert list(ratings_in(spring)) == [early]
    other = Round.objects.create(
        organisation=world.organisation, name="Later", starts_on=D(2027, 1, 1),
        ends_on=D(2027, 2, 1),
    )  # fmt: skip
    assert not ratings_in(other).exists()


def test_every_instrument_files_its_ratings_under_the_round_of_today(world):
    today = timezone.localdate()
    now = _round(world, "Now", today - dt.timedelta(days=3), today + dt.timedelta(days=3))
    ana, competency = world.people["ana"], _competency(world)
    services.self_assess_marks(ana, {str(competency.pk): {"level": 2}}, world.users["ana"])
    draft = services.start_observation(
        ana, world.people["max"], activity="case conference", observed_on=today
    )
    services.save_draft(draft, {str(competency.pk): {"level": 3, "evidence": "seen"}})
    services.submit_observation(draft, world.users["max"])
    request, token = services.request_feedback(
        ana, source="outside", rater_name="Wendy", competencies=[competency], user=world.admin
    )
    assert request.round == now
    services.answer_feedback(token, {str(competency.pk): {"level": 1}})
    by_source = dict(Rating.objects.values_list("source", "round"))
    assert by_source == {"self": now.pk, "observed": now.pk, "outside": now.pk}


def test_an_observation_dated_outside_any_round_has_none(world):
    _round(world)
    competency = _competency(world)
    draft = Observation.objects.create(
        subject=world.people["ana"], observer=world.people["max"], activity="case conference",
        observed_on=D(2025, 1, 10), marks={str(competency.pk): {"level": 2}},
    )  # fmt: skip
    services.submit_observation(draft, world.users["max"])
    assert Rating.objects.get().round is None


def _exported_world(world):
    spring = _round(world)
    first = _rate(world, D(2026, 4, 1), level=1)
    services.correct(first, level=3, user=world.admin, evidence="=HYPERLINK(1)")
    _rate(world, D(2026, 4, 2), level=4, source="mentor", who="ben", rater=world.people["max"])
    _rate(world, D(2026, 7, 1), level=0)  # outside the round
    request, token = services.request_feedback(
        world.people["ana"], source="outside", rater_name="Wendy Worker",
        competencies=[_competency(world)], user=world.admin,
    )  # fmt: skip
    FeedbackRequest.objects.filter(pk=request.pk).update(round=spring)  # made in the round
    services.answer_feedback(token, {str(_competency(world).pk): {"level": 2}})
    return spring, first


def test_the_export_has_one_row_per_current_rating_with_markers(world):
    spring, first = _exported_world(world)
    rows = list(csv.DictReader(io.StringIO(exports.as_csv(spring))))
    assert [r["person"] for r in rows] == ["Ana Coordinator", "Ana Coordinator", "Ben Coordinator"]
    corrected = next(r for r in rows if r["corrects"])
    assert corrected["corrects"] == str(first.pk) and corrected["level"] == "3"
    assert corrected["level_label"] == "proficient" and corrected["evidence"] == "'=HYPERLINK(1)"
    outside = next(r for r in rows if r["source"] == "outside")
    assert outside["rater"] == "Wendy Worker" and outside["instrument"] == "feedback"
    mentor = next(r for r in rows if r["source"] == "mentor")
    assert mentor["rater"] == "Max Mentor" and mentor["team"] == "South"
    assert mentor["group"] == _competency(world).group.name
    assert list(rows[0]) == [name for name, *_ in exports.COLUMNS]


def test_the_xlsx_export_holds_the_same_rows_and_a_codebook(world):
    spring, _first = _exported_world(world)
    book = openpyxl.load_workbook(io.BytesIO(exports.as_xlsx(spring)))
    data = list(book["data"].values)
    assert data[0] == tuple(name for name, *_ in exports.COLUMNS)
    assert len(data) == 4 and {row[9] for row in data[1:]} == {2, 3, 4}
    codebook = {row[0]: row for row in book["codebook"].values}
    assert "2 = competent" in codebook["level"][4]


def _cli(args, capsys):
    from rtwcomp.cli import main

    status = main(args)
    return status, capsys.readouterr()


@pytest.mark.django_db(transaction=True)
def test_round_create_and_export_on_the_command_line(world, capsys, tmp_path):
    create = ["assess", "round", "create", "acme", "Spring", "--starts", "2026-03-01"]
    status, out = _cli([*create, "--ends", "2026-05-31"], capsys)
    assert status == 0, out.err
    assert "round 'Spring' of acme: 2026-03-01 to 2026-05-31" in out.out
    _rate(world, D(2026, 4, 1), level=2)
    status, out = _cli(["assess", "export", "acme", "--round", "Spring"], capsys)
    assert status == 0 and out.out.splitlines()[1].split(",")[1] == "Ana Coordinator"
    target = tmp_path / "spring.xlsx"
    export = ["assess", "export", "acme", "--round", "Spring", "--format", "xlsx", "-o"]
    status, out = _cli([*export, str(target)], capsys)
    assert status == 0, out.err
    assert len(list(openpyxl.load_workbook(target)["data"].values)) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["round", "create", "acme", "X", "--starts", "2026-13-01", "--ends", "2026-12-31"],
         "--starts '2026-13-01' is not a date written YYYY-MM-DD"),
        (["round", "create", "acme", "X", "--starts", "2026-04-01", "--ends", "2026-04-30"],
         "These dates overlap the round “Spring” (2026-03-01 to 2026-05-31)."),
        (["round", "create", "nope", "X", "--starts", "2026-04-01", "--ends", "2026-04-30"],
         "no organisation 'nope'"),
        (["round", "create", "acme", "X", "--starts", "2026-09-01", "--ends", "2026-08-30"],
         "The round ends before it starts."),
        (["export", "acme", "--round", "Autumn"], "no round 'Autumn' in acme (rounds: Spring)"),
        (["export", "acme", "--round", "Spring", "--format", "xlsx"], "an XLSX file needs -o"),
        (["export", "acme", "--round", "Spring", "-o", "/no/such/dir/x.csv"], "cannot write"),
    ],
)  # fmt: skip
def test_bad_command_lines_exit_2_with_a_message(world, capsys, args, message):
    _round(world)
    status, out = _cli(["assess", *args], capsys)
    assert status == 2 and message in out.err and "Traceback" not in out.err
    assert Round.objects.count() == 1


def _admin(world):
    client = Client()
    client.force_login(world.admin)
    return client


def test_a_programme_admin_creates_rounds_and_downloads_them(world):
    page = _admin(world).get("/assess/")
    assert 'href="/assess/orgs/acme/"' in page.text
    made = _admin(world).post(
        "/assess/orgs/acme/", {"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-05-31"}
    )
    assert made.status_code == 302
    clash = _admin(world).post(
        "/assess/orgs/acme/", {"name": "Late", "starts_on": "2026-05-01", "ends_on": "2026-06-30"}
    )
    assert clash.status_code == 400 and "overlap the round “Spring”" in clash.text
    assert 'href="#id_starts_on"' in clash.text
    spring = Round.objects.get()
    _rate(world, D(2026, 4, 1), level=2)
    listed = _admin(world).get("/assess/orgs/acme/")
    assert "Spring" in listed.text and "2026-05-31" in listed.text
    download = _admin(world).get(f"/assess/orgs/acme/rounds/{spring.pk}/export.csv")
    assert download["Content-Type"] == "text/csv"
    assert 'filename="acme-spring.csv"' in download["Content-Disposition"]
    assert "Ana Coordinator" in download.content.decode()
    xlsx = _admin(world).get(f"/assess/orgs/acme/rounds/{spring.pk}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert _admin(world).get(f"/assess/orgs/acme/rounds/{spring.pk}/export.sav").status_code == 404
