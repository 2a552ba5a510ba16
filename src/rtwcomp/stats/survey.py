"""`analyze_survey`: every statistic of an importance survey in one call."""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy

from rtwcomp import __version__
from rtwcomp.stats import minimum
from rtwcomp.stats.arrays import BoolVector, FloatMatrix, FloatVector, IntVector
from rtwcomp.stats.correlations import is_smoothing_needed, smooth_correlation
from rtwcomp.stats.efa import FactorSolution, factor_analysis
from rtwcomp.stats.groups import group_statistics
from rtwcomp.stats.inputs import ItemTable, ScoredSurvey, score_survey
from rtwcomp.stats.items import item_statistics
from rtwcomp.stats.options import SurveyOptions
from rtwcomp.stats.parallel import max_identified_factors, parallel_analysis
from rtwcomp.stats.polychoric import PolychoricResult, polychoric_matrix
from rtwcomp.stats.structure import factor_structure
from rtwcomp.stats.subgroups import subgroup_tests

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(step, done, total) while a slow step runs."""


@dataclass(frozen=True)
class SurveyAnalysis:
    """The results of `analyze_survey`; every table is a pandas DataFrame.

    Undefined values (an item nobody answered, a suppressed test) are NaN/NA in the
    tables and never enter other statistics. docs/statistics.md defines every column.

    Attributes
    ----------
    items : pandas.DataFrame
        One row per item (item_stats.csv): item, group, statement, reverse, n,
        n_missing, mean, sd, median, q1, q3, count_<point> per scale point, share_top,
        share_top_low, share_top_high, rank, key, key_certain, item_rest_r,
        alpha_if_deleted.
    groups : pandas.DataFrame
        One row per group (group_stats.csv): group, n_items, n, mean, sd, alpha,
        alpha_std, alpha_low, alpha_high, omega_total, mean_r.
    subgroup_tests : pandas.DataFrame
        One row per attribute and target (subgroup_tests.csv): variable, target, kind
        (item|group), levels ("level: n; ..."), n, test, statistic, p, q, effect_size
        (rank_biserial|epsilon_squared), effect, suppressed.
    polychoric : pandas.DataFrame
        Item x item polychoric correlations of the analysable items, indexed by item id
        (polychoric.csv).
    loadings : pandas.DataFrame
        One row per analyzed item (efa_loadings.csv): item, group, F1..Fk pattern
        loadings after oblimin rotation, communality.
    factor_correlations : pandas.DataFrame
        Factor x factor correlations Φ of the oblique solution.
    structure : pandas.DataFrame
        One row per factor (structure.csv): factor, ss_loadings, group, congruence,
        second_group, second_congruence, n_primary_items, n_primary_in_group.
    summary : dict
        JSON-ready (summary.json): counts, options, key items, factors, warnings,
        excluded items, omitted statistics, the minimums, versions and timings.
    warnings : list of str
        Human-readable notes on degenerate data (also in ``summary``).
    omitted : list of dict
        Statistics left out because the sample is below their minimum
        (`rtwcomp.stats.minimum`): statistic, scope, n, minimum_n, items, minimum_items,
        reason, reference (also in ``summary``).
    """

    items: pd.DataFrame
    groups: pd.DataFrame
    subgroup_tests: pd.DataFrame
    polychoric: pd.DataFrame
    loadings: pd.DataFrame
    factor_correlations: pd.DataFrame
    structure: pd.DataFrame
    summary: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    omitted: list[dict[str, Any]] = field(default_factory=list)


class _Clock:
    """Wall-clock seconds spent in each named step."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - start, 4)


@dataclass
class _Notes:
    """Warnings for the user and the items left out of parts of the analysis, with why."""

    warnings: list[str] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)
    omitted: list[minimum.Omission] = field(default_factory=list)

    def exclude(self, item: str, reason: str, scope: str) -> None:
        self.excluded[item] = reason
        self.warnings.append(f"item '{item}': {reason}; it is left out of {scope}")

    def omit(self, gap: minimum.Omission | None) -> bool:
        """Record a statistic left out for a small sample; True when there was one."""
        if gap is None:
            return False
        self.omitted.append(gap)
        self.warnings.append(gap.message)
        return True


@dataclass(frozen=True)
class _Structure:
    """What the factor-analysis step produces."""

    loadings: pd.DataFrame
    phi: pd.DataFrame
    table: pd.DataFrame
    info: dict[str, Any]
    items: list[int]


def _usable_items(table: ItemTable, scores: FloatMatrix, notes: _Notes) -> BoolVector:
    """Items that can enter correlations: answered by two or more, with some variance."""
    usable = np.ones(len(table.ids), dtype=bool)
    for j, item in enumerate(table.ids):
        column = scores[:, j]
        answers = column[~np.isnan(column)]
        if answers.size == 0:
            reason = "nobody answered it"
        elif answers.size == 1:
            reason = "only one respondent answered it"
        elif answers.min() == answers.max():
            reason = f"every answer is the same ({answers[0]:g})"
        else:
            continue
        usable[j] = False
        notes.exclude(item, reason, "reliability, correlations and factor analysis")
    return usable


def _complete_subset(poly: PolychoricResult) -> BoolVector:
    """Drop, one by one, the item with most undefined correlations until none are left."""
    keep = np.ones(poly.raw.shape[0], dtype=bool)
    while True:
        sub = poly.raw[np.ix_(keep, keep)]
        missing = np.isnan(sub).sum(axis=0)
        if missing.max(initial=0) == 0:
            return keep
        keep[np.flatnonzero(keep)[int(np.argmax(missing))]] = False


def _choose_factors(
    corr: FloatMatrix, n_obs: int, options: SurveyOptions, warnings: list[str]
) -> tuple[int, dict[str, Any]]:
    """The number of factors (requested or by parallel analysis) and how it was chosen."""
    limit = max_identified_factors(corr.shape[0])
    if options.factors is not None:
        chosen = options.factors
        info: dict[str, Any] = {"method": "requested", "requested": chosen}
    else:
        parallel = parallel_analysis(
            corr, n_obs, iterations=options.parallel_iterations, seed=options.seed
        )
        chosen = parallel.n_factors
        info = {
            "method": "parallel analysis (Horn 1965), 95th percentile of "
            f"{options.parallel_iterations} random correlation matrices",
            "observed_eigenvalues": [round(float(v), 6) for v in parallel.observed],
            "random_eigenvalues_95": [round(float(v), 6) for v in parallel.random],
        }
    if chosen > limit:
        warnings.append(
            f"{chosen} factors cannot be identified from {corr.shape[0]} items; {limit} used"
        )
        chosen = limit
    info["n"] = chosen
    return chosen, info


def _factor_frames(
    solution: FactorSolution, table: ItemTable, items: list[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    names = [f"F{f + 1}" for f in range(solution.loadings.shape[1])]
    loadings = pd.DataFrame(solution.loadings, columns=names)
    loadings.insert(0, "group", [table.groups[i] for i in items])
    loadings.insert(0, "item", [table.ids[i] for i in items])
    communality = np.einsum("if,fg,ig->i", solution.loadings, solution.phi, solution.loadings)
    loadings["communality"] = communality
    phi = pd.DataFrame(solution.phi, index=pd.Index(names, name="factor"), columns=names)
    return loadings, phi


def _json_ready(value: Any) -> Any:
    """Replace NaN by None and numpy scalars by Python ones, recursively."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _smoothed(corr: FloatMatrix) -> FloatMatrix:
    """The matrix, smoothed to positive definite when it is not."""
    return smooth_correlation(corr) if is_smoothing_needed(corr) else corr


def _noop(step: str, done: int, total: int) -> None:
    """Progress callback that reports nothing."""


def analyze_survey(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    options: SurveyOptions | None = None,
    *,
    id_column: str | None = None,
    progress: ProgressCallback | None = None,
) -> SurveyAnalysis:
    """Analyze an importance survey: item and group statistics, subgroup tests, structure.

    Parameters
    ----------
    responses : pandas.DataFrame
        One row per respondent, one column per item (named by the item id, raw answers;
        NaN or blank is a missing answer), plus respondent attribute columns.
    items : pandas.DataFrame
        Columns ``item`` and ``group``, optionally ``statement`` and ``reverse``
        (1 = reverse-keyed, scored scale_min + scale_max - answer; every statistic uses
        scored answers).
    options : SurveyOptions, optional
        Scale, key-item rule, subgroup columns, number of factors, seed. Defaults to
        ``SurveyOptions()``.
    id_column : str, optional
        A column of respondent ids, checked to be present, unique and not blank.
    progress : ProgressCallback, optional
        Called as ``progress(step, done, total)`` during the slow steps.

    Returns
    -------
    SurveyAnalysis
        Every table of the analysis (item_stats.csv, group_stats.csv, ...), the summary
        and the warnings.

    Raises
    ------
    SurveyDataError
        For input it cannot analyze, naming the table, row and column. Degenerate data (an
        item nobody answered or with one answer value, a respondent with no answers, a
        small subgroup) is reported in ``warnings`` instead.

    References
    ----------
    Pransky G, Shaw WS, Loisel P, Hong QN, Désorcy B (2010). Development and validation of
    competencies for return to work coordinators. J Occup Rehabil 20:41-48. Each statistic's
    own source is in docs/statistics.md.

    Examples
    --------
    >>> import pandas as pd
    >>> responses = pd.DataFrame(
    ...     {"q1": [5, 4, 4, 2, 5, 3], "q2": [4, 4, 5, 2, 5, 3], "q3": [5, 3, 4, 1, 4, 3]}
    ... )
    >>> items = pd.DataFrame({"item": ["q1", "q2", "q3"], "group": "care"})
    >>> result = analyze_survey(responses, items, SurveyOptions(factors=1))
    >>> result.items[["item", "share_top", "rank", "key"]].round(3)
      item  share_top  rank    key
    0   q1      0.667     1   True
    1   q2      0.667     1   True
    2   q3      0.500     3  False
    >>> result.summary["key_items"]
    2

    Six respondents are too few for reliability, correlations and factors; they are left
    out with a note (`rtwcomp.stats.minimum`):

    >>> result.groups[["group", "n", "alpha", "omega_total"]]
      group  n  alpha  omega_total
    0  care  6    NaN          NaN
    >>> [(o["statistic"], o["n"], o["minimum_n"]) for o in result.omitted]
    [('alpha', 6, 10), ('omega', 6, 20), ('polychoric', 6, 30), ('efa', 6, 50)]
    """
    options = options or SurveyOptions()
    report = progress or _noop
    clock = _Clock()
    notes = _Notes()
    with clock.step("check"):
        survey = score_survey(responses, items, options, id_column)
    table, scores = survey.items, survey.scores
    usable = _usable_items(table, scores, notes)
    silent = int(np.isnan(scores).all(axis=1).sum())
    if silent:
        notes.warnings.append(
            f"{silent} respondent(s) answered no item; they are counted but enter no statistic"
        )
    with clock.step("items"):
        report("item statistics", 0, 1)
        item_frame = item_statistics(table, scores, options)
    with clock.step("reliability"):
        report("reliability", 0, 1)
        groups = group_statistics(table, scores, usable, options.minimums)
        notes.warnings.extend(groups.warnings)
        for gap in groups.omitted:
            notes.omit(gap)
        item_frame["item_rest_r"] = groups.item_rest_r
        item_frame["alpha_if_deleted"] = groups.alpha_if_deleted
    with clock.step("subgroups"):
        tests = _subgroup_step(survey, groups.scores, options, notes)
    analyzed = np.flatnonzero(usable)
    respondents = int((~np.isnan(scores[:, analyzed])).any(axis=1).sum())
    few = options.minimums and notes.omit(
        minimum.check(minimum.POLYCHORIC, "the items", respondents, analyzed.size)
    )
    correlated = analyzed[:0] if few else analyzed
    with clock.step("polychoric"):
        poly = _polychoric_step(scores[:, correlated], options, report, notes)
    ids = [table.ids[i] for i in correlated]
    poly_frame = pd.DataFrame(poly.rho, index=pd.Index(ids, name="item"), columns=ids)
    with clock.step("factors"):
        structure = (
            _no_structure(survey, analyzed, options, notes)
            if few
            else _structure_step(poly, survey, analyzed, options, report, notes)
        )
    frames = _finite(
        {
            "item_stats": item_frame,
            "group_stats": groups.table,
            "subgroup_tests": tests,
            "polychoric": poly_frame,
            "efa_loadings": structure.loadings,
            "factor_correlations": structure.phi,
            "structure": structure.table,
        },
        notes,
    )
    summary = _summary(survey, item_frame, options, structure, poly, notes, clock)
    return SurveyAnalysis(
        items=frames["item_stats"],
        groups=frames["group_stats"],
        subgroup_tests=frames["subgroup_tests"],
        polychoric=frames["polychoric"],
        loadings=frames["efa_loadings"],
        factor_correlations=frames["factor_correlations"],
        structure=frames["structure"],
        summary=_json_ready(summary),
        warnings=notes.warnings,
        omitted=[gap.as_dict() for gap in notes.omitted],
    )


def _finite(frames: dict[str, pd.DataFrame], notes: _Notes) -> dict[str, pd.DataFrame]:
    """Every table with ±infinity replaced by NaN (written blank), and a warning naming
    each column where that happened: no file or page should ever show 'inf'."""
    cleaned = {}
    for name, frame in frames.items():
        frame = frame.copy()
        for column in frame.columns:
            if not pd.api.types.is_float_dtype(frame[column]):
                continue
            values = frame[column].to_numpy(dtype=float, na_value=np.nan)
            infinite = int(np.isinf(values).sum())
            if infinite:
                frame[column] = frame[column].mask(np.isinf(values))
                notes.warnings.append(
                    f"{name}: {infinite} value(s) of '{column}' were not finite and are left blank"
                )
        cleaned[name] = frame
    return cleaned


def _subgroup_step(
    survey: ScoredSurvey,
    group_scores: dict[str, FloatVector],
    options: SurveyOptions,
    notes: _Notes,
) -> pd.DataFrame:
    """Rank tests of every item and group score across every subgroup attribute."""
    targets = {("item", item): survey.scores[:, j] for j, item in enumerate(survey.items.ids)}
    targets.update({("group", g): s for g, s in group_scores.items()})
    tests = subgroup_tests(targets, survey.attributes, options.min_level_n)
    for variable in survey.attributes.columns:
        small = int((tests["suppressed"] & (tests["variable"] == variable)).sum())
        if small:
            notes.warnings.append(
                f"subgroups of '{variable}': {small} test(s) suppressed because a level "
                f"has fewer than {options.min_level_n} answers"
            )
    return tests


def _polychoric_step(
    scores: FloatMatrix, options: SurveyOptions, report: ProgressCallback, notes: _Notes
) -> PolychoricResult:
    """Polychoric correlations of the usable items, with notes on smoothing."""
    poly = polychoric_matrix(scores, options.scale_min, options.scale_max, progress=report)
    if poly.smoothed:
        notes.warnings.append(
            "the polychoric matrix was not positive definite and was smoothed "
            "(as psych::cor.smooth)"
        )
    if not poly.converged:
        notes.warnings.append("some polychoric correlations did not converge")
    return poly


def _structure_step(
    poly: PolychoricResult,
    survey: ScoredSurvey,
    analyzed: IntVector,
    options: SurveyOptions,
    report: ProgressCallback,
    notes: _Notes,
) -> _Structure:
    """Number of factors, minres + oblimin solution, and its match with the groups."""
    table = survey.items
    keep = _complete_subset(poly)
    for i in np.flatnonzero(~keep):
        notes.exclude(
            table.ids[analyzed[i]],
            "it shares no respondent with some other item",
            "factor analysis",
        )
    fa_items = [int(i) for i in analyzed[keep]]
    respondents = int((~np.isnan(survey.scores[:, fa_items])).any(axis=1).sum())
    if len(fa_items) < minimum.EFA.items or (
        options.minimums and minimum.check(minimum.EFA, "the items", respondents, len(fa_items))
    ):
        return _no_structure(survey, np.array(fa_items, dtype=np.int64), options, notes)
    corr = poly.rho if keep.all() else _smoothed(poly.raw[np.ix_(keep, keep)])
    report("factor analysis", 0, 2)
    n_factors, info = _choose_factors(corr, respondents, options, notes.warnings)
    report("factor analysis", 1, 2)
    solution = factor_analysis(corr, n_factors)
    if not solution.converged:
        notes.warnings.append("the factor extraction or rotation did not fully converge")
    loadings, phi = _factor_frames(solution, table, fa_items)
    notes.warnings.extend(heywood_warnings(loadings))
    groups = [table.groups[i] for i in fa_items]
    matched = factor_structure(solution.loadings, solution.ss_loadings, groups, list(phi.columns))
    report("factor analysis", 2, 2)
    return _Structure(loadings, phi, matched, info, fa_items)


def _no_structure(
    survey: ScoredSurvey, items: IntVector, options: SurveyOptions, notes: _Notes
) -> _Structure:
    """No factor analysis (nor parallel analysis): too few respondents or items."""
    respondents = int((~np.isnan(survey.scores[:, items])).any(axis=1).sum()) if items.size else 0
    notes.omit(minimum.check(minimum.EFA, "the items", respondents, items.size))
    if options.factors is None:
        notes.omit(minimum.check(minimum.PARALLEL, "the items", respondents, items.size))
    empty = pd.DataFrame(columns=["item", "group", "communality"])
    return _Structure(empty, pd.DataFrame(), pd.DataFrame(), {"n": 0}, [])


def heywood_warnings(loadings: pd.DataFrame) -> list[str]:
    """A warning for each item whose communality is 1 or more (a Heywood case), as
    psych::fa warns ("An ultra-Heywood case was detected. Examine the results
    carefully"): its uniqueness would be zero or negative, so the solution is improper."""
    if "communality" not in loadings:
        return []
    return [
        f"item '{item}': communality {value:.2f} is 1 or more (a Heywood case); the factor "
        "solution is improper: examine it carefully, or extract fewer factors"
        for item, value in zip(loadings["item"], loadings["communality"], strict=True)
        if np.isfinite(value) and value >= 1.0
    ]


def _summary(
    survey: ScoredSurvey,
    item_frame: pd.DataFrame,
    options: SurveyOptions,
    structure: _Structure,
    poly: PolychoricResult,
    notes: _Notes,
    clock: _Clock,
) -> dict[str, Any]:
    """The contents of summary.json."""
    scores = survey.scores
    key = item_frame["key"].fillna(False).astype(bool)
    certain = item_frame["key_certain"].fillna(False).astype(bool)
    return {
        "tool": "rtwcomp analyze",
        "counts": {
            "respondents": int(scores.shape[0]),
            "respondents_without_answers": int(np.isnan(scores).all(axis=1).sum()),
            "items": len(survey.items.ids),
            "items_analyzed": len(structure.items),
            "groups": len(survey.items.group_names),
            "answers": int((~np.isnan(scores)).sum()),
            "missing_answers": int(np.isnan(scores).sum()),
        },
        "options": options.as_dict(),
        "key_items": int(key.sum()),
        "key_items_certain": int((key & certain).sum()),
        "not_key_items_certain": int((~key & certain).sum()),
        "factors": structure.info,
        "polychoric_smoothed": poly.smoothed,
        "excluded_items": notes.excluded,
        "omitted": [gap.as_dict() for gap in notes.omitted],
        "minimums": minimum.table(),
        "warnings": notes.warnings,
        "versions": {
            "rtwcomp": __version__,
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "pandas": pd.__version__,
        },
        "timings_seconds": clock.seconds,
    }
