"""Finalisation models (attachments, drafts) and results models (jury proxies)."""

from finalisation.models.results import JuryCertification, JurySession

__all__ = ["JuryCertification", "JurySession"]
