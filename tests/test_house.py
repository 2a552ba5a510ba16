"""The house rules that a reader should not have to check by eye."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

SRC = Path(__file__).resolve().parent.parent / "src" / "rtwcomp"
VIEW_MODULES = [*SRC.glob("*/views.py"), *SRC.glob("*/respondent_views.py"), *SRC.glob("api/*.py")]
MAX_VIEW_LINES = 24


def test_view_modules_are_found():
    names = {f"{p.parent.name}/{p.name}" for p in VIEW_MODULES}
    assert {"surveys/views.py", "elicitation/views.py", "api/studies.py"} <= names


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_views_and_api_functions_stay_short(path):
    """Views only parse, call one selector or service, and render."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES
    ]
    assert not long, long


def blocks(found):
    """Functions, methods and closures, however deeply nested."""
    for block in found:
        yield block
        yield from blocks(getattr(block, "methods", []) + getattr(block, "closures", []))


def test_no_function_is_more_complex_than_grade_c():
    too_complex = [
        f"{path.relative_to(SRC)}:{block.lineno} {block.name} {cc_rank(block.complexity)}"
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        for block in blocks(cc_visit(path.read_text(encoding="utf-8")))
        if cc_rank(block.complexity) > "C"
    ]
    assert not too_complex, too_complex
