"""A project's slow work as background jobs (`rtwcomp.jobs`): duplicate suggestions (the
semantic method loads a language model and encodes every statement: 17 s for 40 statements
on a first run, about a minute for 10,000), and the import of a large statements file.
Starting one is quick; `rtwcomp worker` does the work."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from rtwcomp.elicitation import clustering, services
from rtwcomp.elicitation.models import Project
from rtwcomp.frameworks.models import Framework
from rtwcomp.interop.errors import InputError
from rtwcomp.interop.statements_csv import LIMITS as STATEMENT_LIMITS
from rtwcomp.interop.statements_csv import read_statements_csv
from rtwcomp.jobs import services as jobs
from rtwcomp.jobs.models import Job
from rtwcomp.jobs.services import JobError, job_task, report, start

# What a statements file imported by a job may hold: the request's own limits. The rows are
# read and checked before the one transaction that stores them (with their history rows),
# but that transaction holds the database's write lock, and `bench/uploads.py --write-lock`
# measured 5,000 statements holding it for 2 s on two busy shared cores (0.65 s of CPU;
# 10,000: 3 s, 1 s of CPU), so a job is not allowed more rows than the request.
JOB_LIMITS = STATEMENT_LIMITS


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


@job_task
def import_statements(job: Job, *, project_id: int) -> None:
    """A statements file read and checked in full, outside any transaction, then stored in
    one short one (`services.import_statements`): all or nothing."""
    project = Project.objects.get(pk=project_id)
    name, content = jobs.input_file(job)
    report(job, 10, _("Reading %(name)s…") % {"name": name})
    try:
        rows = read_statements_csv(io.BytesIO(content), name, len(content), JOB_LIMITS)
        report(job, 60, _("Storing %(n)d statements…") % {"n": len(rows)})
        count = services.import_statements(project, rows, name)
    except InputError as error:
        raise jobs.nothing_imported(error) from error
    report(job, 100, _("%(n)d statements imported.") % {"n": count})


def import_in_background(upload: UploadedFile) -> bool:
    """Whether a statements upload is imported by a job (`jobs.in_background`)."""
    return jobs.in_background(upload, JOB_LIMITS.max_bytes)


def start_import(project: Project, upload: UploadedFile, owner: Any) -> Job:
    """Queue the import of a large statements file into the project."""
    return jobs.start_import(
        import_statements,
        upload,
        owner=owner,
        title=_("Import of %(name)s: %(project)s") % {"name": upload.name, "project": project.name},
        target=project,
        back_url=reverse("elicitation:project", args=[project.slug]),
        project_id=project.pk,
    )
