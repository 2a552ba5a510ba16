"""Keep respondents' secrets out of the logs.

An invitation's personal link (`/s/<study>/i/<token>/`) and a feedback link
(`/assess/f/<token>/`) are bearer secrets, and in an
anonymous study a logged token next to a time and an address could tie an invitee to the
pages they then answered. `MaskSecrets` rewrites every log record it sees so that the
token, and any code passed in a query string, read `***`. `settings.LOGGING` puts it on
every handler Django's loggers use (`django.request`, `django.server`, ...), and
`rtwcomp.site.access_log.GunicornLogger` (`rtwcomp serve` starts gunicorn with it) on
gunicorn's access and error logs.
"""

from __future__ import annotations

import logging
import re

MASK = "***"

_PERSONAL_LINK = re.compile(r"(/s/[^/\s?#\"']+/i/|/assess/f/)[^/\s?#\"']+")
_QUERY_SECRET = re.compile(
    r"([?&;](?:code|resume|resume_code|access_code|token)=)[^&;\s#\"']*", re.IGNORECASE
)


def mask(text: str) -> str:
    """`text` with personal-link tokens and query-string codes replaced by ***."""
    if "/i/" in text or "/f/" in text:
        text = _PERSONAL_LINK.sub(r"\1" + MASK, text)
    if "=" in text:
        text = _QUERY_SECRET.sub(r"\1" + MASK, text)
    return text


class MaskSecrets(logging.Filter):
    """A logging filter that masks secrets in the message and any traceback; keeps all."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as it came
            message = str(record.msg)
        record.msg = mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True
