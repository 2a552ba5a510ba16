"""The default mail backend: each message a file in the data directory's outbox."""

from __future__ import annotations

import os
from typing import Any

from django.core.mail.backends import filebased

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
