"""The bivariate normal distribution function behind the polychoric estimator."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import special
from scipy.stats import multivariate_normal

from rtwcomp.stats.bivariate import bvn_cdf, bvn_pdf

limits = st.one_of(st.floats(min_value=-5, max_value=5), st.just(0.0))
correlations = st.floats(min_value=-0.999, max_value=0.999)


@given(limits, limits, correlations)
def test_cdf_matches_scipy(h: float, k: float, rho: float) -> None:
    expected = multivariate_normal(mean=[0, 0], cov=[[1, rho], [rho, 1]]).cdf([h, k])
    assert abs(bvn_cdf(np.array(h), np.array(k), np.array(rho)) - expected) < 1e-8


@given(limits, limits, correlations)
def test_cdf_symmetries(h: float, k: float, rho: float) -> None:
    def cdf(a: float, b: float, r: float) -> float:
        return float(bvn_cdf(np.array(a), np.array(b), np.array(r)))

    assert abs(cdf(h, k, rho) - cdf(k, h, rho)) < 1e-12
    # P(X <= h, Y <= k) + P(X <= h, Y > k) = P(X <= h), and -Y has correlation -rho
    assert abs(cdf(h, k, rho) + cdf(h, -k, -rho) - special.ndtr(h)) < 1e-12


@given(limits, limits)
def test_independence_factorises(h: float, k: float) -> None:
    value = bvn_cdf(np.array(h), np.array(k), np.array(0.0))
    assert abs(value - special.ndtr(h) * special.ndtr(k)) < 1e-13


@given(limits, limits, st.floats(min_value=-0.95, max_value=0.95))
def test_pdf_is_the_derivative_in_rho(h: float, k: float, rho: float) -> None:
    step = 1e-5
    slope = (
        bvn_cdf(np.array(h), np.array(k), np.array(rho + step))
        - bvn_cdf(np.array(h), np.array(k), np.array(rho - step))
    ) / (2 * step)
    assert abs(slope - bvn_pdf(np.array(h), np.array(k), np.array(rho))) < 1e-6


def test_infinite_limits() -> None:
    h = np.array([-np.inf, np.inf, 0.3, np.inf, 0.3])
    k = np.array([0.5, 0.5, -np.inf, np.inf, np.inf])
    cdf = bvn_cdf(h, k, np.full(5, 0.4))
    expected = [0.0, special.ndtr(0.5), 0.0, 1.0, special.ndtr(0.3)]
    np.testing.assert_allclose(cdf, expected, atol=1e-15)
    assert (bvn_pdf(h, k, np.full(5, 0.4)) == 0).all()
