"""Shared fixtures."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def default_framework(db):
    from rtwcomp.frameworks.services import load_default

    framework, _ = load_default()
    return framework


def require(condition: bool, reason: str) -> None:
    """Skip when a tool is missing, but fail under CI, where every leg must run."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)
