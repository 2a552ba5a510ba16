"""Choosing a study's items: all, codes, extras, the N most cited (focus groups or the
framework's sources), N per group, proportional to group size, by hand; group coverage."""

import csv
from collections import Counter
from pathlib import Path

import pytest

from rtwcomp.elicitation import services as elicitation
from rtwcomp.surveys import selectors, studies
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


# --- choosing items on the web ------------------------------------------------------------

BANK = Path(studies.__file__).resolve().parent.parent / "frameworks" / "data" / "rtw_item_bank.csv"


def bank() -> list[dict[str, str]]:
    """The default framework's items as the CSV states them, read without rtwcomp."""
    with BANK.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for position, row in enumerate(rows):
        row["position"] = position
        row["cited"] = len([s for s in row["sources"].split(";") if s.strip()])
    return rows


def by_citations(rows):
    return sorted(rows, key=lambda r: (-r["cited"], r["position"]))


def test_the_default_frameworks_citations_are_its_sources(default_framework):
    expected = {r["code"]: r["cited"] for r in bank()}
    found = {c.code: studies.citations(c) for c in default_framework.competencies.all()}
    assert found == expected
    assert max(found.values()) == 3  # not all ones: the ranking has something to rank


def test_the_n_most_cited_of_the_default_framework(default_framework):
    chosen = studies.choose_items(default_framework, "cited", 10)
    wanted = {r["code"] for r in by_citations(bank())[:10]}
    assert {c.code for c in chosen} == wanted
    assert [c.position for c in chosen] == sorted(c.position for c in chosen)  # framework order


def test_n_per_group_takes_each_groups_most_cited(default_framework):
    chosen = {c.code for c in studies.choose_items(default_framework, "per_group", 2)}
    rows = bank()
    groups = {r["group"] for r in rows}
    wanted = {
        r["code"] for g in groups for r in by_citations([r for r in rows if r["group"] == g])[:2]
    }
    assert len(groups) == 8 and chosen == wanted and len(chosen) == 16


def test_proportional_shares_follow_group_sizes(default_framework):
    assert studies.proportional_shares([5, 3, 2], 5) == [3, 1, 1]  # 2.5, 1.5, 1.0: tie to the first
    assert studies.proportional_shares([1, 1, 1], 2) == [1, 1, 0]
    chosen = studies.choose_items(default_framework, "proportional", 20)
    sizes = Counter(r["group"] for r in bank())
    asked = Counter(c.group.key for c in chosen)
    assert sum(asked.values()) == 20 and set(asked) == set(sizes)
    for group, size in sizes.items():
        quota = 20 * size / sum(sizes.values())
        assert asked[group] in (int(quota), int(quota) + 1)


def test_checked_items_are_added_and_by_hand_takes_only_them(default_framework):
    hand = studies.choose_items(default_framework, "hand", codes=["RTWC-100", "RTWC-002"])
    assert [c.code for c in hand] == ["RTWC-002", "RTWC-100"]
    cited = studies.choose_items(default_framework, "cited", 3, codes=["RTWC-100"])
    assert len(cited) == 4 and "RTWC-100" in {c.code for c in cited}


@pytest.mark.parametrize(
    ("how", "count"), [("cited", None), ("cited", 157), ("per_group", 25), ("hand", None)]
)
def test_impossible_selections_are_refused(default_framework, how, count):
    with pytest.raises(studies.SetupError):
        studies.choose_items(default_framework, how, count)


def test_coverage_names_the_groups_left_out(default_framework):
    """The issue's case: "Items: 20" took RTWC-001…020, all from one group."""
    study = studies.create_study(name="Twenty", framework=default_framework, items="20")
    items = [i.competency for i in study.items.all()]
    found = selectors.coverage(default_framework, items)
    assert (found["item_count"], found["covered"], found["group_count"]) == (20, 1, 8)
    assert len(found["missing"]) == 7 and "Communication" in found["missing"]
    spread = studies.choose_items(default_framework, "per_group", 1)
    assert selectors.coverage(default_framework, spread)["missing"] == []
