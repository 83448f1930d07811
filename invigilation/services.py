"""Writes of the invigilator space: granting access to a session (entry by number + password).

The candidate transitions an invigilator makes (presence, resume, end of test) live with the
candidate side in `sessions_app.services.certification`: one state machine for both.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

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
