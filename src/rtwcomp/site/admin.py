from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User

from rtwcomp.permissions import SuperuserOnlyAdmin, superusers_only
from rtwcomp.site.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    """Tokens are issued with `rtwcomp createtoken`; here they are listed and revoked."""

    list_display = ["user", "name", "created_at", "last_used_on"]
    readonly_fields = ["user", "name", "created_at", "last_used_on"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


superusers_only(admin.site, User, Group, AccessAttempt, AccessLog, AccessFailureLog)
