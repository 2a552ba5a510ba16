"""Assessment pages: my people, a person's ratings side by side, self-assessment, direct
observation.

Who may open what is decided by `rtwcomp.permissions` (through `selectors.person_or_404`):
anything else answers 404, as for a person who does not exist. Views parse, call one
selector or service, and render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rtwcomp import permissions
from rtwcomp.assessments import (
    exports,
    forms,
    logins,
    report_data,
    rounds,
    scales,
    selectors,
    services,
)
from rtwcomp.assessments.models import Observation, RoleProfile
from rtwcomp.site import mail


@login_required
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "people": selectors.my_people(request.user),
        "teams": selectors.my_teams(request.user),
        "organisations": selectors.administered(request.user),
    }
    return render(request, "assessments/index.html", context)


@login_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.team_or_404(request.user, pk)
    return render(request, "assessments/team.html", selectors.team_page(found))


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.person_or_404(request.user, pk)
    profiles = RoleProfile.objects.filter(organisation=subject.organisation_id)
    profile = selectors.chosen_profile(subject, request.GET.get("profile", ""))
    context = {
        "person": subject,
        "profiles": profiles,
        "profile": profile,
        "may_self_assess": permissions.may_self_assess(request.user, subject),
        "may_observe": request.user.has_perm("assessments.observe_person", subject),
        "may_invite": request.user.has_perm("assessments.change_person", subject),
        "login_state": logins.state(subject),
        **selectors.person_page(subject, profile),
    }
    return render(request, "assessments/person.html", context)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.person_or_404(request.user, pk, "assessments.change_person")
    try:
        logins.invite(subject, mail.site_url(request))
    except logins.LoginRefused as refused:
        messages.error(request, str(refused))
    else:
        sent = _("A log-in invitation was sent to %(email)s.") % {"email": subject.email}
        messages.success(request, sent)
    return redirect("assessments:person", subject.pk)


class ChoosePassword(PasswordResetConfirmView):
    """The link of a log-in invitation: the person chooses a password, then logs in. A
    used, expired or unknown link answers 404."""

    template_name = "assessments/choose_password.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Your password is set: log in with it."))
        return super().form_valid(form)

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        status = kwargs.pop("status", 200) if context.get("validlink") else 404
        return super().render_to_response(context, status=status, **kwargs)


@login_required
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.own_record_or_404(request.user, pk)
    group, competencies = selectors.group_competencies(subject, request.GET.get("group"))
    scale = scales.labels(subject.organisation)
    form = forms.RatingsForm(
        request.POST or None, competencies=competencies, scale=scale, marks_indicators=False
    )
    if request.method == "POST" and form.is_valid():
        kept = services.self_assess_marks(subject, form.marks(), request.user)
        messages.success(
            request, ngettext("%(n)d rating kept.", "%(n)d ratings kept.", kept) % {"n": kept}
        )
        return redirect("assessments:person", subject.pk)
    context = {
        "person": subject,
        "group": group,
        "groups": selectors.groups_of(subject),
        "form": form,
        "scale": scale,
    }
    return render(request, "assessments/self.html", context, status=400 if form.errors else 200)


@login_required
def observe(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.person_or_404(request.user, pk, "assessments.observe_person")
    observer = selectors.acting_as(request.user, subject)
    activities = subject.organisation.activities
    form = forms.ObservationForm(request.POST or None, activities=activities)
    if request.method == "POST" and form.is_valid() and observer is not None:
        started = services.start_observation(subject, observer, **form.cleaned_data)
        return redirect("assessments:observation", started.pk)
    context = {"person": subject, "form": form, "observer": observer}
    return render(request, "assessments/observe.html", context, status=400 if form.errors else 200)


def _observation(request: HttpRequest, pk: int) -> Observation:
    """A draft observation, for the observer who started it while they may still observe."""
    found = Observation.objects.filter(
        pk=selectors.known_id(pk), observer__user=request.user.pk
    ).first()
    if found is None or not request.user.has_perm("assessments.observe_person", found.subject):
        raise Http404("Not found")
    return found


@login_required
def observation(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _observation(request, pk)
    group, competencies = selectors.group_competencies(draft.subject, request.GET.get("group"))
    initial = forms.initial_from(draft.marks)
    scale = scales.labels(draft.subject.organisation)
    form = forms.RatingsForm(
        request.POST or None, competencies=competencies, initial=initial, scale=scale
    )
    if request.method == "POST" and form.is_valid() and draft.status == Observation.Status.DRAFT:
        return _keep_observation(request, draft, form)
    context = {
        "observation": draft,
        "group": group,
        "groups": selectors.groups_of(draft.subject),
        "form": form,
    }
    return render(
        request, "assessments/observation.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def observation_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave (htmx, every few seconds while the observer types): keep the page in the
    draft and answer with a status line; the page's own buttons save without JavaScript."""
    draft = _observation(request, pk)
    _group, competencies = selectors.group_competencies(draft.subject, request.GET.get("group"))
    scale = scales.labels(draft.subject.organisation)
    form = forms.RatingsForm(request.POST, competencies=competencies, scale=scale)
    saved = form.is_valid() and draft.status == Observation.Status.DRAFT
    if saved:
        services.save_draft(draft, form.marks())
    context = {"saved": saved, "at": timezone.localtime()}
    return render(request, "assessments/_saved.html", context, status=200 if saved else 400)


def _keep_observation(
    request: HttpRequest, draft: Observation, form: forms.RatingsForm
) -> HttpResponse:
    """Save the page into the draft; then go to another group, stay, or submit."""
    services.save_draft(draft, form.marks())
    if "submit" in request.POST:
        kept = services.submit_observation(draft, request.user)
        messages.success(request, _kept(kept))
        return redirect("assessments:person", draft.subject_id)
    messages.success(request, _("Draft saved."))
    target = request.POST.get("goto", "")
    query = f"?group={quote(target)}" if target else f"?{request.GET.urlencode()}"
    return redirect(reverse("assessments:observation", args=[draft.pk]) + query)


def _kept(n: int) -> str:
    return ngettext("%(n)d rating kept.", "%(n)d ratings kept.", n) % {"n": n}


@login_required
def request_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.person_or_404(request.user, pk, "assessments.request_feedback_person")
    form = forms.FeedbackRequestForm(
        request.POST or None, groups=list(selectors.groups_of(subject))
    )
    context: dict[str, object] = {"person": subject, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        competencies = selectors.competencies_of_groups(subject, data["groups"])
        made, token = services.request_feedback(
            subject, source=data["source"], rater_name=data["rater_name"],
            competencies=competencies, user=request.user,
        )  # fmt: skip
        link = request.build_absolute_uri(reverse("assessments:feedback", args=[token]))
        context |= {"made": made, "link": link}
    return render(request, "assessments/request_feedback.html", context)


def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """An outside rater's form: no log-in; the link is the key, good for one answer."""
    try:
        asked = services.open_feedback(token)
    except (services.FeedbackLinkError, services.UnknownLink) as error:
        return _link_refused(request, error)
    competencies = list(asked.competencies.prefetch_related("indicators"))
    scale = scales.labels(asked.subject.organisation)
    form = forms.RatingsForm(request.POST or None, competencies=competencies, scale=scale)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_feedback(token, form.marks())
        except services.FeedbackLinkError as error:
            return _link_refused(request, error)
        return render(request, "assessments/feedback_thanks.html", {"asked": asked})
    status = 400 if form.errors else 200
    return render(
        request, "assessments/feedback.html", {"asked": asked, "form": form}, status=status
    )


def _link_refused(request: HttpRequest, error: Exception) -> HttpResponse:
    """410 for a used or expired link, with the reason; 404 for a token no link has."""
    if isinstance(error, services.UnknownLink):
        raise Http404("Not found")
    return render(request, "assessments/link_refused.html", {"reason": str(error)}, status=410)


@login_required
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's page for its programme admins: its rounds, and a new one."""
    found = selectors.organisation_or_404(request.user, slug)
    form = forms.RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = rounds.create_round(found, **form.cleaned_data, user=request.user)
        except rounds.RoundError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("Round “%(name)s” created.") % {"name": made.name})
            return redirect("assessments:organisation", found.slug)
    context = {**selectors.organisation_page(found), "form": form}
    status = 400 if form.errors else 200
    return render(request, "assessments/organisation.html", context, status=status)


@login_required
def export_round(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    """A round's ratings as CSV or XLSX, for the organisation's programme admins."""
    found = selectors.organisation_or_404(request.user, slug)
    chosen = found.rounds.filter(pk=selectors.known_id(pk)).first()
    if chosen is None or fmt not in exports.FORMATS:
        raise Http404("Not found")
    response = HttpResponse(exports.content(chosen, fmt), content_type=exports.FORMATS[fmt])
    name = exports.filename(chosen, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def organisation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's scale labels and activity list, for its programme admins."""
    found = selectors.organisation_or_404(request.user, slug)
    initial = {"scale": "\n".join(found.scale), "activities": "\n".join(found.activities)}
    form = forms.SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: scales.lines(v) for k, v in form.cleaned_data.items()}
        try:
            scales.update(found, **data)
        except scales.SettingsError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("Settings saved."))
            return redirect("assessments:organisation", found.slug)
    context = {"organisation": found, "form": form}
    status = 400 if form.errors else 200
    return render(request, "assessments/settings.html", context, status=status)


@login_required
def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The individual profile report (HTML or PDF), for those who may see the person."""
    subject = selectors.person_or_404(request.user, pk)
    if fmt not in report_data.FORMATS:
        raise Http404("Not found")
    profile = selectors.chosen_profile(subject, request.GET.get("profile", ""))
    body = report_data.render(subject, profile, fmt)
    response = HttpResponse(body, content_type=report_data.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="profile-{subject.pk}.{fmt}"'
    return response
