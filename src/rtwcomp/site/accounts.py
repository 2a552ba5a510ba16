"""Accounts from the command line: the admin a fresh installation needs, and researchers."""

from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model

from rtwcomp.permissions import RESEARCHERS


def create_researcher(username: str) -> str:
    """A new member of the researchers group; returns the password (from
    RTWCOMP_USER_PASSWORD, else generated)."""
    from django.contrib.auth.models import Group

    password = os.environ.get("RTWCOMP_USER_PASSWORD") or secrets.token_urlsafe(12)
    user = get_user_model().objects.create_user(username=username, password=password, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=RESEARCHERS)[0])
    return password


def ensure_admin(username: str = "admin") -> bool:
    """Create the admin account if missing (a generated password is printed once)."""
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        return False
    given = os.environ.get("RTWCOMP_ADMIN_PASSWORD")
    password = given or secrets.token_urlsafe(12)
    users.objects.create_superuser(username=username, email="", password=password)
    if given:
        print(f"Created admin account '{username}' with the password in RTWCOMP_ADMIN_PASSWORD.")
    else:
        print(f"Created admin account '{username}' with password: {password}")
        print("This password is shown only once; change it after logging in.")
    return True
