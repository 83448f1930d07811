from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pixcertif.accounts.models import CertificationCenter

FINALISATION_DEADLINE = timedelta(hours=48)


_INVIGILATOR_SEPARATORS = re.compile(r"\s*(?:,|;|\n|\r|\bet\b|&|/)\s*", re.IGNORECASE)


def split_invigilators(examiner: str) -> list[str]:
    """'Mme Dupont, M. Martin et Mme Leroy' → three names (commas, "et", new lines)."""
    return [name.strip() for name in _INVIGILATOR_SEPARATORS.split(examiner or "") if name and name.strip()]


class SessionStatus(models.TextChoices):
    CREATED = "created", _("Créée")
    FINALIZED = "finalized", _("Finalisée")
    IN_PROCESS = "in_process", _("En cours de traitement")
    PUBLISHED = "published", _("Résultats transmis par Pix")


# What a centre sees: staff's "in process" is still "Finalisée" for the centre.
CENTER_STATUS_LABELS = {
    SessionStatus.CREATED: _("Créée"),
    SessionStatus.FINALIZED: _("Finalisée"),
    SessionStatus.IN_PROCESS: _("Finalisée"),
    SessionStatus.PUBLISHED: _("Résultats transmis par Pix"),
}

# Once finalised, a session is "entre les mains de l'équipe Pix": the centre can no longer change it.
LOCKED_FOR_CENTER_STATUSES = frozenset({SessionStatus.FINALIZED, SessionStatus.IN_PROCESS, SessionStatus.PUBLISHED})
# Finalised and not published: the jury may change it (the moves are in services/session_status.py).
IN_JURY_HANDS_STATUSES = frozenset({SessionStatus.FINALIZED, SessionStatus.IN_PROCESS})


class SessionCounts(TypedDict):
    """What `SessionQuerySet.with_counts` adds to each session (for type checkers)."""

    enrolled_count: int
    started_count: int


class SessionQuerySet(models.QuerySet["Session"]):
    def for_center(self, center: CertificationCenter) -> SessionQuerySet:
        return self.filter(center=center)

    def with_counts(self) -> SessionQuerySet:
        """Annotate `enrolled_count` and `started_count` (certifications passed) in one query."""
        return self.annotate(
            enrolled_count=Count("candidates", distinct=True),
            started_count=Count("candidates__certification", distinct=True),
        )

    def not_locked_for_center(self) -> SessionQuerySet:
        """Sessions the centre can still change (not finalised)."""
        return self.exclude(status__in=LOCKED_FOR_CENTER_STATUSES)


class Session(models.Model):
    """A certification session. Its number is its id."""

    center = models.ForeignKey(CertificationCenter, on_delete=models.PROTECT, related_name="sessions")
    address = models.CharField(_("nom du site"), max_length=255)
    room = models.CharField(_("nom de la salle"), max_length=255)
    date = models.DateField(_("date de début"))
    time = models.TimeField(_("heure de début (heure locale)"))
    examiner = models.TextField(_("surveillant(s)"), max_length=1000)
    description = models.TextField(_("observations"), max_length=2000, blank=True)
    access_code = models.CharField(_("code d'accès candidat"), max_length=6)
    invigilator_password = models.CharField(_("mot de passe de session surveillant"), max_length=5)

    status = models.CharField(_("statut"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.CREATED)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set by the first test start (services); a started session can no longer be edited or deleted.
    started_at = models.DateTimeField(_("démarrée le"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("finalisée le"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_sessions",
        verbose_name=_("pris en charge par"),
    )
    # Bumped by every change the invigilator page shows (ETag / Last-Modified of the live list).
    changed_at = models.DateTimeField(default=timezone.now)

    # Finalisation data (step 2).
    has_incident = models.BooleanField(
        _("incident mais les candidats ont pu terminer / temps supplémentaire accordé"), default=False
    )
    has_joining_issue = models.BooleanField(
        _("candidats présents qui n'ont pas pu rejoindre la session"), default=False
    )
    finalisation_comment = models.TextField(_("commentaire de finalisation"), max_length=500, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session de certification")
        verbose_name_plural = _("sessions de certification")
        ordering = ["-date", "-time", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in SessionStatus]), name="sessions_app_session_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="created") | Q(finalized_at__isnull=False),
                name="sessions_app_session_finalized_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="sessions_app_session_published_has_time",
            ),
            models.UniqueConstraint(
                fields=["access_code"],
                condition=Q(status="created"),
                name="sessions_app_session_access_code_unique_open",
            ),
        ]
        indexes = [models.Index(fields=["center", "date", "time"], name="sessions_app_session_center_dt")]

    def __str__(self) -> str:
        return f"Session {self.pk}"

    # ---- derived state: the one place the lifecycle is read from ----
    @property
    def is_locked_for_center(self) -> bool:
        """Finalised: the centre can no longer change this session (`ensure_center_can_change`)."""
        return self.status in LOCKED_FOR_CENTER_STATUSES

    @property
    def is_in_jury_hands(self) -> bool:
        """Finalised and not published: the jury may change it (`ensure_in_jury_hands`)."""
        return self.status in IN_JURY_HANDS_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status == SessionStatus.PUBLISHED

    @property
    def is_started(self) -> bool:
        return self.started_at is not None

    @property
    def center_status_label(self) -> str:
        return str(CENTER_STATUS_LABELS[SessionStatus(self.status)])

    @property
    def password_display(self) -> str:
        return f"C-{self.invigilator_password}"

    @property
    def starts_at(self) -> datetime:
        naive = datetime.combine(self.date, self.time)
        return timezone.make_aware(naive, timezone.get_default_timezone())

    @property
    def is_finalisation_overdue(self) -> bool:
        """Started, not finalised, and more than 48 h after its start."""
        if self.is_locked_for_center or not self.is_started:
            return False
        reference = max(self.starts_at, self.started_at) if self.started_at else self.starts_at
        return timezone.now() > reference + FINALISATION_DEADLINE

    @property
    def invigilator_names(self) -> list[str]:
        return split_invigilators(self.examiner)
