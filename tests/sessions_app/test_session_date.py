"""A session is never scheduled in the past: refused at creation, and at edit unless the date is unchanged."""

import datetime as dt
from html import unescape

import pytest
import time_machine

from sessions_app.models import Session
from tests.factories import SessionFactory

TODAY = dt.date(2026, 3, 10)
# 23:30 UTC on the 9th is already the 10th in Paris: "today" is the centre's day, not the server's.
NOW = dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC)

FORM = {
    "address": "Collège Jean Moulin",
    "room": "B12",
    "time": "09:00",
    "examiner": "Mme Durand",
    "description": "",
}
PAST_AT_CREATION = (
    "Une session ne peut pas être programmée dans le passé : indiquez la date d'aujourd'hui ou une date à venir."
)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.mark.parametrize("day", ["2020-01-15", "15/01/2020", "2026-03-09"])
def test_a_session_dated_before_today_is_refused_at_creation(center_admin_client, day):
    response = center_admin_client.post("/sessions/creation", {**FORM, "date": day})
    assert response.status_code == 200
    html = text(response)
    assert PAST_AT_CREATION in html
    assert 'aria-describedby="id_date_error"' in html
    assert not Session.objects.exists()


@pytest.mark.parametrize("day", ["2026-03-10", "2026-03-11"])
def test_a_session_dated_today_or_later_is_created(center_admin_client, day):
    response = center_admin_client.post("/sessions/creation", {**FORM, "date": day})
    assert response.status_code == 302
    assert Session.objects.get().date == dt.date.fromisoformat(day)


def test_the_creation_form_date_picker_starts_today(center_admin_client):
    assert 'min="2026-03-10"' in text(center_admin_client.get("/sessions/creation"))


def test_editing_a_past_session_keeps_its_date(center_admin_client, center):
    session = SessionFactory(center=center, date=dt.date(2026, 3, 2), room="B12")
    data = {**FORM, "date": "2026-03-02", "room": "Salle 3"}
    response = center_admin_client.post(f"/sessions/{session.pk}/modification", data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.date, session.room) == (dt.date(2026, 3, 2), "Salle 3")


def test_a_session_cannot_be_moved_into_the_past(center_admin_client, center):
    session = SessionFactory(center=center, date=dt.date(2026, 3, 20))
    response = center_admin_client.post(f"/sessions/{session.pk}/modification", {**FORM, "date": "2026-03-09"})
    assert response.status_code == 200
    assert (
        "Une session ne peut pas être déplacée dans le passé : gardez sa date actuelle (20/03/2026) "
        "ou indiquez la date d'aujourd'hui ou une date à venir."
    ) in text(response)
    session.refresh_from_db()
    assert session.date == dt.date(2026, 3, 20)


def test_a_past_session_cannot_be_moved_to_another_past_day(center_admin_client, center):
    session = SessionFactory(center=center, date=dt.date(2026, 3, 2))
    response = center_admin_client.post(f"/sessions/{session.pk}/modification", {**FORM, "date": "2026-03-01"})
    assert "gardez sa date actuelle (02/03/2026)" in text(response)
    session.refresh_from_db()
    assert session.date == dt.date(2026, 3, 2)


def test_a_past_session_can_be_moved_to_a_coming_day(center_admin_client, center):
    session = SessionFactory(center=center, date=dt.date(2026, 3, 2))
    response = center_admin_client.post(f"/sessions/{session.pk}/modification", {**FORM, "date": "2026-03-12"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == dt.date(2026, 3, 12)


def test_the_edit_form_date_picker_allows_the_sessions_own_past_date(center_admin_client, center):
    session = SessionFactory(center=center, date=dt.date(2026, 3, 2))
    assert 'min="2026-03-02"' in text(center_admin_client.get(f"/sessions/{session.pk}/modification"))
