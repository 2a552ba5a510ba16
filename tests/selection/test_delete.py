"""A candidate deleted on request leaves no row behind: every table is counted before and
after, and no text column anywhere still holds their name or address."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.test import Client

from rtwcomp.selection import services
from rtwcomp.selection.models import Candidate, Score, ScoreSheet

NAME, EMAIL = "Zelda Unforgettable", "zelda.unforgettable@example.net"


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed
    }


def _mentions(text: str) -> list[str]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            f.name
            for f in model._meta.fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        for name in fields:
            lookup = {f"{name}__icontains": text}
            if isinstance(model._meta.get_field(name), models.JSONField):
                continue  # JSON columns hold no candidate data; checked by the counts
            if model._default_manager.filter(**lookup).exists():
                found.append(f"{model._meta.label}.{name}")
    return found


def test_deleting_a_candidate_removes_every_row_about_them(hiring, world):
    zelda = services.add_candidate(hiring.vacancy, name=NAME, email=EMAIL, notes="Referred")
    items = list(hiring.guide.items.all())
    services.save_sheet(
        zelda, world.users["sue"], {i.pk: (3, f"{NAME} did well") for i in items}, submit=True
    )
    services.save_sheet(zelda, world.users["ben"], {items[0].pk: (2, "")}, submit=False)
    kept = hiring.candidates[0]
    services.save_sheet(kept, world.users["sue"], {items[0].pk: (1, "")}, submit=True)
    assert _mentions(NAME) and _mentions(EMAIL)
    client = Client()
    client.force_login(world.admin)  # its session row is made before counting
    before = _counts()
    confirm = client.get(f"/selection/candidates/{zelda.pk}/delete/")
    assert confirm.status_code == 200
    deleted = client.post(f"/selection/candidates/{zelda.pk}/delete/")
    assert deleted.status_code == 302

    after = _counts()
    changed = {
        label: before[label] - after[label] for label in before if before[label] != after[label]
    }
    assert changed == {
        "selection.Candidate": 1,
        "selection.ScoreSheet": 2,
        "selection.Score": len(items) + 1,
    }
    assert _mentions(NAME) == [] and _mentions(EMAIL) == []
    # the other candidate's sheet is untouched
    assert Candidate.objects.filter(pk=kept.pk).exists()
    assert ScoreSheet.objects.filter(candidate=kept).count() == 1
    assert Score.objects.filter(sheet__candidate=kept).count() == 1


def test_only_programme_admins_delete_a_candidate(hiring, world):
    carla = hiring.candidates[0]
    for role in ("sue", "ben", "max", "ana", "outsider"):
        client = Client()
        client.force_login(world.users[role])
        assert client.post(f"/selection/candidates/{carla.pk}/delete/").status_code == 404, role
    assert Candidate.objects.filter(pk=carla.pk).exists()


def test_an_organisation_goes_with_its_guides_but_a_guides_profile_stays(hiring, world):
    """A guide's profile and a vacancy's guide cannot be deleted under them; deleting the
    whole organisation (`rtwcomp demo --remove`, the admin) takes everything together."""
    import pytest
    from django.db.models import RestrictedError

    with pytest.raises(RestrictedError):
        hiring.profile.delete()
    with pytest.raises(RestrictedError):
        hiring.guide.delete()
    world.organisation.delete()
    assert not Candidate.objects.exists() and not ScoreSheet.objects.exists()
