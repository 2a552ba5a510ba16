"""Forms of the development pages: validation only; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from rtwcomp.assessments.models import LEVELS
from rtwcomp.development.models import Activity, MaintenanceEntry
from rtwcomp.frameworks.models import Competency
from rtwcomp.surveys.models import MAINTAINED_CHOICES

MAX_NOTES = 2000
MAX_DESCRIPTION = 500
MAX_NOTE = 500


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")  # a date input takes ISO in every language


def competency_field(framework: Any, label: Any) -> forms.ModelChoiceField:
    queryset = Competency.objects.filter(framework=framework).select_related("group")
    return forms.ModelChoiceField(
        label=label, queryset=queryset.order_by("group__position", "position")
    )


class NewPlanForm(forms.Form):
    profile = forms.ModelChoiceField(
        label=_("Role profile"),
        queryset=None,
        required=False,
        empty_label=_("none: start with no goals"),
        help_text=_(
            "The plan starts with one goal per gap to this profile, most pressing first; "
            "personal attributes are left out (they are selected for, not trained)."
        ),
    )

    def __init__(self, *args: Any, profiles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles


class PlanForm(forms.Form):
    reassess_on = forms.DateField(
        label=_("Reassessment date"),
        required=False,
        widget=DateInput,
        help_text=_("The coordinator is reminded by e-mail when it comes."),
    )


class GoalForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Target level"), choices=LEVELS, coerce=int)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput)
    done_on = forms.DateField(
        label=_("Reached on"),
        required=False,
        widget=DateInput,
        help_text=_("The day the goal was reached: a milestone on the progress chart."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("At most 2,000 characters."),
    )


class NewGoalForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Target level"), choices=LEVELS, coerce=int)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput)

    def __init__(self, *args: Any, framework: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"competency": competency_field(framework, _("Competency")), **self.fields}


class ActivityForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"), choices=Activity.Route.choices)
    description = forms.CharField(
        label=_("Activity"),
        max_length=MAX_DESCRIPTION,
        help_text=_("What will be done (at most 500 characters)."),
    )
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    activity = forms.TypedChoiceField(
        label=_("For the activity"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, goal: Any, limit: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, PNG, JPEG, plain text, Word or Excel; at most %(limit)s. The type is "
            "checked from the content, not the name."
        ) % {"limit": filesizeformat(limit)}
        self.fields["activity"].choices = [("", _("the goal as a whole"))] + [
            (a.pk, a.description) for a in goal.activities.all()
        ]


class MaintenanceForm(forms.Form):
    done_on = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("How kept up"), choices=MaintenanceEntry.KINDS)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        help_text=_("At most 500 characters."),
    )

    def __init__(self, *args: Any, framework: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"competency": competency_field(framework, _("Competency")), **self.fields}
        self.fields["kind"].choices = [
            (value, french if _french() else english)
            for value, english, french in MAINTAINED_CHOICES
        ]


def _french() -> bool:
    return (translation.get_language() or "en").startswith("fr")
