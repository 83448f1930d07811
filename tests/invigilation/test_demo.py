"""invigilation.demo.seed_demo: idempotent, skips quietly when earlier steps did not run."""

from __future__ import annotations

import io

import pytest

from invigilation.demo import seed_demo
from invigilation.models import InvigilatorAccess
from pixcertif.accounts.models import CertificationCenter
from sessions_app.models import Candidate, Certification
from tests.factories import CandidateFactory, CenterFactory, ProfileFactory, SessionFactory, UserFactory, make_bank


@pytest.fixture
def demo_session(db):
    UserFactory(email="surveillant@demo.example")
    session = SessionFactory(center=CenterFactory(type=CertificationCenter.Type.SCO), room="Salle B12")
    for i in range(6):
        candidate = CandidateFactory(session=session)
        if i < 3:
            candidate.user = ProfileFactory().user
            candidate.save()
    return session


def test_it_skips_quietly_without_the_demo_session(db):
    out = io.StringIO()
    seed_demo(out)
    assert out.getvalue() == ""


def test_it_gives_the_demo_invigilator_access_and_ticks_some_candidates(demo_session):
    seed_demo(io.StringIO())
    assert InvigilatorAccess.objects.filter(session=demo_session, user__email="surveillant@demo.example").exists()
    assert Candidate.objects.filter(session=demo_session, authorized_to_start=True).count() == 4
    assert not Certification.objects.exists()  # no question bank: nobody starts


def test_it_starts_two_tests_when_the_question_bank_exists(demo_session):
    make_bank()
    seed_demo(io.StringIO())
    assert Certification.objects.filter(candidate__session=demo_session).count() == 2
    assert Candidate.objects.filter(session=demo_session, authorized_to_start=True).count() == 2


def test_running_it_twice_changes_nothing(demo_session):
    make_bank()
    seed_demo(io.StringIO())
    seed_demo(io.StringIO())
    assert Certification.objects.count() == 2
    assert InvigilatorAccess.objects.count() == 1
    assert Candidate.objects.filter(session=demo_session, authorized_to_start=True).count() == 2


def test_the_whole_demo_chain_leaves_two_tests_under_way_in_salle_b12(db):
    import io

    from django.core.management import call_command

    from sessions_app.models import Certification, CertificationState

    call_command("seed_demo", stdout=io.StringIO())
    under_way = Certification.objects.filter(candidate__session__room="Salle B12", state=CertificationState.STARTED)
    assert under_way.count() == 2
    assert not under_way.filter(user__email="eleve01@college.example").exists()
