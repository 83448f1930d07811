"""Jury views of the shared model, for the Django admin (proxies: no table of their own).

Results links for recipients need no model: they are signed (see finalisation.results.recipients).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sessions_app.models import Certification, Session


class JurySession(Session):
    """A session as the jury sees it (finalised, in process or published)."""

    class Meta:
        proxy = True
        verbose_name = _("session finalisée")
        verbose_name_plural = _("sessions à traiter (jury)")


class JuryCertification(Certification):
    """A candidate's test as the jury sees it: answers, reports, resolutions, score."""

    class Meta:
        proxy = True
        verbose_name = _("certification (jury)")
        verbose_name_plural = _("certifications (jury)")
