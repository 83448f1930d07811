"""Demo: a past session of the "Collège Jean Moulin" (room "Salle A02") taken by three pupils,
finalised, processed by the jury and published. Idempotent; skipped without the question bank.

The session is finalised with the centre's service (which resolves reports and scores), then
taken and published with the jury services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from finalisation.jury.services import session_publish, session_take
from finalisation.services import session_finalise
from pixcertif.accounts.demo import SCHOOL_NAME
from pixcertif.accounts.models import Actor, CertificationCenter, User
from sessions_app.demo_sessions import backdate_session, demo_candidate, demo_candidate_account, demo_session_today
from sessions_app.models import (
    Certification,
    CertificationChallenge,
    CertificationState,
    Challenge,
    IssueReport,
    Session,
)
from sessions_app.services.certification import certification_start

ROOM = "Salle A02"
RECIPIENT = "resultats@college.example"
PROFILE = {"1.1": 3, "1.2": 2, "2.1": 3, "2.2": 2, "3.1": 3, "4.1": 2, "5.1": 2}

# email, first name, last name, birth date, which answers are wrong (0-based question indexes)
PUPILS = [
    ("ines.moreau@demo.example", "Inès", "Moreau", dt.date(2010, 2, 11), set()),
    ("tom.girard@demo.example", "Tom", "Girard", dt.date(2010, 6, 3), {1, 4, 7}),
    ("nina.roux@demo.example", "Nina", "Roux", dt.date(2010, 9, 27), set(range(0, 21, 2))),
]


def seed_demo(stdout: Any) -> None:
    center = CertificationCenter.objects.filter(name=SCHOOL_NAME).first()
    if center is None or not Challenge.objects.filter(is_active=True).exists():
        return
    session = Session.objects.filter(center=center, room=ROOM).order_by("pk").first()
    if session is not None and session.is_published:
        return
    centre_admin = User.objects.filter(email="admin@college.example").first()
    staff = User.objects.filter(email="staff@pix.example").first()
    session = demo_session_today(center=center, room=ROOM, examiner="Mme Dupont", by=centre_admin)
    if not session.is_locked_for_center:
        for email, first_name, last_name, birth_date, wrong in PUPILS:
            _take_test(session, email, first_name, last_name, birth_date, wrong, reporter=centre_admin)
        if session.date == timezone.localdate():
            backdate_session(session, 10)  # taken today through the services, shown as ten days ago
        session_finalise(session=session, by=centre_admin)
    if staff is not None:
        session_take(session=session, by=staff)
        session_publish(session=session, by=staff)
        stdout.write(f"Session {session.pk} ({ROOM}) : résultats publiés (élèves : ines.moreau@demo.example…).")


def _take_test(
    session: Session, email: str, first_name: str, last_name: str, birth_date: dt.date, wrong: set[int], reporter: Actor
) -> None:
    user = demo_candidate_account(email, first_name, last_name, PROFILE)
    candidate = demo_candidate(
        session,
        user,
        birth_date=birth_date,
        sex="F" if first_name in ("Inès", "Nina") else "M",
        birth_city="Paris",
        birth_country="FRANCE",
        birth_insee_code="75056",
        result_recipient_email=RECIPIENT,
        authorized_to_start=True,
        authorized_at=timezone.now(),
    )
    if Certification.objects.filter(candidate=candidate).exists():
        return
    certification = certification_start(candidate=candidate, user=user)
    rows = list(CertificationChallenge.objects.filter(certification=certification).select_related("challenge"))
    for row in rows:
        right = row.index not in wrong
        row.answer = row.challenge.solution.split("|")[0] if right else "?"
        row.result = CertificationChallenge.Result.OK if right else CertificationChallenge.Result.KO
        row.answered_at = timezone.now()
    CertificationChallenge.objects.bulk_update(rows, ["answer", "result", "answered_at"])
    certification.state = CertificationState.COMPLETED
    certification.current_index = len(rows)
    certification.ended_at = timezone.now()
    certification.save(update_fields=["state", "current_index", "ended_at"])
    if wrong and rows:
        # A site that could not be reached on a wrongly answered question: resolves itself (E4).
        IssueReport.objects.create(
            certification=certification,
            code="E4",
            category="E1-E12",
            question_number=min(wrong) + 1,
            description="Le site à visiter était inaccessible.",
            created_by=reporter,
        )
