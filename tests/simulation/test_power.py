"""Sample-size planning: calibrated tests under no effect, power under a large one, and the
saturation curve against its closed form."""

from __future__ import annotations

import numpy as np
import pytest

from rtwcomp.simulation.design import StudyDesign
from rtwcomp.simulation.focus_groups import citation_weights
from rtwcomp.simulation.power import PowerQuestion, respondents_table, saturation_curve
from rtwcomp.simulation.study import simulate_study


@pytest.fixture(scope="module")
def study():
    return simulate_study(StudyDesign(), seed=2)


def _table(study, **question):
    q = PowerQuestion(sizes=(148,), studies=400, **question)
    return respondents_table(study.design, study.surveys.model, q, np.random.default_rng(9))


def test_no_difference_is_found_about_alpha_of_the_time_or_less(study):
    power = _table(study, effect=0.0)["subgroup_power"].iloc[0]
    assert power <= 0.08  # BH over 8 groups: the target's q < 0.05 at most ~5 % of the time


def test_a_large_difference_is_found_almost_always(study):
    assert _table(study, effect=1.5)["subgroup_power"].iloc[0] >= 0.95


def test_half_width_matches_the_wilson_formula_at_the_simulated_shares(study):
    """At n answers the mean Wilson half-width is close to that of the items' population
    shares (the formula from rtwcomp.stats.intervals, not re-derived here)."""
    from scipy import special

    from rtwcomp.stats.intervals import wilson_interval

    table = _table(study)
    share = special.ndtr(study.surveys.model.importance)
    n = 148 * (1 - study.design.missing)
    low, high = wilson_interval(share * n, np.full_like(share, n))
    assert table["half_width"].iloc[0] == pytest.approx(np.mean((high - low) / 2), abs=0.004)


def test_saturation_curve_agrees_with_its_closed_form():
    design = StudyDesign()
    question = PowerQuestion(studies=300, max_groups=10)
    curve = saturation_curve(design, 156, question, np.random.default_rng(4))
    weights = citation_weights(156, design.citation_skew, np.random.default_rng(0))
    per_group = design.statements / design.focus_groups
    for k, said in zip(curve["focus_groups"], curve["share_said"], strict=True):
        expected = np.mean(1 - np.exp(-k * per_group * weights))
        assert said == pytest.approx(expected, abs=0.01)
