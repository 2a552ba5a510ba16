"""rtwcomp.stats: the statistics of a competency importance survey.

Pure functions of numpy arrays and pandas DataFrames; no Django, no files. The entry
point is `analyze_survey(responses, items, options)`, which returns a `SurveyAnalysis`
whose parts are DataFrames (see its docstring and docs/statistics.md). The building
blocks are importable from their modules:

- `items`: per-item statistics and the key-item rule (Pransky et al. 2010)
- `intervals`: Wilson and Feldt intervals
- `correlations`: pairwise-complete covariances and correlations, smoothing
- `reliability`: Cronbach's alpha, item-rest correlations, omega total
- `polychoric`: polychoric correlations, vectorised over item pairs
- `efa`, `rotation`, `parallel`: minres factor analysis, oblimin, parallel analysis
- `structure`: Tucker congruence of factors with item groups
- `subgroups`: Mann-Whitney and Kruskal-Wallis tests with Benjamini-Hochberg q values

Results agree with R's psych package and base R; tests/reference holds the R script
that produces the reference values.
"""

from rtwcomp.stats.errors import SurveyDataError
from rtwcomp.stats.options import SurveyOptions
from rtwcomp.stats.survey import ProgressCallback, SurveyAnalysis, analyze_survey

__all__ = [
    "ProgressCallback",
    "SurveyAnalysis",
    "SurveyDataError",
    "SurveyOptions",
    "analyze_survey",
]
