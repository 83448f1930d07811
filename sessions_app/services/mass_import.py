"""Mass import of sessions, step 1 kept in the database and step 2 ("Finaliser l'import").

Step 1's validated payload waits in a `SessionImport` row tied to the centre and the user (the two
steps may reach two app servers); it expires after `SESSION_IMPORT_LIFETIME`. Step 2 creates or
fills every session and enrols every candidate in one transaction: all or nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pixcertif.accounts.models import Actor, CertificationCenter, User
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError
from sessions_app.mass_import import Validation, candidate_of
from sessions_app.models import Candidate, Session, SessionImport
from sessions_app.services.enrolment import DUPLICATE_MESSAGE, ENROLMENT_CLOSED_MESSAGE, ensure_billing_allowed
from sessions_app.services.sessions import ensure_not_started, session_create, session_touch, session_update

EXPIRED_MESSAGE = gettext_lazy("Cet import a expiré : importez de nouveau le fichier.")


def session_import_stage(
    *, center: CertificationCenter, by: User, filename: str, validation: Validation
) -> SessionImport:
    """Keep a valid step-1 result for step 2; drops this user's expired imports on the way.

    Refused: a school centre, a result with errors."""
    if center.is_school:
        raise DomainError(
            "not_for_schools", _("L'import de sessions est réservé aux centres qui ne sont pas scolaires.")
        )
    if not validation.is_valid:
        raise DomainError("import_invalid", _("Le fichier contient des erreurs : rien n'a été importé."))
    with transaction.atomic():
        SessionImport.objects.filter(created_by=by, expires_at__lte=timezone.now()).delete()
        return SessionImport.objects.create(
            center=center,
            created_by=by,
            filename=filename[:255],
            payload={"sessions": validation.sessions},
            session_count=validation.session_count,
            empty_session_count=validation.empty_session_count,
            candidate_count=validation.candidate_count,
        )


def session_import_finalise(*, staged: SessionImport, by: Actor) -> list[int]:
    """Create (or fill) every session of a staged import and enrol its candidates, all or nothing.

    Refused: an expired import; an existing session that started, was finalised or moved to
    another centre meanwhile; a candidate enrolled meanwhile with the same identity. Finalising
    an import twice (double click, two tabs) imports once and returns the same sessions.
    """
    with transaction.atomic():
        staged = SessionImport.objects.select_for_update().get(pk=staged.pk)
        if staged.imported_at is not None:
            return list(staged.imported_session_ids)
        if staged.is_expired:
            raise DomainError("import_expired", EXPIRED_MESSAGE)
        center = staged.center
        session_ids: list[int] = []
        to_create: list[Candidate] = []
        for entry in staged.payload["sessions"]:
            session = _session_for(entry, center=center, by=by)
            session_ids.append(session.pk)
            existing = set(session.candidates.values_list("identity_key", "birth_date"))
            for values in entry["candidates"]:
                data = candidate_of(values)
                ensure_billing_allowed(center, data)
                if (data.identity_key, data.birth_date) in existing:
                    raise DomainError(
                        "candidate_duplicate",
                        f"Ligne {values['line']} : {data.first_name} {data.last_name} : {DUPLICATE_MESSAGE}",
                    )
                existing.add((data.identity_key, data.birth_date))
                to_create.append(Candidate(session=session, identity_key=data.identity_key, **_fields(data)))
        Candidate.objects.bulk_create(to_create, batch_size=500)
        for session_id in session_ids:
            session_touch(Session(pk=session_id))
        staged.imported_at = timezone.now()
        staged.imported_session_ids = session_ids
        staged.save(update_fields=["imported_at", "imported_session_ids"])
        audit_record(
            action="session.mass_import",
            by=by,
            center=center,
            filename=staged.filename,
            sessions=session_ids,
            candidates=len(to_create),
        )
        return session_ids


def _fields(data) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(data)


def _session_for(entry: dict[str, Any], *, center: CertificationCenter, by: Actor) -> Session:
    fields = entry["fields"]
    values = None
    if fields is not None:
        values = {
            **fields,
            "date": dt.date.fromisoformat(fields["date"]),
            "time": dt.time.fromisoformat(fields["time"]),
        }
    if entry["number"] is None:
        assert values is not None  # a line without a session number always has the session's fields
        return session_create(center=center, by=by, **values)
    session = Session.objects.select_for_update().filter(pk=entry["number"], center=center).first()
    if session is None:
        raise DomainError(
            "session_not_found",
            _("La session %(number)s n'existe pas dans votre centre.") % {"number": entry["number"]},
        )
    ensure_not_started(session, f"Session {session.pk} : {ENROLMENT_CLOSED_MESSAGE}")
    if values is not None:
        session = session_update(session=session, by=by, **values)
    return session
