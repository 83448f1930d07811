"""The clock rules of the certification day, read from `settings.CERTIFICATION_CLOCK`.

- a presence authorisation (ticked box, "Autoriser la reprise du test") is valid 15 minutes;
- no first start later than 24 h after the session's first start;
- no resume later than 24 h after the candidate's own start ("Délai expiré");
- tests start only on the session's date (Europe/Paris), from 1 h before its start time.

Pure functions of plain values (the invigilator's list calls them on every row it renders);
the services enforce them, the list shows them as tags.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import overload

from django.conf import settings
from django.utils import timezone


def setting(name: str) -> timedelta:
    return settings.CERTIFICATION_CLOCK[name]


def authorisation_expires_at(authorized_at: datetime) -> datetime:
    return authorized_at + setting("AUTHORISATION_VALIDITY")


def is_authorisation_expired(authorized_at: datetime | None, now: datetime) -> bool:
    """An authorisation without a time (never given) counts as expired."""
    return authorized_at is None or now >= authorisation_expires_at(authorized_at)


@overload
def first_start_deadline(session_started_at: datetime) -> datetime: ...
@overload
def first_start_deadline(session_started_at: None) -> None: ...
def first_start_deadline(session_started_at: datetime | None) -> datetime | None:
    """After this instant no test of the session may start for the first time (None: none started)."""
    return session_started_at + setting("FIRST_START_LIMIT") if session_started_at else None


def resume_deadline(certification_started_at: datetime) -> datetime:
    return certification_started_at + setting("RESUME_LIMIT")


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def start_window(session_date: date, session_time: time) -> tuple[datetime, datetime]:
    """[opens, closes): from 1 h before the start time, but never before the session's date
    begins, to the end of the session's date (local time)."""
    day_start = _local(session_date, time(0, 0))
    opens = max(_local(session_date, session_time) - setting("EARLIEST_START_BEFORE"), day_start)
    closes = _local(session_date + timedelta(days=1), time(0, 0))
    return opens, closes


def minutes_between(earlier: datetime, later: datetime) -> int:
    """Whole minutes from `earlier` to `later`, counted on minute boundaries (local clock), so that
    every label of a list changes at the same instants: 09:58:59 → 10:00:01 is "2 min"."""
    return max(int(later.timestamp() // 60) - int(earlier.timestamp() // 60), 0)


def next_minute(now: datetime) -> datetime:
    return datetime.fromtimestamp((int(now.timestamp() // 60) + 1) * 60, tz=now.tzinfo)
