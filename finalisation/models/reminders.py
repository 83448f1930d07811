from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    AFTER_24H = "24h", _("24 h après le début de la session")
    AFTER_44H = "44h", _("44 h après le début de la session")


class FinalisationReminder(models.Model):
    """A finalisation reminder sent to a centre's administrators: one row per session and kind, so a
    reminder is never sent twice (the unique constraint holds across every server running the command)."""

    session = models.ForeignKey("sessions_app.Session", on_delete=models.CASCADE, related_name="finalisation_reminders")
    kind = models.CharField(_("rappel"), max_length=3, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    recipients = models.JSONField(_("destinataires"), default=list, blank=True)

    class Meta:
        verbose_name = _("rappel de finalisation")
        verbose_name_plural = _("rappels de finalisation")
        ordering = ["session", "sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "kind"], name="finalisation_reminder_unique_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ReminderKind]), name="finalisation_reminder_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.kind}"
