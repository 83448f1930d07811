"""Reads of centre-owned objects, always scoped to the request's centre."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest

from pixcertif.accounts.tenancy import get_for_center
from sessions_app.models import Session

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from sessions_app.models.session import SessionCounts


def session_for_center(request: HttpRequest, session_id: int) -> WithAnnotations[Session, SessionCounts]:
    """The session `session_id` of the request's current centre, or 404 (another centre's too),
    with its counts (`SessionQuerySet.with_counts`, which django-stubs cannot follow)."""
    qs = Session.objects.with_counts()
    return cast("WithAnnotations[Session, SessionCounts]", get_for_center(request, qs, pk=session_id))
