from django.contrib import admin

from rtwcomp.frameworks.models import BehaviouralIndicator, Competency, Framework, Group
from rtwcomp.permissions import OwnedAdmin, PartAdmin, PartInline


class GroupInline(PartInline, admin.TabularInline):
    model = Group
    extra = 0
    fields = ["position", "key", "name"]


@admin.register(Framework)
class FrameworkAdmin(OwnedAdmin):
    list_display = ["name", "slug", "version", "status", "language", "published_at"]
    list_filter = ["status", "language"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["collaborators"]
    inlines = [GroupInline]


class IndicatorInline(PartInline, admin.TabularInline):
    model = BehaviouralIndicator
    extra = 0


@admin.register(Competency)
class CompetencyAdmin(PartAdmin):
    parent = "framework"
    list_display = ["code", "statement", "ksab_type", "group", "framework"]
    list_filter = ["ksab_type"]
    search_fields = ["code", "statement", "search_text"]
    inlines = [IndicatorInline]


@admin.register(Group)
class GroupAdmin(PartAdmin):
    parent = "framework"
    list_display = ["name", "position", "framework"]
