"""Progress over rounds: a coordinator's standing per group at each round's end with plan
milestones; a programme's share of coordinators meeting their profile per group."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from rtwcomp.assessments.models import Round
from rtwcomp.development import progress, services
from rtwcomp.reports import assessment_charts as charts
from tests.development.helpers import SKILL_A, SKILL_B, login, rate

R1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
R2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
SVG = "{http://www.w3.org/2000/svg}"


def svg_of(page_text: str, chart_id: str) -> ET.Element:
    """The chart `chart_id` of a page, parsed (it must be well-formed SVG)."""
    found = re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-title.*?</svg>', page_text, re.S)
    assert found, chart_id
    return ET.fromstring(found[0])  # noqa: S314 (our own output)


def round_xs(svg: ET.Element) -> list[float]:
    """The x of each round: its name's x under the plot (the centred texts)."""
    return [
        float(t.get("x")) for t in svg.findall(f"{SVG}text") if t.get("text-anchor") == "middle"
    ]


def y_ticks(svg: ET.Element) -> dict[str, float]:
    """Each y tick's text -> its y (the texts right-aligned left of the plot)."""
    return {
        t.text: float(t.get("y")) - 4
        for t in svg.findall(f"{SVG}text")
        if t.get("text-anchor") == "end"
    }


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
    page = login(world, "max").get(f"/develop/people/{world.people['ana'].pk}/progress/")
    assert page.status_code == 200 and "<caption" in page.text and "<td>3.0</td>" in page.text
    svg = svg_of(page.text, "trajectory")
    spring, summer = round_xs(svg)
    (line,) = svg.findall(f"{SVG}line[@class='milestone']")
    # 15 of the 91 days from spring's end to summer's
    assert float(line.get("x1")) == pytest.approx(spring + (summer - spring) * 15 / 91, abs=0.1)
    assert line.find(f"{SVG}title").text == f"2026-04-15 {milestone['label']}"
    assert "goal reached (plan milestone)" in page.text  # its legend entry
    assert "same numbers" in svg.find(f"{SVG}desc").text


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


def test_a_goal_reached_lies_where_its_day_falls_among_the_rounds_ends():
    ends = [dt.date(2026, 1, 10), dt.date(2026, 1, 20), dt.date(2026, 3, 1)]
    assert progress.position_between(dt.date(2026, 1, 5), ends) == 0.0  # before: the first
    assert progress.position_between(dt.date(2026, 1, 15), ends) == 0.5
    assert progress.position_between(dt.date(2026, 1, 20), ends) == 1.0
    assert progress.position_between(dt.date(2026, 2, 9), ends) == pytest.approx(1 + 20 / 40)
    assert progress.position_between(dt.date(2026, 5, 1), ends) == 2.0  # after: the last
    assert progress.position_between(dt.date(2026, 5, 1), []) == 0.0


def test_a_round_without_a_level_breaks_the_trajectorys_line(world, plan, rounds):
    Round.objects.create(
        organisation=world.organisation, name="Autumn", starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    rate(world, "ana", SKILL_A, 3, dt.date(2026, 10, 1))  # spring and autumn, none in summer
    found = progress.trajectory(world.people["ana"])
    rows = {r["label"]: r["cells"] for r in found["rows"]}
    assert rows["Administration"] == ["2.0", "–", "3.0"]
    page = login(world, "max").get(f"/develop/people/{world.people['ana'].pk}/progress/")
    svg = svg_of(page.text, "trajectory")
    labels = [r["label"] for r in found["rows"]]
    colour = charts.COLOURS[labels.index("Administration")]
    assert not svg.findall(f"{SVG}polyline[@stroke='{colour}']")  # no line across summer
    markers = [e for e in svg if e.get("fill") == colour]
    assert len(markers) == 2 + 1  # spring's, autumn's and the legend's
    assert list(y_ticks(svg)) == ["0", "1", "2", "3", "4"]


def test_the_programme_chart_writes_shares_as_percentages(world, profile, plan, rounds):
    rate(world, "ana", SKILL_A, 3, dt.date(2026, 5, 1))
    rate(world, "ana", SKILL_B, 2, dt.date(2026, 5, 2))
    page = login(world, "admin").get(f"/develop/programmes/{world.organisation.slug}/")
    svg = svg_of(page.text, "programme")
    ticks = y_ticks(svg)
    assert list(ticks) == ["0%", "25%", "50%", "75%", "100%"]
    assert ticks["0%"] - ticks["50%"] == pytest.approx(ticks["50%"] - ticks["100%"])
    assert not svg.findall(f"{SVG}line[@class='milestone']")


def test_the_progress_page_speaks_the_readers_language_and_the_organisations_scale(
    world, plan, rounds
):
    rate(world, "ana", SKILL_A, 2, dt.date(2026, 5, 1))
    organisation = world.organisation
    organisation.scale = ["not yet", "able", "strong"]
    organisation.save()
    client = login(world, "max")
    client.cookies["django_language"] = "fr"
    page = client.get(f"/develop/people/{world.people['ana'].pk}/progress/").content.decode()
    assert "(0-2)" in page and "(0-4)" not in page
    personal = organisation.framework.groups.get(name="Individual personal attributes")
    assert f'<th scope="row">{personal.translated("name", "fr")}</th>' in page
    assert personal.translated("name", "fr") != personal.name
    assert "Aucun pour l’instant." in page  # no goal reached yet
