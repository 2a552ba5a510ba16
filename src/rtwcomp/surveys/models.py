"""Studies and what respondents give them.

Anonymity: in an anonymous study a `SurveyResponse` has no link to its `Invitation`; the
invitation keeps only which rounds it was used for (`InvitationUse`), and respondents'
progress is held in a signed cookie on their side, never in a server-side session.
Response dates are kept to the day only, so they cannot be matched to invitation activity
either; nothing is copied from the invitation onto the response (not even its language),
and files and pages name a response by its random `public_id`, never by its database id.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rtwcomp.frameworks.models import Competency, Framework, Translatable

DEFAULT_SCALE = [
    (1, "not important", "pas important"),
    (2, "somewhat important", "quelque peu important"),
    (3, "moderately important", "moyennement important"),
    (4, "very important", "très important"),
    (5, "essential", "essentiel"),
]
ACQUIRED_CHOICES = [
    ("personal", "personal attribute", "attribut personnel"),
    ("training", "formal training", "formation formelle"),
    ("experience", "on-the-job experience", "expérience en cours d'emploi"),
    ("mentorship", "mentorship", "mentorat"),
    ("other", "other", "autre"),
]
MAINTAINED_CHOICES = [
    ("practice", "daily practice", "pratique quotidienne"),
    ("training", "continuing education", "formation continue"),
    ("peers", "peers and mentors", "pairs et mentors"),
    ("reading", "reading and self-study", "lecture et autoformation"),
    ("other", "other", "autre"),
]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Study(Translatable):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class Access(models.TextChoices):
        OPEN_LINK = "open", _("open link")
        INVITATION = "invitation", _("invitations only")

    class AnswerRule(models.TextChoices):
        OPTIONAL = "optional", _("optional")
        SOFT = "soft", _("soft-required: warn once about unanswered items")
        REQUIRED = "required", _("required")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("introduction"), blank=True)
    thanks = models.TextField(_("thank-you text"), blank=True)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="studies")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="studies", null=True
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="shared_studies"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    access = models.CharField(max_length=12, choices=Access.choices, default=Access.OPEN_LINK)
    access_code = models.CharField(_("access code"), max_length=60, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    scale = models.JSONField(_("rating scale"), default=list)
    top = models.PositiveSmallIntegerField(_("top categories start at"), default=4)
    key_share = models.FloatField(_("key-item share"), default=0.5)
    ask_acquired = models.BooleanField(_("ask how each competency was acquired"), default=False)
    ask_maintained = models.BooleanField(_("ask how each competency is kept up"), default=False)
    items_per_page = models.PositiveSmallIntegerField(_("items per page"), default=12)
    answer_rule = models.CharField(
        max_length=10, choices=AnswerRule.choices, default=AnswerRule.SOFT
    )
    delphi = models.BooleanField(_("Delphi rounds"), default=False)
    consensus_share = models.FloatField(_("consensus: share in top categories"), default=0.7)
    consensus_iqr = models.FloatField(_("consensus: largest interquartile range"), default=1.0)
    # Answers are taken only between these moments (either may be blank), while open.
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()  # rtwcomp.audit: the study's settings

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("studies")

    def __str__(self) -> str:
        return self.name

    @property
    def scale_min(self) -> int:
        return int(self.scale[0]["value"])

    @property
    def scale_max(self) -> int:
        return int(self.scale[-1]["value"])

    def current_round(self) -> Round:
        return self.rounds.order_by("-number").first()  # type: ignore[return-value]


class StudyItem(models.Model):
    """A competency surveyed by a study, in the order respondents see it."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="items")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["study", "position"]
        constraints = [
            models.UniqueConstraint(fields=["study", "competency"], name="study_item_once")
        ]

    def __str__(self) -> str:
        return self.competency.code


class Question(Translatable):
    """A demographic question; choices are [{"value", "label", "translations"}], and a
    choice with `"specify": true` ("other, please specify") asks for a text as well."""

    class Kind(models.TextChoices):
        CHOICE = "choice", _("one choice")
        MULTI = "multi", _("several choices")
        NUMBER = "number", _("number")
        TEXT = "text", _("short text")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHOICE)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)
    history = HistoricalRecords()  # rtwcomp.audit

    class Meta:
        ordering = ["study", "position"]
        constraints = [models.UniqueConstraint(fields=["study", "key"], name="question_key")]

    def __str__(self) -> str:
        return self.key

    @property
    def asks_to_specify(self) -> bool:
        """Whether a choice asks for a text ("other, please specify")."""
        return any(c.get("specify") for c in self.choices if isinstance(c, dict))


class Round(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(default=1)
    items = models.ManyToManyField(StudyItem, related_name="rounds")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["study", "number"]
        constraints = [models.UniqueConstraint(fields=["study", "number"], name="round_number")]

    def __str__(self) -> str:
        return f"{self.study} round {self.number}"


class Invitation(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, default="en")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # rtwcomp.audit: the invitee's details and mailings; never the token (the personal link),
    # and nothing of responses, answers or uses, which are not tracked at all.
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        ordering = ["study", "email"]
        constraints = [models.UniqueConstraint(fields=["study", "email"], name="invite_once")]

    def __str__(self) -> str:
        return self.email

    @property
    def completed_rounds(self) -> list[int]:
        """The numbers of the rounds this invitation has been used to answer."""
        return sorted(self.uses.values_list("round__number", flat=True))


class InvitationUse(models.Model):
    """An invitation was used to complete a round: at most once, by a database constraint.

    Written in the same transaction as the response's submission, yet it names only the
    invitation and the round, never the response. Its key is random, so the table's keys
    do not give the order in which invitations were used.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="uses")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "round"], name="invitation_used_once")
        ]

    def __str__(self) -> str:
        return f"{self.invitation} used in {self.round}"


class SurveyResponseQuerySet(models.QuerySet["SurveyResponse"]):
    def real(self) -> SurveyResponseQuerySet:
        """Respondents' responses: never the researcher's test responses."""
        return self.filter(is_test=False)

    def completed(self) -> SurveyResponseQuerySet:
        """Submitted real responses: the one definition of a completed response, read by
        results, counts, exports, reports and the API (test responses never reach them)."""
        return self.real().filter(submitted_on__isnull=False)

    def unfinished(self) -> SurveyResponseQuerySet:
        return self.filter(submitted_on__isnull=True)


class SurveyResponse(models.Model):
    """One respondent's answers in one round. `invitation` stays empty in anonymous studies.

    `key` is the respondent's secret (held in their signed cookie); `public_id` is the random
    name files and pages give the response. `language` is set only when the respondent
    chooses one on the study's pages (blank: unknown).
    """

    class Source(models.TextChoices):
        WEB = "web", _("web")
        CSV = "csv", _("CSV import")
        REDCAP = "redcap", _("REDCap import")
        LIMESURVEY = "limesurvey", _("LimeSurvey import")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="responses")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    key = models.CharField(max_length=64, unique=True, default=new_token)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resume_hash = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(max_length=10, blank=True, default="")
    attributes = models.JSONField(default=dict, blank=True)
    page = models.PositiveSmallIntegerField(default=0)
    warned_pages = models.JSONField(default=list, blank=True)
    started_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)
    # Test responses (the researcher trying the instrument) never reach results or exports.
    is_test = models.BooleanField(_("test response"), default=False, db_index=True)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.WEB
    )

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        # Never by id: the order of ids is the order in which respondents started.
        ordering = ["study", "submitted_on", "public_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "round"],
                condition=models.Q(invitation__isnull=False),
                name="response_once_per_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"response {self.public_id}"

    @property
    def completed(self) -> bool:
        return self.submitted_on is not None


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(StudyItem, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    acquired = models.CharField(max_length=20, blank=True)
    maintained = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="answer_once")]


class AttemptCount(models.Model):
    """Tries at a study's access code or resume code in one minute (see `throttle`).

    `client` is a keyed hash of the client's address (never the address itself), or "*"
    for the count over every address.
    """

    scope = models.CharField(max_length=10)
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="+")
    client = models.CharField(max_length=64)
    minute = models.DateTimeField(db_index=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "study", "client", "minute"], name="attempt_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.minute:%H:%M}: {self.count}"
