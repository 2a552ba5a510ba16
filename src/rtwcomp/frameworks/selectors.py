"""Framework versions as one user may see them: published versions for everyone, drafts
for their owner and collaborators (rules in `rtwcomp.permissions`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch
from django.http import Http404

from rtwcomp import permissions
from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import BehaviouralIndicator, Competency, Framework, Group


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


def detail_page(user: Any, framework: Framework, query: str, ksab: str) -> dict[str, Any]:
    """One version's groups with the competencies matching the search `query` and the KSAB
    type `ksab` (either may be blank), groups left empty hidden."""
    competencies = framework.competencies.all()
    if ksab in Competency.Ksab.values:
        competencies = competencies.filter(ksab_type=ksab)
    if query:
        competencies = competencies.filter(search_text__contains=query.casefold())
    groups = framework.groups.prefetch_related(Prefetch("competencies", queryset=competencies))
    shown = [g for g in groups if g.competencies.all()]
    return {
        "framework": framework,
        "groups": shown,
        "shown": sum(len(g.competencies.all()) for g in shown),
        "total": framework.competencies.count(),
        "query": query,
        "ksab": ksab,
        "ksab_choices": Competency.Ksab.choices,
        "versions": versions(user, framework.slug),
        # a superuser holds every permission; only a draft has something to publish
        "can_publish": framework.status == Framework.Status.DRAFT
        and user.has_perm("frameworks.publish_framework", framework),
    }


def publish_page(framework: Framework) -> dict[str, Any]:
    """What publishing `framework` freezes: its groups (each with its competency count), and
    the counts of competencies and indicators."""
    groups = framework.groups.annotate(competency_count=Count("competencies"))
    return {
        "framework": framework,
        "groups": groups,
        "competency_count": framework.competencies.count(),
        "indicator_count": BehaviouralIndicator.objects.filter(
            competency__framework=framework
        ).count(),
    }


# --- the changes between two versions ------------------------------------------------------


@dataclass
class Changed:
    """One group or competency present in both versions, with its fields that differ as
    (field, before, after)."""

    code: str
    label: str
    fields: list[tuple[str, str, str]]


@dataclass
class Changes:
    """Added and removed (code, label) pairs, and the changed ones, all in code order."""

    added: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class VersionDiff:
    old: Framework
    new: Framework
    groups: Changes
    competencies: Changes

    def __bool__(self) -> bool:
        return bool(self.groups or self.competencies)


def _translated_fields(translations: dict[str, Any]) -> dict[str, str]:
    return {
        f"{name} ({language})": str(text)
        for language, fields in sorted(translations.items())
        for name, text in sorted(fields.items())
    }


def _group_fields(group: Group) -> dict[str, str]:
    return {
        "name": group.name,
        "description": group.description,
        **_translated_fields(group.translations),
    }


def _competency_fields(competency: Competency) -> dict[str, str]:
    return {
        "group": competency.group.key,
        "ksab_type": competency.ksab_type,
        "statement": competency.statement,
        "notes": competency.notes,
        "sources": " ; ".join(competency.source_list()),
        "indicators": " | ".join(i.text for i in competency.indicators.all()),
        **_translated_fields(competency.translations),
    }


def _compare(old: dict[str, tuple[str, dict[str, str]]], new: dict[str, Any]) -> Changes:
    """Changes between two {code: (label, fields)} mappings."""
    changes = Changes(
        added=[(code, new[code][0]) for code in sorted(new.keys() - old.keys())],
        removed=[(code, old[code][0]) for code in sorted(old.keys() - new.keys())],
    )
    for code in sorted(old.keys() & new.keys()):
        before, after = old[code][1], new[code][1]
        names = list(dict.fromkeys([*before, *after]))
        differ = [
            (name, before.get(name, ""), after.get(name, ""))
            for name in names
            if before.get(name, "") != after.get(name, "")
        ]
        if differ:
            changes.changed.append(Changed(code, new[code][0], differ))
    return changes


def _groups(framework: Framework) -> dict[str, tuple[str, dict[str, str]]]:
    return {g.key: (g.name, _group_fields(g)) for g in framework.groups.all()}


def _competencies(framework: Framework) -> dict[str, tuple[str, dict[str, str]]]:
    found = framework.competencies.select_related("group").prefetch_related("indicators")
    return {c.code: (c.statement, _competency_fields(c)) for c in found}


def diff(old: Framework, new: Framework) -> VersionDiff:
    """What changed from version `old` to `new`: groups by key, competencies by code (the CLI's
    `framework diff` and the compare page both show this)."""
    return VersionDiff(
        old=old,
        new=new,
        groups=_compare(_groups(old), _groups(new)),
        competencies=_compare(_competencies(old), _competencies(new)),
    )


def compare_page(user: Any, slug: str, old: int | None, new: int | None) -> dict[str, Any]:
    """Two versions of `slug` that `user` may see (default: the latest and the one before
    it) and their differences; 404 when either is not visible."""
    numbers = list(versions(user, slug).values_list("version", flat=True))
    if not numbers:
        raise Http404("No such framework")
    new = numbers[0] if new is None else new
    old = (numbers[1] if len(numbers) > 1 else numbers[0]) if old is None else old
    changes = diff(version(user, slug, old), version(user, slug, new))
    return {"framework": changes.new, "diff": changes, "numbers": numbers}
