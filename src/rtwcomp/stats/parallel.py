"""How many factors to extract: Horn's parallel analysis.

Keep the leading factors whose eigenvalue in the observed correlation matrix exceeds the
95th percentile of the same-rank eigenvalue of correlation matrices of random normal data
of the same size (Horn 1965; the percentile rule of Glorfeld 1995). Counting stops at the
first eigenvalue that does not exceed its random counterpart.

The random correlation matrices are drawn directly: the cross-product matrix of n
independent normal rows is Wishart(n - 1, I) after centring, sampled by Bartlett's (1933)
decomposition, so the cost does not grow with the number of respondents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rtwcomp.stats.arrays import FloatMatrix, FloatVector
from rtwcomp.stats.correlations import cov_to_cor


@dataclass(frozen=True)
class ParallelAnalysis:
    """Observed eigenvalues, the random-data percentile, and the number of factors."""

    observed: FloatVector
    random: FloatVector
    n_factors: int


def _random_correlation(n_obs: int, n_vars: int, rng: np.random.Generator) -> FloatMatrix:
    """Correlation matrix of n_obs rows of independent standard normals."""
    dof = n_obs - 1
    if dof < n_vars:
        data = rng.standard_normal((n_obs, n_vars))
        centred = data - data.mean(axis=0)
        return cov_to_cor(centred.T @ centred)
    bartlett = np.tril(rng.standard_normal((n_vars, n_vars)), k=-1)
    chi = rng.chisquare(dof - np.arange(n_vars))
    bartlett[np.diag_indices(n_vars)] = np.sqrt(chi)
    return cov_to_cor(bartlett @ bartlett.T)


def max_identified_factors(n_vars: int) -> int:
    """Most factors with non-negative degrees of freedom, ((p - k)² - (p + k)) / 2 >= 0."""
    k = 0
    while k + 1 < n_vars and (n_vars - k - 1) ** 2 - (n_vars + k + 1) >= 0:
        k += 1
    return max(k, 1)


def parallel_analysis(
    corr: FloatMatrix,
    n_obs: int,
    iterations: int = 20,
    quantile: float = 0.95,
    seed: int = 1,
) -> ParallelAnalysis:
    """Number of factors for `corr` estimated from `n_obs` respondents (at least 1)."""
    n_vars = corr.shape[0]
    rng = np.random.default_rng(seed)
    observed = np.sort(np.linalg.eigvalsh(corr))[::-1]
    simulated = np.array(
        [
            np.sort(np.linalg.eigvalsh(_random_correlation(max(n_obs, 3), n_vars, rng)))[::-1]
            for _ in range(iterations)
        ]
    )
    random = np.quantile(simulated, quantile, axis=0)
    above = observed > random
    count = n_vars if above.all() else int(np.argmin(above))
    n_factors = min(max(count, 1), max_identified_factors(n_vars))
    return ParallelAnalysis(observed=observed, random=random, n_factors=n_factors)
