"""Forms of the mentorship pages: validation only; the rules are in services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rtwcomp.assessments.models import Organisation, Person
from rtwcomp.mentoring.models import MAX_CAPACITY, MAX_NEXT_STEPS, MAX_NOTES, MAX_REASON

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # ISO in every language


class BasisForm(forms.Form):
    """What the matching is computed from (a GET form: changing it changes nothing)."""

    profile = forms.ChoiceField(
        label=_("Role profile"),
        help_text=_("Needs are the gaps to this profile."),
    )
    round = forms.ChoiceField(
        label=_("Assessment round"),
        required=False,
        help_text=_("Ratings given up to the round's last day; all ratings when empty."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = [(str(p.pk), p.name) for p in organisation.profiles.all()]
        self.fields["round"].choices = [("", _("all ratings"))] + [
            (str(r.pk), r.name) for r in organisation.rounds.all()
        ]


class CapacityForm(forms.Form):
    """One capacity per mentor of the organisation."""

    def __init__(self, *args: Any, mentors: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in mentors:
            name = f"capacity_{row['person'].pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Capacity of %(name)s") % {"name": row["person"].name},
                min_value=0,
                max_value=MAX_CAPACITY,
                initial=row["capacity"],
                help_text=_("%(taken)d mentee(s) now; 0 to 20.") % {"taken": row["taken"]},
            )
            self.rows.append(self[name])

    def capacities(self) -> dict[int, int]:
        return {int(n.split("_")[1]): v for n, v in self.cleaned_data.items()}


class OverrideForm(forms.Form):
    mentee = forms.ModelChoiceField(label=_("Mentee"), queryset=Person.objects.none())
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Person.objects.none())
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the pair (at most 2,000 characters)."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = organisation.people.order_by("name")
        self.fields["mentee"].queryset = people.filter(is_coordinator=True)
        self.fields["mentor"].queryset = people.filter(is_mentor=True)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE, initial=dt.date.today)
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies discussed"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Choose several with Ctrl or Shift."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 4,000 characters."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=MAX_NEXT_STEPS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("At most 2,000 characters."),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Plan goals"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Goals of the mentee's development plans this meeting worked on."),
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = choices["competencies"]
        self.fields["competencies"].label_from_instance = lambda c: f"{c.code} {c.statement}"
        self.fields["goals"].queryset = choices["goals"]
        if not choices["goals"].exists():
            del self.fields["goals"]


class ObserveForm(forms.Form):
    activity = forms.ChoiceField(label=_("Activity to observe"))
    observed_on = forms.DateField(label=_("Date"), widget=DATE, initial=dt.date.today)

    def __init__(self, *args: Any, activities: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [(a, a) for a in activities]
