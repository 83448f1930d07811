"""Enrolment services: add, edit and remove candidates, enrol students, import lists.

Every write runs in a transaction that locks the session row first (two administrators enrolling
at once are serialised), checks that the enrolment is still open (not started, not finalised),
writes, records an audit row and bumps the session's `changed_at` (the invigilator list).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pixcertif.accounts.models import Actor, CertificationCenter
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError
from sessions_app.enrolment_rules import PREPAYMENT_CODE_REQUIRED_MESSAGE, CandidateData, StudentData
from sessions_app.models import BillingMode, Candidate, Session, Student
from sessions_app.models.candidate import PREPAYMENT_CODE_MAX_LENGTH
from sessions_app.services.session_status import session_lock
from sessions_app.services.sessions import ensure_not_started, session_touch

ENROLMENT_CLOSED_MESSAGE = gettext_lazy(
    "La session a déjà débuté : il n'est plus possible d'ajouter, de modifier ou de supprimer des candidats."
)
DUPLICATE_MESSAGE = gettext_lazy(
    "Un candidat avec les mêmes nom de naissance, prénom et date de naissance est déjà inscrit à cette session."
)


def _lock_session(session: Session) -> Session:
    locked = session_lock(session.pk)
    ensure_not_started(locked, ENROLMENT_CLOSED_MESSAGE)
    return locked


def _ensure_no_duplicate(session: Session, data: CandidateData, *, exclude_pk: int | None = None) -> None:
    qs = Candidate.objects.filter(session=session, identity_key=data.identity_key, birth_date=data.birth_date)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise DomainError("candidate_duplicate", DUPLICATE_MESSAGE)


BILLING_FOR_SCHOOLS_MESSAGE = gettext_lazy(
    "Les établissements scolaires n'indiquent pas de tarification pour leurs candidats."
)


def ensure_billing_allowed(center: CertificationCenter, data: CandidateData) -> None:
    """Schools have no billing mode; elsewhere "Prépayée" needs its code and only it has one."""
    if center.is_school:
        if data.billing_mode or data.prepayment_code:
            raise DomainError("billing_not_for_schools", BILLING_FOR_SCHOOLS_MESSAGE)
        return
    if data.billing_mode and data.billing_mode not in BillingMode.values:
        raise DomainError("billing_mode_invalid", _("La tarification part Pix est invalide."))
    if data.billing_mode == BillingMode.PREPAID and not data.prepayment_code:
        raise DomainError("prepayment_code_required", PREPAYMENT_CODE_REQUIRED_MESSAGE)
    if data.billing_mode != BillingMode.PREPAID and data.prepayment_code:
        raise DomainError(
            "prepayment_code_unexpected",
            _("Le code de prépaiement ne s'indique que pour une tarification « Prépayée »."),
        )
    if len(data.prepayment_code) > PREPAYMENT_CODE_MAX_LENGTH:
        raise DomainError(
            "prepayment_code_too_long",
            _("Le code de prépaiement fait au plus %(max)s caractères.") % {"max": PREPAYMENT_CODE_MAX_LENGTH},
        )


def _build(session: Session, data: CandidateData, **extra: Any) -> Candidate:
    return Candidate(session=session, identity_key=data.identity_key, **asdict(data), **extra)


def candidate_add(*, session: Session, data: CandidateData, by: Actor) -> Candidate:
    """Enrol one candidate entered by hand.

    Refused once the session started or was finalised, and when a candidate with the same
    normalised names and birth date is already enrolled.
    """
    with transaction.atomic():
        session = _lock_session(session)
        ensure_billing_allowed(session.center, data)
        _ensure_no_duplicate(session, data)
        try:
            with transaction.atomic():
                candidate = _build(session, data)
                candidate.save()
        except IntegrityError:
            raise DomainError("candidate_duplicate", DUPLICATE_MESSAGE)
        audit_record(
            action="candidate.add",
            by=by,
            session=session,
            candidate=candidate,
            last_name=data.last_name,
            first_name=data.first_name,
        )
        session_touch(session)
        return candidate


def candidate_update(*, candidate: Candidate, data: CandidateData, by: Actor) -> Candidate:
    """Change an enrolled candidate's information (names, birth, e-mails, extra time…).

    Refused once the session started or was finalised, and when the new identity is already
    another candidate's. Nothing changed → nothing written.
    """
    with transaction.atomic():
        session = _lock_session(candidate.session)
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk, session=session)
        changed = [f.name for f in fields(CandidateData) if getattr(candidate, f.name) != getattr(data, f.name)]
        if not changed:
            return candidate
        ensure_billing_allowed(session.center, data)
        _ensure_no_duplicate(session, data, exclude_pk=candidate.pk)
        before = {name: str(getattr(candidate, name)) for name in changed}
        for name in changed:
            setattr(candidate, name, getattr(data, name))
        candidate.identity_key = data.identity_key
        try:
            with transaction.atomic():
                candidate.save(update_fields=[*changed, "identity_key"])
        except IntegrityError:
            raise DomainError("candidate_duplicate", DUPLICATE_MESSAGE)
        audit_record(
            action="candidate.update",
            by=by,
            session=session,
            candidate=candidate,
            before=before,
            after={name: str(getattr(candidate, name)) for name in changed},
        )
        session_touch(session)
        return candidate


def candidate_delete(*, candidate: Candidate, by: Actor) -> None:
    """Remove a candidate from the session.

    Refused once the session started or was finalised, and for a candidate who already joined
    the session with their account. Deleting an already deleted candidate changes nothing.
    """
    with transaction.atomic():
        session = _lock_session(candidate.session)
        locked = Candidate.objects.select_for_update().filter(pk=candidate.pk, session=session).first()
        if locked is None:
            return
        if locked.user_id is not None:
            raise DomainError(
                "candidate_joined",
                _("Ce candidat a déjà rejoint la session : il ne peut plus être supprimé."),
            )
        audit_record(
            action="candidate.delete",
            by=by,
            session=session,
            candidate=locked,
            last_name=locked.last_name,
            first_name=locked.first_name,
            birth_date=locked.birth_date,
        )
        locked.delete()
        session_touch(session)


def students_enrol(*, session: Session, student_ids: Iterable[int], by: Actor) -> list[Candidate]:
    """Enrol students of the session's school roster. Returns the candidates created.

    Refused: a centre that is not a school, a student of another centre (or unknown), the
    session started or finalised, two students (or a student and an enrolled candidate) with the
    same normalised names and birth date. Students already enrolled are skipped.
    """
    wanted = sorted({int(pk) for pk in student_ids})
    with transaction.atomic():
        session = _lock_session(session)
        if not session.center.is_school:
            raise DomainError("not_a_school", _("L'ajout d'élèves est réservé aux établissements scolaires."))
        if not wanted:
            raise DomainError("no_student_selected", _("Sélectionnez au moins un élève."))
        students = list(Student.objects.filter(center_id=session.center_id, pk__in=wanted))
        if len(students) != len(wanted):
            raise DomainError(
                "student_not_found", _("Un des élèves sélectionnés n'appartient pas à la liste de votre établissement.")
            )
        already = set(session.candidates.filter(student__in=students).values_list("student_id", flat=True))
        existing_keys = set(session.candidates.values_list("identity_key", "birth_date"))
        to_create: list[Candidate] = []
        for student in students:
            if student.pk in already:
                continue
            data = CandidateData(
                last_name=student.last_name,
                first_name=student.first_name,
                birth_date=student.birth_date,
                birth_city=student.birth_city,
                birth_country=student.birth_country,
                external_id=student.ine,
            )
            key = (data.identity_key, data.birth_date)
            if key in existing_keys:
                raise DomainError(
                    "candidate_duplicate",
                    f"{student.first_name} {student.last_name} : {DUPLICATE_MESSAGE}",
                )
            existing_keys.add(key)
            to_create.append(_build(session, data, student=student))
        if not to_create:
            return []
        try:
            with transaction.atomic():
                created = Candidate.objects.bulk_create(to_create)
        except IntegrityError:
            raise DomainError("candidate_duplicate", DUPLICATE_MESSAGE)
        audit_record(
            action="candidate.enrol_students",
            by=by,
            session=session,
            student_ids=[c.student_id for c in created],
            count=len(created),
        )
        session_touch(session)
        return created


def candidates_replace_from_import(*, session: Session, rows: Sequence[CandidateData], by: Actor) -> int:
    """Replace the session's candidate list with the imported rows, all or nothing.

    Refused: the session started or finalised, a candidate of the current list already joined
    the session, two rows with the same normalised names and birth date. Returns the count.
    """
    with transaction.atomic():
        session = _lock_session(session)
        if session.candidates.filter(user__isnull=False).exists():
            raise DomainError(
                "candidate_joined",
                _("Des candidats ont déjà rejoint la session : la liste ne peut plus être remplacée par un import."),
            )
        seen: set[tuple[str, date]] = set()
        for data in rows:
            ensure_billing_allowed(session.center, data)
            key = (data.identity_key, data.birth_date)
            if key in seen:
                raise DomainError("candidate_duplicate", f"{data.first_name} {data.last_name} : {DUPLICATE_MESSAGE}")
            seen.add(key)
        removed, _by_model = session.candidates.all().delete()
        Candidate.objects.bulk_create([_build(session, data) for data in rows], batch_size=500)
        audit_record(action="candidate.import", by=by, session=session, removed=removed, imported=len(rows))
        session_touch(session)
        return len(rows)


def students_import(*, center: CertificationCenter, rows: Sequence[StudentData], by: Actor) -> tuple[int, int]:
    """Create or update the school's students from a roster file; a known INE updates the student.

    Refused for a centre that is not a school and for a file with the same INE twice.
    Returns (created, updated).
    """
    if not center.is_school:
        raise DomainError("not_a_school", _("L'import d'élèves est réservé aux établissements scolaires."))
    ines = [row.ine for row in rows]
    if len(set(ines)) != len(ines):
        raise DomainError("student_duplicate_ine", _("Le fichier contient plusieurs fois le même INE."))
    with transaction.atomic():
        CertificationCenter.objects.select_for_update().get(pk=center.pk)
        existing = {s.ine: s for s in Student.objects.select_for_update().filter(center=center, ine__in=ines)}
        to_create: list[Student] = []
        to_update: list[Student] = []
        names = ["division", "last_name", "first_name", "birth_date", "birth_city", "birth_country"]
        for row in rows:
            student = existing.get(row.ine)
            if student is None:
                to_create.append(Student(center=center, **asdict(row)))
            elif any(getattr(student, name) != getattr(row, name) for name in names):
                for name in names:
                    setattr(student, name, getattr(row, name))
                to_update.append(student)
        Student.objects.bulk_create(to_create, batch_size=500)
        Student.objects.bulk_update(to_update, names, batch_size=500)
        audit_record(action="student.import", by=by, center=center, created=len(to_create), updated=len(to_update))
        return len(to_create), len(to_update)
