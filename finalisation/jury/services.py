"""Jury services (Pix staff, from the Django admin): take a session, correct it, publish it.

Every service runs in a transaction, re-reads its rows with `select_for_update()`, checks its
guards (raising `DomainError`), writes with `update_fields`, records an audit row and returns early
when the object is already in the target state. A published session is frozen: unpublish it first.
The session's status moves (take, publish, unpublish, unfinalise) and the "in the jury's hands"
guard live in `sessions_app.services.session_status`.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finalisation.jury.scoring import certification_score, session_score
from finalisation.results.recipients import send_recipient_emails, send_referent_email
from pixcertif.accounts.models import Actor
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError
from sessions_app.codes import generate_verification_code
from sessions_app.models import (
    Candidate,
    Certification,
    CertificationChallenge,
    IssueReport,
    JuryStatus,
    Session,
    SessionStatus,
)
from sessions_app.normalize import identity_key
from sessions_app.services.session_status import Move, apply_move, ensure_in_jury_hands, guard_move, session_lock

COMMENT_MAX_LENGTH = 2000


# ---------------------------------------------------------------- helpers


def _lock_certification(certification_id: int) -> tuple[Certification, Session]:
    """Lock the session first, then the certification (the order every jury service uses)."""
    session_id = Certification.objects.filter(pk=certification_id).values_list("candidate__session_id", flat=True)
    session = session_lock(session_id.get())
    ensure_in_jury_hands(session)
    certification = Certification.objects.select_for_update().select_related("candidate").get(pk=certification_id)
    return certification, session


# ---------------------------------------------------------------- sessions


def session_take(*, session: Session, by: Actor) -> Session:
    """Take a finalised session ("en cours de traitement", assigned to `by`). Taking it over from
    another jury member is allowed and recorded."""
    with transaction.atomic():
        session = session_lock(session.pk)
        if not guard_move(session, Move.TAKE, by=by):
            return session
        return apply_move(session=session, move=Move.TAKE, by=by, previous_assignee=session.assigned_to_id)


def session_rescore(*, session: Session, by: Actor) -> int:
    """Score every certification of the session again (e.g. one finalised before scoring existed)."""
    with transaction.atomic():
        session = session_lock(session.pk)
        ensure_in_jury_hands(session)
        audit_record(action="jury.session_rescore", by=by, session=session)
        return session_score(session=session, by=by)


def session_publish(*, session: Session, by: Actor) -> Session:
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
                _("Session %(number)s : impossible de publier, certification(s) sans score : %(names)s.")
                % {"number": session.pk, "names": names},
            )
        unresolved = IssueReport.objects.filter(
            certification__candidate__session=session, resolved_at__isnull=True
        ).count()
        if unresolved:
            raise DomainError(
                "reports_unresolved",
                _("Session %(number)s : impossible de publier, %(count)s signalement(s) non résolu(s).")
                % {"number": session.pk, "count": unresolved},
            )
        for certification in certifications:
            if certification.jury_status == JuryStatus.VALIDATED and not certification.verification_code:
                certification.verification_code = _unique_verification_code()
                certification.save(update_fields=["verification_code"])
        apply_move(session=session, move=Move.PUBLISH, by=by, certifications=len(certifications))
    sent = send_recipient_emails(session)
    if sent:
        audit_record(action="jury.results_emails_sent", by=by, session=session, count=sent)
    referent = send_referent_email(session)
    if referent:
        audit_record(action="jury.referent_email_sent", by=by, session=session, email=referent)
    return session


def _unique_verification_code() -> str:
    for _attempt in range(20):
        code = generate_verification_code()
        if not Certification.objects.filter(verification_code=code).exists():
            return code
    raise DomainError("verification_code_exhausted", _("Impossible de générer un code de vérification unique."))


def sessions_publish(*, sessions: list[Session], by: Actor) -> tuple[list[Session], list[DomainError]]:
    """Publish several sessions, each on its own: one refusal does not stop the others."""
    published, errors = [], []
    for session in sessions:
        try:
            published.append(session_publish(session=session, by=by))
        except DomainError as error:
            errors.append(error)
    return published, errors


def session_unpublish(*, session: Session, by: Actor) -> Session:
    """Withdraw published results: back in the jury's hands (verification codes are kept and
    come back with the next publication)."""
    with transaction.atomic():
        session = session_lock(session.pk)
        if not guard_move(session, Move.UNPUBLISH):
            return session
        return apply_move(session=session, move=Move.UNPUBLISH, by=by)


def session_unfinalise(*, session: Session, by: Actor) -> Session:
    """Give an unpublished session back to its centre (status "Créée"). A new candidate access code
    is drawn if another open session took the old one meanwhile."""
    with transaction.atomic():
        session = session_lock(session.pk)
        if not guard_move(session, Move.UNFINALISE):
            return session
        return apply_move(session=session, move=Move.UNFINALISE, by=by)


# ---------------------------------------------------------------- questions and reports


def _set_neutralized(
    *, certification_challenge: CertificationChallenge, value: bool, by: Actor
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


def challenge_neutralise(*, certification_challenge: CertificationChallenge, by: Actor) -> CertificationChallenge:
    """Neutralise a question (left out of the score), then score the certification again."""
    return _set_neutralized(certification_challenge=certification_challenge, value=True, by=by)


def challenge_unneutralise(*, certification_challenge: CertificationChallenge, by: Actor) -> CertificationChallenge:
    """Count a neutralised question again, then score the certification again."""
    return _set_neutralized(certification_challenge=certification_challenge, value=False, by=by)


def issue_report_resolve(*, report: IssueReport, note: str, by: Actor) -> IssueReport:
    """Resolve a report with the jury's note (required). Resolving again replaces the note."""
    note = (note or "").strip()
    if not note:
        raise DomainError("note_required", _("Indiquez une note de résolution."))
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


def certification_cancel(*, certification: Certification, by: Actor) -> Certification:
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


def certification_reject_for_fraud(*, certification: Certification, by: Actor) -> Certification:
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


def certification_reinstate(*, certification: Certification, by: Actor) -> Certification:
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
    *, certification: Certification, for_candidate: str, for_center: str, by: Actor
) -> Certification:
    """Set the jury's comments for the candidate and for the centre (each at most 2000 characters)."""
    for_candidate, for_center = (for_candidate or "").strip(), (for_center or "").strip()
    if len(for_candidate) > COMMENT_MAX_LENGTH or len(for_center) > COMMENT_MAX_LENGTH:
        raise DomainError(
            "comment_too_long",
            _("Un commentaire ne peut pas dépasser %(max)s caractères.") % {"max": COMMENT_MAX_LENGTH},
        )
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


# ---------------------------------------------------------------- after publication, and corrections

REASON_MAX_LENGTH = 500
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
IDENTITY_FIELDS = ("first_name", "last_name", "birth_date", "birth_city", "birth_country")


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("reason_required", _("Indiquez le motif de la modification."))
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            "reason_too_long",
            _("Le motif ne peut pas dépasser %(max)d caractères.") % {"max": REASON_MAX_LENGTH},
        )
    return reason


def _lock_certification_of_finalised_session(certification_id: int) -> tuple[Certification, Session]:
    """Lock the session, then the certification, of a finalised session (published or not)."""
    session_id = Certification.objects.filter(pk=certification_id).values_list("candidate__session_id", flat=True)
    session = session_lock(session_id.get())
    if session.status == SessionStatus.CREATED:
        raise DomainError("session_not_finalized", _("La session %(n)s n'est pas finalisée.") % {"n": session.pk})
    certification = (
        Certification.objects.select_for_update().select_related("candidate__session").get(pk=certification_id)
    )
    return certification, session


def certification_cancel_published(*, certification: Certification, reason: str, by: Actor) -> Certification:
    """Cancel the certificate of a published session ("Annulée"), with a reason, without unpublishing
    the session: the centre and the candidate see "Annulée", the code verifies as cancelled.

    Refused: a session not published (the jury cancels it with "Annuler la certification" then),
    an empty reason. Already cancelled: nothing changes.
    """
    reason = _clean_reason(reason)
    with transaction.atomic():
        certification, session = _lock_certification_of_finalised_session(certification.pk)
        if session.status != SessionStatus.PUBLISHED:
            raise DomainError(
                "session_not_published",
                _(
                    "Les résultats de la session %(n)s ne sont pas publiés : annulez la certification avec "
                    "« Annuler la certification »."
                )
                % {"n": session.pk},
            )
        if certification.jury_status == JuryStatus.CANCELLED:
            return certification
        previous = certification.jury_status
        certification.jury_status = JuryStatus.CANCELLED
        certification.cancellation_reason = reason
        certification.cancelled_at = timezone.now()
        certification.save(update_fields=["jury_status", "cancellation_reason", "cancelled_at"])
        audit_record(
            action="jury.certificate_cancel",
            by=by,
            session=session,
            candidate=certification.candidate,
            certification=certification.pk,
            previous_status=previous,
            reason=reason,
        )
        return certification


def certification_restore_published(*, certification: Certification, by: Actor) -> Certification:
    """Restore ("Rétablir") a certificate cancelled after publication: the computed result comes back,
    and a validated one keeps (or gets) its verification code.

    Refused: a session not published. Not cancelled: nothing changes.
    """
    with transaction.atomic():
        certification, session = _lock_certification_of_finalised_session(certification.pk)
        if session.status != SessionStatus.PUBLISHED:
            raise DomainError(
                "session_not_published",
                _("Les résultats de la session %(n)s ne sont pas publiés.") % {"n": session.pk},
            )
        if certification.jury_status != JuryStatus.CANCELLED:
            return certification
        certification.jury_status = JuryStatus.PENDING
        certification.cancellation_reason = ""
        certification.cancelled_at = None
        certification.save(update_fields=["jury_status", "cancellation_reason", "cancelled_at"])
        certification = certification_score(certification=certification, by=by)
        if certification.jury_status == JuryStatus.VALIDATED and not certification.verification_code:
            certification.verification_code = _unique_verification_code()
            certification.save(update_fields=["verification_code"])
        audit_record(
            action="jury.certificate_restore",
            by=by,
            session=session,
            candidate=certification.candidate,
            certification=certification.pk,
            status=certification.jury_status,
        )
        return certification


def _clean_name(value: str, label: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise DomainError("name_required", _("Le champ « %(label)s » est obligatoire.") % {"label": label})
    if len(value) > 255:
        raise DomainError(
            "name_too_long", _("Le champ « %(label)s » ne peut pas dépasser 255 caractères.") % {"label": label}
        )
    return value


def certification_correct_identity(
    *,
    certification: Certification,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    birth_city: str,
    birth_country: str,
    reason: str,
    by: Actor,
) -> Certification:
    """Correct the candidate's identity (a C1 report, or a request by e-mail), before or after
    publication: the certificate, the centre's results, the CSVs and the verification page read it.
    The change is audited field by field (old → new) with its reason.

    Refused: an empty first or birth name, a birth date missing, in the future or before 1900, an
    empty reason, a session not finalised, an identity another candidate of the session already has.
    """
    first_name = _clean_name(first_name, _("Prénom"))
    last_name = _clean_name(last_name, _("Nom de naissance"))
    if birth_date is None:
        raise DomainError("birth_date_required", _("Le champ « Date de naissance » est obligatoire."))
    if birth_date > timezone.localdate():
        raise DomainError("birth_date_future", _("La date de naissance ne peut pas être dans le futur."))
    if birth_date < EARLIEST_BIRTH_DATE:
        raise DomainError("birth_date_too_old", _("La date de naissance doit être postérieure au 01/01/1900."))
    birth_city = " ".join((birth_city or "").split())[:255]
    birth_country = " ".join((birth_country or "").split())[:255]
    reason = _clean_reason(reason)
    wanted = {
        "first_name": first_name,
        "last_name": last_name,
        "birth_date": birth_date,
        "birth_city": birth_city,
        "birth_country": birth_country,
    }
    with transaction.atomic():
        certification, session = _lock_certification_of_finalised_session(certification.pk)
        candidate = Candidate.objects.select_for_update().get(pk=certification.candidate_id)
        changes = {
            field: [getattr(candidate, field), value]
            for field, value in wanted.items()
            if getattr(candidate, field) != value
        }
        if not changes:
            return certification
        key = identity_key(first_name, last_name)
        taken = (
            Candidate.objects.filter(session=session, identity_key=key, birth_date=birth_date)
            .exclude(pk=candidate.pk)
            .exists()
        )
        if taken:
            raise DomainError(
                "identity_taken",
                _("Un autre candidat de la session a déjà ce nom, ce prénom et cette date de naissance."),
            )
        for field, (_old, new) in changes.items():
            setattr(candidate, field, new)
        candidate.identity_key = key
        candidate.save(update_fields=[*changes, "identity_key"])
        audit_record(
            action="jury.identity_correct",
            by=by,
            session=session,
            candidate=candidate,
            certification=certification.pk,
            reason=reason,
            changes=changes,
        )
        certification.candidate = candidate
        return certification


def certification_set_extra_time(
    *, certification: Certification, percentage: int | None, reason: str, by: Actor
) -> Certification:
    """Set or clear the candidate's extra time ("Temps majoré", a C2 report), audited old → new.

    Refused: a percentage that is not a whole number from 1 to 99, an empty reason, a session not in
    the jury's hands (not finalised, or published: unpublish it first).
    """
    if percentage is not None and not (1 <= percentage <= 99):
        raise DomainError(
            "extra_time_invalid", _("Le temps majoré doit être un pourcentage entier compris entre 1 et 99.")
        )
    reason = _clean_reason(reason)
    with transaction.atomic():
        certification, session = _lock_certification(certification.pk)
        candidate = Candidate.objects.select_for_update().get(pk=certification.candidate_id)
        if candidate.extra_time_percentage == percentage:
            return certification
        previous = candidate.extra_time_percentage
        candidate.extra_time_percentage = percentage
        candidate.save(update_fields=["extra_time_percentage"])
        audit_record(
            action="jury.extra_time_set",
            by=by,
            session=session,
            candidate=candidate,
            certification=certification.pk,
            reason=reason,
            changes={"extra_time_percentage": [previous, percentage]},
        )
        certification.candidate = candidate
        return certification
