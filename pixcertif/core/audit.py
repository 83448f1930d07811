"""The audit trail: every service records who did what, when, as the next link of a hash chain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

from django.db import transaction
from django.utils import timezone

from pixcertif.core import chain
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


def audit_record(
    *,
    action: str,
    by: Actor = None,
    session: Any = None,
    candidate: Any = None,
    center: Any = None,
    **data: Any,
) -> AuditEvent:
    actor = by if getattr(by, "is_authenticated", False) else None
    center_id = session.center_id if center is None and session is not None else getattr(center, "pk", None)
    event = AuditEvent(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_label=actor_label(actor),
        action=action,
        center_id=center_id,
        session_id_ref=getattr(session, "pk", None),
        candidate_id_ref=getattr(candidate, "pk", None),
        data=chain.canonical_data(data),
    )
    with transaction.atomic():
        chain.lock_for_append()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last or ""
        event.hash = chain.row_hash(
            prev_hash=event.prev_hash,
            at=event.at,
            action=event.action,
            actor_label=event.actor_label,
            session_id_ref=event.session_id_ref,
            candidate_id_ref=event.candidate_id_ref,
            data=event.data,
        )
        event.save(force_insert=True)
    return event
