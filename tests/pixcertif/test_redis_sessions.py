"""Login sessions off the hot path: with REDIS_URL, `cached_db` sessions read from Redis.

`.ci/run` runs the whole suite a third time with REDIS_URL set, so these run there."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

redis_only = pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set (.ci/run sets it)")


@redis_only
def test_with_redis_a_logged_in_request_reads_no_session_row(client, db):
    user = UserFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/certifications")
    assert response.status_code == 200
    assert response.context["user"] == user
    assert not [q for q in queries.captured_queries if "loginsession" in q["sql"]]


@redis_only
def test_with_redis_the_session_is_still_written_to_the_database(client, db):
    from pixcertif.accounts.models import LoginSession

    user = UserFactory()
    client.force_login(user)
    assert LoginSession.objects.filter(session_key=client.session.session_key, user=user).exists()


def test_the_session_engine_follows_redis_url():
    expected = "login_sessions_cached" if settings.REDIS_URL else "login_sessions"
    assert settings.SESSION_ENGINE.endswith(expected)
    assert ("RedisCache" in settings.CACHES["default"]["BACKEND"]) == bool(settings.REDIS_URL)
