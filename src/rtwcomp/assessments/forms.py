"""Forms of the assessment pages: validation only; the rules are in services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rtwcomp.assessments.models import LEVELS, Observation
from rtwcomp.frameworks.models import Competency

MAX_EVIDENCE = 4000
NOT_RATED = ""
LEVEL_CHOICES = [(NOT_RATED, _("not rated")), *[(str(v), label) for v, label in LEVELS]]
INDICATOR_CHOICES = [("na", _("not applicable")), ("seen", _("seen")), ("not_seen", _("not seen"))]


def level_choices(scale: list[str] | None) -> list[tuple[str, Any]]:
    """Not rated, then each level of the scale (default: the five LEVELS)."""
    if scale is None:
        return LEVEL_CHOICES
    return [(NOT_RATED, _("not rated")), *[(str(v), label) for v, label in enumerate(scale)]]


def level_field(competency: Competency, scale: list[str] | None = None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=f"{competency.code} {competency.translated('statement')}",
        choices=level_choices(scale),
        required=False,
        widget=forms.RadioSelect,
    )


def evidence_field() -> forms.CharField:
    return forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=MAX_EVIDENCE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you did or saw that shows this level (at most 4,000 characters)."),
    )


class RatingsForm(forms.Form):
    """One level and one evidence note per competency (self-assessment, observation), on the
    organisation's scale. An observer marks each behavioural indicator seen or not; on a
    self-assessment (`marks_indicators=False`) the indicators are shown as anchors."""

    def __init__(
        self,
        *args: Any,
        competencies: list[Competency],
        scale: list[str] | None = None,
        marks_indicators: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = competencies
        self.marks_indicators = marks_indicators
        for competency in competencies:
            self.fields[f"level_{competency.pk}"] = level_field(competency, scale)
            self.fields[f"evidence_{competency.pk}"] = evidence_field()
            for indicator in competency.indicators.all() if marks_indicators else []:
                self.fields[f"indicator_{indicator.pk}"] = forms.ChoiceField(
                    label=indicator.text,
                    choices=INDICATOR_CHOICES,
                    initial="na",
                    required=False,
                    widget=forms.RadioSelect,
                )

    def rows(self) -> list[dict[str, Any]]:
        """Bound fields per competency, for the template."""
        return [
            {
                "competency": c,
                "level": self[f"level_{c.pk}"],
                "evidence": self[f"evidence_{c.pk}"],
                "statement": c.translated("statement"),
                "indicators": [self[f"indicator_{i.pk}"] for i in self._marked(c)],
                "anchors": [] if self.marks_indicators else [i.text for i in c.indicators.all()],
            }
            for c in self.competencies
        ]

    def _marked(self, competency: Competency) -> list[Any]:
        return list(competency.indicators.all()) if self.marks_indicators else []

    def marks(self) -> dict[str, dict[str, Any]]:
        """What was typed, per competency id: level (None: not rated), evidence, indicators."""
        data = self.cleaned_data
        return {
            str(c.pk): {
                "level": int(data[f"level_{c.pk}"]) if data[f"level_{c.pk}"] else None,
                "evidence": data[f"evidence_{c.pk}"],
                "indicators": {
                    str(i.pk): data[f"indicator_{i.pk}"] or "na" for i in self._marked(c)
                },
            }
            for c in self.competencies
        }


def initial_from(marks: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Form initial values from saved marks (a draft observation)."""
    initial: dict[str, Any] = {}
    for competency, mark in marks.items():
        level = mark.get("level")
        initial[f"level_{competency}"] = "" if level is None else str(level)
        initial[f"evidence_{competency}"] = mark.get("evidence", "")
        for indicator, seen in mark.get("indicators", {}).items():
            initial[f"indicator_{indicator}"] = seen
    return initial


class ObservationForm(forms.ModelForm):
    def __init__(self, *args: Any, activities: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"] = forms.ChoiceField(
            label=_("Activity observed"), choices=[(a, a) for a in activities]
        )
        self.fields["observed_on"].initial = dt.date.today

    class Meta:
        model = Observation
        fields = ["activity", "setting", "observed_on"]
        widgets = {"observed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class FeedbackRequestForm(forms.Form):
    source = forms.ChoiceField(label=_("The rater is the person's"), choices=[])
    rater_name = forms.CharField(label=_("Rater's name"), max_length=200)
    groups = forms.MultipleChoiceField(
        label=_("Competencies to rate"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The rater sees the competencies of the groups ticked here, and nothing else."),
    )

    def __init__(self, *args: Any, groups: list[Any], **kwargs: Any) -> None:
        from rtwcomp.assessments.models import FeedbackRequest

        super().__init__(*args, **kwargs)
        self.fields["source"].choices = FeedbackRequest.SOURCES
        self.fields["groups"].choices = [(g.key, g.name) for g in groups]


class RoundForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("For example “Spring 2027” (at most 120 characters)."),
    )
    starts_on = forms.DateField(
        label=_("Starts"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("YYYY-MM-DD"),
    )
    ends_on = forms.DateField(
        label=_("Ends"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("YYYY-MM-DD; the last day of the round. Rounds never overlap."),
    )


class SettingsForm(forms.Form):
    """The scale and the activity list, one entry per line; the rules are in `scales`."""

    scale = forms.CharField(
        label=_("Proficiency scale"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One label per line, from level 0 up: 2 to 5 levels, each at most 60 characters."
        ),
    )
    activities = forms.CharField(
        label=_("RTW activities an observer chooses from"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: 1 to 30 activities, each at most 120 characters."),
    )
