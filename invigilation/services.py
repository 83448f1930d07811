"""Writes of the invigilator space: granting access to a session (entry by number + password).

The candidate transitions an invigilator makes (presence, resume, end of test) live with the
candidate side in `sessions_app.services.certification`: one state machine for both.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from invigilation.forms import parse_session_number
from invigilation.models import InvigilatorAccess
from pixcertif.core.audit import audit_record
from sessions_app.models import Session
from sessions_app.services.session_status import ensure_center_can_change, session_lock


def invigilator_access_grant(*, session: Session, by: Any) -> InvigilatorAccess:
    """Remember that `by` entered the session's number and password (the caller checked them).

    Refused once the session is finalised. Entering again changes nothing (and is not audited twice).
    """
    with transaction.atomic():
        session = session_lock(session.pk)
        ensure_center_can_change(
            session,
            _(
                "Cette session est finalisée : elle est entre les mains de l'équipe Pix et ne peut plus "
                "être surveillée."
            ),
        )
        access, created = InvigilatorAccess.objects.get_or_create(user=by, session=session)
        if created:
            audit_record(action="invigilation.access_granted", by=by, session=session)
        return access


def invigilator_access_refused(*, session_number: str, by: Any, ip: str) -> None:
    """Record a wrong (session number, password) pair: who tried, from where, on which number.

    The session, when the number names one, is kept as a plain id so its jury sees the attempts.
    """
    number = parse_session_number(session_number)
    session = Session.objects.filter(pk=number).only("pk", "center_id").first() if number is not None else None
    audit_record(
        action="invigilation.access_refused", by=by, session=session, session_number=session_number[:30], ip=ip
    )
