"""Is the candidate's test page still open? The page pings the server (a heartbeat) while it is
shown; the time of the last ping is written at most every `HEARTBEAT_WRITE_EVERY`, so a ping
usually costs one read. A page silent for more than `LEFT_TEST_AFTER` was left (browser or tab
closed, computer asleep or off): the browser's "started here" mark no longer holds and going on
needs the invigilator's "Autoriser la reprise du test".

What it cannot see: a page without JavaScript never pings (`last_seen_at` stays empty), so for it
leaving is not detected and the login session's mark still lets it go on, as before.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction

from pixcertif.accounts.models import Actor
from pixcertif.core.audit import audit_record
from pixcertif.core.rows import cursor as hot_cursor
from sessions_app import clock
from sessions_app.models import Certification, CertificationState


def _last_sign(last_seen_at: datetime, last_answered_at: datetime | None) -> datetime:
    """An answer comes from the open page too: the later of the last ping and the last answer."""
    return max(last_seen_at, last_answered_at) if last_answered_at else last_seen_at


def has_left(last_seen_at: datetime | None, now: datetime, last_answered_at: datetime | None = None) -> bool:
    """True when the test page pinged once and then fell silent (no ping, no answer) for longer
    than allowed."""
    if last_seen_at is None:
        return False
    return now - _last_sign(last_seen_at, last_answered_at) > clock.setting("LEFT_TEST_AFTER")


def needs_write(last_seen_at: datetime | None, now: datetime, last_answered_at: datetime | None = None) -> bool:
    """The first ping is always written (it marks a page that pings); later ones only when neither
    a ping nor an answer was recorded within HEARTBEAT_WRITE_EVERY."""
    if last_seen_at is None:
        return True
    return now - _last_sign(last_seen_at, last_answered_at) >= clock.setting("HEARTBEAT_WRITE_EVERY")


def page_token(state: str, open_alert_id: int | None) -> str:
    """What the candidate's page was drawn from: when the server's differs, the page reloads
    (the invigilator ended the test, handled the alert, the session was finalised…)."""
    return f"{state}.{open_alert_id or 0}"


def certification_seen(*, certification_id: int, now: datetime) -> None:
    """Record a heartbeat (the caller checked `needs_write`). One UPDATE, no lock: the latest wins."""
    table, quote = Certification._meta.db_table, connection.ops.quote_name
    with hot_cursor() as cursor:  # hand-written: every open test page, every 40 s at most
        cursor.execute(
            f"UPDATE {quote(table)} SET last_seen_at = %s WHERE id = %s AND state = %s",  # noqa: S608 - the model's table
            [connection.ops.adapt_datetimefield_value(now), certification_id, CertificationState.STARTED.value],
        )


def certification_left(*, certification: Certification, by: Actor, silent_since: datetime) -> None:
    """The test page was left: audit it and forget the heartbeat (the next page starts afresh)."""
    with transaction.atomic():
        updated = Certification.objects.filter(pk=certification.pk, last_seen_at=silent_since).update(last_seen_at=None)
        if updated:
            candidate = certification.candidate
            audit_record(
                action="certification.left",
                by=by,
                session=candidate.session,
                candidate=candidate,
                silent_since=silent_since.isoformat(),
            )
