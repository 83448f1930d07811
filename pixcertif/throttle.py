"""Throttling of guarded actions, counted in the database (shared by every app server).

Usage in a view::

    keys = throttle_keys(request)            # the account and the client address
    if throttle.is_blocked("invigilator-entry", keys):
        ... show the "too many attempts" message, do not even check the input ...
    if wrong:
        throttle.record_failure("invigilator-entry", keys)
    else:
        throttle.reset("invigilator-entry", keys)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from pixcertif.accounts.models import Attempt

DEFAULT_LIMIT = 10
DEFAULT_WINDOW = timedelta(minutes=15)


def client_ip(request: HttpRequest) -> str:
    """The client's address as seen by the app server (the proxy must set REMOTE_ADDR or X-Forwarded-For)."""
    from django.conf import settings

    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    if proxies:
        # Each trusted proxy appends the address it saw: the client is the `proxies`-th entry from
        # the right. Entries further left were written by the client and cannot be trusted.
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def throttle_keys(request: HttpRequest) -> list[str]:
    keys = [f"ip:{client_ip(request)}"]
    if request.user.is_authenticated:
        keys.append(f"user:{request.user.pk}")
    return keys


def is_blocked(
    scope: str, keys: Iterable[str], *, limit: int = DEFAULT_LIMIT, window: timedelta = DEFAULT_WINDOW
) -> bool:
    since = timezone.now() - window
    return any(Attempt.objects.filter(scope=scope, key=key, at__gte=since).count() >= limit for key in keys)


def record_failure(scope: str, keys: Iterable[str]) -> None:
    now = timezone.now()
    Attempt.objects.bulk_create([Attempt(scope=scope, key=key, at=now) for key in keys])
    # Keep the table small: forget attempts older than a day.
    Attempt.objects.filter(at__lt=now - timedelta(days=1)).delete()


def reset(scope: str, keys: Iterable[str]) -> None:
    Attempt.objects.filter(scope=scope, key__in=list(keys)).delete()
