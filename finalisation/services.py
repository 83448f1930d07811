"""Finalisation services: reports, abort reasons, complementary information, attachments, finalise.

Every write locks the session row first (`select_for_update`) and refuses a finalised session, so
nothing changes once the session is "entre les mains de l'équipe Pix", even when two
administrators work at once. Drafts are saved as they are entered: each call saves at once.
The lock, the "finalised" guard and the status move are those of `sessions_app.services.session_status`.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finalisation.jury.resolution import auto_resolve_reports
from finalisation.models import AttachmentKind, SessionAttachment
from finalisation.models.attachments import name_for_type
from pixcertif.accounts.models import Actor
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError
from sessions_app.models import (
    AbortReason,
    Certification,
    CertificationChallenge,
    CertificationState,
    IssueReport,
    Session,
)
from sessions_app.report_categories import CATEGORIES, DETAILS_MAX_LENGTH
from sessions_app.services.session_status import Move, apply_move, ensure_center_can_change, guard_move, session_lock
from sessions_app.services.sessions import session_touch

COMMENT_MAX_LENGTH = 500
ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024
ATTACHMENTS_MAX_PER_SESSION = 30
# Unfinished tests ("n'ont pas fini leur test"): they did not answer every question.
UNFINISHED_STATES = (CertificationState.STARTED, CertificationState.ENDED_BY_INVIGILATOR)

# Magic bytes → content type. The file name and the browser's declared type are never trusted.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def _lock_open_session(session_id: int) -> Session:
    session = session_lock(session_id)
    ensure_center_can_change(session)
    return session


def detect_content_type(head: bytes) -> str | None:
    """The content type of a file from its first bytes, or None if it is not a PDF, JPEG or PNG."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def question_count(certification: Certification) -> int:
    """Number of questions drawn for this test (question numbers go from 1 to it)."""
    return CertificationChallenge.objects.filter(certification=certification).count()


# ---------------------------------------------------------------- reports


def _checked_report(
    certification: Certification, code: str, question_number: int | None, description: str
) -> tuple[Any, int | None, str]:
    """(category, question number, details) once the rules of a report hold, else DomainError."""
    category = CATEGORIES.get(code)
    if category is None:
        raise DomainError("invalid_category", _("Cette catégorie de signalement n'existe pas."))
    if len(description) > DETAILS_MAX_LENGTH:
        raise DomainError(
            "description_too_long",
            _("Les détails ne peuvent pas dépasser %(max)s caractères.") % {"max": DETAILS_MAX_LENGTH},
        )
    if category.needs_details and not description:
        raise DomainError("description_required", _("Précisez les détails de ce signalement."))
    if category.needs_question:
        length = question_count(certification)
        if question_number is None:
            raise DomainError("question_required", _("Indiquez le numéro de la question concernée."))
        if not 1 <= question_number <= length:
            raise DomainError(
                "question_out_of_range",
                _("Le numéro de question doit être compris entre 1 et %(count)s (nombre de questions du test).")
                % {"count": length},
            )
    else:
        question_number = None
    return category, question_number, description


def issue_report_add(
    *, certification: Certification, code: str, question_number: int | None, description: str, by: Actor
) -> IssueReport:
    """Add one report ("signalement") to a started test.

    Refused: finalised session, unknown code, missing details where the category needs them,
    details over 500 characters, a question code (E…) without a question number or with one
    outside 1 … the test's length.
    """
    description = (description or "").strip()
    with transaction.atomic():
        certification = Certification.objects.select_related("candidate").get(pk=certification.pk)
        session = _lock_open_session(certification.candidate.session_id)
        category, question_number, description = _checked_report(certification, code, question_number, description)
        report = IssueReport.objects.create(
            certification=certification,
            code=category.code,
            category=category.group,
            question_number=question_number,
            description=description,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_record(
            action="issue_report.add",
            by=by,
            session=session,
            candidate=certification.candidate,
            report=report.pk,
            code=report.code,
            question_number=question_number,
        )
        return report


def issue_report_update(
    *, report: IssueReport, code: str, question_number: int | None, description: str, by: Actor
) -> IssueReport:
    """Change a report before finalisation (one entered during the session like any other); it
    keeps its origin. A new category or question number clears an automatic resolution made
    during the session, so that finalisation applies its rules to what the report now says.

    Refused: as `issue_report_add`. Saving it unchanged changes nothing.
    """
    description = (description or "").strip()
    with transaction.atomic():
        session_id = (
            IssueReport.objects.filter(pk=report.pk).values_list("certification__candidate__session_id", flat=True)
        ).first()
        if session_id is None:
            raise DomainError("report_not_found", _("Ce signalement a été supprimé."))
        session = _lock_open_session(session_id)
        report = IssueReport.objects.select_for_update().select_related("certification__candidate").get(pk=report.pk)
        category, question_number, description = _checked_report(
            report.certification, code, question_number, description
        )
        new = {
            "code": category.code,
            "category": category.group,
            "question_number": question_number,
            "description": description,
        }
        changed = [field for field, value in new.items() if getattr(report, field) != value]
        if not changed:
            return report
        for field in changed:
            setattr(report, field, new[field])
        if report.is_resolved and {"code", "question_number"} & set(changed):
            report.resolved_at, report.resolved_by, report.auto_resolved, report.resolution_note = None, None, False, ""
            changed += ["resolved_at", "resolved_by", "auto_resolved", "resolution_note"]
        report.save(update_fields=changed)
        audit_record(
            action="issue_report.update",
            by=by,
            session=session,
            candidate=report.certification.candidate,
            report=report.pk,
            code=report.code,
            question_number=question_number,
            changed=changed,
        )
        return report


def issue_report_remove(*, report: IssueReport, by: Actor) -> None:
    """Remove a report before finalisation. Removing a report already removed changes nothing."""
    with transaction.atomic():
        session_id = (
            IssueReport.objects.filter(pk=report.pk).values_list("certification__candidate__session_id", flat=True)
        ).first()
        if session_id is None:
            return
        session = _lock_open_session(session_id)
        locked = (
            IssueReport.objects.select_for_update()
            .select_related("certification__candidate")
            .filter(pk=report.pk)
            .first()
        )
        if locked is None:
            return
        report = locked
        audit_record(
            action="issue_report.remove",
            by=by,
            session=session,
            candidate=report.certification.candidate,
            report=report.pk,
            code=report.code,
        )
        report.delete()


# ---------------------------------------------------------------- abort reasons


def abort_reason_set(*, certification: Certification, reason: str, by: Actor) -> Certification:
    """Record why an unfinished test was not finished ("" clears it: "-- Choisissez --").

    Refused: finalised session, unknown reason, a test the candidate completed.
    """
    if reason not in {"", *AbortReason.values}:
        raise DomainError("invalid_abort_reason", _("Cette raison de l'abandon n'existe pas."))
    with transaction.atomic():
        session_id = (
            Certification.objects.filter(pk=certification.pk).values_list("candidate__session_id", flat=True).get()
        )
        session = _lock_open_session(session_id)
        certification = Certification.objects.select_for_update().select_related("candidate").get(pk=certification.pk)
        if certification.state not in UNFINISHED_STATES:
            raise DomainError(
                "test_completed", _("Ce candidat a terminé son test : aucune raison d'abandon n'est à indiquer.")
            )
        if certification.abort_reason == reason:
            return certification
        certification.abort_reason = reason
        certification.save(update_fields=["abort_reason"])
        audit_record(
            action="certification.abort_reason_set",
            by=by,
            session=session,
            candidate=certification.candidate,
            reason=reason,
        )
        return certification


# ---------------------------------------------------------------- step 2: complementary information


def finalisation_info_update(
    *, session: Session, has_incident: bool, has_joining_issue: bool, comment: str, by: Actor
) -> Session:
    """Save the two check boxes and the optional comment as entered (a draft until finalisation).

    Refused: finalised session, a comment over 500 characters.
    """
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise DomainError(
            "comment_too_long",
            _("Le commentaire ne peut pas dépasser %(max)s caractères.") % {"max": COMMENT_MAX_LENGTH},
        )
    with transaction.atomic():
        session = _lock_open_session(session.pk)
        new = {"has_incident": has_incident, "has_joining_issue": has_joining_issue, "finalisation_comment": comment}
        changed = [field for field, value in new.items() if getattr(session, field) != value]
        if not changed:
            return session
        for field in changed:
            setattr(session, field, new[field])
        session.save(update_fields=changed)
        audit_record(
            action="session.finalisation_info_update",
            by=by,
            session=session,
            has_incident=has_incident,
            has_joining_issue=has_joining_issue,
            comment_length=len(comment),
        )
        return session


# ---------------------------------------------------------------- attachments


def attachment_add(*, session: Session, kind: str, upload: UploadedFile, by: Actor) -> SessionAttachment:
    """Attach a scan (PDF, JPEG or PNG, at most 10 Mo) to the session before finalisation.

    The type is read from the file's first bytes, never from its name. Refused: finalised
    session, unknown kind, empty or too large file, another type, too many files.
    """
    if kind not in AttachmentKind.values:
        raise DomainError("invalid_attachment_kind", _("Choisissez le type de document."))
    if not upload.size:
        raise DomainError("attachment_empty", _("Ce fichier est vide."))
    if upload.size > ATTACHMENT_MAX_SIZE:
        raise DomainError("attachment_too_large", _("Ce fichier dépasse la taille maximale de 10 Mo."))
    upload.seek(0)
    content_type = detect_content_type(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise DomainError(
            "attachment_type", _("Ce fichier n'est ni un PDF, ni une image JPEG ou PNG : il ne peut pas être joint.")
        )
    # Kept under the extension of what it is (a PDF sent as `x.html` is `x.pdf`), never the sender's.
    original_name = name_for_type(
        (upload.name or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:250], content_type
    )
    with transaction.atomic():
        session = _lock_open_session(session.pk)
        if SessionAttachment.objects.filter(session=session).count() >= ATTACHMENTS_MAX_PER_SESSION:
            raise DomainError(
                "too_many_attachments",
                _("Une session ne peut pas avoir plus de %(max)s pièces jointes.")
                % {"max": ATTACHMENTS_MAX_PER_SESSION},
            )
        attachment = SessionAttachment(
            session=session,
            kind=kind,
            original_name=original_name,
            size=upload.size,
            content_type=content_type,
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        attachment.file.save(original_name, upload, save=False)
        stored_name = attachment.file.name
        try:
            attachment.save()
            audit_record(
                action="attachment.add",
                by=by,
                session=session,
                attachment=attachment.pk,
                kind=kind,
                size=upload.size,
                content_type=content_type,
            )
        except Exception:
            default_storage.delete(stored_name)
            raise
        return attachment


def attachment_remove(*, attachment: SessionAttachment, by: Actor) -> None:
    """Remove an attachment before finalisation; its file goes once the removal is committed."""
    with transaction.atomic():
        session_id = SessionAttachment.objects.filter(pk=attachment.pk).values_list("session_id", flat=True).first()
        if session_id is None:
            return
        session = _lock_open_session(session_id)
        locked_attachment = SessionAttachment.objects.select_for_update().filter(pk=attachment.pk).first()
        if locked_attachment is None:
            return
        attachment = locked_attachment
        stored_name = attachment.file.name
        audit_record(
            action="attachment.remove",
            by=by,
            session=session,
            attachment=attachment.pk,
            kind=attachment.kind,
            original_name=attachment.original_name,
        )
        attachment.delete()
        transaction.on_commit(lambda: default_storage.delete(stored_name))


# ---------------------------------------------------------------- finalise


def unfinished_without_reason(session: Session) -> list[Certification]:
    return list(
        Certification.objects.filter(
            candidate__session=session, state__in=UNFINISHED_STATES, abort_reason=""
        ).select_related("candidate")
    )


def session_finalise(*, session: Session, by: Actor) -> Session:
    """Send the session to Pix: status "Finalisée", unfinished tests end, nothing changes any more.

    Refused: a session no test started in, an unfinished test without an abort reason (the
    message names the candidates). Finalising a finalised session changes nothing.
    """
    with transaction.atomic():
        session = session_lock(session.pk)
        if not guard_move(session, Move.FINALISE):
            return session
        if not session.is_started:
            raise DomainError(
                "session_not_started",
                _("Aucun candidat n'a commencé son test : cette session ne peut pas encore être finalisée."),
            )
        missing = unfinished_without_reason(session)
        if missing:
            names = ", ".join(
                c.candidate.full_name for c in sorted(missing, key=lambda c: (c.candidate.last_name, c.candidate.pk))
            )
            raise DomainError(
                "abort_reason_missing",
                _("Choisissez une raison de l'abandon pour chaque candidat qui n'a pas fini son test : %(names)s.")
                % {"names": names},
            )
        now = timezone.now()
        ended = Certification.objects.filter(candidate__session=session, state=CertificationState.STARTED)
        ended_ids = list(ended.values_list("pk", flat=True))
        Certification.objects.filter(pk__in=ended_ids).update(
            state=CertificationState.ENDED_BY_FINALISATION, ended_at=now
        )
        apply_move(
            session=session,
            move=Move.FINALISE,
            by=by,
            at=now,
            ended_by_finalisation=ended_ids,
            reports=IssueReport.objects.filter(certification__candidate__session=session).count(),
            attachments=SessionAttachment.objects.filter(session=session).count(),
        )
        # Question reports the rules can settle resolve themselves; every test is scored.
        auto_resolve_reports(session=session)
        session_touch(session)
        return session
