"""Django's PostgreSQL backend (ENGINE when DATABASE_URL is postgres://), with a cheaper health
check and psycopg's own reading of timestamps.

Connections persist (CONN_MAX_AGE) and are health-checked (CONN_HEALTH_CHECKS): before a request's
first query Django sends `SELECT 1` on a reused connection, so that a connection PostgreSQL closed
in the meantime (a restart, a failover, an idle timeout, a proxy's) is replaced instead of failing
the request. That check is one more round trip on every request; on the candidate's path it was
one in five to ten of the request's queries (and its CPU on both sides).

Here the check is skipped when the connection served the previous request of this worker
successfully less than HEALTH_CHECK_AFTER seconds ago: a worker that is busy (the national exam
day) pays no check, an idle one checks as before. What it risks: PostgreSQL restarting within that
second. A request that arrives in that window fails its first query (a 500, as every request
made during the restart does) and its connection, marked by the error, is closed at the end of the
request (Django's own rule: `errors_occurred`); the next request connects afresh.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.core.signals import request_finished
from django.db import connections
from django.db.backends.postgresql import base
from psycopg import adapt, adapters
from psycopg.abc import AdaptContext
from psycopg.postgres import types
from psycopg.pq import Format

HEALTH_CHECK_AFTER = 1.0  # seconds since the connection last served a request without error


TIMESTAMPTZ_OID = types["timestamptz"].oid
PSYCOPG_LOADER = adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)  # psycopg's own (before Django's)


class UtcTimestampLoader(adapt.Loader):
    """`timestamptz` as UTC datetimes, parsed by psycopg's default loader (C with psycopg-binary)."""

    timezone = UTC  # what Django's `create_cursor` compares with its own (no copy per cursor)

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        self._load = PSYCOPG_LOADER(oid, context).load  # type: ignore[misc]

    def load(self, data: Any) -> datetime:
        value = self._load(data)
        return value if value.tzinfo is UTC else value.astimezone(UTC)


@cache
def _utc_adapters(template: adapt.AdaptersMap) -> adapt.AdaptersMap:
    """Django's adapters (cached by Django, shared) with the UTC timestamp loader, once per process."""
    context = adapt.AdaptersMap(template)
    context.register_loader(TIMESTAMPTZ_OID, UtcTimestampLoader)
    return context


class DatabaseWrapper(base.DatabaseWrapper):
    served_at: float | None = None  # time.monotonic() at the end of the last request that queried without error
    queried: bool = False  # a cursor was taken since the last end of request
    health_check_done: bool  # Django's (not in the stubs)

    def close_if_health_check_failed(self) -> None:
        """Called by Django each time a cursor is taken, before it connects if need be."""
        self.queried = True
        if (
            self.connection is not None
            and not self.health_check_done
            and not self.errors_occurred
            and self.served_at is not None
            and time.monotonic() - self.served_at < HEALTH_CHECK_AFTER
        ):
            self.health_check_done = True  # proven alive by the previous request, just now
            return
        super().close_if_health_check_failed()

    def close(self) -> None:
        self.served_at = None
        super().close()

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        if self.timezone is UTC and "context" in params:
            params["context"] = _utc_adapters(params["context"])
        return params


def _served(**_kwargs: Any) -> None:
    """After Django's own end-of-request check (`close_old_connections`, connected first): each
    connection that queried in this request, is still open and had no error, has just served it
    (a request that made no query proves nothing: its connection keeps its older time)."""
    for connection in connections.all(initialized_only=True):
        if not isinstance(connection, DatabaseWrapper):
            continue
        if connection.queried and connection.connection is not None and not connection.errors_occurred:
            connection.served_at = time.monotonic()
        connection.queried = False


request_finished.connect(_served, dispatch_uid="pixcertif.core.postgresql.served")
