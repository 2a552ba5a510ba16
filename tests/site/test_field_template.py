"""The form-field partial (_field.html): each field is named for assistive technology, and
every id its aria-describedby names exists."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class Form(forms.Form):
    name = forms.CharField(label="Name", help_text="As on your badge.")
    agree = forms.BooleanField(label="I agree")
    level = forms.ChoiceField(
        label="Level", choices=[("1", "one"), ("2", "two")], widget=forms.RadioSelect,
        help_text="Pick one.",
    )  # fmt: skip
    topics = forms.MultipleChoiceField(
        label="Topics", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )


def _html(form) -> str:
    return "".join(render_to_string("_field.html", {"field": field}) for field in form)


def test_a_list_of_choices_is_a_fieldset_named_by_its_legend():
    html = _html(Form(data={"name": ""}))
    assert 'for=""' not in html
    for legend in ("Level", "Topics"):
        assert re.search(rf"<fieldset[^>]*>\s*<legend>{legend}</legend>", html), legend
    assert '<label for="id_name">Name</label>' in html
    assert '<label for="id_agree">I agree</label>' in html


def test_every_described_by_id_exists():
    html = _html(Form(data={"name": ""}))  # errors on every required field
    ids = set(re.findall(r'id="([^"]+)"', html))
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described and all(i in ids for d in described for i in d.split()), described
    assert "id_level_helptext" in ids and "id_topics_error" in ids
