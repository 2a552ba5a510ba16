"""The admin of framework versions: published versions are read-only here, and publishing
is an action that goes through `services.publish` (so it is dated), never a status edit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import BehaviouralIndicator, Competency, Framework, Group
from rtwcomp.permissions import OwnedAdmin, PartAdmin, PartInline, is_researcher


def _frozen(obj: Any) -> bool:
    """Whether `obj` (a version or part of one) belongs to a published version."""
    if obj is None:
        return False
    framework = obj if isinstance(obj, Framework) else obj.owning_framework()
    return framework.is_published


class FrozenAdmin:
    """Mixin refusing changes and deletions of a published version's rows (superusers
    included: the models would refuse them anyway, with an error page)."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class FrozenInline(FrozenAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]


class GroupInline(FrozenInline, PartInline, admin.TabularInline):
    model = Group
    extra = 0
    fields = ["position", "key", "name"]


@admin.register(Framework)
class FrameworkAdmin(FrozenAdmin, OwnedAdmin):
    list_display = ["name", "slug", "version", "status", "language", "published_at"]
    list_filter = ["status", "language"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["collaborators"]
    readonly_fields = ["status", "published_at"]
    inlines = [GroupInline]
    actions = ["publish"]

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return bool(is_researcher(request.user))

    @admin.action(description=_("Publish the selected draft versions"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Framework]) -> None:
        allowed = [f for f in queryset if request.user.has_perm("frameworks.publish_framework", f)]
        for framework in allowed:
            services.publish(framework)
        self.message_user(
            request,
            ngettext("%(n)d version published.", "%(n)d versions published.", len(allowed))
            % {"n": len(allowed)},
            messages.SUCCESS if allowed else messages.WARNING,
        )


class IndicatorInline(FrozenInline, PartInline, admin.TabularInline):
    model = BehaviouralIndicator
    extra = 0


@admin.register(Competency)
class CompetencyAdmin(FrozenAdmin, PartAdmin):
    parent = "framework"
    list_display = ["code", "statement", "ksab_type", "group", "framework"]
    list_filter = ["ksab_type"]
    search_fields = ["code", "statement", "search_text"]
    inlines = [IndicatorInline]


@admin.register(Group)
class GroupAdmin(FrozenAdmin, PartAdmin):
    parent = "framework"
    list_display = ["name", "position", "framework"]
