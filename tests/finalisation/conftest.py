"""Started tests to finalise: a small bank, candidates with 5 certifiable competences (15 questions)."""

from __future__ import annotations

import pytest

from sessions_app.models import Certification, CertificationState
from sessions_app.services.certification import certification_start
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank

QUESTIONS = 15  # 5 competences × 3 questions


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def bank(db):
    return make_bank(levels=range(1, 3), per_level=3)


@pytest.fixture
def start_test(bank):
    """start_test(session, last_name=…, first_name=…, state=…) → a started Certification."""

    def _start(session, *, last_name: str = "Durand", first_name: str = "Simon", state: str = "") -> Certification:
        user = UserFactory(first_name=first_name, last_name=last_name)
        ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
        candidate = CandidateFactory(
            session=session, user=user, last_name=last_name, first_name=first_name, authorized_to_start=True
        )
        certification = certification_start(candidate=candidate, user=user)
        if state:
            Certification.objects.filter(pk=certification.pk).update(state=state)
            certification.refresh_from_db()
        return certification

    return _start


@pytest.fixture
def unfinished(session, start_test) -> Certification:
    return start_test(session, last_name="Dupont", first_name="Martine")


@pytest.fixture
def completed(session, start_test) -> Certification:
    return start_test(session, last_name="Delarue", first_name="Sophie", state=CertificationState.COMPLETED)


@pytest.fixture
def staff_user_factory(db):
    """staff_user_factory() → a new Pix staff account (the jury)."""

    def _make():
        return UserFactory(is_staff=True)

    return _make
