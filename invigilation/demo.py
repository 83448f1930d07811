"""Demo step of the invigilator space (idempotent): the demo invigilator watches the school's
session in "Salle B12", some candidates are ticked present and one or two have started their
test (nothing answered yet). Skips quietly when an earlier step did not run."""

from __future__ import annotations

from typing import TextIO

from invigilation.services import invigilator_access_grant
from pixcertif.accounts.models import CertificationCenter, User
from sessions_app.competences import is_certifiable
from sessions_app.models import Candidate, Challenge, Session
from sessions_app.services.certification import candidate_set_presence, certification_start

INVIGILATOR_EMAIL = "surveillant@demo.example"
ROOM = "Salle B12"
PRESENT = 4  # candidates ticked present
STARTED = 2  # of whom this many start their test


def seed_demo(stdout: TextIO) -> None:
    invigilator = User.objects.filter(email=INVIGILATOR_EMAIL).first()
    session = (
        Session.objects.not_finalized()
        .filter(room=ROOM, center__type=CertificationCenter.Type.SCO)
        .order_by("id")
        .first()
    )
    if invigilator is None or session is None:
        return
    invigilator_access_grant(session=session, by=invigilator)
    candidates = list(
        Candidate.objects.filter(session=session).select_related("user__profile", "certification").order_by("id")
    )
    if not candidates:
        stdout.write(f"Espace surveillant : {INVIGILATOR_EMAIL} surveille la session {session.pk} (sans candidat).\n")
        return

    def can_start(candidate: Candidate) -> bool:
        profile = getattr(candidate.user, "profile", None) if candidate.user_id else None
        return profile is not None and is_certifiable(profile.levels)

    # Starters first (certifiable profiles), then others, up to PRESENT candidates in all.
    starters = [c for c in candidates if can_start(c)][:STARTED] if Challenge.objects.exists() else []
    present = starters + [c for c in candidates if c not in starters][: max(PRESENT - len(starters), 0)]
    started = 0
    for candidate in present:
        if hasattr(candidate, "certification"):
            started += candidate in starters
            continue
        candidate_set_presence(candidate=candidate, present=True, by=invigilator)
        if candidate in starters:
            certification_start(candidate=candidate, user=candidate.user)
            started += 1
    stdout.write(
        f"Espace surveillant : {INVIGILATOR_EMAIL} surveille la session {session.pk} ; "
        f"{len(present)} candidat(s) présent(s), {started} test(s) commencé(s).\n"
    )
