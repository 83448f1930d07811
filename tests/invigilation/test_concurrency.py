"""Two invigilators acting at the same moment: the second is a harmless repeat.

PostgreSQL serialises them on the row (select_for_update); SQLite on the database file (every
atomic block begins IMMEDIATE, see settings).
"""

from __future__ import annotations

import threading

import pytest

from pixcertif.core.models import AuditEvent
from sessions_app.models import Candidate, CertificationState, IssueReport, LiveAlert, LiveAlertStatus
from sessions_app.services.certification import (
    candidate_set_presence,
    certification_end_by_invigilator,
    certification_start,
)
from sessions_app.services.live_alerts import live_alert_open, live_alert_validate
from tests.factories import (
    CandidateFactory,
    ProfileFactory,
    SessionFactory,
    UserFactory,
    certifiable_levels,
    make_bank,
)
from tests.invigilation.conftest import start


def run_together(action, count: int = 2) -> list[BaseException]:
    """Run `action(i)` in `count` threads released at the same moment; return their errors."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            action(i)
        except BaseException as error:  # reported to the test, never swallowed
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.fixture
def invigilators(transactional_db):
    return [UserFactory(), UserFactory()]


def test_two_invigilators_ending_the_same_test_end_it_once(invigilators):
    candidate = CandidateFactory(session=SessionFactory())
    certification = start(candidate)

    errors = run_together(lambda i: certification_end_by_invigilator(candidate=candidate, by=invigilators[i]))

    assert errors == []
    certification.refresh_from_db()
    assert certification.state == CertificationState.ENDED_BY_INVIGILATOR
    assert AuditEvent.objects.filter(action="certification.ended_by_invigilator").count() == 1


def test_two_invigilators_ticking_the_same_box_tick_it_once(invigilators):
    candidate = CandidateFactory(session=SessionFactory())

    errors = run_together(lambda i: candidate_set_presence(candidate=candidate, present=True, by=invigilators[i]))

    assert errors == []
    assert Candidate.objects.get(pk=candidate.pk).authorized_to_start is True
    assert AuditEvent.objects.filter(action="candidate.presence_confirmed").count() == 1


def test_two_invigilators_validating_the_same_alert_validate_it_once(invigilators):

    make_bank(levels=[1], per_level=4)
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(session=SessionFactory(), user=user)
    candidate_set_presence(candidate=candidate, present=True, by=invigilators[0])
    certification = certification_start(candidate=candidate, user=user)
    alert = live_alert_open(certification=certification, user=user, index=0, code="E1")
    before = certification.challenges.get(index=0).challenge_id

    errors = run_together(lambda i: live_alert_validate(alert=alert, by=invigilators[i]))

    assert errors == []
    assert LiveAlert.objects.get(pk=alert.pk).status == LiveAlertStatus.VALIDATED
    assert IssueReport.objects.filter(certification=certification).count() == 1
    assert AuditEvent.objects.filter(action="live_alert.validated").count() == 1
    replaced = certification.challenges.get(index=0).challenge_id
    assert replaced != before  # replaced once: a second replacement would have drawn yet another


def test_two_alerts_sent_at_once_make_one(invigilators):

    make_bank(levels=[1], per_level=3)
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(session=SessionFactory(), user=user)
    candidate_set_presence(candidate=candidate, present=True, by=invigilators[0])
    certification = certification_start(candidate=candidate, user=user)

    errors = run_together(lambda i: live_alert_open(certification=certification, user=user, index=0, code="E1"))

    assert errors == []
    assert LiveAlert.objects.filter(certification=certification).count() == 1
