"""The PostgreSQL backend (pixcertif/core/postgresql/base.py): its health check, skipped on a
connection that served a request without error less than HEALTH_CHECK_AFTER ago, done otherwise;
its timestamps, read by psycopg's own loader as UTC datetimes."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.signals import request_finished
from django.db import connection, connections

from pixcertif.core.postgresql import base

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the backend of PostgreSQL connections"),
]


@pytest.fixture
def checks(monkeypatch) -> list[bool]:
    """Every health check made (`is_usable`'s SELECT 1), and a request's start as Django sees it."""
    made: list[bool] = []
    real = connection.is_usable

    def counted() -> bool:
        made.append(True)
        return real()

    monkeypatch.setattr(connection, "is_usable", counted)
    connection.ensure_connection()
    connection.health_check_done = False  # what Django does when a request starts
    return made


def _a_request_that_queries() -> None:
    connection.health_check_done = False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
    base._served()  # the end of the request (Django's own receiver would close a test's connection)


def test_the_settings_pick_the_backend():
    assert isinstance(connections["default"], base.DatabaseWrapper)
    assert connection.health_check_enabled
    assert request_finished.disconnect(dispatch_uid="pixcertif.core.postgresql.served")  # it listens
    request_finished.connect(base._served, dispatch_uid="pixcertif.core.postgresql.served")


def test_a_connection_that_just_served_a_request_is_not_checked_again(checks, monkeypatch):
    monkeypatch.setattr(base, "HEALTH_CHECK_AFTER", 3600.0)  # "just now", however slow the machine
    _a_request_that_queries()
    assert connection.served_at is not None
    checks.clear()
    connection.health_check_done = False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 3")
    assert checks == []
    assert connection.health_check_done


def test_an_idle_connection_is_checked(checks):
    _a_request_that_queries()
    connection.served_at = time.monotonic() - base.HEALTH_CHECK_AFTER - 0.01
    checks.clear()
    connection.health_check_done = False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 4")
    assert checks == [True]


def test_a_request_without_query_proves_nothing(checks):
    _a_request_that_queries()
    connection.served_at = served = time.monotonic() - 10
    base._served()  # the end of a request that made no query
    assert connection.served_at == served


def test_a_connection_with_an_error_is_checked(checks):
    _a_request_that_queries()
    before = connection.served_at
    connection.errors_occurred = True  # a query of this request failed (not a data or integrity error)
    try:
        checks.clear()
        connection.health_check_done = False
        connection.close_if_health_check_failed()
        assert checks == [True]
        connection.queried = True
        base._served()  # a request with an error proves nothing either
        assert connection.served_at == before
    finally:
        connection.errors_occurred = False


def test_a_closed_connection_starts_afresh():
    connection.served_at = time.monotonic()
    connection.close()
    assert connection.served_at is None


def test_timestamps_are_read_by_psycopgs_loader_as_utc_datetimes():
    from django.utils import timezone

    from sessions_app.models import Session
    from tests.factories import SessionFactory

    when = datetime(2026, 6, 1, 7, 30, 15, 123456, tzinfo=UTC)
    session = SessionFactory(started_at=when)
    with connection.cursor() as cursor:
        assert cursor.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, 0) is base.UtcTimestampLoader
        cursor.execute("SELECT %s::timestamptz, NULL::timestamptz, '2026-06-01 09:30:15.5+02'::timestamptz", [when])
        read, empty, offset = cursor.fetchone()
    assert (read, empty, offset) == (when, None, when.replace(microsecond=500000))
    assert read.tzinfo is UTC and offset.tzinfo is UTC
    assert Session.objects.get(pk=session.pk).started_at == when
    listed = Session.objects.filter(started_at__gte=when - timedelta(seconds=1)).values_list("started_at", flat=True)
    assert [value.tzinfo for value in listed] == [UTC]
    assert timezone.is_aware(read)


def test_a_connection_moved_to_another_time_zone_still_reads_utc():
    """Django keeps its connections in UTC; one changed by hand reads the same instants, in UTC."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'Europe/Paris'")
        with connection.cursor() as cursor:
            cursor.execute("SELECT '2026-06-01 12:00:00+02'::timestamptz")
            (value,) = cursor.fetchone()
        assert value == datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
        assert value.tzinfo is UTC
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
