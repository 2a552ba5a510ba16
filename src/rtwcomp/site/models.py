"""API tokens: how scripts authenticate to the REST API."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token of one user; only its hash is stored, the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.name}".strip()

    @classmethod
    def issue(cls, user: models.Model, name: str = "") -> str:
        """Create a token for `user` and return it: the only time it is seen."""
        token = "rtw_" + secrets.token_urlsafe(32)
        cls.objects.create(user=user, name=name, key_hash=hash_token(token))
        return token
