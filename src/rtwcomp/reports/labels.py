"""The report's fixed text, in one place so a translation can replace it as a whole.

Templates and charts take every word from `LABELS` (English for now); a French report
would pass another dict with the same keys. Values may hold `{name}` fields, filled by
`str.format`; the result is plain text, which the templates escape like any other.
"""

from __future__ import annotations

FUNNEL_STEPS = ("statements", "unique_items", "surveyed_items", "respondents", "key_items")

LABELS: dict[str, str] = {
    "lang": "en",
    "subtitle": "Competency importance survey: report",
    "date": "Date",
    "respondents": "Respondents",
    "items_surveyed": "Items surveyed",
    "key_items": "Key items",
    "groups": "Groups",
    "source": "Data",
    "framework": "Framework",
    "key_rule": "Key-item rule",
    "key_rule_text": "share rating {top} or higher > {rule}",
    "excluded": "Excluded",
    "excluded.incomplete": "{n} incomplete responses (started, never submitted)",
    "excluded.incomplete.one": "1 incomplete response (started, never submitted)",
    "excluded.test": "{n} test responses",
    "excluded.test.one": "1 test response",
    "method_framework": "The items come from {framework}.",
    "method_excluded": "Left out of every statistic: {excluded}.",
    "produced_by": "Produced by rtwcomp {version}.",
    "contents": "Contents",
    # sections
    "s_methods": "Method and flow",
    "s_characteristics": "Respondent characteristics",
    "s_items": "Items",
    "s_groups": "Groups of items",
    "s_subgroups": "Subgroup comparisons",
    "s_structure": "Structure",
    "s_acquisition": "How competencies were acquired",
    "s_delphi": "Delphi rounds",
    "s_notes": "Notes on the data",
    "s_appendix": "Appendix: data of the figures",
    "s_references": "References",
    # method
    "method": (
        "{n} respondents rated the importance of {k} items in {g} groups on a scale from "
        "{lo} to {hi}. An item is a key item when more than {rule} of the respondents who "
        "answered it rate it {top} or higher (Pransky et al. 2010). {key} of {k} items are "
        "key items; for {certain} of them the whole 95% interval lies above the rule."
    ),
    "method_intervals": (
        "Shares carry Wilson 95% score intervals; alpha carries Feldt's 95% interval; "
        "subgroup p values are adjusted by Benjamini-Hochberg within each variable (q)."
    ),
    "funnel_steps.statements": "statements",
    "funnel_steps.unique_items": "unique items",
    "funnel_steps.surveyed_items": "items surveyed",
    "funnel_steps.respondents": "respondents",
    "funnel_steps.key_items": "key items",
    "funnel_title": "From {first} to key items",
    "funnel_desc": "The steps of the study and how many remain at each: {steps}.",
    "step": "Step",
    "count": "Count",
    # characteristics
    "level": "Answer",
    "n": "n",
    "share": "Share",
    "not_answered": "not answered",
    "numeric_summary": "Median {median} (quartiles {q1}–{q3}), range {lo}–{hi}; n = {n}",
    "too_many_levels": "{levels} different answers (free text is not listed)",
    "none_answered": "nobody answered",
    # items
    "items_caption": (
        "{group}: share of respondents rating each item {top} or higher, with its 95% "
        "interval, highest first."
    ),
    "rank": "Rank",
    "item": "Item",
    "statement": "Statement",
    "mean": "Mean",
    "share_top": "Share {top}+",
    "interval": "95% interval",
    "key": "Key",
    "key_yes": "key",
    "key_uncertain": "key (uncertain)",
    "key_no": "—",
    "dot_title": "{group}: share rating each item {top} or higher",
    "dot_desc": (
        "Dot plot of the share of respondents rating each of the {k} items of {group} {top} "
        "or higher, with 95% intervals as lines and the key-item rule ({rule}) as a vertical "
        "line; {key} of the items lie above the rule. The data are in the table above."
    ),
    "dot_xlabel": "Share rating {top} or higher",
    "dot_rule": "key-item rule",
    "dot_key": "key item",
    "dot_not_key": "not key",
    # groups
    "groups_caption": "Mean score and internal consistency of each group of items.",
    "group": "Group",
    "n_items": "Items",
    "sd": "SD",
    "alpha": "Alpha",
    "alpha_interval": "Alpha 95% interval",
    "omega": "Omega",
    # subgroups
    "subgroups_intro": (
        "Each variable's levels are compared with a Mann-Whitney test (two levels; effect "
        "is the rank-biserial correlation, positive when the first level listed rates "
        "higher) or a "
        "Kruskal-Wallis test (more levels; effect is epsilon squared). A test is suppressed "
        "when a level has fewer than {min_n} answers."
    ),
    "variable": "Variable",
    "levels": "Levels (n)",
    "test": "Test",
    "subgroups_groups_caption": "Group scores by subgroup: effect size and q value.",
    "subgroups_items_caption": "Items by subgroup: effect size and q value.",
    "effect": "Effect",
    "q": "q",
    "suppressed": "suppressed",
    "suppressed_note": "suppressed: a level has fewer than {min_n} answers",
    "significant_note": "q values below 0.05 are in bold.",
    "no_subgroups": "No subgroup variable was compared.",
    "subgroups_items_pdf_caption": (
        "Items that differ by subgroup (q below 0.05 for at least one variable): effect "
        "size and q value."
    ),
    "subgroups_items_pdf_rest": (
        "{k} of {n} items differ by no subgroup variable (q of 0.05 or more, or "
        "suppressed); every test is in the HTML report and in subgroup_tests.csv."
    ),
    # structure
    "poly_title": "Polychoric correlations, items ordered by group",
    "poly_desc": (
        "Heat map of the polychoric correlations of {k} items, ordered by group, lines "
        "between groups; colours run from blue (−1) through white (0) to red (+1). Mean "
        "correlations within and between groups are in the table below."
    ),
    "poly_caption": "Mean polychoric correlation within (diagonal) and between groups.",
    "poly_full_caption": "Polychoric correlations of every pair of items.",
    "poly_full_elsewhere": (
        "The full matrix of polychoric correlations is in the HTML report (up to 150 items) "
        "and in polychoric.csv of the analysis."
    ),
    "factors_text": "{n} factor(s) were extracted by minres and rotated by oblimin ({method}).",
    "structure_caption": (
        "Each factor's variance and the group whose items it matches best (Tucker's "
        "congruence; 0.95 or more means equal)."
    ),
    "factor": "Factor",
    "ss_loadings": "Variance",
    "best_group": "Best group",
    "congruence": "Congruence",
    "second_group": "Next group",
    "primary_in_group": "Items loading most (in group)",
    "loadings_title": "Factor loadings of the items, ordered by group",
    "loadings_desc": (
        "Heat map of the pattern loadings of {k} items (rows, ordered by group) on {f} "
        "factors (columns), from blue (−1) through white to red (+1). The data are in the "
        "appendix table of factor loadings."
    ),
    "loadings_caption": "Pattern loadings after oblimin rotation, and communality.",
    "loadings_pdf_caption": (
        "The factor on which each item loads most, its pattern loading, and the item's "
        "communality; every loading is in the HTML report and in efa_loadings.csv."
    ),
    "main_loading": "Main factor, loading (communality)",
    "loadings_pdf_note": (
        "Each item's main factor (the one on which it loads most), its pattern loading and "
        "its communality are in the last column of the tables of items; every loading is in "
        "the HTML report and in efa_loadings.csv."
    ),
    "primary_factor": "Factor",
    "loading": "Loading",
    "communality": "Communality",
    "no_factors": (
        "No factor analysis: too few respondents or analysable items (see the notes on the data)."
    ),
    # acquisition
    "acq_title": "Acquisition routes per group",
    "acq_desc": (
        "Stacked bars, one per group, of the mean share of each acquisition route over the "
        "group's items: {routes}. The data are in the table below."
    ),
    "acq_caption": "Mean share of each acquisition route over the items of each group.",
    "acq_share": "Share of answers",
    # delphi
    "delphi_title": "Items and consensus per round",
    "delphi_desc": (
        "Bars per Delphi round of the items rated and the items reaching consensus. The "
        "data are in the table below."
    ),
    "delphi_caption": "Per round: panel, items, consensus, agreement and stability.",
    "round": "Round",
    "panellists": "Panellists",
    "items_rated": "Items rated",
    "consensus": "Consensus",
    "kendalls_w": "Kendall's W",
    "changed": "Changed (Wilcoxon p < 0.05)",
    "median_change": "Median change in distribution",
    "delphi_round_caption": "Round {n}: consensus per item.",
    "iqr": "IQR",
    "change": "Change",
    "wilcoxon_p": "Wilcoxon p",
    "yes": "yes",
    "no": "no",
    # small samples (rtwcomp.stats.minimum)
    "omitted_title": "Left out: the sample is too small",
    "omitted_note": (
        "{label} ({scope}) is not given: {n} respondents and {items} items usable for it "
        "(an item is usable when two respondents or more answered it differently), below "
        "the minimum of {minimum_n} respondents and {minimum_items} items. Why: {reason}."
    ),
    "structure_omitted": (
        "Correlations and factor structure are not given for so few respondents; see "
        "the notes on the data."
    ),
    # notes and appendix
    "notes_none": "None.",
    "page": "Page {page} of {pages}",
    "figure": "Figure",
    "table": "Table",
    "data_table": "Data of this figure",
    "levels_of": "{name} ({test}): {levels}",
}
