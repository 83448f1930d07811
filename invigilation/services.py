"""Writes of the invigilator space: granting access to a session (entry by number + password),
incidents logged on the phone during the session.

The candidate transitions an invigilator makes (presence, resume, end of test) live with the
candidate side in `sessions_app.services.certification`: one state machine for both.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from invigilation.forms import parse_session_number
from invigilation.models import InvigilatorAccess
from pixcertif.accounts.models import Actor
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError
from sessions_app.models import Candidate, Certification, IssueReport, IssueReportSource, Session
from sessions_app.report_categories import CATEGORIES, DETAILS_MAX_LENGTH
from sessions_app.services.session_status import ensure_center_can_change, session_lock
from sessions_app.services.sessions import candidate_touch


def invigilator_access_grant(*, session: Session, by: Actor) -> InvigilatorAccess:
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


def incident_log(*, candidate: Candidate, code: str, description: str, by: Actor) -> IssueReport:
    """Record, from the invigilator's phone, a report of a C category ("Saisir un incident") for a
    candidate who started their test. It is shown at finalisation, "saisi pendant la session",
    editable and removable like any other report.

    Refused: a finalised session, a candidate who has not started, a category that is not a C one,
    missing details where the category needs them, details over 500 characters.
    """
    description = (description or "").strip()
    category = CATEGORIES.get(code)
    if category is None or category.needs_question:
        raise DomainError("invalid_category", _("Choisissez une catégorie d'incident de la liste."))
    if len(description) > DETAILS_MAX_LENGTH:
        raise DomainError(
            "description_too_long",
            _("Les détails ne peuvent pas dépasser %(n)s caractères.") % {"n": DETAILS_MAX_LENGTH},
        )
    if category.needs_details and not description:
        raise DomainError("description_required", _("Précisez les détails de cet incident."))
    with transaction.atomic():
        session = session_lock(candidate.session_id)
        ensure_center_can_change(session)
        certification = Certification.objects.filter(candidate_id=candidate.pk).first()
        if certification is None:
            raise DomainError(
                "not_started",
                _(
                    "Ce candidat n'a pas encore commencé son test : l'incident pourra être saisi une fois son test "
                    "commencé."
                ),
            )
        report = IssueReport.objects.create(
            certification=certification,
            code=category.code,
            category=category.group,
            description=description,
            source=IssueReportSource.INVIGILATOR,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_record(
            action="issue_report.logged_by_invigilator",
            by=by,
            session=session,
            candidate=candidate,
            report=report.pk,
            code=report.code,
        )
        candidate_touch(candidate.pk)
        return report


def invigilator_access_refused(*, session_number: str, by: Actor, ip: str) -> None:
    """Record a wrong (session number, password) pair: who tried, from where, on which number.

    The session, when the number names one, is kept as a plain id so its jury sees the attempts.
    """
    number = parse_session_number(session_number)
    session = Session.objects.filter(pk=number).only("pk", "center_id").first() if number is not None else None
    audit_record(
        action="invigilation.access_refused", by=by, session=session, session_number=session_number[:30], ip=ip
    )
