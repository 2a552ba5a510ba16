"""`rtwcomp demo`: a worked example of the 2010 study built through the product's services.

Simulated focus groups (`rtwcomp.simulation`) are imported into an elicitation project and
sorted onto the default framework by the product's own suggestion method, every
suggestion accepted; a card sort starts from the framework's groups; a survey study of the
default framework asks the 88 most cited items plus 12 more; 148 simulated respondents
answer it through the respondents' services; the study's own analysis gives the key items,
and the subgroup tests of `rtwcomp.stats` the country and nurse findings. An organisation
then assesses its coordinators against a role profile drawn from the study (a baseline
round), makes development plans from their gaps, matches mentors, logs meetings, reassesses
(a second round), and selects for a vacancy with an interview guide from the profile
(`rtwcomp.commands.demo_organisation`).

Demo objects are owned by the user `demo` and their slugs start with `demo-`; the people of
the organisation act through log-ins named `demo-<first name>` that have no password.
`rtwcomp demo --remove` deletes them all (the default framework, shipped with the product,
stays).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rtwcomp.commands import UsageError, django_setup

DEMO_USER = "demo"
PREFIX = "demo-"
# The default survey questions' choice codes, in the order of the simulator's levels.
ANSWER_CODES = {
    "country": ("AU", "CA", "US"),
    "employer_type": ("employer", "insurer", "provider", "public"),
    "profession": ("nurse", "ot", "physio", "psych", "hr", "claims", "other"),
    "client_type": ("musculoskeletal", "mental", "traumatic", "chronic"),
}
QUESTION_KEYS = {"country": "country", "employer_type": "employer", "profession": "profession"}
ROUTE_CODES = {
    "personal attribute": ("personal",),
    "formal training": ("training",),
    "experience and mentorship": ("experience", "mentorship"),
}
ANY_ROUTE = ("personal", "training", "experience", "mentorship")  # a respondent's own view


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="load (or --remove) a worked example of the whole study",
        description="Simulate the 2010 RTW coordinator study and run it through the product: "
        "focus groups, affinity mapping onto the default framework, a survey of 100 items "
        "answered by 148 respondents, and the analysis; then an organisation's assessments in "
        "two rounds, development plans, mentor matching and meetings, and a vacancy scored by "
        "a panel. Objects are owned by the user 'demo' with slugs starting 'demo-'.",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the funnel, findings and stage-6 counts as JSON, last",
    )
    parser.add_argument("--remove", action="store_true", help="delete every demo object")
    parser.add_argument(
        "--if-missing", action="store_true", help="do nothing when the demo is already loaded"
    )
    parser.add_argument(
        "--offer",
        action="store_true",
        help="ask first, and only on a terminal when the database holds no project or study "
        "(what `make run` does)",
    )
    parser.set_defaults(handler=run)


def demo_user() -> Any:
    """The owner of the demo's objects."""
    return locked_user(DEMO_USER)


def locked_user(username: str) -> Any:
    """A demo user who cannot log in. An account of that name that can log in is someone's
    own, and is never taken over."""
    from django.contrib.auth.models import User

    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
    elif user.has_usable_password() or user.is_staff:
        raise UsageError(
            f"a user named '{username}' exists and can log in: the demo will not use "
            "someone's account; rename that user first"
        )
    return user


def is_loaded() -> bool:
    from rtwcomp.assessments.models import Organisation
    from rtwcomp.elicitation.models import Project
    from rtwcomp.surveys.models import Study

    mine = {"owner__username": DEMO_USER, "slug__startswith": PREFIX}
    return any(m.objects.filter(**mine).exists() for m in (Project, Study, Organisation))


def remove() -> int:
    """Delete the demo's organisations (with their plans, pairs and vacancies), studies,
    projects and users; returns how many top-level objects went."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.contrib.auth.models import User
    from django.db import transaction

    from rtwcomp.assessments.models import Organisation
    from rtwcomp.elicitation.models import Project
    from rtwcomp.surveys.models import Study

    mine = {"owner__username": DEMO_USER, "slug__startswith": PREFIX}
    with transaction.atomic():
        organisations = list(Organisation.objects.filter(**mine))
        logins = set(
            User.objects.filter(
                people__organisation__in=organisations,
                username__startswith=PREFIX,
                password__startswith=UNUSABLE_PASSWORD_PREFIX,
            ).values_list("pk", flat=True)
        )
        for organisation in organisations:  # its people, plans, pairs and vacancies with it
            # its people first, and their ratings with them: a round protects its ratings
            organisation.people.all().delete()
            organisation.delete()
        studies = list(Study.objects.filter(**mine))
        for study in studies:
            study.delete()
        projects = list(Project.objects.filter(**mine))
        for project in projects:  # statements first: they protect their sessions
            project.statements.all().delete()
            project.delete()
        # only the demo's own users, who cannot log in (see `demo_user`, `demo_logins`),
        # and a person's log-in only once no other organisation's person uses it
        User.objects.filter(pk__in=logins, people__isnull=True).delete()
        User.objects.filter(
            username=DEMO_USER, password__startswith=UNUSABLE_PASSWORD_PREFIX
        ).delete()
    return len(organisations) + len(studies) + len(projects)


# --- focus groups and affinity mapping --------------------------------------------------------


def import_focus_groups(study: Any, user: Any) -> Any:
    """The simulated sessions, participants and statements as an elicitation project."""
    from rtwcomp.elicitation import services
    from rtwcomp.interop.statements_csv import StatementRow

    project = services.create_project(f"{PREFIX}rtw-coordinators-{study.seed}", owner=user)
    fg = study.focus_groups
    sessions = {
        code: services.add_session(project, code, country=country) for code, country in fg.sessions
    }
    for person in fg.participants:
        services.add_participant(project, person.code, session=sessions[person.session])
    rows = [
        StatementRow(
            line=n + 2, statement_id="", session=s.session, participant=s.participant, text=s.text
        )
        for n, s in enumerate(fg.statements)
    ]
    services.import_statements(project, rows, "demo")
    return project


def sort_onto_framework(project: Any, framework: Any, user: Any) -> dict[str, int]:
    """Suggest a framework item for every statement and accept every suggestion, then
    start a card sort from the framework's groups (matched items placed in their group).
    Returns how many statements cite each framework code."""
    from rtwcomp.elicitation import services

    suggestions = services.suggest(project, "lexical", framework=framework)
    clusters: dict[int, list[Any]] = {}
    for suggestion in suggestions:
        clusters.setdefault(suggestion.cluster, []).append(suggestion.statement)
    for statements in clusters.values():
        services.accept(project, statements)
    types = dict(framework.competencies.values_list("code", "ksab_type"))
    by_type: dict[str, list[Any]] = {}
    for item in project.items.exclude(matched_code=""):
        if types.get(item.matched_code):
            by_type.setdefault(types[item.matched_code], []).append(item)
    for ksab_type, items in by_type.items():
        services.set_types(project, items, ksab_type)
    services.start_sort(project, user, "Demo: the default framework's groups", framework)
    citations: dict[str, int] = {}
    matched = project.statements.filter(item__isnull=False).values_list("item__matched_code")
    for (code,) in matched:
        if code:
            citations[code] = citations.get(code, 0) + 1
    return citations


# --- the survey -----------------------------------------------------------------------------------


def create_survey(
    seed: int, framework: Any, surveyed: list[Any], most_cited: int, user: Any
) -> Any:
    from rtwcomp.surveys import studies

    codes = [i.code for i in surveyed]
    study = studies.create_study(
        name=f"Demo: RTW coordinator competencies (seed {seed})",
        slug=f"{PREFIX}rtw-survey-{seed}",
        framework=framework,
        items=codes[:most_cited],
        extras=codes[most_cited:],
        owner=user,
        ask_acquired=True,
    )
    return studies.open_study(study)


def _answers(study: Any, simulated: Any, routes: dict[str, str], rng: Any) -> list[dict[str, Any]]:
    """One form's data per simulated respondent: ratings, how acquired, the questions."""
    import numpy as np

    items = list(study.items.select_related("competency").order_by("position"))
    column = {code: k for k, code in enumerate(simulated.model.codes)}
    scores = simulated.scores[0]
    people = simulated.people
    forms = []
    for r in range(scores.shape[0]):
        data: dict[str, Any] = {}
        for item in items:
            value = scores[r, column[item.competency.code]]
            data[f"item-{item.pk}"] = "" if np.isnan(value) else str(int(value))
            usual = ROUTE_CODES[routes[item.competency.code]]
            ways = usual if rng.random() < 0.7 else ANY_ROUTE
            data[f"acquired-{item.pk}"] = str(rng.choice(ways))
        for attribute, key in QUESTION_KEYS.items():
            data[f"q-{key}"] = [ANSWER_CODES[attribute][people[attribute][0, r]]]
        data["q-clients"] = [ANSWER_CODES["client_type"][people["client_type"][0, r]]]
        data["q-years"] = [str(int(rng.integers(1, 26)))]
        data["q-certified"] = ["yes" if rng.random() < 0.4 else "no"]
        forms.append(data)
    return forms


def respond(study: Any, forms: list[dict[str, Any]]) -> None:
    """Each respondent starts, answers every item and question on one page, and submits."""
    from django.utils.datastructures import MultiValueDict

    from rtwcomp.surveys import responding

    items = list(study.items.select_related("competency").order_by("position"))
    questions = list(study.questions.order_by("position"))
    for data in forms:
        response = responding.start(study)
        ratings = {k: v for k, v in data.items() if not k.startswith("q-")}
        responding.save_items(response, items, ratings, 1, finishing=False)
        asked = MultiValueDict({k: v for k, v in data.items() if k.startswith("q-")})
        responding.save_questions(response, questions, asked, finishing=False)
        responding.submit(response, None)


# --- findings -------------------------------------------------------------------------------------


def findings(study: Any) -> tuple[int, int, dict[str, Any]]:
    """Key items from the study's own analysis; country differences in group mean scores
    and nurses against the rest on the groups and on the medical-knowledge items' mean,
    by the subgroup tests of `rtwcomp.stats` (BH q within each attribute)."""
    import numpy as np

    from rtwcomp.simulation.bank import MEDICAL
    from rtwcomp.stats.subgroups import subgroup_tests
    from rtwcomp.surveys import results

    found = results.cached_analysis(study)  # the profile below reuses it
    if found is None:
        raise UsageError("the demo study has no completed response")
    data, analysis = found
    frame, items = data.responses, data.items
    means = {
        ("group", group): frame[list(members["item"])].astype(float).mean(axis=1).to_numpy()
        for group, members in items.groupby("group", sort=False)
    }
    medical = [
        code
        for code, text in zip(items["item"], items["statement"], strict=True)
        if MEDICAL.search(text)
    ]
    means_medical = {
        **means,
        ("scale", "medical knowledge"): frame[medical].astype(float).mean(axis=1).to_numpy(),
    }
    people = frame[["country"]].copy()
    people["nurse"] = np.where(frame["profession"] == "nurse", "yes", "no")
    by_country = subgroup_tests(means, people[["country"]], min_level_n=5)
    by_nurse = subgroup_tests(means_medical, people[["nurse"]], min_level_n=5)
    nurse_q = float(by_nurse.loc[by_nurse["target"] == "medical knowledge", "q"].iloc[0])
    found = {
        "country_group_min_q": float(f"{np.nanmin(by_country['q']):.4g}"),
        "nurse_medical_effect_detected": bool(nurse_q < 0.05),
        "nurse_medical_q": float(f"{nurse_q:.3g}"),
    }
    return int(analysis.summary["key_items"]), int(frame["country"].nunique()), found


# --- the command ----------------------------------------------------------------------------------


def build(seed: int) -> dict[str, Any]:
    """Load the whole demo; returns the funnel and findings object."""
    import numpy as np

    from rtwcomp.commands.demo_organisation import create_organisation, develop
    from rtwcomp.frameworks.services import load_default
    from rtwcomp.simulation.bank import load_bank
    from rtwcomp.simulation.focus_groups import survey_choice
    from rtwcomp.simulation.ratings import item_model
    from rtwcomp.simulation.study import acquisition_routes, simulate_study, simulate_surveys
    from rtwcomp.surveys.models import SurveyResponse

    user = demo_user()
    framework, _ = load_default()
    simulated = simulate_study(seed=seed)
    design = simulated.design
    project = import_focus_groups(simulated, user)
    citations = sort_onto_framework(project, framework, user)
    surveyed = survey_choice(citations, load_bank(), design)
    rng = np.random.default_rng([seed, 2010])
    surveys = simulate_surveys(design, item_model(surveyed, design, rng), 1, rng)
    routes = dict(zip([i.code for i in surveyed], acquisition_routes(surveyed, seed), strict=True))
    study = create_survey(seed, framework, surveyed, design.most_cited, user)
    respond(study, _answers(study, surveys, routes, rng))
    key_items, countries, found = findings(study)
    organisation, profile = create_organisation(seed, framework, study, user)
    stage6 = develop(organisation, profile, seed, user)
    funnel = {
        "focus_groups": project.sessions.count(),
        "participants": project.participants.count(),
        "statements": project.statements.count(),
        "unique_items": project.items.count(),
        "surveyed_items": study.items.count(),
        "respondents": SurveyResponse.objects.completed().filter(study=study).count(),
        "countries": countries,
        "key_items": key_items,
    }
    return {
        "funnel": funnel,
        "findings": found,
        "stage6": stage6,
        "project": project.slug,
        "study": study.slug,
        "organisation": organisation.slug,
    }


def is_empty() -> bool:
    from rtwcomp.elicitation.models import Project
    from rtwcomp.surveys.models import Study

    return not Project.objects.exists() and not Study.objects.exists()


def accepted_offer(stdin: Any = None) -> bool:
    """On a terminal with an empty database, ask whether to load the demo; never elsewhere
    (CI, pipes), so `make run` stays non-interactive there."""
    stdin = stdin or sys.stdin
    if not stdin.isatty() or not is_empty():
        return False
    print("The database is empty. Load the demo study (about a minute)? [y/N] ", end="")
    sys.stdout.flush()
    return stdin.readline().strip().lower() in {"y", "yes"}


@django_setup.django_command(writes=True)
def run(args: argparse.Namespace) -> int:
    if args.remove:
        print(f"removed {remove()} demo object(s)")
        return 0
    if getattr(args, "offer", False) and not accepted_offer():
        return 0
    if is_loaded():
        if getattr(args, "if_missing", False):
            print("the demo is already loaded")
            return 0
        raise UsageError("the demo is already loaded; remove it with `rtwcomp demo --remove`")
    from django.db import transaction

    with transaction.atomic():
        result = build(args.seed)
    funnel = result["funnel"]
    print(
        f"demo loaded: focus-group project '{result['project']}' ({funnel['statements']} "
        f"statements, {funnel['unique_items']} items) and study '{result['study']}' "
        f"({funnel['respondents']} respondents, {funnel['key_items']} key items of "
        f"{funnel['surveyed_items']}); organisation '{result['organisation']}'"
    )
    if args.json:
        shown = {key: result[key] for key in ("funnel", "findings", "stage6")}
        print(json.dumps(shown))
    return 0
