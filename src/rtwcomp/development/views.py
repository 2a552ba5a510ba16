"""Development plan pages: plans, goals, activities, evidence, agreement and workflow,
the maintenance log, reminders and progress.

Who may open what is decided by `rtwcomp.permissions` (through the selectors' `*_or_404`):
anything else answers 404, as for a plan that does not exist. Views parse, call one
selector or service, and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rtwcomp.assessments import selectors as assessments
from rtwcomp.development import forms, progress, reminders, selectors, services
from rtwcomp.development.models import Plan
from rtwcomp.development.services import PlanError


@login_required
def index(request: HttpRequest) -> HttpResponse:
    people = [
        p
        for p in assessments.people(request.user)
        if request.user.has_perm("development.add_plan", p)
    ]
    context = {"plans": selectors.plans(request.user), "people": people}
    return render(request, "development/index.html", context)


@login_required
def new(request: HttpRequest, pk: int) -> HttpResponse:
    person = assessments.person_or_404(request.user, pk, "development.add_plan")
    form = forms.NewPlanForm(request.POST or None, profiles=selectors.profiles_of(person))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(person, form.cleaned_data["profile"], request.user)
        except PlanError as error:
            form.add_error("profile", str(error))
        else:
            messages.success(request, _("Draft plan made."))
            return redirect("development:plan", plan.pk)
    context = {"person": person, "form": form}
    return render(request, "development/new.html", context, status=400 if form.errors else 200)


def _page(request: HttpRequest, plan: Plan, status: int = 200, **bound: Any) -> HttpResponse:
    """The plan page, with `bound` forms (named like `goal_<pk>`) showing their errors."""
    context = selectors.plan_page(plan, request.user)
    framework = plan.person.organisation.framework
    for goal in context["goals"]:
        goal.form = bound.get(f"goal_{goal.pk}") or forms.GoalForm(
            prefix=f"g{goal.pk}",
            initial={f: getattr(goal, f) for f in ("target", "due_on", "done_on", "notes")},
        )
        goal.activity_form = bound.get(f"activity_{goal.pk}") or forms.ActivityForm(
            prefix=f"a{goal.pk}", initial={"route": goal.advice and goal.advice["route"]}
        )
        goal.evidence_form = bound.get(f"evidence_{goal.pk}") or forms.EvidenceForm(
            prefix=f"e{goal.pk}", goal=goal, limit=context["limit"]
        )
    context |= {
        "plan_form": bound.get("plan") or forms.PlanForm(initial={"reassess_on": plan.reassess_on}),
        "goal_form": bound.get("new_goal") or forms.NewGoalForm(framework=framework, prefix="new"),
        "maintenance_form": bound.get("maintenance")
        or forms.MaintenanceForm(framework=framework, prefix="cpd"),
        "error": bound.get("error"),
    }
    return render(request, "development/plan.html", context, status=status)


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.plan_or_404(request.user, pk))


def _done(request: HttpRequest, plan_id: int, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    response = redirect("development:plan", plan_id)
    response["Location"] += anchor
    return response


def _refused(request: HttpRequest, plan: Plan, error: PlanError) -> HttpResponse:
    return _page(request, plan, status=400, error=str(error))


@require_POST
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.plan_or_404(request.user, pk, "development.change_plan")
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        return _page(request, found, status=400, plan=form)
    try:
        services.update_plan(found, **form.cleaned_data)
    except PlanError as error:
        return _refused(request, found, error)
    return _done(request, found.pk, _("Plan saved."))


@require_POST
@login_required
def add_goal(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.plan_or_404(request.user, pk, "development.change_plan")
    framework = found.person.organisation.framework
    form = forms.NewGoalForm(request.POST, framework=framework, prefix="new")
    if form.is_valid():
        try:
            services.add_goal(found, **form.cleaned_data)
        except PlanError as error:
            form.add_error("competency", str(error))
        else:
            return _done(request, found.pk, _("Goal added."), "#goals")
    return _page(request, found, status=400, new_goal=form)


@require_POST
@login_required
def goal(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.goal_or_404(request.user, pk)
    form = forms.GoalForm(request.POST, prefix=f"g{found.pk}")
    if not form.is_valid():
        return _page(request, found.plan, status=400, **{f"goal_{found.pk}": form})
    try:
        services.update_goal(found, **form.cleaned_data)
    except PlanError as error:
        return _refused(request, found.plan, error)
    return _done(request, found.plan_id, _("Goal saved."), f"#goal-{found.pk}")


@require_POST
@login_required
def remove_goal(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.goal_or_404(request.user, pk)
    try:
        services.remove_goal(found)
    except PlanError as error:
        return _refused(request, found.plan, error)
    return _done(request, found.plan_id, _("Goal removed."), "#goals")


@require_POST
@login_required
def move_goal(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.goal_or_404(request.user, pk)
    try:
        services.move_goal(found, -1 if request.POST.get("direction") == "up" else 1)
    except PlanError as error:
        return _refused(request, found.plan, error)
    return _done(request, found.plan_id, _("Goal moved."), f"#goal-{found.pk}")


@require_POST
@login_required
def add_activity(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.goal_or_404(request.user, pk)
    form = forms.ActivityForm(request.POST, prefix=f"a{found.pk}")
    if not form.is_valid():
        return _page(request, found.plan, status=400, **{f"activity_{found.pk}": form})
    try:
        services.add_activity(found, **form.cleaned_data)
    except PlanError as error:
        return _refused(request, found.plan, error)
    return _done(request, found.plan_id, _("Activity added."), f"#goal-{found.pk}")


@require_POST
@login_required
def activity_done(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.activity_or_404(request.user, pk)
    try:
        services.complete_activity(found)
    except PlanError as error:
        return _refused(request, found.goal.plan, error)
    return _done(request, found.goal.plan_id, _("Activity done."), f"#goal-{found.goal_id}")


@require_POST
@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.goal_or_404(request.user, pk)
    form = forms.EvidenceForm(
        request.POST, request.FILES, prefix=f"e{found.pk}", goal=found,
        limit=services.evidence_limit(),
    )  # fmt: skip
    if form.is_valid():
        activity = found.activities.filter(pk=form.cleaned_data["activity"]).first()
        try:
            services.attach(found, form.cleaned_data["file"], request.user, activity)
        except PlanError as error:
            form.add_error("file", str(error))
        else:
            return _done(request, found.plan_id, _("Evidence kept."), f"#goal-{found.pk}")
    return _page(request, found.plan, status=400, **{f"evidence_{found.pk}": form})


@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence file, always as a download, with the type found from its content."""
    found = selectors.evidence_or_404(request.user, pk)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    extension = services.filetypes.EXTENSIONS.get(found.content_type, "")
    name = found.name if found.name.lower().endswith(extension) else found.name + extension
    response.headers["Content-Disposition"] = _attachment(name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _attachment(name: str) -> str:
    from django.utils.http import content_disposition_header

    return str(content_disposition_header(as_attachment=True, filename=name))


@require_POST
@login_required
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.plan_or_404(request.user, pk)
    try:
        services.agree(found, request.user)
    except PlanError as error:
        return _refused(request, found, error)
    return _done(request, found.pk, _("Your agreement is recorded."), "#workflow")


@require_POST
@login_required
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.plan_or_404(request.user, pk, "development.change_plan")
    try:
        services.move(found, request.POST.get("status", ""), request.user)
    except PlanError as error:
        return _refused(request, found, error)
    return _done(request, found.pk, _("Plan moved."), "#workflow")


@require_POST
@login_required
def maintenance(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.plan_or_404(request.user, pk, "development.change_plan")
    framework = found.person.organisation.framework
    form = forms.MaintenanceForm(request.POST, framework=framework, prefix="cpd")
    if form.is_valid():
        try:
            services.log_maintenance(found.person, request.user, **form.cleaned_data)
        except PlanError as error:
            form.add_error("competency", str(error))
        else:
            return _done(request, found.pk, _("Entry added."), "#maintenance")
    return _page(request, found, status=400, maintenance=form)


@login_required
def my_reminders(request: HttpRequest) -> HttpResponse:
    context = {"reminders": selectors.my_reminders(request.user)}
    return render(request, "development/reminders.html", context)


@require_POST
@login_required
def stop_reminder(request: HttpRequest, pk: int) -> HttpResponse:
    reminders.stop(selectors.reminder_or_404(request.user, pk))
    messages.success(request, _("Reminder stopped."))
    return redirect("development:reminders")


@login_required
def person_progress(request: HttpRequest, pk: int) -> HttpResponse:
    person = assessments.person_or_404(request.user, pk)
    return render(request, "development/progress.html", progress.trajectory(person))


@login_required
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = progress.organisation_or_404(request.user, slug)
    return render(request, "development/programme.html", progress.programme(organisation))
