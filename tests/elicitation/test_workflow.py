"""Sorting hundreds of statements: the table, set-aside, bulk decisions, top-k candidates,
learning from accepted and rejected suggestions, bulk typing and the messages on the way."""

import pytest
from django.urls import reverse

from rtwcomp.elicitation import services
from rtwcomp.elicitation.models import Item, Statement


@pytest.fixture
def staff(client, researcher):
    client.force_login(researcher)
    return client


def statements(project, *words):
    found = [project.statements.get(text__icontains=w) for w in words]
    return found


def test_an_unknown_participant_is_an_error_naming_the_line_and_nothing_is_stored(project):
    session = project.sessions.get(code="AU-1")
    before = project.statements.count()
    with pytest.raises(services.ElicitationError) as refused:
        services.paste_statements(project, session, "P01: known\nP99: who is this\nP98: and this")
    message = str(refused.value)
    assert "line 2: no participant 'P99'" in message and "line 3: no participant 'P98'" in message
    assert "line 1" not in message
    assert project.statements.count() == before
    assert not project.participants.filter(code="P99").exists()


def test_messages_are_pluralised(staff, project):
    session = project.sessions.get(code="AU-1")
    url = reverse("elicitation:paste", args=[project.slug])
    page = staff.post(url, {"session": session.pk, "text": "One thing"}, follow=True)
    assert "1 statement added." in page.content.decode()
    page = staff.post(url, {"session": session.pk, "text": "One\nTwo"}, follow=True)
    assert "2 statements added." in page.content.decode()


def test_set_aside_remarks_are_kept_counted_exported_and_out_of_suggestions(staff, project):
    parking = statements(project, "parking")
    services.set_aside(project, parking)
    assert not services.open_statements(project).filter(pk=parking[0].pk).exists()
    assert all(s.statement.pk != parking[0].pk for s in services.suggest(project, "lexical"))
    page = staff.get(reverse("elicitation:project", args=[project.slug])).content.decode()
    assert "6 statements: 5 not yet in an item, 1 set aside as off-topic; 0 unique items." in page
    rows = services.export_rows(project)
    assert [r["set_aside"] for r in rows if "parking" in r["text"]] == ["yes"]
    with pytest.raises(services.ElicitationError):
        services.accept(project, [Statement.objects.get(pk=parking[0].pk)])
    services.set_aside(project, [Statement.objects.get(pk=parking[0].pk)], aside=False)
    assert services.open_statements(project).filter(pk=parking[0].pk).exists()


def test_set_aside_reads_back_from_an_export(project, researcher, tmp_path):
    from rtwcomp.interop.statements_csv import read_statements_csv

    services.set_aside(project, statements(project, "parking"))
    path = tmp_path / "export.csv"
    path.write_text(services.export_csv(project), encoding="utf-8")
    copy = services.create_project("Copy", owner=researcher)
    for participant in project.participants.all():  # codes must be known before an import
        services.add_participant(copy, participant.code)
    services.import_statements(copy, read_statements_csv(path), "export.csv")
    assert list(copy.statements.filter(set_aside=True).values_list("text", flat=True)) == [
        "The parking here is a nightmare"
    ]


def test_a_bad_set_aside_value_names_line_and_column(tmp_path):
    from rtwcomp.interop.errors import InputError
    from rtwcomp.interop.statements_csv import read_statements_csv

    path = tmp_path / "fg.csv"
    path.write_text("session,text,set_aside\nAU-1,fine,yes\nAU-1,odd,maybe\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_statements_csv(path)
    assert f"{path}: line 3, column 'set_aside': 'maybe' is not yes, no or empty" in str(
        refused.value.problems
    )


def test_the_table_searches_filters_edits_and_deletes_with_history(staff, project):
    url = reverse("elicitation:statements", args=[project.slug])
    page = staff.get(url, {"q": "modified"}).content.decode()
    assert "2 statements shown" in page and "parking" not in page
    ca = project.sessions.get(code="CA-1")
    page = staff.get(url, {"session": ca.pk}).content.decode()
    assert "3 statements shown" in page and "confidential, always" in page
    assert "The parking here is a nightmare" not in page

    target = statements(project, "parking")[0]
    edit = reverse("elicitation:edit_statement", args=[project.slug, target.pk])
    assert staff.post(edit, {"text": ""}).status_code == 200  # the form again, with its error
    staff.post(edit, {"text": "The car park is a nightmare"})
    target.refresh_from_db()
    assert target.text == "The car park is a nightmare"
    staff.post(reverse("elicitation:delete_statement", args=[project.slug, target.pk]))
    assert not Statement.objects.filter(pk=target.pk).exists()
    kinds = list(
        Statement.history.filter(id=target.pk)
        .order_by("history_date", "history_id")
        .values_list("history_type", "text")
    )
    assert kinds[-2:] == [
        ("~", "The car park is a nightmare"),
        ("-", "The car park is a nightmare"),
    ]
    assert ("+", "The parking here is a nightmare") in kinds


def test_bulk_accept_makes_one_item_per_ticked_suggestion_with_wording_of_the_ticked(
    staff, project
):
    confidential = statements(
        project, "Keeping medical information confidential,", "must stay private"
    )
    duties = statements(project, "Negotiating modified", "Negotiate modified")
    data = {
        "action": "accept",
        "proposal": ["a", "b"],
        "statement-a": [s.pk for s in confidential],
        "text-a": "Keeps medical information confidential",
        "proposed-a": "Something else",
        "statement-b": [duties[1].pk],  # the first was unticked: a split
        "text-b": duties[0].text,
        "proposed-b": duties[0].text,  # wording left as proposed: follows the ticked ones
    }
    page = staff.post(reverse("elicitation:decide", args=[project.slug]), data, follow=True)
    assert "3 statements accepted." in page.content.decode()
    assert Item.objects.count() == 2
    words = set(Item.objects.values_list("statement", flat=True))
    assert words == {"Keeps medical information confidential", duties[1].text}
    duties[0].refresh_from_db()
    assert duties[0].item is None


def test_bulk_reject_and_set_aside_from_the_suggestions_page(staff, project, default_framework):
    services.suggest(project, "lexical", threshold=-1.0, framework=default_framework)
    parking = statements(project, "parking")[0]
    parking.refresh_from_db()
    refused_code = parking.suggested_code
    assert refused_code.startswith("RTWC-")
    url = reverse("elicitation:decide", args=[project.slug])
    page = staff.post(
        url, {"action": "reject", "proposal": ["p"], "statement-p": [parking.pk]}, follow=True
    )
    assert "1 suggestion rejected" in page.content.decode()
    parking.refresh_from_db()
    assert parking.rejected_codes == [refused_code] and parking.suggested_code == ""
    again = services.suggest(project, "lexical", threshold=-1.0, framework=default_framework)
    mine = next(s for s in again if s.statement.pk == parking.pk)
    assert mine.item_code != refused_code
    assert refused_code not in [code for code, _score in mine.candidates]
    staff.post(url, {"action": "aside", "proposal": ["p"], "statement-p": [parking.pk]})
    parking.refresh_from_db()
    assert parking.set_aside


def test_a_deductive_suggestion_shows_three_candidates_with_their_text(
    staff, project, default_framework
):
    suggestions = services.suggest(project, "lexical", framework=default_framework)
    assert all(len(s.candidates) == 3 for s in suggestions)
    for s in suggestions:
        scores = [score for _code, score in s.candidates]
        assert scores == sorted(scores, reverse=True)
    first = suggestions[0].statement
    first.refresh_from_db()
    code, text = first.candidates[0]["code"], first.candidates[0]["text"]
    assert text == default_framework.competencies.get(code=code).statement
    page = staff.get(reverse("elicitation:suggestions", args=[project.slug])).content.decode()
    assert "Likeliest items:" in page and code in page


def test_accepted_statements_teach_the_inductive_suggestions(project):
    confidential = statements(project, "Keeping medical information confidential,")
    item = services.accept(project, confidential, "Keeps medical information confidential")
    suggestions = {s.statement.text: s for s in services.suggest(project, "lexical")}
    again = suggestions["Keeping medical information confidential"]
    assert again.item_code == item.code  # the project's own item is proposed
    assert again.candidates[0][0] == item.code
    accepted = services.accept(project, [again.statement])  # as proposed: joins the item
    assert accepted == item and item.statements.count() == 2


def test_bulk_typing_sets_every_ticked_item_and_refuses_a_non_type(staff, project):
    first = services.accept(
        project, statements(project, "Keeping medical information confidential,")
    )
    second = services.accept(project, statements(project, "Negotiate modified"))
    url = reverse("elicitation:set_types", args=[project.slug])
    page = staff.post(url, {"item": [first.pk, second.pk], "ksab_type": "skill"}, follow=True)
    assert "2 items typed." in page.content.decode()
    assert set(Item.objects.values_list("ksab_type", flat=True)) == {"skill"}
    page = staff.post(url, {"item": [first.pk], "ksab_type": "magic"}, follow=True)
    assert "&#x27;magic&#x27; is not a KSAB type" in page.content.decode()
    assert Item.objects.get(pk=first.pk).ksab_type == "skill"
    third = services.accept(project, statements(project, "parking"))
    page = staff.post(url, {"scope": "untyped", "ksab_type": "attitude"}, follow=True)
    assert "1 item typed." in page.content.decode()
    assert Item.objects.get(pk=third.pk).ksab_type == "attitude"
    assert Item.objects.get(pk=first.pk).ksab_type == "skill"


def test_the_suggestions_page_says_whether_the_semantic_method_is_installed(staff, project):
    from rtwcomp.elicitation import clustering

    page = staff.get(reverse("elicitation:suggestions", args=[project.slug])).content.decode()
    if clustering.semantic_available():
        assert "The semantic method is installed here." in page
    else:
        assert "pip install &#x27;rtwcomp[semantic]&#x27;" in page


def test_the_table_sets_aside_and_restores_ticked_statements(staff, project):
    parking = statements(project, "parking")[0]
    url = reverse("elicitation:aside", args=[project.slug])
    page = staff.post(url, {"statement": [parking.pk], "action": "aside"}, follow=True)
    assert "1 statement set aside." in page.content.decode()
    table = reverse("elicitation:statements", args=[project.slug])
    page = staff.get(table, {"state": "aside"}).content.decode()
    assert "1 statement shown" in page and "The parking here is a nightmare" in page
    staff.post(url, {"statement": [parking.pk], "action": "restore"})
    parking.refresh_from_db()
    assert not parking.set_aside


def test_a_sort_from_a_framework_starts_with_its_matched_items_in_their_groups(
    project, researcher, default_framework
):
    confidential = default_framework.competencies.get(code="RTWC-087")
    matched = services.accept(project, statements(project, "must stay private"))
    matched.matched_code = confidential.code
    matched.save()
    own = services.accept(project, statements(project, "parking"))
    sort = services.start_sort(project, researcher, "From the framework", default_framework)
    placed = {p.item_id: p.group.name for p in sort.placements.select_related("group")}
    assert placed == {matched.pk: confidential.group.name}
    assert own.pk not in placed
