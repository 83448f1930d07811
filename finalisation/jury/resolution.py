"""Automatic resolution of question reports ("signalements" E1–E12) when a session is finalised.

Where the rule is clear, the report resolves itself, with a French note saying why:

- E4, E5, E9, E11, E12 neutralise the question;
- E1 / E2 only if the question has an image / an embedded simulator or application;
- E3 only if it has a file to download; E8 only if it was timed; E10 only if it was in focus mode;
- a right answer is never neutralised (it would change nothing): the report is resolved with a note.

Everything else (C reports, an E report whose condition does not hold, a question number that does
not exist in the test) waits for the jury. The certifications of the session are then scored.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from finalisation.jury.scoring import session_score
from pixcertif.core.audit import audit_record
from sessions_app.models import CertificationChallenge, Challenge, IssueReport, Session
from sessions_app.services.session_status import session_lock

Condition = Callable[[Challenge], bool]


def _always(challenge: Challenge) -> bool:
    return True


# code → the condition the question must meet for the report to neutralise it.
RULES: dict[str, Condition] = {
    "E1": lambda c: c.has_image,
    "E2": lambda c: c.has_embed,
    "E3": lambda c: c.has_attachment,
    "E4": _always,
    "E5": _always,
    "E8": lambda c: c.is_timed,
    "E9": _always,
    "E10": lambda c: c.is_focus,
    "E11": _always,
    "E12": _always,
}

# Stored resolution notes (records read by the Pix jury): French, the reference, whatever the
# language of the person whose action wrote them.
NOTE_NEUTRALISED = "Résolu automatiquement ({code}) : la question {n} a été neutralisée."
NOTE_RIGHT_ANSWER = (
    "Résolu automatiquement ({code}) : la question {n} a été répondue correctement, "
    "la neutralisation ne changerait rien."
)
NOTE_ALREADY = "Résolu automatiquement ({code}) : la question {n} était déjà neutralisée."


def _question_of(report: IssueReport) -> CertificationChallenge | None:
    if not report.question_number:
        return None
    return (
        CertificationChallenge.objects.select_for_update()
        .select_related("challenge")
        .filter(certification_id=report.certification_id, index=report.question_number - 1)
        .first()
    )


def resolve_report(report: IssueReport) -> bool:
    """Apply the automatic rule to one unresolved report (inside a transaction). True if resolved."""
    condition = RULES.get(report.code)
    if condition is None or report.is_resolved:
        return False
    question = _question_of(report)
    if question is None or not condition(question.challenge):
        return False
    n = question.number
    if question.result == CertificationChallenge.Result.OK:
        note = NOTE_RIGHT_ANSWER.format(code=report.code, n=n)
    elif question.is_neutralized:
        note = NOTE_ALREADY.format(code=report.code, n=n)
    else:
        question.is_neutralized = True
        question.save(update_fields=["is_neutralized"])
        note = NOTE_NEUTRALISED.format(code=report.code, n=n)
    report.resolved_at = timezone.now()
    report.resolved_by = None
    report.auto_resolved = True
    report.resolution_note = note
    report.save(update_fields=["resolved_at", "resolved_by", "auto_resolved", "resolution_note"])
    return True


def auto_resolve_reports(*, session: Session) -> int:
    """Resolve what the rules allow, then score every certification of the session.

    Returns how many reports were resolved. Running it again resolves nothing more.
    """
    resolved = 0
    with transaction.atomic():
        session = session_lock(session.pk)
        reports = (
            IssueReport.objects.select_for_update()
            .filter(certification__candidate__session=session, resolved_at__isnull=True)
            .select_related("certification__candidate")
            .order_by("pk")
        )
        for report in reports:
            if resolve_report(report):
                resolved += 1
                audit_record(
                    action="jury.issue_report_auto_resolved",
                    session=session,
                    candidate=report.certification.candidate,
                    report=report.pk,
                    code=report.code,
                    question_number=report.question_number,
                    note=report.resolution_note,
                )
        session_score(session=session)
    return resolved
