"""Gunicorn's logger with respondents' secrets masked (see `rtwcomp.site.logs`).

`rtwcomp serve` passes it to gunicorn as `--logger-class`: every access-log line (request
line, path, query string, referrer, any header or environ atom of a custom format) and
every error-log record goes through `MaskSecrets` before any handler writes it.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from rtwcomp.site.logs import MaskSecrets

_FILTER = MaskSecrets()


class GunicornLogger(Logger):  # type: ignore[misc]
    """Gunicorn's logger, with secrets masked in its access and error logs."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(_FILTER)
