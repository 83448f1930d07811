import datetime as dt

import pytest
from django.utils import timezone

from pixcertif.accounts.models import CertificationCenter
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import Candidate, SessionStatus, Student
from sessions_app.services.enrolment import (
    CandidateData,
    StudentData,
    candidate_add,
    candidate_delete,
    candidate_update,
    candidates_replace_from_import,
    students_enrol,
    students_import,
)
from tests.factories import CandidateFactory, CenterFactory, SessionFactory, StudentFactory, UserFactory


def data(**overrides) -> CandidateData:
    values = {
        "last_name": "Durand",
        "first_name": "Élodie",
        "sex": "F",
        "birth_date": dt.date(1988, 4, 12),
        "birth_country": "FRANCE",
        "birth_insee_code": "69123",
        "birth_city": "Lyon",
    }
    values.update(overrides)
    return CandidateData(**values)


@pytest.fixture
def pro_session(pro_center):
    return SessionFactory(center=pro_center)


def test_it_adds_a_candidate_with_its_identity_key_and_an_audit_row(pro_session, pro_admin_user):
    candidate = candidate_add(session=pro_session, data=data(), by=pro_admin_user)
    assert candidate.identity_key == "durand|elodie"
    assert AuditEvent.objects.filter(action="candidate.add", candidate_id_ref=candidate.pk).exists()


def test_it_refuses_the_same_normalised_names_and_birth_date_twice(pro_session, pro_admin_user):
    candidate_add(session=pro_session, data=data(), by=pro_admin_user)
    with pytest.raises(DomainError) as error:
        candidate_add(session=pro_session, data=data(last_name=" DURAND ", first_name="elodie"), by=pro_admin_user)
    assert error.value.code == "candidate_duplicate"
    assert pro_session.candidates.count() == 1


def test_it_accepts_the_same_names_with_another_birth_date(pro_session, pro_admin_user):
    candidate_add(session=pro_session, data=data(), by=pro_admin_user)
    candidate_add(session=pro_session, data=data(birth_date=dt.date(1990, 1, 1)), by=pro_admin_user)
    assert pro_session.candidates.count() == 2


def test_it_refuses_to_add_a_candidate_once_the_session_started(pro_session, pro_admin_user):
    pro_session.started_at = timezone.now()
    pro_session.save()
    with pytest.raises(DomainError) as error:
        candidate_add(session=pro_session, data=data(), by=pro_admin_user)
    assert error.value.code == "session_started"


def test_it_refuses_to_add_a_candidate_to_a_finalised_session(pro_session, pro_admin_user):
    pro_session.status = SessionStatus.FINALIZED
    pro_session.finalized_at = timezone.now()
    pro_session.save()
    with pytest.raises(DomainError) as error:
        candidate_add(session=pro_session, data=data(), by=pro_admin_user)
    assert error.value.code == "session_finalized"


def test_it_updates_a_candidate_and_records_before_and_after(pro_session, pro_admin_user):
    candidate = candidate_add(session=pro_session, data=data(), by=pro_admin_user)
    candidate_update(candidate=candidate, data=data(extra_time_percentage=33), by=pro_admin_user)
    candidate.refresh_from_db()
    assert candidate.extra_time_percentage == 33
    event = AuditEvent.objects.get(action="candidate.update")
    assert event.data["after"] == {"extra_time_percentage": "33"}


def test_an_update_that_changes_nothing_writes_nothing(pro_session, pro_admin_user):
    candidate = candidate_add(session=pro_session, data=data(), by=pro_admin_user)
    candidate_update(candidate=candidate, data=data(), by=pro_admin_user)
    assert not AuditEvent.objects.filter(action="candidate.update").exists()


def test_it_refuses_an_update_that_duplicates_another_candidate(pro_session, pro_admin_user):
    candidate_add(session=pro_session, data=data(), by=pro_admin_user)
    other = candidate_add(session=pro_session, data=data(last_name="Martin"), by=pro_admin_user)
    with pytest.raises(DomainError) as error:
        candidate_update(candidate=other, data=data(), by=pro_admin_user)
    assert error.value.code == "candidate_duplicate"
    other.refresh_from_db()
    assert other.last_name == "Martin"


def test_it_deletes_a_candidate_who_has_not_joined(pro_session, pro_admin_user):
    candidate = CandidateFactory(session=pro_session)
    candidate_delete(candidate=candidate, by=pro_admin_user)
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert AuditEvent.objects.filter(action="candidate.delete").exists()


def test_it_refuses_to_delete_a_candidate_who_joined(pro_session, pro_admin_user):
    candidate = CandidateFactory(session=pro_session, user=UserFactory(), linked_at=timezone.now())
    with pytest.raises(DomainError) as error:
        candidate_delete(candidate=candidate, by=pro_admin_user)
    assert error.value.code == "candidate_joined"


def test_deleting_twice_is_harmless(pro_session, pro_admin_user):
    candidate = CandidateFactory(session=pro_session)
    candidate_delete(candidate=candidate, by=pro_admin_user)
    candidate_delete(candidate=candidate, by=pro_admin_user)
    assert AuditEvent.objects.filter(action="candidate.delete").count() == 1


def test_it_enrols_students_of_the_school(session, center, admin_user):
    students = StudentFactory.create_batch(2, center=center)
    created = students_enrol(session=session, student_ids=[s.pk for s in students], by=admin_user)
    assert {c.student_id for c in created} == {s.pk for s in students}
    assert created[0].external_id == students[0].ine or created[0].external_id == students[1].ine


def test_enrolling_a_student_twice_skips_them(session, center, admin_user):
    student = StudentFactory(center=center)
    students_enrol(session=session, student_ids=[student.pk], by=admin_user)
    assert students_enrol(session=session, student_ids=[student.pk], by=admin_user) == []
    assert session.candidates.count() == 1


def test_it_refuses_a_student_of_another_centre(session, center, admin_user):
    mine = StudentFactory(center=center)
    theirs = StudentFactory(center=CenterFactory())
    with pytest.raises(DomainError) as error:
        students_enrol(session=session, student_ids=[mine.pk, theirs.pk], by=admin_user)
    assert error.value.code == "student_not_found"
    assert session.candidates.count() == 0


def test_it_refuses_two_students_with_the_same_identity(session, center, admin_user):
    a = StudentFactory(center=center, last_name="Martin", first_name="Léa")
    b = StudentFactory(center=center, last_name="MARTIN", first_name="Lea", division="3EME B")
    with pytest.raises(DomainError) as error:
        students_enrol(session=session, student_ids=[a.pk, b.pk], by=admin_user)
    assert error.value.code == "candidate_duplicate"
    assert session.candidates.count() == 0


def test_it_refuses_to_enrol_students_in_a_started_session(session, center, admin_user):
    session.started_at = timezone.now()
    session.save()
    with pytest.raises(DomainError) as error:
        students_enrol(session=session, student_ids=[StudentFactory(center=center).pk], by=admin_user)
    assert error.value.code == "session_started"


def test_it_refuses_to_enrol_students_outside_a_school(pro_session, pro_admin_user):
    with pytest.raises(DomainError) as error:
        students_enrol(session=pro_session, student_ids=[StudentFactory().pk], by=pro_admin_user)
    assert error.value.code == "not_a_school"


def test_an_import_replaces_the_whole_list(pro_session, pro_admin_user):
    CandidateFactory(session=pro_session, last_name="Ancien")
    count = candidates_replace_from_import(
        session=pro_session, rows=[data(), data(last_name="Martin")], by=pro_admin_user
    )
    assert count == 2
    assert sorted(pro_session.candidates.values_list("last_name", flat=True)) == ["Durand", "Martin"]


def test_an_import_with_a_duplicate_changes_nothing(pro_session, pro_admin_user):
    CandidateFactory(session=pro_session, last_name="Ancien")
    with pytest.raises(DomainError) as error:
        candidates_replace_from_import(session=pro_session, rows=[data(), data()], by=pro_admin_user)
    assert error.value.code == "candidate_duplicate"
    assert list(pro_session.candidates.values_list("last_name", flat=True)) == ["Ancien"]


def test_an_import_is_refused_once_a_candidate_joined(pro_session, pro_admin_user):
    CandidateFactory(session=pro_session, user=UserFactory())
    with pytest.raises(DomainError) as error:
        candidates_replace_from_import(session=pro_session, rows=[data()], by=pro_admin_user)
    assert error.value.code == "candidate_joined"


def student_row(ine: str = "12345678901", **overrides) -> StudentData:
    values = {
        "division": "3EME A",
        "last_name": "Martin",
        "first_name": "Léa",
        "birth_date": dt.date(2011, 3, 1),
        "birth_city": "Paris",
        "birth_country": "FRANCE",
        "ine": ine,
    }
    values.update(overrides)
    return StudentData(**values)


def test_a_students_reimport_updates_by_ine_instead_of_duplicating(center, admin_user):
    assert students_import(center=center, rows=[student_row()], by=admin_user) == (1, 0)
    assert students_import(center=center, rows=[student_row(division="3EME B")], by=admin_user) == (0, 1)
    assert list(Student.objects.filter(center=center).values_list("division", flat=True)) == ["3EME B"]


def test_a_students_import_is_refused_outside_a_school(admin_user):
    pro = CenterFactory(type=CertificationCenter.Type.PRO)
    with pytest.raises(DomainError) as error:
        students_import(center=pro, rows=[student_row()], by=admin_user)
    assert error.value.code == "not_a_school"
