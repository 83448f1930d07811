"""The session lifecycle: the one module that changes `Session.status`.

| move       | who     | from                    | to                                           |
|------------|---------|-------------------------|----------------------------------------------|
| finalise   | centre  | created                 | finalized                                    |
| take       | jury    | finalized, in_process   | in_process (assigned to the jury member)     |
| publish    | jury    | finalized, in_process   | published                                    |
| unpublish  | jury    | published               | in_process if assigned, finalized otherwise  |
| unfinalise | jury    | finalized, in_process   | created (back to the centre)                 |

* Once finalised the session is "entre les mains de l'équipe Pix": `Session.is_locked_for_center`
  says so, and every centre-side service calls `ensure_center_can_change`.
* Between finalisation and publication the jury may change the session's content:
  `ensure_in_jury_hands`. Published results are frozen: unpublish first.

Each move has one guard (`guard_move`: a stable error code when the move is refused, `False` when
the session is already where the move leads, so the caller returns early) and one writer
(`apply_move`: the status, the lifecycle fields that go with it, one audit row). The caller locks
the row (`session_lock`) in its own transaction and checks its own rules (abort reasons, unscored
certifications…) between the guard and the write. `finalisation.services.session_finalise` and
`finalisation.jury.services` are the callers; nothing else writes `Session.status`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pixcertif.accounts.models import Actor
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError
from sessions_app.codes import generate_access_code
from sessions_app.models import Session, SessionStatus
from sessions_app.models.session import IN_JURY_HANDS_STATUSES


class Move(StrEnum):
    FINALISE = "finalise"
    TAKE = "take"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    UNFINALISE = "unfinalise"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]  # statuses the move starts from
    done: frozenset[str]  # statuses where the move has nothing left to do (early return)
    action: str  # audit action


TRANSITIONS: dict[Move, Transition] = {
    Move.FINALISE: Transition(
        sources=frozenset({SessionStatus.CREATED}),
        done=frozenset({SessionStatus.FINALIZED, SessionStatus.IN_PROCESS, SessionStatus.PUBLISHED}),
        action="session.finalise",
    ),
    # Taking a session over from another jury member is allowed (and recorded).
    Move.TAKE: Transition(sources=IN_JURY_HANDS_STATUSES, done=frozenset(), action="jury.session_take"),
    Move.PUBLISH: Transition(
        sources=IN_JURY_HANDS_STATUSES, done=frozenset({SessionStatus.PUBLISHED}), action="jury.session_publish"
    ),
    # Back to "in process" when a jury member holds it, to "finalized" otherwise.
    Move.UNPUBLISH: Transition(
        sources=frozenset({SessionStatus.PUBLISHED}), done=IN_JURY_HANDS_STATUSES, action="jury.session_unpublish"
    ),
    Move.UNFINALISE: Transition(
        sources=IN_JURY_HANDS_STATUSES, done=frozenset({SessionStatus.CREATED}), action="jury.session_unfinalise"
    ),
}


def session_lock(session_id: int) -> Session:
    """The session row, locked until the end of the caller's transaction (`select_for_update`).

    Every service that reads the lifecycle before writing takes this lock first (then the rows
    below it: candidates, certifications), so two writers never cross."""
    return Session.objects.select_for_update().get(pk=session_id)


# ---------------------------------------------------------------- guards


def ensure_center_can_change(session: Session, message: str | None = None) -> None:
    """Refuse any centre-side change once the session is finalised (`session_finalized`)."""
    if session.is_locked_for_center:
        raise DomainError(
            "session_finalized",
            message
            or _(
                "Cette session est finalisée : elle est entre les mains de l'équipe Pix et ne peut plus être modifiée."
            ),
        )


def _not_finalized(session: Session) -> DomainError:
    return DomainError("session_not_finalized", _("La session %(id)s n'est pas finalisée.") % {"id": session.pk})


def _published(session: Session, *, unfinalise: bool = False) -> DomainError:
    if unfinalise:
        message = _("Les résultats de la session %(id)s sont publiés : dépubliez-la avant de la définaliser.")
    else:
        message = _("Les résultats de la session %(id)s sont publiés : dépubliez-la avant de la modifier.")
    return DomainError("session_published", message % {"id": session.pk})


def ensure_in_jury_hands(session: Session) -> None:
    """The jury may change a session only between finalisation and publication."""
    if session.status == SessionStatus.CREATED:
        raise _not_finalized(session)
    if session.status == SessionStatus.PUBLISHED:
        raise _published(session)


def guard_move(session: Session, move: Move, *, by: Actor = None) -> bool:
    """True when `move` applies to the (locked) session, False when it is already done.

    Refused moves raise `DomainError`: `session_not_finalized` (a jury move on a session the
    centre has not finalised), `session_published` (change or unfinalise published results)."""
    transition = TRANSITIONS[move]
    if (
        move is Move.TAKE
        and by is not None
        and session.status == SessionStatus.IN_PROCESS
        and session.assigned_to_id == by.pk
    ):
        return False
    if session.status in transition.done:
        return False
    if session.status in transition.sources:
        return True
    if session.status == SessionStatus.CREATED:
        raise _not_finalized(session)
    raise _published(session, unfinalise=move is Move.UNFINALISE)


# ---------------------------------------------------------------- the one writer


def apply_move(*, session: Session, move: Move, by: Actor, at: datetime | None = None, **audit_data: Any) -> Session:
    """Change the status of a session locked by `session_lock` (after `guard_move` said True),
    with the lifecycle fields that go with the new status (dated `at`, now by default), and record
    one audit row (`audit_data` are its details)."""
    fields = ["status"]
    now = at or timezone.now()
    if move is Move.FINALISE:
        session.status = SessionStatus.FINALIZED
        session.finalized_at = now
        session.finalized_by = by if getattr(by, "is_authenticated", False) else None
        fields += ["finalized_at", "finalized_by"]
    elif move is Move.TAKE:
        session.status = SessionStatus.IN_PROCESS
        session.assigned_to = by
        fields += ["assigned_to"]
    elif move is Move.PUBLISH:
        session.status = SessionStatus.PUBLISHED
        session.published_at = now
        fields += ["published_at"]
    elif move is Move.UNPUBLISH:
        session.status = SessionStatus.IN_PROCESS if session.assigned_to_id else SessionStatus.FINALIZED
        session.published_at = None
        fields += ["published_at"]
    elif move is Move.UNFINALISE:
        # Open sessions have unique access codes: draw a new one if another took it meanwhile.
        while Session.objects.filter(access_code=session.access_code, status=SessionStatus.CREATED).exists():
            session.access_code = generate_access_code()
            if "access_code" not in fields:
                fields.append("access_code")
        session.status = SessionStatus.CREATED
        session.finalized_at = None
        session.finalized_by = None
        session.assigned_to = None
        fields += ["finalized_at", "finalized_by", "assigned_to"]
    session.save(update_fields=fields)
    audit_record(action=TRANSITIONS[move].action, by=by, session=session, **audit_data)
    return session
