"""Focus-group projects: sessions, participants, statements, unique items and card sorts.

A statement keeps its session and participant; an accepted item keeps its statements, so
every competency promoted from it can say how often, and in how many sessions, practitioners
said it (`Provenance`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rtwcomp.frameworks.models import Competency, Framework


class Project(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    role = models.CharField(
        _("role studied"),
        max_length=120,
        default="return-to-work coordinator",
        help_text=_("Frames the statements for semantic suggestions: 'A <role> needs: …'."),
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The framework draft last promoted from this project."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="projects", null=True
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="shared_projects"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()  # rtwcomp.audit

    class Meta:
        ordering = ["name"]
        # Names are unique per owner: a clash with another researcher's project would
        # reveal that it exists.
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="project_name")]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One focus-group session."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sessions")
    code = models.CharField(_("code"), max_length=40)
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)

    class Meta:
        ordering = ["project", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="session_code")]

    def __str__(self) -> str:
        return self.code


class Participant(models.Model):
    """An anonymous participant code, with attributes such as profession and experience."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    code = models.CharField(_("code"), max_length=40)
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="participants"
    )
    profession = models.CharField(_("profession"), max_length=120, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True
    )
    attributes = models.JSONField(_("other attributes"), default=dict, blank=True)

    class Meta:
        ordering = ["project", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="participant_code")]

    def __str__(self) -> str:
        return self.code


class Item(models.Model):
    """A unique item: an accepted cluster of statements that say the same thing."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=40)
    statement = models.TextField(_("statement"))
    ksab_type = models.CharField(
        _("KSAB type"), max_length=10, choices=Competency.Ksab.choices, blank=True
    )
    matched_code = models.CharField(
        _("matched framework item"),
        max_length=40,
        blank=True,
        help_text=_("Code of the existing framework item it matched, if any."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:60]}"


class Statement(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="statements")
    external_id = models.CharField(_("statement ID"), max_length=80)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="statements")
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(_("position"))
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    # The latest suggestion, a proposal only: the researcher accepts, splits or moves it.
    suggested_cluster = models.PositiveIntegerField(null=True, blank=True)
    suggested_code = models.CharField(max_length=40, blank=True)
    suggested_similarity = models.FloatField(null=True, blank=True)
    # The three likeliest framework items, best first: [{"code": ..., "similarity": ...}].
    candidates = models.JSONField(default=list, blank=True)
    # Framework codes the researcher said this statement is not: never proposed again.
    rejected_codes = models.JSONField(default=list, blank=True)
    set_aside = models.BooleanField(
        _("set aside"),
        default=False,
        help_text=_("Off-topic: kept and exported, but in no item and never suggested."),
    )
    history = HistoricalRecords(excluded_fields=["candidates"])  # rtwcomp.audit

    class Meta:
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"], name="statement_id")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class CardSort(models.Model):
    """One researcher's sort of the project's items into named groups."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sorts")
    sorter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    label = models.CharField(_("label"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "created_at", "id"]

    def __str__(self) -> str:
        return self.label


class SortGroup(models.Model):
    sort = models.ForeignKey(CardSort, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["sort", "position"]
        constraints = [models.UniqueConstraint(fields=["sort", "name"], name="sortgroup_name")]

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    sort = models.ForeignKey(CardSort, on_delete=models.CASCADE, related_name="placements")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="placements")
    group = models.ForeignKey(SortGroup, on_delete=models.CASCADE, related_name="placements")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sort", "item"], name="placement_item")]


class Provenance(models.Model):
    """Where a promoted competency came from: its item, and the counts at promotion."""

    competency = models.OneToOneField(
        Competency, on_delete=models.CASCADE, related_name="provenance"
    )
    item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, related_name="+")
    citation_count = models.PositiveIntegerField(_("citations"))
    session_count = models.PositiveIntegerField(_("sessions"))

    def statements(self) -> models.QuerySet[Statement]:
        if self.item is None:
            return Statement.objects.none()
        return self.item.statements.select_related("session", "participant")
