"""Selecting new coordinators: interview questions, guides, vacancies, candidates, scores.

Candidates are not people of the organisation (`assessments.Person`): they have no log-in,
no ratings and no history rows, and deleting one deletes every row about them (their score
sheets and scores cascade). Published framework versions are frozen, so an organisation's
interview questions live here, beside the competencies they ask about. A guide keeps the
questions and rubric it was generated with, so scores already given keep their meaning when
a question is edited later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rtwcomp.assessments.models import MAX_LEVEL, Organisation, RoleProfile
from rtwcomp.frameworks.models import Competency

MAX_QUESTION = 1000  # characters of an interview question, each language
MAX_NOTE = 2000  # characters of an interviewer's note on one answer
MAX_NOTES = 4000  # characters of the notes on a candidate
MAX_QUESTIONS = 40  # questions in one guide
SCORES = [(level, str(level)) for level in range(MAX_LEVEL + 1)]


class InterviewQuestion(models.Model):
    """An organisation's behavioural question on one competency, in English and French."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interview_questions"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("question (English)"), max_length=MAX_QUESTION)
    text_fr = models.TextField(_("question (French)"), max_length=MAX_QUESTION)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "competency"], name="interview_question_once"
            )
        ]


class InterviewGuide(models.Model):
    """Questions chosen from a role profile, with their weights and scoring rubrics."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interview_guides"
    )
    # RESTRICT: the profile alone cannot be deleted; the organisation goes with both
    profile = models.ForeignKey(RoleProfile, on_delete=models.RESTRICT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    rule = models.TextField(_("weighting rule"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="guide_name")]

    def __str__(self) -> str:
        return self.name


class GuideItem(models.Model):
    """One question of a guide as it was when the guide was made; `anchors` holds the
    rubric, one `{"level", "label", "text"}` per score 0-4."""

    guide = models.ForeignKey(InterviewGuide, on_delete=models.CASCADE, related_name="items")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    weight = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)  # "personal attribute", "key"
    question = models.TextField(max_length=MAX_QUESTION)
    question_fr = models.TextField(max_length=MAX_QUESTION)
    indicators = models.JSONField(default=list)
    anchors = models.JSONField(default=list)

    class Meta:
        ordering = ["guide", "position"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "position"], name="guide_item_position")
        ]


class Vacancy(models.Model):
    """A post to fill, interviewed with one guide by a hiring panel of users."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vacancies"
    )
    title = models.CharField(_("title"), max_length=200)
    guide = models.ForeignKey(InterviewGuide, on_delete=models.RESTRICT, related_name="vacancies")
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="hiring_panels", verbose_name=_("hiring panel")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-created_at"]
        verbose_name_plural = _("vacancies")

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=MAX_NOTES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["vacancy", "name"]

    def __str__(self) -> str:
        return self.name


class ScoreSheet(models.Model):
    """One interviewer's scores of one candidate: theirs alone until submitted."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="sheets")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="score_sheets"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["candidate", "interviewer__username"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "interviewer"], name="sheet_once")
        ]


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(GuideItem, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), choices=SCORES)
    note = models.TextField(_("note"), blank=True, max_length=MAX_NOTE)

    class Meta:
        ordering = ["sheet", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="score_once"),
            models.CheckConstraint(condition=models.Q(score__lte=MAX_LEVEL), name="score_level"),
        ]
