"""Forms researchers use to set a study up: the study (items, texts, settings, dates), its
questions about respondents, and the panel upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from rtwcomp.frameworks import selectors
from rtwcomp.frameworks import services as frameworks
from rtwcomp.frameworks.models import Framework
from rtwcomp.surveys.models import Question, Study

#: the texts a study has in French besides English: the form field of each is "<name>_fr"
FRENCH_TEXTS = ("name", "description", "thanks")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StudyForm(forms.Form):
    name = forms.CharField(label=_("Name (English)"), max_length=200)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200, required=False)
    framework = forms.ModelChoiceField(
        label=_("Framework version"),
        queryset=Framework.objects.all(),
        empty_label=None,
        help_text=_(
            "A study on a draft version can be prepared and previewed; it opens once that "
            "version is published."
        ),
    )
    selection = forms.ChoiceField(
        label=_("Items asked"),
        widget=forms.RadioSelect,
        initial="all",
        choices=[
            ("all", _("Every item of the framework")),
            ("cited", _("The N most cited items")),
            ("per_group", _("The N most cited items of each group")),
            ("proportional", _("N items in all, shared among the groups by their size")),
            ("hand", _("Only the items checked in the list")),
        ],
        help_text=_("Items checked in the list are added to the other choices."),
    )
    count = forms.IntegerField(label=_("N"), required=False, min_value=1, max_value=1000)
    codes = forms.MultipleChoiceField(label=_("Items"), required=False)
    search = forms.CharField(label=_("Find items"), required=False, max_length=100)
    description = forms.CharField(
        label=_("Introduction (English)"), widget=forms.Textarea, required=False, max_length=5000
    )
    description_fr = forms.CharField(
        label=_("Introduction (French)"), widget=forms.Textarea, required=False, max_length=5000
    )
    thanks = forms.CharField(
        label=_("Thank-you text (English)"),
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        help_text=_("Shown after the answers are submitted; blank: a standard thank-you."),
    )
    thanks_fr = forms.CharField(
        label=_("Thank-you text (French)"), widget=forms.Textarea, required=False, max_length=2000
    )
    access = forms.ChoiceField(label=_("Access"), choices=Study.Access.choices)
    access_code = forms.CharField(label=_("Access code (optional)"), required=False, max_length=60)
    anonymous = forms.BooleanField(label=_("Anonymous responses"), required=False, initial=True)
    ask_acquired = forms.BooleanField(
        label=_("Ask how each competency was acquired"), required=False
    )
    ask_maintained = forms.BooleanField(
        label=_("Ask how each competency is kept up"), required=False
    )
    items_per_page = forms.IntegerField(
        label=_("Items per page"), min_value=5, max_value=20, initial=12
    )
    answer_rule = forms.ChoiceField(
        label=_("Unanswered items"), choices=Study.AnswerRule.choices, initial="soft"
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at (optional)"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=_("Before this moment respondents are told when the study opens (UTC)."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at (optional)"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=_("From this moment respondents are told the study has closed (UTC)."),
    )
    top = forms.IntegerField(label=_("Top categories start at"), initial=4, min_value=1)
    key_share = forms.FloatField(
        label=_("Key item: share in top categories above"),
        initial=0.5,
        min_value=0.01,
        max_value=0.99,
    )
    delphi = forms.BooleanField(label=_("Run in Delphi rounds"), required=False)
    consensus_share = forms.FloatField(
        label=_("Consensus: share in top categories at least"),
        initial=0.7,
        min_value=0.01,
        max_value=1,
    )
    consensus_iqr = forms.FloatField(
        label=_("Consensus: interquartile range at most"), initial=1.0, min_value=0, max_value=4
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = selectors.visible(user)
        self.fields["framework"].queryset = visible  # type: ignore[attr-defined]
        self.fields["framework"].label_from_instance = _version_label  # type: ignore[attr-defined]
        current = frameworks.current(frameworks.DEFAULT_SLUG, visible)
        if current is not None and "framework" not in self.initial:
            self.fields["framework"].initial = current.pk
        framework = self.chosen_framework()
        codes = framework.competencies.values_list("code", flat=True) if framework else []
        self.fields["codes"].choices = [(code, code) for code in codes]  # type: ignore[attr-defined]

    @classmethod
    def redrawn(cls, data: QueryDict, user: Any) -> StudyForm:
        """The form as sent, drawn again without checking it (to search or show the
        selection before saving)."""
        initial = {name: data.get(name) for name in data if name not in ("codes", "step")}
        initial["codes"] = data.getlist("codes")
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.BooleanField):
                initial[name] = name in data
        return cls(initial=initial, user=user)

    def value(self, name: str) -> Any:
        """A field's current value: as sent when bound, else its initial value."""
        if self.is_bound:
            if name == "codes":
                return self.data.getlist("codes")  # type: ignore[attr-defined]
            return self.data.get(name, "")
        return self.initial.get(name, self.fields[name].initial)

    def chosen_framework(self) -> Framework | None:
        queryset = self.fields["framework"].queryset  # type: ignore[attr-defined]
        wanted = self.value("framework")
        found = queryset.filter(pk=wanted).first() if str(wanted or "").isdigit() else None
        return found or queryset.filter(pk=self.fields["framework"].initial).first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("delphi") and data.get("anonymous"):
            self.add_error(
                "anonymous",
                _(
                    "A Delphi study shows panellists their own earlier ratings, so it cannot be "
                    "anonymous."
                ),
            )
        if data.get("delphi") and data.get("access") != Study.Access.INVITATION:
            self.add_error("access", _("A Delphi study runs with invitations."))
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing moment must come after the opening."))
        if data.get("selection") in ("cited", "per_group", "proportional") and not data.get(
            "count"
        ):
            self.add_error("count", _("Give N, the number of items."))
        return data

    def setup(self) -> dict[str, Any]:
        """The study's fields for `studies.create_study` / `studies.edit_study`: the items
        as {"how", "count", "codes"}, the French texts in `translations`."""
        data = dict(self.cleaned_data)
        french = {name: data.pop(f"{name}_fr") for name in FRENCH_TEXTS}
        data["translations"] = {"fr": {k: v for k, v in french.items() if v}}
        data["items"] = {
            "how": data.pop("selection"),
            "count": data.pop("count"),
            "codes": data.pop("codes"),
        }
        data.pop("search")
        return data


def study_initial(study: Study) -> dict[str, Any]:
    """A study's current settings as the edit form's initial values (its items by hand)."""
    fields = [f for f in StudyForm.base_fields if f not in ("selection", "count", "codes")]
    initial = {f: getattr(study, f) for f in fields if hasattr(study, f)}
    french = study.translations.get("fr", {})
    initial.update({f"{name}_fr": french.get(name, "") for name in FRENCH_TEXTS})
    initial["framework"] = study.framework_id
    initial["selection"] = "hand"
    initial["codes"] = [i.competency.code for i in study.items.select_related("competency")]
    return initial


class PanelForm(forms.Form):
    panel = forms.FileField(
        label=_("Panel CSV"),
        help_text=_("Columns: email, and optionally name and language (en or fr)."),
    )


# --- questions about respondents ---------------------------------------------------------

OTHER = {
    "value": "other",
    "label": "Other, please specify",
    "translations": {"fr": "Autre, veuillez préciser"},
}


class QuestionForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        help_text=_("The column name in exports: letters, digits, - and _."),
    )
    label = forms.CharField(label=_("Question (English)"), max_length=300)
    label_fr = forms.CharField(label=_("Question (French)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line: code | English label | French label. Only for one or several choices."
        ),
    )
    other = forms.BooleanField(
        label=_("Offer “Other, please specify” with a text box"), required=False
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        if key.endswith("_other"):
            raise forms.ValidationError(_("A key must not end in “_other”."))
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "choices" not in data or "kind" not in data:
            return data
        try:
            choices = parse_choices(data["choices"])
        except ValueError as error:
            self.add_error("choices", str(error))
            return data
        if data["kind"] in (Question.Kind.CHOICE, Question.Kind.MULTI):
            choices = _with_other(choices, data.get("other", False))
            if len(choices) < 2:
                self.add_error("choices", _("Give at least two choices."))
        data["choices"] = choices
        return data

    def question(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ("key", "label", "label_fr", "kind", "choices", "required")
        return {k: data[k] for k in keys}


def parse_choices(text: str) -> list[dict[str, Any]]:
    """Lines "code | English | French" (the code may be left out: made from the English)."""
    choices: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        if len(parts) == 1:
            parts = [slugify(parts[0])[:40], *parts]
        if len(parts) > 3:
            raise ValueError(
                _("Line %(n)d: at most three parts, code | English | French.") % {"n": number}
            )
        code, english, french = (parts + [""])[:3]
        if not code or not english or len(code) > 40 or slugify(code) != code.lower():
            raise ValueError(
                _("Line %(n)d: a code (letters, digits, - or _) and an English label.")
                % {"n": number}
            )
        choices.append(
            {"value": code, "label": english, "translations": {"fr": french} if french else {}}
        )
    codes = [c["value"] for c in choices]
    if len(set(codes)) != len(codes):
        raise ValueError(_("Each choice needs its own code."))
    return choices


def _with_other(choices: list[dict[str, Any]], wanted: bool) -> list[dict[str, Any]]:
    """The choices with "other" marked to ask for a text (added when missing), or unmarked."""
    found = [{k: v for k, v in c.items() if k != "specify"} for c in choices]
    if not wanted:
        return found
    if not any(c["value"] == OTHER["value"] for c in found):
        found.append(dict(OTHER))
    for choice in found:
        if choice["value"] == OTHER["value"]:
            choice["specify"] = True
    return found


def question_initial(question: Question) -> dict[str, Any]:
    lines = [
        " | ".join(filter(None, [c["value"], c["label"], c.get("translations", {}).get("fr", "")]))
        for c in question.choices
    ]
    return {
        "key": question.key,
        "label": question.label,
        "label_fr": question.translations.get("fr", {}).get("label", ""),
        "kind": question.kind,
        "choices": "\n".join(lines),
        "other": any(c.get("specify") for c in question.choices),
        "required": question.required,
    }


QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=1, can_order=True, can_delete=True, max_num=30, validate_max=True
)


def question_formset(data: QueryDict | None, questions: list[Question]) -> Any:
    """The study's questions as forms (and a blank one to add), ordered and deletable."""
    initial = [{**question_initial(q), "ORDER": i} for i, q in enumerate(questions, start=1)]
    return QuestionFormSet(data, initial=initial, prefix="q")


def ordered_questions(formset: Any) -> list[dict[str, Any]]:
    """The kept questions of a valid formset, in the order given."""
    return [form.question() for form in formset.ordered_forms]


def _version_label(framework: Framework) -> str:
    """A version in the choice list, drafts marked as such (they cannot be opened yet)."""
    if framework.status == Framework.Status.DRAFT:
        return f"{framework} ({framework.get_status_display()})"
    return str(framework)
