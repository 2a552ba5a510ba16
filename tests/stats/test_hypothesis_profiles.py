"""The Hypothesis profiles of tests/conftest.py: CI runs repeat exactly and a failure says
how to replay its example."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_ci_profile_is_deterministic_and_patient() -> None:
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.deadline is None and ci.print_blob
    assert HealthCheck.too_slow in ci.suppress_health_check
    assert settings.get_profile("dev").deadline is not None


def test_a_failure_under_the_ci_profile_prints_its_reproduction_blob() -> None:
    @settings(settings.get_profile("ci"), max_examples=50)
    @given(st.integers())
    def fails_above_ten(n: int) -> None:
        assert n <= 10

    with pytest.raises(AssertionError) as failure:
        fails_above_ten()
    notes = "\n".join(getattr(failure.value, "__notes__", []))
    assert "fails_above_ten(" in notes and "n=11" in notes
    assert "@reproduce_failure(" in notes
