"""A study's slow work as background jobs (`rtwcomp.jobs`): the report, a large study's
export file, invitation and reminder e-mails, and the import of a large panel. Starting one
is quick; `rtwcomp worker` does the work."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from rtwcomp.interop.errors import InputError
from rtwcomp.interop.panel_csv import LIMITS as PANEL_LIMITS
from rtwcomp.interop.panel_csv import read_panel_csv
from rtwcomp.jobs import services as jobs
from rtwcomp.jobs.models import Job
from rtwcomp.jobs.services import JobError, Output, job_task, report, start
from rtwcomp.reports import render_html, render_pdf
from rtwcomp.site import mail
from rtwcomp.stats import SurveyDataError
from rtwcomp.surveys import exports, invitations, report_data
from rtwcomp.surveys.models import Answer, Study, SurveyResponse


@job_task
def render_report(job: Job, *, study_id: int, fmt: str) -> Output:
    """The study report as a file (PDF or HTML), through `report_data`."""
    study = Study.objects.get(pk=study_id)
    report(job, 10, _("Analysing the responses…"))
    try:
        data = report_data.report_data(study)
    except report_data.NothingToReport as error:
        raise JobError(_("There is no completed response to report on yet.")) from error
    except SurveyDataError as error:
        raise JobError(str(error)) from error
    report(job, 50, _("Laying out the report…"))
    content = render_pdf(data) if fmt == "pdf" else render_html(data).encode("utf-8")
    return Output(f"{study.slug}-report.{fmt}", report_data.FORMATS[fmt], content)


@job_task
def send_invitations(job: Job, *, study_id: int, reminders: bool, site_url: str = "") -> None:
    """Invitation (or reminder) e-mails to those not yet written to (or not finished), with
    links under `site_url`, captured when the job was started."""
    study = Study.objects.get(pk=study_id)
    report(job, 10, _("Sending e-mails…"))
    sent = invitations.send(study, reminders=reminders, site_url=site_url)
    report(job, 100, _("%(n)d e-mail(s) sent.") % {"n": sent})


def start_report(study: Study, fmt: str, owner: Any) -> Job:
    """Queue the study's report; refuses at once (NothingToReport) before any response."""
    if not SurveyResponse.objects.completed().filter(study=study).exists():
        raise report_data.NothingToReport(f"{study.slug}: no completed response yet")
    return start(
        render_report,
        owner=owner,
        title=_("Report (%(fmt)s): %(study)s") % {"fmt": fmt.upper(), "study": study.name},
        target=study,
        back_url=reverse("surveys:dashboard", args=[study.slug]),
        study_id=study.pk,
        fmt=fmt,
    )


def start_sending(
    study: Study, owner: Any, *, reminders: bool, site_url: str = ""
) -> tuple[Job, int]:
    """Queue the study's invitation or reminder e-mails; returns the job and how many are
    due now. The job belongs to `owner`, who asked for it; the e-mails' links start with
    `site_url` (the address of the request that asked), by default `mail.site_url()`."""
    due = _due(study, reminders=reminders)
    title = _("Reminders: %(study)s") if reminders else _("Invitations: %(study)s")
    job = start(
        send_invitations,
        owner=owner,
        title=title % {"study": study.name},
        target=study,
        back_url=reverse("surveys:detail", args=[study.slug]),
        study_id=study.pk,
        reminders=reminders,
        site_url=site_url or mail.site_url(),
    )
    return job, due


def _due(study: Study, *, reminders: bool) -> int:
    """How many e-mails `invitations.send` would send now (the same rule)."""
    sent = study.invitations.filter(sent_at__isnull=not reminders)
    return sent.exclude(pk__in=invitations._used(study)).count()


# Above this many answers a study's export is a background job. Measured on this machine
# (tests/surveys/simulate.py, 100 items): 148 respondents (14,800 answers) export as XLSX in
# 1.0 s and as the other formats in 0.25-0.35 s; 1,000 respondents (100,000 answers) take
# 5.3 s as XLSX and 0.6-1.1 s as CSV, labelled CSV or SPSS. So a study the size of the 2010
# study is still served directly, and a bigger one would keep the request over a second.
LARGE_EXPORT_ANSWERS = 15_000


@job_task
def export_file(job: Job, *, study_id: int, fmt: str) -> Output:
    """The study's export file (`exports.export_bytes`), the same bytes as a direct download."""
    study = Study.objects.get(pk=study_id)
    report(job, 10, _("Writing the file…"))
    return Output(f"{study.slug}.{fmt}", exports.FORMATS[fmt][0], exports.export_bytes(study, fmt))


def export_is_large(study: Study) -> bool:
    """Whether the study's export should run as a job (`LARGE_EXPORT_ANSWERS`)."""
    return Answer.objects.filter(response__study=study).count() > LARGE_EXPORT_ANSWERS


def start_export(study: Study, fmt: str, owner: Any) -> Job:
    """Queue the study's export file in `fmt`; the job belongs to `owner`, who asked."""
    return start(
        export_file,
        owner=owner,
        title=_("Export (%(fmt)s): %(study)s") % {"fmt": fmt, "study": study.name},
        target=study,
        back_url=reverse("surveys:detail", args=[study.slug]),
        study_id=study.pk,
        fmt=fmt,
    )


# What a panel imported by a job may hold: the request's own limits. Its rows are read and
# checked before the one transaction that stores them (with their history rows), but that
# transaction holds the database's write lock, and `bench/uploads.py --write-lock` measured
# 10,000 invitees holding it for 4.5 s on two busy shared cores (1.3 s of CPU; 20,000:
# twice as long), so a job is not allowed more rows than the request.
PANEL_JOB_LIMITS = PANEL_LIMITS


@job_task
def import_panel(job: Job, *, study_id: int) -> None:
    """A panel file read and checked in full, outside any transaction, then stored in one
    short one (`invitations.add_panel`): all or nothing."""
    study = Study.objects.get(pk=study_id)
    name, content = jobs.input_file(job)
    report(job, 10, _("Reading %(name)s…") % {"name": name})
    try:
        invitees = read_panel_csv(io.BytesIO(content), name, len(content), PANEL_JOB_LIMITS)
    except InputError as error:
        raise jobs.nothing_imported(error) from error
    report(job, 60, _("Storing %(n)d invitee(s)…") % {"n": len(invitees)})
    added = invitations.add_panel(study, invitees)
    done = {"added": added.added, "already": added.already}
    report(job, 100, _("%(added)d invitee(s) added, %(already)d already on the panel.") % done)


def panel_in_background(upload: UploadedFile) -> bool:
    """Whether a panel upload is imported by a job (`jobs.in_background`)."""
    return jobs.in_background(upload, PANEL_JOB_LIMITS.max_bytes)


def start_panel_import(study: Study, upload: UploadedFile, owner: Any) -> Job:
    """Queue the import of a large panel file into the study."""
    return jobs.start_import(
        import_panel,
        upload,
        owner=owner,
        title=_("Import of %(name)s: %(study)s") % {"name": upload.name, "study": study.name},
        target=study,
        back_url=reverse("surveys:detail", args=[study.slug]),
        study_id=study.pk,
    )
