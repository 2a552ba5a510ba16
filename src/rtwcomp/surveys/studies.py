"""Setting a study up: items, scale, questions, rounds, opening and closing.

A `SetupError`'s message is shown on the study pages, so it is translated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rtwcomp.elicitation.services import select_for_survey
from rtwcomp.frameworks.models import Competency, Framework
from rtwcomp.surveys.models import DEFAULT_SCALE, Question, Round, Study, StudyItem


class SetupError(ValueError):
    """A study cannot be set up as asked; the message says why."""


def default_scale() -> list[dict[str, Any]]:
    return [
        {"value": value, "label": en, "translations": {"fr": fr}} for value, en, fr in DEFAULT_SCALE
    ]


def _choices(*pairs: tuple[str, str, str]) -> list[dict[str, Any]]:
    return [{"value": v, "label": en, "translations": {"fr": fr}} for v, en, fr in pairs]


def default_questions() -> list[dict[str, Any]]:
    """The 2010 study's respondent characteristics, as editable questions."""
    return [
        {
            "key": "country",
            "label": "Country where you work",
            "fr": "Pays où vous travaillez",
            "kind": Question.Kind.CHOICE,
            "choices": _choices(
                ("AU", "Australia", "Australie"),
                ("CA", "Canada", "Canada"),
                ("US", "United States", "États-Unis"),
                ("other", "Other", "Autre"),
            ),
        },
        {
            "key": "employer",
            "label": "Type of employer",
            "fr": "Type d'employeur",
            "kind": Question.Kind.CHOICE,
            "choices": _choices(
                ("employer", "Employer (own workforce)", "Employeur (son propre personnel)"),
                ("insurer", "Insurer or compensation board", "Assureur ou commission"),
                (
                    "provider",
                    "Rehabilitation or health provider",
                    "Prestataire de réadaptation ou de santé",
                ),
                ("public", "Government or public agency", "Organisme public"),
                ("other", "Other", "Autre"),
            ),
        },
        {
            "key": "profession",
            "label": "Your profession",
            "fr": "Votre profession",
            "kind": Question.Kind.CHOICE,
            "choices": _choices(
                ("nurse", "Nurse", "Infirmière ou infirmier"),
                ("ot", "Occupational therapist", "Ergothérapeute"),
                ("physio", "Physiotherapist", "Physiothérapeute"),
                ("psych", "Psychologist or counsellor", "Psychologue ou conseiller"),
                ("hr", "Human resources", "Ressources humaines"),
                ("claims", "Claims or case management", "Gestion des réclamations ou des dossiers"),
                ("other", "Other", "Autre"),
            ),
        },
        {
            "key": "clients",
            "label": "Client types you work with",
            "fr": "Types de clientèle",
            "kind": Question.Kind.MULTI,
            "choices": _choices(
                ("musculoskeletal", "Musculoskeletal injuries", "Lésions musculosquelettiques"),
                ("mental", "Mental health conditions", "Troubles de santé mentale"),
                ("traumatic", "Traumatic injuries", "Lésions traumatiques"),
                ("chronic", "Chronic illness", "Maladies chroniques"),
            ),
        },
        {
            "key": "years",
            "label": "Years as a return-to-work coordinator",
            "fr": "Années comme coordonnateur du retour au travail",
            "kind": Question.Kind.NUMBER,
            "choices": [],
        },
        {
            "key": "certified",
            "label": "Do you hold a return-to-work or disability-management certification?",
            "fr": "Détenez-vous une certification en retour au travail ou en gestion de "
            "l'invalidité?",
            "kind": Question.Kind.CHOICE,
            "choices": _choices(("yes", "Yes", "Oui"), ("no", "No", "Non")),
        },
    ]


def resolve_items(
    framework: Framework, items: str | Sequence[str], extras: Sequence[str] = ()
) -> list[Competency]:
    """`all`, a number N (the N most cited, ties broken by sessions then framework order;
    without focus-group provenance, the first N), or codes;
    then `extras` (codes) added at the end, as the 2010 study added 12 items to 88."""
    competencies = list(framework.competencies.order_by("position"))
    by_code = {c.code: c for c in competencies}
    spec = items.strip() if isinstance(items, str) else ""
    if spec == "all":
        chosen = competencies
    elif spec.isdigit():
        count = int(spec)
        if not 1 <= count <= len(competencies):
            raise SetupError(
                _("items: %(count)d asked, the framework has %(total)d")
                % {"count": count, "total": len(competencies)}
            )
        chosen = _by_codes(by_code, select_for_survey(framework, count))
    else:
        chosen = _by_codes(by_code, items.split(",") if isinstance(items, str) else items)
    extra = [c for c in _by_codes(by_code, extras) if c not in chosen]
    if not chosen:
        raise SetupError(_("items: no competency chosen"))
    return [*chosen, *extra]


def _by_codes(by_code: dict[str, Competency], codes: Sequence[str]) -> list[Competency]:
    wanted = [code.strip() for code in codes if code.strip()]
    unknown = [code for code in wanted if code not in by_code]
    if unknown:
        raise SetupError(_("unknown competency codes: %(codes)s") % {"codes": ", ".join(unknown)})
    return [by_code[code] for code in dict.fromkeys(wanted)]


@transaction.atomic
def create_study(
    *,
    name: str,
    framework: Framework,
    items: str | Sequence[str] = "all",
    extras: Sequence[str] = (),
    owner: AbstractBaseUser | None = None,
    slug: str | None = None,
    **options: Any,
) -> Study:
    """A draft study of `framework` with its items, default scale and questions, round 1."""
    if options.get("delphi") and options.get("anonymous", True):
        raise SetupError(
            _(
                "a Delphi study shows each panellist their own previous ratings, "
                "so it cannot be anonymous; make it confidential instead (anonymous off)"
            )
        )
    chosen = resolve_items(framework, items, extras)
    study = Study.objects.create(
        slug=unique_slug(slug or name),
        name=name,
        framework=framework,
        owner=owner,
        scale=options.pop("scale", None) or default_scale(),
        **options,
    )
    StudyItem.objects.bulk_create(
        StudyItem(study=study, competency=c, position=i) for i, c in enumerate(chosen, 1)
    )
    for position, question in enumerate(default_questions(), start=1):
        Question.objects.create(
            study=study,
            position=position,
            key=question["key"],
            label=question["label"],
            kind=question["kind"],
            choices=question["choices"],
            translations={"fr": {"label": question["fr"]}},
        )
    first = Round.objects.create(study=study, number=1)
    first.items.set(study.items.all())
    return study


def unique_slug(text: str) -> str:
    base = slugify(text)[:60] or "study"
    slug, n = base, 1
    while Study.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def open_study(study: Study) -> Study:
    if not study.items.exists():
        raise SetupError(_("a study needs at least one item before it opens"))
    study.status = Study.Status.OPEN
    study.save(update_fields=["status"])
    current = study.current_round()
    if current.opened_at is None:
        current.opened_at = timezone.now()
        current.save(update_fields=["opened_at"])
    return study


def close_study(study: Study) -> Study:
    study.status = Study.Status.CLOSED
    study.save(update_fields=["status"])
    current = study.current_round()
    if current.closed_at is None:
        current.closed_at = timezone.now()
        current.save(update_fields=["closed_at"])
    return study


@transaction.atomic
def start_next_round(study: Study) -> Round:
    """Close the current Delphi round and open the next with the items short of consensus."""
    from rtwcomp.surveys.results import delphi_summary

    if not study.delphi:
        raise SetupError(_("only a Delphi study has rounds"))
    current = study.current_round()
    last = delphi_summary(study)[-1]
    if last["respondents"] == 0:
        raise SetupError(_("the current round has no completed response yet"))
    table = last["table"]
    carried = set(table.loc[~table["consensus"], "item"])
    items = [i for i in current.items.select_related("competency") if i.competency.code in carried]
    if not items:
        raise SetupError(_("every item has reached consensus; there is no next round"))
    now = timezone.now()
    current.closed_at = current.closed_at or now
    current.save(update_fields=["closed_at"])
    following = Round.objects.create(study=study, number=current.number + 1, opened_at=now)
    following.items.set(items)
    return following
