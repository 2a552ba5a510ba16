"""Matching mentors to mentees: the most need covered under each mentor's capacity.

Plain numbers in, pairs out, so the rule is written once and tested against brute force.

- A mentee's **need** in a competency is their gap weighted by importance (>= 0).
- A mentor is **strong** in a competency when their combined level there is at least
  `threshold` (default `STRONG_LEVEL`, 3 "proficient"); an unassessed level is not strong.
- The **need covered** by a pair is the sum of the mentee's needs where the mentor is strong.

The matching maximises the total need covered, each mentee with at most one mentor and no
mentor over their capacity. It is an assignment problem: each mentor's column of the
mentees x mentors coverage matrix is repeated `capacity` times (one column per place), and
`scipy.optimize.linear_sum_assignment` minimises the negated coverage. Every coverage is
>= 0, so a largest assignment loses nothing against a smaller one; pairs that would cover
nothing are then dropped, which leaves those mentees unmatched at no cost to the total.
A pair that must not be made (a mentor and mentee who are the same person) gets coverage 0
and so is never proposed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

STRONG_LEVEL = 3.0
TOP_REASONS = 3


@dataclass(frozen=True)
class Reason:
    """One need of the mentee met by one strength of the mentor."""

    competency: Hashable
    need: float
    level: float  # the mentor's combined level


@dataclass(frozen=True)
class Pair:
    mentee: Hashable
    mentor: Hashable
    covered: float
    reasons: tuple[Reason, ...]  # the heaviest needs met, heaviest first


def coverage(
    need: NDArray[np.float64], levels: NDArray[np.float64], threshold: float = STRONG_LEVEL
) -> NDArray[np.float64]:
    """mentees x mentors: the need each mentor's strengths cover (NaN levels are not strong)."""
    strong = np.nan_to_num(levels, nan=-np.inf) >= threshold
    return need @ strong.T.astype(float)


def assign(
    covered: NDArray[np.float64],
    capacity: Sequence[int] | NDArray[np.int_],
    forbidden: NDArray[np.bool_] | None = None,
) -> list[tuple[int, int, float]]:
    """The (mentee row, mentor column, need covered) pairs of an assignment with the most
    need covered, each row at most once, column j at most capacity[j] times; pairs covering
    nothing are left out. Deterministic: the same input gives the same pairs."""
    covered = np.asarray(covered, dtype=float)
    if np.any(covered < 0) or not np.all(np.isfinite(covered)):
        raise ValueError("coverage must be finite and >= 0")
    places = np.asarray(capacity, dtype=int)
    if places.shape != (covered.shape[1],) or np.any(places < 0):
        raise ValueError("one capacity >= 0 per mentor")
    if forbidden is not None:
        covered = np.where(forbidden, 0.0, covered)
    slot_owner = np.repeat(np.arange(covered.shape[1]), places)
    if covered.shape[0] == 0 or slot_owner.size == 0:
        return []
    rows, slots = linear_sum_assignment(-covered[:, slot_owner])
    found = [
        (int(r), int(slot_owner[s]), float(covered[r, slot_owner[s]]))
        for r, s in zip(rows, slots, strict=True)
    ]
    return sorted((p for p in found if p[2] > 0), key=lambda p: p[0])


def match(
    needs: Mapping[Hashable, Mapping[Hashable, float]],
    levels: Mapping[Hashable, Mapping[Hashable, float]],
    capacity: Mapping[Hashable, int],
    *,
    threshold: float = STRONG_LEVEL,
    top: int = TOP_REASONS,
) -> list[Pair]:
    """The pairs with the most need covered, with their reasons.

    `needs`: mentee -> competency -> need (>= 0); `levels`: mentor -> competency -> combined
    level; `capacity`: mentor -> how many more mentees they take (a mentor missing from it
    takes none). A person who is both mentee and mentor is never paired with themself.
    """
    mentees = sorted(needs, key=_order)
    mentors = sorted(levels, key=_order)
    competencies = sorted({c for m in (*needs.values(), *levels.values()) for c in m}, key=_order)
    column = {c: i for i, c in enumerate(competencies)}
    need = _matrix(needs, mentees, column, 0.0)
    if np.any(need < 0):
        raise ValueError("needs must be >= 0")
    level = _matrix(levels, mentors, column, np.nan)
    forbidden = np.array([[e == m for m in mentors] for e in mentees], dtype=bool).reshape(
        len(mentees), len(mentors)
    )
    places = [max(0, int(capacity.get(m, 0))) for m in mentors]
    pairs = assign(coverage(need, level, threshold), places, forbidden)
    return [
        Pair(
            mentees[r],
            mentors[c],
            total,
            _reasons(need[r], level[c], competencies, threshold, top),
        )
        for r, c, total in pairs
    ]


def _order(key: Hashable) -> tuple[str, Any]:
    """Ids in the same order on every run (ids of one type compare with each other)."""
    return (type(key).__name__, key)


def _matrix(
    values: Mapping[Hashable, Mapping[Hashable, float]],
    rows: list[Hashable],
    column: dict[Hashable, int],
    empty: float,
) -> NDArray[np.float64]:
    out = np.full((len(rows), len(column)), empty, dtype=float)
    for i, row in enumerate(rows):
        for competency, value in values[row].items():
            out[i, column[competency]] = value
    return out


def _reasons(
    need: NDArray[np.float64],
    level: NDArray[np.float64],
    competencies: list[Hashable],
    threshold: float,
    top: int,
) -> tuple[Reason, ...]:
    met = [
        Reason(competencies[k], float(need[k]), float(level[k]))
        for k in range(len(competencies))
        if need[k] > 0 and level[k] >= threshold
    ]
    met.sort(key=lambda r: (-r.need, _order(r.competency)))
    return tuple(met[:top])
