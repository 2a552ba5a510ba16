"""Invitation panels: import, e-mails with personal links, reminders, response rates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from rtwcomp.interop.panel_csv import Invitee, read_panel_csv
from rtwcomp.site import mail
from rtwcomp.surveys.models import Invitation, InvitationUse, Study


@dataclass(frozen=True)
class PanelImport:
    added: int
    already: int


@transaction.atomic
def add_panel(study: Study, invitees: list[Invitee]) -> PanelImport:
    """Add invitees to the study; those already invited are left as they are."""
    known = set(study.invitations.values_list("email", flat=True))
    new = [i for i in invitees if i.email not in known]
    bulk_create_with_history(  # with their history rows, for the audit history
        [Invitation(study=study, email=i.email, name=i.name, language=i.language) for i in new],
        Invitation,
        batch_size=1000,
    )
    return PanelImport(added=len(new), already=len(invitees) - len(new))


def import_panel(study: Study, upload: BinaryIO, name: str, size: int | None) -> PanelImport:
    """An uploaded panel CSV, read and checked in full (InputError names every problem)
    before the one short transaction that stores it."""
    return add_panel(study, read_panel_csv(upload, name, size))


def personal_url(invitation: Invitation, site_url: str = "") -> str:
    """The invitee's personal link, under `site_url` (by default `mail.site_url()`)."""
    path = reverse("surveys:personal", args=[invitation.study.slug, invitation.token])
    return (site_url or mail.site_url()).rstrip("/") + path


def _message(invitation: Invitation, reminder: bool, site_url: str) -> EmailMessage:
    study = invitation.study
    with translation.override(invitation.language):
        name = study.translated("name")
        subject = (_("Reminder: %(study)s") if reminder else _("Invitation: %(study)s")) % {
            "study": name
        }
        greeting = (
            _("Hello %(name)s,") % {"name": invitation.name} if invitation.name else _("Hello,")
        )
        paragraphs = [
            greeting,
            _(
                "You are invited to rate the importance of the competencies of "
                "return-to-work coordinators in the study “%(study)s”."
            )
            % {"study": name},
            _("Your personal link (do not share it):") + "\n" + personal_url(invitation, site_url),
            _("Your answers are anonymous.") if study.anonymous else "",
            _("Thank you."),
        ]
    body = "\n\n".join(p for p in paragraphs if p)
    return EmailMessage(subject, body, to=[invitation.email])


def _used(study: Study) -> set[int]:
    """Ids of the invitations already used to answer the study's current round."""
    round_ = study.current_round()
    return set(InvitationUse.objects.filter(round=round_).values_list("invitation_id", flat=True))


def send(study: Study, *, reminders: bool = False, site_url: str = "") -> int:
    """E-mail every invitee not yet written to (or, with `reminders`, who has not finished);
    links start with `site_url` (by default `mail.site_url()`)."""
    used = _used(study)
    pending = [
        i
        for i in study.invitations.all()
        if (i.sent_at is not None if reminders else i.sent_at is None) and i.pk not in used
    ]
    if not pending:
        return 0
    with get_connection() as connection:
        site_url = site_url or mail.site_url()
        connection.send_messages([_message(i, reminders, site_url) for i in pending])
    stamp = timezone.now()
    field = "reminded_at" if reminders else "sent_at"
    for invitation in pending:
        setattr(invitation, field, stamp)
    # With their history rows, so the audit history shows when each was written to.
    bulk_update_with_history(pending, Invitation, [field], batch_size=500)
    return len(pending)


@dataclass(frozen=True)
class ResponseRate:
    invited: int
    sent: int
    completed: int

    @property
    def rate(self) -> float | None:
        return self.completed / self.sent if self.sent else None


def response_rate(study: Study) -> ResponseRate:
    used = _used(study)
    invitations = list(study.invitations.values_list("pk", "sent_at"))
    return ResponseRate(
        invited=len(invitations),
        sent=sum(1 for _pk, sent in invitations if sent is not None),
        completed=sum(1 for pk, _sent in invitations if pk in used),
    )
