"""Live cross-check: R computes reference values now, on data sets no other test uses.

Data sets: psychTools' spi (4000 respondents, 40 items of eight facets, 6-point) and sai
(5378 administrations, 20 items, 4-point, reverse-keyed half), and a random survey drawn
by R with a seed of its own. Needs Rscript with psych; under CI (CI=true) a missing
Rscript or psych is a failure, elsewhere the tests are skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.stats.agreement import (
    check_groups,
    check_items,
    check_loadings,
    check_polychoric,
    check_subgroups,
    load_case,
    run_case,
)

pytestmark = pytest.mark.rlive

SCRIPT = Path(__file__).resolve().parents[1] / "reference" / "make_reference.R"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; the live R cross-check must run in CI")
    pytest.skip(reason)


def _r_has(package: str) -> bool:
    rscript = shutil.which("Rscript")
    assert rscript is not None
    probe = subprocess.run(
        [rscript, "-e", f"quit(status = !requireNamespace('{package}', quietly = TRUE))"],
        capture_output=True,
        timeout=120,
    )
    return probe.returncode == 0


def _rscript() -> str:
    """Rscript with psych, or fail under CI / skip elsewhere."""
    found = shutil.which("Rscript")
    if found is None:
        _unavailable("Rscript is not installed")
    assert found is not None
    if not _r_has("psych"):
        _unavailable("the R package psych is not installed")
    return found


@pytest.mark.parametrize("dataset", ["spi", "sai", "random"])
def test_live_agreement_with_r(dataset: str, tmp_path: Path) -> None:
    rscript = _rscript()
    if dataset != "random" and not _r_has("psychTools"):
        _unavailable("the R package psychTools (which holds spi and sai) is not installed")
    folder = tmp_path / dataset
    subprocess.run(
        [rscript, str(SCRIPT), "--live", dataset, str(folder)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    case = load_case(folder)
    out = run_case(case, tmp_path / "out")
    check_items(case, out)
    check_groups(case, out)
    check_subgroups(case, out)
    check_polychoric(case, out)
    check_loadings(case, out)


def test_missing_rscript_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        _rscript()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        _rscript()


def test_level_order_and_effect_sign_agree_with_r(tmp_path: Path) -> None:
    """Levels such as 5_17 and 18_30 (age bands) are text to R: its factor puts 18_30
    first, and the rank-biserial effect of that first level has R's sign."""
    import numpy as np
    import pandas as pd

    from rtwcomp.stats.subgroups import subgroup_tests

    rscript = _rscript()
    values = [5, 5, 4, 5, 4, 3, 2, 1, 2, 3, 1, 4]
    ages = ["18_30"] * 6 + ["5_17"] * 6
    ages[5], ages[6] = "5_17", "18_30"
    data = tmp_path / "ages.csv"
    pd.DataFrame({"age": ages, "q1": values}).to_csv(data, index=False)
    script = (
        "d <- read.csv(commandArgs(TRUE)[1], stringsAsFactors = TRUE); "
        "lv <- levels(d$age); "
        "w <- suppressWarnings(wilcox.test(d$q1[d$age == lv[1]], d$q1[d$age == lv[2]], "
        "exact = FALSE, correct = TRUE)); "
        "n1 <- sum(d$age == lv[1]); n2 <- sum(d$age == lv[2]); "
        "cat(lv[1], sprintf('%.17g', c(2 * unname(w$statistic) / (n1 * n2) - 1, w$p.value)), "
        "sep = '\\n')"
    )
    found = subprocess.run(
        [rscript, "-e", script, str(data)], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    first, effect, p = found[0], float(found[1]), float(found[2])
    tests = subgroup_tests(
        {("item", "q1"): np.array(values, dtype=float)},
        pd.DataFrame({"age": ages}),
        min_level_n=5,
    )
    assert first == "18_30"
    assert str(tests.loc[0, "levels"]).startswith(f"{first}: ")
    assert tests.loc[0, "effect"] == pytest.approx(effect, abs=1e-12)
    assert tests.loc[0, "effect"] > 0
    assert tests.loc[0, "p"] == pytest.approx(p, rel=1e-9)
