"""Who is assessed, against what, and every rating ever given.

An organisation is owned by the programme admin who creates it; its collaborators are the
other programme admins. People belong to one organisation and may have a log-in (outside
raters never do). Ratings are events: a rating is never changed or deleted in place; a
correction is a new rating that names the one it supersedes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rtwcomp.frameworks.models import Competency, Framework

# Proficiency, 0-4, with the default labels (a profile may not use a level above MAX_LEVEL).
LEVELS = [
    (0, _("not yet")),
    (1, _("developing")),
    (2, _("competent")),
    (3, _("proficient")),
    (4, _("expert")),
]
MAX_LEVEL = 4
ACTIVITIES = [
    "initial worker interview",
    "workplace visit",
    "case conference",
    "RTW plan negotiation",
    "follow-up call",
]


def default_activities() -> list[str]:
    return list(ACTIVITIES)


def default_scale() -> list[str]:
    """The labels of levels 0..4 in English; the page shows them translated."""
    return [str(label) for _level, label in LEVELS]


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        help_text=_("The published framework version people are assessed against."),
    )
    activities = models.JSONField(
        _("RTW activities observed"), default=default_activities, blank=True
    )
    scale = models.JSONField(
        _("proficiency scale"),
        default=default_scale,
        blank=True,
        help_text=_("The label of each level from 0 up; 2 to 5 levels."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organisations", null=True
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="administered_organisations",
        verbose_name=_("programme admins"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()  # rtwcomp.audit

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def top_level(self) -> int:
        """The highest level of the scale (its labels name levels 0 up; 2 to 5 of them)."""
        return min(MAX_LEVEL, max(1, len(self.scale or []) - 1))


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("The log-in of this person, if they have one."),
    )
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_mentor = models.BooleanField(_("mentor"), default=False)
    is_supervisor = models.BooleanField(_("supervisor"), default=False)
    team = models.ForeignKey(
        "Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    mentors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="mentees", verbose_name=_("mentors")
    )
    history = HistoricalRecords(m2m_fields=[mentors])  # rtwcomp.audit

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="person_email")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def roles(self) -> tuple[str, ...]:
        flags = (("coordinator", self.is_coordinator), ("mentor", self.is_mentor))
        return tuple(r for r, on in (*flags, ("supervisor", self.is_supervisor)) if on)


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    supervisors = models.ManyToManyField(Person, blank=True, related_name="supervised_teams")

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_name")]

    def __str__(self) -> str:
        return self.name


class RoleProfile(models.Model):
    """A role tier (new coordinator, experienced, lead) on one framework version: the level
    required per competency, and the rule that produced them."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="profiles"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    rule = models.TextField(_("rule"), blank=True, help_text=_("How the levels were set."))
    study = models.ForeignKey(
        "surveys.Study",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The validation study the levels were drawn from, if any."),
    )
    history = HistoricalRecords()  # rtwcomp.audit

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="profile_name")
        ]

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("required level"), choices=LEVELS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "competency"], name="requirement_once"),
            models.CheckConstraint(
                condition=models.Q(level__lte=MAX_LEVEL), name="requirement_level"
            ),
        ]


class Round(models.Model):
    """An assessment round: a named period in which an organisation assesses its people.

    Ratings recorded inside the period belong to it; trends are drawn across rounds.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()  # rtwcomp.audit

    class Meta:
        ordering = ["organisation", "starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="round_name"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="round_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RatingQuerySet(models.QuerySet["Rating"]):
    def current(self) -> RatingQuerySet:
        """Ratings no correction has superseded."""
        return self.filter(superseded_by__isnull=True)

    def update(self, **kwargs: Any) -> int:
        raise RatingsAreEvents("ratings are never changed: record a correction instead")

    def delete(self) -> Any:
        raise RatingsAreEvents("ratings are never deleted: record a correction instead")


class RatingsAreEvents(Exception):
    """Raised by anything that would change or delete a recorded rating."""


class Rating(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("self")
        MENTOR = "mentor", _("mentor")
        SUPERVISOR = "supervisor", _("supervisor")
        PEER = "peer", _("peer")
        OUTSIDE = "outside", _("outside rater")
        OBSERVED = "observed", _("direct observation")

    class Instrument(models.TextChoices):
        SELF = "self", _("self-assessment")
        OBSERVATION = "observation", _("direct observation")
        FEEDBACK = "feedback", _("multi-source feedback")

    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    instrument = models.CharField(_("instrument"), max_length=12, choices=Instrument.choices)
    rater = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="ratings_given"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVELS)
    evidence = models.TextField(_("evidence"), blank=True, max_length=4000)
    rated_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # RESTRICT (not PROTECT): a rating stays while anything points at it, yet a person or an
    # organisation is deleted with all its ratings, corrections and rounds together.
    supersedes = models.OneToOneField(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="superseded_by"
    )
    feedback = models.ForeignKey(
        "FeedbackRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    round = models.ForeignKey(
        Round, on_delete=models.RESTRICT, null=True, blank=True, related_name="ratings"
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["subject", "competency", "rated_on", "recorded_at"]
        indexes = [models.Index(fields=["subject", "competency", "rated_on", "recorded_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__lte=MAX_LEVEL), name="rating_level")
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RatingsAreEvents("ratings are never changed: record a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RatingsAreEvents("ratings are never deleted: record a correction instead")


class Observation(models.Model):
    """A direct observation of a coordinator at work by a mentor or supervisor.

    Kept as a server-side draft while the observer types (what was typed survives a lost
    connection); submitting turns each rated competency into a rating event. `marks` holds,
    per competency id, the level, the evidence and each indicator's seen / not seen / n/a.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="observations")
    observer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="observations_made")
    activity = models.CharField(_("activity observed"), max_length=120)
    setting = models.CharField(_("setting"), max_length=200, blank=True)
    observed_on = models.DateField(_("date"))
    marks = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-observed_on", "-updated_at"]

    def __str__(self) -> str:
        return f"{self.activity} ({self.observed_on})"


class FeedbackRequest(models.Model):
    """One rater's single-use link to rate one person in a multi-source feedback round.

    Only the hash of the link's token is stored; the link is shown once, when made. An
    outside rater (a worker, a case manager) needs no log-in and sees only this form.
    """

    SOURCES = [
        (s.value, s.label)
        for s in (Rating.Source.MENTOR, Rating.Source.SUPERVISOR, Rating.Source.PEER)
    ] + [(Rating.Source.OUTSIDE.value, Rating.Source.OUTSIDE.label)]

    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback")
    source = models.CharField(_("rater's relation"), max_length=12, choices=SOURCES)
    rater_name = models.CharField(_("rater's name"), max_length=200)
    competencies = models.ManyToManyField(Competency, related_name="+")
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("link expires"))
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.rater_name} on {self.subject}"
