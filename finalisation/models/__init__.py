"""Finalisation models (attachments, reminders) and results models (jury proxies)."""

from finalisation.models.attachments import AttachmentKind, SessionAttachment
from finalisation.models.reminders import FinalisationReminder, ReminderKind
from finalisation.models.results import JuryCertification, JurySession

__all__ = [
    "AttachmentKind",
    "FinalisationReminder",
    "JuryCertification",
    "JurySession",
    "ReminderKind",
    "SessionAttachment",
]
