"""The factories build what the product would hold, and refuse what it never holds."""

from __future__ import annotations

import pytest

from pixcertif.accounts.models import CertificationCenter
from tests.factories import (
    CandidateFactory,
    CenterFactory,
    CertificationFactory,
    ChallengeFactory,
    SessionFactory,
    StudentFactory,
    UserFactory,
)


def test_a_certifications_user_is_its_candidates_user(db):
    certification = CertificationFactory()
    assert certification.user_id == certification.candidate.user_id is not None
    assert certification.candidate.linked_at is not None


def test_a_certification_for_a_candidate_who_had_not_joined_links_them(db):
    candidate = CandidateFactory()
    certification = CertificationFactory(candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.user_id == certification.user_id


def test_a_certification_for_another_user_than_the_candidates_is_refused(db):
    candidate = CandidateFactory(user=UserFactory())
    with pytest.raises(ValueError, match="candidate's user"):
        CertificationFactory(candidate=candidate, user=UserFactory())


def test_a_school_candidate_comes_from_a_student_of_the_same_centre(db):
    candidate = CandidateFactory(session__center__type=CertificationCenter.Type.SCO)
    student = candidate.student
    assert student.center_id == candidate.session.center_id
    assert (candidate.last_name, candidate.first_name, candidate.birth_date) == (
        student.last_name,
        student.first_name,
        student.birth_date,
    )
    assert candidate.external_id == student.ine


def test_a_candidate_of_a_professional_centre_has_no_student(db):
    assert CandidateFactory(session__center__type=CertificationCenter.Type.PRO).student is None


def test_a_student_of_another_centre_is_refused(db):
    session = SessionFactory(center__type=CertificationCenter.Type.SCO)
    with pytest.raises(ValueError, match="centre"):
        CandidateFactory(session=session, student=StudentFactory(center=CenterFactory()))


def test_a_billing_mode_for_a_school_candidate_is_refused(db):
    with pytest.raises(ValueError, match="billing"):
        CandidateFactory(session__center__type=CertificationCenter.Type.SCO, billing_mode="free")


def test_a_certification_built_with_questions_counts_them(db):
    questions = [ChallengeFactory(), ChallengeFactory(competence="2.1")]
    certification = CertificationFactory(questions=questions)
    certification.refresh_from_db()
    assert certification.challenge_count == 2
    stored = list(certification.challenges.order_by("index").values_list("challenge_id", "competence"))
    assert stored == [(questions[0].pk, "1.1"), (questions[1].pk, "2.1")]
