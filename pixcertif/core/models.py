from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what, when, on which session / candidate. Written by services, never edited."""

    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64)
    center = models.ForeignKey(
        "accounts.CertificationCenter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Plain ids, not foreign keys: the trail outlives what it describes (a deleted session).
    session_id_ref = models.BigIntegerField(_("session"), null=True, blank=True, db_index=True)
    candidate_id_ref = models.BigIntegerField(_("candidat"), null=True, blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journal des actions")
        ordering = ["-at", "-id"]
        # The table keeps the name it was created with in sessions_app (the model moved here).
        db_table = "sessions_app_auditevent"

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"
