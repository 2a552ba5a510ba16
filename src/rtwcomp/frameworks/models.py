"""Framework versions and their content.

Each row of `Framework` is one version of a framework (slug + version). A published version
is frozen: its groups, competencies and indicators refuse changes; `services.new_draft`
copies it into the next version to edit. Text fields hold English (or the framework's own
language) in the column and other languages in `translations`, e.g.
`{"fr": {"statement": "..."}}`; `translated(field)` picks the active language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FrozenError(Exception):
    """A published framework version was about to change."""


PUBLISHED = "published"


class FrozenQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Bulk `update()` and `delete()` bypass `save()` and `delete()` of each row, so they ask
    first whether any row they touch belongs to a published version (`frozen_path` leads
    from the model to that version's status)."""

    frozen_path = "framework__status"

    def frozen(self) -> models.QuerySet:  # type: ignore[type-arg]
        return self.filter(**{self.frozen_path: PUBLISHED})

    def _refuse_if_frozen(self) -> None:
        if self.frozen().exists():
            raise FrozenError("a published version refuses changes; edit a new draft instead")

    def update(self, **kwargs: Any) -> int:
        self._refuse_if_frozen()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_if_frozen()
        return super().delete()


class FrameworkQuerySet(FrozenQuerySet):
    frozen_path = "status"


class IndicatorQuerySet(FrozenQuerySet):
    frozen_path = "competency__framework__status"


class Translatable(models.Model):
    """A model whose text fields have translations in a JSON column."""

    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """The field's text in `language` (default: the active one), falling back to the column."""
        language = (language or translation.get_language() or "en").split("-")[0]
        text = self.translations.get(language, {}).get(field)
        return str(text) if text else str(getattr(self, field))


class Framework(Translatable):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    slug = models.SlugField(_("slug"), max_length=80)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    citation = models.TextField(_("citation"), blank=True)
    source = models.TextField(_("source"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="frameworks",
        null=True,
        blank=True,
        help_text=_("Empty for frameworks that ship with the product."),
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="shared_frameworks"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # What an exchange format (CASE) carried that has no field here: source identifiers,
    # unknown item types, associations and extensions, kept to be written back out.
    exchange = models.JSONField(_("exchange data"), default=dict, blank=True, editable=False)
    history = HistoricalRecords()  # rtwcomp.audit

    objects = FrameworkQuerySet.as_manager()

    # Published versions are public; drafts only for their owner and collaborators.
    PUBLIC = models.Q(status="published")

    class Meta:
        ordering = ["slug", "-version"]
        permissions = [("publish_framework", _("Can publish a framework version"))]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_slug_version"),
            # Publishing goes through `services.publish`, which dates it.
            models.CheckConstraint(
                condition=~models.Q(status=PUBLISHED) | models.Q(published_at__isnull=False),
                name="framework_published_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """A published version stays, with its content (the cascade would remove it)."""
        stored = self.pk is not None and type(self).objects.filter(pk=self.pk).frozen().exists()
        if self.is_published or stored:
            raise FrozenError(f"{self} is published and cannot be deleted")
        return super().delete(*args, **kwargs)


class FrameworkContent(Translatable):
    """Content of one framework version: frozen once that version is published."""

    class Meta:
        abstract = True

    def owning_framework(self) -> Framework:
        raise NotImplementedError

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self) -> None:
        framework = self.owning_framework()
        if framework.is_published:
            raise FrozenError(f"{framework} is published; edit a new draft version instead")


class Group(FrameworkContent):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveIntegerField(_("position"))
    key = models.CharField(_("key"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()  # rtwcomp.audit; a separate model, never frozen

    objects = FrozenQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="group_framework_key")
        ]

    def __str__(self) -> str:
        return self.name

    def owning_framework(self) -> Framework:
        return self.framework


class Competency(FrameworkContent):
    class Ksab(models.TextChoices):
        KNOWLEDGE = "knowledge", _("knowledge")
        SKILL = "skill", _("skill")
        ATTITUDE = "attitude", _("attitude")
        BEHAVIOUR = "behaviour", _("behaviour")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="competencies")
    position = models.PositiveIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=40)
    statement = models.TextField(_("statement"))
    ksab_type = models.CharField(_("KSAB type"), max_length=10, choices=Ksab.choices)
    notes = models.TextField(_("notes"), blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("one per line"))
    search_text = models.TextField(editable=False, blank=True)
    history = HistoricalRecords(excluded_fields=["search_text"])  # rtwcomp.audit

    objects = FrozenQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "position"]
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competency_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:60]}"

    def owning_framework(self) -> Framework:
        return self.framework

    def save(self, *args: Any, **kwargs: Any) -> None:
        texts = [self.code, self.statement, self.notes]
        texts += [str(t.get("statement", "")) for t in self.translations.values()]
        self.search_text = " ".join(texts).casefold()
        super().save(*args, **kwargs)

    def source_list(self) -> list[str]:
        return [s.strip() for s in self.sources.splitlines() if s.strip()]


class BehaviouralIndicator(FrameworkContent):
    """An observable behaviour showing a competency, used by observation checklists."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"))

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["competency", "position"]

    def __str__(self) -> str:
        return self.text[:80]

    def owning_framework(self) -> Framework:
        return self.competency.framework
