"""Framework versions as one user may see them: published versions for everyone, drafts
for their owner and collaborators (rules in `rtwcomp.permissions`)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from rtwcomp import permissions
from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import Framework


def visible(user: Any) -> Any:
    return permissions.visible(user, Framework.objects.all())


def latest_per_slug(user: Any) -> list[Framework]:
    """The current version of every framework `user` may see."""
    return services.latest_per_slug(visible(user))


def versions(user: Any, slug: str) -> Any:
    return services.versions(slug, visible(user))


def version(user: Any, slug: str, number: int | None = None) -> Framework:
    """Version `number` of `slug` (default: the current one), or 404 when `user` may not see
    it or it does not exist."""
    if number is None:
        found = services.current(slug, visible(user))
    elif not 0 < number < 2**31:
        found = None
    else:
        found = versions(user, slug).filter(version=number).first()
    if found is None:
        raise Http404("No such framework")
    return found
