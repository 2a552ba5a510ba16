"""Admin pages: where researchers edit scale labels, questions and their choice lists."""

from django.contrib import admin

from rtwcomp.permissions import OwnedAdmin, PartAdmin, PartInline
from rtwcomp.surveys.models import Invitation, Question, Study


class QuestionInline(PartInline, admin.StackedInline):
    model = Question
    extra = 0
    fields = ["position", "key", "label", "kind", "choices", "required", "translations"]


@admin.register(Study)
class StudyAdmin(OwnedAdmin):
    list_display = ["name", "slug", "status", "access", "anonymous", "delphi", "created_at"]
    list_filter = ["status", "access", "anonymous", "delphi"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["collaborators"]
    inlines = [QuestionInline]


@admin.register(Invitation)
class InvitationAdmin(PartAdmin):
    parent = "study"
    list_display = ["email", "study", "language", "sent_at", "reminded_at"]
    list_filter = ["language"]
    search_fields = ["email", "name"]
    exclude = ["token"]
