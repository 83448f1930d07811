"""Jury services (Pix staff, from the Django admin): take a session, correct it, publish it.

Every service runs in a transaction, re-reads its rows with `select_for_update()`, checks its
guards (raising `DomainError`), writes with `update_fields`, records an audit row and returns early
when the object is already in the target state. A published session is frozen: unpublish it first.
The session's status moves (take, publish, unpublish, unfinalise) and the "in the jury's hands"
guard live in `sessions_app.services.session_status`.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from finalisation.jury.scoring import certification_score, session_score
from finalisation.results.recipients import send_recipient_emails
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError
from sessions_app.models import (
    Certification,
    CertificationChallenge,
    IssueReport,
    JuryStatus,
    Session,
)
from sessions_app.services.session_status import Move, apply_move, ensure_in_jury_hands, guard_move, session_lock

VERIFICATION_PREFIX = "P-"
VERIFICATION_ALPHABET = "2346789BCDFGHJKMPQRTVWXY"
VERIFICATION_LENGTH = 8
COMMENT_MAX_LENGTH = 2000


# ---------------------------------------------------------------- helpers


def generate_verification_code() -> str:
    """ "P-" + 8 characters without ambiguous ones (no 0/O, 1/I/L, 5/S…), e.g. P-7KQ2MXBD."""
    return VERIFICATION_PREFIX + "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))


def _lock_certification(certification_id: int) -> tuple[Certification, Session]:
    """Lock the session first, then the certification (the order every jury service uses)."""
    session_id = Certification.objects.filter(pk=certification_id).values_list("candidate__session_id", flat=True)
    session = session_lock(session_id.get())
    ensure_in_jury_hands(session)
    certification = Certification.objects.select_for_update().select_related("candidate").get(pk=certification_id)
    return certification, session


# ---------------------------------------------------------------- sessions


def session_take(*, session: Session, by: Any) -> Session:
    """Take a finalised session ("en cours de traitement", assigned to `by`). Taking it over from
    another jury member is allowed and recorded."""
    with transaction.atomic():
        session = session_lock(session.pk)
        if not guard_move(session, Move.TAKE, by=by):
            return session
        return apply_move(session=session, move=Move.TAKE, by=by, previous_assignee=session.assigned_to_id)


def session_rescore(*, session: Session, by: Any) -> int:
    """Score every certification of the session again (e.g. one finalised before scoring existed)."""
    with transaction.atomic():
        session = session_lock(session.pk)
        ensure_in_jury_hands(session)
        audit_record(action="jury.session_rescore", by=by, session=session)
        return session_score(session=session, by=by)


def session_publish(*, session: Session, by: Any) -> Session:
    """Publish the results: status "Résultats transmis par Pix", a verification code for every
    validated certification, one e-mail per results recipient (after the change is saved).

    Refused: a session not finalised; a certification not scored yet; a report not resolved.
    """
    with transaction.atomic():
        session = session_lock(session.pk)
        if not guard_move(session, Move.PUBLISH):
            return session
        certifications = list(
            Certification.objects.select_for_update()
            .filter(candidate__session=session)
            .select_related("candidate")
            .order_by("candidate__last_name", "candidate__first_name")
        )
        unscored = [c for c in certifications if c.scored_at is None or c.jury_status == JuryStatus.PENDING]
        if unscored:
            names = ", ".join(c.candidate.full_name for c in unscored)
            raise DomainError(
                "certification_unscored",
                f"Session {session.pk} : impossible de publier, certification(s) sans score : {names}.",
            )
        unresolved = IssueReport.objects.filter(
            certification__candidate__session=session, resolved_at__isnull=True
        ).count()
        if unresolved:
            raise DomainError(
                "reports_unresolved",
                f"Session {session.pk} : impossible de publier, {unresolved} signalement(s) non résolu(s).",
            )
        for certification in certifications:
            if certification.jury_status == JuryStatus.VALIDATED and not certification.verification_code:
                certification.verification_code = _unique_verification_code()
                certification.save(update_fields=["verification_code"])
        apply_move(session=session, move=Move.PUBLISH, by=by, certifications=len(certifications))
    sent = send_recipient_emails(session)
    if sent:
        audit_record(action="jury.results_emails_sent", by=by, session=session, count=sent)
    return session


def _unique_verification_code() -> str:
    for _ in range(20):
        code = generate_verification_code()
        if not Certification.objects.filter(verification_code=code).exists():
            return code
    raise DomainError("verification_code_exhausted", "Impossible de générer un code de vérification unique.")


def sessions_publish(*, sessions: list[Session], by: Any) -> tuple[list[Session], list[DomainError]]:
    """Publish several sessions, each on its own: one refusal does not stop the others."""
    published, errors = [], []
    for session in sessions:
        try:
            published.append(session_publish(session=session, by=by))
        except DomainError as error:
            errors.append(error)
    return published, errors


def session_unpublish(*, session: Session, by: Any) -> Session:
    """Withdraw published results: back in the jury's hands (verification codes are kept and
    come back with the next publication)."""
    with transaction.atomic():
        session = session_lock(session.pk)
        if not guard_move(session, Move.UNPUBLISH):
            return session
        return apply_move(session=session, move=Move.UNPUBLISH, by=by)


def session_unfinalise(*, session: Session, by: Any) -> Session:
    """Give an unpublished session back to its centre (status "Créée"). A new candidate access code
    is drawn if another open session took the old one meanwhile."""
    with transaction.atomic():
        session = session_lock(session.pk)
        if not guard_move(session, Move.UNFINALISE):
            return session
        return apply_move(session=session, move=Move.UNFINALISE, by=by)


# ---------------------------------------------------------------- questions and reports


def _set_neutralized(
    *, certification_challenge: CertificationChallenge, value: bool, by: Any
) -> CertificationChallenge:
    with transaction.atomic():
        certification, session = _lock_certification(certification_challenge.certification_id)
        row = CertificationChallenge.objects.select_for_update().get(pk=certification_challenge.pk)
        if row.is_neutralized == value:
            return row
        row.is_neutralized = value
        row.save(update_fields=["is_neutralized"])
        audit_record(
            action="jury.challenge_neutralise" if value else "jury.challenge_unneutralise",
            by=by,
            session=session,
            candidate=certification.candidate,
            certification=certification.pk,
            question_number=row.number,
            challenge=row.challenge_id,
        )
        certification_score(certification=certification, by=by)
        return row


def challenge_neutralise(*, certification_challenge: CertificationChallenge, by: Any) -> CertificationChallenge:
    """Neutralise a question (left out of the score), then score the certification again."""
    return _set_neutralized(certification_challenge=certification_challenge, value=True, by=by)


def challenge_unneutralise(*, certification_challenge: CertificationChallenge, by: Any) -> CertificationChallenge:
    """Count a neutralised question again, then score the certification again."""
    return _set_neutralized(certification_challenge=certification_challenge, value=False, by=by)


def issue_report_resolve(*, report: IssueReport, note: str, by: Any) -> IssueReport:
    """Resolve a report with the jury's note (required). Resolving again replaces the note."""
    note = (note or "").strip()
    if not note:
        raise DomainError("note_required", "Indiquez une note de résolution.")
    with transaction.atomic():
        certification, session = _lock_certification(report.certification_id)
        report = IssueReport.objects.select_for_update().get(pk=report.pk)
        if report.is_resolved and report.resolution_note == note:
            return report
        report.resolved_at = timezone.now()
        report.resolved_by = by
        report.auto_resolved = False
        report.resolution_note = note
        report.save(update_fields=["resolved_at", "resolved_by", "auto_resolved", "resolution_note"])
        audit_record(
            action="jury.issue_report_resolve",
            by=by,
            session=session,
            candidate=certification.candidate,
            report=report.pk,
            code=report.code,
            note=note,
        )
        return report


# ---------------------------------------------------------------- certifications


def certification_cancel(*, certification: Certification, by: Any) -> Certification:
    """Cancel a certification ("Annulée"): no score, no certificate."""
    with transaction.atomic():
        certification, session = _lock_certification(certification.pk)
        if certification.jury_status == JuryStatus.CANCELLED:
            return certification
        certification.jury_status = JuryStatus.CANCELLED
        certification.save(update_fields=["jury_status"])
        audit_record(
            action="jury.certification_cancel",
            by=by,
            session=session,
            candidate=certification.candidate,
            certification=certification.pk,
        )
        return certification


def certification_reject_for_fraud(*, certification: Certification, by: Any) -> Certification:
    """Reject a certification for fraud ("Rejetée", 0 pix), whatever its score."""
    with transaction.atomic():
        certification, session = _lock_certification(certification.pk)
        if certification.rejected_for_fraud and certification.jury_status == JuryStatus.REJECTED:
            return certification
        certification.rejected_for_fraud = True
        certification.jury_status = JuryStatus.REJECTED
        certification.pix_score = 0
        certification.save(update_fields=["rejected_for_fraud", "jury_status", "pix_score"])
        audit_record(
            action="jury.certification_reject_for_fraud",
            by=by,
            session=session,
            candidate=certification.candidate,
            certification=certification.pk,
        )
        return certification


def certification_reinstate(*, certification: Certification, by: Any) -> Certification:
    """Undo a cancellation or a fraud rejection: the certification gets its computed result back."""
    with transaction.atomic():
        certification, session = _lock_certification(certification.pk)
        if certification.jury_status != JuryStatus.CANCELLED and not certification.rejected_for_fraud:
            return certification
        certification.rejected_for_fraud = False
        certification.jury_status = JuryStatus.PENDING
        certification.save(update_fields=["rejected_for_fraud", "jury_status"])
        audit_record(
            action="jury.certification_reinstate",
            by=by,
            session=session,
            candidate=certification.candidate,
            certification=certification.pk,
        )
        return certification_score(certification=certification, by=by)


def certification_comment(
    *, certification: Certification, for_candidate: str, for_center: str, by: Any
) -> Certification:
    """Set the jury's comments for the candidate and for the centre (each at most 2000 characters)."""
    for_candidate, for_center = (for_candidate or "").strip(), (for_center or "").strip()
    if len(for_candidate) > COMMENT_MAX_LENGTH or len(for_center) > COMMENT_MAX_LENGTH:
        raise DomainError("comment_too_long", f"Un commentaire ne peut pas dépasser {COMMENT_MAX_LENGTH} caractères.")
    with transaction.atomic():
        certification, session = _lock_certification(certification.pk)
        if (certification.comment_for_candidate, certification.comment_for_center) == (for_candidate, for_center):
            return certification
        certification.comment_for_candidate = for_candidate
        certification.comment_for_center = for_center
        certification.save(update_fields=["comment_for_candidate", "comment_for_center"])
        audit_record(
            action="jury.certification_comment",
            by=by,
            session=session,
            candidate=certification.candidate,
            certification=certification.pk,
            comment_for_candidate=for_candidate,
            comment_for_center=for_center,
        )
        return certification
