"""Finalisation reminders: 24 h and 44 h after the session's start, never twice, safe on two servers."""

import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction

from finalisation.models import FinalisationReminder
from finalisation.reminders import reminders_send
from pixcertif.accounts.models import Membership
from pixcertif.core.models import AuditEvent
from sessions_app.models import Session, SessionStatus
from tests.factories import MembershipFactory, SessionFactory
from tests.finalisation.test_session_finalise import _wait_for_blocked_queries

PARIS = dt.timezone(dt.timedelta(hours=1))  # March: winter time
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)


def at(hours: float, minutes: float = 0):
    return time_machine.travel(START + dt.timedelta(hours=hours, minutes=minutes), tick=False)


@pytest.fixture
def started(center, admin_user, member_user):
    """A session of 2 March 2026 at 09:00 (Paris) whose first test started at 09:05."""
    second_admin = MembershipFactory(center=center, role=Membership.Role.ADMIN, user__email="admin2@college.test")
    assert second_admin
    return SessionFactory(
        center=center, date=START.date(), time=dt.time(9, 0), started_at=START + dt.timedelta(minutes=5)
    )


def sent_kinds(session):
    return list(FinalisationReminder.objects.filter(session=session).order_by("sent_at").values_list("kind", flat=True))


def test_nothing_is_sent_at_23_h_59(started):
    with at(24, -1 + 5):  # 23 h 59 after the first start
        assert reminders_send() == []
    assert mail.outbox == [] and sent_kinds(started) == []


def test_one_reminder_goes_to_every_admin_at_24_h(started):
    with at(24, 5):
        sent = reminders_send()
    assert [r.kind for r in sent] == ["24h"]
    assert sorted(m.to[0] for m in mail.outbox) == ["admin2@college.test", "admin@college.test"]  # not the member
    message = mail.outbox[0]
    assert f"session de certification n° {started.pk}" in message.body
    assert "04/03/2026 à 09:05" in message.body  # the deadline, 48 h after the start
    assert f"/sessions/{started.pk}/finalisation" in message.body
    reminder = FinalisationReminder.objects.get(session=started)
    assert reminder.recipients == ["admin2@college.test", "admin@college.test"]
    assert AuditEvent.objects.get(action="session.finalisation_reminder").data["kind"] == "24h"


def test_running_twice_still_sends_one(started):
    with at(24, 5):
        reminders_send()
        reminders_send()
    with at(30):
        reminders_send()
    assert sent_kinds(started) == ["24h"]
    assert len(mail.outbox) == 2  # one per admin, once


def test_the_second_reminder_goes_at_44_h_once(started):
    with at(24, 10):
        reminders_send()
    with at(44, 4):
        reminders_send()
    assert sent_kinds(started) == ["24h"]
    with at(44, 5):
        reminders_send()
        reminders_send()
    with at(47):
        reminders_send()
    assert sent_kinds(started) == ["24h", "44h"]
    assert len(mail.outbox) == 4


def test_a_late_first_run_sends_only_the_44_h_reminder(started):
    with at(45):
        reminders_send()
    assert sent_kinds(started) == ["44h"]


def test_nothing_is_sent_once_the_48_h_are_over(started):
    with at(48, 5):
        reminders_send()
    assert sent_kinds(started) == [] and mail.outbox == []


def test_a_finalised_session_gets_no_reminder(started):
    Session.objects.filter(pk=started.pk).update(status=SessionStatus.FINALIZED, finalized_at=START)
    with at(24, 10):
        reminders_send()
    with at(44, 10):
        reminders_send()
    assert sent_kinds(started) == [] and mail.outbox == []


def test_a_session_nobody_started_gets_no_reminder(center, admin_user):
    session = SessionFactory(center=center, date=START.date(), time=dt.time(9, 0))
    with at(25):
        reminders_send()
    assert sent_kinds(session) == []


def test_the_reference_is_the_first_start_when_it_came_later_than_planned(center, admin_user):
    session = SessionFactory(
        center=center, date=START.date(), time=dt.time(9, 0), started_at=START + dt.timedelta(hours=2)
    )
    with at(25):
        reminders_send()
    assert sent_kinds(session) == []
    with at(26):
        reminders_send()
    assert sent_kinds(session) == ["24h"]


def test_the_command_reports_what_it_sent(started):
    out = io.StringIO()
    with at(24, 10):
        call_command("send_reminders", stdout=out)
    assert f"session {started.pk}: rappel 24h" in out.getvalue() and "1 rappel(s) envoyé(s)." in out.getvalue()


def test_the_database_refuses_a_second_row_of_one_kind(started):
    from django.db import IntegrityError

    FinalisationReminder.objects.create(session=started, kind="24h")
    with pytest.raises(IntegrityError), transaction.atomic():
        FinalisationReminder.objects.create(session=started, kind="24h")


@pytest.mark.django_db(transaction=True)
def test_two_servers_running_at_once_send_one_reminder(started):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (select_for_update): the race is only meaningful on PostgreSQL")
    errors: list[BaseException] = []

    def run() -> None:
        from django.db import connection as thread_connection

        try:
            reminders_send(now=START + dt.timedelta(hours=24, minutes=10))
        except BaseException as error:
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    # Hold the session row so both runs are in flight at the same moment, then let go.
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=started.pk)
        for thread in threads:
            thread.start()
        _wait_for_blocked_queries(2)
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    assert sent_kinds(started) == ["24h"]
    assert len(mail.outbox) == 2  # one per admin, once
