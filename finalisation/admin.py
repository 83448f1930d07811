"""Registers the jury's admin pages (they live in `finalisation.jury.admin`)."""

from finalisation.jury import admin  # noqa: F401  (registers JurySession and JuryCertification)
