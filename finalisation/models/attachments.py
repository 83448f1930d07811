from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Content types we accept, by file extension used for the stored (random) name.
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


class AttachmentKind(models.TextChoices):
    ATTENDANCE_SHEET = "attendance_sheet", _("Feuille d'émargement scannée")
    INCIDENT_REPORT = "incident_report", _("PV d'incident scanné")
    FRAUD_REPORT = "fraud_report", _("PV de fraude")
    SCREENSHOT = "screenshot", _("Capture d'écran")


def name_for_type(name: str, content_type: str) -> str:
    """`name` with the extension of the type detected from the content: `x.html` holding a PDF is `x.pdf`.

    A browser or a desktop opens a download by its extension: it must say what the file is."""
    stem, dot, _extension = name.rpartition(".")
    if not dot or not stem:  # no extension ("scan"), or a dot file (".pdf")
        stem = name
    return stem + EXTENSIONS.get(content_type, "")


def attachment_path(instance: SessionAttachment, filename: str) -> str:
    """A private, unguessable path under MEDIA_ROOT; the original name is kept in the row only."""
    extension = EXTENSIONS.get(instance.content_type, "")
    return f"private/finalisation/session-{instance.session_id}/{secrets.token_urlsafe(24)}{extension}"


class SessionAttachment(models.Model):
    """A scan sent with the finalisation (attendance sheet, incident report, fraud report, screenshot).

    Stored under MEDIA_ROOT, never under the static files, and only served by a view that checks
    the centre (or staff)."""

    session = models.ForeignKey("sessions_app.Session", on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("type de document"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("fichier"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"))
    content_type = models.CharField(_("type de contenu"), max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        verbose_name = _("pièce jointe de finalisation")
        verbose_name_plural = _("pièces jointes de finalisation")
        ordering = ["session", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in AttachmentKind]), name="finalisation_attachment_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=list(EXTENSIONS)), name="finalisation_attachment_content_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"

    @property
    def download_name(self) -> str:
        return name_for_type(self.original_name, self.content_type)
