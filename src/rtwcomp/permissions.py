"""Who may see or change what: the one place access is decided.

Every object a researcher creates (framework version, focus-group project, study) has an
`owner` and `collaborators`. The rules, as `rules` predicates registered under Django
permission names, so views, the API, exports, reports and the admin all ask
`user.has_perm(name, obj)` or use the querysets below:

- a superuser sees and changes everything; staff status alone grants nothing;
- a researcher is a member of the `researchers` group (or a superuser): they may create
  projects, studies and frameworks, and see only their own and those shared with them;
- owners and collaborators see and change an object; only the owner shares it (edits its
  collaborators), publishes it or deletes it;
- published framework versions are public; drafts are private to their owner and
  collaborators;
- anything forbidden answers 404, so its existence is not revealed.

`rules` was chosen over django-guardian because these rules follow from fields every object
already has (owner, collaborators, status): no per-object permission rows to keep in step.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import rules
from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

User = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]

RESEARCHERS = "researchers"


@rules.predicate
def is_owner(user: User, obj: Any) -> bool:
    return obj is not None and user.is_authenticated and obj.owner_id == user.pk


@rules.predicate
def is_collaborator(user: User, obj: Any) -> bool:
    return (
        obj is not None
        and user.is_authenticated
        and obj.pk is not None
        and obj.collaborators.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_published(user: User, obj: Any) -> bool:
    return obj is not None and obj.status == "published"


is_superuser = rules.is_superuser
is_researcher = rules.is_active & (rules.is_superuser | rules.is_group_member(RESEARCHERS))
may_edit = is_superuser | is_owner | is_collaborator
may_share = is_superuser | is_owner

for _app, _name in (("elicitation", "project"), ("surveys", "study")):
    rules.add_perm(f"{_app}.add_{_name}", is_researcher)
    rules.add_perm(f"{_app}.view_{_name}", may_edit)
    rules.add_perm(f"{_app}.change_{_name}", may_edit)
    rules.add_perm(f"{_app}.share_{_name}", may_share)
    rules.add_perm(f"{_app}.delete_{_name}", may_share)

# A published framework version is frozen: nobody changes or deletes it; new versions of it
# are for those who may edit it.
rules.add_perm("frameworks.add_framework", is_researcher)
rules.add_perm("frameworks.view_framework", is_published | may_edit)
rules.add_perm("frameworks.change_framework", may_edit & ~is_published)
rules.add_perm("frameworks.add_version", may_edit)
rules.add_perm("frameworks.share_framework", may_share)
rules.add_perm("frameworks.publish_framework", may_share & ~is_published)
rules.add_perm("frameworks.delete_framework", may_share & ~is_published)


def owning_object(obj: Any) -> Any:
    """The owned object a row belongs to: itself, or the target of its first foreign key to
    an owned model (a competency's framework, an invitation's study)."""
    if _is_owned(type(obj)):
        return obj
    for field in obj._meta.fields:
        if field.related_model is not None and _is_owned(field.related_model):
            return getattr(obj, field.name)
    return None


def _is_owned(model: Any) -> bool:
    return any(f.name == "collaborators" for f in model._meta.get_fields())


def perm_on(user: User, action: str, obj: Any) -> bool:
    """Whether `user` may `action` ("view", "change", ...) the owned object `obj` belongs to."""
    owned = owning_object(obj)
    if owned is None:
        return bool(user.is_superuser)
    meta = owned._meta
    return bool(user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}", owned))


def _shared_with(user: User, queryset: QuerySet[M]) -> Q:
    """Objects of the queryset's model that `user` owns or collaborates on (no join, so no
    duplicate rows and no DISTINCT)."""
    field = queryset.model._meta.get_field("collaborators")
    through = field.remote_field.through  # type: ignore[union-attr]
    ids = through.objects.filter(**{field.m2m_reverse_field_name(): user.pk}).values(  # type: ignore[attr-defined]
        field.m2m_field_name()  # type: ignore[attr-defined]
    )
    return Q(owner=user.pk) | Q(pk__in=ids)


def editable(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """The objects `user` may open and change: owned, shared with them, or all for a
    superuser."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(_shared_with(user, queryset))


def visible(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """The objects `user` may see: `editable` ones, plus those the model declares public
    (its `PUBLIC` condition, e.g. published framework versions)."""
    public = getattr(queryset.model, "PUBLIC", None)
    if public is None:
        return editable(user, queryset)
    if not user.is_authenticated or not user.is_active:
        return queryset.filter(public)
    if user.is_superuser:
        return queryset
    return queryset.filter(public | _shared_with(user, queryset))


def _parent_model(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model


def within(user: User, queryset: QuerySet[M], parent: str) -> QuerySet[M]:
    """Rows that belong (through the foreign-key path `parent`, e.g. "study" or
    "item__project") to an object `user` may change: the invitations of their studies."""
    model = _parent_model(queryset.model, parent)
    return queryset.filter(**{f"{parent}__in": editable(user, model._default_manager.all())})


def get_or_404(user: User, perm: str, queryset: QuerySet[M], **lookup: Any) -> M:
    """The object matching `lookup` if `user` has `perm` on it; otherwise 404, the same
    answer as for an object that does not exist."""
    found = visible(user, queryset).filter(**lookup).first()
    if found is None or not user.has_perm(perm, found):
        raise Http404("Not found")
    return found


def researcher_required(view: View) -> View:
    """Anonymous users go to the log-in page; others who are not researchers get 403 (the
    page holds no object, so this reveals nothing)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_researcher(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class OwnedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Admin of a model with an owner: lists only what the user may change; the owner is
    whoever creates it, and only the owner edits the collaborators."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return editable(request.user, super().get_queryset(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(is_researcher(request.user))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(is_researcher(request.user))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "view", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:  # bulk deletion: superusers only
            return bool(request.user.is_superuser)
        return self._may(request, "delete", obj)

    def _may(self, request: HttpRequest, action: str, obj: Any) -> bool:
        if obj is None:
            return bool(is_researcher(request.user))
        return perm_on(request.user, action, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if _is_owned(self.model):
            fields.append("owner")
            if obj is not None and not perm_on(request.user, "share", obj):
                fields.append("collaborators")
        return fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and _is_owned(self.model):
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["queryset"] = _choices(request.user, db_field.related_model)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PartAdmin(OwnedAdmin):
    """Admin of rows that belong to an owned object (through the foreign-key path `parent`):
    the same rules as for that object."""

    parent = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return within(request.user, admin.ModelAdmin.get_queryset(self, request), self.parent)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and perm_on(request.user, "change", obj)


class SuperuserOnlyAdmin:
    """Mixin for admin pages of accounts, tokens and log-in records: superusers only. Others
    find no rows at all, so a refusal never says whether a row exists."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return queryset if request.user.is_superuser else queryset.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


def superusers_only(site: admin.AdminSite, *models: type[Model]) -> None:
    """Re-register the admin pages of `models` behind `SuperuserOnlyAdmin`."""
    for model in models:
        current = type(site._registry[model])
        site.unregister(model)
        site.register(model, type(current.__name__, (SuperuserOnlyAdmin, current), {}))


class PartInline:
    """Mixin for inlines of an owned object: editable by whoever may change that object."""

    def _may(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return bool(is_researcher(request.user))
        return perm_on(request.user, "change", obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj) or (obj is not None and perm_on(request.user, "view", obj))


def _choices(user: User, model: type[Model]) -> QuerySet[Any]:
    """What a foreign key in an admin form may point at: owned objects the user may see, or
    rows of those they may change (found through their first foreign key to an owned model)."""
    queryset = model._default_manager.all()
    if _is_owned(model):
        return visible(user, queryset)
    if user.is_superuser:
        return queryset
    for field in model._meta.fields:
        if field.related_model is not None and _is_owned(field.related_model):
            return within(user, queryset, field.name)
    return queryset.none()


# Audit history (rtwcomp.audit): the owner, the collaborators and superusers, published
# framework versions included (being public does not open their history).
for _app, _name in (("elicitation", "project"), ("surveys", "study"), ("frameworks", "framework")):
    rules.add_perm(f"{_app}.history_{_name}", may_edit)


# Background jobs (rtwcomp.jobs): a job, its page and its file are its owner's (whoever
# started it) and superusers'; there are no collaborators on a job.
rules.add_perm("jobs.view_job", is_superuser | is_owner)
rules.add_perm("jobs.change_job", is_superuser | is_owner)


def get_by_rule_or_404(user: User, perm: str, queryset: QuerySet[M], **lookup: Any) -> M:
    """Like `get_or_404` for models without collaborators (a job): the object matching
    `lookup` if `user` has `perm` on it; otherwise 404, as for one that does not exist."""
    found = queryset.filter(**lookup).first() if user.is_active else None
    if found is None or not user.has_perm(perm, found):
        raise Http404("Not found")
    return found


# Assessments (rtwcomp.assessments) hold personal data. An organisation is its programme
# admins': the owner (who created it) and its collaborators. A person's records are seen by
# those admins, by the person (through their own log-in), by their mentors and by the
# supervisors of their team; nobody else, researchers included.
PROGRAMME_ADMINS = "programme-admins"
is_programme_admin = rules.is_active & (
    rules.is_superuser | rules.is_group_member(PROGRAMME_ADMINS)
)


@rules.predicate
def is_the_person(user: User, person: Any) -> bool:
    return person is not None and user.is_authenticated and person.user_id == user.pk


@rules.predicate
def mentors_the_person(user: User, person: Any) -> bool:
    return (
        person is not None
        and user.is_authenticated
        and person.mentors.filter(user=user.pk).exists()
    )


@rules.predicate
def supervises_the_person(user: User, person: Any) -> bool:
    return (
        person is not None
        and user.is_authenticated
        and person.team_id is not None
        and person.team.supervisors.filter(user=user.pk).exists()
    )


@rules.predicate
def administers_the_person(user: User, person: Any) -> bool:
    return person is not None and bool(may_edit(user, person.organisation))


rules.add_perm("assessments.add_organisation", is_programme_admin)
rules.add_perm("assessments.view_organisation", may_edit)
rules.add_perm("assessments.change_organisation", may_edit)
rules.add_perm("assessments.share_organisation", may_share)
rules.add_perm("assessments.delete_organisation", may_share)
rules.add_perm(
    "assessments.view_person",
    administers_the_person | is_the_person | mentors_the_person | supervises_the_person,
)
rules.add_perm("assessments.change_person", administers_the_person)
# Only the person assesses themself: unlike other permissions, superusers are not given it
# (Django grants a superuser every permission, so ask `may_self_assess`, not `has_perm`).
rules.add_perm("assessments.self_assess_person", rules.is_active & is_the_person)


rules.add_perm(
    "assessments.request_feedback_person",
    rules.is_active & (administers_the_person | mentors_the_person | supervises_the_person),
)


def may_self_assess(user: User, person: Any) -> bool:
    return bool(user.is_active and is_the_person(user, person))


rules.add_perm(
    "assessments.observe_person", rules.is_active & (mentors_the_person | supervises_the_person)
)


def may_view_team(user: User, team: Any) -> bool:
    """A team's heat map: its supervisors, its organisation's admins, superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(may_edit(user, team.organisation) or team.supervisors.filter(user=user.pk).exists())


def organisations_for(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """Organisations `user` administers or belongs to as a person: their role profiles and
    rounds (not anyone's records) are open to those people."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    people = queryset.model._meta.get_field("people").related_model._default_manager  # type: ignore[union-attr]
    mine = people.filter(user=user.pk).values("organisation")
    return queryset.filter(_shared_with(user, queryset) | Q(pk__in=mine))


def people_for(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """The people whose records `user` may see (the `assessments.view_person` rule as a
    query): in organisations they administer, themselves, their mentees, their teams."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    model = queryset.model
    organisations = editable(user, _parent_model(model, "organisation")._default_manager.all())
    people = model._default_manager.all()
    return queryset.filter(
        Q(organisation__in=organisations)
        | Q(user=user.pk)
        | Q(pk__in=people.filter(mentors__user=user.pk).values("pk"))
        | Q(pk__in=people.filter(team__supervisors__user=user.pk).values("pk"))
    )


def about_people_for(user: User, queryset: QuerySet[M], person: str = "subject") -> QuerySet[M]:
    """Rows about a person (ratings, through the foreign key `person`) `user` may see."""
    model = _parent_model(queryset.model, person)
    return queryset.filter(**{f"{person}__in": people_for(user, model._default_manager.all())})


# Development plans (rtwcomp.development): a plan is its coordinator's, mentor's, supervisor's
# and programme admins' (the people who may see the person).
sees_the_person = (
    administers_the_person | is_the_person | mentors_the_person | supervises_the_person
)


@rules.predicate
def sees_the_plan(user: User, plan: Any) -> bool:
    return plan is not None and bool(sees_the_person(user, plan.person))


# Everyone who sees a plan works on it: the coordinator and their mentor or supervisor write
# it together, and programme admins keep it going. Only the two parties agree to it.
rules.add_perm("development.add_plan", rules.is_active & sees_the_person)
rules.add_perm("development.view_plan", rules.is_active & sees_the_plan)
rules.add_perm("development.change_plan", rules.is_active & sees_the_plan)


def agreeing_party(user: User, plan: Any) -> str | None:
    """As whom `user` agrees to `plan`: "coordinator" (the person themself) or "mentor"
    (their mentor or supervisor); None for anyone else, superusers and admins included
    (nobody agrees in someone else's name)."""
    if plan is None or not user.is_authenticated or not user.is_active:
        return None
    if is_the_person(user, plan.person):
        return "coordinator"
    if mentors_the_person(user, plan.person) or supervises_the_person(user, plan.person):
        return "mentor"
    return None


def plans_for(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """The plans `user` may see (the `development.view_plan` rule as a query)."""
    person_model = _parent_model(queryset.model, "person")
    return queryset.filter(person__in=people_for(user, person_model._default_manager.all()))


@rules.predicate
def owns_the_reminder(user: User, reminder: Any) -> bool:
    return reminder is not None and user.is_authenticated and reminder.person.user_id == user.pk


# A reminder is its recipient's alone: they see it and stop it. Superusers are not given it
# (Django grants a superuser every permission, so ask `may_stop_reminder`, not `has_perm`).
rules.add_perm("development.change_reminder", rules.is_active & owns_the_reminder)


def may_stop_reminder(user: User, reminder: Any) -> bool:
    return bool(user.is_active and owns_the_reminder(user, reminder))


# A programme's progress (every coordinator's standing against their profile) is for the
# organisation's programme admins (owner and collaborators) and superusers.
rules.add_perm("development.view_programme", rules.is_active & may_edit)


# Mentorship (rtwcomp.mentoring): matching and pairs are programme admins'; a pair's meetings
# are its mentor's and mentee's too.
@rules.predicate
def administers_the_pair(user: User, pair: Any) -> bool:
    return pair is not None and bool(may_edit(user, pair.mentee.organisation))


@rules.predicate
def is_in_the_pair(user: User, pair: Any) -> bool:
    return (
        pair is not None
        and user.is_authenticated
        and user.pk in (pair.mentor.user_id, pair.mentee.user_id)
    )


@rules.predicate
def is_the_pairs_mentor(user: User, pair: Any) -> bool:
    return pair is not None and user.is_authenticated and pair.mentor.user_id == user.pk


@rules.predicate
def is_open_pair(user: User, pair: Any) -> bool:
    return pair is not None and pair.until is None


# Matching an organisation's mentors and mentees: its programme admins (and superusers).
rules.add_perm("mentoring.match_organisation", rules.is_active & may_edit)
rules.add_perm(
    "mentoring.view_mentorship", rules.is_active & (administers_the_pair | is_in_the_pair)
)
rules.add_perm("mentoring.change_mentorship", rules.is_active & administers_the_pair)


# Only the pair themselves log a meeting, and only the mentor starts an observation from one
# (the assessments rule: mentors observe their mentees), while the pair is open. Superusers
# are not given these (nobody writes in someone else's name): ask these, not `has_perm`.
def may_log_meeting(user: User, pair: Any) -> bool:
    return bool(user.is_active and is_in_the_pair(user, pair) and is_open_pair(user, pair))


def may_observe_from(user: User, pair: Any) -> bool:
    return bool(user.is_active and is_the_pairs_mentor(user, pair) and is_open_pair(user, pair))


def mentorships_for(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """The pairs `user` may see (the `mentoring.view_mentorship` rule as a query): those
    they are in, and every pair of the organisations they administer."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    organisation = _parent_model(queryset.model, "mentee__organisation")
    organisations = editable(user, organisation._default_manager.all())
    return queryset.filter(
        Q(mentee__organisation__in=organisations)
        | Q(mentor__user=user.pk)
        | Q(mentee__user=user.pk)
    )


# Selection (rtwcomp.selection): candidates are not coordinators; their data is the hiring
# panel's and programme admins' only.
# A vacancy, its candidates and their score sheets: the vacancy's hiring panel (users named
# on it) and its organisation's programme admins; a guide: those admins and the panels of
# the vacancies using it. Only panel members score (superusers included, nobody scores in
# someone else's name: ask `may_score`); only admins delete a candidate.
@rules.predicate
def administers_the_organisation(user: User, obj: Any) -> bool:
    return obj is not None and bool(may_edit(user, obj.organisation))


@rules.predicate
def on_the_panel(user: User, vacancy: Any) -> bool:
    return (
        vacancy is not None and user.is_authenticated and vacancy.panel.filter(pk=user.pk).exists()
    )


@rules.predicate
def on_a_panel_using(user: User, guide: Any) -> bool:
    return (
        guide is not None
        and user.is_authenticated
        and guide.vacancies.filter(panel=user.pk).exists()
    )


on_the_hiring_side = rules.is_active & (administers_the_organisation | on_the_panel)
rules.add_perm("selection.view_vacancy", on_the_hiring_side)
rules.add_perm("selection.change_vacancy", on_the_hiring_side)
rules.add_perm("selection.delete_candidate", rules.is_active & administers_the_organisation)
rules.add_perm(
    "selection.view_guide", rules.is_active & (administers_the_organisation | on_a_panel_using)
)
# Questions, guides and vacancies of an organisation are made by its programme admins.
rules.add_perm("selection.manage_organisation", rules.is_active & may_edit)


def may_score(user: User, vacancy: Any) -> bool:
    return bool(user.is_active and on_the_panel(user, vacancy))


def vacancies_for(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """The vacancies (or a guide's, through `queryset`'s own model) `user` may see: their
    organisations' as programme admin, and those whose panel they sit on."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    organisation = _parent_model(queryset.model, "organisation")
    organisations = editable(user, organisation._default_manager.all())
    return queryset.filter(Q(organisation__in=organisations) | Q(pk__in=_on_panel(user, queryset)))


def _on_panel(user: User, queryset: QuerySet[M]) -> QuerySet[Any]:
    if queryset.model._meta.model_name == "vacancy":
        return queryset.model._default_manager.filter(panel=user.pk).values("pk")
    return queryset.model._default_manager.filter(vacancies__panel=user.pk).values("pk")
