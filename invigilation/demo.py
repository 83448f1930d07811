"""Demo step of the invigilator space (idempotent): the demo invigilator watches the school's
session in "Salle B12", some candidates are ticked present and one or two have started their
test (nothing answered yet). Skips quietly when an earlier step did not run."""

from __future__ import annotations

from typing import TextIO

from invigilation.services import invigilator_access_grant
from pixcertif.accounts.models import CertificationCenter, User
from sessions_app.competences import is_certifiable
from sessions_app.models import Candidate, Challenge, Session
from sessions_app.services.certification import candidate_join, candidate_set_presence, certification_start

INVIGILATOR_EMAIL = "surveillant@demo.example"
ROOM = "Salle B12"
PRESENT = 4  # candidates ticked present
STARTED = 2  # of whom this many start their test


def seed_demo(stdout: TextIO) -> None:
    invigilator = User.objects.filter(email=INVIGILATOR_EMAIL).first()
    session = (
        Session.objects.not_locked_for_center()
        .filter(room=ROOM, center__type=CertificationCenter.Type.SCO)
        .order_by("id")
        .first()
    )
    if invigilator is None or session is None:
        return
    invigilator_access_grant(session=session, by=invigilator)
    candidates = list(
        Candidate.objects.filter(session=session)
        .select_related("user__profile", "student__user__profile", "certification")
        .order_by("id")
    )
    if not candidates:
        stdout.write(f"Espace surveillant : {INVIGILATOR_EMAIL} surveille la session {session.pk} (sans candidat).\n")
        return

    def account(candidate: Candidate):
        """The candidate's account, or the roster pupil's account (who has yet to join)."""
        if candidate.user_id:
            return candidate.user
        student = candidate.student
        return student.user if student is not None and student.user_id else None

    def can_start(candidate: Candidate) -> bool:
        profile = getattr(account(candidate), "profile", None)
        return profile is not None and is_certifiable(profile.levels)

    # Starters (certifiable profiles, taken from the end of the list so that the first pupils,
    # eleve01…, are left to try the candidate side), then others, up to PRESENT in all.
    startable = sorted((c for c in candidates if can_start(c)), key=lambda c: account(c).email, reverse=True)
    starters = startable[:STARTED] if Challenge.objects.exists() else []
    present = starters + [c for c in candidates if c not in starters][: max(PRESENT - len(starters), 0)]
    started = 0
    for candidate in present:
        if hasattr(candidate, "certification"):
            started += candidate in starters
            continue
        candidate_set_presence(candidate=candidate, present=True, by=invigilator)
        if candidate in starters:
            user = account(candidate)
            if candidate.user_id is None:  # the pupil joins the session, as on /certifications
                candidate = candidate_join(
                    session_id=session.pk,
                    first_name=candidate.first_name,
                    last_name=candidate.last_name,
                    birth_date=candidate.birth_date,
                    user=user,
                )
                candidate_set_presence(candidate=candidate, present=True, by=invigilator)
            certification_start(candidate=candidate, user=user)
            started += 1
    stdout.write(
        f"Espace surveillant : {INVIGILATOR_EMAIL} surveille la session {session.pk} ; "
        f"{len(present)} candidat(s) présent(s), {started} test(s) commencé(s).\n"
    )
