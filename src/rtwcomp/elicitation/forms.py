"""Forms of the elicitation pages: validation only; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rtwcomp.elicitation import clustering
from rtwcomp.elicitation.models import Participant, Project, Session
from rtwcomp.frameworks.models import Competency, Framework


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Project name"), max_length=200)
    role = forms.CharField(label=_("Role studied"), max_length=120, initial=clustering.DEFAULT_ROLE)


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["code", "date", "place", "country", "facilitator"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class ParticipantForm(forms.ModelForm):
    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = project.sessions.all()

    class Meta:
        model = Participant
        fields = ["code", "session", "profession", "years_experience"]


class PasteForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none())
    participant = forms.ModelChoiceField(
        label=_("Participant (optional)"), queryset=Participant.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("Statements, one per line"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Start a line with a participant code and a colon, e.g. “P03: …”, to "
            "record who said it."
        ),
        max_length=200_000,
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = project.sessions.all()
        self.fields["participant"].queryset = project.participants.all()


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: session, text; optional statement_id, participant."),
    )


class SuggestForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[("lexical", _("Lexical (shared words)")), ("semantic", _("Semantic (meaning)"))],
    )
    threshold = forms.FloatField(
        label=_("Similarity threshold (blank: the measured default)"),
        required=False,
        min_value=-1.0,
        max_value=1.0,
    )
    framework = forms.ModelChoiceField(
        label=_("Map onto a framework's items (optional)"),
        queryset=Framework.objects.all(),
        required=False,
        empty_label=_("No: cluster the statements among themselves"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if clustering.semantic_available():
            self.fields["method"].initial = "semantic"


class PromoteForm(forms.Form):
    slug = forms.SlugField(label=_("Framework slug"), max_length=80)
    name = forms.CharField(label=_("Framework name"), max_length=200)


KSAB_CHOICES = [("", "—"), *Competency.Ksab.choices]


def project_forms(project: Project, **bound: Any) -> dict[str, Any]:
    """The project page's forms: those given (bound, with their errors), the rest empty."""
    return {
        "session_form": bound.get("session_form") or SessionForm(prefix="session"),
        "participant_form": bound.get("participant_form")
        or ParticipantForm(project=project, prefix="participant"),
        "paste_form": bound.get("paste_form") or PasteForm(project=project),
        "upload_form": bound.get("upload_form") or UploadForm(),
        "upload_errors": bound.get("upload_errors", []),
    }
