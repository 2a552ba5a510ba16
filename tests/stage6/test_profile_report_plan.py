"""The individual profile report carries the person's current development plan and how far
it has got: goals, target, due date, reached date, activities done, status. The report
module sees no plan model: the development app hands it a plain section."""

from __future__ import annotations

import datetime as dt

from rtwcomp.assessments import report_data
from rtwcomp.development import services
from tests.development.conftest import plan, profile  # noqa: F401
from tests.development.helpers import SKILL_A, SKILL_B, login


def test_the_report_shows_the_plan_and_its_progress(world, plan, profile):  # noqa: F811
    first = plan.goals.get(competency__code=SKILL_A)
    services.update_goal(first, due_on=dt.date(2027, 3, 31), done_on=dt.date(2027, 2, 1))
    services.add_activity(first, route="mentorship", description="Shadow Max")
    services.complete_activity(
        services.add_activity(first, route="training", description="Course"), dt.date(2027, 1, 5)
    )
    services.update_plan(plan, reassess_on=dt.date(2027, 6, 1))
    ana = world.people["ana"]

    section = report_data.profile_data(ana, profile).plan
    assert (section.status, section.summary) == ("draft", "1 of 2 goals reached")
    rows = {row["code"]: row for row in section.goals}
    assert list(rows) == [SKILL_A, SKILL_B]  # the plan's order
    assert (rows[SKILL_A]["due"], rows[SKILL_A]["done"]) == ("2027-03-31", "2027-02-01")
    assert rows[SKILL_A]["activities"] == "1 of 2 done"
    assert (rows[SKILL_B]["done"], rows[SKILL_B]["activities"]) == ("–", "none yet")
    assert ("Reassessment date", "2027-06-01") in section.facts

    # The download a coordinator gets from her page has the section.
    page = login(world, "ana").get(f"/assess/people/{ana.pk}/report.html?profile={profile.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h2 id="plan">Development plan</h2>' in html
    assert "1 of 2 goals reached" in html and "2027-03-31" in html and "Shadow" not in html
    assert report_data.render(ana, profile, "pdf").startswith(b"%PDF-")  # the PDF too


def test_no_plan_no_section(world, profile):  # noqa: F811
    ben = world.people["ben"]
    assert report_data.profile_data(ben, profile).plan is None
    assert 'id="plan"' not in report_data.render(ben, profile, "html").decode()


def test_a_done_plan_gives_way_to_an_open_one(world, plan, profile):  # noqa: F811
    plan.status = "done"
    plan.save(update_fields=["status"])
    newer = services.create_plan(world.people["ana"], None, world.users["ana"])
    section = report_data.profile_data(world.people["ana"], profile).plan
    assert newer.goals.count() == 0 and section.goals == [] and section.summary.startswith("0")
