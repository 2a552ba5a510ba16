from django.contrib import admin

from rtwcomp.frameworks.models import BehaviouralIndicator, Competency, Framework, Group


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0
    fields = ["position", "key", "name"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "version", "status", "language", "published_at"]
    list_filter = ["status", "language"]
    search_fields = ["name", "slug"]
    inlines = [GroupInline]


class IndicatorInline(admin.TabularInline):
    model = BehaviouralIndicator
    extra = 0


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["code", "statement", "ksab_type", "group", "framework"]
    list_filter = ["framework", "ksab_type", "group__key"]
    search_fields = ["code", "statement", "search_text"]
    inlines = [IndicatorInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "framework"]
    list_filter = ["framework"]
