from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what, when, on which session / candidate. Written by services, never edited."""

    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    # PROTECT: an account or a centre named in the trail is deactivated, never deleted (and the
    # rows are never updated by a cascade: on PostgreSQL a trigger refuses any UPDATE or DELETE).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("auteur"), max_length=400, blank=True, default="")
    action = models.CharField(_("action"), max_length=64)
    center = models.ForeignKey(
        "accounts.CertificationCenter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Plain ids, not foreign keys: the trail outlives what it describes (a deleted session).
    session_id_ref = models.BigIntegerField(_("session"), null=True, blank=True, db_index=True)
    candidate_id_ref = models.BigIntegerField(_("candidat"), null=True, blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Hash chain (pixcertif/core/chain.py): SHA-256 of the previous row's hash and of this row's content.
    prev_hash = models.CharField(_("empreinte précédente"), max_length=64, blank=True, default="")
    hash = models.CharField(_("empreinte"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journal des actions")
        ordering = ["-at", "-id"]
        # The table keeps the name it was created with in sessions_app (the model moved here).
        db_table = "sessions_app_auditevent"

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"
