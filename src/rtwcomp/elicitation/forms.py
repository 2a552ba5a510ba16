"""Forms of the elicitation pages: validation only; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rtwcomp.elicitation import clustering, services
from rtwcomp.elicitation.models import Item, Participant, Project, Session, Statement
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
        help_text=_(
            "Columns: session, text; optional statement_id, participant (a code already "
            "added to the project), set_aside (yes or no)."
        ),
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


def _id(value: str) -> int | None:
    """A database id from a form value; anything else (or too large to be one) is None."""
    return int(value) if value.isdigit() and len(value) < 19 else None


def ids(values: list[str]) -> list[int]:
    return [i for i in map(_id, values) if i is not None]


def decisions(project: Project, data: Any) -> tuple[str, list[services.Decision]]:
    """The suggestions page's one form: the action and, per ticked suggestion (or the one
    whose own Accept button was pressed), its ticked statements, wording and target.

    Wording left as proposed follows the ticked statements (an empty text lets
    `services.accept` word the item from them).
    """
    only = data.get("only", "")
    action = "accept" if only else data.get("action", "")
    keys = [only] if only else data.getlist("proposal")
    wanted = {key: ids(data.getlist(f"statement-{key}")) for key in keys}
    found = {
        s.pk: s for s in project.statements.filter(pk__in=[i for v in wanted.values() for i in v])
    }
    targets = {
        i.pk: i
        for i in project.items.filter(pk__in=ids([data.get(f"target-{k}", "") for k in keys]))
    }
    chosen = []
    for key in keys:
        text = data.get(f"text-{key}", "").strip()[: services.MAX_STATEMENT_CHARS]
        if text == data.get(f"proposed-{key}", "").strip():
            text = ""
        target = targets.get(_id(data.get(f"target-{key}", "")) or 0)
        statements = [found[i] for i in wanted[key] if i in found]
        chosen.append(services.Decision(statements, text, target))
    return action, chosen


class StatementFilter(forms.Form):
    """The statements table's search: words in the text, a session, set-aside or not."""

    q = forms.CharField(label=_("Search the text"), max_length=200, required=False)
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("All sessions"),
    )
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All statements")),
            ("open", _("Not yet in an item")),
            ("filed", _("In an item")),
            ("aside", _("Set aside")),
        ],
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = project.sessions.all()  # type: ignore[attr-defined]


class StatementEditForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"), max_length=services.MAX_STATEMENT_CHARS, widget=forms.Textarea
    )


def statements_of(project: Project, values: list[str]) -> list[Statement]:
    return list(project.statements.filter(pk__in=ids(values)).order_by("position"))


def items_of(project: Project, values: list[str]) -> list[Item]:
    return list(project.items.filter(pk__in=ids(values)).order_by("code"))
