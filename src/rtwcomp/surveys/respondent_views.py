"""Respondent pages: plain HTML forms that work with a keyboard, a screen reader and no
JavaScript. Progress lives in a signed cookie on the respondent's side (see models): the
response's secret key, the invitation token of a personal link, and the language the
respondent chose before starting."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from rtwcomp import permissions
from rtwcomp.site.clientip import client_ip
from rtwcomp.surveys import responding, selectors, studies
from rtwcomp.surveys.models import Invitation, Study, SurveyResponse

COOKIE_SALT = "rtwcomp.surveys.respondent"
COOKIE_AGE = 120 * 24 * 3600


def _cookie_name(study: Study) -> str:
    return f"rtwcomp-study-{study.pk}"


def _state(request: HttpRequest, study: Study) -> dict[str, str]:
    try:
        value = request.get_signed_cookie(_cookie_name(study), salt=COOKIE_SALT, max_age=COOKIE_AGE)
        return dict(signing.loads(value)) if value else {}
    except (KeyError, signing.BadSignature, ValueError):
        return {}


def _remember(
    http: HttpResponse,
    study: Study,
    response: SurveyResponse | None,
    token: str = "",
    language: str = "",
) -> HttpResponse:
    value = signing.dumps({"r": response.key if response else "", "i": token, "l": language})
    http.set_signed_cookie(
        _cookie_name(study),
        value,
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
    )
    return http


def _current(request: HttpRequest, study: Study) -> tuple[SurveyResponse | None, str]:
    """The response this browser holds in the current round, and its invitation token."""
    state = _state(request, study)
    return responding.current_response(study, state.get("r", "")), state.get("i", "")


def _study(slug: str) -> Study:
    return get_object_or_404(Study, slug=slug)


def _closed(request: HttpRequest, study: Study, message: str, status: int = 403) -> HttpResponse:
    return render(
        request, "surveys/respond/closed.html", {"study": study, "message": message}, status=status
    )


def _refused(
    request: HttpRequest, study: Study, response: SurveyResponse | None = None
) -> HttpResponse | None:
    """The closed page when the study takes no answers now (`studies.availability`: its
    status and dates; a test response in a draft is taken), else None."""
    available = studies.availability(study, test=response is not None and response.is_test)
    return None if available.open else _closed(request, study, available.message)


def _chosen_language(request: HttpRequest) -> str:
    """The language asked for with the respondent pages' language switch, if valid."""
    language = request.POST.get("language", "")
    return language if language in dict(settings.LANGUAGES) else ""


def _show_in(http: HttpResponse, language: str) -> HttpResponse:
    """Show the following pages in `language` (a cookie on the respondent's side only)."""
    http.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return http


def _too_many(
    request: HttpRequest, template: str, context: dict[str, Any], wait: int
) -> HttpResponse:
    """429, with the wait in whole minutes (rounded up) in the message."""
    minutes = max(1, -(-wait // 60))
    context["error"] = ngettext(
        "Too many attempts; try again in %(minutes)d minute.",
        "Too many attempts; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    http = render(request, template, context, status=429)
    http["Retry-After"] = str(wait)
    return http


@require_http_methods(["GET", "POST"])
def landing(request: HttpRequest, slug: str) -> HttpResponse:
    """The study's open link: introduction, access code if any, start or continue."""
    study = _study(slug)
    response, token = _current(request, study)
    if (refused := _refused(request, study, response)) is not None:
        return refused
    if response is not None and response.completed:
        return redirect("surveys:thanks", slug=study.slug)
    if request.method == "POST" and request.POST.get("action") == "language":
        http = redirect("surveys:landing", slug=study.slug)
        return _switch_language(request, http, study, response, token)
    if request.method == "POST" and response is None:
        return _start(request, study)
    context = {"study": study, "response": response, "error": ""}
    return render(request, "surveys/respond/landing.html", context)


def _switch_language(
    request: HttpRequest,
    http: HttpResponse,
    study: Study,
    response: SurveyResponse | None,
    token: str,
) -> HttpResponse:
    """The landing page's language switch: remembered in the browser (and on the response)."""
    language = _chosen_language(request)
    if not language:
        return http
    if response is not None:
        responding.set_language(response, language)
    return _show_in(_remember(http, study, response, token, language), language)


def _start(request: HttpRequest, study: Study) -> HttpResponse:
    """Start answering through the open link, once the access code (if any) is right."""
    if study.access != Study.Access.OPEN_LINK:
        raise Http404
    template = "surveys/respond/landing.html"
    context: dict[str, Any] = {"study": study, "response": None, "error": ""}
    code = request.POST.get("access_code", "")
    checked = responding.check_access_code(study, code, client_ip(request))
    if checked.retry_after:
        return _too_many(request, template, context, checked.retry_after)
    if not checked.ok:
        context["error"] = _("That access code is not right.")
        return render(request, template, context, status=400)
    chosen = _state(request, study).get("l", "")
    response = responding.start(study, language=chosen)
    http = redirect("surveys:page", slug=study.slug, number=1)
    return _remember(http, study, response, language=chosen)


def personal_link(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """An invitation's link: starts answers on the study's introduction, or goes on.

    Nothing of the invitation is stored on an anonymous response; the pages are shown in
    the invitee's language through a cookie on the respondent's side only. Unfinished
    anonymous answers resumed with a code (no invitation held) take this one to be submitted.
    """
    study = _study(slug)
    invitation = get_object_or_404(Invitation, study=study, token=token)
    if (refused := _refused(request, study)) is not None:
        return refused
    response, held_token = _current(request, study)
    chosen = _state(request, study).get("l", "")
    if response is not None and held_token == token:
        return _introduction(study, response)
    if response is not None and responding.takes_invitation(response, held_token, invitation):
        return _remember(_introduction(study, response), study, response, token, chosen)
    with translation.override(invitation.language):
        try:
            response = responding.start(study, language=chosen, invitation=invitation)
        except responding.Closed as closed:
            return _closed(request, study, str(closed))
    http = _remember(_introduction(study, response), study, response, token, chosen)
    return http if chosen else _show_in(http, invitation.language)


def _introduction(study: Study, response: SurveyResponse) -> HttpResponse:
    """To the study's introduction (whose button starts) when the answers have not gone
    past the first page; else on to the page reached, or the thank-you page when done."""
    if response.page <= 1 and not response.completed:
        return redirect("surveys:landing", slug=study.slug)
    return _continue(study, response)


def _continue(study: Study, response: SurveyResponse) -> HttpResponse:
    """To the page the respondent reached, or the thank-you page when done."""
    if response.completed:
        return redirect("surveys:thanks", slug=study.slug)
    return redirect("surveys:page", slug=study.slug, number=max(1, response.page))


@permissions.researcher_required
@require_POST
def test_start(request: HttpRequest, slug: str) -> HttpResponse:
    """The researcher tries a draft or open study as a respondent, with a test response
    (never in results, counts or exports), in the language of the researcher's pages."""
    study = selectors.study(request.user, slug)
    language = (translation.get_language() or "").split("-")[0]
    language = language if language in dict(settings.LANGUAGES) else ""
    try:
        response = responding.start_test(study, language=language)
    except responding.Closed as closed:
        return _closed(request, study, str(closed), status=409)
    http = redirect("surveys:landing", slug=study.slug)
    return _remember(http, study, response, language=language)


@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest, slug: str) -> HttpResponse:
    """Continue unfinished answers with a resume code (throttled like the access code).

    The browser keeps the invitation it may hold from a personal link, so answers started
    on one device can be finished on another that opened the same link.
    """
    study = _study(slug)
    template = "surveys/respond/resume.html"
    context: dict[str, Any] = {"study": study, "error": ""}
    if request.method != "POST":
        return render(request, template, context)
    found = responding.resume(study, request.POST.get("code", ""), client_ip(request))
    if found.retry_after:
        return _too_many(request, template, context, found.retry_after)
    if found.response is None:
        context["error"] = _("No unfinished answers match that code.")
        return render(request, template, context, status=400)
    state = _state(request, study)
    http = _continue(study, found.response)
    return _remember(http, study, found.response, state.get("i", ""), state.get("l", ""))


@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    study = _study(slug)
    response, token = _current(request, study)
    if (refused := _refused(request, study, response)) is not None:
        return refused
    if response is None or response.completed:
        return redirect("surveys:thanks" if response else "surveys:landing", slug=study.slug)
    content = responding.page_content(study, response.round, number)
    if content is None:
        raise Http404
    action = request.POST.get("action", "next")
    if request.method == "POST" and action == "language":
        return _switch_page_language(request, response, number)
    result, values = responding.PageResult(), request.POST
    if request.method == "POST":
        outcome = responding.answer_page(response, content, request.POST, action, token)
        if outcome.step is not responding.Step.SHOW:
            return _after_save(request, study, outcome, number)
        result = outcome.result
    else:
        values = responding.stored_values(response, content.items)
    context = selectors.respondent_page(study, response, content, result, values)
    status = 400 if result.errors else 200
    return render(request, "surveys/respond/page.html", context, status=status)


def _switch_page_language(
    request: HttpRequest, response: SurveyResponse, number: int
) -> HttpResponse:
    language = _chosen_language(request)
    http = redirect("surveys:page", slug=response.study.slug, number=number)
    if language:
        responding.set_language(response, language)
        _show_in(http, language)
    return http


def _after_save(
    request: HttpRequest, study: Study, outcome: responding.PageOutcome, number: int
) -> HttpResponse:
    """Where a stored page leads: a redirect, the resume code, or the end of the study."""
    step = outcome.step
    if step is responding.Step.GONE or (step is responding.Step.BACK and number == 1):
        return redirect("surveys:landing", slug=study.slug)
    if step is responding.Step.BACK:
        return redirect("surveys:page", slug=study.slug, number=number - 1)
    if step is responding.Step.SAVED:
        context = {"study": study, "code": outcome.code, "number": number}
        return render(request, "surveys/respond/saved.html", context)
    if step is responding.Step.NEXT:
        return redirect("surveys:page", slug=study.slug, number=number + 1)
    if outcome.submitted is responding.Submitted.ALREADY_USED:
        http = _closed(request, study, responding.already_used_message(), status=409)
        http.delete_cookie(_cookie_name(study), samesite="Lax")
        return http
    if outcome.submitted is responding.Submitted.NEEDS_INVITATION:
        return _closed(request, study, NEEDS_INVITATION)
    return redirect("surveys:thanks", slug=study.slug)  # COMPLETED, or SUBMITTED and done


NEEDS_INVITATION = gettext_lazy(
    "To finish, open the personal link from your invitation e-mail in this "
    "browser, then submit again: your answers are kept."
)


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    study = _study(slug)
    response, _token = _current(request, study)
    if response is None or not response.completed:
        return redirect("surveys:landing", slug=study.slug)
    context = {"study": study, "test": response.is_test}
    return render(request, "surveys/respond/thanks.html", context)
