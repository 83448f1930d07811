import io

import pytest
from django.core.management import call_command

from pixcertif.accounts.demo import PRO_NAME, SCHOOL_NAME
from pixcertif.accounts.models import CertificationCenter, User
from sessions_app import demo_enrolment
from sessions_app.models import Session, Student
from tests.factories import SessionFactory


def demo_session(center_name: str, room: str) -> Session:
    center = CertificationCenter.objects.get(name=center_name)
    return Session.objects.filter(center=center, room=room).order_by("id").first() or SessionFactory(
        center=center, room=room
    )


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())
    school = demo_session(SCHOOL_NAME, "Salle B12")
    pro = demo_session(PRO_NAME, "Salle 3")
    demo_enrolment.seed_demo(io.StringIO())
    return school, pro


def test_the_demo_school_has_two_classes_of_students_with_accounts_and_profiles(seeded):
    students = Student.objects.filter(center__name=SCHOOL_NAME).select_related("user__profile")
    assert {s.division for s in students} == {"3EME A", "3EME B"}
    assert all(s.user and s.user.profile for s in students)
    assert 1 <= sum(not s.user.profile.is_certifiable for s in students) <= 6
    assert User.objects.get(email="eleve01@college.example").check_password("pixcertif")


def test_the_demo_school_session_has_students_of_3eme_a_with_one_extra_time(seeded):
    school, _ = seeded
    candidates = list(school.candidates.select_related("student__user__profile"))
    assert len(candidates) >= 8
    assert {c.student.division for c in candidates} == {"3EME A"}
    emails = {c.student.user.email: c for c in candidates}
    assert emails["eleve01@college.example"].student.user.profile.is_certifiable
    assert emails["eleve03@college.example"].extra_time_percentage == 33


def test_the_demo_pro_session_has_candidates_with_accounts(seeded):
    _, pro = seeded
    assert pro.candidates.count() == 5
    assert User.objects.filter(email="candidat01@centre-pro.example", profile__isnull=False).exists()


def test_seeding_twice_changes_nothing(seeded):
    school, pro = seeded
    before = (Student.objects.count(), school.candidates.count(), pro.candidates.count(), User.objects.count())
    demo_enrolment.seed_demo(io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    after = (Student.objects.count(), school.candidates.count(), pro.candidates.count(), User.objects.count())
    assert before == after
