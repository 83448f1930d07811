"""Demo sessions of both demo centres (step 2 of `manage.py seed_demo`). Idempotent.

Later steps find these sessions by centre and room name:
- "Collège Jean Moulin" (SCO): "Salle B12" (today 09:00, or the current hour when earlier so that
  its tests may start; enrolment and invigilation demos),
  "Salle informatique 2" (in two weeks), "CDI" (last month), "Salle A104" (next month).
- "Centre de formation Numérique Pro" (PRO): "Salle 3" (in ten days), "Salle Turing" (in five
  weeks), "Salle Lovelace" (three weeks ago).

The later steps that show a past session run it today through the real services and then move it
back: they build it with `demo_session_today`, `demo_candidate_account`, `demo_candidate` and
`backdate_session` below.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from pixcertif.accounts.demo import PRO_NAME, SCHOOL_NAME, demo_user
from pixcertif.accounts.models import CertificationCenter, Membership, User
from sessions_app.models import Candidate, CandidateProfile, Certification, CertificationChallenge, Session
from sessions_app.normalize import identity_key
from sessions_app.services.sessions import session_create

# centre, site, room, days from today, time, invigilators, observations
DEMO_SESSIONS = [
    (SCHOOL_NAME, "Collège Jean Moulin", "Salle B12", 0, dt.time(9, 0), "Mme Nathalie Roux et M. Karim Benali", ""),
    (
        SCHOOL_NAME,
        "Collège Jean Moulin",
        "Salle informatique 2",
        14,
        dt.time(14, 0),
        "M. Thomas Girard",
        "Classes de 3e B et 3e C. Prévoir des casques audio.",
    ),
    (SCHOOL_NAME, "Collège Jean Moulin", "CDI", -30, dt.time(10, 0), "Mme Isabelle Faure", ""),
    (
        SCHOOL_NAME,
        "Collège Jean Moulin — annexe Pasteur",
        "Salle A104",
        35,
        dt.time(8, 30),
        "Mme Chloé Garnier, M. Antoine Lambert",
        "",
    ),
    (
        PRO_NAME,
        "Campus Numérique Pro — Lyon",
        "Salle 3",
        10,
        dt.time(13, 30),
        "Sophie Leroy",
        "Candidats en reconversion : accueil à 13 h 15.",
    ),
    (PRO_NAME, "Campus Numérique Pro — Lyon", "Salle Turing", 36, dt.time(9, 30), "Julien Morel et Sophie Leroy", ""),
    (PRO_NAME, "Campus Numérique Pro — Villeurbanne", "Salle Lovelace", -21, dt.time(14, 0), "Julien Morel", ""),
]


def startable_time(start: dt.time) -> dt.time:
    """A time today's demo session can have so that its tests may start now (clock rules: from one
    hour before the start time): the planned one, or the current hour when it is earlier."""
    now = timezone.localtime()
    return min(start, now.time().replace(minute=0, second=0, microsecond=0))


def demo_session_today(*, center: CertificationCenter, room: str, examiner: str, by: User | None) -> Session:
    """The demo session of `center` in `room` (its first); else one created today through
    `session_create`, at a time its tests may start now."""
    session = Session.objects.filter(center=center, room=room).order_by("date", "pk").first()
    if session is None:
        session = session_create(
            center=center,
            by=by,
            address=center.name,
            room=room,
            date=timezone.localdate(),
            time=startable_time(dt.time(9, 0)),
            examiner=examiner,
        )
    return session


def demo_candidate_account(email: str, first_name: str, last_name: str, levels: dict[str, int]) -> User:
    """A demo candidate's account ("compte Pix") with its profile (`levels`, set once)."""
    user = demo_user(email, first_name, last_name)
    CandidateProfile.objects.get_or_create(user=user, defaults={"levels": levels})
    return user


def demo_candidate(session: Session, user: User, *, birth_date: dt.date, **fields: object) -> Candidate:
    """`user` enrolled in `session` and joined (as after /certifications); found again on a re-run."""
    candidate, _created = Candidate.objects.get_or_create(
        session=session,
        user=user,
        defaults={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "birth_date": birth_date,
            "identity_key": identity_key(user.first_name, user.last_name),
            "linked_at": timezone.now(),
            **fields,
        },
    )
    return candidate


def backdate_session(session: Session, days: int) -> None:
    """Move a demo session that was run today through the real services `days` days into the past
    (its date and every time of its tests): the clock rules only let tests start on the session's date."""
    shift = dt.timedelta(days=days)
    Session.objects.filter(pk=session.pk).update(
        date=F("date") - shift, started_at=F("started_at") - shift, created_at=F("created_at") - shift
    )
    certifications = Certification.objects.filter(candidate__session=session)
    certifications.update(started_at=F("started_at") - shift)
    certifications.filter(ended_at__isnull=False).update(ended_at=F("ended_at") - shift)
    CertificationChallenge.objects.filter(certification__candidate__session=session, answered_at__isnull=False).update(
        answered_at=F("answered_at") - shift
    )
    session.refresh_from_db()


def seed_demo(stdout) -> None:
    today = timezone.localdate()
    created = 0
    for center_name, site, room, days, start, examiner, observations in DEMO_SESSIONS:
        center = CertificationCenter.objects.filter(name=center_name).first()
        if center is None:
            continue
        if Session.objects.filter(center=center, room=room).exists():
            continue
        admin = Membership.objects.filter(center=center, role=Membership.Role.ADMIN).select_related("user").first()
        session_create(
            center=center,
            by=admin.user if admin else None,
            address=site,
            room=room,
            date=today + dt.timedelta(days=days),
            time=startable_time(start) if days == 0 else start,
            examiner=examiner,
            description=observations,
        )
        created += 1
    stdout.write(f"Sessions de démonstration : {created} créée(s).")
