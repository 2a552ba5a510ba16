"""Log-ins for the people of an organisation, given by its programme admins.

A person's log-in is an account named by their e-mail address, made without a password;
the person is e-mailed a link to choose one. The link is Django's password-reset token: it
works once (it changes with the password) and expires after `PASSWORD_RESET_TIMEOUT`. A
person of a second organisation with the same address gets the same log-in. An account of
that name that is not already a person's log-in for that address is someone's own: it is
never taken over, and the invitation is refused.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from rtwcomp.assessments.models import Person

NAME_LIMIT = User._meta.get_field("username").max_length or 150


class LoginRefused(Exception):
    """Why a person cannot be invited to log in, in words for the admin."""


def state(person: Person) -> str:
    """ "none" (no log-in), "invited" (no password chosen yet) or "active"."""
    if person.user is None:
        return "none"
    return "active" if person.user.has_usable_password() else "invited"


def refusal(person: Person) -> str | None:
    """Why `person` cannot be invited now, or None."""
    if state(person) == "active":
        return _("%(name)s has a log-in already.") % {"name": person.name}
    name = person.email.strip().lower()
    if len(name) > NAME_LIMIT:
        return _(
            "The e-mail address of %(name)s is longer than %(limit)d characters, the longest "
            "log-in name."
        ) % {"name": person.name, "limit": NAME_LIMIT}
    found = User.objects.filter(username__iexact=name).first()
    if person.user is None and found is not None and not _a_persons_login(found, name):
        return _(
            "An account named %(email)s exists and is not the log-in of a person with that "
            "address: it is never taken over (a superuser can rename it)."
        ) % {"email": name}
    return None


def invite(person: Person, site_url: str) -> None:
    """Give `person` a log-in (or the one their address has already) and e-mail them the
    link to choose a password; `LoginRefused` says why not."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        reason = refusal(person)
        if reason:
            raise LoginRefused(reason)
        if person.user is None:
            person.user = _account(person.email.strip().lower())
            person.save(update_fields=["user"])
    send_mail(*message(person, site_url), None, [person.email])


def message(person: Person, site_url: str) -> tuple[str, str]:
    """The subject and text of a log-in invitation."""
    organisation = person.organisation.name
    subject = _("Your log-in to the assessments of %(organisation)s") % {
        "organisation": organisation
    }
    body = "\n".join(
        [
            _("Hello %(name)s,") % {"name": person.name},
            "",
            _(
                "%(organisation)s keeps your competency assessments and development plan "
                "in rtwcomp. Your log-in name is your e-mail address: %(email)s."
            )
            % {"organisation": organisation, "email": person.user.username},
            "",
            *_how_to_log_in(person.user, site_url),
        ]
    )
    return subject, body


def _how_to_log_in(user: User, site_url: str) -> list[str]:
    if user.has_usable_password():  # the log-in of a person of another organisation
        link = site_url.rstrip("/") + reverse("login")
        return [_("Log in with the password you already use for it:"), link]
    days = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))
    return [
        _("Choose your password here (the link works once, within %(days)d days):")
        % {"days": days},
        choose_password_link(user, site_url),
    ]


def choose_password_link(user: User, site_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("assessments:choose_password", args=[uid, token])
    return site_url.rstrip("/") + path


def _account(name: str) -> User:
    found = User.objects.filter(username__iexact=name).first()
    return found or User.objects.create_user(username=name, email=name)


def _a_persons_login(user: User, address: str) -> bool:
    return Person.objects.filter(user=user, email__iexact=address).exists()
