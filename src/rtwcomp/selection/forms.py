"""Forms of the selection pages: validation only; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rtwcomp.assessments.models import Organisation, RoleProfile
from rtwcomp.selection.models import (
    MAX_NOTE,
    MAX_NOTES,
    MAX_QUESTION,
    MAX_QUESTIONS,
    Candidate,
    GuideItem,
    InterviewGuide,
    ScoreSheet,
)

NOT_SCORED = ""


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question (English)"),
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A behavioural question: ask for a time the candidate did this "
            "(at most 1,000 characters)."
        ),
    )
    text_fr = forms.CharField(
        label=_("Question (French)"),
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "fr"}),
        help_text=_("The same question in French (at most 1,000 characters)."),
    )


class GuideForm(forms.Form):
    name = forms.CharField(label=_("Name of the guide"), max_length=120)
    profile = forms.ModelChoiceField(label=_("Role profile"), queryset=RoleProfile.objects.none())
    size = forms.IntegerField(
        label=_("Number of questions"),
        min_value=1,
        max_value=MAX_QUESTIONS,
        initial=8,
        help_text=_("From 1 to 40."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = organisation.profiles.all()  # type: ignore[attr-defined]


def panel_choices(organisation: Organisation) -> Any:
    """Who may sit on a hiring panel: the organisation's people with a log-in and its
    programme admins."""
    admins = Q(pk=organisation.owner_id) | Q(pk__in=organisation.collaborators.values("pk"))
    people = Q(pk__in=organisation.people.filter(user__isnull=False).values("user"))
    return User.objects.filter(admins | people, is_active=True).order_by("username")


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Title of the post"), max_length=200)
    guide = forms.ModelChoiceField(
        label=_("Interview guide"), queryset=InterviewGuide.objects.none()
    )
    panel = forms.ModelMultipleChoiceField(
        label=_("Hiring panel"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The interviewers: only they and the programme admins see the candidates."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guide"].queryset = organisation.interview_guides.all()  # type: ignore[attr-defined]
        self.fields["panel"].queryset = panel_choices(organisation)  # type: ignore[attr-defined]


class CandidateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Candidate
        fields = ["name", "email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "email": _("Optional."),
            "notes": _("At most 4,000 characters."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notes"].max_length = MAX_NOTES


class ScoreSheetForm(forms.Form):
    """A score 0-4 (or none yet) and a note per question of the guide."""

    def __init__(
        self, *args: Any, items: list[GuideItem], sheet: ScoreSheet | None, **kwargs: Any
    ) -> None:
        kept = {s.item_id: s for s in sheet.scores.all()} if sheet else {}
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [(NOT_SCORED, _("not scored")), *[(str(n), str(n)) for n in range(5)]]
        for n, item in enumerate(items, start=1):
            score = kept.get(item.pk)
            self.fields[f"score_{item.pk}"] = forms.ChoiceField(
                label=_("Score for question %(n)d") % {"n": n},
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=NOT_SCORED if score is None else str(score.score),
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note on question %(n)d") % {"n": n},
                required=False,
                max_length=MAX_NOTE,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial="" if score is None else score.note,
                help_text=_("What the answer showed (at most 2,000 characters)."),
            )

    def marks(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            item.pk: (
                None if data[f"score_{item.pk}"] == NOT_SCORED else int(data[f"score_{item.pk}"]),
                data[f"note_{item.pk}"],
            )
            for item in self.items
        }

    def fields_of(self, item: GuideItem) -> tuple[Any, Any]:
        return self[f"score_{item.pk}"], self[f"note_{item.pk}"]
