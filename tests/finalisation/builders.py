"""Build finished tests and finalised sessions for the jury and results tests."""

from __future__ import annotations

from django.utils import timezone

from sessions_app.competences import COMPETENCE_CODES
from sessions_app.models import (
    Certification,
    CertificationState,
    IssueReport,
    Session,
    SessionStatus,
)
from tests.factories import CandidateFactory, CertificationFactory, ChallengeFactory, UserFactory


def take_test(
    session: Session,
    *,
    results: list[str] | None = None,
    level: int = 3,
    competences: int = 5,
    challenge: dict | None = None,
    **candidate_fields,
) -> Certification:
    """A completed test: `competences` competences × 3 questions of `level`; `results` one per question
    ("ok", "ko", "skipped" or "" for unanswered), all right by default."""
    count = competences * 3
    results = results if results is not None else ["ok"] * count
    assert len(results) == count
    user = candidate_fields.pop("user", None) or UserFactory()
    candidate = CandidateFactory(session=session, user=user, linked_at=timezone.now(), **candidate_fields)
    questions = [
        {
            "challenge": ChallengeFactory(competence=COMPETENCE_CODES[index // 3], level=level, **(challenge or {})),
            "answer": "1" if result == "ok" else ("2" if result == "ko" else ""),
            "result": result,
            "answered_at": timezone.now() if result else None,
        }
        for index, result in enumerate(results)
    ]
    return CertificationFactory(candidate=candidate, user=user, state=CertificationState.COMPLETED, questions=questions)


def mark_finalised(session: Session, *, status: str = SessionStatus.FINALIZED) -> Session:
    now = timezone.now()
    published_at = now if status == SessionStatus.PUBLISHED else None
    Session.objects.filter(pk=session.pk).update(
        status=status, finalized_at=now, started_at=now, published_at=published_at
    )
    session.refresh_from_db()
    return session


def report(certification: Certification, code: str, question_number: int | None = None, **fields) -> IssueReport:
    return IssueReport.objects.create(
        certification=certification,
        code=code,
        category=code,
        question_number=question_number,
        description=fields.pop("description", "Détails"),
        **fields,
    )
