"""Demo data of the enrolment step (idempotent): school roster with accounts and profiles,
PRO candidates with accounts and profiles, both enrolled into the demo sessions.

Runs after `sessions_app.demo_sessions`; finds its sessions by centre and room and skips quietly
when they are absent. Password of every account: `pixcertif`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pixcertif.accounts.demo import PRO_NAME, SCHOOL_NAME
from pixcertif.accounts.models import CertificationCenter, User
from pixcertif.core.errors import DomainError
from sessions_app.competences import COMPETENCE_CODES
from sessions_app.demo_sessions import demo_candidate_account
from sessions_app.enrolment_rules import CandidateData
from sessions_app.models import Session, Student
from sessions_app.normalize import identity_key
from sessions_app.services.enrolment import candidate_add, candidate_update, students_enrol

SCHOOL_ROOM = "Salle B12"
PRO_ROOM = "Salle 3"

STUDENTS = [
    # division, last name, first name, birth date, certifiable
    ("3EME A", "Savant", "Paul", date(2011, 3, 16), True),
    ("3EME A", "Delarue", "Sophie", date(2011, 7, 4), True),
    ("3EME A", "Dupont", "Martine", date(2011, 6, 21), True),
    ("3EME A", "Lovelace", "Ada", date(2011, 1, 1), True),
    ("3EME A", "Nguyen", "Thomas", date(2011, 9, 12), True),
    ("3EME A", "Benali", "Yasmine", date(2011, 2, 27), True),
    ("3EME A", "Moreau", "Lucas", date(2011, 11, 5), True),
    ("3EME A", "Girard", "Chloé", date(2011, 4, 18), True),
    ("3EME A", "Lefèvre", "Hugo", date(2011, 8, 30), True),
    ("3EME A", "Petit", "Inès", date(2011, 5, 9), False),
    ("3EME A", "Roux", "Nathan", date(2011, 10, 14), True),
    ("3EME A", "Fournier", "Léa", date(2011, 12, 2), False),
    ("3EME B", "Mercier", "Jules", date(2011, 3, 3), True),
    ("3EME B", "Blanc", "Manon", date(2011, 6, 6), True),
    ("3EME B", "Guerin", "Adam", date(2011, 1, 23), True),
    ("3EME B", "Faure", "Camille", date(2011, 9, 1), False),
    ("3EME B", "André", "Louise", date(2011, 2, 14), True),
    ("3EME B", "Chevalier", "Gabriel", date(2011, 7, 19), True),
    ("3EME B", "Lambert", "Jade", date(2011, 10, 28), True),
    ("3EME B", "Bonnet", "Raphaël", date(2011, 4, 7), True),
    ("3EME B", "François", "Alice", date(2011, 8, 16), False),
    ("3EME B", "Martinez", "Léo", date(2011, 5, 25), True),
    ("3EME B", "Legrand", "Zoé", date(2011, 12, 11), True),
    ("3EME B", "Garnier", "Ethan", date(2011, 11, 20), True),
]
ENROLLED_IN_SCHOOL_SESSION = 8  # the first 8 students of 3EME A (all certifiable)
EXTRA_TIME_STUDENT = "eleve03@college.example"

PRO_CANDIDATES = [
    # last name, first name, sex, birth date, country, insee, postal, city, certifiable, extra time
    ("Durand", "Élodie", "F", date(1988, 4, 12), "FRANCE", "69123", "", "Lyon", True, None),
    ("Kowalski", "Marek", "M", date(1979, 9, 3), "POLOGNE", "", "", "Cracovie", True, None),
    ("Rousseau", "Antoine", "M", date(1995, 1, 27), "FRANCE", "", "33000", "Bordeaux", True, 25),
    ("Diallo", "Aminata", "F", date(1991, 6, 8), "FRANCE", "75056", "", "Paris", True, None),
    ("Marchand", "Céline", "F", date(1983, 12, 19), "FRANCE", "44109", "", "Nantes", False, None),
]


def _levels(certifiable: bool, seed: int) -> dict[str, int]:
    """Certifiable: levels 1–5 in 8 to 16 competences. Not certifiable: level 1–2 in 3 competences."""
    if certifiable:
        count = 8 + seed % 9
        return {code: (1 + (seed + i) % 5 if i < count else 0) for i, code in enumerate(COMPETENCE_CODES)}
    return {code: (1 + i % 2 if i < 3 else 0) for i, code in enumerate(COMPETENCE_CODES)}


def _account(email: str, first_name: str, last_name: str, certifiable: bool, seed: int) -> User:
    return demo_candidate_account(email, first_name, last_name, _levels(certifiable, seed))


def _seed_school(stdout) -> None:
    school = CertificationCenter.objects.filter(name=SCHOOL_NAME).first()
    if school is None:
        return
    students: list[Student] = []
    for n, (division, last_name, first_name, birth_date, certifiable) in enumerate(STUDENTS, start=1):
        user = _account(f"eleve{n:02d}@college.example", first_name, last_name, certifiable, n)
        student, _ = Student.objects.get_or_create(
            center=school,
            ine=f"0751{n:06d}X",
            defaults={
                "division": division,
                "last_name": last_name,
                "first_name": first_name,
                "birth_date": birth_date,
                "birth_city": "Paris",
                "birth_country": "FRANCE",
                "user": user,
            },
        )
        students.append(student)
    stdout.write(f"  Élèves : {len(students)} ({SCHOOL_NAME}, classes 3EME A et 3EME B)")

    session = Session.objects.filter(center=school, room=SCHOOL_ROOM).order_by("id").first()
    if session is None or session.is_started or session.is_locked_for_center:
        return
    admin = User.objects.filter(email="admin@college.example").first()
    try:
        students_enrol(session=session, student_ids=[s.pk for s in students[:ENROLLED_IN_SCHOOL_SESSION]], by=admin)
        candidate = session.candidates.filter(student__user__email=EXTRA_TIME_STUDENT).first()
        if candidate is not None and candidate.extra_time_percentage is None:
            candidate_update(
                candidate=candidate, data=replace(CandidateData.of(candidate), extra_time_percentage=33), by=admin
            )
    except DomainError as error:
        stdout.write(f"  Inscriptions de la session {session.pk} inchangées : {error.message}")
        return
    stdout.write(f"  Session {session.pk} ({SCHOOL_ROOM}) : {session.candidates.count()} candidat(s) inscrit(s)")


def _seed_pro(stdout) -> None:
    pro = CertificationCenter.objects.filter(name=PRO_NAME).first()
    if pro is None:
        return
    for n, row in enumerate(PRO_CANDIDATES, start=1):
        last_name, first_name, _sex, _birth, _country, _insee, _postal, _city, certifiable, _extra = row
        _account(f"candidat{n:02d}@centre-pro.example", first_name, last_name, certifiable, n)
    session = Session.objects.filter(center=pro, room=PRO_ROOM).order_by("id").first()
    if session is None or session.is_started or session.is_locked_for_center:
        return
    admin = User.objects.filter(email="admin@centre-pro.example").first()
    for n, row in enumerate(PRO_CANDIDATES, start=1):
        last_name, first_name, sex, birth_date, country, insee, postal, city, _certifiable, extra = row
        if session.candidates.filter(identity_key=identity_key(first_name, last_name), birth_date=birth_date).exists():
            continue
        data = CandidateData(
            last_name=last_name,
            first_name=first_name,
            sex=sex,
            birth_date=birth_date,
            birth_country=country,
            birth_insee_code=insee,
            birth_postal_code=postal,
            birth_city=city,
            email=f"candidat{n:02d}@centre-pro.example",
            result_recipient_email="formation@centre-pro.example",
            extra_time_percentage=extra,
            # Billing of a professional centre: one prepaid candidate shows the code; Marek needs an adjustment.
            billing_mode=("prepaid" if n == 4 else "paid" if n % 2 else "free"),
            prepayment_code=(f"PREPAYE-2026-{n:02d}" if n == 4 else ""),
            needs_adjustment=n == 2,
        )
        try:
            candidate_add(session=session, data=data, by=admin)
        except DomainError as error:
            stdout.write(f"  Inscriptions de la session {session.pk} inchangées : {error.message}")
            return
    stdout.write(f"  Session {session.pk} ({PRO_ROOM}) : {session.candidates.count()} candidat(s) inscrit(s)")


def seed_demo(stdout) -> None:
    _seed_school(stdout)
    _seed_pro(stdout)
