"""Forms researchers use to set a study up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rtwcomp.frameworks import selectors
from rtwcomp.frameworks import services as frameworks
from rtwcomp.frameworks.models import Framework
from rtwcomp.surveys.models import Study


class StudyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    framework = forms.ModelChoiceField(
        label=_("Framework version"), queryset=Framework.objects.all(), empty_label=None
    )
    items = forms.CharField(
        label=_("Items"),
        initial="all",
        max_length=4000,
        help_text=_(
            "“all”, a number N (the N most cited, or the first N), or competency codes "
            "separated by commas."
        ),
    )
    extras = forms.CharField(
        label=_("Extra items"),
        required=False,
        max_length=4000,
        help_text=_("Codes to add to the N most cited, separated by commas."),
    )
    description = forms.CharField(label=_("Introduction"), widget=forms.Textarea, required=False)
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
        current = frameworks.current(frameworks.DEFAULT_SLUG, visible)
        if current is not None:
            self.fields["framework"].initial = current.pk

    def clean_extras(self) -> list[str]:
        """The extra codes as a list, without blanks."""
        return [code for code in self.cleaned_data["extras"].split(",") if code.strip()]

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
        return data


class PanelForm(forms.Form):
    panel = forms.FileField(
        label=_("Panel CSV"),
        help_text=_("Columns: email, and optionally name and language (en or fr)."),
    )
