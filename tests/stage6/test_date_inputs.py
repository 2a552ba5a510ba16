"""A date input (`type="date"`) only takes YYYY-MM-DD: in French, Django's default date
format (DD/MM/YYYY) left every stage-6 date field blank, and a required one (a meeting's
date) blocked the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

DAY = dt.date(2026, 11, 26)


def widgets():
    from rtwcomp.assessments.forms import RoundForm
    from rtwcomp.development.forms import GoalForm, PlanForm
    from rtwcomp.mentoring.forms import DATE

    return {
        "round starts": RoundForm().fields["starts_on"].widget,
        "goal reached": GoalForm().fields["done_on"].widget,
        "plan reassessment": PlanForm().fields["reassess_on"].widget,
        "meeting date": DATE,
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_date_inputs_show_iso_dates_in_every_language(language):
    with translation.override(language):
        for name, widget in widgets().items():
            html = widget.render("day", DAY)
            assert 'value="2026-11-26"' in html, (name, html)
