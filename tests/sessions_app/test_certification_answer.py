"""Answering: only the current question, once; a skipped question is lost; the last one completes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import CertificationChallenge, CertificationState, ChallengeType, SessionStatus
from sessions_app.services.certification import (
    candidate_set_presence,
    certification_answer,
    certification_end_by_invigilator,
    certification_skip,
    certification_start,
)
from tests.factories import CandidateFactory, ChallengeFactory, ProfileFactory, UserFactory, certifiable_levels


@pytest.fixture
def certification(db):
    """A 15-question test (5 competences at level 1); every challenge's answer is proposal 1."""
    for code in ("1.1", "1.2", "1.3", "2.1", "2.2"):
        ChallengeFactory.create_batch(3, competence=code, level=1)
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    return certification_start(candidate=candidate, user=user)


def answer(certification, index, value="1", **kwargs):
    return certification_answer(
        certification=certification, user=certification.user, index=index, answer=value, **kwargs
    )


def question(certification, index):
    return CertificationChallenge.objects.get(certification=certification, index=index)


def test_a_right_answer_is_stored_with_its_time_and_result(certification):
    answer(certification, 0, "1")
    stored = question(certification, 0)
    assert (stored.answer, stored.result) == ("1", "ok")
    assert stored.answered_at is not None
    certification.refresh_from_db()
    assert certification.current_index == 1


def test_the_time_spent_on_a_timed_question_is_recorded(certification):
    challenge = question(certification, 0).challenge
    challenge.timer_seconds = 60
    challenge.save()
    with time_machine.travel(certification.started_at + dt.timedelta(seconds=75), tick=False):
        answer(certification, 0, "1")
    event = AuditEvent.objects.get(action="certification.answered")
    assert event.data == {"question": 1, "seconds": 75, "over_time": True}


def test_a_wrong_answer_is_stored_as_wrong(certification):
    answer(certification, 0, "2")
    assert question(certification, 0).result == "ko"


def test_a_skipped_question_counts_as_wrong_and_is_lost(certification):
    certification_skip(certification=certification, user=certification.user, index=0)
    assert question(certification, 0).result == "skipped"
    with pytest.raises(DomainError) as error:
        answer(certification, 0, "1")
    assert error.value.code == "no_going_back"
    assert question(certification, 0).result == "skipped"


def test_posting_the_same_answer_twice_stores_it_once(certification):
    answer(certification, 0, "1")
    first = question(certification, 0).answered_at
    answer(certification, 0, "1")
    certification.refresh_from_db()
    assert certification.current_index == 1
    assert question(certification, 0).answered_at == first
    assert question(certification, 1).result == ""
    assert AuditEvent.objects.filter(action="certification.answered").count() == 1


def test_it_refuses_another_answer_for_an_earlier_question(certification):
    answer(certification, 0, "2")
    with pytest.raises(DomainError) as error:
        answer(certification, 0, "1")
    assert error.value.code == "no_going_back"
    assert question(certification, 0).result == "ko"


def test_it_refuses_an_answer_for_a_later_question(certification):
    with pytest.raises(DomainError) as error:
        answer(certification, 3, "1")
    assert error.value.code == "invalid_index"
    assert question(certification, 3).result == ""


@pytest.mark.parametrize("index", [15, 999, -1])
def test_it_refuses_an_index_outside_the_test(certification, index):
    with pytest.raises(DomainError) as error:
        answer(certification, index, "1")
    assert error.value.code == "invalid_index"


def test_it_refuses_a_huge_answer(certification):
    with pytest.raises(DomainError) as error:
        answer(certification, 0, "x" * 501)
    assert error.value.code == "answer_too_long"


def test_it_refuses_an_answer_from_another_account(certification):
    with pytest.raises(DomainError) as error:
        certification_answer(certification=certification, user=UserFactory(), index=0, answer="1")
    assert error.value.code == "not_your_certification"


def test_the_last_answer_completes_the_test(certification):
    for index in range(15):
        answer(certification, index, "1")
    certification.refresh_from_db()
    assert certification.state == CertificationState.COMPLETED
    assert certification.ended_at is not None
    assert AuditEvent.objects.filter(action="certification.completed").count() == 1


def test_a_test_ended_by_the_invigilator_refuses_answers(certification):
    certification_end_by_invigilator(candidate=certification.candidate, by=None)
    with pytest.raises(DomainError) as error:
        answer(certification, 0, "1")
    assert error.value.code == "ended_by_invigilator"
    assert question(certification, 0).result == ""


def test_a_finalised_session_refuses_answers(certification):
    session = certification.candidate.session
    session.status = SessionStatus.FINALIZED
    session.finalized_at = timezone.now()
    session.save()
    with pytest.raises(DomainError) as error:
        answer(certification, 0, "1")
    assert error.value.code == "session_finalized"


def test_a_multiple_choice_answer_is_right_in_any_order(db):
    from sessions_app.answers import is_correct

    challenge = ChallengeFactory(type=ChallengeType.MULTIPLE, proposals=["a", "b", "c", "d"], solution="3,1")
    assert is_correct(challenge, "1,3")
    assert not is_correct(challenge, "1")
    assert not is_correct(challenge, "1,3,4")
