"""The matching covers as much need as any assignment does, found by enumerating them all."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtwcomp.mentoring import matching


def brute_force(covered: np.ndarray, capacity: list[int], forbidden=None) -> float:
    """The most need any assignment covers: every mentee to one mentor or to nobody (-1)."""
    mentees, mentors = covered.shape
    best = 0.0
    for choice in itertools.product(range(-1, mentors), repeat=mentees):
        if any(choice.count(j) > capacity[j] for j in range(mentors)):
            continue
        if forbidden is not None and any(j >= 0 and forbidden[i, j] for i, j in enumerate(choice)):
            continue
        best = max(best, sum(covered[i, j] for i, j in enumerate(choice) if j >= 0))
    return best


def instance(rng: np.random.Generator):
    mentees, mentors, competencies = rng.integers(1, 6), rng.integers(1, 4), rng.integers(1, 7)
    need = rng.integers(0, 4, size=(mentees, competencies)) * rng.random((mentees, competencies))
    levels = rng.integers(0, 5, size=(mentors, competencies)).astype(float)
    levels[rng.random(levels.shape) < 0.2] = np.nan  # never assessed
    capacity = rng.integers(0, 3, size=mentors).tolist()
    return need, levels, capacity


def test_never_covers_less_than_brute_force_on_random_instances():
    rng = np.random.default_rng(20100615)
    for _ in range(400):
        need, levels, capacity = instance(rng)
        covered = matching.coverage(need, levels)
        forbidden = rng.random(covered.shape) < 0.15
        pairs = matching.assign(covered, capacity, forbidden)
        total = sum(p[2] for p in pairs)
        assert total == pytest.approx(brute_force(covered, capacity, forbidden), abs=1e-9)
        assert all(not forbidden[r, c] for r, c, _ in pairs)


@given(st.integers(0, 2**32 - 1))
def test_capacities_respected_each_mentee_once_and_every_pair_covers_something(seed):
    need, levels, capacity = instance(np.random.default_rng(seed))
    covered = matching.coverage(need, levels)
    pairs = matching.assign(covered, capacity)
    mentees = [r for r, _, _ in pairs]
    assert len(mentees) == len(set(mentees))
    for mentor, places in enumerate(capacity):
        assert sum(1 for _, c, _ in pairs if c == mentor) <= places
    assert all(total > 0 and total == covered[r, c] for r, c, total in pairs)


def test_coverage_counts_need_only_where_the_mentor_is_strong():
    need = np.array([[1.0, 2.0, 4.0]])
    levels = np.array([[3.0, 2.0, np.nan], [4.0, 4.0, 3.0]])
    assert matching.coverage(need, levels).tolist() == [[1.0, 7.0]]
    assert matching.coverage(need, levels, threshold=4).tolist() == [[0.0, 3.0]]


def test_a_mentor_with_one_place_goes_to_the_mentee_they_help_most():
    needs = {"ana": {"c1": 1.0}, "ben": {"c1": 3.0, "c2": 0.5}}
    levels = {"max": {"c1": 3, "c2": 4}, "mia": {"c2": 4}}
    pairs = matching.match(needs, levels, {"max": 1, "mia": 1})
    # max on ben covers 3.5 and mia on ana nothing (left unmatched): 3.5 beats max on ana
    # (1.0) plus mia on ben (0.5).
    assert [(p.mentee, p.mentor, p.covered) for p in pairs] == [("ben", "max", 3.5)]
    assert pairs[0].reasons == (matching.Reason("c1", 3.0, 3.0), matching.Reason("c2", 0.5, 4.0))


def test_reasons_are_the_heaviest_needs_met_and_nobody_mentors_themself():
    needs = {1: {k: float(k) for k in range(1, 6)}, 2: {1: 1.0}}
    levels = {2: {k: 4 for k in range(1, 6)}, 1: {1: 4}}
    pairs = matching.match(needs, levels, {1: 1, 2: 1}, top=2)
    assert [(p.mentee, p.mentor) for p in pairs] == [(1, 2), (2, 1)]
    assert [r.competency for r in pairs[0].reasons] == [5, 4]


def test_the_same_input_gives_the_same_pairs():
    rng = np.random.default_rng(7)
    needs = {f"e{i}": {c: float(rng.integers(0, 3)) for c in range(8)} for i in range(30)}
    levels = {f"m{j}": {c: float(rng.integers(0, 5)) for c in range(8)} for j in range(6)}
    capacity = {f"m{j}": 2 for j in range(6)}
    first = matching.match(needs, levels, capacity)
    shuffled = dict(reversed(list(needs.items())))
    assert (
        matching.match(shuffled, levels, capacity)
        == first
        == matching.match(needs, levels, capacity)
    )


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="needs"):
        matching.match({"a": {"c": -1.0}}, {"m": {"c": 4}}, {"m": 1})
    with pytest.raises(ValueError, match="capacity"):
        matching.assign(np.ones((2, 2)), [1])
    assert matching.match({}, {"m": {"c": 4}}, {"m": 1}) == []
    assert matching.match({"a": {"c": 1.0}}, {"m": {"c": 4}}, {}) == []
