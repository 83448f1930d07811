"""Reads of centre-owned objects, always scoped to the request's centre."""

from __future__ import annotations

from django.http import HttpRequest

from pixcertif.accounts.tenancy import get_for_center
from sessions_app.models import Session


def session_for_center(request: HttpRequest, session_id: int) -> Session:
    """The session `session_id` of the request's current centre, or 404 (another centre's too)."""
    qs = Session.objects.with_counts()
    return get_for_center(request, qs, pk=session_id)
