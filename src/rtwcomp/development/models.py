"""Development plans: a person's goals from their gaps, activities per goal by route,
agreement and workflow events, evidence, maintenance (CPD) entries and reminders.

Evidence bytes live in the database (like jobs.JobFile): never under a served directory,
and read only through the evidence view, which asks the permission model.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rtwcomp.assessments.models import LEVELS, MAX_LEVEL, Person, RoleProfile
from rtwcomp.frameworks.models import Competency
from rtwcomp.surveys.models import MAINTAINED_CHOICES


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AGREED = "agreed", _("agreed")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="plans")
    profile = models.ForeignKey(
        RoleProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    reassess_on = models.DateField(_("reassessment date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-created_at"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    target = models.PositiveSmallIntegerField(_("target level"), choices=LEVELS)
    position = models.PositiveIntegerField(_("position"), default=0)
    due_on = models.DateField(_("due"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "competency"], name="goal_once_per_plan"),
            models.CheckConstraint(condition=models.Q(target__lte=MAX_LEVEL), name="goal_target"),
        ]

    def __str__(self) -> str:
        return str(self.competency)


# Soonest due first, undated last, on every database (SQLite and PostgreSQL sort NULL apart).
BY_DUE_DATE = (models.F("due_on").asc(nulls_last=True), "pk")


class Activity(models.Model):
    class Route(models.TextChoices):
        MENTORSHIP = "mentorship", _("mentorship")
        TRAINING = "training", _("formal training")
        ON_THE_JOB = "on_the_job", _("on-the-job assignment")
        SELF_STUDY = "self_study", _("self-study")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="activities")
    route = models.CharField(_("route"), max_length=12, choices=Route.choices)
    description = models.CharField(_("description"), max_length=500)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["goal", "due_on", "id"]
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.description


class Agreement(models.Model):
    """One party's agreement to a plan: the coordinator, or their mentor or supervisor."""

    class Party(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        MENTOR = "mentor", _("mentor or supervisor")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="agreements")
    party = models.CharField(_("as"), max_length=12, choices=Party.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "agreed_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "party"], name="agreement_once_per_party")
        ]


class PlanEvent(models.Model):
    """A workflow transition, kept for the plan's history."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Plan.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Plan.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "at", "id"]


class Evidence(models.Model):
    """A file attached to a goal (and optionally one of its activities), type checked by
    content; the bytes are kept in the database, out of every served directory."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="evidence")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["goal", "uploaded_at"]
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name


class MaintenanceEntry(models.Model):
    """Continuing professional development: how a person kept a competency up, and when."""

    # The study's "how kept up" answers, so entries line up with the survey's question.
    KINDS = [(value, english) for value, english, _french in MAINTAINED_CHOICES]

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="maintenance")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField(_("date"))
    kind = models.CharField(_("activity"), max_length=12, choices=KINDS)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["person", "-done_on", "-id"]
        verbose_name_plural = _("maintenance entries")


class Reminder(models.Model):
    class Kind(models.TextChoices):
        REASSESSMENT = "reassessment", _("reassessment due")
        ACTIVITY = "activity", _("activity due")
        FEEDBACK = "feedback", _("feedback requested")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    subject = models.CharField(_("about"), max_length=200, blank=True)
    due_on = models.DateField(_("due"))
    sent_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on", "sent_at", "stopped_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"
