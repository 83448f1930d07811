"""Reads of the invigilator space: the session an account may watch, its candidate rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sessions_app.models import Candidate, Certification, CertificationState, Session
from sessions_app.normalize import normalize_name


def watched_session(user, session_id: int, *, fields: tuple[str, ...] = ()) -> Session | None:
    """The session `session_id` if `user` entered its password, else None — in one query.

    `fields` restricts the columns read (the live list's 304 path only needs `changed_at`).
    """
    if not user.is_authenticated:
        return None
    qs = Session.objects.filter(pk=session_id, invigilator_accesses__user_id=user.pk)
    if fields:
        qs = qs.only(*fields)
    return qs.first()


def watched_sessions(user) -> list[Session]:
    """The sessions this account may return to: entered before, not finalised, soonest first."""
    return list(
        Session.objects.not_finalized()
        .filter(invigilator_accesses__user_id=user.pk)
        .only("id", "date", "time", "address", "room")
        .order_by("date", "time", "id")
    )


@dataclass(frozen=True)
class CandidateRow:
    candidate: Candidate
    certification: Certification | None

    @property
    def pk(self) -> int:
        return self.candidate.pk

    @property
    def name(self) -> str:
        return f"{self.candidate.last_name.upper()} {self.candidate.first_name}"

    @property
    def search_text(self) -> str:
        return normalize_name(f"{self.candidate.last_name} {self.candidate.first_name}")

    @property
    def is_started(self) -> bool:
        return self.certification is not None

    @property
    def is_in_progress(self) -> bool:
        return self.certification is not None and self.certification.state == CertificationState.STARTED

    @property
    def is_present(self) -> bool:
        return self.candidate.authorized_to_start or self.certification is not None

    @property
    def resume_authorized(self) -> bool:
        return self.is_in_progress and self.candidate.authorized_to_start

    @property
    def theoretical_end(self) -> datetime | None:
        return self.certification.theoretical_end if self.certification else None


@dataclass(frozen=True)
class CandidateList:
    rows: list[CandidateRow]
    total: int
    present: int
    query: str


def candidate_list(session: Session, query: str = "") -> CandidateList:
    """Every candidate of the session with their test, in one query; sorted by name; filtered by
    `query` (accents, case and hyphens ignored). Counts cover the whole session."""
    candidates = Candidate.objects.filter(session_id=session.pk).select_related("certification")
    rows = [CandidateRow(c, getattr(c, "certification", None)) for c in candidates]
    rows.sort(key=lambda r: (normalize_name(r.candidate.last_name), normalize_name(r.candidate.first_name), r.pk))
    present = sum(1 for r in rows if r.is_present)
    words = normalize_name(query).split()
    shown = [r for r in rows if all(w in r.search_text for w in words)] if words else rows
    return CandidateList(rows=shown, total=len(rows), present=present, query=query.strip())
