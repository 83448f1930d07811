from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pixcertif.accounts.models import CertificationCenter

# Step 1 (validation) and step 2 ("Finaliser l'import") of a mass import are two requests, maybe
# on two app servers: the validated content waits in this row, not in process memory.
SESSION_IMPORT_LIFETIME = timedelta(hours=2)


def _expiry() -> datetime:
    return timezone.now() + SESSION_IMPORT_LIFETIME


class SessionImport(models.Model):
    """A validated mass-import file of one centre's administrator, waiting for step 2."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    center = models.ForeignKey(CertificationCenter, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    # {"sessions": [{"line": 2, "number": null, "address": …, "date": "2026-12-10", …,
    #                "candidates": [{"line": 2, "last_name": …}, …]}, …]}
    payload = models.JSONField()
    session_count = models.PositiveIntegerField()
    empty_session_count = models.PositiveIntegerField()
    candidate_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_expiry)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_session_ids = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("import de sessions")
        verbose_name_plural = _("imports de sessions")
        indexes = [models.Index(fields=["expires_at"], name="sessions_app_import_expires")]
        constraints = [
            models.CheckConstraint(
                condition=Q(empty_session_count__lte=models.F("session_count")),
                name="sessions_app_sessionimport_counts_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.filename} ({self.center})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
