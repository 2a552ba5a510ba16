"""Exploratory factor analysis: minimum-residual extraction and factor ordering.

Minres (Harman & Jones 1966) finds loadings Λ that minimise the squared off-diagonal
residuals of R - ΛΛᵀ. As in `psych::fa(fm = "minres")`, the search runs over the
uniquenesses ψ (bounded to [0.005, 1]): for given ψ the best Λ holds the leading
eigenvectors of R - diag(ψ) scaled by the square roots of their eigenvalues, and the
least-squares fit ½‖R - diag(ψ) - ΛΛᵀ‖² has gradient -diag(R - diag(ψ) - ΛΛᵀ). At an
interior optimum the diagonal residuals vanish, so this is the minres solution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from rtwcomp.stats.arrays import FloatMatrix, FloatVector
from rtwcomp.stats.correlations import squared_multiple_correlations
from rtwcomp.stats.rotation import oblimin

LOWER_UNIQUENESS = 0.005


@dataclass(frozen=True)
class FactorSolution:
    """A factor solution.

    loadings: items x factors pattern matrix; phi: factor correlations (identity when
    unrotated or one factor); uniquenesses: 1 - communality from the extraction;
    converged: whether extraction and rotation converged.
    """

    loadings: FloatMatrix
    phi: FloatMatrix
    uniquenesses: FloatVector
    converged: bool

    @property
    def ss_loadings(self) -> FloatVector:
        """Variance accounted for by each factor, diag(Φ ΛᵀΛ) as psych reports it."""
        result: FloatVector = np.diag(self.phi @ self.loadings.T @ self.loadings).copy()
        return result


def _loadings_for(psi: FloatVector, corr: FloatMatrix, n_factors: int) -> FloatMatrix:
    values, vectors = np.linalg.eigh(corr - np.diag(psi))
    order = np.argsort(values)[::-1][:n_factors]
    result: FloatMatrix = vectors[:, order] * np.sqrt(np.maximum(values[order], 0.0))
    return result


def _fit(psi: FloatVector, corr: FloatMatrix, n_factors: int) -> tuple[float, FloatVector]:
    loadings = _loadings_for(psi, corr, n_factors)
    residual = corr - np.diag(psi) - loadings @ loadings.T
    gradient: FloatVector = -np.diag(residual).copy()
    return 0.5 * float(np.sum(residual * residual)), gradient


def minres(corr: FloatMatrix, n_factors: int) -> FactorSolution:
    """Unrotated minres loadings, each column signed so that its sum is positive."""
    start = np.clip(1.0 - squared_multiple_correlations(corr), LOWER_UNIQUENESS, 1.0)
    result = optimize.minimize(
        _fit,
        start,
        args=(corr, n_factors),
        jac=True,
        method="L-BFGS-B",
        bounds=[(LOWER_UNIQUENESS, 1.0)] * len(start),
        options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 5000},
    )
    loadings = _loadings_for(result.x, corr, n_factors)
    signs = np.where(loadings.sum(axis=0) < 0, -1.0, 1.0)
    loadings = loadings * signs
    communality = (loadings**2).sum(axis=1)
    return FactorSolution(
        loadings=loadings,
        phi=np.eye(n_factors),
        uniquenesses=1.0 - communality,
        converged=bool(result.success),
    )


def factor_analysis(corr: FloatMatrix, n_factors: int) -> FactorSolution:
    """Minres extraction followed by oblimin rotation, as `psych::fa(fm="minres")`.

    After rotation each factor is signed so that its loadings sum to a positive number
    and the factors are ordered by the variance they account for, diag(Φ ΛᵀΛ), largest
    first, the conventions of psych.
    """
    extracted = minres(corr, n_factors)
    if n_factors == 1:
        return extracted
    rotated = oblimin(extracted.loadings)
    signs = np.where(rotated.loadings.sum(axis=0) < 0, -1.0, 1.0)
    loadings = rotated.loadings * signs
    phi = rotated.phi * np.outer(signs, signs)
    order = np.argsort(-np.diag(phi @ loadings.T @ loadings), kind="stable")
    return FactorSolution(
        loadings=loadings[:, order],
        phi=phi[np.ix_(order, order)],
        uniquenesses=extracted.uniquenesses,
        converged=extracted.converged and rotated.converged,
    )
