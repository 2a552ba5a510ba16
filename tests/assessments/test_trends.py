"""Trends across rounds: per group, the mean assessed level in each round, for a person and
for a team, as an SVG chart and a table."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from rtwcomp.assessments import selectors, services
from rtwcomp.assessments.rounds import create_round
from rtwcomp.reports import assessment_charts as charts

D = dt.date


def _rounds(world):
    spring = create_round(world.organisation, "Spring", D(2026, 3, 1), D(2026, 5, 31), None)
    autumn = create_round(world.organisation, "Autumn", D(2026, 9, 1), D(2026, 11, 30), None)
    return spring, autumn


def _group(world, n=0):
    return list(world.organisation.framework.groups.all())[n]


def _rate(world, who, competency, level, on, source="self", rater=None):
    instrument = {"self": "self", "observed": "observation"}.get(source, "feedback")
    services.record(
        world.people[who], competency, source=source, instrument=instrument, level=level,
        user=world.admin, rated_on=on, rater=rater,
    )  # fmt: skip


def test_a_persons_trend_uses_only_each_rounds_ratings(world):
    _rounds(world)
    first, second = list(_group(world).competencies.all()[:2])
    _rate(world, "ana", first, 1, D(2026, 4, 1))
    _rate(world, "ana", second, 2, D(2026, 4, 1))
    _rate(world, "ana", first, 3, D(2026, 10, 1))  # autumn: only one competency rated
    _rate(world, "ana", first, 4, D(2026, 10, 2), "observed", world.people["max"])
    _rate(world, "ana", second, 0, D(2026, 7, 1))  # between rounds: in no trend
    found = selectors.trends(world.organisation, [world.people["ana"]])
    assert [r.name for r in found["rounds"]] == ["Spring", "Autumn"]
    (row,) = found["rows"]
    # spring: mean of 1 and 2; autumn: the observation (4) beats the self-rating (3)
    assert row["group"] == _group(world) and row["values"] == [1.5, 4.0]
    assert row["texts"] == ["1.5", "4.0"]


def test_a_teams_trend_is_the_mean_of_its_members_means(world):
    _rounds(world)
    first, second, third = list(_group(world).competencies.all()[:3])
    sue_team = world.people["ana"].team  # North: Ana, Max, Sue
    _rate(world, "ana", first, 0, D(2026, 4, 1))
    _rate(world, "ana", second, 0, D(2026, 4, 1))
    _rate(world, "ana", third, 0, D(2026, 4, 1))
    _rate(world, "max", first, 3, D(2026, 4, 1))
    _rate(world, "ben", first, 4, D(2026, 4, 1))  # another team
    found = selectors.trends(world.organisation, list(sue_team.members.all()))
    # Ana's mean 0 and Max's 3 count once each: 1.5, not the competency mean 0.75
    assert found["rows"][0]["values"] == [1.5, None]
    assert found["rows"][0]["texts"] == ["1.5", "–"]


def test_the_person_and_team_pages_show_the_chart_and_its_table(world):
    _rounds(world)
    competency = _group(world).competencies.first()
    _rate(world, "ana", competency, 2, D(2026, 4, 1))
    _rate(world, "ana", competency, 3, D(2026, 10, 1))
    for who, url in (
        ("ana", f"/assess/people/{world.people['ana'].pk}/"),
        ("sue", f"/assess/teams/{world.people['ana'].team_id}/"),
    ):
        client = Client()
        client.force_login(world.users[who])
        page = client.get(url).text
        assert 'id="trends"' in page and "<svg" in page and 'role="img"' in page
        svg = re.search(r"<svg.*?</svg>", page, re.S)[0]
        ET.fromstring(svg)  # noqa: S314 (our own output): well-formed
        assert "<polyline" in svg and _group(world).name[:20] in svg
        table = page[page.index('id="trends-help"') :]
        assert "<td>2.0</td><td>3.0</td>" in re.sub(r"\s+", "", table)


def test_no_rounds_says_so(world):
    client = Client()
    client.force_login(world.users["ana"])
    page = client.get(f"/assess/people/{world.people['ana'].pk}/").text
    assert "No assessment rounds yet" in page


def test_the_trend_chart_breaks_lines_at_missing_rounds_and_escapes_names():
    svg = charts.trend_chart(
        "t", ["R1", "R2", "R3", "R4"],
        [charts.Series("<Group & co>", [1, 2, None, 3]), charts.Series("B", [0, None, 1, 2])],
        4, "Title", "Desc",
    )  # fmt: skip
    root = ET.fromstring(str(svg))  # noqa: S314 (our own output)
    ns = "{http://www.w3.org/2000/svg}"
    lines = root.findall(f"{ns}polyline")
    assert len(lines) == 2  # A: R1-R2 (R4 alone has no line); B: R3-R4
    assert len(root.findall(f"{ns}circle")) == 3 + 1  # A's three points and its legend marker
    assert "&lt;Group &amp; co&gt;" in str(svg)
    assert root.find(f"{ns}title").text == "Title"


NS = "{http://www.w3.org/2000/svg}"


def _parsed(svg):
    return ET.fromstring(str(svg))  # noqa: S314 (our own output)


def _round_xs(root):
    return [float(t.get("x")) for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle"]


def test_milestones_lie_between_rounds_with_a_tooltip_and_one_legend_entry():
    svg = charts.trend_chart(
        "m", ["R1", "R2", "R3"], [charts.Series("A", [1, 2, 3])], 4, "Title", "Desc",
        milestones=[
            charts.Milestone(0.25, "2026-04-15 <goal> & more"),
            charts.Milestone(1.5, "second"),
            charts.Milestone(9, "after the last round"),
        ],
        milestone_label="goal reached",
    )  # fmt: skip
    root = _parsed(svg)
    first, second, third = _round_xs(root)
    lines = root.findall(f"{NS}line[@class='milestone']")
    xs = [float(line.get("x1")) for line in lines]
    assert xs[0] == pytest.approx(first + 0.25 * (second - first), abs=0.1)
    assert xs[1] == pytest.approx(second + 0.5 * (third - second), abs=0.1)
    assert xs[2] == pytest.approx(third, abs=0.1)  # kept on the last round
    assert [line.find(f"{NS}title").text for line in lines][0] == "2026-04-15 <goal> & more"
    assert "&lt;goal&gt; &amp; more" in str(svg)
    assert [t.text for t in root.iter(f"{NS}text")].count("goal reached") == 1
    assert len(root.findall(f"{NS}line[@class='milestone-key']")) == 1
    assert "style=" not in str(svg)


def test_without_milestones_the_chart_is_as_before():
    args = ("t", ["R1", "R2"], [charts.Series("A", [1, 2])], 4, "Title", "Desc")
    assert charts.trend_chart(*args) == charts.trend_chart(*args, milestones=[])
    assert "milestone" not in str(charts.trend_chart(*args, milestone_label="unused"))
    ticks = [t.text for t in _parsed(charts.trend_chart(*args)).iter(f"{NS}text")]
    assert ticks[:5] == ["0", "1", "2", "3", "4"]


def test_the_y_axis_takes_a_step_and_a_writer_for_shares():
    svg = charts.trend_chart(
        "p", ["R1", "R2"], [charts.Series("A", [0.5, 1.0])], 1.0, "Title", "Desc",
        step=0.25, written=lambda v: f"{round(100 * v)}%",
    )  # fmt: skip
    root = _parsed(svg)
    ticks = {
        t.text: float(t.get("y")) for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"
    }
    assert list(ticks) == ["0%", "25%", "50%", "75%", "100%"]
    half, whole, _legend = root.findall(f"{NS}circle")
    assert float(half.get("cy")) + 4 == pytest.approx(ticks["50%"], abs=0.1)  # 0.5 on 50%
    assert float(whole.get("cy")) + 4 == pytest.approx(ticks["100%"], abs=0.1)


def test_long_round_names_stay_inside_the_chart_and_apart():
    names = [f"Reassessment after the pilot {n}" for n in range(12)]
    svg = charts.trend_chart("l", names, [charts.Series("A", [1] * 12)], 4, "Title", "Desc")
    root = _parsed(svg)
    labels = [t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle"]
    xs = [float(t.get("x")) for t in labels]
    gap = xs[1] - xs[0]
    for label, x in zip(labels, xs, strict=True):
        half = len(label.text) * charts.CHAR_W / 2
        assert half <= gap / 2 and x - half >= 0  # no overlap; the first starts inside
        assert label.text.endswith("…")
    assert float(root.get("width")) >= xs[-1] + half


def test_kept_trends_follow_a_new_rating_and_a_new_round(world):
    spring, _autumn = _rounds(world)
    competency = _group(world).competencies.first()
    ana = [world.people["ana"]]
    _rate(world, "ana", competency, 1, D(2026, 4, 1))
    assert selectors.trends(world.organisation, ana)["rows"][0]["values"] == [1.0, None]
    _rate(world, "ana", competency, 3, D(2026, 10, 1))
    assert selectors.trends(world.organisation, ana)["rows"][0]["values"] == [1.0, 3.0]
    create_round(world.organisation, "Summer", D(2026, 6, 1), D(2026, 8, 31), None)
    assert selectors.trends(world.organisation, ana)["rows"][0]["values"] == [1.0, None, 3.0]


def test_one_pass_over_the_ratings_equals_a_query_per_round(world):
    """The team page reads every member's ratings once, for the heat map and the rounds of
    the trends; that must give what `latest_by_source_of` gives on all ratings and on each
    round's ratings (`ratings_in`): ratings
    naming their round, ratings dated in a round made after them, corrections, several
    raters per source, outside raters, and ratings between rounds."""
    import random

    from rtwcomp.assessments.levels import Levels
    from rtwcomp.assessments.models import Rating
    from rtwcomp.assessments.rounds import ratings_in

    draw = random.Random(7)
    competencies = list(_group(world).competencies.all()[:4])
    raters = [None, world.people["max"], world.people["sue"], world.people["ben"]]
    dates = [D(2026, m, d) for m in (3, 4, 7, 9, 10) for d in (1, 15)]

    def rate_some(n):
        for _ in range(n):
            source = draw.choice(["self", "mentor", "peer", "outside", "observed"])
            rater = None if source in ("self", "outside") else draw.choice(raters[1:])
            _rate(world, draw.choice(["ana", "ben"]), draw.choice(competencies),
                  draw.randint(0, 4), draw.choice(dates), source, rater)  # fmt: skip
        for rating in draw.sample(list(Rating.objects.current()), 5):
            services.correct(rating, level=draw.randint(0, 4), user=world.admin)

    rate_some(60)  # before any round exists: their round is found by date
    rounds = list(_rounds(world))
    rate_some(60)
    members = [world.people["ana"], world.people["ben"]]
    framework = world.organisation.framework
    levels = Levels(framework, members, rounds)
    assert levels.overall() == _reference(selectors.latest_by_source_of(members), framework)
    per_round = levels.per_round()
    for round_ in rounds:
        latest = selectors.latest_by_source_of(members, ratings_in(round_))
        assert per_round[round_.pk] == _reference(latest, framework), round_.name
    assert all(per_round[r.pk] for r in rounds)


def _reference(latest, framework):
    """Group means the plain way: `gaps.combine` on each person's latest ratings."""
    import statistics

    from rtwcomp.assessments.gaps import combine

    group_of = dict(framework.competencies.values_list("pk", "group_id"))
    found = {}
    for person, competencies in latest.items():
        by_group = {}
        for competency, by_source in competencies.items():
            assessed, _basis = combine(by_source)
            if assessed is not None:
                by_group.setdefault(group_of[competency], []).append(assessed)
        found[person] = {g: statistics.fmean(v) for g, v in by_group.items()}
    return found
