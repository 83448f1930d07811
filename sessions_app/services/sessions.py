"""Session services: create, update, delete, with lifecycle guards and an audit trail."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pixcertif.accounts.models import CertificationCenter
from sessions_app.codes import generate_access_code, generate_invigilator_password
from sessions_app.exceptions import DomainError
from sessions_app.models import Session, SessionStatus
from sessions_app.services.audit import audit_record

MAX_CANDIDATES_PER_INVIGILATOR = 20
_INVIGILATOR_SEPARATORS = re.compile(r"\s*(?:,|;|\n|\r|\bet\b|&|/)\s*", re.IGNORECASE)


def split_invigilators(examiner: str) -> list[str]:
    """'Mme Dupont, M. Martin et Mme Leroy' → three names (commas, "et", new lines)."""
    return [name.strip() for name in _INVIGILATOR_SEPARATORS.split(examiner or "") if name and name.strip()]


def _unique_access_code() -> str:
    for _ in range(50):
        code = generate_access_code()
        if not Session.objects.filter(access_code=code, status=SessionStatus.CREATED).exists():
            return code
    raise DomainError("access_code_exhausted", "Impossible de générer un code d'accès unique. Réessayez.")


def session_create(
    *,
    center: CertificationCenter,
    by: Any,
    address: str,
    room: str,
    date: date,
    time: time,
    examiner: str,
    description: str = "",
) -> Session:
    """Create a session with fresh codes. Retries if the access code raced another session."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                session = Session.objects.create(
                    center=center,
                    created_by=by if getattr(by, "is_authenticated", False) else None,
                    address=address.strip(),
                    room=room.strip(),
                    date=date,
                    time=time,
                    examiner=examiner.strip(),
                    description=description.strip(),
                    access_code=_unique_access_code(),
                    invigilator_password=generate_invigilator_password(),
                )
                audit_record(
                    action="session.create",
                    by=by,
                    session=session,
                    address=session.address,
                    room=session.room,
                    date=session.date,
                    time=session.time,
                    examiner=session.examiner,
                )
                return session
        except IntegrityError:
            continue
    raise DomainError("access_code_exhausted", "Impossible de générer un code d'accès unique. Réessayez.")


def ensure_not_finalized(session: Session) -> None:
    if session.is_finalized:
        raise DomainError(
            "session_finalized",
            "Cette session est finalisée : elle est entre les mains de l'équipe Pix et ne peut plus être modifiée.",
        )


def ensure_not_started(session: Session, message: str | None = None) -> None:
    ensure_not_finalized(session)
    if session.is_started:
        raise DomainError(
            "session_started",
            message or "Un candidat a déjà commencé son test : cette information ne peut plus être modifiée.",
        )


def session_touch(session: Session) -> None:
    """Mark a change the live invigilator list must show (new ETag)."""
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(changed_at=now)
    session.changed_at = now
