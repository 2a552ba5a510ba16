from django.contrib import admin

from rtwcomp.elicitation.models import (
    CardSort,
    Item,
    Participant,
    Project,
    Provenance,
    Session,
    Statement,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "role", "framework"]
    inlines = [SessionInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["code", "project", "session", "profession", "years_experience"]
    list_filter = ["project"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["external_id", "text", "session", "participant", "item"]
    list_filter = ["project"]
    search_fields = ["text", "external_id"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "statement", "ksab_type", "project"]
    list_filter = ["project", "ksab_type"]


admin.site.register(CardSort)
admin.site.register(Provenance)
