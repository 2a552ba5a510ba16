from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "rtwcomp.development"
    verbose_name = _("Development")

    def ready(self) -> None:
        from rtwcomp.development.jobs import queue_due_reminders
        from rtwcomp.jobs import worker

        if queue_due_reminders not in worker.PERIODIC:
            worker.PERIODIC.append(queue_due_reminders)
        # The profile report (assessments) shows the current plan through this selector.
        from rtwcomp.assessments import report_data
        from rtwcomp.development.selectors import plan_report_section

        if plan_report_section not in report_data.PLAN_SECTIONS:
            report_data.PLAN_SECTIONS.append(plan_report_section)
