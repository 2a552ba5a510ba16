"""The simulator against the 2010 study's published facts, over many seeds."""

from __future__ import annotations

import numpy as np
import pytest

from rtwcomp.simulation.bank import load_bank
from rtwcomp.simulation.design import StudyDesign
from rtwcomp.simulation.ratings import importance_grid, item_model
from rtwcomp.simulation.study import DesignError, simulate_study

SEEDS = range(1, 21)


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def studies(bank):
    return [simulate_study(StudyDesign(), seed, bank) for seed in SEEDS]


def test_key_items_and_nurse_effect_land_in_range_in_at_least_18_of_20_seeds(studies):
    findings = [s.surveys.findings() for s in studies]
    keys = np.array([int(f.key_items[0]) for f in findings])
    nurse = np.array([bool(f.nurse_detected()[0]) for f in findings])
    assert (np.abs(keys - 83) <= 5).sum() >= 18, keys
    assert nurse.sum() >= 18, [float(f.nurse_medical_q[0]) for f in findings]


def test_funnel_matches_the_study_design(studies):
    for study in studies:
        funnel = study.funnel()
        assert funnel["focus_groups"] == 8
        assert funnel["participants"] == 75
        assert funnel["surveyed_items"] == 100
        assert funnel["respondents"] == 148
        assert funnel["countries"] == 3
    statements = np.array([s.funnel()["statements"] for s in studies])
    assert abs(statements.mean() - 904) < 30


def test_citations_are_skewed_few_items_said_by_many_many_once(studies):
    counts = np.array(sorted(studies[0].focus_groups.citations().values(), reverse=True))
    assert counts[0] >= 10 * np.median(counts)
    assert (counts == 1).sum() >= 10


def test_restatements_vary_the_wording(studies):
    statements = studies[0].focus_groups.statements
    by_item: dict[str, set[str]] = {}
    for s in statements:
        by_item.setdefault(s.item, set()).add(s.text)
    most = max(by_item.values(), key=len)
    assert len(most) >= 10


def test_same_seed_same_study_other_seed_other_study(bank):
    a = simulate_study(StudyDesign(), 7, bank)
    b = simulate_study(StudyDesign(), 7, bank)
    c = simulate_study(StudyDesign(), 8, bank)
    assert np.array_equal(a.surveys.scores, b.surveys.scores, equal_nan=True)
    assert not np.array_equal(a.surveys.scores, c.surveys.scores, equal_nan=True)


def test_population_share_of_key_items_is_the_design_key_share():
    grid = importance_grid(1000, StudyDesign(key_share=0.83))
    assert (grid > 0).mean() == pytest.approx(0.83, abs=0.001)


def test_answers_follow_the_calibrated_population_share(bank):
    """With many respondents the sample share of 4-5 approaches Φ(c) for each item."""
    from scipy import special

    from rtwcomp.simulation.study import simulate_surveys

    design = StudyDesign(respondents=20_000, nurse_shift=0.0, missing=0.0)
    model = item_model(bank[:30], design, np.random.default_rng(3))
    surveys = simulate_surveys(design, model, 1, np.random.default_rng(4))
    share = (surveys.scores[0] >= 4).mean(axis=0)
    assert np.abs(share - special.ndtr(model.importance)).max() < 0.02


def test_missing_answers_at_the_design_rate(bank):
    study = simulate_study(StudyDesign(missing=0.1), 2, bank)
    assert np.isnan(study.surveys.scores).mean() == pytest.approx(0.1, abs=0.01)


def test_no_country_effect_unless_asked(bank):
    plain = simulate_study(StudyDesign(respondents=600), 5, bank).surveys.findings()
    shifted = simulate_study(StudyDesign(respondents=600, country_shift=0.8), 5, bank)
    assert plain.country_group_min_q[0] > 0.05
    assert shifted.surveys.findings().country_group_min_q[0] < 0.001


def test_a_bad_design_is_refused_naming_the_parameter(bank):
    with pytest.raises(DesignError, match="missing"):
        simulate_study(StudyDesign(missing=1.5), 1, bank)
    with pytest.raises(DesignError, match="surveyed_items"):
        simulate_study(StudyDesign(surveyed_items=500, most_cited=88), 1, bank)
