"""The numpy array types used across rtwcomp: one definition of each, shape and dtype.

Shapes are written as numpy's shape-typed `ndarray[shape, dtype]`, so mypy can tell a
vector from a matrix where numpy's stubs say which one a function returns. No Django here:
`stats`, `reports` and the pure parts of the Django apps all import from this module.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np

FloatArray: TypeAlias = np.ndarray[tuple[int, ...], np.dtype[np.float64]]
"""Floats of any shape (element-wise functions, stacks of tables)."""

FloatVector: TypeAlias = np.ndarray[tuple[int], np.dtype[np.float64]]
"""One float per item, respondent or factor; NaN marks an undefined value."""

FloatMatrix: TypeAlias = np.ndarray[tuple[int, int], np.dtype[np.float64]]
"""Respondents x items scores, item x item correlations, item x factor loadings."""

BoolArray: TypeAlias = np.ndarray[tuple[int, ...], np.dtype[np.bool_]]
"""A mask of any shape."""

BoolVector: TypeAlias = np.ndarray[tuple[int], np.dtype[np.bool_]]
"""A mask, one flag per item or respondent."""

IntVector: TypeAlias = np.ndarray[tuple[int], np.dtype[np.int64]]
"""Integer codes or counts, one per element (subgroup level codes, cluster labels)."""

CodeMatrix: TypeAlias = np.ndarray[tuple[int, int], np.dtype[np.int16]]
"""Respondents x items answer categories 0..points-1, -1 for a missing answer."""

__all__ = [
    "BoolArray",
    "BoolVector",
    "CodeMatrix",
    "FloatArray",
    "FloatMatrix",
    "FloatVector",
    "IntVector",
]
