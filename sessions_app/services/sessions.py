"""Session services: create, update, delete, with lifecycle guards and an audit trail."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pixcertif.accounts.models import Actor, CertificationCenter
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.codes import generate_access_code, generate_invigilator_password
from sessions_app.models import Candidate, Certification, Session, SessionStatus
from sessions_app.services.session_status import ensure_center_can_change, session_lock

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_CANDIDATES_PER_INVIGILATOR = 20


def _unique_access_code() -> str:
    for _attempt in range(50):
        code = generate_access_code()
        if not Session.objects.filter(access_code=code, status=SessionStatus.CREATED).exists():
            return code
    raise DomainError("access_code_exhausted", _("Impossible de générer un code d'accès unique. Réessayez."))


def session_create(
    *,
    center: CertificationCenter,
    by: Actor,
    address: str,
    room: str,
    date: date,
    time: time,
    examiner: str,
    description: str = "",
    form_token: str = "",
) -> Session:
    """Create a session with fresh codes. Retries if the access code raced another session.

    `form_token` makes a double-submitted creation form harmless: the centre row is locked, and
    if a session was already created with that token, it is returned instead of a second one.
    """
    for _attempt in range(5):
        try:
            with transaction.atomic():
                if form_token:
                    CertificationCenter.objects.select_for_update().filter(pk=center.pk).first()
                    existing = _session_created_with_token(center, form_token)
                    if existing is not None:
                        return existing
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
                extra = {"form_token": form_token} if form_token else {}
                audit_record(
                    action="session.create",
                    by=by,
                    session=session,
                    address=session.address,
                    room=session.room,
                    date=session.date,
                    time=session.time,
                    examiner=session.examiner,
                    description=session.description,
                    **extra,
                )
                return session
        except IntegrityError:
            continue
    raise DomainError("access_code_exhausted", _("Impossible de générer un code d'accès unique. Réessayez."))


def _session_created_with_token(center: CertificationCenter, form_token: str) -> Session | None:
    session_ids = AuditEvent.objects.filter(
        action="session.create", center=center, data__form_token=form_token
    ).values_list("session_id_ref", flat=True)
    return Session.objects.filter(center=center, pk__in=list(session_ids)).order_by("pk").first()


def ensure_not_started(session: Session, message: StrOrPromise | None = None) -> None:
    ensure_center_can_change(session)
    if session.is_started:
        raise DomainError(
            "session_started",
            message or _("Un candidat a déjà commencé son test : cette information ne peut plus être modifiée."),
        )


def session_touch(session: Session) -> None:
    """Mark a session-level change (enrolment, session edit, finalisation, status): the live
    invigilator list is rendered again in full (new ETag version). A change of one candidate's row
    stamps `Candidate.changed_at` instead (`candidate_touch`, or in the candidate's own UPDATE),
    so a room's transitions do not queue on the session row."""
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(changed_at=now)
    session.changed_at = now


def candidate_touch(candidate_id: int, now: datetime | None = None) -> None:
    """Mark a change of one candidate's row of the live list (an alert, an incident logged) where
    the candidate row itself is not saved: the list's next poll sends that row."""
    Candidate.objects.filter(pk=candidate_id).update(changed_at=now or timezone.now())


# Fields a centre may change on a session, and those frozen once a test has started.
EDITABLE_FIELDS = ("address", "room", "date", "time", "examiner", "description")
FROZEN_ONCE_STARTED = ("address", "room", "date", "time", "examiner")
_TEXT_FIELDS = ("address", "room", "examiner", "description")
DELETE_STARTED_MESSAGE = gettext_lazy(
    "Il n'est plus possible de supprimer une session lorsqu'un candidat a déjà commencé son test."
)


def session_has_started(session: Session) -> bool:
    """A session is started once any of its candidates has started a test."""
    if session.started_at is not None:
        return True
    return Certification.objects.filter(candidate__session_id=session.pk).exists()


def session_update(*, session: Session, by: Actor, **fields: Any) -> Session:
    """Change site, room, date, time, invigilators and observations; record old → new.

    Refused: any change after finalisation (`session_finalized`); site, room, date, time or
    invigilators once a test has started (`session_started`). Observations stay editable until
    finalisation. Nothing to change → nothing written.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        try:
            locked = session_lock(session.pk)
        except Session.DoesNotExist:
            raise DomainError("session_deleted", _("Cette session a été supprimée.")) from None
        ensure_center_can_change(locked)
        changes: dict[str, dict[str, Any]] = {}
        for name, value in fields.items():
            if name in _TEXT_FIELDS:
                value = (value or "").strip()
            old = getattr(locked, name)
            if old != value:
                changes[name] = {"old": old, "new": value}
        if not changes:
            return locked
        frozen = [name for name in changes if name in FROZEN_ONCE_STARTED]
        if frozen and session_has_started(locked):
            raise DomainError(
                "session_started",
                _(
                    "Un candidat a déjà commencé son test : le site, la salle, la date, l'heure et les "
                    "surveillants ne peuvent plus être modifiés. Seules les observations peuvent encore l'être."
                ),
            )
        for name, change in changes.items():
            setattr(locked, name, change["new"])
        locked.changed_at = timezone.now()
        locked.save(update_fields=[*changes, "changed_at"])
        audit_record(action="session.update", by=by, session=locked, changes=changes)
    for name in (*changes, "changed_at"):
        setattr(session, name, getattr(locked, name))
    return locked


def session_delete(*, session: Session, by: Actor) -> None:
    """Delete a session and its enrolled candidates; the audit trail keeps what it was.

    Refused: a finalised session (`session_finalized`), a session where a test has started
    (`session_started`). Deleting a session already gone is not an error.
    """
    with transaction.atomic():
        try:
            locked = session_lock(session.pk)
        except Session.DoesNotExist:
            return
        ensure_center_can_change(locked)
        if session_has_started(locked):
            raise DomainError("session_started", DELETE_STARTED_MESSAGE)
        audit_record(
            action="session.delete",
            by=by,
            session=locked,
            address=locked.address,
            room=locked.room,
            date=locked.date,
            time=locked.time,
            examiner=locked.examiner,
            access_code=locked.access_code,
            candidates=locked.candidates.count(),
        )
        locked.delete()


def invigilators_required(candidate_count: int) -> int:
    """How many invigilators the 1-per-20 rule asks for."""
    return -(-candidate_count // MAX_CANDIDATES_PER_INVIGILATOR)
