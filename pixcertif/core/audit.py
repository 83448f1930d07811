"""The audit trail: every service records who did what, when, as the next link of a hash chain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

from django.db import transaction
from django.utils import timezone

from pixcertif.core import chain, rows
from pixcertif.core.models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

# Who acts, as every service takes it (`by=request.user`): an account, the anonymous visitor (a
# candidate's own page before login never gets here, but `request.user` may say so), or nobody (a
# command, the demo data, an automatic step).
Actor = Union["AbstractBaseUser", "AnonymousUser", None]


def actor_label(user: Actor) -> str:
    """The actor as the trail keeps them: name and e-mail at the time (the account may change later)."""
    if user is None or not user.is_authenticated:
        return ""
    name = str(getattr(user, "get_full_name", str)() or "").strip()
    login = getattr(user, "email", "") or getattr(user, "username", "") or f"compte n° {user.pk}"
    return f"{name} <{login}>" if name else login


def _event(
    *, action: str, by: Actor = None, session: Any = None, candidate: Any = None, center: Any = None, **data: Any
) -> AuditEvent:
    actor = by if getattr(by, "is_authenticated", False) else None
    center_id = session.center_id if center is None and session is not None else getattr(center, "pk", None)
    return AuditEvent(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_label=actor_label(actor),
        action=action,
        center_id=center_id,
        session_id_ref=getattr(session, "pk", None),
        candidate_id_ref=getattr(candidate, "pk", None),
        data=chain.canonical_data(data),
    )


def audit_record(
    *,
    action: str,
    by: Actor = None,
    session: Any = None,
    candidate: Any = None,
    center: Any = None,
    **data: Any,
) -> AuditEvent:
    return audit_records([dict(action=action, by=by, session=session, candidate=candidate, center=center, **data)])[0]


def audit_records(entries: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append several rows (each the keyword arguments of `audit_record`) as consecutive links.

    What it costs: on PostgreSQL the append lock, the last hash and one INSERT for all the rows (3
    queries; 2 on SQLite, whose writers are already serialised). The lock and the read cannot be
    one statement: a statement's snapshot is taken before it waits for the lock, so it could miss
    the row its lock holder just committed. No savepoint inside the caller's transaction (a failed
    append fails the caller's transaction anyway), so a service pays nothing more."""
    events = [_event(**entry) for entry in entries]
    with transaction.atomic(savepoint=False):
        chain.lock_for_append()
        last = chain.last_hash()
        for event in events:
            event.prev_hash = last
            event.hash = chain.event_hash(event)
            last = event.hash
        # One INSERT (hand-written: every answer writes one); the ids follow the list's order (the
        # chain is verified in id order).
        rows.insert(events)
    return events
