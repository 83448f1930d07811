from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvigilatorAccess(models.Model):
    """An account that entered a session's number and password: remembered in the database
    (not in a process), so every app server lets that invigilator in."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invigilator_accesses")
    session = models.ForeignKey("sessions_app.Session", on_delete=models.CASCADE, related_name="invigilator_accesses")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("accès surveillant")
        verbose_name_plural = _("accès surveillants")
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="invigilation_access_unique_user_session"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → session {self.session_id}"


def has_invigilator_access(user, session) -> bool:
    """True when this account entered this session's password (finalised sessions included: read-only)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return InvigilatorAccess.objects.filter(user=user, session=session).exists()
