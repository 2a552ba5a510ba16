"""A project's slow work as a background job (`rtwcomp.jobs`): duplicate suggestions (the
semantic method loads a language model and encodes every statement: 17 s for 40 statements
on a first run, about a minute for 10,000). Starting one is quick; `rtwcomp worker` does
the work."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from rtwcomp.elicitation import clustering, services
from rtwcomp.elicitation.models import Project
from rtwcomp.frameworks.models import Framework
from rtwcomp.jobs.models import Job
from rtwcomp.jobs.services import JobError, job_task, report, start


def semantic_missing() -> str:
    """Why the semantic method cannot run here, translated (the install hint)."""
    return _("The semantic method is not installed here: it needs %(command)s.") % {
        "command": "pip install 'rtwcomp[semantic]'"
    }


@job_task
def suggest(
    job: Job,
    *,
    project_id: int,
    method: str,
    threshold: float | None,
    framework_id: int | None,
) -> None:
    """`services.suggest` with progress; the suggestions are stored on the statements."""
    project = Project.objects.get(pk=project_id)
    framework = Framework.objects.get(pk=framework_id) if framework_id else None
    if method == "semantic":
        if not clustering.semantic_available():
            raise JobError(semantic_missing())
        report(job, 5, _("Loading the language model…"))
        try:  # the model and the reference corpus's embeddings, cached for the calls below
            clustering.similarity([project.role], "semantic", project.role)
        except clustering.SemanticUnavailable as error:
            raise JobError(semantic_missing()) from error
    messages = {
        "comparing": (30, _("Encoding and grouping the statements…")),
        "storing": (90, _("Storing the suggestions…")),
    }
    try:
        suggestions = services.suggest(
            project,
            method,
            threshold,
            framework,
            progress=lambda stage: report(job, *messages[stage]),
        )
    except clustering.SemanticUnavailable as error:
        raise JobError(semantic_missing()) from error
    groups = len({s.cluster for s in suggestions})
    done = {"n": len(suggestions), "groups": groups}
    report(job, 100, _("%(n)d statement(s) compared, in %(groups)d group(s).") % done)


def start_suggest(
    project: Project,
    owner: Any,
    *,
    method: str,
    threshold: float | None = None,
    framework: Framework | None = None,
) -> Job:
    """Queue duplicate suggestions for the project's open statements; the job belongs to
    `owner`, who asked for it, and its page links back to the suggestions page."""
    return start(
        suggest,
        owner=owner,
        title=_("Duplicate suggestions: %(project)s") % {"project": project.name},
        target=project,
        back_url=reverse("elicitation:suggestions", args=[project.slug]),
        project_id=project.pk,
        method=method,
        threshold=threshold,
        framework_id=framework.pk if framework is not None else None,
    )
