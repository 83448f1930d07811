import pytest

from finalisation.services import abort_reason_set
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import CertificationState


def test_it_records_the_abort_reason_of_an_unfinished_test(unfinished, admin_user):
    abort_reason_set(certification=unfinished, reason="technical", by=admin_user)
    unfinished.refresh_from_db()
    assert unfinished.abort_reason == "technical"
    assert AuditEvent.objects.get(action="certification.abort_reason_set").data == {"reason": "technical"}


def test_it_accepts_a_reason_for_a_test_the_invigilator_ended(session, start_test, admin_user):
    certification = start_test(session, state=CertificationState.ENDED_BY_INVIGILATOR)
    abort_reason_set(certification=certification, reason="candidate", by=admin_user)
    certification.refresh_from_db()
    assert certification.abort_reason == "candidate"


def test_choosing_nothing_clears_the_reason(unfinished, admin_user):
    abort_reason_set(certification=unfinished, reason="candidate", by=admin_user)
    abort_reason_set(certification=unfinished, reason="", by=admin_user)
    unfinished.refresh_from_db()
    assert unfinished.abort_reason == ""


def test_choosing_the_same_reason_twice_records_it_once(unfinished, admin_user):
    abort_reason_set(certification=unfinished, reason="candidate", by=admin_user)
    abort_reason_set(certification=unfinished, reason="candidate", by=admin_user)
    assert AuditEvent.objects.filter(action="certification.abort_reason_set").count() == 1


def test_it_refuses_a_reason_that_does_not_exist(unfinished, admin_user):
    with pytest.raises(DomainError) as error:
        abort_reason_set(certification=unfinished, reason="bored", by=admin_user)
    assert error.value.code == "invalid_abort_reason"


def test_it_refuses_a_reason_for_a_completed_test(completed, admin_user):
    with pytest.raises(DomainError) as error:
        abort_reason_set(certification=completed, reason="candidate", by=admin_user)
    assert error.value.code == "test_completed"
