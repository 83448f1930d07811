"""Accounts for a school's pupils who have none: a username and a one-time password each.

The one-time passwords exist in clear only in the sheet returned to the school administrator
(they are stored hashed like any password); the pupil chooses a password at first login.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pixcertif.accounts.models import Actor, CertificationCenter, User
from pixcertif.accounts.usernames import base_username, one_time_password, unique_usernames
from pixcertif.core.audit import audit_record
from pixcertif.core.errors import DomainError
from sessions_app.models import Student


@dataclass(frozen=True)
class AccountSheetLine:
    """One pupil's line of the sheet handed out in class."""

    division: str
    last_name: str
    first_name: str
    username: str
    password: str


def _ensure_school(center: CertificationCenter) -> None:
    if not center.is_school:
        raise DomainError(
            "not_a_school", _("La création de comptes d'élèves est réservée aux établissements scolaires.")
        )


def students_create_accounts(*, center: CertificationCenter, division: str, by: Actor) -> list[AccountSheetLine]:
    """Create an account (username, one-time password) for every pupil of `division` who has none,
    and link it to the pupil. Pupils who already have an account are left alone (a second click
    creates nothing). Refused: a centre that is not a school, an unknown class."""
    _ensure_school(center)
    with transaction.atomic():
        CertificationCenter.objects.select_for_update().get(pk=center.pk)
        students = list(
            Student.objects.select_for_update()
            .filter(center=center, division=division)
            .order_by("last_name", "first_name", "pk")
        )
        if not students:
            raise DomainError("division_unknown", _("Cette classe n'existe pas dans la liste des élèves."))
        without = [s for s in students if s.user_id is None]
        if not without:
            return []
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    return _create(center, without, by)
            except IntegrityError:  # a username taken meanwhile by another school: draw again
                continue
        raise DomainError("username_conflict", _("Les identifiants n'ont pas pu être créés. Réessayez."))


def _create(center: CertificationCenter, students: list[Student], by: Actor) -> list[AccountSheetLine]:
    names = unique_usernames(base_username(s.first_name, s.last_name, s.birth_date) for s in students)
    lines = []
    now = timezone.now()
    for student, username in zip(students, names, strict=True):
        password = one_time_password()
        user = User(username=username, email=None, first_name=student.first_name, last_name=student.last_name)
        user.set_password(password)
        user.must_change_password = True
        user.date_joined = now
        user.save()
        student.user = user
        student.save(update_fields=["user", "updated_at"])
        lines.append(AccountSheetLine(student.division, student.last_name, student.first_name, username, password))
    audit_record(
        action="student.accounts_create",
        by=by,
        center=center,
        division=students[0].division,
        usernames=[line.username for line in lines],
    )
    return lines


def student_reset_password(*, student: Student, by: Actor) -> AccountSheetLine:
    """A new one-time password for a pupil's school-made account (username, no e-mail address).

    Refused: a pupil without account, or whose account is the pupil's own (with an e-mail
    address: the pupil resets it from "Mot de passe oublié ?")."""
    with transaction.atomic():
        student = Student.objects.select_for_update(of=("self",)).select_related("center", "user").get(pk=student.pk)
        _ensure_school(student.center)
        user = student.user
        if user is None:
            raise DomainError("student_without_account", _("Cet élève n'a pas encore de compte."))
        if user.email or not user.username:
            raise DomainError(
                "student_own_account",
                _(
                    "Ce compte a une adresse e-mail : l'élève réinitialise lui-même son mot de passe "
                    "(« Mot de passe oublié ? »)."
                ),
            )
        user = User.objects.select_for_update().get(pk=user.pk)
        password = one_time_password()
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_record(action="student.password_reset", by=by, center=student.center, username=user.username)
        username = user.username or ""  # checked above: an account without e-mail has a username
        return AccountSheetLine(student.division, student.last_name, student.first_name, username, password)
