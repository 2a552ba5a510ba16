"""Mentors' capacities, mentor-mentee pairs and the meetings each pair logs.

A pair (`Mentorship`) is open while `until` is empty. `assessments.Person.mentors` is kept
the same as the open pairs by `services` (the assessment permission rules read it: a mentor
sees and observes their mentees), so pairs are made and ended only there.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rtwcomp.assessments.models import Observation, Person
from rtwcomp.frameworks.models import Competency

DEFAULT_CAPACITY = 2  # mentees a mentor takes when nobody has said otherwise
MAX_CAPACITY = 20
MAX_NOTES = 4000
MAX_NEXT_STEPS = 2000
MAX_REASON = 2000


class MentorCapacity(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="mentor_capacity")
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=DEFAULT_CAPACITY,
        validators=[MaxValueValidator(MAX_CAPACITY)],
        help_text=_("How many mentees this mentor takes at once (0 to 20)."),
    )

    class Meta:
        verbose_name_plural = _("mentor capacities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__lte=MAX_CAPACITY), name="mentor_capacity_max"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.capacity}"


class Mentorship(models.Model):
    class MadeBy(models.TextChoices):
        MATCHING = "matching", _("matching")
        OVERRIDE = "override", _("manual choice")
        PEOPLE_FILE = "people_file", _("people file")

    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentoring")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentored")
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=MAX_REASON)
    made_by = models.CharField(_("made by"), max_length=12, choices=MadeBy.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mentee__name", "-since", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=models.Q(until__isnull=True),
                name="mentorship_open_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="mentorship_two_people"
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="mentorship_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"

    @property
    def is_open(self) -> bool:
        return self.until is None


class Meeting(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="+", verbose_name=_("competencies discussed")
    )
    notes = models.TextField(_("notes"), blank=True, max_length=MAX_NOTES)
    next_steps = models.TextField(_("next steps"), blank=True, max_length=MAX_NEXT_STEPS)
    goals = models.ManyToManyField(
        "development.Goal", blank=True, related_name="meetings", verbose_name=_("plan goals")
    )
    observations = models.ManyToManyField(Observation, blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mentorship", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.mentorship} ({self.held_on})"
