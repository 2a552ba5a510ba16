"""The migrations carry a populated database of the previous release forward.

The previous release's schema is the one of `frameworks 0001`, `elicitation 0001`,
`surveys 0001` and `site 0001` (apps added since, unmigrated). The data set is built there
with that schema's historical models: the default framework and a draft, a focus-group
project with sessions, participants, statements, items, a card sort and provenance, an
invitations-only anonymous study and a confidential one with completed responses, and a
Delphi study with two rounds. Then every migration runs forward to today's leaf nodes, and
the data must all be there, with the defaults and derived values the later migrations
define. Runs on the leg's database (SQLite, or PostgreSQL under `DATABASE_URL`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

PREVIOUS = {"frameworks": "0001_initial", "elicitation": "0001_initial"}
PREVIOUS |= {"surveys": "0001_initial", "site": "0001_initial"}
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def previous_release_targets(executor):
    """The previous release's nodes; rtwcomp's apps that came since go back to nothing.
    Other apps (Django's, third-party ones) stay as they are."""
    from django.apps import apps

    targets = [(app, name) for app, name in PREVIOUS.items()]
    for app in sorted({app for app, _ in executor.loader.graph.leaf_nodes()} - set(PREVIOUS)):
        if apps.get_app_config(app).name.startswith("rtwcomp."):
            targets.append((app, None))
    return targets


def default_framework(old):
    """The default framework as the previous release stored it (published, no owner)."""
    from rtwcomp.frameworks.services import DEFAULT_NAME, DEFAULT_SLUG, default_rows

    Framework, Group = (
        old.get_model("frameworks", "Framework"),
        old.get_model("frameworks", "Group"),
    )
    Competency = old.get_model("frameworks", "Competency")
    Indicator = old.get_model("frameworks", "BehaviouralIndicator")
    rows = default_rows()
    framework = Framework.objects.create(
        slug=DEFAULT_SLUG, name=DEFAULT_NAME, status="published", published_at=WHEN
    )
    groups = {
        row.key: Group.objects.create(
            framework=framework,
            position=i,
            key=row.key,
            name=row.key.title(),
            translations=row.translations,
        )
        for i, row in enumerate(rows.groups, start=1)
    }
    for i, row in enumerate(rows.competencies, start=1):
        competency = Competency.objects.create(
            framework=framework,
            group=groups[row.group],
            position=i,
            code=row.code,
            statement=row.statement,
            ksab_type=row.ksab_type,
            sources="\n".join(row.sources),
            translations=row.translations,
        )
        Indicator.objects.bulk_create(
            Indicator(competency=competency, position=n, text=text)
            for n, text in enumerate(row.indicators, start=1)
        )
    return framework


def focus_groups(old, framework, sorter):
    Project = old.get_model("elicitation", "Project")
    Session = old.get_model("elicitation", "Session")
    Participant = old.get_model("elicitation", "Participant")
    Statement = old.get_model("elicitation", "Statement")
    Item = old.get_model("elicitation", "Item")
    CardSort = old.get_model("elicitation", "CardSort")
    SortGroup = old.get_model("elicitation", "SortGroup")
    Placement = old.get_model("elicitation", "Placement")
    Provenance = old.get_model("elicitation", "Provenance")
    project = Project.objects.create(
        name="Coordinators 2025", slug="coord-2025", framework=framework
    )
    sessions = [
        Session.objects.create(project=project, code=f"S{n}", date=date(2025, 5, n), country="CA")
        for n in (1, 2)
    ]
    people = [
        Participant.objects.create(project=project, session=sessions[n % 2], code=f"P{n}")
        for n in range(3)
    ]
    items = [
        Item.objects.create(
            project=project, code=f"IT-{n}", statement=f"Item {n}", ksab_type="skill"
        )
        for n in range(3)
    ]
    for n in range(6):
        Statement.objects.create(
            project=project,
            session=sessions[n % 2],
            participant=people[n % 3],
            external_id=f"st-{n}",
            text=f"Statement {n}",
            position=n,
            item=items[n % 3] if n < 5 else None,
        )
    sort = CardSort.objects.create(project=project, label="Sorter A", sorter=sorter)
    piles = [SortGroup.objects.create(sort=sort, position=n, name=f"Pile {n}") for n in (1, 2)]
    for n, item in enumerate(items):
        Placement.objects.create(sort=sort, item=item, group=piles[n % 2])
    draft = old.get_model("frameworks", "Framework").objects.create(
        slug="coord-draft", name="Draft"
    )
    group = old.get_model("frameworks", "Group").objects.create(
        framework=draft, position=1, key="skills", name="Skills"
    )
    competency = old.get_model("frameworks", "Competency").objects.create(
        framework=draft, group=group, position=1, code="IT-0", statement="Item 0", ksab_type="skill"
    )
    Provenance.objects.create(
        competency=competency, item=items[0], citation_count=2, session_count=2
    )
    return project


def study(old, framework, owner, collaborator, *, slug, anonymous, delphi=False):
    """An invitations-only study of 12 items with three invitees, two of whom completed
    round 1 (and, in a Delphi study, one round 2), and one unfinished open response."""
    Study, Round = old.get_model("surveys", "Study"), old.get_model("surveys", "Round")
    StudyItem, Question = (
        old.get_model("surveys", "StudyItem"),
        old.get_model("surveys", "Question"),
    )
    Invitation, Response = (
        old.get_model("surveys", "Invitation"),
        old.get_model("surveys", "Response"),
    )
    Answer = old.get_model("surveys", "Answer")
    scale = [{"value": v, "label": str(v)} for v in range(1, 6)]
    made = Study.objects.create(
        slug=slug,
        name=slug.title(),
        framework=framework,
        owner=owner,
        status="open",
        access="invitation",
        anonymous=anonymous,
        scale=scale,
        delphi=delphi,
    )
    made.collaborators.add(collaborator)
    Competency = old.get_model("frameworks", "Competency")
    competencies = Competency.objects.filter(framework=framework).order_by("position")[:12]
    items = [
        StudyItem.objects.create(study=made, competency=c, position=n)
        for n, c in enumerate(competencies, start=1)
    ]
    Question.objects.create(study=made, position=1, key="country", label="Country", kind="text")
    rounds = [
        Round.objects.create(study=made, number=n, opened_at=WHEN) for n in (1, 2)[: 1 + delphi]
    ]
    for round_ in rounds:
        round_.items.set(items)
    invitees = [
        Invitation.objects.create(
            study=made,
            email=f"{name}@example.org",
            name=name.title(),
            language=language,
            completed_rounds=done,
        )
        for name, language, done in (
            ("ana", "fr", [1, 2] if delphi else [1]),
            ("ben", "en", [1]),
            ("cy", "fr", []),
        )
    ]
    for round_ in rounds:
        for invitation in invitees:
            if round_.number not in invitation.completed_rounds:
                continue
            response = Response.objects.create(
                study=made,
                round=round_,
                invitation=None if anonymous else invitation,
                language=invitation.language,
                started_on=date(2026, 3, 2),
                submitted_on=date(2026, 3, 3),
                attributes={"country": "CA"},
            )
            Answer.objects.bulk_create(
                Answer(response=response, item=item, value=1 + (n + round_.number) % 5)
                for n, item in enumerate(items)
            )
    Response.objects.create(study=made, round=rounds[0], language="en", started_on=date(2026, 3, 4))
    return made


def build(old):
    User = old.get_model("auth", "User")
    ana = User.objects.create(username="ana", is_staff=True, password="!")
    ben = User.objects.create(username="ben", password="!")
    User.objects.create(username="root", is_staff=True, is_superuser=True, password="!")
    framework = default_framework(old)
    focus_groups(old, framework, ben)
    for slug, anonymous, delphi in (
        ("anonymous", True, False),
        ("confidential", False, False),
        ("delphi", False, True),
    ):
        study(old, framework, ana, ben, slug=slug, anonymous=anonymous, delphi=delphi)
    old.get_model("site", "ApiToken").objects.create(user=ana, name="ci", key_hash="a" * 64)


COUNTED = [
    ("frameworks", "Framework"),
    ("frameworks", "Group"),
    ("frameworks", "Competency"),
    ("frameworks", "BehaviouralIndicator"),
    ("elicitation", "Project"),
    ("elicitation", "Session"),
    ("elicitation", "Participant"),
    ("elicitation", "Statement"),
    ("elicitation", "Item"),
    ("elicitation", "CardSort"),
    ("elicitation", "SortGroup"),
    ("elicitation", "Placement"),
    ("elicitation", "Provenance"),
    ("surveys", "Study"),
    ("surveys", "StudyItem"),
    ("surveys", "Question"),
    ("surveys", "Round"),
    ("surveys", "Invitation"),
    ("surveys", "Answer"),
    ("site", "ApiToken"),
]


def snapshot(old):
    """What must survive: counts, every answer, every response's round and submission."""
    Response, Answer = old.get_model("surveys", "Response"), old.get_model("surveys", "Answer")
    return {
        "counts": {name: old.get_model(app, name).objects.count() for app, name in COUNTED},
        "responses": Response.objects.count(),
        "answers": set(
            Answer.objects.values_list("response__key", "item__competency__code", "value")
        ),
        "rounds": set(
            Response.objects.values_list("key", "study__slug", "round__number", "submitted_on")
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_the_previous_releases_data_survives_every_migration():
    from django.apps import apps
    from django.contrib.auth.models import Group, User

    from rtwcomp.elicitation.models import Project
    from rtwcomp.frameworks.models import Framework
    from rtwcomp.surveys.models import Answer, Invitation, InvitationUse, Study, SurveyResponse

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    previous = previous_release_targets(executor)
    executor.migrate(previous)
    try:
        old = MigrationExecutor(connection).loader.project_state(list(PREVIOUS.items())).apps
        build(old)
        before = snapshot(old)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)
    assert not MigrationExecutor(connection).migration_plan(leaves)

    new_names = {"Response": "SurveyResponse"}
    counts = {
        name: apps.get_model(app, new_names.get(name, name)).objects.count()
        for app, name in COUNTED
    }
    assert counts == before["counts"]
    assert SurveyResponse.objects.count() == before["responses"]
    assert (
        set(Answer.objects.values_list("response__key", "item__competency__code", "value"))
        == (before["answers"])
    )
    assert (
        set(
            SurveyResponse.objects.values_list(
                "key", "study__slug", "round__number", "submitted_on"
            )
        )
        == before["rounds"]
    )

    # owners and collaborators: what existed had none, so only superusers see it ...
    assert all(f.owner_id is None and not f.collaborators.exists() for f in Framework.objects.all())
    project = Project.objects.get()
    assert project.owner_id is None and not project.collaborators.exists()
    # ... studies kept theirs; staff of the earlier rule became researchers
    for made in Study.objects.all():
        assert made.owner.username == "ana"
        assert list(made.collaborators.values_list("username", flat=True)) == ["ben"]
    researchers = Group.objects.get(name="researchers")
    assert set(researchers.user_set.values_list("username", flat=True)) == {"ana", "root"}
    assert not User.objects.get(username="ben").groups.exists()

    # responses: a random public id each; the invitee's language forgotten when anonymous
    public = list(SurveyResponse.objects.values_list("public_id", flat=True))
    assert None not in public and len(set(public)) == len(public)
    for made in Study.objects.all():
        linked = made.responses.filter(submitted_on__isnull=False)
        if made.anonymous:
            assert set(linked.values_list("language", flat=True)) == {""}
            assert not linked.filter(invitation__isnull=False).exists()
        else:
            assert {(r.invitation.email, r.language) for r in linked} >= {
                ("ana@example.org", "fr"),
                ("ben@example.org", "en"),
            }
        unfinished = made.responses.get(submitted_on__isnull=True)
        assert unfinished.language == ("" if made.anonymous else "en")

    # completed rounds became one use per invitation and round
    uses = set(
        InvitationUse.objects.values_list(
            "invitation__study__slug", "invitation__email", "round__number"
        )
    )
    assert uses == {
        (slug, email, number)
        for slug in ("anonymous", "confidential", "delphi")
        for email, number in (("ana@example.org", 1), ("ben@example.org", 1))
    } | {("delphi", "ana@example.org", 2)}
    assert Invitation.objects.get(
        study__slug="delphi", email="ana@example.org"
    ).completed_rounds == [1, 2]
    delphi = Study.objects.get(slug="delphi")
    assert delphi.rounds.count() == 2 and delphi.rounds.get(number=2).items.count() == 12
