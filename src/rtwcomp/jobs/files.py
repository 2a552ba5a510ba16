"""A job's files (the upload it imports, the file it produced), in the database.

Every app server and every worker reaches the database, so no shared volume is needed and a
backup of the database holds them. A file is at most `settings.RTWCOMP_JOB_FILE_MAX_BYTES`;
a larger result fails its job with a message, never truncated.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from rtwcomp.jobs.models import JobFile


class FileTooLarge(ValueError):
    """A file over RTWCOMP_JOB_FILE_MAX_BYTES (the message is for the job's owner)."""


def max_bytes() -> int:
    return int(settings.RTWCOMP_JOB_FILE_MAX_BYTES)


def write(job_id: str, name: str, content: bytes, role: str = JobFile.Role.RESULT) -> str:
    """Store `content` as the job's file of `role` (replacing one stored before); returns
    the file's name."""
    if len(content) > max_bytes():
        raise FileTooLarge(
            _("The file %(name)s is %(size)s MB; a job keeps files of at most %(limit)s MB.")
            % {"name": name, "size": _mb(len(content)), "limit": _mb(max_bytes())}
        )
    name = Path(name).name[:200]
    JobFile.objects.update_or_create(
        job_id=job_id, role=role, defaults={"name": name, "size": len(content), "content": content}
    )
    return name


def read(job_id: str, role: str = JobFile.Role.RESULT) -> bytes | None:
    content = (
        JobFile.objects.filter(job_id=job_id, role=role).values_list("content", flat=True).first()
    )
    return None if content is None else bytes(content)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}"
