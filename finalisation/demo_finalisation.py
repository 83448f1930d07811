"""Demo step: a past session of the Collège Jean Moulin, room "Salle A01", finalised with a report.

Idempotent: a finalised "Salle A01" session is left as it is. Every change goes through the
services (presence, start, report, abort reasons, finalise). Without a question bank (no
challenges), nothing can start: the step is skipped quietly.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from finalisation.services import UNFINISHED_STATES, abort_reason_set, issue_report_add, session_finalise
from pixcertif.accounts.models import CertificationCenter, User
from pixcertif.core.errors import DomainError
from sessions_app.competences import COMPETENCE_CODES
from sessions_app.demo_sessions import backdate_session, demo_candidate, demo_candidate_account, demo_session_today
from sessions_app.models import AbortReason, Candidate, Certification, Challenge, Session
from sessions_app.services.certification import candidate_set_presence, certification_start

SCHOOL_NAME = "Collège Jean Moulin"
ROOM = "Salle A01"
DAYS_AGO = 5
ADMIN_EMAIL = "admin@college.example"
STUDENTS = [
    ("eleve01@college.example", "Inès", "Moreau", dt.date(2010, 2, 11)),
    ("eleve02@college.example", "Lucas", "Petit", dt.date(2010, 6, 23)),
    ("eleve03@college.example", "Chloé", "Roux", dt.date(2009, 11, 4)),
]


def _candidates(session: Session) -> list[Candidate]:
    """Three joined candidates: those the session already has, then demo pupils up to three."""
    linked = list(session.candidates.filter(user__isnull=False).select_related("user").order_by("pk")[:3])
    for email, first_name, last_name, birth_date in STUDENTS:
        if len(linked) >= 3:
            break
        user = demo_candidate_account(email, first_name, last_name, dict.fromkeys(COMPETENCE_CODES, 2))
        if session.candidates.filter(user=user).exists():
            continue
        linked.append(demo_candidate(session, user, birth_date=birth_date, sex=""))
    return linked


def seed_demo(stdout) -> None:
    center = CertificationCenter.objects.filter(name=SCHOOL_NAME).first()
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if center is None or admin is None:
        return
    session = Session.objects.filter(center=center, room=ROOM).order_by("date", "pk").first()
    if session is not None and session.is_locked_for_center:
        stdout.write(f"Finalisation : la session {session.pk} ({ROOM}) est déjà finalisée.")
        return
    if not Challenge.objects.filter(is_active=True).exists():
        stdout.write("Finalisation : aucune épreuve dans la banque de questions, étape ignorée.")
        return
    session = demo_session_today(center=center, room=ROOM, examiner="Mme Durand", by=admin)
    candidates = _candidates(session)
    for candidate in candidates:
        if candidate.user is None or Certification.objects.filter(candidate=candidate).exists():
            continue  # (`_candidates` are joined ones: a user always)
        try:
            candidate_set_presence(candidate=candidate, present=True, by=admin)
            certification_start(candidate=candidate, user=candidate.user)
        except DomainError as error:
            stdout.write(f"Finalisation : {candidate} n'a pas pu commencer ({error.message}).")
    certifications = list(
        Certification.objects.filter(candidate__session=session).select_related("candidate").order_by("pk")
    )
    if not certifications:
        stdout.write("Finalisation : aucun test commencé, étape ignorée.")
        return
    first = certifications[0]
    if not first.issue_reports.exists():
        issue_report_add(
            certification=first,
            code="C1",
            question_number=None,
            description="La date de naissance correcte est le 11/02/2010.",
            by=admin,
        )
    for index, certification in enumerate(certifications):
        if certification.state in UNFINISHED_STATES and not certification.abort_reason:
            reason = AbortReason.TECHNICAL if index == len(certifications) - 1 else AbortReason.CANDIDATE
            abort_reason_set(certification=certification, reason=reason, by=admin)
    if session.date == timezone.localdate():
        backdate_session(session, DAYS_AGO)  # run today through the services, shown as five days ago
    session_finalise(session=session, by=admin)
    stdout.write(f"Finalisation : session {session.pk} ({ROOM}) finalisée avec un signalement C1.")
