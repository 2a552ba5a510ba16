"""Who may see and change a study: its owner, its collaborators and superusers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from rtwcomp.surveys.models import Study


def is_researcher(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff run studies; the `surveys.add_study` permission also grants it."""
    return bool(user.is_authenticated and (user.is_staff or user.has_perm("surveys.add_study")))


def visible_studies(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Study]:
    if not user.is_authenticated:
        return Study.objects.none()
    if user.is_superuser:
        return Study.objects.all()
    return Study.objects.filter(Q(owner=user) | Q(collaborators=user)).distinct()


def study_for(user: AbstractBaseUser | AnonymousUser, slug: str) -> Study:
    """The study if this user may see it; 404 otherwise, so its existence is not revealed."""
    study = visible_studies(user).filter(slug=slug).first()
    if study is None:
        raise Http404("No such study")
    return study
