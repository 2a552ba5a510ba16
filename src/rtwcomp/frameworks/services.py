"""Business rules for frameworks: import, export, publish, new draft, the default framework."""

from __future__ import annotations

from importlib import resources
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rtwcomp.frameworks.models import BehaviouralIndicator, Competency, Framework, Group
from rtwcomp.interop.csv_input import Record, raise_problems, read_table
from rtwcomp.interop.framework_csv import LIMITS as FRAMEWORK_LIMITS
from rtwcomp.interop.framework_csv import (
    CompetencyRow,
    FrameworkRows,
    GroupRow,
    framework_rows,
)

DEFAULT_SLUG = "rtw-coordinator"
DEFAULT_NAME = "RTW coordinator competencies"
DEFAULT_CITATION = (
    "Pransky G, Shaw WS, Loisel P, Hong QN, Désorcy B. Development and Validation of "
    "Competencies for Return to Work Coordinators. J Occup Rehabil 2010;20(1):41-48. "
    "doi:10.1007/s10926-009-9208-x"
)
DEFAULT_DESCRIPTION = (
    "Knowledge, skills, attitudes and behaviours of return-to-work coordinators, in the "
    "eight groups found by the 2010 study's focus groups and survey."
)
DEFAULT_DESCRIPTION_FR = (
    "Connaissances, habiletés, attitudes et comportements des coordonnateurs du retour au "
    "travail, dans les huit groupes dégagés par les groupes de discussion et le sondage de "
    "l'étude de 2010."
)


def versions(slug: str, among: QuerySet[Framework] | None = None) -> QuerySet[Framework]:
    """The versions of `slug`, newest first, among `among` (default: all)."""
    among = Framework.objects.all() if among is None else among
    return among.filter(slug=slug).order_by("-version")


def current(slug: str, among: QuerySet[Framework] | None = None) -> Framework | None:
    """The latest published version of a framework, else its latest draft."""
    published = versions(slug, among).filter(status=Framework.Status.PUBLISHED).first()
    return published or versions(slug, among).first()


def latest_per_slug(among: QuerySet[Framework] | None = None) -> list[Framework]:
    among = Framework.objects.all() if among is None else among
    slugs = among.values_list("slug", flat=True).distinct().order_by("slug")
    return [f for f in (current(slug, among) for slug in slugs) if f is not None]


class SlugTaken(ValueError):
    """The slug names a framework this user may not add a version to."""


# Slugs that name a page under /frameworks/ rather than a framework.
RESERVED_SLUGS = frozenset({"import"})


def check_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise SlugTaken(_("the slug '%(slug)s' is reserved: choose another") % {"slug": slug})


def check_new_version(slug: str, user: Any) -> None:
    """A new version of an existing framework is for those who may edit its latest one."""
    check_slug(slug)
    latest = versions(slug).first()
    if latest is not None and not user.has_perm("frameworks.add_version", latest):
        raise SlugTaken(
            _("the slug '%(slug)s' is taken by a framework you cannot change") % {"slug": slug}
        )


def next_version(slug: str) -> int:
    highest = Framework.objects.filter(slug=slug).aggregate(v=Max("version"))["v"]
    return (highest or 0) + 1


@transaction.atomic
def create_from_rows(rows: FrameworkRows, *, slug: str, name: str, **fields: Any) -> Framework:
    """Store parsed rows as a new draft version of `slug` (version 1 when new)."""
    check_slug(slug)
    framework = Framework.objects.create(slug=slug, version=next_version(slug), name=name, **fields)
    groups = {}
    for position, row in enumerate(rows.groups, start=1):
        groups[row.key] = Group.objects.create(
            framework=framework,
            position=position,
            key=row.key,
            name=row.key[:1].upper() + row.key[1:],
            description=row.description,
            translations=row.translations,
        )
    indicators = []
    for position, row in enumerate(rows.competencies, start=1):
        competency = Competency.objects.create(
            framework=framework,
            group=groups[row.group],
            position=position,
            code=row.code,
            statement=row.statement,
            ksab_type=row.ksab_type,
            notes=row.notes,
            sources="\n".join(row.sources),
            translations=row.translations,
        )
        indicators += [
            BehaviouralIndicator(competency=competency, position=i, text=text)
            for i, text in enumerate(row.indicators, start=1)
        ]
    BehaviouralIndicator.objects.bulk_create(indicators)
    return framework


def to_rows(framework: Framework) -> FrameworkRows:
    """The framework's content as plain rows, for export."""
    groups = [
        GroupRow(key=g.key, description=g.description, translations=g.translations)
        for g in framework.groups.all()
    ]
    competencies = [
        CompetencyRow(
            code=c.code,
            group=c.group.key,
            ksab_type=c.ksab_type,
            statement=c.statement,
            notes=c.notes,
            sources=c.source_list(),
            indicators=[i.text for i in c.indicators.all()],
            translations=c.translations,
        )
        for c in framework.competencies.select_related("group").prefetch_related("indicators")
    ]
    return FrameworkRows(groups=groups, competencies=competencies)


def item_rows(framework: Framework) -> list[tuple[str, str, str]]:
    """(code, group name, statement) of every competency: the rows of an items file, named
    as a study's items are (`surveys.results.item_table`)."""
    found = framework.competencies.select_related("group").order_by("position")
    return [(c.code, c.group.name, c.statement) for c in found]


def to_dict(framework: Framework) -> dict[str, Any]:
    """The framework as nested data: groups, each with its competencies."""
    competencies = framework.competencies.prefetch_related("indicators")
    by_group: dict[int, list[dict[str, Any]]] = {}
    for c in competencies:
        by_group.setdefault(c.group_id, []).append(
            {
                "code": c.code,
                "statement": c.statement,
                "ksab_type": c.ksab_type,
                "notes": c.notes,
                "sources": c.source_list(),
                "indicators": [i.text for i in c.indicators.all()],
                "translations": c.translations,
            }
        )
    return {
        "slug": framework.slug,
        "name": framework.name,
        "version": framework.version,
        "status": framework.status,
        "language": framework.language,
        "description": framework.description,
        "citation": framework.citation,
        "source": framework.source,
        "published_at": framework.published_at.isoformat() if framework.published_at else None,
        "translations": framework.translations,
        "groups": [
            {
                "key": g.key,
                "name": g.name,
                "position": g.position,
                "description": g.description,
                "translations": g.translations,
                "competencies": by_group.get(g.id, []),
            }
            for g in framework.groups.all()
        ],
    }


def publish(framework: Framework) -> Framework:
    """Freeze this version: from now on it can only be copied into a new draft."""
    if not framework.is_published:
        framework.status = Framework.Status.PUBLISHED
        framework.published_at = timezone.now()
        framework.save(update_fields=["status", "published_at"])
    return framework


def new_draft(framework: Framework) -> Framework:
    """A new draft version holding a copy of `framework`'s content, ready to edit, with the
    same owner and collaborators."""
    draft = create_from_rows(
        to_rows(framework),
        slug=framework.slug,
        name=framework.name,
        description=framework.description,
        language=framework.language,
        citation=framework.citation,
        source=framework.source,
        translations=framework.translations,
        exchange=framework.exchange,  # identifiers an exchange format gave it, kept
        owner=framework.owner,
    )
    draft.collaborators.set(framework.collaborators.all())
    return draft


def _data_records(name: str) -> list[Record]:
    """A CSV shipped in the package, read like any imported file."""
    with (resources.files("rtwcomp.frameworks") / "data" / name).open("rb") as handle:
        table = read_table(handle, name, (), FRAMEWORK_LIMITS)
    raise_problems(table.problems)
    return table.records


def default_rows() -> FrameworkRows:
    """The default RTW coordinator framework from the CSV files shipped in the package."""
    french = {
        r.values["code"]: r.values["statement_fr"] for r in _data_records("rtw_item_bank_fr.csv")
    }
    bank = [
        Record(
            r.line,
            {
                **r.values,
                "notes": r.values.get("evidence", ""),
                "statement_fr": french.get(r.values["code"], ""),
            },
        )
        for r in _data_records("rtw_item_bank.csv")
    ]
    rows = framework_rows(bank, "rtw_item_bank.csv")
    groups = {r.values["group"]: r.values for r in _data_records("rtw_groups.csv")}
    groups_fr = {r.values["group"]: r.values for r in _data_records("rtw_groups_fr.csv")}
    rows.groups.sort(key=lambda g: int(groups[g.key]["position"]))
    for group in rows.groups:
        group.description = groups[group.key]["description"]
        fr = groups_fr.get(group.key)
        if fr:
            group.translations = {
                "fr": {"name": fr["name_fr"].capitalize(), "description": fr["description_fr"]}
            }
    return rows


def load_default() -> tuple[Framework, bool]:
    """Load the default framework unless present; return it and whether it was created."""
    existing = current(DEFAULT_SLUG)
    if existing is not None:
        return existing, False
    with transaction.atomic():
        framework = create_from_rows(
            default_rows(),
            slug=DEFAULT_SLUG,
            name=DEFAULT_NAME,
            description=DEFAULT_DESCRIPTION,
            citation=DEFAULT_CITATION,
            source="Pransky et al. (2010) and the sources named per competency",
            translations={
                "fr": {
                    "name": "Compétences des coordonnateurs du retour au travail",
                    "description": DEFAULT_DESCRIPTION_FR,
                }
            },
        )
        publish(framework)
    return framework, True
