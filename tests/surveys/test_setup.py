"""Choosing a study's items: all, codes, extras, and the N most cited from focus groups."""

import pytest

from rtwcomp.elicitation import services as elicitation
from rtwcomp.surveys import studies
from tests.elicitation.conftest import project  # noqa: F401 - a fixture


def codes(study):
    return [i.competency.code for i in study.items.order_by("position")]


def test_items_by_number_codes_and_extras(default_framework):
    first = studies.create_study(name="A", framework=default_framework, items="3")
    assert codes(first) == ["RTWC-001", "RTWC-002", "RTWC-003"]  # no provenance: framework order
    chosen = studies.create_study(
        name="B",
        framework=default_framework,
        items="RTWC-010,RTWC-002",
        extras=["RTWC-002", "RTWC-099"],
    )
    assert codes(chosen) == ["RTWC-010", "RTWC-002", "RTWC-099"]
    assert first.rounds.get().items.count() == 3
    assert first.questions.filter(key="profession").get().choices[0]["value"] == "nurse"


@pytest.mark.parametrize("items", ["0", "157", "RTWC-001,NOPE", " "])
def test_impossible_choices_are_refused(default_framework, items):
    with pytest.raises(studies.SetupError):
        studies.create_study(name="C", framework=default_framework, items=items)


def test_delphi_cannot_be_anonymous(default_framework):
    with pytest.raises(studies.SetupError, match="cannot be anonymous"):
        studies.create_study(name="D", framework=default_framework, delphi=True, anonymous=True)


def test_the_n_most_cited_come_from_focus_group_provenance(project, researcher):  # noqa: F811
    said = {s.text: s for s in project.statements.all()}

    def item(*starts, name):
        chosen = [s for text, s in said.items() if text.startswith(starts)]
        made = elicitation.accept(project, chosen, name)
        return elicitation.update_item(made, made.statement, "knowledge")

    once = item("The parking", name="Parking")
    thrice = item("Keeping medical", "Confidential medical", name="Confidentiality")
    twice = item("Negotiat", name="Duties")
    sort = elicitation.start_sort(project, researcher)
    group = elicitation.add_group(sort, "All")
    elicitation.place(sort, {i.pk: group.pk for i in (once, twice, thrice)})
    framework = elicitation.promote(project, sort, "fg", "From focus groups", researcher)
    study = studies.create_study(name="Most cited", framework=framework, items="2")
    assert codes(study) == [thrice.code, twice.code]
