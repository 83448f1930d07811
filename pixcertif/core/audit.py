"""The audit trail: every service records who did what, when."""

from __future__ import annotations

from typing import Any

from pixcertif.core.models import AuditEvent


def audit_record(
    *,
    action: str,
    by: Any = None,
    session: Any = None,
    candidate: Any = None,
    center: Any = None,
    **data: Any,
) -> AuditEvent:
    actor = by if getattr(by, "is_authenticated", False) else None
    center_id = session.center_id if center is None and session is not None else getattr(center, "pk", None)
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        center_id=center_id,
        session_id_ref=getattr(session, "pk", None),
        candidate_id_ref=getattr(candidate, "pk", None),
        data=data,
    )
