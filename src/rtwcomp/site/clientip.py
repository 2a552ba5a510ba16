"""The client's address, as the log-in lockout and the survey throttles count it.

By default it is the address of the connection (`REMOTE_ADDR`): an `X-Forwarded-For`
header is the client's own claim and is ignored, so a client cannot dodge a lockout by
sending one. Behind reverse proxies, `RTWCOMP_TRUSTED_PROXIES` says how many: each appends
the address it received the request from, so the client is that many entries from the
right of `X-Forwarded-For`; whatever the client itself put to the left is ignored.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: Any) -> str:
    """The client's address (`request` is an HttpRequest or anything with a META dict)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "RTWCOMP_TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            found = _address(hops[-proxies])
            if found is not None:
                return found
    return _address(remote) or remote
