"""Who calls the API: a bearer token (scripts) or the browser's logged-in session."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

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


class SessionAuth(APIKeyCookie):
    """The browser's logged-in session. A write must carry the page's CSRF token: without
    it the session does not count (401, as for no credentials), so another site cannot
    write through a visitor's session."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except HttpError:  # the CSRF check failed
            return None

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if key and request.user.is_authenticated else None


session = SessionAuth()
signed_in = [TokenAuth(), session]


def anyone(request: HttpRequest) -> bool:
    """Last in a list of authenticators: the caller may also be anonymous."""
    return True


signed_in_or_anonymous = [TokenAuth(), session, anyone]
