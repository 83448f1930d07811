"""Finalisation models (attachments, drafts) and results models (recipient links)."""
