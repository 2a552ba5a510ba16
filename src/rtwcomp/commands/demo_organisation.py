"""The demo's organisation: its coordinators, mentors and supervisor assessed against a role
profile drawn from the demo study (a baseline round with self-assessments and direct
observations), then development plans from their gaps, mentors matched, meetings logged, a
reassessment round, and a vacancy filled with an interview guide, all through the apps'
services (`rtwcomp.commands.demo` builds the study before it)."""

from __future__ import annotations

from typing import Any

from rtwcomp.commands.demo import PREFIX, locked_user

PEOPLE = (
    # name, roles, team, supervisor (first names are unique: e-mail addresses and log-ins)
    ("Ana Lopez", ("coordinator",), "North", "sue"),
    ("Ben Okafor", ("coordinator",), "North", "sue"),
    ("Emma Walsh", ("coordinator",), "North", "sue"),
    ("Chloé Tremblay", ("coordinator",), "South", "sue"),
    ("Dev Patel", ("coordinator",), "South", "sue"),
    ("Farid Haddad", ("coordinator",), "South", "sue"),
    ("Grace Liu", ("mentor", "coordinator"), "North", "sue"),
    ("Hamish Brown", ("mentor",), "", ""),
    ("Sue Martin", ("supervisor",), "", ""),
)
OBSERVED_PER_PERSON = 12
# Overall proficiency (mean, SD) in levels from the scale's middle: mentors are seasoned.
ABILITY = {"coordinator": (0.0, 0.6), "mentor": (1.2, 0.3)}
GROUP_SPREAD = 0.6  # SD of a person's offsets by group: their stronger and weaker groups
# (name, first day, last day) in days from today: the baseline, and the round running now
ROUNDS = (("Baseline", -120, -61), ("Reassessment", -60, 30))
BASELINE_RATED, BASELINE_OBSERVED = -100, -95  # days from today
CAPACITIES = {"Grace Liu": 3, "Hamish Brown": 4}  # mentees each mentor takes


def _first_name(name: str) -> str:
    import unicodedata

    first = name.split()[0]
    return unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode().lower()


def _email(name: str) -> str:
    return f"{_first_name(name)}@demo.example.org"


def create_organisation(seed: int, framework: Any, study: Any, user: Any) -> tuple[Any, Any]:
    """An organisation assessing against the default framework: coordinators, mentors and
    a supervisor in two teams, a role profile drawn from the demo study's key items, and a
    baseline round with a self-assessment by every coordinator and mentor and one
    observation of each coordinator by their supervisor. Returns it and the profile."""
    from rtwcomp.assessments import services
    from rtwcomp.assessments.models import Organisation
    from rtwcomp.interop.people_csv import PersonRow

    organisation = Organisation.objects.create(
        slug=f"{PREFIX}northside-{seed}",
        name=f"Demo: Northside return-to-work services (seed {seed})",
        framework=framework,
        owner=user,
    )
    rows = [
        PersonRow(
            line=n + 2,
            name=name,
            email=_email(name),
            roles=roles,
            team=team,
            mentor="",  # mentors come from the matching (`develop`)
            supervisor=_email(supervisor) if supervisor else "",
        )
        for n, (name, roles, team, supervisor) in enumerate(PEOPLE)
    ]
    services.import_people(organisation, rows)
    profile = services.profile_from_study(organisation, study, "RTW coordinator (demo study)")
    _rounds(organisation, user)
    _baseline(organisation, profile, seed, user)
    return organisation, profile


def _rounds(organisation: Any, user: Any) -> list[Any]:
    import datetime as dt

    from rtwcomp.assessments.rounds import create_round

    today = _today()
    return [
        create_round(
            organisation, name, today + dt.timedelta(first), today + dt.timedelta(last), user
        )
        for name, first, last in ROUNDS
    ]


def _required(profile: Any) -> list[Any]:
    return [r.competency for r in profile.requirements.select_related("competency")]


def _baseline(organisation: Any, profile: Any, seed: int, user: Any) -> None:
    """Self-assessments by every coordinator and mentor and an observation of each
    coordinator by their supervisor, dated inside the baseline round. Each level is the
    scale's middle plus the person's overall proficiency, their offset in the competency's
    group (everyone has stronger and weaker groups) and noise; people rate themselves a
    little higher than observers do."""
    import datetime as dt

    import numpy as np

    from rtwcomp.assessments import services
    from rtwcomp.assessments.models import Rating

    rng = np.random.default_rng([seed, 6])
    top = organisation.top_level
    required = _required(profile)
    groups = sorted({c.group_id for c in required})
    rated_on = _today() + dt.timedelta(BASELINE_RATED)

    def level(centre: float, lean: float, noise: float) -> int:
        return int(np.clip(np.rint(top / 2 + centre + lean + rng.normal(0, noise)), 0, top))

    people = organisation.people.filter(is_supervisor=False).order_by("name")
    for person in people.select_related("team"):
        mean, sd = ABILITY["mentor" if person.is_mentor else "coordinator"]
        ability = float(rng.normal(mean, sd))
        offsets = dict(zip(groups, rng.normal(0, GROUP_SPREAD, len(groups)), strict=True))
        centre = {c.pk: ability + offsets[c.group_id] for c in required}
        for competency in required:
            services.record(
                person, competency, source=Rating.Source.SELF, instrument=Rating.Instrument.SELF,
                level=level(centre[competency.pk], 0.3, 0.7), user=user, rater=person,
                rated_on=rated_on,
            )  # fmt: skip
        if person.is_coordinator:
            size = min(OBSERVED_PER_PERSON, len(required))
            observed = [required[k] for k in rng.choice(len(required), size=size, replace=False)]
            marks = {
                str(c.pk): {"level": level(centre[c.pk], 0.0, 0.6), "evidence": ""}
                for c in observed
            }
            _observe(person, marks, user)


def _observe(person: Any, marks: dict[str, Any], user: Any) -> None:
    """The baseline observation of `person` by the supervisor of their team."""
    import datetime as dt

    from rtwcomp.assessments import services

    supervisor = person.team.supervisors.order_by("name").first() if person.team else None
    if supervisor is None:
        return
    observation = services.start_observation(
        person,
        supervisor,
        activity=(person.organisation.activities or ["case conference"])[0],
        observed_on=_today() + dt.timedelta(BASELINE_OBSERVED),
    )
    services.save_draft(observation, marks)
    services.submit_observation(observation, user)


# --- stage 6: plans, mentors, the reassessment, and selection ---------------------------------

GOALS_WORKED_ON = 3  # per plan: the goals with an activity, discussed at the first meeting
ROUTE_TASKS = {
    "mentorship": "Work through two current cases with your mentor, focusing on {code}",
    "training": "Attend a course or workshop that covers {code}",
    "on_the_job": "Take the lead on a case that calls for {code}, then review it together",
    "self_study": "Read the guidance on {code} and note how it applies to your cases",
}
GUIDE_QUESTIONS = 8
REASSESS_IN, ACTIVITY_EVERY = 90, 14  # days: the next reassessment; between activities due
SELF_GROWTH = 0.15  # chance a competency not worked on is rated a level higher, too
CANDIDATES = (  # name, overall interview performance on the 0-4 scale
    ("Jordan Reyes", 3.0),
    ("Sam Whitford", 1.8),
)


def demo_logins(organisation: Any) -> dict[int, Any]:
    """Person id -> a log-in named `demo-<first name>` with no password, so nobody can sign
    in as them: agreeing to a plan, logging a meeting and scoring a candidate are done as a
    user. An account of that name that can log in is someone's own and is never taken
    over. The people file carries no log-ins, so each is linked as an admin would."""
    logins = {}
    for person in organisation.people.order_by("name"):
        login = locked_user(f"{PREFIX}{_first_name(person.name)}")
        person.user = login
        person.save(update_fields=["user"])
        logins[person.pk] = login
    return logins


def develop(organisation: Any, profile: Any, seed: int, user: Any) -> dict[str, int]:
    """Stage 6 through the apps' services: a plan from their gaps for each coordinator who
    is not a mentor; mentors matched on the baseline round, and each plan agreed by the
    coordinator and their mentor (or supervisor); one meeting per pair on the plan's first
    goals; the reassessment round (a new self-assessment, and the mentor's observation
    started from the meeting), the first goal reached; then a vacancy whose two candidates
    a panel of two scores. Returns the counts of what was made."""
    import numpy as np

    from rtwcomp.mentoring import selectors as matching
    from rtwcomp.mentoring import services as mentoring

    rng = np.random.default_rng([seed, 15])
    logins = demo_logins(organisation)
    people = {p.name: p for p in organisation.people.all()}
    coordinators = organisation.people.filter(is_coordinator=True, is_mentor=False)
    plans = [_plan(person, profile, user) for person in coordinators.order_by("name")]
    mentoring.set_capacities(organisation, {people[n].pk: c for n, c in CAPACITIES.items()})
    baseline = organisation.rounds.get(name=ROUNDS[0][0])
    pairs = mentoring.apply_matching(organisation, matching.Basis(profile, baseline), user)
    pair_of = {pair.mentee_id: pair for pair in pairs}
    plan_of = {plan.person_id: plan for plan in plans}
    for plan in plans:
        _agree_and_start(plan, pair_of.get(plan.person_id), logins)
    meetings = {pair.mentee_id: _meet(pair, plan_of.get(pair.mentee_id), logins) for pair in pairs}
    for plan in plans:
        _reassess(plan, meetings.get(plan.person_id), logins, rng)
    panel = [logins[people[name].pk] for name in ("Sue Martin", "Grace Liu")]
    _vacancy(organisation, profile, panel, rng, user)
    return _counts(organisation)


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _worked_on(plan: Any) -> list[Any]:
    return list(plan.goals.select_related("competency").order_by("position")[:GOALS_WORKED_ON])


def _plan(person: Any, profile: Any, user: Any) -> Any:
    """A draft plan pre-filled from the person's gaps, a reassessment date, and an activity
    for each of the first goals by the route the demo study suggests (its respondents'
    answers to "how was this acquired?")."""
    import datetime as dt

    from rtwcomp.development import selectors, services
    from rtwcomp.development.models import Activity

    today = _today()
    plan = services.create_plan(person, profile, user)
    services.update_plan(plan, reassess_on=today + dt.timedelta(REASSESS_IN))
    acquired = selectors.acquired_counts(profile) or {}
    for k, goal in enumerate(_worked_on(plan)):
        advice = selectors.route_advice(acquired.get(goal.competency.code))
        route = (advice or {}).get("route") or Activity.Route.ON_THE_JOB
        services.add_activity(
            goal,
            route=route,
            description=ROUTE_TASKS[route].format(code=goal.competency.code),
            due_on=today + dt.timedelta(ACTIVITY_EVERY * (k + 1)),
        )
    return plan


def _agree_and_start(plan: Any, pair: Any, logins: dict[int, Any]) -> None:
    """The coordinator and their mentor (without one, their supervisor) agree; the
    coordinator starts the plan."""
    from rtwcomp.development import services
    from rtwcomp.development.models import Plan

    person = plan.person
    supervisor = person.team.supervisors.order_by("name").first() if person.team else None
    second = pair.mentor if pair is not None else supervisor
    services.agree(plan, logins[person.pk])
    services.agree(plan, logins[second.pk])
    services.move(plan, Plan.Status.IN_PROGRESS, logins[person.pk])


def _meet(pair: Any, plan: Any, logins: dict[int, Any]) -> Any:
    """The pair's first meeting, on the first goals of the mentee's plan (if they have one)."""
    from rtwcomp.mentoring import services as mentoring

    goals = _worked_on(plan) if plan is not None else []
    codes = ", ".join(g.competency.code for g in goals)
    notes = (
        f"First meeting: went over {codes}, where they show in current cases, and which of "
        "the plan's activities to start with."
        if goals
        else "First meeting: current cases, and what the mentee wants from mentoring."
    )
    return mentoring.log_meeting(
        pair,
        logins[pair.mentor_id],
        held_on=_today(),
        competencies=[g.competency for g in goals],
        notes=notes,
        next_steps="Observe a case together; meet again in a month.",
        goals=goals,
    )


def _reassess(plan: Any, meeting: Any, logins: dict[int, Any], rng: Any) -> None:
    """The reassessment round: the coordinator rates themself again (a level up on the
    goals worked on, now and then elsewhere), and their mentor observes the goals discussed
    at the meeting, each a level up (the first at its target); every goal observed at its
    target is marked reached, with its activities done."""
    from rtwcomp.assessments import selectors as assessments
    from rtwcomp.assessments import services as assessing

    person = plan.person
    top = person.organisation.top_level
    latest = assessments.latest_by_source(person)
    goals = _worked_on(plan)
    worked = {g.competency_id for g in goals}
    levels = {}
    for competency in _required(plan.profile):
        before = latest.get(competency.pk, {}).get("self", [0])[-1]
        step = 1 if competency.pk in worked or rng.random() < SELF_GROWTH else 0
        levels[competency] = (min(top, before + step), "")
    assessing.self_assess(person, levels, logins[person.pk])
    if meeting is not None and goals:
        _observe_goals(meeting, goals, latest, logins[meeting.mentorship.mentor_id])


def _observe_goals(meeting: Any, goals: list[Any], latest: Any, mentor: Any) -> None:
    from rtwcomp.assessments import gaps
    from rtwcomp.assessments import services as assessing
    from rtwcomp.development import services

    top = meeting.mentorship.mentee.organisation.top_level
    observation = _observe_from(meeting)
    observed = {}
    for k, goal in enumerate(goals):
        before, _basis = gaps.combine(latest.get(goal.competency_id, {}))
        step_up = min(top, int(before or 0) + 1)
        observed[goal] = max(goal.target, step_up) if k == 0 else step_up
    marks = {str(g.competency_id): {"level": n, "evidence": ""} for g, n in observed.items()}
    assessing.save_draft(observation, marks)
    assessing.submit_observation(observation, mentor)
    for goal, level in observed.items():
        if level >= goal.target:
            services.update_goal(goal, done_on=_today())
            for activity in goal.activities.all():
                services.complete_activity(activity, _today())


def _observe_from(meeting: Any) -> Any:
    """A draft observation of the mentee started from the meeting (its competencies on it)."""
    from rtwcomp.mentoring import services as mentoring

    activity = (meeting.mentorship.mentee.organisation.activities or ["case conference"])[0]
    return mentoring.observe_from(meeting, activity=activity, observed_on=_today())


def _vacancy(organisation: Any, profile: Any, panel: list[Any], rng: Any, user: Any) -> Any:
    """An interview guide from the role profile, a vacancy with a panel of two, and each
    candidate scored by both: a true performance per question plus each interviewer's
    own noise."""
    import numpy as np

    from rtwcomp.selection import services as selection

    guide = selection.make_guide(
        profile, name="RTW coordinator interview", size=GUIDE_QUESTIONS, user=user
    )
    vacancy = selection.open_vacancy(
        organisation, title="RTW coordinator, team South", guide=guide, panel=panel, user=user
    )
    items = list(guide.items.order_by("position"))
    for name, performance in CANDIDATES:
        candidate = selection.add_candidate(
            vacancy, name=name, notes="A simulated candidate of the demo."
        )
        shown = performance + rng.normal(0, 0.7, len(items))
        for interviewer in panel:
            scores = np.clip(np.rint(shown + rng.normal(0, 0.4, len(items))), 0, 4)
            marks = {item.pk: (int(s), "") for item, s in zip(items, scores, strict=True)}
            selection.save_sheet(candidate, interviewer, marks, submit=True)
    return vacancy


def _counts(organisation: Any) -> dict[str, int]:
    """What stage 6 made, counted in the database."""
    from rtwcomp.development.models import Activity, Goal, Plan
    from rtwcomp.mentoring.models import Meeting, Mentorship
    from rtwcomp.selection.models import Candidate, ScoreSheet

    plans = Plan.objects.filter(person__organisation=organisation)
    goals = Goal.objects.filter(plan__in=plans)
    pairs = Mentorship.objects.filter(mentee__organisation=organisation, until__isnull=True)
    candidates = Candidate.objects.filter(vacancy__organisation=organisation)
    return {
        "rounds": organisation.rounds.count(),
        "plans_in_progress": plans.filter(status=Plan.Status.IN_PROGRESS).count(),
        "goals": goals.count(),
        "goals_reached": goals.filter(done_on__isnull=False).count(),
        "activities": Activity.objects.filter(goal__in=goals).count(),
        "mentorships": pairs.count(),
        "meetings": Meeting.objects.filter(mentorship__in=pairs).count(),
        "candidates": candidates.count(),
        "score_sheets": ScoreSheet.objects.filter(
            candidate__in=candidates, submitted_at__isnull=False
        ).count(),
    }
