"""rtwcomp agrees with R (base R and psych) on the committed reference data sets.

The reference values come from tests/reference/make_reference.R: psych's bfi (2800
respondents, 25 items, 6-point scale, with missing answers) and a generated survey the
size of the 2010 study (148 respondents, 20 items, 3% missing, a profession with three
respondents).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.stats.agreement import (
    Case,
    check_groups,
    check_items,
    check_loadings,
    check_polychoric,
    check_subgroups,
    load_case,
    run_case,
)

REFERENCE = Path(__file__).resolve().parents[1] / "reference"


@pytest.fixture(scope="module", params=["bfi", "generated"])
def case_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    case = load_case(REFERENCE / request.param)
    out = run_case(case, tmp_path_factory.mktemp(request.param) / "out")
    return case, out


def test_item_statistics_match_r(case_run: tuple[Case, Path]) -> None:
    check_items(*case_run)


def test_group_reliability_matches_psych(case_run: tuple[Case, Path]) -> None:
    check_groups(*case_run)


def test_subgroup_tests_match_wilcox_and_kruskal(case_run: tuple[Case, Path]) -> None:
    check_subgroups(*case_run)


def test_polychoric_matches_psych(case_run: tuple[Case, Path]) -> None:
    check_polychoric(*case_run)


def test_factor_loadings_match_psych_fa(case_run: tuple[Case, Path]) -> None:
    check_loadings(*case_run)


def test_generated_case_suppresses_the_small_profession() -> None:
    tests = load_case(REFERENCE / "generated").reference("subgroups")
    profession = tests[tests["variable"] == "profession"]
    assert profession["suppressed"].all()
    assert tests[tests["variable"] == "country"]["suppressed"].eq(False).all()
