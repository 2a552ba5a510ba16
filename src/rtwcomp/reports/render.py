"""Render a `ReportData` as one self-contained HTML file or as a PDF (WeasyPrint).

Both come from the same Jinja2 template with autoescaping on: item statements, group
names and attribute values are user text. The HTML carries its CSS and its charts
inline and refers to nothing outside itself. The PDF is rendered from the same HTML
(print medium: cover, page numbers, no full correlation matrix), tagged for
accessibility, with creation and modification dates set to the report date so the
same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from rtwcomp import __version__
from rtwcomp.reports import charts, plots, tables
from rtwcomp.reports import format as fmt
from rtwcomp.reports.data import ReportData
from rtwcomp.reports.labels import FUNNEL_STEPS, LABELS

FULL_MATRIX_LIMIT = 150  # items; beyond this the HTML leaves the full matrix to polychoric.csv
REFERENCES = (
    "Pransky G, Shaw WS, Loisel P, Hong QN, Désorcy B (2010). Development and validation of "
    "competencies for return to work coordinators. J Occup Rehabil 20:41–48.",
    "Wilson EB (1927). Probable inference, the law of succession, and statistical inference. "
    "J Am Stat Assoc 22:209–212.",
    "Cronbach LJ (1951). Coefficient alpha and the internal structure of tests. "
    "Psychometrika 16:297–334.",
    "Feldt LS, Woodruff DJ, Salih FA (1987). Statistical inference for coefficient alpha. "
    "Appl Psychol Meas 11:93–103.",
    "McDonald RP (1999). Test Theory: A Unified Treatment. Erlbaum.",
    "Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate. J R Stat Soc B "
    "57:289–300.",
    "Olsson U (1979). Maximum likelihood estimation of the polychoric correlation "
    "coefficient. Psychometrika 44:443–460.",
    "Horn JL (1965). A rationale and test for the number of factors in factor analysis. "
    "Psychometrika 30:179–185.",
    "Tucker LR (1951). A method for synthesis of factor analysis studies. Personnel Research "
    "Section Report 984, Department of the Army.",
)


@cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rtwcomp.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


@cache
def _stylesheet() -> str:
    return (resources.files("rtwcomp.reports") / "templates" / "report.css").read_text("utf-8")


def _funnel_steps(data: ReportData, labels: Mapping[str, str]) -> list[tuple[str, int]]:
    counts = dict(data.funnel or {})
    summary = data.analysis.summary
    counts["surveyed_items"] = int(summary["counts"]["items"])
    counts["respondents"] = int(summary["counts"]["respondents"])
    counts["key_items"] = int(summary["key_items"])
    return [(labels[f"funnel_steps.{k}"], int(counts[k])) for k in FUNNEL_STEPS if k in counts]


def _dot_plots(
    sections: list[dict[str, Any]],
    data: ReportData,
    labels: Mapping[str, str],
    media: charts.Media,
) -> None:
    rule, top = data.options.key_share, data.options.top
    for number, section in enumerate(sections, start=1):
        rows = [
            charts.DotRow(r["item"], r["values"][0], r["values"][1], r["values"][2], r["key"])
            for r in section["rows"]
            if not fmt.missing(r["values"][0])
        ]
        if not rows:
            section["chart"] = None
            continue
        fields = {"group": section["group"], "top": top, "rule": f"> {rule * 100:g}%"}
        section["chart"] = plots.dot_plot(
            f"dots{number}",
            rows,
            rule,
            labels,
            labels["dot_title"].format(**fields),
            labels["dot_desc"].format(k=len(rows), key=section["key_count"], **fields),
            top,
            media,
        )


def _structure(
    data: ReportData, labels: Mapping[str, str], media: charts.Media
) -> dict[str, Any] | None:
    analysis = data.analysis
    if analysis.polychoric.shape[0] < 2:
        return None
    values, ids, groups = tables.ordered_polychoric(analysis)
    k = len(ids)
    side = min(charts.WIDTH - 1.0, 2.5 + 0.06 * k)
    part: dict[str, Any] = {
        "poly_chart": plots.heat_map(
            "poly",
            values,
            ids,
            groups,
            ids,
            labels["poly_title"],
            labels["poly_desc"].format(k=k),
            lower_only=True,
            size=(side + 1.0, side),
            col_groups=True,
            media=media,
        ),
        "blocks": tables.block_means(values, groups),
        "full": None,
        "factors": [],
    }
    if k <= FULL_MATRIX_LIMIT and charts.VECTOR in media:  # the PDF never shows it
        part["full"] = {
            "ids": ids,
            "rows": [
                {"item": i, "cells": [fmt.coefficient(v) for v in values[r]]}
                for r, i in enumerate(ids)
            ],
        }
    loadings = tables.ordered_loadings(analysis)
    factors = [c for c in loadings.columns if c not in ("item", "group", "communality")]
    if factors:
        matrix = loadings[factors].to_numpy(dtype=float)
        part["factors"] = factors
        part["loadings"] = tables.loading_rows(loadings, factors)
        part["structure"] = tables.structure_rows(analysis)
        part["loadings_chart"] = plots.heat_map(
            "loadings",
            matrix,
            list(loadings["item"].astype(str)),
            list(loadings["group"].astype(str)),
            factors,
            labels["loadings_title"],
            labels["loadings_desc"].format(k=len(loadings), f=len(factors)),
            lower_only=False,
            size=(
                min(charts.WIDTH, 3.0 + 0.45 * len(factors)),
                min(9.0, 1.2 + 0.09 * len(loadings)),
            ),
            col_groups=False,
            media=media,
        )
        info = analysis.summary.get("factors", {})
        part["factors_text"] = labels["factors_text"].format(
            n=len(factors), method=info.get("method", "")
        )
    return part


def _acquisition(
    data: ReportData, labels: Mapping[str, str], media: charts.Media
) -> dict[str, Any] | None:
    if data.acquisition is None or data.acquisition.empty:
        return None
    groups, routes, shares = tables.acquisition_by_group(
        data.acquisition, tables.group_order(data.analysis)
    )
    if not groups:
        return None
    return {
        "routes": routes,
        "rows": [
            {"group": g, "cells": [fmt.percent(v) for v in shares[k]]} for k, g in enumerate(groups)
        ],
        "chart": charts.stacked_bars(
            "acquisition",
            groups,
            routes,
            shares,
            labels["acq_share"],
            labels["acq_title"],
            labels["acq_desc"].format(routes=", ".join(routes)),
            media,
        ),
    }


def _delphi(
    data: ReportData, labels: Mapping[str, str], media: charts.Media
) -> dict[str, Any] | None:
    if not data.delphi:
        return None
    rows = tables.delphi_rows(data.delphi)
    chart = charts.round_bars(
        "delphi",
        [f"{labels['round']} {r['round']}" for r in rows],
        [
            (labels["items_rated"], [int(r["items"]) for r in rows]),
            (labels["consensus"], [r["consensus_count"] for r in rows]),
        ],
        labels["delphi_title"],
        labels["delphi_desc"],
        media,
    )
    rounds = [
        {"number": r.number, "rows": tables.delphi_item_rows(r.items), "stability": n > 0}
        for n, r in enumerate(data.delphi)
    ]
    return {"rows": rows, "chart": chart, "rounds": rounds}


def _css_string(text: str) -> str:
    """A CSS string literal; labels are ours, but a translation may hold quotes."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{escaped}"'


def _counters(labels: Mapping[str, str]) -> Markup:
    """The CSS that numbers tables and figures and pages, in the labels' language."""
    before, _, rest = labels["page"].partition("{page}")
    middle, _, after = rest.partition("{pages}")
    page = " ".join(
        part
        for part in (
            _css_string(before) if before else "",
            "counter(page)",
            _css_string(middle) if middle else "",
            "counter(pages)",
            _css_string(after) if after else "",
        )
        if part
    )
    rules = (
        f"table.data caption::before {{ content: {_css_string(labels['table'] + ' ')} "
        'counter(table) ". "; }\n'
        f"figcaption::before {{ content: {_css_string(labels['figure'] + ' ')} "
        'counter(figure) ". "; }\n'
        f"@media print {{ @page {{ @bottom-center {{ content: {page}; }} }} }}"
    )
    return Markup(rules)  # noqa: S704


def _contents(ctx: dict[str, Any], labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """The sections present, in order, for the table of contents."""
    present = [
        ("methods", True),
        ("characteristics", bool(ctx["characteristics"])),
        ("items", True),
        ("groups", True),
        ("subgroups", True),
        ("structure", ctx["structure"] is not None or ctx["structure_omitted"]),
        ("acquisition", ctx["acquisition"] is not None),
        ("delphi", ctx["delphi"] is not None),
        ("notes", True),
        ("appendix", ctx["appendix"]),
        ("references", True),
    ]
    return [(key, labels[f"s_{key}"]) for key, shown in present if shown]


def context(
    data: ReportData, labels: Mapping[str, str] = LABELS, media: charts.Media = charts.BOTH
) -> dict[str, Any]:
    """Everything the template shows, formatted and drawn (the costly part of a render);
    charts in the `media` asked for (SVG for the HTML, JPEG for the PDF)."""
    analysis, options = data.analysis, data.options
    summary = analysis.summary
    steps = _funnel_steps(data, labels)
    sections = tables.items_by_group(analysis, labels)
    _dot_plots(sections, data, labels, media)
    counts = summary["counts"]
    omitted_messages = {o["message"] for o in analysis.omitted}
    funnel_title = labels["funnel_title"].format(first=steps[0][0])
    method = labels["method"].format(
        n=counts["respondents"],
        k=counts["items"],
        g=counts["groups"],
        lo=options.scale_min,
        hi=options.scale_max,
        rule=f"{options.key_share * 100:g}%",
        top=options.top,
        key=summary["key_items"],
        certain=summary["key_items_certain"],
    )
    excluded = "; ".join(
        labels[f"excluded.{kind}" + (".one" if n == 1 else "")].format(n=n)
        for kind, n in data.excluded.items()
    )
    ctx: dict[str, Any] = {
        "L": labels,
        "framework": data.framework,
        "key_rule": labels["key_rule_text"].format(
            top=options.top, rule=f"{options.key_share * 100:g}%"
        ),
        "excluded": excluded,
        "css": Markup(_stylesheet()),  # noqa: S704 - our own file
        "counters": _counters(labels),
        "references": REFERENCES,
        "title": data.title,
        "date": data.date.isoformat(),
        "timestamp": dt.datetime.combine(data.date, dt.time(), dt.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
        "source": data.source,
        "version": __version__,
        "counts": counts,
        "key_items": summary["key_items"],
        "top": options.top,
        "method": method,
        "steps": steps,
        "funnel_title": funnel_title,
        "funnel_chart": plots.funnel(
            "funnel",
            steps,
            funnel_title,
            labels["funnel_desc"].format(steps="; ".join(f"{n} {s}" for s, n in steps)),
            media,
        ),
        "characteristics": (
            tables.characteristics(data.respondents, labels, data.questions)
            if data.respondents is not None and len(data.respondents.columns)
            else []
        ),
        "item_sections": sections,
        "groups": tables.group_rows(analysis),
        "subgroups": tables.subgroup_tables(analysis, data.questions),
        "min_level_n": options.min_level_n,
        "structure": _structure(data, labels, media),
        "acquisition": _acquisition(data, labels, media),
        "delphi": _delphi(data, labels, media),
        "warnings": [w for w in analysis.warnings if w not in omitted_messages],
        "omitted": [labels["omitted_note"].format(**o) for o in analysis.omitted],
        "omitted_groups": [
            labels["omitted_note"].format(**o)
            for o in analysis.omitted
            if o["statistic"] in ("alpha", "omega")
        ],
        "structure_omitted": any(o["statistic"] in ("polychoric", "efa") for o in analysis.omitted),
    }
    ctx["appendix"] = ctx["structure"] is not None or ctx["delphi"] is not None
    ctx["main_loadings"] = _main_loadings(ctx["structure"])
    ctx["toc"] = _contents(ctx, labels)
    return ctx


def _main_loadings(structure: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Each item's main factor, loading and communality, by item id (the PDF's column)."""
    if structure is None or not structure["factors"]:
        return {}
    return {r["item"]: r for r in structure["loadings"]}


def _page(ctx: dict[str, Any], medium: str) -> str:
    """The HTML of a context for a medium: "html" (the file) or "pdf" (WeasyPrint's input)."""
    template = _environment().get_template("report.html")
    main = ctx["main_loadings"] if medium == "pdf" else {}
    return str(template.render({**ctx, "medium": medium, "main_loadings": main}))


_FONTS = threading.local()


def _font_config() -> Any:
    """This thread's WeasyPrint font configuration, kept between reports: a new one starts
    Pango with empty font and shaping caches, which cost a tenth of a PDF. Per thread,
    because Pango's font maps are not thread-safe; the report declares no @font-face, so
    nothing accumulates in it."""
    config = getattr(_FONTS, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _FONTS.config = FontConfiguration()
    return config


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf(pdf_tags=True, font_config=_font_config())
    return pdf


def render_html(data: ReportData, labels: Mapping[str, str] = LABELS) -> str:
    """The report as one self-contained HTML document."""
    return _page(context(data, labels, frozenset({charts.VECTOR})), "html")


def render_pdf(data: ReportData, labels: Mapping[str, str] = LABELS) -> bytes:
    """The report as a tagged PDF with a cover, page numbers and repeated table headers."""
    return _pdf(_page(context(data, labels, frozenset({charts.RASTER})), "pdf"))


def write_report(data: ReportData, folder: Path, labels: Mapping[str, str] = LABELS) -> list[Path]:
    """Write report.html and report.pdf into `folder`, drawing the charts once."""
    ctx = context(data, labels)
    html_path, pdf_path = folder / "report.html", folder / "report.pdf"
    html_path.write_text(_page(ctx, "html"), encoding="utf-8")
    pdf_path.write_bytes(_pdf(_page(ctx, "pdf")))
    return [html_path, pdf_path]
