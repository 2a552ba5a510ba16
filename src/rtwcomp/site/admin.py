from django.contrib import admin

from rtwcomp.site.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `rtwcomp createtoken`; here they are listed and revoked."""

    list_display = ["user", "name", "created_at", "last_used_on"]
    readonly_fields = ["user", "name", "created_at", "last_used_on"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
