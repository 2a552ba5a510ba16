"""The changes between two versions: `rtwcomp framework diff` and the compare page, both
from `selectors.diff`."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rtwcomp.cli import main
from rtwcomp.frameworks import selectors, services
from rtwcomp.frameworks.models import Competency, Group


@pytest.fixture
def second(default_framework):
    """Version 2: RTWC-001 reworded and moved, RTWC-002 removed, RTWC-900 and a group
    added, a group renamed."""
    draft = services.new_draft(default_framework)
    first = draft.competencies.get(code="RTWC-001")
    first.statement = "Plans the caseload"
    first.group = draft.groups.get(key="communication")
    first.translations = {"fr": {"statement": "Planifie"}}
    first.save()
    draft.competencies.get(code="RTWC-002").delete()
    added = Group.objects.create(framework=draft, position=9, key="digital", name="Digital")
    Competency.objects.create(
        framework=draft, group=added, position=200, code="RTWC-900",
        statement="Uses the case system", ksab_type="skill",
    )  # fmt: skip
    renamed = draft.groups.get(key="administration")
    renamed.name = "Administration and planning"
    renamed.save()
    return draft


def test_diff_names_every_change(default_framework, second):
    changes = selectors.diff(default_framework, second)
    assert changes.competencies.added == [("RTWC-900", "Uses the case system")]
    assert [code for code, _ in changes.competencies.removed] == ["RTWC-002"]
    (changed,) = changes.competencies.changed
    assert changed.code == "RTWC-001"
    fields = {name: (before, after) for name, before, after in changed.fields}
    assert fields["statement"][1] == "Plans the caseload"
    assert fields["group"] == ("administration", "communication")
    assert fields["statement (fr)"][1] == "Planifie"
    assert set(fields) == {"statement", "group", "statement (fr)"}
    assert changes.groups.added == [("digital", "Digital")]
    assert [(c.code, c.fields[0][0]) for c in changes.groups.changed] == [
        ("administration", "name")
    ]
    assert not selectors.diff(default_framework, default_framework)


def test_cli_diff(second, capsys):
    assert main(["framework", "diff", "rtw-coordinator", "1", "2"]) == 0
    out = capsys.readouterr().out
    assert "+ competency RTWC-900: Uses the case system" in out
    assert "- competency RTWC-002:" in out
    assert "~ competency RTWC-001:" in out
    assert "    group: 'administration' -> 'communication'" in out
    assert "+ group digital: Digital" in out
    assert main(["framework", "diff", "rtw-coordinator", "1", "9"]) == 2
    assert "no framework 'rtw-coordinator' version 9" in capsys.readouterr().err


def test_compare_page(second):
    owner_less = Client()  # the draft has no owner: only a superuser sees it
    from django.contrib.auth.models import User

    owner_less.force_login(User.objects.create_superuser("root", password="x-long-pass-1"))
    detail = owner_less.get(reverse("frameworks:detail", args=["rtw-coordinator"]))
    compare = reverse("frameworks:compare", args=["rtw-coordinator"])
    assert compare in detail.content.decode()
    page = owner_less.get(compare).content.decode()  # default: the last two versions
    assert "Changes from version 1 to 2" in page
    assert "RTWC-900" in page and "Plans the caseload" in page and "Digital" in page
    assert (
        owner_less.get(compare, {"from": "2", "to": "2"}).content.decode().count("No differences.")
        == 1
    )
    # A draft is not public: anonymous visitors get 404 when it is asked for.
    assert Client().get(compare, {"from": "1", "to": "2"}).status_code == 404
