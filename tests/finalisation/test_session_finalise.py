import threading
import time

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from finalisation.services import abort_reason_set, session_finalise
from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import CertificationState, Session, SessionStatus


def test_it_finalises_a_started_session(completed, admin_user):
    session = completed.candidate.session
    with time_machine.travel("2026-03-02 10:00 +00:00", tick=False):
        session_finalise(session=session, by=admin_user)
    session.refresh_from_db()
    assert session.status == SessionStatus.FINALIZED
    assert session.finalized_at.isoformat() == "2026-03-02T10:00:00+00:00"
    assert session.finalized_by == admin_user
    assert session.center_status_label == "Finalisée"


def test_it_records_the_finalisation_in_the_audit_trail(completed, admin_user):
    session_finalise(session=completed.candidate.session, by=admin_user)
    assert AuditEvent.objects.get(action="session.finalise").actor == admin_user


def test_it_ends_unfinished_tests_by_finalisation(unfinished, admin_user):
    abort_reason_set(certification=unfinished, reason="candidate", by=admin_user)
    session_finalise(session=unfinished.candidate.session, by=admin_user)
    unfinished.refresh_from_db()
    assert unfinished.state == CertificationState.ENDED_BY_FINALISATION
    assert unfinished.ended_at is not None
    assert unfinished.abort_reason == "candidate"


def test_it_leaves_completed_tests_and_tests_ended_by_the_invigilator_as_they_are(
    session, completed, start_test, admin_user
):
    ended = start_test(session, last_name="Leroy", state=CertificationState.ENDED_BY_INVIGILATOR)
    abort_reason_set(certification=ended, reason="technical", by=admin_user)
    session_finalise(session=session, by=admin_user)
    completed.refresh_from_db()
    ended.refresh_from_db()
    assert (completed.state, ended.state) == (CertificationState.COMPLETED, CertificationState.ENDED_BY_INVIGILATOR)


def test_it_refuses_when_an_unfinished_test_has_no_abort_reason_and_names_the_candidates(
    session, unfinished, start_test, completed, admin_user
):
    start_test(session, last_name="Aubert", first_name="Léo", state=CertificationState.ENDED_BY_INVIGILATOR)
    with pytest.raises(DomainError) as error:
        session_finalise(session=session, by=admin_user)
    assert error.value.code == "abort_reason_missing"
    assert "Léo AUBERT, Martine DUPONT" in error.value.message
    assert "DELARUE" not in error.value.message
    session.refresh_from_db()
    assert session.status == SessionStatus.CREATED
    unfinished.refresh_from_db()
    assert unfinished.state == CertificationState.STARTED


def test_it_refuses_a_session_nobody_started(session, admin_user):
    with pytest.raises(DomainError) as error:
        session_finalise(session=session, by=admin_user)
    assert error.value.code == "session_not_started"


def test_finalising_twice_finalises_once(completed, admin_user, member_user):
    session = completed.candidate.session
    session_finalise(session=session, by=admin_user)
    session_finalise(session=session, by=member_user)
    session.refresh_from_db()
    assert session.finalized_by == admin_user
    assert AuditEvent.objects.filter(action="session.finalise").count() == 1


def test_a_finalised_session_is_no_longer_overdue(completed, admin_user):
    session = completed.candidate.session
    with time_machine.travel(timezone.now() + timezone.timedelta(days=30)):
        assert session.is_finalisation_overdue
        session_finalise(session=session, by=admin_user)
        session.refresh_from_db()
        assert not session.is_finalisation_overdue


def _wait_for_blocked_queries(count: int, timeout: float = 10.0) -> None:
    """Wait until `count` other connections are waiting for a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # the view is a snapshot within a transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError(f"{count} connections never waited for the lock")


@pytest.mark.django_db(transaction=True)
def test_two_administrators_finalising_at_once_finalise_exactly_once(session, start_test, admin_user, member_user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (select_for_update): the race is only meaningful on PostgreSQL")
    start_test(session, state=CertificationState.COMPLETED)
    errors: list[BaseException] = []

    def finalise(user) -> None:
        from django.db import connection as thread_connection

        try:
            session_finalise(session=Session.objects.get(pk=session.pk), by=user)
        except BaseException as error:
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=finalise, args=(user,)) for user in (admin_user, member_user)]
    # Hold the session row so both administrators are in flight at the same moment, then let go.
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)
        for thread in threads:
            thread.start()
        _wait_for_blocked_queries(2)
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    assert AuditEvent.objects.filter(action="session.finalise").count() == 1
    session.refresh_from_db()
    assert session.status == SessionStatus.FINALIZED
