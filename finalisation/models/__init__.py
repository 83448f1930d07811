"""Finalisation models (attachments, drafts) and results models (recipient links)."""

from finalisation.models.attachments import AttachmentKind, SessionAttachment

__all__ = ["AttachmentKind", "SessionAttachment"]
