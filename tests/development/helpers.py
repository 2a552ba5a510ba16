"""Helpers of the development tests: log-ins, competencies, ratings, a validation study."""

from __future__ import annotations

import datetime as dt

from django.test import Client

# Ana's gaps to the profile "Lead": two trainable competencies (one never assessed) and a
# personal attribute, which a plan leaves out; one she meets already.
SKILL_A, SKILL_B, MET = "RTWC-001", "RTWC-003", "RTWC-002"


def login(world, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def competency(world, code: str):
    return world.organisation.framework.competencies.get(code=code)


def attitude(world):
    return world.organisation.framework.competencies.filter(ksab_type="attitude").first()


def rate(world, who: str, code_or_competency, level: int, on: dt.date, source: str = "mentor"):
    from rtwcomp.assessments.models import Rating

    found = (
        competency(world, code_or_competency)
        if isinstance(code_or_competency, str)
        else code_or_competency
    )
    rater = world.people["max"] if source == "mentor" else None
    return Rating.objects.create(
        subject=world.people[who], competency=found, source=source,
        instrument="observation" if source == "observed" else "feedback", rater=rater,
        level=level, rated_on=on,
    )  # fmt: skip


def study_with_acquired(world, answers: dict[str, list[str]]):
    """A closed study on the framework that asked how each competency was acquired; one
    completed response per position in each list (code -> the `acquired` answers)."""
    from rtwcomp.surveys.models import Answer, Round, Study, StudyItem, SurveyResponse

    study = Study.objects.create(
        slug="validation", name="Validation", framework=world.organisation.framework,
        owner=world.admin, ask_acquired=True, status=Study.Status.CLOSED,
        scale=[{"value": v, "label": str(v)} for v in range(1, 6)],
    )  # fmt: skip
    items = {
        code: StudyItem.objects.create(study=study, competency=competency(world, code), position=i)
        for i, code in enumerate(answers)
    }
    round_ = Round.objects.create(study=study, number=1)
    for n in range(max(len(v) for v in answers.values())):
        response = SurveyResponse.objects.create(
            study=study, round=round_, started_on=dt.date(2026, 1, 1),
            submitted_on=dt.date(2026, 1, 2),
        )  # fmt: skip
        for code, acquired in answers.items():
            if n < len(acquired):
                Answer.objects.create(
                    response=response, item=items[code], value=4, acquired=acquired[n]
                )
    return study
