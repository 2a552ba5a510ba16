"""Every URL of the site and the API, tried as every role.

The patterns come from the URLconf, so a new URL without a declared expectation fails
`test_every_pattern_is_declared`. Each request runs inside a rolled-back savepoint, so the
roles see the same data. Refused answers must reveal nothing: no title, no e-mail, and the
same answer as for an object that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from rtwcomp.elicitation import services as elicitation
from rtwcomp.elicitation.models import Session
from rtwcomp.frameworks.services import create_from_rows, default_rows
from rtwcomp.interop.case import derived_id
from rtwcomp.jobs import files
from rtwcomp.jobs.models import Job
from rtwcomp.site.models import ApiToken
from rtwcomp.surveys import studies
from rtwcomp.surveys.models import Invitation
from tests.conftest import make_researcher
from tests.surveys import simulate

ROLES = ("anonymous", "respondent", "staff", "other", "collaborator", "owner", "superuser")
EVERYONE = frozenset(ROLES)
STAFF = frozenset({"staff", "other", "collaborator", "owner", "superuser"})
RESEARCHERS = frozenset({"other", "collaborator", "owner", "superuser"})
MEMBERS = frozenset({"collaborator", "owner", "superuser"})
OWNER = frozenset({"owner", "superuser"})
SUPERUSER = frozenset({"superuser"})
NOBODY = frozenset()

# What a refused role must never see in any answer.
SECRETS = ("Hidden Study Alpha", "Hidden Project Beta", "Hidden Draft Gamma", "panel@example.org")
STUDY_NAME = SECRETS[0]
# A respondent page shows its study's name to whoever holds the link.
RESPONDENT_PAGES = {f"surveys:{n}" for n in ("landing", "personal", "resume", "page", "thanks")}


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    method: str = "get"
    data: dict[str, str] = field(default_factory=dict)


def post(allowed: frozenset[str], **data: str) -> Rule:
    return Rule(allowed, "post", data)


CASE_KINDS = ("CFDocuments", "CFPackages", "CFItems", "CFAssociations", "CFRubrics", "CFItemTypes")

RULES: dict[str, Rule] = {
    "home": Rule(EVERYONE),
    "health": Rule(EVERYONE),
    "ready": Rule(EVERYONE),
    # Audit history: owner, collaborators and superusers (a published version's too).
    **{
        f"history:{kind}{csv}": Rule(MEMBERS)
        for kind in ("study", "project", "framework")
        for csv in ("", "_csv")
    },
    "frameworks:list": Rule(EVERYONE),
    "frameworks:detail": Rule(MEMBERS),  # the draft; published versions are public
    "frameworks:competency": Rule(MEMBERS),
    "frameworks:compare": Rule(MEMBERS),  # versions of the draft
    "frameworks:publish": Rule(OWNER),  # the confirmation page; publishing is the owner's
    "frameworks:export": Rule(MEMBERS),  # the draft as a file; published versions are public
    "frameworks:import": Rule(RESEARCHERS),  # the upload form
    "elicitation:index": Rule(RESEARCHERS),
    "elicitation:project": Rule(MEMBERS),
    "elicitation:add_session": post(MEMBERS),
    "elicitation:add_participant": post(MEMBERS),
    "elicitation:paste": post(MEMBERS),
    "elicitation:upload": post(MEMBERS),
    "elicitation:export": Rule(MEMBERS),
    "elicitation:suggestions": Rule(MEMBERS),
    "elicitation:accept": post(MEMBERS),
    "elicitation:decide": post(MEMBERS),
    "elicitation:statements": Rule(MEMBERS),
    "elicitation:aside": post(MEMBERS),
    "elicitation:edit_statement": Rule(MEMBERS),
    "elicitation:delete_statement": post(MEMBERS),
    "elicitation:set_types": post(MEMBERS, ksab_type="skill"),
    "elicitation:items": Rule(MEMBERS),
    "elicitation:release": post(MEMBERS),
    "elicitation:update_item": post(MEMBERS, statement="Changed", ksab_type="skill"),
    "elicitation:merge_items": post(MEMBERS),
    "elicitation:sorts": Rule(MEMBERS),
    "elicitation:start_sort": post(MEMBERS),
    "elicitation:dendrogram": Rule(MEMBERS),
    "elicitation:sort": Rule(MEMBERS),
    "elicitation:add_group": post(MEMBERS, name="New group"),
    "elicitation:promote": post(MEMBERS),
    "surveys:list": Rule(RESEARCHERS),
    "surveys:new": Rule(RESEARCHERS),
    "surveys:detail": Rule(MEMBERS),
    "surveys:edit": Rule(MEMBERS),
    "surveys:questions": Rule(MEMBERS),
    "surveys:preview": Rule(MEMBERS),
    "surveys:action": post(MEMBERS, action="close"),
    "surveys:panel": post(MEMBERS),
    "surveys:redcap_dictionary": Rule(MEMBERS),
    "surveys:limesurvey_structure": Rule(MEMBERS),
    "surveys:case_package": Rule(MEMBERS),
    "surveys:import_responses": post(MEMBERS),  # no file: back to the study with a message
    "surveys:dashboard": Rule(MEMBERS),
    "surveys:download": Rule(MEMBERS),
    "surveys:report": post(MEMBERS),  # starts a job, whose page is for whoever started it
    "surveys:test": post(MEMBERS),  # a test response of the study, for those who edit it
    # The respondent pages are the study's link: open to whoever holds it.
    "surveys:landing": Rule(EVERYONE),
    "surveys:personal": Rule(EVERYONE),
    "surveys:resume": Rule(EVERYONE),
    "surveys:page": Rule(EVERYONE),
    "surveys:thanks": Rule(EVERYONE),
    # A background job: its owner's (whoever started it) and superusers'.
    "jobs:detail": Rule(OWNER),
    "jobs:progress": Rule(OWNER),
    "jobs:retry": post(OWNER),
    "jobs:download": Rule(OWNER),
    # Assessments: tried as every assessment role (coordinator, colleague, mentor, supervisor,
    # programme admin) in tests/assessments/test_permission_matrix.py. Here nobody, superusers
    # included, finds a person or an observation with the ids used.
    "assessments:index": Rule(STAFF),
    **{
        f"assessments:{n}": Rule(NOBODY)
        for n in (
            "person",
            "self",
            "observe",
            "observation",
            "team",
            "request_feedback",
            "feedback",
            "choose_password",
            "organisation",
            "export_round",
            "settings",
            "report",
        )
    },
    "assessments:observation_draft": post(NOBODY),
    "assessments:invite": post(NOBODY),
    # Development plans: tried as every role in tests/development/test_permission_matrix.py.
    "development:index": Rule(STAFF),
    "development:reminders": Rule(STAFF),  # each sees only their own reminders
    **{
        f"development:{n}": Rule(NOBODY)
        for n in ("new", "progress", "plan", "evidence", "programme")
    },
    **{
        f"development:{n}": post(NOBODY)
        for n in (
            *("edit", "add_goal", "agree", "move", "maintenance", "goal", "remove_goal"),
            *("move_goal", "add_activity", "upload", "activity_done", "stop_reminder"),
        )
    },
    # Mentorship: tried as every role in tests/mentoring/test_permission_matrix.py.
    # Here nobody finds an organisation, a pair or a meeting with the values used.
    "mentoring:index": Rule(STAFF),
    "mentoring:match": Rule(NOBODY),
    "mentoring:pair": Rule(NOBODY),
    **{
        f"mentoring:{n}": post(NOBODY)
        for n in ("apply", "capacity", "override", "end", "add_meeting", "observe")
    },
    "api-v1:list_mentorships": Rule(STAFF),  # each sees only their own pairs: none here
    **{f"api-v1:{n}": Rule(NOBODY) for n in ("get_mentorship", "list_meetings")},
    # A body that is not JSON is refused (400) before any pair is looked up, the same for
    # every signed-in caller and every id, so it reveals nothing; tried in tests/mentoring.
    "api-v1:create_meeting": post(STAFF),
    # Selection: tried as every role in tests/selection/test_permission_matrix.py.
    "selection:index": Rule(STAFF),
    **{
        f"selection:{n}": Rule(NOBODY)
        for n in ("organisation", "question", "guide", "vacancy", "compare", "candidate")
    },
    **{f"selection:{n}": post(NOBODY) for n in ("new_guide", "new_vacancy", "delete_candidate")},
    **{f"api-v1:{n}": Rule(NOBODY) for n in ("get_guide", "list_candidates", "list_scores")},
    # As for create_meeting: a body that is not JSON is refused (400) before any vacancy or
    # candidate is looked up; tried with JSON in tests/selection.
    **{f"api-v1:{n}": post(STAFF) for n in ("create_candidate", "create_scores")},
    "login": Rule(EVERYONE),
    "logout": post(EVERYONE),
    "password_change": Rule(STAFF),
    "password_change_done": Rule(STAFF),
    "password_reset": Rule(EVERYONE),
    "password_reset_done": Rule(EVERYONE),
    "password_reset_confirm": Rule(EVERYONE),
    "password_reset_complete": Rule(EVERYONE),
    "set_language": post(EVERYONE, language="fr"),
    "admin:index": Rule(STAFF),
    "admin:login": Rule(EVERYONE),
    "admin:logout": post(EVERYONE),
    "admin:password_change": Rule(STAFF),
    "admin:password_change_done": Rule(STAFF),
    "admin:autocomplete": Rule(NOBODY),  # answers only with a model and field named
    "admin:jsi18n": Rule(STAFF),
    "admin:view_on_site": Rule(NOBODY),  # no model here has a public URL
    "admin:app_list": Rule(RESEARCHERS),  # the surveys app
    "admin:catch_all": Rule(NOBODY),
    "api-v1:openapi-json": Rule(EVERYONE),
    "api-v1:openapi-view": Rule(EVERYONE),
    "api-v1:list_frameworks": Rule(EVERYONE),
    "api-v1:get_framework": Rule(MEMBERS),  # the draft
    "api-v1:list_studies": Rule(STAFF),  # each sees only their own, checked for leaks
    "api-v1:get_study": Rule(MEMBERS),
    "api-v1:get_results": Rule(MEMBERS),
    "api-v1:export": Rule(MEMBERS),
    "api-v1:list_people": Rule(STAFF),  # each sees only the people they may see: none here
    "api-v1:list_plans": Rule(STAFF),  # each sees only the plans they may see: none here
    "api-v1:list_activities": Rule(STAFF),
    "api-v1:get_plan": Rule(NOBODY),
    **{f"api-v1:{n}": Rule(NOBODY) for n in ("get_person", "list_ratings", "get_gaps")},
    "api-v1:list_profiles": Rule(STAFF),  # each sees their organisations' only: none here
    "api-v1:list_rounds": Rule(STAFF),
    **{f"api-v1:{n}": Rule(NOBODY) for n in ("get_profile", "list_assessments", "get_assessment")},
    "api-v1:not_found": Rule(NOBODY),
    # CASE API: published frameworks only, for everyone; the draft's objects for nobody.
    "case:documents": Rule(EVERYONE),
    **{f"case:{kind}": Rule(NOBODY) for kind in CASE_KINDS},
    "case:unknown": Rule(NOBODY),
    "api-v1:api-root": Rule(NOBODY),
}

# Admin pages of each registered model: who may list, add, open, change and delete.
ADMIN_MODELS: dict[str, dict[str, frozenset[str]]] = {
    **{
        label: {"list": RESEARCHERS, "add": RESEARCHERS, "open": MEMBERS, "delete": OWNER}
        for label in ("surveys.study", "elicitation.project", "frameworks.framework")
    },
    **{
        label: {"list": RESEARCHERS, "add": RESEARCHERS, "open": MEMBERS, "delete": MEMBERS}
        for label in (
            "surveys.invitation",
            "elicitation.participant",
            "elicitation.statement",
            "elicitation.item",
            "elicitation.cardsort",
            "frameworks.competency",
            "frameworks.group",
        )
    },
    **{
        label: {"list": SUPERUSER, "add": SUPERUSER, "open": SUPERUSER, "delete": SUPERUSER}
        for label in ("auth.user", "auth.group")
    },
    # Log-in records are written by the log-in throttle and tokens by `rtwcomp createtoken`:
    # nobody adds one here.
    **{
        label: {"list": SUPERUSER, "add": NOBODY, "open": SUPERUSER, "delete": SUPERUSER}
        for label in (
            "axes.accessattempt",
            "axes.accesslog",
            "axes.accessfailurelog",
            "site.apitoken",
        )
    },
}
ADMIN_ACTIONS = {
    "changelist": "list",
    "add": "add",
    "change": "open",
    "history": "open",
    "delete": "delete",
    "password_change": "open",
}


def patterns(resolvers=None, prefix="", namespace=""):
    """(name, route) of every URL pattern; unnamed admin patterns get a descriptive name."""
    for entry in get_resolver().url_patterns if resolvers is None else resolvers:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = namespace + (entry.name or "")
            if name == "admin:":
                name = "admin:catch_all" if route.endswith("(?P<url>.*)$") else "admin:redirect"
            yield name, route


ADMIN_NAME = re.compile(r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_(?P<action>[a-z_]+)$")


def admin_rule(name: str, route: str) -> tuple[str, Rule] | None:
    """The rule of a model's admin page, and the model's label."""
    match = ADMIN_NAME.match(name)
    if name == "admin:redirect":  # /admin/<app>/<model>/<id>/ redirects to the change page
        app, model = route.split("/")[1:3]
        return f"{app}.{model}", Rule(STAFF)
    if not match:
        return None
    label = f"{match['app']}.{match['model']}"
    if label not in {m._meta.label_lower for m in admin.site._registry}:
        return None  # a page of the admin site itself, in RULES
    if label not in ADMIN_MODELS or match["action"] not in ADMIN_ACTIONS:
        return label, Rule(frozenset({"undeclared"}))
    allowed = ADMIN_MODELS[label][ADMIN_ACTIONS[match["action"]]]
    if match["action"] == "delete":
        return label, post(allowed, post="yes")  # the confirmation page's own form
    return label, Rule(allowed)


def test_every_pattern_is_declared():
    undeclared = []
    for name, route in patterns():
        found = admin_rule(name, route)
        if name not in RULES and (found is None or "undeclared" in found[1].allowed):
            undeclared.append(f"{name or '(unnamed)'} {route}")
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert not undeclared, "URL patterns without a declared expectation:\n" + "\n".join(undeclared)
    assert registered == set(ADMIN_MODELS), "admin models without a declared expectation"


# --- the world every role is tried against ----------------------------------------------


@pytest.fixture
def world(default_framework, tmp_path, monkeypatch):
    monkeypatch.setenv("RTWCOMP_DATA_DIR", str(tmp_path))  # where job files are written
    owner = make_researcher("owner")
    collaborator = make_researcher("collaborator")
    make_researcher("other")
    User.objects.create_user("staff", password="x-long-password-0", is_staff=True)
    User.objects.create_superuser("root", password="x-long-password-0")

    study = studies.create_study(
        name=STUDY_NAME, framework=default_framework, items="12", owner=owner
    )
    studies.open_study(study)
    simulate.simulate(study, 6, seed=1)
    study.collaborators.add(collaborator)
    invitation = Invitation.objects.create(study=study, email=SECRETS[3], name="Panel Person")

    project = elicitation.create_project(SECRETS[1], owner=owner)
    project.collaborators.add(collaborator)
    session = Session.objects.create(project=project, code="AU-1")
    said = elicitation.paste_statements(project, session, "Hidden statement one\nAnother one")
    item = elicitation.accept(project, said[:1], "Hidden item")
    sort = elicitation.start_sort(project, owner)
    elicitation.add_group(sort, "Hidden group")

    draft = create_from_rows(default_rows(), slug="hidden-draft", name=SECRETS[2], owner=owner)
    draft.collaborators.add(collaborator)
    token = ApiToken.issue(owner)
    job = Job.objects.create(
        owner=owner, kind="rtwcomp.surveys.jobs.render_report", title=f"Report: {STUDY_NAME}",
        status=Job.Status.DONE, progress=100, result_name="hidden-report.html",
        result_type="text/html",
    )  # fmt: skip
    job.result_file = files.write(str(job.pk), job.result_name, STUDY_NAME.encode())
    job.save()

    respondent = Client()
    assert respondent.post(f"/s/{study.slug}/").status_code == 302
    return {
        "study": study,
        "invitation": invitation,
        "project": project,
        "item": item,
        "sort": sort,
        "draft": draft,
        "token": token,
        "job": job,
        "respondent_cookies": respondent.cookies,
    }


def objects_of(world) -> dict[str, object]:
    """One object of each admin model, belonging to the owner's study, project or draft."""
    draft = world["draft"]
    return {
        "surveys.study": world["study"],
        "surveys.invitation": world["invitation"],
        "elicitation.project": world["project"],
        "elicitation.participant": world["project"].participants.first()
        or world["project"].participants.create(code="P99"),
        "elicitation.statement": world["project"].statements.first(),
        "elicitation.item": world["item"],
        "elicitation.cardsort": world["sort"],
        "frameworks.framework": draft,
        "frameworks.competency": draft.competencies.first(),
        "frameworks.group": draft.groups.first(),
        "auth.user": User.objects.get(username="owner"),
        "auth.group": Group.objects.get(name="researchers"),
        "axes.accessattempt": _axes("AccessAttempt"),
        "axes.accesslog": _axes("AccessLog"),
        "axes.accessfailurelog": _axes("AccessFailureLog"),
        "site.apitoken": ApiToken.objects.get(user__username="owner"),
    }


def _axes(model: str):
    from axes import models

    fields = {"username": "owner", "ip_address": "127.0.0.1", "user_agent": "test"}
    if model == "AccessAttempt":
        fields["failures_since_start"] = 1
    if model == "AccessFailureLog":
        fields["locked_out"] = False
    return getattr(models, model).objects.create(**fields)


def fill(name: str, route: str, world, objects, *, missing: bool = False) -> str:
    """The route with its parameters filled from the world (or naming nothing that exists)."""
    study, project, draft = world["study"], world["project"], world["draft"]
    values = {
        "token": "no-such-token" if missing else world["invitation"].token,
        "code": "NOPE-1" if missing else None,
        "pk": "999999" if missing else str(world["sort"].pk),
        "statement": "999999" if missing else str(world["item"].statements.first().pk),
        "number": "1",
        "fmt": "html" if name == "surveys:report" else "csv",
        "uidb64": "MQ",
        "content_type_id": "1",
        "rest": "nothing-here",
        "url": "nothing-here/",
        "id": "999999" if missing else None,
        "object_id": "999999" if missing else None,
        "job": "00000000-0000-4000-8000-000000000000" if missing else str(world["job"].pk),
        "person_id": "999999",  # assessments: tried as their roles in tests/assessments
        "mentorship_id": "999999",  # mentoring: tried as its roles in tests/mentoring
        "profile_id": "999999",
        "round_id": "999999",
        "plan_id": "999999",  # development: tried as their roles in tests/development
        **dict.fromkeys(("guide_id", "vacancy_id", "candidate_id"), "999999"),  # selection
        # CASE API: the draft's document identifier, which it must not serve
        "identifier": "00000000-0000-4000-8000-000000000000" if missing else derived_id(draft.slug),
    }
    if name.startswith(("frameworks:", "api-v1:get_framework", "history:framework")):
        slug = draft.slug
        values["code"] = values["code"] or draft.competencies.first().code
    elif name.startswith(("elicitation:", "history:project")):
        slug = project.slug
        values["code"] = values["code"] or world["item"].code
    else:
        slug = study.slug
    values["slug"] = "no-such-thing" if missing else slug
    found = admin_rule(name, route)
    if found is not None:
        obj = objects[found[0]]
        values["object_id"] = values["object_id"] or str(obj.pk)
        values["id"] = values["id"] or str(obj.pk)
    route = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", "surveys/", route)
    route = route.replace("(?P<url>.*)$", "nothing-here/")
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], route)
    assert "<" not in path and "(" not in path, path
    return "/" + path


def client_for(role: str, world) -> Client:
    client = Client()
    usernames = {
        "staff": "staff",
        "other": "other",
        "collaborator": "collaborator",
        "owner": "owner",
        "superuser": "root",
    }
    if role in usernames:
        client.force_login(User.objects.get(username=usernames[role]))
    if role == "respondent":
        client.cookies.update(world["respondent_cookies"])
    return client


def outcome(response, object_page: bool) -> str:
    """'ok' when the view did its work (a page, a file, a redirect onward, or a form error);
    otherwise the kind of refusal."""
    status = response.status_code
    if status >= 500:
        return "error"
    location = response.headers.get("Location", "")
    if status in (301, 302):
        if "/login/" in location:
            return "login"
        if object_page and location == "/admin/":
            return "absent"  # the admin's "no such object" redirect
        return "ok"
    if status in (200, 201, 204, 400):
        return "ok"
    return str(status)


def test_every_url_as_every_role(world, report_line):
    objects = objects_of(world)
    failures: list[str] = []
    requests = 0
    all_patterns = list(patterns())
    for name, route in all_patterns:
        found = admin_rule(name, route)
        rule = RULES.get(name) or found[1]
        for role in ROLES:
            path = fill(name, route, world, objects)
            got = _request(role, world, rule, path, object_page=bool(found))
            requests += 1
            allowed = role in rule.allowed
            where = f"{role:12} {rule.method.upper():4} {path} ({name})"
            if got[0] == "error" or (allowed and got[0] != "ok"):
                failures.append(f"{where}: expected to be served, got {got[0]}")
                continue
            if not allowed and got[0] == "ok":
                failures.append(f"{where}: expected a refusal, got {got[0]}")
                continue
            leaked = _leaks(role, name, got[1])
            if leaked:
                failures.append(f"{where}: shows {leaked!r}")
            if not allowed and re.search(
                r"<(?:\w+:)?(slug|code|pk|statement|token|object_id|job)>", route
            ):
                missing = fill(name, route, world, objects, missing=True)
                absent = _request(role, world, rule, missing, object_page=bool(found))
                requests += 1
                if absent[0] != got[0]:
                    failures.append(f"{where}: refused as {got[0]}, a missing one as {absent[0]}")
    report_line(
        f"permission matrix: {len(all_patterns)} URL patterns x {len(ROLES)} roles "
        f"({requests} requests)"
    )
    assert not failures, "\n".join(failures)


def _request(role: str, world, rule: Rule, path: str, object_page: bool) -> tuple[str, str]:
    client = client_for(role, world)
    with transaction.atomic():
        response = getattr(client, rule.method)(path, rule.data)
        transaction.set_rollback(True)
    body = b"".join(response) if response.streaming else response.content
    return outcome(response, object_page), body.decode("utf-8", "replace")


def _leaks(role: str, name: str, body: str) -> str:
    """A secret of the owner's objects in the answer to a role that may not see them."""
    if role in MEMBERS:
        return ""
    shown = {STUDY_NAME} if name in RESPONDENT_PAGES else set()
    return next((s for s in SECRETS if s in body and s not in shown), "")
