"""Setting a study up: items, scale, questions, texts, rounds, opening and closing.

A `SetupError`'s message is shown on the study pages, so it is translated. A study is
edited only while it is a draft: once answers come in, its instrument stays as answered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rtwcomp.elicitation.services import select_for_survey
from rtwcomp.frameworks.models import Competency, Framework
from rtwcomp.surveys.models import DEFAULT_SCALE, Question, Round, Study, StudyItem

#: "all", "N", codes, or a web selection {"how", "count", "codes"} (see `choose_items`)
ItemChoice = str | Sequence[str] | dict[str, Any]


class SetupError(ValueError):
    """A study cannot be set up as asked; the message says why."""


def default_scale() -> list[dict[str, Any]]:
    return [
        {"value": value, "label": en, "translations": {"fr": fr}} for value, en, fr in DEFAULT_SCALE
    ]


def _choices(*pairs: tuple[str, str, str]) -> list[dict[str, Any]]:
    """Choices of a default question; its "other" asks the respondent to say which."""
    return [
        {
            "value": v,
            "label": en,
            "translations": {"fr": fr},
            **({"specify": True} if v == "other" else {}),
        }
        for v, en, fr in pairs
    ]


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
    framework: Framework, items: ItemChoice, extras: Sequence[str] = ()
) -> list[Competency]:
    """`all`, a number N (the N most cited, ties broken by sessions then framework order;
    without focus-group provenance, the first N), or codes;
    then `extras` (codes) added at the end, as the 2010 study added 12 items to 88.
    A dict is a selection made on the web: `choose_items`'s arguments."""
    if isinstance(items, dict):
        return choose_items(framework, **items)
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
    items: ItemChoice = "all",
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
    if not study.framework.is_published:  # its items must not change under the respondents
        raise SetupError(
            _("a study opens only on a published framework version: publish version %(v)d first")
            % {"v": study.framework.version}
        )
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


# --- choosing items on the web: what is asked, and how it covers the framework's groups ---

SELECTIONS = ("all", "cited", "per_group", "proportional", "hand")


def citations(competency: Competency) -> int:
    """How often a competency was cited: by focus groups when it was promoted from them
    (its provenance), otherwise the number of sources the framework names for it."""
    provenance = getattr(competency, "provenance", None)
    return provenance.citation_count if provenance else len(competency.source_list())


def ranked(competencies: Sequence[Competency]) -> list[Competency]:
    """Most cited first; ties: more focus-group sessions, then framework order."""

    def rank(c: Competency) -> tuple[int, int, int]:
        provenance = getattr(c, "provenance", None)
        return (-citations(c), -(provenance.session_count if provenance else 0), c.position)

    return sorted(competencies, key=rank)


def _by_group(competencies: Sequence[Competency]) -> dict[int, list[Competency]]:
    groups: dict[int, list[Competency]] = {}
    for c in competencies:
        groups.setdefault(c.group_id, []).append(c)
    return groups


def proportional_shares(sizes: Sequence[int], total: int) -> list[int]:
    """`total` split in proportion to `sizes`, by largest remainders (ties: earlier first)."""
    whole = sum(sizes)
    exact = [total * size / whole for size in sizes]
    shares = [int(x) for x in exact]
    order = sorted(range(len(sizes)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def choose_items(
    framework: Framework, how: str, count: int | None = None, codes: Sequence[str] = ()
) -> list[Competency]:
    """The items a selection asks for, in framework order: `all`; the `count` most `cited`;
    `count` per group (`per_group`); `count` split over the groups by their size
    (`proportional`); or by `hand`. Checked `codes` are added to the automatic selections."""
    competencies = list(framework.competencies.select_related("provenance").order_by("position"))
    if how not in SELECTIONS:
        raise SetupError(_("unknown selection: %(how)s") % {"how": how})
    limit = (
        len(competencies)
        if how != "per_group"
        else max(map(len, _by_group(competencies).values()), default=0)
    )
    if how in ("cited", "per_group", "proportional") and not (count and 1 <= count <= limit):
        raise SetupError(_("give a number of items from 1 to %(limit)d") % {"limit": limit})
    chosen = _selected(competencies, how, count or 0)
    chosen |= {c.pk for c in _by_codes({c.code: c for c in competencies}, codes)}
    if not chosen:
        raise SetupError(_("items: no competency chosen"))
    return [c for c in competencies if c.pk in chosen]


def _selected(competencies: list[Competency], how: str, count: int) -> set[int]:
    if how == "all":
        return {c.pk for c in competencies}
    if how == "cited":
        return {c.pk for c in ranked(competencies)[:count]}
    groups = list(_by_group(competencies).values())
    if how == "per_group":
        shares = [count] * len(groups)
    elif how == "proportional":
        shares = proportional_shares([len(g) for g in groups], count)
    else:
        return set()
    return {c.pk for group, n in zip(groups, shares, strict=True) for c in ranked(group)[:n]}


# --- editing a draft study ---------------------------------------------------------------


def _refuse_unless_draft(study: Study) -> None:
    if study.status != Study.Status.DRAFT:
        raise SetupError(
            _("only a draft study can be changed; this one is %(status)s")
            % {"status": study.get_status_display()}
        )


@transaction.atomic
def update_study(study: Study, *, items: ItemChoice | None = None, **fields: Any) -> Study:
    """Change a draft study's settings and texts (`fields`; `translations` are merged by
    language), and its items when given (from its framework version, perhaps a new one)."""
    _refuse_unless_draft(study)
    if fields.get("delphi") and fields.get("anonymous", study.anonymous):
        raise SetupError(_("a Delphi study cannot be anonymous"))
    if "translations" in fields:
        fields["translations"] = {**study.translations, **fields["translations"]}
    framework = fields.get("framework", study.framework)
    if items is None and framework.pk != study.framework_id:
        raise SetupError(_("choose the items again when the framework version changes"))
    chosen = resolve_items(framework, items) if items is not None else None
    for name, value in fields.items():
        setattr(study, name, value)
    study.save()
    if chosen is not None:
        set_items(study, chosen)
    return study


def set_items(study: Study, items: Sequence[Competency]) -> None:
    """Replace a draft study's items (answers to items dropped go with them)."""
    _refuse_unless_draft(study)
    if any(c.framework_id != study.framework_id for c in items):
        raise SetupError(_("every item must come from the study's framework version"))
    study.items.exclude(competency__in=items).delete()
    kept = {i.competency_id: i for i in study.items.all()}
    for position, competency in enumerate(items, start=1):
        item = kept.get(competency.pk) or StudyItem(study=study, competency=competency)
        item.position = position
        item.save()
    for round_ in study.rounds.all():
        round_.items.set(study.items.all())


@transaction.atomic
def replace_questions(study: Study, questions: Sequence[dict[str, Any]]) -> None:
    """A draft study's questions about respondents, in order: each {"key", "label",
    "label_fr", "kind", "choices", "required"}."""
    _refuse_unless_draft(study)
    keys = [q["key"] for q in questions]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise SetupError(
            _("each question needs its own key: %(keys)s") % {"keys": ", ".join(repeated)}
        )
    study.questions.all().delete()
    for position, q in enumerate(questions, start=1):
        Question.objects.create(
            study=study,
            position=position,
            key=q["key"],
            label=q["label"],
            kind=q["kind"],
            choices=q["choices"]
            if q["kind"] in (Question.Kind.CHOICE, Question.Kind.MULTI)
            else [],
            required=q["required"],
            translations={"fr": {"label": q["label_fr"]}} if q.get("label_fr") else {},
        )


def restore_default_questions(study: Study) -> None:
    """Put the default questions back in place of the study's own."""
    replace_questions(
        study,
        [{**q, "label_fr": q["fr"], "required": False} for q in default_questions()],
    )


# --- when answers are taken --------------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    """Whether a study takes answers now; when not, the message respondents see."""

    open: bool
    message: str = ""


def availability(study: Study, now: datetime | None = None, *, test: bool = False) -> Availability:
    """The one check of a study's status and its opening and closing dates, for every
    respondent page. A `test` response (the researcher trying the instrument) is taken by
    a draft or open study whatever the dates."""
    now = now or timezone.now()
    if test and study.status in (Study.Status.DRAFT, Study.Status.OPEN):
        return Availability(True)
    if study.status == Study.Status.OPEN and study.opens_at and now < study.opens_at:
        return Availability(
            False, _("This study opens on %(date)s.") % {"date": _when(study.opens_at)}
        )
    if study.status != Study.Status.DRAFT and study.closes_at and now >= study.closes_at:
        return Availability(
            False, _("This study closed on %(date)s.") % {"date": _when(study.closes_at)}
        )
    if study.status != Study.Status.OPEN:
        return Availability(False, _("This study is not taking answers."))
    return Availability(True)


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
