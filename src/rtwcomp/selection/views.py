"""Selection pages: questions, interview guides, vacancies, candidates, score sheets and the
comparison of candidates.

Who may open what is decided by `rtwcomp.permissions` (through the selectors' `..._or_404`):
anyone else gets 404, as for a vacancy or candidate that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rtwcomp import permissions
from rtwcomp.selection import forms, selectors, services
from rtwcomp.selection.models import Candidate


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "selection/index.html", selectors.index(request.user))


def _organisation_page(request: HttpRequest, organisation, **forms_: object) -> HttpResponse:
    context = {
        "guide_form": forms.GuideForm(organisation=organisation, prefix="guide"),
        "vacancy_form": forms.VacancyForm(organisation=organisation, prefix="vacancy"),
        **forms_,
        **selectors.organisation_page(organisation),
    }
    return render(request, "selection/organisation.html", context, status=400 if forms_ else 200)


@login_required
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.organisation_or_404(request.user, slug)
    return _organisation_page(request, found)


@login_required
def question(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = selectors.organisation_or_404(request.user, slug)
    competency = selectors.competency_or_404(found, pk)
    text, text_fr, _saved = services.question_for(found, competency)
    form = forms.QuestionForm(request.POST or None, initial={"text": text, "text_fr": text_fr})
    if request.method == "POST" and form.is_valid():
        services.save_question(found, competency, **form.cleaned_data, user=request.user)
        messages.success(request, _("Question saved."))
        return redirect("selection:organisation", found.slug)
    context = {"organisation": found, "competency": competency, "form": form}
    return render(request, "selection/question.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def new_guide(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.organisation_or_404(request.user, slug)
    form = forms.GuideForm(request.POST, organisation=found, prefix="guide")
    if form.is_valid():
        data = form.cleaned_data
        try:
            guide = services.make_guide(
                data["profile"], name=data["name"], size=data["size"], user=request.user
            )
        except services.SelectionError as error:
            form.add_error("name", str(error))
        else:
            return redirect("selection:guide", guide.pk)
    return _organisation_page(request, found, guide_form=form)


@require_POST
@login_required
def new_vacancy(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.organisation_or_404(request.user, slug)
    form = forms.VacancyForm(request.POST, organisation=found, prefix="vacancy")
    if form.is_valid():
        try:
            vacancy = services.open_vacancy(found, **form.cleaned_data, user=request.user)
        except services.SelectionError as error:
            form.add_error("panel", str(error))
        else:
            return redirect("selection:vacancy", vacancy.pk)
    return _organisation_page(request, found, vacancy_form=form)


@login_required
def guide(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.guide_or_404(request.user, pk)
    return render(request, "selection/guide.html", selectors.guide_page(found))


@login_required
def vacancy(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.vacancy_or_404(request.user, pk)
    form = forms.CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = services.add_candidate(found, **form.cleaned_data)
        messages.success(request, _("Candidate added."))
        return redirect("selection:candidate", added.pk)
    context = {"vacancy": found, "candidates": found.candidates.all(), "form": form}
    return render(request, "selection/vacancy.html", context, status=400 if form.errors else 200)


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.vacancy_or_404(request.user, pk)
    return render(request, "selection/compare.html", selectors.comparison(found, request.user))


@login_required
def candidate(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.candidate_or_404(request.user, pk)
    sheet = selectors.sheet_of(found, request.user)
    items = list(found.vacancy.guide.items.all())
    form = forms.ScoreSheetForm(request.POST or None, items=items, sheet=sheet)
    scoring = request.method == "POST" and permissions.may_score(request.user, found.vacancy)
    if scoring and form.is_valid():
        return _keep_sheet(request, found, form)
    context = {"form": form, "sheet": sheet, **selectors.candidate_page(found, request.user)}
    context["sheet_rows"] = [(row, form.fields_of(row["item"])) for row in context["rows"]]
    return render(request, "selection/candidate.html", context, status=400 if form.errors else 200)


def _keep_sheet(request: HttpRequest, found: Candidate, form: forms.ScoreSheetForm) -> HttpResponse:
    submit = "submit" in request.POST
    try:
        services.save_sheet(found, request.user, form.marks(), submit=submit)
    except services.SelectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Score sheet submitted.") if submit else _("Scores saved."))
    return redirect("selection:candidate", found.pk)


@login_required
def delete_candidate(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.candidate_or_404(request.user, pk, "selection.delete_candidate")
    if request.method == "POST":
        vacancy = found.vacancy
        services.delete_candidate(found)
        messages.success(request, _("The candidate and every record about them were deleted."))
        return redirect("selection:vacancy", vacancy.pk)
    return render(request, "selection/delete_candidate.html", {"candidate": found})
