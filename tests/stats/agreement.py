"""Compare `rtwcomp analyze` output files with reference values computed by R.

A case folder (written by tests/reference/make_reference.R) holds responses.csv,
items.csv, spec.csv (the options) and ref_*.csv. The tolerances are those promised in
docs/statistics.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from rtwcomp.cli import main

EXACT = 1e-12  # relative: R writes 15 significant digits
WILSON = 1e-6
ALPHA = 1e-6
OMEGA = 0.01
P_RELATIVE = 1e-6
POLYCHORIC = 0.005
CONGRUENCE = 0.99


@dataclass(frozen=True)
class Case:
    folder: Path
    spec: dict[str, str]

    def argv(self, out: Path) -> list[str]:
        spec = self.spec
        args = [
            "analyze",
            str(self.folder / "responses.csv"),
            "--items",
            str(self.folder / "items.csv"),
            "--out",
            str(out),
            "--scale-min",
            spec["scale_min"],
            "--scale-max",
            spec["scale_max"],
            "--top",
            spec["top"],
            "--key-share",
            spec["key_share"],
            "--factors",
            spec["factors"],
        ]
        if spec.get("subgroups"):
            args += ["--subgroups", spec["subgroups"]]
        if spec.get("id_column"):
            args += ["--id-column", spec["id_column"]]
        return args

    def reference(self, name: str, index_col: int | None = None) -> pd.DataFrame:
        path = self.folder / f"ref_{name}.csv"
        return pd.read_csv(path, index_col=index_col, dtype={"variable": str, "target": str})


def load_case(folder: Path) -> Case:
    spec = pd.read_csv(folder / "spec.csv", dtype=str, keep_default_na=False)
    return Case(folder, dict(zip(spec["key"], spec["value"], strict=True)))


def run_case(case: Case, out: Path) -> Path:
    """Run the command line on a case; return the output folder."""
    assert main(case.argv(out)) == 0
    return out


def read_output(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / name, keep_default_na=False, na_values=[""])


def _close(actual: pd.Series, expected: pd.Series, *, atol: float = 0.0, rtol: float = 0.0) -> None:
    np.testing.assert_allclose(
        actual.to_numpy(dtype=float), expected.to_numpy(dtype=float), atol=atol, rtol=rtol
    )


def check_items(case: Case, out: Path) -> None:
    ours = read_output(out, "item_stats.csv").set_index("item")
    ref = case.reference("items").set_index("item")
    ours = ours.loc[ref.index]
    for column in ["n", "mean", "sd", "median", "q1", "q3", "share_top"]:
        _close(ours[column], ref[column], rtol=EXACT)
    counts = [c for c in ref.columns if c.startswith("count_")]
    assert (ours[counts].to_numpy() == ref[counts].to_numpy()).all()
    for column in ["share_top_low", "share_top_high"]:
        _close(ours[column], ref[column], atol=WILSON)
    for column in ["item_rest_r", "alpha_if_deleted"]:
        _close(ours[column], ref[column], atol=ALPHA)


def check_groups(case: Case, out: Path) -> None:
    ours = read_output(out, "group_stats.csv").set_index("group")
    ref = case.reference("groups").set_index("group")
    ours = ours.loc[ref.index]
    assert (ours["n"].to_numpy() == ref["n"].to_numpy()).all()
    _close(ours["mean"], ref["mean"], rtol=1e-10)
    _close(ours["sd"], ref["sd"], rtol=1e-10)
    for column in ["alpha", "alpha_std", "alpha_low", "alpha_high", "mean_r"]:
        _close(ours[column], ref[column], atol=ALPHA)
    _close(ours["omega_total"], ref["omega_total"], atol=OMEGA)


def check_subgroups(case: Case, out: Path) -> None:
    ours = read_output(out, "subgroup_tests.csv").set_index(["variable", "target"])
    ref = case.reference("subgroups").set_index(["variable", "target"])
    ours = ours.loc[ref.index]
    assert (ours["levels"].to_numpy() == ref["levels"].to_numpy()).all()
    assert (ours["suppressed"].to_numpy() == ref["suppressed"].to_numpy()).all()
    shown = ~ref["suppressed"].to_numpy(dtype=bool)
    assert shown.any()
    assert ours.loc[~shown, "p"].isna().all()
    for column, rtol in [("statistic", 1e-9), ("p", P_RELATIVE), ("q", P_RELATIVE)]:
        _close(ours.loc[shown, column], ref.loc[shown, column], rtol=rtol)
    _close(ours.loc[shown, "effect"], ref.loc[shown, "effect"], rtol=1e-9, atol=1e-12)


def check_polychoric(case: Case, out: Path) -> float:
    """Largest absolute difference from psych::polychoric (asserted within tolerance)."""
    ours = read_output(out, "polychoric.csv").set_index("item")
    ref = case.reference("polychoric", index_col=0)
    ours = ours.loc[ref.index, list(ref.columns)]
    difference = float(np.abs(ours.to_numpy() - ref.to_numpy()).max())
    assert difference < POLYCHORIC
    return difference


def matched_congruence(ours: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """Tucker congruence of each reference factor with its best match, up to order and sign."""
    congruence = (ours.T @ theirs) / np.outer(
        np.sqrt((ours**2).sum(axis=0)), np.sqrt((theirs**2).sum(axis=0))
    )
    rows, cols = linear_sum_assignment(-np.abs(congruence))
    result = np.empty(theirs.shape[1])
    result[cols] = np.abs(congruence[rows, cols])
    return result


def check_loadings(case: Case, out: Path) -> np.ndarray:
    """Per-factor congruence with psych::fa (asserted >= 0.99)."""
    ours = read_output(out, "efa_loadings.csv").set_index("item")
    ref = case.reference("loadings", index_col=0)
    factors = [c for c in ours.columns if c.startswith("F")]
    assert len(factors) == ref.shape[1]
    congruence = matched_congruence(ours.loc[ref.index, factors].to_numpy(), ref.to_numpy())
    assert congruence.min() >= CONGRUENCE
    return congruence
