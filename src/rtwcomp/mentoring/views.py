"""Mentorship pages: my pairs, the matching page (programme admins), a pair's meeting log.

Who may open what is decided by `rtwcomp.permissions` (through the selectors' `*_or_404`
and `permissions.get_or_404`): anything else answers 404, as for a pair that does not exist.
Views parse, call one selector or service, and render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rtwcomp import permissions
from rtwcomp.assessments.models import Organisation
from rtwcomp.assessments.selectors import organisations_of
from rtwcomp.mentoring import forms, selectors, services
from rtwcomp.mentoring.models import Mentorship


@login_required
def index(request: HttpRequest) -> HttpResponse:
    administered = permissions.editable(request.user, organisations_of(request.user))
    context = {"pairs": selectors.my_pairs(request.user), "organisations": administered}
    return render(request, "mentoring/index.html", context)


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    return permissions.get_or_404(
        request.user, "mentoring.match_organisation", Organisation.objects.all(), slug=slug
    )


def _basis(organisation: Organisation, data: Any) -> selectors.Basis | None:
    return selectors.basis_or_none(
        organisation, str(data.get("profile", ""))[:40], str(data.get("round", ""))[:120]
    )


@login_required
def match(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    return _match_page(request, organisation)


def _match_page(
    request: HttpRequest, organisation: Organisation, status: int = 200, **bound: Any
) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    basis = _basis(organisation, data) or _basis(organisation, {})  # else the first profile
    mentors = selectors.capacities(organisation)
    initial = (
        {"profile": basis.profile.pk, "round": basis.round.pk if basis.round else ""}
        if basis
        else {}
    )
    context = {
        "organisation": organisation,
        "basis": basis,
        "basis_form": forms.BasisForm(initial=initial, organisation=organisation),
        "proposal": selectors.proposal(organisation, basis) if basis else None,
        "capacity_form": bound.get("capacity_form")
        or forms.CapacityForm(mentors=mentors, prefix="cap"),
        "override_form": bound.get("override_form")
        or forms.OverrideForm(organisation=organisation, prefix="override"),
        "links": selectors.current_links(organisation),
    }
    return render(request, "mentoring/match.html", context, status=status)


def _back_to_match(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    query = urlencode({k: request.POST[k] for k in ("profile", "round") if request.POST.get(k)})
    target = reverse("mentoring:match", args=[organisation.slug])
    return redirect(f"{target}?{query}" if query else target)


@require_POST
@login_required
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    basis = _basis(organisation, request.POST)
    if basis is None:
        raise Http404("Not found")
    made = services.apply_matching(organisation, basis, request.user)
    n = len(made)
    messages.success(request, ngettext("%(n)d pair made.", "%(n)d pairs made.", n) % {"n": n})
    return _back_to_match(request, organisation)


@require_POST
@login_required
def capacity(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    mentors = selectors.capacities(organisation)
    form = forms.CapacityForm(request.POST, mentors=mentors, prefix="cap")
    if not form.is_valid():
        return _match_page(request, organisation, 400, capacity_form=form)
    services.set_capacities(organisation, form.capacities())
    messages.success(request, _("Capacities saved."))
    return _back_to_match(request, organisation)


@require_POST
@login_required
def override(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    form = forms.OverrideForm(request.POST, organisation=organisation, prefix="override")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.override(data["mentee"], data["mentor"], request.user, data["reason"])
        except services.MentoringError as error:
            form.add_error("mentor", str(error))
        else:
            messages.success(request, _("Pair made."))
            return _back_to_match(request, organisation)
    return _match_page(request, organisation, 400, override_form=form)


@require_POST
@login_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.pair_or_404(request.user, pk, "mentoring.change_mentorship")
    try:
        services.end(pair, request.user)
    except services.MentoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pair ended."))
    return redirect("mentoring:match", pair.mentee.organisation.slug)


@login_required
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.pair_or_404(request.user, pk)
    return _pair_page(request, found)


def _pair_page(
    request: HttpRequest, found: Mentorship, form: Any = None, status: int = 200
) -> HttpResponse:
    may_log = permissions.may_log_meeting(request.user, found)
    choices = selectors.meeting_choices(found) if may_log else None
    context = {
        **selectors.pair_page(found),
        "may_log": may_log,
        "may_observe": permissions.may_observe_from(request.user, found),
        "may_change": request.user.has_perm("mentoring.change_mentorship", found),
        "form": form or (forms.MeetingForm(choices=choices, prefix="meeting") if may_log else None),
        "activities": found.mentee.organisation.activities,
    }
    return render(request, "mentoring/pair.html", context, status=status)


@require_POST
@login_required
def add_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.pair_or_404(request.user, pk)
    if not permissions.may_log_meeting(request.user, found):
        raise Http404("Not found")
    choices = selectors.meeting_choices(found)
    form = forms.MeetingForm(request.POST, choices=choices, prefix="meeting")
    if form.is_valid():
        try:
            services.log_meeting(found, request.user, **form.cleaned_data)
        except services.MentoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Meeting logged."))
            return redirect("mentoring:pair", found.pk)
    return _pair_page(request, found, form, status=400)


@require_POST
@login_required
def observe(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_or_404(request.user, pk)
    if not permissions.may_observe_from(request.user, meeting.mentorship):
        raise Http404("Not found")
    activities = meeting.mentorship.mentee.organisation.activities
    form = forms.ObserveForm(request.POST, activities=activities)
    if not form.is_valid():
        messages.error(request, _("Choose an activity and a date to start the observation."))
        return redirect("mentoring:pair", meeting.mentorship_id)
    started = services.observe_from(meeting, **form.cleaned_data)
    group = services.first_group(meeting)
    target = reverse("assessments:observation", args=[started.pk])
    return redirect(f"{target}?{urlencode({'group': group})}" if group else target)
