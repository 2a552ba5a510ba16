"""Respondent pages: plain HTML forms that work with a keyboard, a screen reader and no
JavaScript. Progress lives in a signed cookie on the respondent's side (see models): the
response's secret key, the invitation token of a personal link, and the language the
respondent chose before starting."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from rtwcomp.site.clientip import client_ip
from rtwcomp.surveys import responding, throttle
from rtwcomp.surveys.models import (
    ACQUIRED_CHOICES,
    MAINTAINED_CHOICES,
    Invitation,
    Response,
    Study,
)

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
    http: HttpResponse, study: Study, response: Response | None, token: str = "", language: str = ""
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


def _current(request: HttpRequest, study: Study) -> tuple[Response | None, str]:
    state = _state(request, study)
    response = (
        Response.objects.select_related("round").filter(study=study, key=state.get("r", "")).first()
    )
    if response is not None and response.round_id != study.current_round().pk:
        response = None
    if response is not None:
        response.study = study  # already loaded: spare a query on every page
    return response, state.get("i", "")


def _study(slug: str) -> Study:
    return get_object_or_404(Study, slug=slug)


def _closed(request: HttpRequest, study: Study, message: str, status: int = 403) -> HttpResponse:
    return render(
        request, "surveys/respond/closed.html", {"study": study, "message": message}, status=status
    )


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
    if study.status != Study.Status.OPEN:
        return _closed(request, study, _("This study is not taking answers."))
    response, token = _current(request, study)
    if response is not None and response.completed:
        return redirect("surveys:thanks", slug=study.slug)
    template = "surveys/respond/landing.html"
    context: dict[str, Any] = {"study": study, "response": response, "error": ""}
    if request.method == "POST" and request.POST.get("action") == "language":
        language = _chosen_language(request)
        http = redirect("surveys:landing", slug=study.slug)
        if not language:
            return http
        if response is not None:
            responding.set_language(response, language)
        return _show_in(_remember(http, study, response, token, language), language)
    if request.method == "POST" and response is None:
        if study.access != Study.Access.OPEN_LINK:
            raise Http404
        chosen = _state(request, study).get("l", "")
        if study.access_code:
            tried = throttle.attempt(throttle.ACCESS_CODE, study, client_ip(request))
            if not tried.allowed:
                return _too_many(request, template, context, tried.retry_after)
            code = request.POST.get("access_code", "").strip()
            if not constant_time_compare(code, study.access_code):
                context["error"] = _("That access code is not right.")
                return render(request, template, context, status=400)
            throttle.give_back(tried)
        response = responding.start(study, language=chosen)
        http = redirect("surveys:page", slug=study.slug, number=1)
        return _remember(http, study, response, language=chosen)
    return render(request, template, context)


def personal_link(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """An invitation's link: starts or continues that panellist's answers.

    Nothing of the invitation is stored on an anonymous response; the pages are shown in
    the invitee's language through a cookie on the respondent's side only. A browser that
    holds unfinished anonymous answers without an invitation (resumed with a code) keeps
    them and takes this invitation for their submission.
    """
    study = _study(slug)
    invitation = get_object_or_404(Invitation, study=study, token=token)
    if study.status != Study.Status.OPEN:
        return _closed(request, study, _("This study is not taking answers."))
    response, held_token = _current(request, study)
    chosen = _state(request, study).get("l", "")
    if response is not None and held_token == token:
        return _continue(study, response)
    if (
        response is not None
        and not held_token
        and study.anonymous
        and not response.completed
        and not responding.invitation_used(invitation, response.round)
    ):
        return _remember(_continue(study, response), study, response, token, chosen)
    with translation.override(invitation.language):
        try:
            response = responding.start(study, language=chosen, invitation=invitation)
        except responding.Closed as closed:
            return _closed(request, study, str(closed))
    http = _remember(_continue(study, response), study, response, token, chosen)
    return http if chosen else _show_in(http, invitation.language)


def _continue(study: Study, response: Response) -> HttpResponse:
    """To the page the respondent reached, or the thank-you page when done."""
    if response.completed:
        return redirect("surveys:thanks", slug=study.slug)
    return redirect("surveys:page", slug=study.slug, number=max(1, response.page))


@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest, slug: str) -> HttpResponse:
    """Continue unfinished answers with a resume code (throttled like the access code).

    The browser keeps the invitation it may hold from a personal link, so answers started
    on one device can be finished on another that opened the same link.
    """
    study = _study(slug)
    template = "surveys/respond/resume.html"
    context: dict[str, Any] = {"study": study, "error": ""}
    if request.method == "POST":
        tried = throttle.attempt(throttle.RESUME_CODE, study, client_ip(request))
        if not tried.allowed:
            return _too_many(request, template, context, tried.retry_after)
        response = responding.find_by_resume_code(study, request.POST.get("code", "")[:40])
        if response is not None and response.round_id == study.current_round().pk:
            throttle.give_back(tried)
            state = _state(request, study)
            http = _continue(study, response)
            return _remember(http, study, response, state.get("i", ""), state.get("l", ""))
        context["error"] = _("No unfinished answers match that code.")
        return render(request, template, context, status=400)
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    study = _study(slug)
    if study.status != Study.Status.OPEN:
        return _closed(request, study, _("This study is not taking answers."))
    response, token = _current(request, study)
    if response is None:
        return redirect("surveys:landing", slug=study.slug)
    if response.completed:
        return redirect("surveys:thanks", slug=study.slug)
    round_ = response.round
    total = responding.page_count(study, round_)
    if not 1 <= number <= total:
        raise Http404
    questions_page = responding.is_question_page(study, round_, number, total)
    items = [] if questions_page else responding.page_items(study, round_, number)
    questions = list(study.questions.all()) if questions_page else []
    result = responding.PageResult()
    values: Any = {}
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if action == "language":
            language = _chosen_language(request)
            http = redirect("surveys:page", slug=study.slug, number=number)
            if language:
                responding.set_language(response, language)
                _show_in(http, language)
            return http
        finishing = action in ("next", "submit")
        with transaction.atomic():  # the page and the step it leads to, committed together
            # Another browser may have finished or discarded these answers meanwhile.
            submitted = list(
                Response.objects.select_for_update()
                .filter(pk=response.pk)
                .values_list("submitted_on", flat=True)
            )
            if not submitted:
                return redirect("surveys:landing", slug=study.slug)
            if submitted[0] is not None:
                return redirect("surveys:thanks", slug=study.slug)
            if questions_page:
                result = responding.save_questions(
                    response, questions, request.POST, finishing=finishing
                )
            else:
                result = responding.save_items(
                    response, items, request.POST, number, finishing=finishing
                )
            if not result.errors and (result.ok or not finishing):
                return _after_save(request, study, response, token, action, number, total)
        values = request.POST
    else:
        values = _stored_values(response, items)
    return render(
        request,
        "surveys/respond/page.html",
        _page_context(study, response, number, total, items, questions, result, values),
        status=400 if result.errors else 200,
    )


def _after_save(
    request: HttpRequest,
    study: Study,
    response: Response,
    token: str,
    action: str,
    number: int,
    total: int,
) -> HttpResponse:
    if action == "back":
        if number == 1:
            return redirect("surveys:landing", slug=study.slug)
        return redirect("surveys:page", slug=study.slug, number=number - 1)
    if action == "save":
        code = (
            ""
            if (response.invitation_id and not study.anonymous)
            else responding.new_resume_code(response)
        )
        return render(
            request,
            "surveys/respond/saved.html",
            {"study": study, "code": code, "number": number},
        )
    if number < total:
        if response.page < number + 1:
            Response.objects.filter(pk=response.pk, page__lt=number + 1).update(page=number + 1)
        return redirect("surveys:page", slug=study.slug, number=number + 1)
    outcome = responding.submit(response, token or None)
    if outcome is responding.Submitted.ALREADY_USED:
        http = _closed(request, study, responding.already_used_message(), status=409)
        http.delete_cookie(_cookie_name(study), samesite="Lax")
        return http
    if outcome is responding.Submitted.NEEDS_INVITATION:
        return _closed(
            request,
            study,
            _(
                "To finish, open the personal link from your invitation e-mail in this "
                "browser, then submit again: your answers are kept."
            ),
        )
    return redirect("surveys:thanks", slug=study.slug)


def _stored_values(response: Response, items: list[Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for answer in response.answers.filter(item__in=items):
        values[f"item-{answer.item_id}"] = "" if answer.value is None else str(answer.value)
        values[f"acquired-{answer.item_id}"] = answer.acquired
        values[f"maintained-{answer.item_id}"] = answer.maintained
    for key, value in response.attributes.items():
        values[f"q-{key}"] = value
    return values


def _page_context(
    study: Study,
    response: Response,
    number: int,
    total: int,
    items: list[Any],
    questions: list[Any],
    result: responding.PageResult,
    values: Any,
) -> dict[str, Any]:
    previous = responding.previous_ratings(response)
    distribution = responding.previous_distribution(study, response.round)
    scale = [
        {"value": str(p["value"]), "label": p.get("translations", {}).get(_lang(), p["label"])}
        for p in study.scale
    ]
    rows = []
    for item in items:
        name = f"item-{item.pk}"
        counts = distribution.get(item.pk, {})
        rows.append(
            {
                "item": item,
                "name": name,
                "value": str(values.get(name, "")),
                "acquired": str(values.get(f"acquired-{item.pk}", "")),
                "maintained": str(values.get(f"maintained-{item.pk}", "")),
                "error": result.errors.get(name, ""),
                "previous": previous.get(item.pk),
                "distribution": _distribution(counts, scale),
                "distribution_n": sum(counts.values()),
            }
        )
    return {
        "study": study,
        "response": response,
        "number": number,
        "total": total,
        "rows": rows,
        "questions": [_question_row(q, values, result) for q in questions],
        "scale": scale,
        "acquired_choices": _labelled(ACQUIRED_CHOICES),
        "maintained_choices": _labelled(MAINTAINED_CHOICES),
        "errors": result.errors,
        "warned": result.warned,
        "unanswered": [r for r in rows if not r["value"]] if result.warned else [],
        "last": number == total,
        "round": response.round,
    }


def _distribution(counts: dict[int, int], scale: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The previous round's count per scale point, with a bar width in percent."""
    n = sum(counts.values())
    if not n:
        return []
    return [
        {
            "value": point["value"],
            "count": counts.get(int(point["value"]), 0),
            "width": round(100 * counts.get(int(point["value"]), 0) / n),
        }
        for point in scale
    ]


def _lang() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _labelled(choices: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    french = _lang() == "fr"
    return [(value, fr if french else en) for value, en, fr in choices]


def _question_row(question: Any, values: Any, result: responding.PageResult) -> dict[str, Any]:
    name = f"q-{question.key}"
    if hasattr(values, "getlist"):
        chosen = values.getlist(name)
    else:
        raw = values.get(name, "")
        chosen = raw if isinstance(raw, list) else [raw]
    return {
        "question": question,
        "name": name,
        "label": question.translated("label"),
        "chosen": [str(c) for c in chosen],
        "value": str(chosen[0]) if chosen else "",
        "choices": [
            (str(c["value"]), c.get("translations", {}).get(_lang(), c["label"]))
            for c in question.choices
        ],
        "error": result.errors.get(name, ""),
    }


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    study = _study(slug)
    response, _token = _current(request, study)
    if response is None or not response.completed:
        return redirect("surveys:landing", slug=study.slug)
    return render(request, "surveys/respond/thanks.html", {"study": study})
