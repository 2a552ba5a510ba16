"""The rules: statements in, suggestions, items, sorts, promotion, survey selection."""

import pytest

from rtwcomp.elicitation import services
from rtwcomp.elicitation.models import Item, Participant, Project, Provenance, Statement
from rtwcomp.interop.errors import InputError
from rtwcomp.interop.statements_csv import parse_statements_csv


def statements(project, *fragments):
    """The statement with exactly this text, else the one containing it."""
    return [
        project.statements.filter(text=f).first() or project.statements.get(text__icontains=f)
        for f in fragments
    ]


def test_paste_keeps_session_participant_and_order(project):
    assert project.statements.count() == 6
    first = project.statements.order_by("position").first()
    assert first.external_id == "S0001" and first.session.code == "AU-1"
    assert first.participant.code == "P01" and first.text.startswith("Keeping")
    assert Participant.objects.get(project=project, code="P07").session.code == "CA-1"
    with pytest.raises(services.ElicitationError):
        services.paste_statements(project, first.session, "  \n \n")


def test_project_names_are_unique_and_slugs_too(db):
    services.create_project("Study")
    with pytest.raises(services.ElicitationError, match="already exists"):
        services.create_project("Study")
    assert services.create_project("study!").slug == "study-2"


def test_import_keeps_given_ids_and_is_all_or_nothing(project):
    services.add_participant(project, "U2")
    rows = parse_statements_csv(
        "statement_id,session,participant,text\n"
        "x1,US-1,,Knowing the collective agreement\n"
        ",US-1,U2,Working with the union rep\n",
        "more.csv",
    )
    assert services.import_statements(project, rows, "more.csv") == 2
    imported = project.statements.filter(session__code="US-1").order_by("position")
    assert [s.external_id for s in imported] == ["x1", "S0007"]
    assert imported[1].participant.code == "U2"
    again = parse_statements_csv(
        "statement_id,session,text\nnew,US-2,Fine\nx1,US-2,Clash\n", "again.csv"
    )
    before = Statement.objects.count()
    with pytest.raises(InputError) as error:
        services.import_statements(project, again, "again.csv")
    assert error.value.problems == [
        "again.csv: line 3, column 'statement_id': 'x1' is already in project "
        "'RTW focus groups 2026'"
    ]
    assert Statement.objects.count() == before
    assert not project.sessions.filter(code="US-2").exists()


def test_inductive_suggestions_are_stored_as_proposals(project):
    suggestions = services.suggest(project, "lexical", threshold=0.2)
    by_text = {s.statement.text: s.cluster for s in suggestions}
    assert (
        by_text["Keeping medical information confidential"]
        == by_text["Keeping medical information confidential, always"]
    )
    assert (
        by_text["Negotiating modified duties with the supervisor"]
        == by_text["Negotiate modified duties with supervisors"]
    )
    proposals = services.proposals(project)
    assert len(proposals[0].statements) >= 2
    assert sum(len(p.statements) for p in proposals) == 6


def test_accept_split_merge_and_counts(project):
    confidential = statements(
        project, "Keeping medical information confidential", "must stay", "confidential, always"
    )
    item = services.accept(project, confidential[:2], "Keeps health information confidential")
    assert item.code == "I001"
    counts = services.items_with_counts(project).get(pk=item.pk)
    assert (counts.citations, counts.session_count) == (2, 2)
    # the third statement first becomes an item of its own, then is merged in
    other = services.accept(project, confidential[2:])
    assert (
        other.code == "I002"
        and other.statement == "Keeping medical information confidential, always"
    )
    services.merge(item, [other])
    assert not Item.objects.filter(pk=other.pk).exists()
    assert item.statements.count() == 3
    # a split: one statement goes back to the open pool
    services.release(confidential[:1])
    assert item.statements.count() == 2
    assert project.statements.filter(item__isnull=True).count() == 4
    # moving the last statements of an item elsewhere removes the emptied item
    duties = statements(project, "Negotiating", "Negotiate")
    duty_item = services.accept(project, duties)
    services.accept(project, list(duty_item.statements.all()), item=item)
    assert not Item.objects.filter(pk=duty_item.pk).exists()


def test_deductive_suggestions_match_framework_items(project, default_framework):
    suggestions = services.suggest(project, "lexical", threshold=0.15, framework=default_framework)
    codes = {s.statement.text: s.item_code for s in suggestions}
    confidential = default_framework.competencies.filter(
        statement__icontains="confidential"
    ).values_list("code", flat=True)
    assert codes["Keeping medical information confidential"] in confidential
    assert codes["The parking here is a nightmare"] == ""
    assert all(s.similarity is not None for s in suggestions)
    matched = statements(project, "Keeping medical information confidential")
    item = services.accept(project, matched)
    assert item.matched_code == codes["Keeping medical information confidential"]


def test_update_item_checks_type(project):
    item = services.accept(project, statements(project, "parking"))
    services.update_item(item, "  Knows parking  ", "knowledge")
    item.refresh_from_db()
    assert (item.statement, item.ksab_type) == ("Knows parking", "knowledge")
    with pytest.raises(services.ElicitationError):
        services.update_item(item, "x", "talent")
    with pytest.raises(services.ElicitationError):
        services.update_item(item, " ", "skill")


@pytest.fixture
def three_items(project):
    a = services.accept(
        project,
        statements(
            project, "Keeping medical information confidential", "must stay", "confidential, always"
        ),
        "Keeps information private",
    )
    b = services.accept(
        project, statements(project, "Negotiating", "Negotiate"), "Negotiates modified duties"
    )
    c = services.accept(project, statements(project, "parking"), "Finds a parking space")
    for item, kind in ((a, "behaviour"), (b, "skill"), (c, "skill")):
        services.update_item(item, item.statement, kind)
    return a, b, c


def test_card_sorts_analysis_and_consensus(project, three_items, researcher, default_framework):
    a, b, c = three_items
    first = services.start_sort(project, researcher, "Anna", default_framework)
    assert first.groups.count() == 8
    g1 = first.groups.get(position=1)
    g2 = first.groups.get(position=2)
    services.place(first, {a.pk: g1.pk, b.pk: g1.pk, c.pk: g2.pk})
    second = services.start_sort(project, researcher, "Ben")
    ethics = services.add_group(second, "Ethics")
    work = services.add_group(second, "Work")
    with pytest.raises(services.ElicitationError):
        services.add_group(second, "Ethics")
    services.place(second, {a.pk: ethics.pk, b.pk: work.pk, c.pk: work.pk})
    with pytest.raises(services.ElicitationError):
        services.place(second, {a.pk: g1.pk})  # a group of another sort
    analysis = services.analyze_sorts(project)
    assert analysis.matrix[0, 1] == pytest.approx(0.5)
    assert analysis.agreement == pytest.approx(-0.5)
    consensus = services.adopt_consensus(project, researcher)
    assert consensus.placements.count() == 3
    services.place(second, {c.pk: None})
    assert services.sort_mapping(second) == {a.pk: ethics.pk, b.pk: work.pk}


def test_promote_keeps_provenance_and_selection_ranks_by_citations(
    project, three_items, researcher
):
    a, b, c = three_items
    sort = services.start_sort(project, researcher, "Final")
    privacy = services.add_group(sort, "Privacy")
    duties = services.add_group(sort, "Duties")
    services.add_group(sort, "Empty")
    services.place(sort, {a.pk: privacy.pk, b.pk: duties.pk, c.pk: duties.pk})
    framework = services.promote(project, sort, "fg-framework", "From focus groups", project.owner)
    assert framework.status == "draft"
    assert [g.name for g in framework.groups.all()] == ["Privacy", "Duties"]
    competency = framework.competencies.get(code=a.code)
    assert competency.statement == "Keeps information private"
    assert competency.ksab_type == "behaviour"
    assert (competency.provenance.citation_count, competency.provenance.session_count) == (3, 2)
    assert {s.text for s in competency.provenance.statements()} == {
        s.text for s in a.statements.all()
    }
    project.refresh_from_db()
    assert project.framework == framework
    # b: 2 citations in 2 sessions; c: 1 in 1
    assert services.select_for_survey(project, 2) == [a.code, b.code]
    assert services.select_for_survey(framework, 1, [c.code, a.code]) == [a.code, c.code]
    with pytest.raises(services.ElicitationError, match="NOPE"):
        services.select_for_survey(project, 1, ["NOPE"])
    again = services.promote(project, sort, "fg-framework", "From focus groups", project.owner)
    assert again.version == 2 and Provenance.objects.count() == 6


def test_selection_ties_go_to_more_sessions_then_framework_order(project, researcher):
    one_session = services.accept(
        project,
        statements(project, "Keeping medical information confidential", "parking"),
        "Same session",
    )
    two_sessions = services.accept(
        project, statements(project, "Negotiating", "Negotiate"), "Two sessions"
    )
    single = services.accept(project, statements(project, "must stay"), "Single A")
    single_b = services.accept(project, statements(project, "always"), "Single B")
    for item in (one_session, two_sessions, single, single_b):
        services.update_item(item, item.statement, "skill")
    sort = services.start_sort(project, researcher)
    group = services.add_group(sort, "All")
    services.place(sort, {i.pk: group.pk for i in (single_b, single, one_session, two_sessions)})
    services.promote(project, sort, "ties", "Ties", project.owner)
    assert services.select_for_survey(project, 4) == [
        two_sessions.code,
        one_session.code,
        single.code,
        single_b.code,
    ]


def test_promotion_needs_types_and_placements(project, researcher):
    item = services.accept(project, statements(project, "parking"))
    sort = services.start_sort(project, researcher)
    with pytest.raises(services.ElicitationError, match="no item is placed"):
        services.promote(project, sort, "x", "X", project.owner)
    group = services.add_group(sort, "G")
    services.place(sort, {item.pk: group.pk})
    with pytest.raises(services.ElicitationError, match=item.code):
        services.promote(project, sort, "x", "X", project.owner)
    with pytest.raises(services.ElicitationError, match="nothing promoted"):
        services.select_for_survey(Project.objects.get(pk=project.pk), 3)
