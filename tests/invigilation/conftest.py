from __future__ import annotations

import pytest
from django.utils import timezone

from invigilation.models import InvigilatorAccess
from sessions_app.models import Candidate, Certification, CertificationState
from tests.factories import CandidateFactory, CertificationFactory


@pytest.fixture
def invigilator_client(client, invigilator_user, session):
    """An invigilator who entered the session's password, logged in."""
    InvigilatorAccess.objects.create(user=invigilator_user, session=session)
    client.force_login(invigilator_user)
    return client


@pytest.fixture
def candidate(session):
    return CandidateFactory(session=session, last_name="Dupont", first_name="Martine")


def start(candidate, **kwargs) -> Certification:
    """A test in progress for `candidate` (as the candidate side leaves it after a start)."""
    kwargs.setdefault("started_at", timezone.now())
    Candidate.objects.filter(pk=candidate.pk).update(authorized_to_start=False)  # a start consumes it
    candidate.authorized_to_start = False
    return CertificationFactory(candidate=candidate, **kwargs)  # links the candidate to an account if needed


def finish(candidate, state=CertificationState.COMPLETED) -> Certification:
    return start(candidate, state=state, ended_at=timezone.now())


def finalize(session) -> None:
    session.status = "finalized"
    session.finalized_at = timezone.now()
    session.save(update_fields=["status", "finalized_at"])
