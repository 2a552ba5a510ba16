"""Property: whatever the researcher does (accept, merge, take out, set aside, edit, delete),
each item's "said N times in M sessions" equals what its statements say, and a promoted
competency carries the same counts. Checked against a plain model of the project."""

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rtwcomp.elicitation import services
from rtwcomp.elicitation.models import Statement

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["accept", "join", "merge", "release", "aside", "restore", "edit", "delete"]
        ),
        st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=3, unique=True),
    ),
    min_size=1,
    max_size=12,
)


def apply(project, operation: str, picks: list[int], model: dict[int, int | None]) -> None:
    """Do one operation through the services and the same to the model (statement -> item)."""
    ordered = list(project.statements.order_by("position"))
    chosen = [ordered[i % len(ordered)] for i in picks] if ordered else []
    chosen = list({s.pk: s for s in chosen}.values())
    items = list(project.items.order_by("code"))
    if not chosen:
        return
    if operation == "accept" and not any(s.set_aside for s in chosen):
        item = services.accept(project, chosen)
        model.update((s.pk, item.pk) for s in chosen)
    elif operation == "join" and items and not any(s.set_aside for s in chosen):
        target = items[picks[0] % len(items)]
        services.accept(project, chosen, item=target)
        model.update((s.pk, target.pk) for s in chosen)
    elif operation == "merge" and len(items) > 1:
        target, other = items[0], items[picks[0] % (len(items) - 1) + 1]
        services.merge(target, [other])
        model.update((pk, target.pk) for pk, item in model.items() if item == other.pk)
    elif operation == "release":
        services.release(chosen)
        model.update((s.pk, None) for s in chosen)
    elif operation in ("aside", "restore"):
        services.set_aside(project, chosen, aside=operation == "aside")
        if operation == "aside":
            model.update((s.pk, None) for s in chosen)
    elif operation == "edit":
        services.edit_statement(chosen[0], chosen[0].text + " (checked)")
    elif operation == "delete":
        gone = chosen[0].pk
        services.delete_statement(chosen[0])
        model.pop(gone)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_said_n_times_in_m_sessions_stays_right(project, researcher, operations):
    with transaction.atomic():
        model: dict[int, int | None] = dict(project.statements.values_list("pk", "item_id"))
        sessions = dict(project.statements.values_list("pk", "session_id"))
        for operation, picks in operations:
            apply(project, operation, picks, model)
            expected: dict[int, tuple[int, set[int]]] = {}
            for pk, item in model.items():
                if item is not None:
                    count, seen = expected.get(item, (0, set()))
                    expected[item] = (count + 1, seen | {sessions[pk]})
            counted = {
                i.pk: (i.citations, i.session_count) for i in services.items_with_counts(project)
            }
            assert counted == {k: (n, len(m)) for k, (n, m) in expected.items()}
            assert not Statement.objects.filter(set_aside=True, item__isnull=False).exists()
        if counted:
            _promoted_counts_agree(project, researcher, counted)
        transaction.set_rollback(True)


def _promoted_counts_agree(project, researcher, counted) -> None:
    sort = services.start_sort(project, researcher, "All in one")
    group = services.add_group(sort, "Everything")
    services.place(sort, {pk: group.pk for pk in counted})
    services.set_types(project, list(project.items.all()), "skill")
    framework = services.promote(project, sort, f"p-{project.pk}", "Promoted", researcher)
    for competency in framework.competencies.select_related("provenance"):
        provenance = competency.provenance
        assert (provenance.citation_count, provenance.session_count) == counted[provenance.item_id]
