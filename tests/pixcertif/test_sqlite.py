"""SQLite as the embedded default: WAL, a busy timeout, immediate write transactions.

Two browsers writing at the same moment (an invigilator ticking boxes while another one polls and
ticks too) must both be served: no "database is locked", no "database table is locked".
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from invigilation.models import InvigilatorAccess
from pixcertif.core.models import AuditEvent
from sessions_app.models import Candidate
from tests.factories import CandidateFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking is what is tested")

ROUNDS = 15


def test_the_database_runs_in_wal_mode_with_a_busy_timeout_and_immediate_transactions(db):
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert connection.transaction_mode == "IMMEDIATE"


def test_two_invigilators_writing_at_once_through_the_views_both_succeed(transactional_db):
    session = SessionFactory()
    candidates = [CandidateFactory(session=session) for _ in range(2)]
    clients = []
    for _ in range(2):
        user = UserFactory()
        InvigilatorAccess.objects.create(user=user, session=session)
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(2)
    statuses: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def invigilate(i: int) -> None:
        from django.db import connection as thread_connection

        url = reverse("invigilation:presence", args=[session.pk, candidates[i].pk])
        listing = reverse("invigilation:candidate_list", args=[session.pk])
        try:
            barrier.wait(timeout=10)
            for round_ in range(ROUNDS):
                present = {"present": "1"} if round_ % 2 == 0 else {}
                statuses[i].append(clients[i].post(url, present, headers={"HX-Request": "true"}).status_code)
                statuses[i].append(clients[i].get(listing, headers={"HX-Request": "true"}).status_code)
        except BaseException as error:  # reported to the test, never swallowed
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=invigilate, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert statuses == [[200] * (2 * ROUNDS)] * 2
    # an odd number of rounds ends on "present": both boxes ticked, every change audited
    assert set(Candidate.objects.filter(session=session).values_list("authorized_to_start", flat=True)) == {True}
    assert AuditEvent.objects.filter(action="candidate.presence_confirmed").count() == 2 * ((ROUNDS + 1) // 2)
