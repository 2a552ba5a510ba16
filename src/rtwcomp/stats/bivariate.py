"""The standard bivariate normal distribution, vectorised over arrays of arguments."""

from __future__ import annotations

import numpy as np
from scipy import special

from rtwcomp.stats.arrays import BoolArray, FloatArray

# Owen's formula divides by h and k; at 0 it takes a limit, and so close to 0 that the
# division loses all precision (5e-324) too. Moving such a value to this distance from 0
# (keeping its sign) changes the probability by less than 1e-13, far below any tolerance
# used here.
_NUDGE = 1e-13


def bvn_cdf(h: FloatArray, k: FloatArray, rho: FloatArray) -> FloatArray:
    """P(X <= h, Y <= k) for standard normals X, Y with correlation rho (|rho| < 1).

    Uses Owen's (1956) reduction to his T function:
        Φ2(h, k; ρ) = ½Φ(h) + ½Φ(k) - T(h, a_h) - T(k, a_k) - β,
        a_h = (k - ρh) / (h·sqrt(1 - ρ²)),  a_k = (h - ρk) / (k·sqrt(1 - ρ²)),
    with β = ½ when h and k have opposite signs, else 0. Infinite limits are allowed and
    handled exactly (Φ2(-∞, k) = 0, Φ2(+∞, k) = Φ(k)).
    """
    h, k, rho, finite = _broadcast(h, k, rho)
    result = np.empty(h.shape, dtype=np.float64)
    hf, kf, rf = h[finite], k[finite], rho[finite]
    hf = np.where(np.abs(hf) < _NUDGE, np.copysign(_NUDGE, hf), hf)
    kf = np.where(np.abs(kf) < _NUDGE, np.copysign(_NUDGE, kf), kf)
    s = np.sqrt((1.0 - rf) * (1.0 + rf))
    beta = np.where(np.signbit(hf) == np.signbit(kf), 0.0, 0.5)
    with np.errstate(over="ignore", divide="ignore"):  # T(h, ±inf) is well defined
        a_h = (kf - rf * hf) / (hf * s)
        a_k = (hf - rf * kf) / (kf * s)
    value = (
        0.5 * special.ndtr(hf)
        + 0.5 * special.ndtr(kf)
        - special.owens_t(hf, a_h)
        - special.owens_t(kf, a_k)
        - beta
    )
    result[finite] = np.clip(value, 0.0, 1.0)
    lowest = (h == -np.inf) | (k == -np.inf)
    result[lowest] = 0.0
    h_top = (h == np.inf) & ~lowest
    k_top = (k == np.inf) & ~lowest
    result[h_top] = special.ndtr(k[h_top])
    result[k_top] = special.ndtr(h[k_top])
    return result


def bvn_pdf(h: FloatArray, k: FloatArray, rho: FloatArray) -> FloatArray:
    """Density of the standard bivariate normal with correlation rho; 0 at infinite limits.

    It is also ∂Φ2(h, k; ρ)/∂ρ (Plackett 1954), which the polychoric estimator uses as the
    derivative of cell probabilities.
    """
    h, k, rho, finite = _broadcast(h, k, rho)
    result = np.zeros(h.shape, dtype=np.float64)
    hf, kf, rf = h[finite], k[finite], rho[finite]
    one_minus = (1.0 - rf) * (1.0 + rf)
    exponent = -(hf * hf - 2.0 * rf * hf * kf + kf * kf) / (2.0 * one_minus)
    result[finite] = np.exp(exponent) / (2.0 * np.pi * np.sqrt(one_minus))
    return result


def _broadcast(
    h: FloatArray, k: FloatArray, rho: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    """The three arguments as float arrays of one shape, and where both limits are finite."""
    h, k, rho = np.broadcast_arrays(
        np.asarray(h, dtype=np.float64),
        np.asarray(k, dtype=np.float64),
        np.asarray(rho, dtype=np.float64),
    )
    return h, k, rho, np.isfinite(h) & np.isfinite(k)
