"""The clock rules of the certification day, at their edges (time_machine, Europe/Paris).

15-minute authorisations; no first start 24 h after the session's first start; no resume 24 h
after the candidate's own start; tests start only on the session's date, from 1 h before its time.
"""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pixcertif.core.errors import DomainError
from pixcertif.core.models import AuditEvent
from sessions_app.models import Candidate, Certification
from sessions_app.services.certification import (
    candidate_authorize_resume,
    candidate_set_presence,
    certification_start,
)
from tests.factories import CandidateFactory, ProfileFactory, SessionFactory, UserFactory, certifiable_levels, make_bank

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.date(2026, 3, 12)


def at(hour: int, minute: int = 0, second: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=PARIS)


@pytest.fixture
def session(db):
    return SessionFactory(date=DAY, time=dt.time(9, 0))


def enrolled(session) -> Candidate:
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    return CandidateFactory(session=session, user=user)


@pytest.fixture
def candidate(session):
    make_bank(levels=[1])
    return enrolled(session)


def code_of(action) -> str:
    with pytest.raises(DomainError) as error:
        action()
    return error.value.code


def start(candidate) -> Certification:
    return certification_start(candidate=Candidate.objects.get(pk=candidate.pk), user=candidate.user)


# ---------------------------------------------------------------- 15-minute authorisation


def test_a_start_14_min_59_after_the_ticked_box_is_allowed(candidate):
    with time_machine.travel(at(9, 0), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
    with time_machine.travel(at(9, 14, 59), tick=False):
        assert start(candidate).started_at == at(9, 14, 59)


def test_a_start_15_min_01_after_the_ticked_box_is_refused_with_a_message_to_call_the_invigilator(candidate):
    with time_machine.travel(at(9, 0), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
    with time_machine.travel(at(9, 15, 1), tick=False), pytest.raises(DomainError) as error:
        start(candidate)
    assert error.value.code == "authorisation_expired"
    assert "Prévenez votre surveillant" in error.value.message
    assert not Certification.objects.filter(candidate=candidate).exists()


def test_ticking_an_expired_box_again_gives_15_new_minutes(candidate):
    with time_machine.travel(at(9, 0), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
    with time_machine.travel(at(9, 20), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
    with time_machine.travel(at(9, 34, 59), tick=False):
        start(candidate)
    assert AuditEvent.objects.filter(action="candidate.presence_renewed").count() == 1


def test_ticking_a_box_still_valid_again_changes_nothing(candidate):
    with time_machine.travel(at(9, 0), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
    with time_machine.travel(at(9, 5), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
    assert Candidate.objects.get(pk=candidate.pk).authorized_at == at(9, 0)
    assert AuditEvent.objects.filter(action__startswith="candidate.presence").count() == 1


def test_a_resume_authorisation_also_lasts_15_minutes(candidate):
    with time_machine.travel(at(9, 0), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        start(candidate)
    with time_machine.travel(at(9, 30), tick=False):
        candidate_authorize_resume(candidate=candidate, by=None)
    with time_machine.travel(at(9, 45, 1), tick=False):
        assert code_of(lambda: start(candidate)) == "authorisation_expired"
    with time_machine.travel(at(9, 46), tick=False):
        candidate_authorize_resume(candidate=candidate, by=None)  # expired: authorising again renews it
    with time_machine.travel(at(10, 0, 59), tick=False):
        start(candidate)
    assert AuditEvent.objects.filter(action="certification.resumed").count() == 1
    assert AuditEvent.objects.filter(action="candidate.resume_renewed").count() == 1


# ---------------------------------------------------------------- 24 hours


def test_a_first_start_24_h_01_after_the_sessions_first_start_is_refused(candidate, session):
    late, later = enrolled(session), enrolled(session)
    with time_machine.travel(at(9, 0), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        start(candidate)
    with time_machine.travel(at(8, 50, day=DAY + dt.timedelta(days=1)), tick=False):
        candidate_set_presence(candidate=late, present=True, by=None)
        candidate_set_presence(candidate=later, present=True, by=None)
    # The session's date has passed too: the 24 h rule is checked first, and is the one told.
    with time_machine.travel(at(8, 59, day=DAY + dt.timedelta(days=1)), tick=False):
        assert code_of(lambda: start(late)) == "wrong_day"
    with time_machine.travel(at(9, 1, day=DAY + dt.timedelta(days=1)), tick=False):
        assert code_of(lambda: start(later)) == "first_start_deadline_passed"


def test_the_24_hours_after_the_first_start_are_counted_within_the_session_date(db):
    """A session at 00:30: a first start at 00:30, another at 23:59 the same day is allowed."""
    make_bank(levels=[1])
    session = SessionFactory(date=DAY, time=dt.time(0, 30))
    first, last = enrolled(session), enrolled(session)
    with time_machine.travel(at(0, 30), tick=False):
        candidate_set_presence(candidate=first, present=True, by=None)
        start(first)
    with time_machine.travel(at(23, 59), tick=False):
        candidate_set_presence(candidate=last, present=True, by=None)
        start(last)
    assert Certification.objects.filter(candidate__session=session).count() == 2


def test_the_invigilator_cannot_tick_a_box_24_h_after_the_sessions_first_start(candidate, session):
    other = enrolled(session)
    with time_machine.travel(at(9, 0), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        start(candidate)
    with (
        time_machine.travel(at(9, 0, 1, day=DAY + dt.timedelta(days=1)), tick=False),
        pytest.raises(DomainError) as error,
    ):
        candidate_set_presence(candidate=other, present=True, by=None)
    assert error.value.code == "first_start_deadline_passed"
    assert error.value.message.startswith("Délai expiré")


def test_a_resume_23_h_59_after_the_candidates_start_is_allowed(candidate):
    with time_machine.travel(at(9, 0), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        start(candidate)
    with time_machine.travel(at(8, 50, day=DAY + dt.timedelta(days=1)), tick=False):
        candidate_authorize_resume(candidate=candidate, by=None)
    with time_machine.travel(at(8, 59, day=DAY + dt.timedelta(days=1)), tick=False):
        start(candidate)
    assert AuditEvent.objects.filter(action="certification.resumed").count() == 1


def test_a_resume_24_h_01_after_the_candidates_start_is_refused_on_both_sides(candidate):
    with time_machine.travel(at(9, 0), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        start(candidate)
    with time_machine.travel(at(8, 59, day=DAY + dt.timedelta(days=1)), tick=False):
        candidate_authorize_resume(candidate=candidate, by=None)
    with time_machine.travel(at(9, 0, 1, day=DAY + dt.timedelta(days=1)), tick=False):
        with pytest.raises(DomainError) as candidate_side:
            start(candidate)
        with pytest.raises(DomainError) as invigilator_side:
            candidate_authorize_resume(candidate=Candidate.objects.get(pk=candidate.pk), by=None)
    assert candidate_side.value.code == invigilator_side.value.code == "resume_deadline_passed"
    assert "plus de 24 heures" in candidate_side.value.message
    assert invigilator_side.value.message.startswith("Délai expiré")
    assert AuditEvent.objects.filter(action="certification.resumed").count() == 0


# ---------------------------------------------------------------- the session's date


def test_a_start_the_day_before_the_session_is_refused(candidate):
    with time_machine.travel(at(23, 59, day=DAY - dt.timedelta(days=1)), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        with pytest.raises(DomainError) as error:
            start(candidate)
    assert error.value.code == "wrong_day"
    assert "Cette session a lieu le 12/03/2026 à 09:00" in error.value.message
    assert not Certification.objects.filter(candidate=candidate).exists()


def test_a_start_the_day_after_the_session_is_refused(candidate):
    with time_machine.travel(at(9, 0, day=DAY + dt.timedelta(days=1)), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        assert code_of(lambda: start(candidate)) == "wrong_day"


def test_a_start_at_7_59_for_a_session_at_9_00_is_too_early_and_8_00_is_allowed(candidate):
    with time_machine.travel(at(7, 59), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        with pytest.raises(DomainError) as error:
            start(candidate)
    assert error.value.code == "wrong_day"
    assert "à partir de 08:00" in error.value.message
    with time_machine.travel(at(8, 0), tick=False):
        start(candidate)


def test_the_date_is_the_local_one_not_utc(candidate):
    """00:30 in Paris on the session's date is still the day before in UTC."""
    session = candidate.session
    session.time = dt.time(0, 30)
    session.save(update_fields=["time"])
    with time_machine.travel(at(0, 30), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        start(candidate)


def test_the_start_page_tells_a_candidate_who_joined_on_another_day(client, candidate):
    client.force_login(candidate.user)
    with time_machine.travel(at(10, 0, day=DAY - dt.timedelta(days=2)), tick=False):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        page = html.unescape(client.get(f"/certifications/candidat/{candidate.pk}").content.decode())
        assert "Cette session a lieu le 12/03/2026 à 09:00" in page
        posted = client.post(f"/certifications/candidat/{candidate.pk}", {"access_code": candidate.session.access_code})
    assert "Cette session a lieu le 12/03/2026 à 09:00" in html.unescape(posted.content.decode())
    assert not Certification.objects.filter(candidate=candidate).exists()
