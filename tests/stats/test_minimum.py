"""Small samples: statistics below their minimum are left out with a note, nothing is
written as infinity, Heywood cases warn, and subgroup levels sort as R sorts them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rtwcomp.stats import SurveyOptions, analyze_survey, minimum
from rtwcomp.stats.efa import factor_analysis
from rtwcomp.stats.subgroups import is_plain_decimal, level_order, subgroup_tests
from rtwcomp.stats.survey import heywood_warnings
from tests.stats.test_cli_analyze import analyze


def small_survey(n: int, seed: int = 4) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 1))
    answers = np.clip(np.round(3 + latent + rng.normal(scale=0.7, size=(n, 8))), 1, 5)
    ids = [f"q{j}" for j in range(1, 9)]
    responses = pd.DataFrame(answers, columns=ids)
    items = pd.DataFrame({"item": ids, "group": ["care"] * 4 + ["law"] * 4})
    return responses, items


def test_every_minimum_has_a_reason_and_the_ordering_is_sensible() -> None:
    table = {row["statistic"]: row for row in minimum.table()}
    assert set(table) == {
        "alpha",
        "omega",
        "polychoric",
        "efa",
        "parallel_analysis",
        "subgroup_test",
    }
    for row in table.values():
        assert row["minimum_n"] >= 2 and len(row["reason"]) > 40
    assert table["alpha"]["minimum_n"] <= table["omega"]["minimum_n"]
    assert table["polychoric"]["minimum_n"] <= table["efa"]["minimum_n"]
    assert table["efa"]["minimum_items"] == 3


def test_three_respondents_give_no_reliability_correlations_or_factors() -> None:
    responses, items = small_survey(3)
    result = analyze_survey(responses, items)
    assert result.groups[["alpha", "alpha_low", "alpha_high", "omega_total"]].isna().all().all()
    assert result.items[["item_rest_r", "alpha_if_deleted"]].isna().all().all()
    assert result.polychoric.empty and result.loadings.empty and result.structure.empty
    omitted = {(o["statistic"], o["scope"]): o for o in result.summary["omitted"]}
    assert set(omitted) == {
        ("alpha", "group 'care'"),
        ("alpha", "group 'law'"),
        ("omega", "group 'care'"),
        ("omega", "group 'law'"),
        ("polychoric", "the items"),
        ("efa", "the items"),
        ("parallel_analysis", "the items"),
    }
    alpha = omitted[("alpha", "group 'care'")]
    assert alpha["n"] == 3 and alpha["minimum_n"] == minimum.ALPHA.respondents
    assert alpha["reason"] == minimum.ALPHA.reason
    assert result.omitted == result.summary["omitted"]
    assert any("Cronbach's alpha of group 'care'" in w for w in result.warnings)


def test_at_the_minimum_the_statistics_are_given() -> None:
    responses, items = small_survey(minimum.EFA.respondents, seed=5)
    result = analyze_survey(responses, items, SurveyOptions(factors=1))
    assert result.groups[["alpha", "omega_total"]].notna().all().all()
    assert result.polychoric.shape == (8, 8)
    assert len(result.loadings) == 8
    assert result.summary["omitted"] == []


def test_between_the_minimums_only_what_is_allowed_is_left_out() -> None:
    n = minimum.ALPHA.respondents  # enough for alpha, not for omega or correlations
    responses, items = small_survey(n, seed=6)
    result = analyze_survey(responses, items)
    assert result.groups["alpha"].notna().all()
    assert result.groups["omega_total"].isna().all()
    statistics = {o["statistic"] for o in result.summary["omitted"]}
    assert statistics == {"omega", "polychoric", "efa", "parallel_analysis"}


def test_two_respondents_write_no_infinity_anywhere(tmp_path: Path) -> None:
    responses, items = small_survey(2, seed=1)
    responses.insert(0, "country", ["AU", "CA"])
    responses = responses.astype({c: "Int64" for c in items["item"]})
    responses.to_csv(tmp_path / "responses.csv", index=False)
    items.to_csv(tmp_path / "items.csv", index=False)
    out = tmp_path / "out"
    assert analyze(tmp_path / "responses.csv", tmp_path / "items.csv", out) == 0
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8").lower()
        assert "inf" not in text.replace("info", ""), path.name
    summary = json.loads((out / "summary.json").read_text())
    assert {o["statistic"] for o in summary["omitted"]} >= {"alpha", "omega", "polychoric"}
    stats = pd.read_csv(out / "item_stats.csv")
    assert stats["alpha_if_deleted"].isna().all()


def test_non_finite_values_are_blanked_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    import rtwcomp.stats.survey as survey

    original = survey.item_statistics

    def with_infinity(*args, **kwargs):  # type: ignore[no-untyped-def]
        frame = original(*args, **kwargs)
        frame.loc[0, "mean"] = -np.inf
        return frame

    monkeypatch.setattr(survey, "item_statistics", with_infinity)
    responses, items = small_survey(12)
    result = analyze_survey(responses, items)
    assert np.isnan(result.items.loc[0, "mean"])
    assert any("item_stats: 1 value(s) of 'mean' were not finite" in w for w in result.warnings)


def test_a_heywood_case_warns_as_psych_does() -> None:
    # r12 = r13 = .9 and r23 = .5 ask for a loading of item 1 above one (psych::fa warns
    # "An ultra-Heywood case was detected").
    corr = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, 0.5], [0.9, 0.5, 1.0]])
    solution = factor_analysis(corr, 1)
    communality = (solution.loadings**2).sum(axis=1)
    assert communality[0] >= 1.0
    frame = pd.DataFrame({"item": ["a", "b", "c"], "communality": communality})
    warnings = heywood_warnings(frame)
    assert len(warnings) == 1
    assert "item 'a'" in warnings[0] and "Heywood" in warnings[0]
    assert heywood_warnings(frame.assign(communality=[0.9, 0.5, 0.99])) == []


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("18", True),
        ("-2.5", True),
        (".5", True),
        ("5_17", False),
        ("1e3", False),
        ("inf", False),
        ("nan", False),
        (" 7", False),
        ("", False),
    ],
)
def test_plain_decimals(text: str, plain: bool) -> None:
    assert is_plain_decimal(text) is plain


def test_levels_with_underscores_sort_as_text_and_sign_the_effect_by_the_first() -> None:
    assert level_order(pd.Series(["5_17", "18_30", "5_17"])) == ["18_30", "5_17"]
    assert level_order(pd.Series(["10", "9", "9.5"])) == ["9", "9.5", "10"]
    # The older respondents (18_30) rate higher: the rank-biserial effect of the first
    # level, 18_30 as R orders the factor, must be positive.
    values = np.array([5, 5, 4, 5, 4, 2, 1, 2, 3, 1], dtype=float)
    attributes = pd.DataFrame({"age": ["18_30"] * 5 + ["5_17"] * 5})
    tests = subgroup_tests({("item", "q1"): values}, attributes, min_level_n=5)
    assert tests.loc[0, "levels"] == "18_30: 5; 5_17: 5"
    assert tests.loc[0, "effect"] > 0.8
