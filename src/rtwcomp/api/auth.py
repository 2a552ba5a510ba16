"""Who calls the API: a bearer token (scripts) or the browser's logged-in session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from rtwcomp.site.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None or not found.user.is_active:
            return None
        today = timezone.localdate()
        if found.last_used_on != today:
            ApiToken.objects.filter(pk=found.pk).update(last_used_on=today)
        request.user = found.user
        return found.user


signed_in = [TokenAuth(), django_auth]


def anyone(request: HttpRequest) -> bool:
    """Last in a list of authenticators: the caller may also be anonymous."""
    return True


signed_in_or_anonymous = [TokenAuth(), django_auth, anyone]
