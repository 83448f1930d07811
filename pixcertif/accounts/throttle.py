"""Throttling of guarded actions, counted in the database (shared by every app server).

Usage in a view::

    GUARD = throttle.Guard("invigilator-entry")   # 10 per account, 300 per address, 15 minutes
    if GUARD.is_blocked(request):
        ... answer 429 with the "too many attempts" message, do not even check the input ...
    if wrong:
        GUARD.record_failure(request)
    else:
        GUARD.record_success(request)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from pixcertif.accounts.models import Attempt

DEFAULT_LIMIT = 10
DEFAULT_WINDOW = timedelta(minutes=15)
UNKNOWN = "unknown"


def client_ip(request: HttpRequest) -> str:
    """The client's address: the one way every throttle and django-axes read it.

    Behind `PROXY_COUNT` trusted proxies, each one appends the address it saw to X-Forwarded-For:
    the client is the `PROXY_COUNT`-th entry from the right. Entries further left were written by
    the client and cannot be trusted; a value that is not an IP address falls back to REMOTE_ADDR.
    """
    from django.conf import settings

    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    proxies = getattr(settings, "PROXY_COUNT", 0) or 0
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return _valid(forwarded[-min(proxies, len(forwarded))]) or remote
    return remote


def axes_client_ip(request: HttpRequest) -> str | None:
    """client_ip for django-axes, which stores it in an IP address column: None when unknown."""
    address = client_ip(request)
    return None if address == UNKNOWN else address


def _valid(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


@dataclass(frozen=True)
class Guard:
    """A throttle on one guarded action: tight per account, loose per address.

    A whole school shares one address (its NAT), so the account is the tight limit and the address
    a loose ceiling that only a spray across many accounts reaches. `per_account=None` counts the
    address only (anonymous pages, the login form whose per-account lock is django-axes'). Settings
    `THROTTLE_LIMITS = {scope: {"per_account": n, "per_address": m}}` override the defaults.
    """

    scope: str
    per_account: int | None = DEFAULT_LIMIT
    per_address: int = 300
    window: timedelta = DEFAULT_WINDOW

    def limits(self) -> dict[str, int | None]:
        from django.conf import settings

        limits: dict[str, int | None] = {"per_account": self.per_account, "per_address": self.per_address}
        limits.update(getattr(settings, "THROTTLE_LIMITS", {}).get(self.scope, {}))
        return limits

    def _account_keys(self, request: HttpRequest) -> list[str]:
        user = getattr(request, "user", None)
        if self.limits()["per_account"] is None or user is None or not user.is_authenticated:
            return []
        return [f"user:{user.pk}"]

    def _address_keys(self, request: HttpRequest) -> list[str]:
        return [f"ip:{client_ip(request)}"]

    def is_blocked(self, request: HttpRequest) -> bool:
        limits = self.limits()
        return is_blocked(
            self.scope, self._account_keys(request), limit=limits["per_account"] or 0, window=self.window
        ) or is_blocked(self.scope, self._address_keys(request), limit=limits["per_address"] or 0, window=self.window)

    def record_failure(self, request: HttpRequest) -> None:
        record_failure(self.scope, self._account_keys(request) + self._address_keys(request))

    def record_success(self, request: HttpRequest) -> None:
        """Forget the account's failures, never the address's (shared by a school, and by anyone
        who would alternate a good and a wrong try)."""
        reset(self.scope, self._account_keys(request))


def throttle_keys(request: HttpRequest) -> list[str]:
    keys = [f"ip:{client_ip(request)}"]
    if request.user.is_authenticated:
        keys.append(f"user:{request.user.pk}")
    return keys


def is_blocked(
    scope: str, keys: Iterable[str], *, limit: int = DEFAULT_LIMIT, window: timedelta = DEFAULT_WINDOW
) -> bool:
    if limit <= 0:
        return False
    since = timezone.now() - window
    return any(Attempt.objects.filter(scope=scope, key=key, at__gte=since).count() >= limit for key in keys)


def record_failure(scope: str, keys: Iterable[str]) -> None:
    now = timezone.now()
    Attempt.objects.bulk_create([Attempt(scope=scope, key=key, at=now) for key in keys])
    # Keep the table small: forget attempts older than a day.
    Attempt.objects.filter(at__lt=now - timedelta(days=1)).delete()


def reset(scope: str, keys: Iterable[str]) -> None:
    Attempt.objects.filter(scope=scope, key__in=list(keys)).delete()
