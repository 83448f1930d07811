"""The invigilator transitions of the candidate / certification state machine."""

from __future__ import annotations

import pytest

from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import Certification, CertificationState
from sessions_app.services.certification import (
    candidate_authorize_resume,
    candidate_set_presence,
    certification_end_by_invigilator,
)
from tests.invigilation.conftest import finalize, finish, start


@pytest.fixture
def by(invigilator_user):
    return invigilator_user


# ---------------------------------------------------------------- presence


def test_ticking_presence_authorises_the_candidate_to_start(candidate, by):
    candidate_set_presence(candidate=candidate, present=True, by=by)
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is True


def test_ticking_presence_is_audited_with_who_and_which_candidate(candidate, by):
    candidate_set_presence(candidate=candidate, present=True, by=by)
    event = AuditEvent.objects.get(action="candidate.presence_confirmed")
    assert (event.actor, event.candidate_id_ref, event.session_id_ref) == (by, candidate.pk, candidate.session_id)


def test_ticking_presence_stamps_the_candidate_row_not_the_session_row(candidate, by):
    session_before, row_before = candidate.session.changed_at, candidate.changed_at
    candidate_set_presence(candidate=candidate, present=True, by=by)
    candidate.refresh_from_db()
    candidate.session.refresh_from_db()
    assert candidate.changed_at > row_before
    assert candidate.session.changed_at == session_before  # a room's ticks do not queue on the session row


def test_ticking_presence_twice_changes_nothing_the_second_time(candidate, by):
    candidate_set_presence(candidate=candidate, present=True, by=by)
    candidate_set_presence(candidate=candidate, present=True, by=by)
    assert AuditEvent.objects.filter(action="candidate.presence_confirmed").count() == 1


def test_unticking_presence_withdraws_the_authorisation(candidate, by):
    candidate_set_presence(candidate=candidate, present=True, by=by)
    candidate_set_presence(candidate=candidate, present=False, by=by)
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is False
    assert AuditEvent.objects.filter(action="candidate.presence_cancelled").count() == 1


def test_unticking_an_unticked_candidate_changes_nothing(candidate, by):
    candidate_set_presence(candidate=candidate, present=False, by=by)
    assert not AuditEvent.objects.filter(action__startswith="candidate.presence").exists()


def test_it_refuses_to_untick_a_candidate_who_started(candidate, by):
    start(candidate)
    with pytest.raises(DomainError) as error:
        candidate_set_presence(candidate=candidate, present=False, by=by)
    assert error.value.code == "candidate_already_started"


def test_ticking_a_candidate_who_started_changes_nothing(candidate, by):
    start(candidate)
    candidate_set_presence(candidate=candidate, present=True, by=by)
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is False


def test_it_refuses_to_tick_presence_in_a_finalised_session(candidate, by):
    finalize(candidate.session)
    with pytest.raises(DomainError) as error:
        candidate_set_presence(candidate=candidate, present=True, by=by)
    assert error.value.code == "session_finalized"
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is False


# ---------------------------------------------------------------- resume


def test_authorising_a_resume_lets_a_started_candidate_join_again(candidate, by):
    start(candidate)
    candidate_authorize_resume(candidate=candidate, by=by)
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is True
    assert AuditEvent.objects.get(action="candidate.resume_authorized").actor == by


def test_authorising_a_resume_twice_changes_nothing_the_second_time(candidate, by):
    start(candidate)
    candidate_authorize_resume(candidate=candidate, by=by)
    candidate_authorize_resume(candidate=candidate, by=by)
    assert AuditEvent.objects.filter(action="candidate.resume_authorized").count() == 1


def test_it_refuses_to_authorise_a_resume_before_the_test_started(candidate, by):
    with pytest.raises(DomainError) as error:
        candidate_authorize_resume(candidate=candidate, by=by)
    assert error.value.code == "not_started"


@pytest.mark.parametrize(
    "state",
    [CertificationState.COMPLETED, CertificationState.ENDED_BY_INVIGILATOR, CertificationState.ENDED_BY_FINALISATION],
)
def test_it_refuses_to_authorise_a_resume_of_a_finished_test(candidate, by, state):
    finish(candidate, state)
    with pytest.raises(DomainError) as error:
        candidate_authorize_resume(candidate=candidate, by=by)
    assert error.value.code == "test_finished"


def test_it_refuses_to_authorise_a_resume_in_a_finalised_session(candidate, by):
    start(candidate)
    finalize(candidate.session)
    with pytest.raises(DomainError) as error:
        candidate_authorize_resume(candidate=candidate, by=by)
    assert error.value.code == "session_finalized"


# ---------------------------------------------------------------- end of test


def test_ending_a_test_marks_it_ended_by_the_invigilator(candidate, by):
    start(candidate)
    certification = certification_end_by_invigilator(candidate=candidate, by=by)
    certification.refresh_from_db()
    assert certification.state == CertificationState.ENDED_BY_INVIGILATOR
    assert certification.ended_at is not None
    assert AuditEvent.objects.get(action="certification.ended_by_invigilator").candidate_id_ref == candidate.pk


def test_ending_a_test_withdraws_a_pending_resume_authorisation(candidate, by):
    start(candidate)
    candidate_authorize_resume(candidate=candidate, by=by)
    certification_end_by_invigilator(candidate=candidate, by=by)
    candidate.refresh_from_db()
    assert candidate.authorized_to_start is False


def test_ending_a_test_twice_changes_nothing_the_second_time(candidate, by):
    start(candidate)
    first = certification_end_by_invigilator(candidate=candidate, by=by)
    second = certification_end_by_invigilator(candidate=candidate, by=by)
    assert first.ended_at == second.ended_at
    assert AuditEvent.objects.filter(action="certification.ended_by_invigilator").count() == 1


def test_ending_a_completed_test_leaves_it_completed(candidate, by):
    finish(candidate)
    certification = certification_end_by_invigilator(candidate=candidate, by=by)
    assert certification.state == CertificationState.COMPLETED


def test_it_refuses_to_end_a_test_that_did_not_start(candidate, by):
    with pytest.raises(DomainError) as error:
        certification_end_by_invigilator(candidate=candidate, by=by)
    assert error.value.code == "not_started"


def test_it_refuses_to_end_a_test_in_a_finalised_session(candidate, by):
    start(candidate)
    finalize(candidate.session)
    with pytest.raises(DomainError) as error:
        certification_end_by_invigilator(candidate=candidate, by=by)
    assert error.value.code == "session_finalized"
    assert Certification.objects.get(candidate=candidate).state == CertificationState.STARTED
