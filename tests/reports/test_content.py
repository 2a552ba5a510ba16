"""The numbers in the report (HTML and the PDF's text) are the analysis's numbers."""

from __future__ import annotations

import re

import numpy as np
from markupsafe import escape

from tests.reports.conftest import GROUPS, Rendered
from tests.reports.parse import tables


def share(x: float) -> str:
    return f"{x * 100:.1f}%"


def interval(low: float, high: float) -> str:
    return f"{low * 100:.1f}–{high * 100:.1f}%"


def two(x: float) -> str:
    """Two decimals; a value that rounds to zero prints without a sign."""
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def test_item_tables_hold_every_item_with_its_statistics(rendered: Rendered) -> None:
    items = rendered.data.analysis.items
    found = tables(rendered.html)
    item_tables = [t for key, t in found.items() if key.startswith("tab-items-")]
    assert len(item_tables) == len(GROUPS)
    printed = {r.cells[1]: r for t in item_tables for r in t.rows[1:]}
    assert sorted(printed) == sorted(items["item"])
    for _, item in items.iterrows():
        cells = printed[item["item"]].cells
        assert cells[0] == str(int(item["rank"]))
        assert cells[2] == item["statement"]
        assert cells[3] == str(item["n"])
        assert cells[4] == two(item["mean"])
        assert cells[5] == share(item["share_top"])
        assert cells[6] == interval(item["share_top_low"], item["share_top_high"])
        expected = ("key" if item["key_certain"] else "key (uncertain)") if item["key"] else "—"
        assert cells[7] == expected


def test_item_tables_are_by_group_and_sorted_by_share(rendered: Rendered) -> None:
    items = rendered.data.analysis.items
    found = tables(rendered.html)
    for number, group in enumerate(GROUPS, start=1):
        table = found[f"tab-items-{number}"]
        assert table.caption.startswith(group + ":")
        ids = [r.cells[1] for r in table.rows[1:]]
        own = items[items["group"] == group]
        assert set(ids) == set(own["item"])
        shares = own.set_index("item").loc[ids, "share_top"].to_numpy()
        assert np.all(np.diff(shares) <= 0)


def test_key_count_funnel_and_cover_match_the_summary(rendered: Rendered) -> None:
    summary = rendered.data.analysis.summary
    key = int(rendered.data.analysis.items["key"].fillna(False).astype(bool).sum())
    assert summary["key_items"] == key
    funnel = tables(rendered.html)["tab-funnel"]
    assert [r.cells for r in funnel.rows[1:]] == [
        ["statements", "904"],
        ["unique items", "234"],
        ["items surveyed", "20"],
        ["respondents", "60"],
        ["key items", str(key)],
    ]
    assert re.search(rf"Key items\s+{key}\b", rendered.text)
    assert re.search(r"Respondents\s+n = 60\b", rendered.text)
    assert "2024-05-01" in rendered.text


def test_group_table_has_mean_alpha_interval_and_omega(rendered: Rendered) -> None:
    table = tables(rendered.html)["tab-groups"]
    for _, group in rendered.data.analysis.groups.iterrows():
        cells = table.row(group["group"]).cells
        assert cells[1:] == [
            str(group["n_items"]),
            str(group["n"]),
            two(group["mean"]),
            two(group["sd"]),
            two(group["alpha"]),
            f"{two(group['alpha_low'])}–{two(group['alpha_high'])}",
            two(group["omega_total"]),
        ]


def by_variable(cells: list[str], spans: list[int], variables: list[str]) -> dict[str, list[str]]:
    """A subgroup row's cells per variable: [effect, q], or ["suppressed"] spanning both."""
    found, k = {}, 1
    for variable in variables:
        width = 1 if spans[k] == 2 else 2
        found[variable] = cells[k : k + width]
        k += width
    return found


def test_subgroup_tables_show_effects_q_values_and_suppression(rendered: Rendered) -> None:
    tests = rendered.data.analysis.subgroup_tests
    assert tests["suppressed"].any() and (~tests["suppressed"]).any()
    found = tables(rendered.html)
    variables = list(dict.fromkeys(tests["variable"]))
    for kind in ("group", "item"):
        table = found[f"tab-subgroups-{kind}s"]
        for _, test in tests[tests["kind"] == kind].iterrows():
            row = table.row(test["target"])
            cells = by_variable(row.cells, row.spans, variables)[test["variable"]]
            if test["suppressed"]:
                assert cells == ["suppressed"]
            else:
                q = "< 0.001" if test["q"] < 0.001 else f"{test['q']:.3f}"
                assert cells == [two(test["effect"]), q]


def test_pdf_text_holds_item_ids_groups_and_statistics(rendered: Rendered) -> None:
    text = rendered.text
    for group in GROUPS:
        assert group in text
    lines = text.splitlines()
    for _, item in rendered.data.analysis.items.iterrows():
        expected = [
            two(item["mean"]),
            share(item["share_top"]),
            interval(item["share_top_low"], item["share_top_high"]),
        ]
        assert any(
            re.search(rf"\b{item['item']}\b", line) and all(v in line for v in expected)
            for line in lines
        ), item["item"]
    for _, group in rendered.data.analysis.groups.iterrows():
        assert re.search(
            rf"{re.escape(two(group['alpha']))}\s+{re.escape(two(group['alpha_low']))}–"
            rf"{re.escape(two(group['alpha_high']))}\s+{re.escape(two(group['omega_total']))}",
            text,
        ), group["group"]
    tests = rendered.data.analysis.subgroup_tests
    # The HTML marks every suppressed test; the PDF lists only the items that differ.
    assert rendered.html.count(">suppressed</td>") == tests["suppressed"].sum()
    group_tests = tests[tests["kind"] == "group"]
    assert text.count("suppressed") >= group_tests["suppressed"].sum()
    flat = " ".join(text.split())
    assert "items differ by no subgroup variable" in flat


def test_characteristics_count_each_answer(rendered: Rendered) -> None:
    found = tables(rendered.html)
    respondents = rendered.data.respondents
    assert respondents is not None
    country = next(t for t in found.values() if t.caption == "country")
    counts = respondents["country"].value_counts()
    assert [r.cells for r in country.rows[1:]] == [
        [level, str(counts[level]), share(counts[level] / 60)] for level in sorted(counts.index)
    ]


def test_structure_tables_match_polychoric_and_loadings(rendered: Rendered) -> None:
    analysis = rendered.data.analysis
    found = tables(rendered.html)
    poly = analysis.polychoric
    first = [i for i in poly.index if analysis.items.set_index("item").loc[i, "group"] == GROUPS[0]]
    block = poly.loc[first, first].to_numpy()
    within = block[~np.eye(len(first), dtype=bool)].mean()
    assert found["tab-blocks"].rows[1].cells[1] == two(within)
    loadings = found["tab-loadings"]
    factors = [c for c in analysis.loadings.columns if re.fullmatch(r"F\d+", c)]
    assert factors
    for _, row in analysis.loadings.iterrows():
        cells = loadings.row(row["item"]).cells
        assert cells[2:] == [two(row[f]) for f in factors] + [two(row["communality"])]
    structure = found["tab-structure"]
    for _, factor in analysis.structure.iterrows():
        cells = structure.row(factor["factor"]).cells
        assert cells[1:4] == [
            two(factor["ss_loadings"]),
            factor["group"],
            f"{factor['congruence']:.3f}",
        ]
    matrix = found["tab-polychoric"]
    some = poly.index[3]
    printed = matrix.row(some).cells
    order = [r.cells[0] for r in matrix.rows[1:]]
    assert printed[1:] == [two(poly.loc[some, other]) for other in order]


def test_acquisition_and_delphi_sections(rendered: Rendered) -> None:
    found = tables(rendered.html)
    acquisition = found["tab-acquisition"]
    assert acquisition.rows[0].cells == ["Group", "training", "experience", "personal"]
    assert acquisition.row(GROUPS[1]).cells[1:] == ["50.0%", "30.0%", "20.0%"]
    delphi = found["tab-delphi"]
    assert delphi.row("1").cells[1:5] == ["30", "20", "8", "40.0%"]
    assert delphi.row("2").cells[1:] == ["28", "20", "14", "70.0%", "0.570", "3", "0.10"]
    assert found["tab-round-2"].row("i01").cells[1:] == [
        "30",
        "60.0%",
        "1.00",
        "yes",
        "0.10",
        "0.010",
    ]


def test_sections_without_data_are_left_out(rendered: Rendered) -> None:
    from dataclasses import replace

    from rtwcomp.reports import render_html

    bare = replace(rendered.data, respondents=None, funnel=None, acquisition=None, delphi=None)
    html = render_html(bare)
    for section in ("characteristics", "acquisition", "delphi"):
        assert f'id="{section}"' not in html
    funnel = tables(html)["tab-funnel"]
    assert [r.cells[0] for r in funnel.rows[1:]] == ["items surveyed", "respondents", "key items"]


def test_warnings_are_reported(rendered: Rendered) -> None:
    warnings = rendered.data.analysis.warnings
    assert warnings
    for warning in warnings:
        assert str(escape(warning)) in rendered.html
