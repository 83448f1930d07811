"""The live day on the invigilator's list: alerts first, activity, clock tags, all in the polled
fragment with its 304 path; "Gérer le signalement" and "Saisir un incident"."""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from invigilation.models import InvigilatorAccess
from pixcertif.core.models import AuditEvent
from sessions_app.models import (
    Certification,
    CertificationChallenge,
    IssueReport,
    IssueReportSource,
    LiveAlert,
    LiveAlertStatus,
)
from sessions_app.services.certification import candidate_set_presence, certification_start
from sessions_app.services.live_alerts import live_alert_open
from tests.factories import (
    CandidateFactory,
    ProfileFactory,
    SessionFactory,
    UserFactory,
    certifiable_levels,
    make_bank,
)
from tests.invigilation.conftest import finalize

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.date(2026, 3, 12)
T0 = dt.datetime(2026, 3, 12, 9, 0, 30, tzinfo=PARIS)


def at(minutes: float):
    return time_machine.travel(T0 + dt.timedelta(minutes=minutes), tick=False)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def session(center):
    return SessionFactory(center=center, date=DAY, time=dt.time(9, 0))


@pytest.fixture
def bank(db):
    return make_bank(levels=[1], per_level=4)


def taker(session, last_name: str):
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    return CandidateFactory(session=session, user=user, last_name=last_name, first_name="Léa")


def started(session, last_name: str = "Zola"):
    """A test started at T0 (the session's date and hour)."""
    with at(0):
        candidate = taker(session, last_name)
        candidate_set_presence(candidate=candidate, present=True, by=None)
        return certification_start(candidate=candidate, user=candidate.user)


def fragment(client, session, etag: str = ""):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(reverse("invigilation:candidate_list", args=[session.pk]), **headers)


def alert_url(session, alert) -> str:
    return reverse("invigilation:alert", args=[session.pk, alert.pk])


# ---------------------------------------------------------------- the list


def test_a_candidate_with_an_open_alert_comes_first_with_a_badge_and_the_header_counts_it(
    invigilator_client, session, bank
):
    with at(0):
        CandidateFactory(session=session, last_name="Abel")
        certification = started(session, "Zola")
        alert = live_alert_open(certification=certification, user=certification.user, index=0, code="E1")
        body = text(invigilator_client.get(reverse("invigilation:session", args=[session.pk])))
    assert body.index("ZOLA Léa") < body.index("ABEL")
    assert "Signalement en cours — question 1" in body
    assert "1 signalement en cours" in body
    summary = body[body.index('class="live-summary"') :]
    assert "1 en cours · 0 terminés · 1 signalement" in summary, summary[:200]
    menu = body[body.index("ZOLA Léa") :]
    assert menu.index("Gérer le signalement") < menu.index("Autoriser la reprise du test")
    assert f'data-alert-action="{alert_url(session, alert)}"' in body
    assert 'id="dialog-alert"' in body and "Valider le signalement" in body and "Refuser le signalement" in body


def test_each_started_row_shows_when_the_candidate_last_answered(invigilator_client, session, bank):
    with at(0):
        certification = started(session)
    CertificationChallenge.objects.filter(certification=certification, index=0).update(
        answered_at=T0, result="ok", answer="1"
    )
    Certification.objects.filter(pk=certification.pk).update(last_answered_at=T0)  # as the answer service does
    with at(2):
        assert "Dernière réponse il y a 2 min" in text(fragment(invigilator_client, session))
    with at(0.2):
        assert "Dernière réponse à l'instant" in text(fragment(invigilator_client, session))


def test_a_candidate_without_an_answer_for_10_minutes_is_tagged_inactive(invigilator_client, session, bank):
    with at(0):
        started(session)
    with at(9.4):
        assert "Inactif depuis" not in text(fragment(invigilator_client, session))
    with at(10):
        assert "Inactif depuis 10 min" in text(fragment(invigilator_client, session))


def test_the_passing_minute_reaches_the_page_without_making_every_poll_a_200(invigilator_client, session, bank):
    with at(0):
        started(session)
        etag = fragment(invigilator_client, session)["ETag"]
    with at(0.4):  # same minute, nothing written: the copy is right
        assert fragment(invigilator_client, session, etag).status_code == 304
    with at(0.6):  # the next minute: labels may turn, the list comes again
        again = fragment(invigilator_client, session, etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_a_list_where_nothing_depends_on_the_time_stays_304(invigilator_client, session):
    with at(0):
        CandidateFactory(session=session)
        etag = fragment(invigilator_client, session)["ETag"]
    with at(60 * 5):
        assert fragment(invigilator_client, session, etag).status_code == 304


def test_an_alert_is_a_change(invigilator_client, session, bank):
    with at(0):
        certification = started(session)
        etag = fragment(invigilator_client, session)["ETag"]
    with at(0.1):  # the same minute
        live_alert_open(certification=certification, user=certification.user, index=0, code="E4")
        assert fragment(invigilator_client, session, etag).status_code == 200


def test_an_answer_is_a_change(invigilator_client, session, bank):
    from sessions_app.services.certification import certification_answer

    with at(0):
        certification = started(session)
        etag = fragment(invigilator_client, session)["ETag"]
    with at(0.1):  # the same minute
        certification_answer(certification=certification, user=certification.user, index=0, skip=True)
        assert fragment(invigilator_client, session, etag).status_code == 200


def test_a_ticked_box_shows_as_expired_after_15_minutes_so_it_can_be_ticked_again(invigilator_client, session):
    candidate = CandidateFactory(session=session, last_name="Durand")
    with at(0):
        candidate_set_presence(candidate=candidate, present=True, by=None)
        etag = fragment(invigilator_client, session)["ETag"]
        assert f'id="presence-{candidate.pk}" name="present" value="1" checked' in text(
            fragment(invigilator_client, session)
        )
    with at(14.9):
        assert fragment(invigilator_client, session, etag).status_code == 304
    with at(15.1):
        response = fragment(invigilator_client, session, etag)
    body = text(response)
    assert response.status_code == 200
    assert "Autorisation expirée : cochez à nouveau" in body
    assert f'id="presence-{candidate.pk}" name="present" value="1">' in body  # unticked: ticking renews


def test_after_24_hours_only_terminer_le_test_is_left(invigilator_client, session, bank):
    with at(0):
        certification = started(session)
    with at(24 * 60 + 1):
        body = text(fragment(invigilator_client, session))
    row = body[body.index(f'id="candidate-{certification.candidate_id}"') :]
    assert "Délai expiré" in row
    assert "Terminer le test" in row and "Autoriser la reprise du test" not in row


def test_the_fragment_query_count_stays_constant_with_alerts_reports_and_activity(
    invigilator_client, invigilator_user, bank, center, django_assert_max_num_queries
):
    counts = []
    for size in (2, 12):
        session = SessionFactory(center=center, date=DAY, time=dt.time(9, 0))
        InvigilatorAccess.objects.create(user=invigilator_user, session=session)
        with at(0):
            for i in range(size):
                certification = started(session, f"Nom{size}-{i}")
                CertificationChallenge.objects.filter(certification=certification, index=0).update(
                    answered_at=T0, result="ok", answer="1"
                )
                Certification.objects.filter(pk=certification.pk).update(last_answered_at=T0)
                if i % 2:
                    live_alert_open(certification=certification, user=certification.user, index=0, code="E1")
                IssueReport.objects.create(
                    certification=certification, code="C8", category="C8", source=IssueReportSource.INVIGILATOR
                )
        with at(3), CaptureQueriesContext(connection) as queries:
            body = text(fragment(invigilator_client, session))
        assert f"{size} en cours" in body
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with at(3), django_assert_max_num_queries(2):  # the stamps with the access, then the rows
        fragment(invigilator_client, session)


# ---------------------------------------------------------------- "Gérer le signalement"


@pytest.fixture
def alert(session, bank):
    certification = started(session)
    return live_alert_open(certification=certification, user=certification.user, index=0, code="E1")


def test_validating_from_the_phone_creates_the_report_and_says_so(invigilator_client, session, alert):
    response = invigilator_client.post(alert_url(session, alert), {"decision": "validate", "code": "E2"}, follow=True)
    alert.refresh_from_db()
    assert alert.status == LiveAlertStatus.VALIDATED and alert.handled_code == "E2"
    assert "Le signalement de ZOLA Léa est validé (E2, question 1)." in text(response)


def test_refusing_from_the_phone(invigilator_client, session, alert):
    response = invigilator_client.post(alert_url(session, alert), {"decision": "refuse"}, follow=True)
    alert.refresh_from_db()
    assert alert.status == LiveAlertStatus.REFUSED
    assert "le candidat reprend la question 1" in text(response)


def test_without_javascript_the_alert_page_is_the_dialog(invigilator_client, session, alert):
    body = text(invigilator_client.get(alert_url(session, alert)))
    assert "Gérer le signalement" in body and "E1 — L'image ne s'affiche pas" in body
    assert 'name="decision" value="validate"' in body and 'name="decision" value="refuse"' in body


def test_validating_twice_says_it_is_already_done_and_validates_once(invigilator_client, session, alert):
    invigilator_client.post(alert_url(session, alert), {"decision": "validate"})
    invigilator_client.post(alert_url(session, alert), {"decision": "validate"})
    assert IssueReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="live_alert.validated").count() == 1
    assert "déjà été validé" in text(invigilator_client.get(alert_url(session, alert)))


def test_an_unknown_sub_category_is_refused(invigilator_client, session, alert):
    response = invigilator_client.post(alert_url(session, alert), {"decision": "validate", "code": "E7"}, follow=True)
    assert "Cette catégorie de signalement n'existe pas." in text(response)
    alert.refresh_from_db()
    assert alert.status == LiveAlertStatus.OPEN


def test_an_alert_of_another_sessions_candidate_is_a_404(invigilator_client, invigilator_user, center, alert):
    other = SessionFactory(center=center)
    InvigilatorAccess.objects.create(user=invigilator_user, session=other)
    url = reverse("invigilation:alert", args=[other.pk, alert.pk])
    assert invigilator_client.get(url).status_code == 404
    assert invigilator_client.post(url, {"decision": "validate"}).status_code == 404
    alert.refresh_from_db()
    assert alert.status == LiveAlertStatus.OPEN


def test_an_account_that_does_not_watch_the_session_goes_to_the_entry_form(client, session, alert):
    client.force_login(UserFactory())
    response = client.post(alert_url(session, alert), {"decision": "validate"})
    assert response.status_code == 302 and "connexion-espace-surveillant" in response.url
    assert LiveAlert.objects.get(pk=alert.pk).status == LiveAlertStatus.OPEN


def test_nothing_is_handled_in_a_finalised_session(invigilator_client, session, alert):
    finalize(session)
    response = invigilator_client.post(alert_url(session, alert), {"decision": "validate"}, follow=True)
    assert "finalisée" in text(response)
    assert LiveAlert.objects.get(pk=alert.pk).status == LiveAlertStatus.OPEN


# ---------------------------------------------------------------- "Saisir un incident"


def incident_url(session, candidate) -> str:
    return reverse("invigilation:incident", args=[session.pk, candidate.pk])


def test_logging_a_c8_incident_from_the_phone(invigilator_client, session, bank):
    certification = started(session)
    url = incident_url(session, certification.candidate)
    form = text(invigilator_client.get(url))
    # Only the C categories are offered (look at the options: a random CSRF token may spell "E1").
    assert "C8 Incident lié au candidat non bloquant" in form
    assert 'value="C8"' in form and 'value="E1"' not in form
    response = invigilator_client.post(url, {"code": "C8", "description": "Arrivé en retard."}, follow=True)
    report = IssueReport.objects.get()
    assert (report.code, report.source, report.description) == (
        "C8",
        IssueReportSource.INVIGILATOR,
        "Arrivé en retard.",
    )
    assert "L'incident C8 de ZOLA Léa est enregistré" in text(response)


def test_600_characters_of_details_are_refused_clearly(invigilator_client, session, bank):
    certification = started(session)
    response = invigilator_client.post(
        incident_url(session, certification.candidate), {"code": "C8", "description": "x" * 600}
    )
    assert response.status_code == 400
    assert "Les détails ne peuvent pas dépasser 500 caractères." in text(response)
    assert not IssueReport.objects.exists()


def test_a_category_that_does_not_exist_is_refused(invigilator_client, session, bank):
    certification = started(session)
    response = invigilator_client.post(incident_url(session, certification.candidate), {"code": "E1"})
    assert response.status_code == 400
    assert not IssueReport.objects.exists()


def test_an_incident_for_another_sessions_candidate_is_a_404(invigilator_client, session, center, bank):
    certification = started(SessionFactory(center=center, date=DAY, time=dt.time(9, 0)))  # not watched
    url = reverse("invigilation:incident", args=[session.pk, certification.candidate_id])
    assert invigilator_client.get(url).status_code == 404
    assert invigilator_client.post(url, {"code": "C8", "description": "x"}).status_code == 404
    assert not IssueReport.objects.exists()
