"""Oblique oblimin rotation by the gradient projection algorithm.

The oblimin family (Carroll 1953; Jennrich 2002) with γ = 0 (quartimin) minimises

    Q(Λ) = ¼ Σ_i Σ_{r≠s} λ_ir² λ_is²,

the co-occurrence of large loadings of one item on two factors. The rotation is found by
the gradient projection algorithm for oblique rotations of Jennrich (2002) and Bernaards
& Jennrich (2005), written here from those papers: rotated loadings are Λ = A (Tᵀ)⁻¹ for
a matrix T whose columns have unit length, factor correlations Φ = TᵀT. Defaults match
`GPArotation::oblimin` (start from the identity, convergence when the projected gradient's
norm falls below 1e-5, at most 1000 iterations), which `psych::fa` calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rtwcomp.stats.arrays import FloatMatrix


@dataclass(frozen=True)
class Rotation:
    """Rotated pattern loadings, factor correlations Φ, transformation T, convergence."""

    loadings: FloatMatrix
    phi: FloatMatrix
    transform: FloatMatrix
    converged: bool
    iterations: int


def _oblimin_criterion(loadings: FloatMatrix, gamma: float) -> tuple[float, FloatMatrix]:
    """Q(Λ) and its gradient with respect to Λ."""
    n_items, n_factors = loadings.shape
    squared = loadings * loadings
    others = squared @ (np.ones((n_factors, n_factors)) - np.eye(n_factors))
    if gamma != 0.0:
        others = others - gamma * others.mean(axis=0, keepdims=True)
    return float(np.sum(squared * others)) / 4.0, loadings * others


def oblimin(
    unrotated: FloatMatrix, gamma: float = 0.0, tolerance: float = 1e-5, max_iterations: int = 1000
) -> Rotation:
    """Rotate `unrotated` (items x factors) obliquely by oblimin."""
    n_factors = unrotated.shape[1]
    transform = np.eye(n_factors)
    step = 1.0
    loadings = unrotated @ np.linalg.inv(transform).T
    value, gradient_l = _oblimin_criterion(loadings, gamma)
    gradient = -(loadings.T @ gradient_l @ np.linalg.inv(transform)).T
    converged = False
    iteration = 0
    while iteration <= max_iterations:
        projected = gradient - transform * np.sum(transform * gradient, axis=0)
        norm = float(np.sqrt(np.sum(projected * projected)))
        if norm < tolerance:
            converged = True
            break
        step *= 2.0
        for _ in range(11):
            candidate = transform - step * projected
            candidate = candidate / np.sqrt(np.sum(candidate * candidate, axis=0))
            loadings = unrotated @ np.linalg.inv(candidate).T
            new_value, gradient_l = _oblimin_criterion(loadings, gamma)
            if value - new_value > 0.5 * norm * norm * step:
                break
            step /= 2.0
        transform = candidate
        value = new_value
        gradient = -(loadings.T @ gradient_l @ np.linalg.inv(candidate)).T
        iteration += 1
    return Rotation(
        loadings=unrotated @ np.linalg.inv(transform).T,
        phi=transform.T @ transform,
        transform=transform,
        converged=converged,
        iterations=iteration,
    )
