"""The candidate's live test page: "Signaler un problème avec la question", the waiting screen,
the heartbeat, and leaving the page (more than two minutes without a heartbeat needs a resume)."""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from pixcertif.core.models import AuditEvent
from sessions_app.models import Certification, LiveAlert
from sessions_app.services.certification import (
    candidate_authorize_resume,
    candidate_set_presence,
    certification_end_by_invigilator,
)
from sessions_app.services.live_alerts import live_alert_refuse, live_alert_validate
from tests.factories import CandidateFactory, ProfileFactory, SessionFactory, UserFactory, certifiable_levels, make_bank

PARIS = ZoneInfo("Europe/Paris")
T0 = dt.datetime(2026, 3, 12, 9, 0, tzinfo=PARIS)


def at(seconds: float):
    return time_machine.travel(T0 + dt.timedelta(seconds=seconds), tick=False)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def candidate(db):
    make_bank(levels=[1], per_level=4)
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    return CandidateFactory(session=SessionFactory(date=T0.date(), time=dt.time(9, 0)), user=user)


@pytest.fixture
def certification(client, candidate) -> Certification:
    """Started in this browser at T0."""
    client.force_login(candidate.user)
    with at(0):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        client.post(
            reverse("certifications:start", args=[candidate.pk]), {"access_code": candidate.session.access_code}
        )
    return Certification.objects.get(candidate=candidate)


def enter_code(client, candidate):
    return client.post(
        reverse("certifications:start", args=[candidate.pk]), {"access_code": candidate.session.access_code}
    )


def page_url(certification) -> str:
    return reverse("certifications:test", args=[certification.pk])


def ping(client, certification):
    return client.post(reverse("certifications:heartbeat", args=[certification.pk]))


def report(client, certification, code="E1", index=0):
    return client.post(reverse("certifications:report", args=[certification.pk]), {"code": code, "index": index})


# ---------------------------------------------------------------- alerts


def test_every_question_offers_to_report_a_problem(client, certification):
    with at(10):
        body = text(client.get(page_url(certification)))
    assert "Signaler un problème avec la question" in body
    assert reverse("certifications:report", args=[certification.pk]) in body


def test_the_categories_are_worded_for_a_pupil(client, certification):
    with at(10):
        body = text(client.get(reverse("certifications:report", args=[certification.pk])))
    assert "Signaler un problème avec la question 1" in body
    assert "L'image ne s'affiche pas" in body and "Le site à visiter est indisponible" in body
    assert "Le candidat bénéficie" not in body  # the finalisation wording is for the school


def test_reporting_shows_the_waiting_screen_until_the_invigilator_answers(client, certification):
    with at(10):
        response = report(client, certification, "E4")
        assert response.url == page_url(certification)
        body = text(client.get(page_url(certification)))
    assert "Votre surveillant a été prévenu" in body
    assert "Vous avez signalé un problème sur la question 1 : « Le site à visiter est indisponible »." in body
    assert "data-live-ping" in body and 'http-equiv="refresh"' in body  # updates itself, with or without JS
    assert 'name="answer"' not in body


def test_a_category_that_does_not_exist_is_a_clear_error(client, certification):
    with at(10):
        response = report(client, certification, "E99")
    assert response.status_code == 400
    assert "Choisissez le problème rencontré dans la liste." in text(response)
    assert not LiveAlert.objects.exists()


def test_a_report_on_another_question_than_the_current_one_changes_nothing(client, certification):
    with at(10):
        response = report(client, certification, "E1", index=5)
    assert response.status_code == 302
    assert not LiveAlert.objects.exists()


def test_a_second_report_while_one_is_open_goes_back_to_the_waiting_screen(client, certification):
    with at(10):
        report(client, certification, "E1")
        response = client.get(reverse("certifications:report", args=[certification.pk]))
    assert response.url == page_url(certification)
    assert LiveAlert.objects.count() == 1


def test_a_report_after_the_test_ended_is_refused(client, certification, candidate):
    certification_end_by_invigilator(candidate=candidate, by=None)
    with at(10):
        report(client, certification, "E1")
    assert not LiveAlert.objects.exists()


def test_validated_the_candidate_gets_a_new_question_and_is_told(client, certification):
    with at(10):
        report(client, certification, "E1")
        before = certification.challenges.get(index=0).challenge.instruction
        live_alert_validate(alert=LiveAlert.objects.get(), by=UserFactory())
        body = text(client.get(page_url(certification)))
    assert "Question 1 / 15" in body
    assert "la question a été remplacée par une autre question" in body
    assert before not in body


def test_refused_the_candidate_goes_back_to_the_same_question(client, certification):
    with at(10):
        report(client, certification, "E1")
        live_alert_refuse(alert=LiveAlert.objects.get(), by=UserFactory())
        body = text(client.get(page_url(certification)))
    assert "Question 1 / 15" in body and "Votre surveillant a refusé votre signalement" in body


def test_the_heartbeat_token_changes_when_the_alert_is_handled(client, certification):
    with at(10):
        report(client, certification, "E1")
        waiting = ping(client, certification).json()["token"]
    with at(12):
        live_alert_refuse(alert=LiveAlert.objects.get(), by=UserFactory())
        assert ping(client, certification).json()["token"] != waiting  # the page reloads itself


def test_the_heartbeat_token_changes_when_the_invigilator_ends_the_test(client, certification, candidate):
    with at(10):
        token = ping(client, certification).json()["token"]
        certification_end_by_invigilator(candidate=candidate, by=None)
        assert ping(client, certification).json()["token"] != token


# ---------------------------------------------------------------- heartbeat and leaving


def test_a_heartbeat_writes_the_time_at_most_every_30_seconds(client, certification, django_assert_max_num_queries):
    with at(5):
        ping(client, certification)
    with at(20), django_assert_max_num_queries(3):  # login session, user, the test: no write
        ping(client, certification)
    certification.refresh_from_db()
    assert certification.last_seen_at == T0 + dt.timedelta(seconds=5)
    with at(40):
        ping(client, certification)
    certification.refresh_from_db()
    assert certification.last_seen_at == T0 + dt.timedelta(seconds=40)


def test_a_reopened_browser_after_3_minutes_away_needs_the_invigilator(client, certification, candidate):
    with at(5):
        ping(client, certification)  # the page was open, then the browser closed
    with at(5 + 180):  # Chromium restores its cookies: the login session is still there
        response = client.get(page_url(certification))
    assert response.url == reverse("certifications:start", args=[candidate.pk])
    with at(5 + 181):
        body = text(client.get(response.url))
    assert "Votre surveillant doit autoriser la reprise de votre test" in body
    assert "Vous allez reprendre votre test de certification" in body
    assert AuditEvent.objects.filter(action="certification.left").count() == 1
    with at(5 + 200):
        candidate_authorize_resume(candidate=candidate, by=None)
        client.post(
            reverse("certifications:start", args=[candidate.pk]), {"access_code": candidate.session.access_code}
        )
        assert "Question 1 / 15" in text(client.get(page_url(certification)))


def test_a_page_that_keeps_pinging_goes_on_without_the_invigilator(client, certification):
    for second in range(5, 600, 50):
        with at(second):
            assert ping(client, certification).json()["token"] == "started.0"
    with at(600):
        assert "Question 1 / 15" in text(client.get(page_url(certification)))


def test_a_heartbeat_after_more_than_two_minutes_of_silence_says_the_page_was_left(client, certification):
    with at(5):
        ping(client, certification)
    with at(5 + 125):  # a computer asleep, then woken up
        assert ping(client, certification).json()["token"] == "left"


def test_without_javascript_nothing_pings_and_leaving_is_not_detected(client, certification):
    with at(60 * 30):
        assert "Question 1 / 15" in text(client.get(page_url(certification)))


def test_an_answer_after_the_page_was_left_is_not_recorded(client, certification, candidate):
    with at(5):
        ping(client, certification)
    with at(200):
        response = client.post(
            reverse("certifications:answer", args=[certification.pk]), {"index": 0, "action": "skip"}
        )
    assert response.status_code == 302
    assert certification.challenges.get(index=0).result == ""


def test_another_accounts_heartbeat_is_a_404(client, certification):
    client.force_login(UserFactory())
    with at(10):
        assert ping(client, certification).status_code == 404
        assert client.get(reverse("certifications:report", args=[certification.pk])).status_code == 404


def test_a_heartbeat_is_a_post(client, certification):
    with at(10):
        assert client.get(reverse("certifications:heartbeat", args=[certification.pk])).status_code == 405


def test_answers_show_the_page_is_open_as_pings_do(client, certification):
    """A pupil who answers every minute is not taken for gone, though the page pinged long ago;
    the pings a recent answer made needless are not written."""
    with at(5):
        ping(client, certification)
    for index, second in enumerate(range(60, 400, 60)):
        with at(second):
            client.post(reverse("certifications:answer", args=[certification.pk]), {"index": index, "action": "skip"})
    certification.refresh_from_db()
    assert certification.current_index == 6
    assert certification.last_seen_at == T0 + dt.timedelta(seconds=5)  # no ping since: the answers count
    with at(370):
        assert ping(client, certification).json()["token"] == "started.0"
    certification.refresh_from_db()
    assert certification.last_seen_at == T0 + dt.timedelta(seconds=5)  # answered 10 s before: not written
    with at(360 + 125):  # then silence: neither a ping nor an answer for over two minutes
        assert ping(client, certification).json()["token"] == "left"
