"""Finalisation models (attachments) and results models (jury proxies)."""

from finalisation.models.attachments import AttachmentKind, SessionAttachment
from finalisation.models.results import JuryCertification, JurySession

__all__ = ["AttachmentKind", "JuryCertification", "JurySession", "SessionAttachment"]
