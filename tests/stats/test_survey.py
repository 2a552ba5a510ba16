"""analyze_survey as a Python API: invariances, reverse keying and degenerate data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtwcomp.stats import SurveyAnalysis, SurveyDataError, SurveyOptions, analyze_survey

OPTIONS = SurveyOptions(subgroups=("country",), factors=2, seed=3)


def make_survey(n: int = 120, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two groups of four items on a 1-5 scale, with gaps and a country attribute."""
    rng = np.random.default_rng(seed)
    factors = rng.normal(size=(n, 2))
    group_of = np.repeat([0, 1], 4)
    latent = factors[:, group_of] + rng.normal(size=(n, 8))
    answers = np.clip(np.round(3.5 + latent), 1, 5)
    answers[rng.random(answers.shape) < 0.05] = np.nan
    ids = [f"q{j + 1}" for j in range(8)]
    responses = pd.DataFrame(answers, columns=ids)
    responses.insert(0, "country", rng.choice(["AU", "CA", "US"], n))
    items = pd.DataFrame({"item": ids, "group": ["care"] * 4 + ["law"] * 4, "reverse": [0] * 8})
    return responses, items


def test_result_parts_are_documented_dataframes() -> None:
    responses, items = make_survey()
    result = analyze_survey(responses, items, OPTIONS)
    assert isinstance(result, SurveyAnalysis)
    assert list(result.items["item"]) == list(items["item"])
    assert list(result.groups["group"]) == ["care", "law"]
    assert result.polychoric.shape == (8, 8)
    assert list(result.loadings.columns) == ["item", "group", "F1", "F2", "communality"]
    assert len(result.structure) == 2 and set(result.structure["group"]) == {"care", "law"}
    assert result.summary["counts"]["respondents"] == 120
    assert result.summary["factors"]["n"] == 2
    counts = result.items[[f"count_{p}" for p in range(1, 6)]].sum(axis=1)
    assert (counts == result.items["n"]).all()
    assert (result.items["n"] + result.items["n_missing"] == 120).all()


def test_respondent_order_does_not_matter() -> None:
    responses, items = make_survey()
    shuffled = responses.sample(frac=1.0, random_state=7).reset_index(drop=True)
    a = analyze_survey(responses, items, OPTIONS)
    b = analyze_survey(shuffled, items, OPTIONS)
    pd.testing.assert_frame_equal(a.items, b.items, rtol=1e-10)
    pd.testing.assert_frame_equal(a.groups, b.groups, rtol=1e-8)
    pd.testing.assert_frame_equal(a.subgroup_tests, b.subgroup_tests, rtol=1e-9)
    pd.testing.assert_frame_equal(a.polychoric, b.polychoric, atol=1e-9)


def test_a_reverse_keyed_item_is_scored_back() -> None:
    responses, items = make_survey()
    flipped = responses.copy()
    flipped["q2"] = 6 - flipped["q2"]
    keyed = items.assign(reverse=[0, 1, 0, 0, 0, 0, 0, 0])
    a = analyze_survey(responses, items, OPTIONS)
    b = analyze_survey(flipped, keyed, OPTIONS)
    columns = ["mean", "sd", "share_top", "item_rest_r", "alpha_if_deleted"]
    pd.testing.assert_frame_equal(a.items[columns], b.items[columns], rtol=1e-10)
    pd.testing.assert_frame_equal(a.groups, b.groups, rtol=1e-8)
    assert b.items.loc[1, "reverse"] == 1


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 5), st.floats(0.05, 0.95))
def test_shares_ranks_and_key_rule_are_consistent(seed: int, top: int, share: float) -> None:
    responses, items = make_survey(n=40, seed=seed)
    options = SurveyOptions(top=top, key_share=share, factors=1)
    result = analyze_survey(responses, items, options).items
    assert result["share_top"].between(0, 1).all()
    assert (result["share_top_low"] <= result["share_top"]).all()
    assert (result["share_top"] <= result["share_top_high"]).all()
    assert (result["key"] == (result["share_top"] > share)).all()
    order = result.sort_values("share_top", ascending=False)
    assert order["rank"].is_monotonic_increasing
    assert result["rank"].min() == 1


def test_degenerate_data_is_reported_and_does_not_spread() -> None:
    responses, items = make_survey()
    base = analyze_survey(responses, items, OPTIONS)
    odd = responses.copy()
    odd["q9"] = np.nan  # nobody answered
    odd["q10"] = 4.0  # no variance
    odd.loc[len(odd)] = [None] + [np.nan] * 10  # a respondent with no answers
    more = pd.concat(
        [
            items,
            pd.DataFrame({"item": ["q9", "q10"], "group": ["care", "law"], "reverse": [0, 0]}),
        ],
        ignore_index=True,
    )
    result = analyze_survey(odd, more, OPTIONS)
    text = " ".join(result.warnings)
    assert "'q9': nobody answered it" in text
    assert "'q10': every answer is the same (4)" in text
    assert "1 respondent(s) answered no item" in text
    assert set(result.summary["excluded_items"]) == {"q9", "q10"}
    nobody = result.items.set_index("item").loc["q9"]
    assert nobody["n"] == 0 and pd.isna(nobody["mean"]) and pd.isna(nobody["rank"])
    columns = ["mean", "sd", "share_top", "share_top_low", "item_rest_r", "alpha_if_deleted"]
    same = result.items.iloc[:8][columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(same, base.items[columns], rtol=1e-10)
    reliability = ["n", "mean", "sd", "alpha", "alpha_std", "omega_total", "mean_r"]
    pd.testing.assert_frame_equal(result.groups[reliability], base.groups[reliability], rtol=1e-6)
    pd.testing.assert_frame_equal(result.polychoric, base.polychoric, atol=1e-9)
    assert not any(isinstance(v, float) and math.isnan(v) for v in _leaves(result.summary))


@pytest.mark.parametrize("rows", [1, 2])
def test_a_survey_too_small_for_correlations_still_gives_item_statistics(rows: int) -> None:
    """A live dashboard sees its first respondents: no correlation can be computed yet."""
    responses, items = make_survey()
    small = responses.iloc[:rows].copy()
    small.iloc[:, 1:] = 4.0  # one answer value per item: nothing varies
    result = analyze_survey(small, items, SurveyOptions(subgroups=("country",)))
    assert list(result.items["n"]) == [rows] * 8
    assert list(result.items["share_top"]) == [1.0] * 8
    assert result.items["key"].all()
    assert result.groups["alpha"].isna().all()
    assert result.summary["factors"]["n"] == 0
    assert not any(isinstance(v, float) and math.isnan(v) for v in _leaves(result.summary))


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def test_progress_is_reported() -> None:
    responses, items = make_survey()
    calls: list[tuple[str, int, int]] = []
    analyze_survey(responses, items, OPTIONS, progress=lambda *a: calls.append(a))
    steps = {step for step, _, _ in calls}
    assert {"polychoric: counting", "polychoric: estimating", "factor analysis"} <= steps
    assert all(0 <= done <= total for _, done, total in calls)


@pytest.mark.parametrize(
    ("change", "column", "row", "message"),
    [
        (
            lambda r, i: r.assign(q3=r["q3"].astype(object).where(r.index != 4, "x")),
            "q3",
            4,
            "'x' is not a number",
        ),
        (
            lambda r, i: r.assign(q1=r["q1"].where(r.index != 2, 7)),
            "q1",
            2,
            "'7' is not a whole number on the scale 1-5",
        ),
        (lambda r, i: r.assign(q1=r["q1"].where(r.index != 6, 2.5)), "q1", 6, "'2.5'"),
        (lambda r, i: r.drop(columns="q5"), "item", 4, "item 'q5' has no column"),
        (lambda r, i: r.assign(q11=1), "q11", None, "looks like an item"),
    ],
)
def test_bad_data_names_row_and_column(change, column, row, message) -> None:
    responses, items = make_survey()
    with pytest.raises(SurveyDataError) as caught:
        analyze_survey(change(responses, items), items, OPTIONS)
    assert caught.value.column == column
    assert caught.value.row == row
    assert message in str(caught.value)


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="top"):
        SurveyOptions(top=9)
    with pytest.raises(ValueError, match="key-share"):
        SurveyOptions(key_share=1.5)
    with pytest.raises(ValueError, match="scale-min"):
        SurveyOptions(scale_min=5, scale_max=5)
