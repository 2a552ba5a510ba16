from django.contrib import admin

from rtwcomp.elicitation.models import (
    CardSort,
    Item,
    Participant,
    Project,
    Session,
    Statement,
)
from rtwcomp.permissions import OwnedAdmin, PartAdmin, PartInline


class SessionInline(PartInline, admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Project)
class ProjectAdmin(OwnedAdmin):
    list_display = ["name", "slug", "role", "framework"]
    filter_horizontal = ["collaborators"]
    inlines = [SessionInline]


@admin.register(Participant)
class ParticipantAdmin(PartAdmin):
    parent = "project"
    list_display = ["code", "project", "session", "profession", "years_experience"]


@admin.register(Statement)
class StatementAdmin(PartAdmin):
    parent = "project"
    list_display = ["external_id", "text", "session", "participant", "item"]
    search_fields = ["text", "external_id"]


@admin.register(Item)
class ItemAdmin(PartAdmin):
    parent = "project"
    list_display = ["code", "statement", "ksab_type", "project"]
    list_filter = ["ksab_type"]


@admin.register(CardSort)
class CardSortAdmin(PartAdmin):
    parent = "project"
