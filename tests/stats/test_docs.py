"""The documentation runs: the worked example of docs/statistics.md and the Examples
sections of `rtwcomp.stats` (and of the number formats) are doctests, so every number they
print is checked."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import rtwcomp.stats

OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
STATISTICS_MD = Path(__file__).resolve().parents[2] / "docs" / "statistics.md"
FENCE = re.compile(r"^\s*```(\S*)\s*$")
MODULES = [
    "rtwcomp.stats",
    *sorted(m.name for m in pkgutil.iter_modules(rtwcomp.stats.__path__, "rtwcomp.stats.")),
    "rtwcomp.reports.format",
]


def pycon_blocks(markdown: str) -> str:
    """The ```pycon blocks of a Markdown text; every other line blanked, so a failure's
    line number is its line in the file."""
    lines, in_block, in_pycon = [], False, False
    for line in markdown.splitlines():
        fence = FENCE.match(line)
        if fence:
            in_block, in_pycon = (False, False) if in_block else (True, fence[1] == "pycon")
            lines.append("")
        else:
            lines.append(line if in_pycon else "")
    return "\n".join(lines)


def run(test: doctest.DocTest) -> None:
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    result = runner.run(test, out=report.append, clear_globs=True)
    assert result.failed == 0, "".join(report)


def test_pycon_blocks_keep_only_the_sessions() -> None:
    text = "intro\n```\n>>> not run\n```\n  ```pycon\n  >>> 1 + 1\n  2\n  ```\n>>> nor this"
    assert pycon_blocks(text).splitlines() == ["", "", "", "", "", "  >>> 1 + 1", "  2", ""]


def test_the_worked_example_of_statistics_md_runs() -> None:
    text = pycon_blocks(STATISTICS_MD.read_text(encoding="utf-8"))
    test = doctest.DocTestParser().get_doctest(text, {}, STATISTICS_MD.name, str(STATISTICS_MD), 0)
    assert len(test.examples) >= 20  # the whole worked example, not a fragment of it
    run(test)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    for test in doctest.DocTestFinder().find(module):
        run(test)


@pytest.mark.parametrize("name", rtwcomp.stats.__all__)
def test_public_names_are_documented_in_numpydoc_sections(name: str) -> None:
    obj = getattr(rtwcomp.stats, name)
    doc = inspect.getdoc(obj) or ""
    sections = set(re.findall(r"^(\w+(?: \w+)?)\n-+$", doc, re.MULTILINE))
    if inspect.isfunction(obj):
        assert {"Parameters", "Returns", "Examples"} <= sections, name
    elif inspect.isclass(obj):
        assert sections & {"Parameters", "Attributes"}, name
    else:  # a type alias: described where it is used
        assert f"{name}, optional" in (inspect.getdoc(rtwcomp.stats.analyze_survey) or "")
