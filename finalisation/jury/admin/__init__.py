"""The jury's workspace in the Django admin, one module per model: sessions, certifications."""

from finalisation.jury.admin import certifications, sessions

__all__ = ["certifications", "sessions"]
