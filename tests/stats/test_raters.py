"""Rater agreement (rtwcomp.stats.raters) against psych::ICC and published worked examples."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rtwcomp.stats.raters import FORMS, RatingsError, icc, krippendorff_alpha

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
NAN = np.nan


def _computed(ratings: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame([vars(row) for row in icc(ratings)]).set_index("form")


def _compare(ratings: np.ndarray, reference: pd.DataFrame) -> None:
    got = _computed(ratings).loc[list(FORMS)]
    ref = reference.set_index("form").loc[list(FORMS)]
    for column in ("icc", "f", "p", "lower", "upper"):
        np.testing.assert_allclose(got[column], ref[column], rtol=1e-9, atol=1e-12, err_msg=column)
    assert got["df1"].tolist() == ref["df1"].tolist()
    assert got["df2"].tolist() == ref["df2"].tolist()


@pytest.mark.parametrize("case", ["shrout_fleiss", "generated"])
def test_icc_matches_psych(case: str) -> None:
    ratings = pd.read_csv(REFERENCE / "raters" / f"{case}.csv").to_numpy(dtype=float)
    _compare(ratings, pd.read_csv(REFERENCE / "raters" / f"ref_icc_{case}.csv"))


def test_icc_matches_shrout_fleiss_table() -> None:
    """The values printed in Shrout & Fleiss (1979), Table 4, to two decimals."""
    ratings = pd.read_csv(REFERENCE / "raters" / "shrout_fleiss.csv").to_numpy(dtype=float)
    published = {"ICC1": 0.17, "ICC2": 0.29, "ICC3": 0.71, "ICC1k": 0.44, "ICC2k": 0.62,
                 "ICC3k": 0.91}  # fmt: skip
    got = _computed(ratings)["icc"]
    for form, value in published.items():
        assert round(got[form], 2) == value, form


def test_icc_leaves_out_incomplete_targets() -> None:
    ratings = pd.read_csv(REFERENCE / "raters" / "generated.csv").to_numpy(dtype=float)
    holed = ratings.copy()
    holed[3, 1] = NAN
    pd.testing.assert_frame_equal(_computed(holed), _computed(np.delete(ratings, 3, axis=0)))


def test_icc_refuses_too_few_complete_targets() -> None:
    with pytest.raises(RatingsError, match="1 complete targets and 3 raters"):
        icc(np.array([[1.0, 2.0, 3.0], [1.0, NAN, 2.0]]))


@given(
    arrays(np.float64, (8, 3), elements=st.integers(0, 4).map(float)),
    st.floats(-3, 3, allow_nan=False),
)
def test_icc3_ignores_a_lenient_rater_icc2_does_not(ratings: np.ndarray, shift: float) -> None:
    """Consistency (ICC3) is blind to one rater's constant leniency; absolute agreement
    (ICC2) is not made higher by it."""
    lenient = ratings.copy()
    lenient[:, 0] += shift
    # With no between-target or no error variance the ICCs are undefined.
    assume(np.ptp(ratings.mean(axis=1)) > 0)
    assume(np.var(ratings - ratings.mean(axis=1, keepdims=True)) > 0)
    before, after = _computed(ratings)["icc"], _computed(lenient)["icc"]
    assert after["ICC3"] == pytest.approx(before["ICC3"], abs=1e-9)
    assert after["ICC3k"] == pytest.approx(before["ICC3k"], abs=1e-9)


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", sections A-C.
BINARY = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
NOMINAL_TWO = [[0, 0, 1, 1, 3, 2, 2, 2, 4, 3, 3, 0], [1, 0, 1, 1, 1, 2, 2, 2, 4, 3, 3, 3]]
FOUR_OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


@pytest.mark.parametrize(
    ("data", "level", "published"),
    [
        (BINARY, "nominal", 0.095),
        (NOMINAL_TWO, "nominal", 0.692),
        (FOUR_OBSERVERS, "nominal", 0.743),
        (FOUR_OBSERVERS, "ordinal", 0.815),
        (FOUR_OBSERVERS, "interval", 0.849),
        (FOUR_OBSERVERS, "ratio", 0.797),
    ],
)
def test_krippendorff_alpha_matches_worked_examples(data, level, published) -> None:
    assert round(krippendorff_alpha(np.array(data, dtype=float), level), 3) == published


def test_krippendorff_alpha_refuses_ratings_without_pairs() -> None:
    with pytest.raises(RatingsError, match="two raters or more"):
        krippendorff_alpha(np.array([[1.0, NAN], [NAN, 2.0]]), "ordinal")
    with pytest.raises(RatingsError, match="two different values"):
        krippendorff_alpha(np.array([[2.0, 2.0], [2.0, 2.0]]), "interval")


@pytest.mark.rlive
def test_icc_matches_psych_live(tmp_path: Path) -> None:
    """R computes the reference now, on ratings no other test uses."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Rscript is not installed; the live R cross-check must run in CI")
        pytest.skip("Rscript is not installed")
    rng = np.random.default_rng(20261126)
    truth = rng.normal(2, 1, size=(60, 1))
    ratings = np.clip(np.round(truth + rng.normal([0.4, 0, -0.3, 0.2], 0.7, (60, 4))), 0, 4)
    source, out = tmp_path / "ratings.csv", tmp_path / "ref.csv"
    pd.DataFrame(ratings, columns=["a", "b", "c", "d"]).to_csv(source, index=False)
    subprocess.run(
        [rscript, str(REFERENCE / "raters.R"), "--live", str(source), str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    _compare(ratings, pd.read_csv(out))


def test_icc_of_raters_in_exact_agreement_is_one_with_bounds_at_their_limit() -> None:
    """psych, computing with rounding error, gives F near 1e31 and bounds of 1."""
    rows = icc(np.array([[0.0, 0.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0]]))
    assert all(r.icc == 1.0 and r.lower == 1.0 and r.upper == 1.0 for r in rows)
    assert all(np.isinf(r.f) and r.p == 0.0 for r in rows)
