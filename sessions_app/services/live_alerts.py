"""Live alerts ("signalements en direct"): the candidate reports a problem on the current
question, an invigilator validates or refuses it.

    open ──validate──▶ validated  (issue report for the question; replacement question of the
      │                            same competence, or the question is neutralised)
      └───refuse────▶ refused     (the candidate goes back to the same question)

At most one open alert per certification (a database rule, and the certification row is locked
first). Every transition locks the certification then the alert, checks its guards (raising
`DomainError`), returns early when already done (validating twice, from two phones, validates
once), records an audit row and stamps the candidate's `changed_at` (the live list sends the row
again; the alert's own created_at / handled_at reorder the list: alert rows first).
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pixcertif.accounts.models import Actor, User
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError
from sessions_app.live_alerts import ALERT_CODES, QUESTION_GROUP, pupil_label
from sessions_app.models import (
    Certification,
    CertificationChallenge,
    CertificationState,
    Challenge,
    IssueReport,
    IssueReportSource,
    LiveAlert,
    LiveAlertOutcome,
    LiveAlertStatus,
)
from sessions_app.services.session_status import ensure_center_can_change
from sessions_app.services.sessions import candidate_touch

# Stored resolution notes (records read by the Pix jury): French, the reference.
NOTE_REPLACED = (
    "Signalement en direct validé pendant la session : la question {n} a été remplacée par une autre question "
    "de la même compétence."
)
NOTE_NEUTRALISED = (
    "Signalement en direct validé pendant la session : la question {n} a été neutralisée (aucune autre question "
    "de la même compétence n'était disponible)."
)


def _lock_certification(certification_id: int) -> Certification:
    return Certification.objects.select_for_update().select_related("candidate__session").get(pk=certification_id)


def open_alert_of(certification: Certification) -> LiveAlert | None:
    return LiveAlert.objects.filter(certification=certification, status=LiveAlertStatus.OPEN).first()


def live_alert_open(*, certification: Certification, user: User, index: int, code: str) -> LiveAlert:
    """The candidate reports a problem (`code`, an E category) on question `index` (0-based).

    Refused: another account's test, a finalised session, a finished test, a question that is not
    the current one, an unknown category, a second alert while one is open. Sending the same
    alert again (a double click) returns the open one.
    """
    if code not in ALERT_CODES:
        raise DomainError("invalid_category", _("Choisissez le problème rencontré dans la liste."))
    with transaction.atomic():
        certification = _lock_certification(certification.pk)
        if certification.user_id != user.pk:
            raise DomainError("not_your_certification", _("Ce test de certification n'est pas le vôtre."))
        ensure_center_can_change(certification.candidate.session)
        if certification.is_finished:
            raise DomainError(
                "test_finished",
                _("Votre test de certification est terminé : vous ne pouvez plus faire de signalement."),
            )
        existing = open_alert_of(certification)
        if existing is not None:
            if existing.question_index == index and existing.code == code:
                return existing
            raise DomainError(
                "alert_already_open",
                _("Votre signalement précédent est en cours de traitement : attendez la réponse de votre surveillant."),
            )
        if index != certification.current_index:
            raise DomainError(
                "not_current_question", _("Vous ne pouvez signaler un problème que sur la question affichée.")
            )
        question = (
            CertificationChallenge.objects.filter(certification=certification, index=index)
            .only("pk", "challenge_id")
            .first()
        )
        if question is None:
            raise DomainError("invalid_index", _("Cette question ne fait pas partie de votre test."))
        alert = LiveAlert.objects.create(
            certification=certification,
            question_index=index,
            challenge_id=question.challenge_id,
            code=code,
            created_at=timezone.now(),
        )
        session = certification.candidate.session
        audit_record(
            action="live_alert.opened",
            by=user,
            session=session,
            candidate=certification.candidate,
            alert=alert.pk,
            question=alert.question_number,
            code=code,
        )
        candidate_touch(certification.candidate_id, alert.created_at)
        return alert


def _lock_alert(alert: LiveAlert) -> tuple[Certification, LiveAlert]:
    certification_id = LiveAlert.objects.filter(pk=alert.pk).values_list("certification_id", flat=True).first()
    if certification_id is None:
        raise DomainError("alert_not_found", _("Ce signalement n'existe pas."))
    certification = _lock_certification(certification_id)
    return certification, LiveAlert.objects.select_for_update().get(pk=alert.pk)


def _replacement_for(certification: Certification, question: CertificationChallenge) -> Challenge | None:
    """Another active question of the same competence, at or below the replaced one's level,
    never one the test holds or held; the highest level first, drawn reproducibly. A candidate
    who needs an adjustment gets an accessible one where the bank has one left."""
    used = set(
        CertificationChallenge.objects.filter(certification=certification).values_list("challenge_id", flat=True)
    )
    used |= set(LiveAlert.objects.filter(certification=certification).values_list("challenge_id", flat=True))
    pool = list(
        Challenge.objects.filter(
            is_active=True, competence=question.competence, level__lte=question.challenge.level
        ).exclude(pk__in=used)
    )
    if certification.candidate.needs_adjustment and any(c.accessible for c in pool):
        pool = [c for c in pool if c.accessible]  # the draw's rule for an adjustment (README)
    if not pool:
        return None
    top = max(challenge.level for challenge in pool)
    choices = sorted((c for c in pool if c.level == top), key=lambda c: c.code)
    rng = random.Random(certification.seed * 100 + question.index)  # noqa: S311 - reproducible, not a secret
    return rng.choice(choices)


def live_alert_validate(*, alert: LiveAlert, by: Actor, code: str = "") -> LiveAlert:
    """Validate an open alert, with the candidate's category or the one the invigilator picks.

    An issue report (marked as coming from the live alert) is created for the question. While the
    candidate is still on that question, it is replaced by another of the same competence, or
    neutralised (and the test moves on) where none is left; the report then records what was done.
    Refused: a finalised session, an unknown category, an alert already refused. Validating a
    validated alert changes nothing.
    """
    code = code or ""
    if code and code not in ALERT_CODES:
        raise DomainError("invalid_category", _("Cette catégorie de signalement n'existe pas."))
    with transaction.atomic():
        certification, alert = _lock_alert(alert)
        session = certification.candidate.session
        ensure_center_can_change(session)
        if alert.status == LiveAlertStatus.VALIDATED:
            return alert
        if alert.status == LiveAlertStatus.REFUSED:
            raise DomainError("alert_already_refused", _("Ce signalement a déjà été refusé."))
        code = code or alert.code
        now = timezone.now()
        report = IssueReport.objects.create(
            certification=certification,
            code=code,
            category=QUESTION_GROUP,
            question_number=alert.question_number,
            description=_("Signalé par le candidat pendant la session : %(label)s.")
            % {"label": pupil_label(alert.code)},
            source=IssueReportSource.LIVE_ALERT,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        outcome, replacement = LiveAlertOutcome.NONE, None
        in_progress = certification.state == CertificationState.STARTED
        if in_progress and certification.current_index == alert.question_index:
            question = (
                CertificationChallenge.objects.select_for_update()
                .select_related("challenge")
                .get(certification=certification, index=alert.question_index)
            )
            replacement = _replacement_for(certification, question)
            if replacement is not None:
                question.challenge = replacement
                question.save(update_fields=["challenge"])
                outcome, note = LiveAlertOutcome.REPLACED, NOTE_REPLACED
            else:
                question.is_neutralized = True
                question.result = CertificationChallenge.Result.SKIPPED
                question.answered_at = now
                question.save(update_fields=["is_neutralized", "result", "answered_at"])
                _move_on(certification, question, now, by)
                outcome, note = LiveAlertOutcome.NEUTRALIZED, NOTE_NEUTRALISED
            report.resolved_at = now
            report.auto_resolved = True
            report.resolution_note = note.format(n=alert.question_number)
            report.save(update_fields=["resolved_at", "auto_resolved", "resolution_note"])
        alert.status = LiveAlertStatus.VALIDATED
        alert.handled_at = now
        alert.handled_by = by if getattr(by, "is_authenticated", False) else None
        alert.handled_code = code
        alert.outcome = outcome
        alert.replacement = replacement
        alert.issue_report = report
        alert.save(
            update_fields=[
                "status",
                "handled_at",
                "handled_by",
                "handled_code",
                "outcome",
                "replacement",
                "issue_report",
            ]
        )
        audit_record(
            action="live_alert.validated",
            by=by,
            session=session,
            candidate=certification.candidate,
            alert=alert.pk,
            question=alert.question_number,
            code=code,
            outcome=outcome,
            report=report.pk,
            replacement=getattr(replacement, "code", None),
        )
        candidate_touch(certification.candidate_id, now)
        return alert


def _move_on(certification: Certification, question: CertificationChallenge, now: Any, by: Actor) -> None:
    """After a neutralised question: the next one, or the end of the test after the last."""
    certification.current_index = question.index + 1
    certification.last_answered_at = now  # the next question's time runs from here
    fields = ["current_index", "last_answered_at"]
    if certification.current_index >= certification.challenge_count:
        certification.state = CertificationState.COMPLETED
        certification.ended_at = now
        fields += ["state", "ended_at"]
        audit_record(
            action="certification.completed",
            by=by,
            session=certification.candidate.session,
            candidate=certification.candidate,
        )
    certification.save(update_fields=fields)


def live_alert_refuse(*, alert: LiveAlert, by: Actor) -> LiveAlert:
    """Refuse an open alert: the candidate goes back to the same question.

    Refused: a finalised session, an alert already validated. Refusing a refused alert changes nothing.
    """
    with transaction.atomic():
        certification, alert = _lock_alert(alert)
        session = certification.candidate.session
        ensure_center_can_change(session)
        if alert.status == LiveAlertStatus.REFUSED:
            return alert
        if alert.status == LiveAlertStatus.VALIDATED:
            raise DomainError("alert_already_validated", _("Ce signalement a déjà été validé."))
        alert.status = LiveAlertStatus.REFUSED
        alert.handled_at = timezone.now()
        alert.handled_by = by if getattr(by, "is_authenticated", False) else None
        alert.save(update_fields=["status", "handled_at", "handled_by"])
        audit_record(
            action="live_alert.refused",
            by=by,
            session=session,
            candidate=certification.candidate,
            alert=alert.pk,
            question=alert.question_number,
            code=alert.code,
        )
        candidate_touch(certification.candidate_id, alert.handled_at)
        return alert
