"""The candidate / certification state machine, shared by the invigilator and candidate sides.

    enrolled ──tick presence──▶ authorised ──start (consumes)──▶ started
       ▲            │                                          │   │  ▲
       └──untick────┘          resume authorised by invigilator ┘   │  │ resume (consumes)
                                                                   ▼  │
                            completed / ended_by_invigilator / ended_by_finalisation

Every transition runs in a transaction, re-reads the candidate row with `select_for_update()`,
checks its guards (raising `DomainError`), records an audit row and bumps the session's
`changed_at` (the invigilator list's ETag). Repeating a transition is harmless.
"""

from __future__ import annotations

import random
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from sessions_app.competences import COMPETENCE_CODES, is_certifiable
from sessions_app.exceptions import DomainError
from sessions_app.models import (
    Candidate,
    CandidateProfile,
    Certification,
    CertificationChallenge,
    CertificationState,
    Challenge,
    Session,
)
from sessions_app.services.audit import audit_record
from sessions_app.services.sessions import ensure_not_finalized, session_touch

CHALLENGES_PER_COMPETENCE = 3


def _lock_candidate(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update().select_related("session").get(pk=candidate.pk)


def _certification_of(candidate: Candidate) -> Certification | None:
    return Certification.objects.select_for_update().filter(candidate=candidate).first()


# ---------------------------------------------------------------- invigilator side


def candidate_set_presence(*, candidate: Candidate, present: bool, by: Any) -> Candidate:
    """Tick (or untick) a candidate's presence, which authorises the first start.

    Refused once the session is finalised; unticking is refused once the candidate started.
    """
    with transaction.atomic():
        candidate = _lock_candidate(candidate)
        ensure_not_finalized(candidate.session)
        certification = _certification_of(candidate)
        if certification is not None:
            if present:
                return candidate  # already started: presence is a fact, nothing to change
            raise DomainError(
                "candidate_already_started",
                "Ce candidat a déjà commencé son test : sa présence ne peut plus être décochée.",
            )
        if candidate.authorized_to_start == present:
            return candidate
        candidate.authorized_to_start = present
        candidate.save(update_fields=["authorized_to_start"])
        audit_record(
            action="candidate.presence_confirmed" if present else "candidate.presence_cancelled",
            by=by,
            session=candidate.session,
            candidate=candidate,
        )
        session_touch(candidate.session)
        return candidate


def candidate_authorize_resume(*, candidate: Candidate, by: Any) -> Candidate:
    """Allow a started candidate to join their test again (another computer, a new login)."""
    with transaction.atomic():
        candidate = _lock_candidate(candidate)
        ensure_not_finalized(candidate.session)
        certification = _certification_of(candidate)
        if certification is None:
            raise DomainError("not_started", "Ce candidat n'a pas encore commencé son test.")
        if certification.is_finished:
            raise DomainError("test_finished", "Le test de ce candidat est terminé : il ne peut pas être repris.")
        if candidate.authorized_to_start:
            return candidate
        candidate.authorized_to_start = True
        candidate.save(update_fields=["authorized_to_start"])
        audit_record(action="candidate.resume_authorized", by=by, session=candidate.session, candidate=candidate)
        session_touch(candidate.session)
        return candidate


def certification_end_by_invigilator(*, candidate: Candidate, by: Any) -> Certification:
    """End a started test. Ending an already ended test changes nothing."""
    with transaction.atomic():
        candidate = _lock_candidate(candidate)
        ensure_not_finalized(candidate.session)
        certification = _certification_of(candidate)
        if certification is None:
            raise DomainError("not_started", "Ce candidat n'a pas encore commencé son test.")
        if certification.is_finished:
            return certification
        certification.state = CertificationState.ENDED_BY_INVIGILATOR
        certification.ended_at = timezone.now()
        certification.save(update_fields=["state", "ended_at"])
        if candidate.authorized_to_start:
            candidate.authorized_to_start = False
            candidate.save(update_fields=["authorized_to_start"])
        audit_record(action="certification.ended_by_invigilator", by=by, session=candidate.session, candidate=candidate)
        session_touch(candidate.session)
        return certification


# ---------------------------------------------------------------- candidate side


def draw_challenges(levels: dict[str, int], seed: int) -> list[Challenge]:
    """For every competence of level ≥ 1: 3 challenges of that competence at or below that
    level, highest level first; never the same challenge twice. Deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311 - reproducible draw, not a secret
    wanted = {code: int(levels.get(code, 0) or 0) for code in COMPETENCE_CODES}
    wanted = {code: level for code, level in wanted.items() if level >= 1}
    pool: dict[str, list[Challenge]] = {code: [] for code in wanted}
    for challenge in Challenge.objects.filter(is_active=True, competence__in=list(wanted)).order_by("code"):
        if challenge.level <= wanted[challenge.competence]:
            pool[challenge.competence].append(challenge)
    drawn: list[Challenge] = []
    for code in COMPETENCE_CODES:
        if code not in wanted:
            continue
        candidates = pool[code]
        rng.shuffle(candidates)
        candidates.sort(key=lambda c: -c.level)  # stable: shuffled within a level, highest first
        drawn.extend(candidates[:CHALLENGES_PER_COMPETENCE])
    return drawn


def certification_start(*, candidate: Candidate, user: Any) -> Certification:
    """Start (first time) or resume (later) the candidate's test. Consumes the authorisation.

    Refused: finalised session, candidate not linked to this account, presence not confirmed,
    profile not certifiable (first start), test already finished.
    """
    with transaction.atomic():
        candidate = _lock_candidate(candidate)
        session = Session.objects.select_for_update().get(pk=candidate.session_id)
        ensure_not_finalized(session)
        if candidate.user_id != user.pk:
            raise DomainError("not_your_candidate", "Cette inscription n'est pas rattachée à votre compte.")
        certification = _certification_of(candidate)
        if certification is not None and certification.is_finished:
            raise DomainError("test_finished", "Votre test de certification est terminé.")
        if not candidate.authorized_to_start:
            raise DomainError(
                "not_authorized",
                "Votre surveillant n'a pas confirmé votre présence dans la salle de test. Vous ne pouvez donc "
                "pas encore commencer votre test de certification. Merci de prévenir votre surveillant.",
            )
        now = timezone.now()
        if certification is None:
            profile = CandidateProfile.objects.filter(user=user).first()
            levels = profile.levels if profile else {}
            if not is_certifiable(levels):
                raise DomainError(
                    "not_certifiable",
                    "Votre profil Pix n'est pas certifiable : il faut avoir atteint au moins le niveau 1 dans "
                    "5 compétences. Prévenez votre surveillant.",
                )
            seed = secrets.randbits(48)
            certification = Certification.objects.create(candidate=candidate, user=user, started_at=now, seed=seed)
            CertificationChallenge.objects.bulk_create(
                [
                    CertificationChallenge(
                        certification=certification, index=i, challenge=challenge, competence=challenge.competence
                    )
                    for i, challenge in enumerate(draw_challenges(levels, seed))
                ]
            )
            action = "certification.started"
            if session.started_at is None:
                session.started_at = now
                session.save(update_fields=["started_at"])
        else:
            action = "certification.resumed"
        candidate.authorized_to_start = False
        candidate.save(update_fields=["authorized_to_start"])
        audit_record(action=action, by=user, session=session, candidate=candidate)
        session_touch(session)
        return certification
