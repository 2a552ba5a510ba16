"""rtwcomp.reports: the paper-grade report of a competency importance survey.

Pure: it imports no Django. A caller (the `rtwcomp analyze --report` command, the study
pages) builds a `ReportData` from an analysis and whatever else it knows (respondent
attributes, elicitation counts, acquisition routes, Delphi rounds) and asks for
`render_html`, `render_pdf` or `write_report`. See docs/reports.md.
"""

from rtwcomp.reports.data import DelphiRound, Question, ReportData, report_date
from rtwcomp.reports.render import render_html, render_pdf, write_report

__all__ = [
    "DelphiRound",
    "Question",
    "ReportData",
    "render_html",
    "render_pdf",
    "report_date",
    "write_report",
]
