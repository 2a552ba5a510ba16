"""Mail: the address links in e-mails start with, and the default backend (each message a
file in the data directory's outbox)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.mail.backends import filebased
from django.http import HttpRequest

from rtwcomp.paths import PRIVATE_DIR, PRIVATE_FILE


class PrivateFileBackend(filebased.EmailBackend):
    """Django's file backend, keeping the messages (which hold invitation links) to the
    owner of the data directory: the outbox mode 0700, each message file mode 0600,
    whatever the process's umask."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # creates the outbox, following the umask
        if os.stat(self.file_path).st_mode & 0o077:
            os.chmod(self.file_path, PRIVATE_DIR)

    def open(self) -> bool:
        if self.stream is not None:
            return False
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        self.stream = os.fdopen(os.open(self._get_filename(), flags, PRIVATE_FILE), "ab")
        return True


def site_url(request: HttpRequest | None = None) -> str:
    """The address links in e-mails start with (no trailing slash).

    `RTWCOMP_SITE_URL` when set; else the address the request came to (its host is one of
    `ALLOWED_HOSTS`, checked by Django), so links follow the port and name the app is served
    on; without a request (the command line), the local address `rtwcomp serve` listens on
    (`PORT`, 8000 by default). A background job is given the value when it is started.
    """
    if settings.SITE_URL:
        return str(settings.SITE_URL).rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
