"""Progress over rounds: a coordinator's standing per group at each round's end with plan
milestones; a programme's share of coordinators meeting their profile per group."""

from __future__ import annotations

import datetime as dt

import pytest

from rtwcomp.assessments.models import Round
from rtwcomp.development import chart, progress, services
from tests.development.helpers import SKILL_A, SKILL_B, login, rate

R1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
R2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


@pytest.fixture
def rounds(world):
    return [
        Round.objects.create(organisation=world.organisation, name=name, starts_on=s, ends_on=e)
        for name, (s, e) in (("Spring", R1), ("Summer", R2))
    ]


def test_the_trajectory_is_the_standing_at_each_rounds_end_with_milestones(world, plan, rounds):
    rate(world, "ana", SKILL_A, 3, dt.date(2026, 5, 1))
    goal = plan.goals.get(competency__code=SKILL_A)
    services.update_goal(goal, done_on=dt.date(2026, 4, 15))
    found = progress.trajectory(world.people["ana"])
    rows = {r["label"]: r["cells"] for r in found["rows"]}
    # Each round's own ratings: spring SKILL_A 1 and MET 3; summer SKILL_A 3 only.
    assert rows["Administration"] == ["2.0", "3.0"]
    assert rows["Individual personal attributes"] == ["1.0", "–"]
    assert "Communication" not in rows  # never assessed
    (milestone,) = found["milestones"]
    assert milestone["date"] == dt.date(2026, 4, 15)
    expected = chart.x_of(15 / 91, 2)  # 15 of the 91 days from spring's end to summer's
    assert milestone["x"] == round(expected, 1)
    page = login(world, "max").get(f"/develop/people/{world.people['ana'].pk}/progress/")
    assert page.status_code == 200 and "<svg" in page.text and "<caption" in page.text
    assert "<td>3.0</td>" in page.text and 'class="milestone"' in page.text


def test_a_correction_replaces_the_rating_it_supersedes(world, plan, rounds):
    from rtwcomp.assessments.models import Rating

    wrong = Rating.objects.get(competency__code=SKILL_A)
    Rating.objects.create(
        subject=wrong.subject, competency=wrong.competency, source="mentor", rater=wrong.rater,
        instrument="feedback", level=2, rated_on=wrong.rated_on, supersedes=wrong,
    )  # fmt: skip
    rows = {r["label"]: r["cells"] for r in progress.trajectory(world.people["ana"])["rows"]}
    assert rows["Administration"][0] == "2.5"  # (2 + 3) / 2
    at_end = progress.standing(progress._ratings([wrong.subject]), R1[1])
    assert at_end[wrong.subject.pk][wrong.competency_id] == {"mentor": [2]}


def test_the_programme_share_meeting_the_profile_per_group(world, profile, plan, rounds):
    """Judged on the standing at each round's end: MET, rated in spring only, still counts."""
    services.create_plan(world.people["ben"], profile, world.users["admin"])
    rate(world, "ana", SKILL_A, 3, dt.date(2026, 5, 1))
    rate(world, "ana", SKILL_B, 2, dt.date(2026, 5, 2))
    found = progress.programme(world.organisation)
    assert found["counted"] == 2 and found["coordinators"] == 3  # Max coordinates too
    rows = {r["label"]: r["cells"] for r in found["rows"]}
    # Spring: neither meets administration; summer: Ana does (3 >= 3, 2 >= 2, MET 3 >= 2).
    assert rows["Administration"] == ["0.0%", "50.0%"]
    assert rows["Individual personal attributes"] == ["0.0%", "0.0%"]
    assert rows["Communication"] == ["–", "–"]  # the profile requires nothing there
    page = login(world, "admin").get(f"/develop/programmes/{world.organisation.slug}/")
    assert page.status_code == 200 and "<td>50.0%</td>" in page.text
    assert (
        login(world, "sue").get(f"/develop/programmes/{world.organisation.slug}/").status_code
        == 404
    )


def test_chart_positions():
    assert chart.position_between(5, [10, 20]) == 0.0
    assert chart.position_between(15, [10, 20]) == 0.5
    assert chart.position_between(25, [10, 20]) == 1.0
    (line,) = chart.lines([("g", [1.0, None, 3.0])], top=4)
    assert len(line.segments) == 2  # a missing round breaks the line
    assert [text for _x, _y, text in line.dots] == ["1.0", "3.0"]
    assert line.dots[0][1] == chart.y_of(1.0, 4) and chart.y_of(4, 4) == chart.TOP
    # the first and last round names run inward, so a long name stays inside the chart
    xs = chart.ticks(["Baseline", "Middle", "Reassessment"], top=4)["x"]
    assert [anchor for _x, _label, anchor in xs] == ["start", "middle", "end"]
    assert [anchor for _x, _label, anchor in chart.ticks(["Only"], top=4)["x"]] == ["middle"]
