from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sessions_app.competences import COMPETENCES
from sessions_app.report_categories import label_for

TEST_DURATION = timedelta(hours=1, minutes=45)


class ChallengeType(models.TextChoices):
    SINGLE = "qcu", _("Choix unique")
    MULTIPLE = "qcm", _("Choix multiple")
    SHORT = "qroc", _("Réponse courte")


class Challenge(models.Model):
    """A question of the bank. `solution`: the proposal number (qcu), numbers joined by ","
    (qcm, order free), or accepted answers joined by "|" (qroc, compared normalised)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    competence = models.CharField(_("compétence"), max_length=3, choices=COMPETENCES)
    level = models.PositiveSmallIntegerField(_("niveau"))
    type = models.CharField(_("type"), max_length=4, choices=ChallengeType.choices)
    instruction = models.TextField(_("consigne"))
    proposals = models.JSONField(_("propositions"), default=list, blank=True)
    solution = models.CharField(_("solution"), max_length=500)
    timer_seconds = models.PositiveSmallIntegerField(_("temps imparti (secondes)"), null=True, blank=True)
    has_image = models.BooleanField(_("contient une image"), default=False)
    has_attachment = models.BooleanField(_("contient un fichier à télécharger"), default=False)
    has_embed = models.BooleanField(_("contient un simulateur / une application"), default=False)
    is_focus = models.BooleanField(_("mode focus"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # No image, attachment, embed or focus constraint: drawn for a candidate who needs an adjustment.
    accessible = models.BooleanField(_("accessible"), default=False)
    # Stamped on every save (the admin's edits, `load_challenges`): the test pages keep a challenge's
    # content in memory keyed by (id, updated_at), so an edited challenge is read afresh everywhere.
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("épreuve")
        verbose_name_plural = _("épreuves")
        ordering = ["competence", "-level", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=8), name="sessions_app_challenge_level_range"),
            models.CheckConstraint(
                condition=Q(type__in=[t.value for t in ChallengeType]), name="sessions_app_challenge_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.competence} niv. {self.level})"

    @property
    def is_timed(self) -> bool:
        return self.timer_seconds is not None


class CertificationState(models.TextChoices):
    STARTED = "started", _("En cours")
    COMPLETED = "completed", _("Terminé")
    ENDED_BY_INVIGILATOR = "ended_by_invigilator", _("Terminé par le surveillant")
    ENDED_BY_FINALISATION = "ended_by_finalisation", _("Terminé à la finalisation")


class AbortReason(models.TextChoices):
    CANDIDATE = "candidate", _("Abandon : Manque de temps ou départ prématuré")
    TECHNICAL = "technical", _("Problème technique")


class JuryStatus(models.TextChoices):
    PENDING = "", _("À traiter")
    VALIDATED = "validated", _("Validée")
    REJECTED = "rejected", _("Rejetée")
    CANCELLED = "cancelled", _("Annulée")


class Certification(models.Model):
    """One candidate's test."""

    candidate = models.OneToOneField("sessions_app.Candidate", on_delete=models.PROTECT, related_name="certification")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certifications")
    state = models.CharField(
        _("état"), max_length=24, choices=CertificationState.choices, default=CertificationState.STARTED
    )
    started_at = models.DateTimeField(_("commencé le"))
    ended_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # Index (0-based) of the next question to show; answers for another index are refused.
    current_index = models.PositiveSmallIntegerField(default=0)
    abort_reason = models.CharField(_("raison de l'abandon"), max_length=10, choices=AbortReason.choices, blank=True)
    # Random seed the test was drawn with (reproducible).
    seed = models.BigIntegerField(default=0)
    # Last heartbeat of the test page (written at most every HEARTBEAT_WRITE_EVERY). Null: this
    # test's page never pinged (no JavaScript), so leaving it cannot be detected.
    last_seen_at = models.DateTimeField(_("page du test vue le"), null=True, blank=True)
    # Stored at the start so that no question page recounts them: the test's length (kept right
    # when a live alert replaces a question), and when the last answer was recorded (the live
    # list's activity, and its change stamp for answers: an answer writes this row only).
    challenge_count = models.PositiveSmallIntegerField(_("nombre de questions"), default=0)
    last_answered_at = models.DateTimeField(_("dernière réponse le"), null=True, blank=True)

    # Jury and results.
    jury_status = models.CharField(
        _("statut après jury"), max_length=10, choices=JuryStatus.choices, blank=True, default=""
    )
    pix_score = models.PositiveSmallIntegerField(_("score pix"), null=True, blank=True)
    competence_levels = models.JSONField(_("niveaux certifiés"), default=dict, blank=True)
    rate = models.FloatField(_("taux de réussite"), null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    comment_for_candidate = models.TextField(_("commentaire pour le candidat"), blank=True)
    comment_for_center = models.TextField(_("commentaire pour le centre"), blank=True)
    # A jury decision the score never overrides (cancelled is the other one: jury_status "cancelled").
    rejected_for_fraud = models.BooleanField(_("rejetée pour fraude"), default=False)
    verification_code = models.CharField(_("code de vérification"), max_length=10, blank=True)
    # Set when the jury cancels the certificate of a published session (the code then verifies as
    # "annulée"); cleared when it is restored. The audit trail keeps every cancellation.
    cancellation_reason = models.TextField(_("motif de l'annulation"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    # Not columns: what the candidate's hot reads (`sessions_app.test_reads`) set on the test they read.
    current_question: CertificationChallenge | None
    latest_alert_id: int | None
    latest_alert_status: str | None
    has_open_alert: bool
    login_data: str | None  # the login session's data, when the hot read read the session row

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in CertificationState]),
                name="sessions_app_certification_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(abort_reason__in=["", "candidate", "technical"]),
                name="sessions_app_certification_abort_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(jury_status__in=["", "validated", "rejected", "cancelled"]),
                name="sessions_app_certification_jury_status_valid",
            ),
            models.UniqueConstraint(
                fields=["verification_code"],
                condition=~Q(verification_code=""),
                name="sessions_app_certification_unique_verification_code",
            ),
        ]

    def __str__(self) -> str:
        return f"Certification {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state != CertificationState.STARTED

    @property
    def theoretical_end(self) -> datetime:
        """Start + 1 h 45, lengthened by the candidate's extra time percentage."""
        extra = self.candidate.extra_time_percentage or 0
        return self.started_at + TEST_DURATION * (1 + extra / 100)


class CertificationChallenge(models.Model):
    """A question drawn for one test, at a fixed position, with the answer given."""

    class Result(models.TextChoices):
        OK = "ok", _("Juste")
        KO = "ko", _("Faux")
        SKIPPED = "skipped", _("Passée")

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="challenges")
    index = models.PositiveSmallIntegerField(_("position"))  # 0-based; shown as index + 1
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="+")
    competence = models.CharField(max_length=3)
    answer = models.TextField(_("réponse"), max_length=2000, blank=True)
    result = models.CharField(_("résultat"), max_length=8, choices=Result.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    is_neutralized = models.BooleanField(_("neutralisée"), default=False)

    # Not a column: the challenge's `updated_at` as `sessions_app.test_reads` read it (its content's key).
    challenge_version: datetime

    class Meta:
        verbose_name = _("question de certification")
        verbose_name_plural = _("questions de certification")
        ordering = ["certification", "index"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "index"], name="sessions_app_certchallenge_unique_index"),
            models.UniqueConstraint(
                fields=["certification", "challenge"], name="sessions_app_certchallenge_unique_challenge"
            ),
            models.CheckConstraint(
                condition=Q(result__in=["", "ok", "ko", "skipped"]), name="sessions_app_certchallenge_result_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Q{self.index + 1} de {self.certification}"

    @property
    def number(self) -> int:
        return self.index + 1


class IssueReportSource(models.TextChoices):
    FINALISATION = "finalisation", _("Saisi à la finalisation")
    INVIGILATOR = "invigilator", _("Saisi pendant la session")
    LIVE_ALERT = "live_alert", _("Signalement en direct du candidat")


class IssueReport(models.Model):
    """A "signalement": made at finalisation, or during the session (by the invigilator on the
    phone, or a validated live alert of the candidate); resolved automatically or by the jury."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="issue_reports")
    code = models.CharField(_("code"), max_length=3)  # C1…C8, E1…E12 (see sessions_app.report_categories)
    category = models.CharField(_("catégorie"), max_length=40)
    question_number = models.PositiveSmallIntegerField(_("n° de question"), null=True, blank=True)
    description = models.TextField(_("détails"), max_length=500, blank=True)
    source = models.CharField(
        _("origine"), max_length=12, choices=IssueReportSource.choices, default=IssueReportSource.FINALISATION
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("résolu le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    auto_resolved = models.BooleanField(_("résolu automatiquement"), default=False)
    resolution_note = models.TextField(_("note de résolution"), blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["certification", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in IssueReportSource]),
                name="sessions_app_issuereport_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.certification}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def label(self) -> str:
        """'C1 Modification des prénom/nom/date de naissance' (see `report_categories.label_for`)."""
        return label_for(self.code)

    @property
    def entered_during_session(self) -> bool:
        """ "saisi pendant la session": logged on the invigilator's phone or a validated live alert."""
        return self.source != IssueReportSource.FINALISATION


class LiveAlertStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    VALIDATED = "validated", _("Validé")
    REFUSED = "refused", _("Refusé")


class LiveAlertOutcome(models.TextChoices):
    NONE = "", _("—")
    REPLACED = "replaced", _("Question remplacée")
    NEUTRALIZED = "neutralized", _("Question neutralisée")


class LiveAlert(models.Model):
    """A "signalement en direct": the candidate reports a problem on the current question; an
    invigilator validates it (issue report + replacement question or neutralisation) or refuses it.
    At most one open alert per certification (a database rule)."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="live_alerts")
    question_index = models.PositiveSmallIntegerField(_("position de la question"))  # 0-based
    # The question shown when the alert was raised (a replacement changes the position's question).
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("catégorie choisie par le candidat"), max_length=3)
    status = models.CharField(_("état"), max_length=10, choices=LiveAlertStatus.choices, default=LiveAlertStatus.OPEN)
    created_at = models.DateTimeField(_("signalé le"))
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The sub-category the invigilator validated (may differ from the candidate's choice).
    handled_code = models.CharField(_("catégorie validée"), max_length=3, blank=True)
    outcome = models.CharField(_("suite donnée"), max_length=12, choices=LiveAlertOutcome.choices, blank=True)
    replacement = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("remplacée par")
    )
    issue_report = models.OneToOneField(
        IssueReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="live_alert"
    )

    class Meta:
        verbose_name = _("signalement en direct")
        verbose_name_plural = _("signalements en direct")
        ordering = ["certification", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in LiveAlertStatus]), name="sessions_app_livealert_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in LiveAlertOutcome]),
                name="sessions_app_livealert_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(handled_at__isnull=False), name="sessions_app_livealert_handled_has_time"
            ),
            models.UniqueConstraint(
                fields=["certification"], condition=Q(status="open"), name="sessions_app_livealert_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} Q{self.question_number} — {self.certification}"

    @property
    def question_number(self) -> int:
        return self.question_index + 1

    @property
    def is_open(self) -> bool:
        return self.status == LiveAlertStatus.OPEN
