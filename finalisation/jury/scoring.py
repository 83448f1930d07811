"""Scoring of a certification: pure rules first, then the service that stores the result.

Rules (DOMAIN.md "Jury and results"):

- rate = right answers / non-neutralised questions; under 50 % the certification is rejected, 0 pix;
- per competence (3 questions): 3 right → the level is confirmed; 2 right → confirmed if the rate
  is at least 80 %, else level − 1; fewer → not certified (level 0);
- score = 8 pix × the sum of the certified levels.

Neutralised questions are left out of everything: a competence whose non-neutralised questions are
all right is confirmed (2 right + 1 neutralised → confirmed), one wrong among them follows the
2-right rule (it needs 2 right answers), and a competence with no right answer at all is never
certified. Unanswered questions (a test ended early) and skipped ones count as wrong.

The "level" of a competence is the candidate's profile level for it when the test was drawn. The
draw takes the highest challenges at or below that level, so it is read back from the test itself:
the highest level among the challenges drawn for that competence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from pixcertif.accounts.models import Actor
from pixcertif.core.audit import audit_record
from sessions_app.competences import COMPETENCE_CODES
from sessions_app.models import Certification, CertificationChallenge, JuryStatus

PIX_PER_LEVEL = 8
MIN_RATE = 0.5
CONFIRM_RATE = 0.8


@dataclass(frozen=True)
class Outcome:
    """One question of a test, as scoring sees it."""

    competence: str
    level: int
    right: bool
    neutralized: bool = False


@dataclass(frozen=True)
class Result:
    rate: float
    validated: bool
    pix_score: int
    competence_levels: dict[str, int] = field(default_factory=dict)


def competence_level(outcomes: list[Outcome], *, level: int, rate: float) -> int:
    """The certified level of one competence, from its questions."""
    counted = [o for o in outcomes if not o.neutralized]
    right = sum(1 for o in counted if o.right)
    wrong = len(counted) - right
    if right == 0:
        return 0
    if wrong == 0:
        return level
    if wrong == 1 and right >= 2:
        return level if rate >= CONFIRM_RATE else max(level - 1, 0)
    return 0


def compute_result(outcomes: list[Outcome]) -> Result:
    """Rate, validation, per-competence certified levels and pix score of one test."""
    counted = [o for o in outcomes if not o.neutralized]
    right = sum(1 for o in counted if o.right)
    rate = right / len(counted) if counted else 0.0
    by_competence: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_competence.setdefault(outcome.competence, []).append(outcome)
    if rate < MIN_RATE:
        return Result(rate=rate, validated=False, pix_score=0, competence_levels={code: 0 for code in by_competence})
    levels = {
        code: competence_level(items, level=max(o.level for o in items), rate=rate)
        for code, items in sorted(by_competence.items(), key=lambda item: COMPETENCE_CODES.index(item[0]))
    }
    return Result(rate=rate, validated=True, pix_score=PIX_PER_LEVEL * sum(levels.values()), competence_levels=levels)


def outcomes_of(certification: Certification) -> list[Outcome]:
    rows = CertificationChallenge.objects.filter(certification=certification).select_related("challenge")
    return [
        Outcome(
            competence=row.competence,
            level=row.challenge.level,
            right=row.result == CertificationChallenge.Result.OK,
            neutralized=row.is_neutralized,
        )
        for row in rows.order_by("index")
    ]


def certification_score(*, certification: Certification, by: Actor = None) -> Certification:
    """Compute and store the result of one test. A cancelled certification or one rejected for
    fraud keeps that decision (the score is still computed and stored for the record)."""
    with transaction.atomic():
        certification = (
            Certification.objects.select_for_update().select_related("candidate__session").get(pk=certification.pk)
        )
        result = compute_result(outcomes_of(certification))
        if certification.jury_status == JuryStatus.CANCELLED:
            status = JuryStatus.CANCELLED
        elif certification.rejected_for_fraud or not result.validated:
            status = JuryStatus.REJECTED
        else:
            status = JuryStatus.VALIDATED
        pix_score = 0 if certification.rejected_for_fraud else result.pix_score
        certification.rate = round(result.rate, 4)
        certification.pix_score = pix_score
        certification.competence_levels = result.competence_levels
        certification.jury_status = status
        certification.scored_at = timezone.now()
        certification.save(update_fields=["rate", "pix_score", "competence_levels", "jury_status", "scored_at"])
        audit_record(
            action="jury.certification_scored",
            by=by,
            session=certification.candidate.session,
            candidate=certification.candidate,
            certification=certification.pk,
            rate=certification.rate,
            pix_score=pix_score,
            jury_status=status,
        )
        return certification


def session_score(*, session: Any, by: Actor = None) -> int:
    """Score every certification of a session; returns how many were scored."""
    certifications = list(Certification.objects.filter(candidate__session=session).order_by("pk"))
    for certification in certifications:
        certification_score(certification=certification, by=by)
    return len(certifications)
