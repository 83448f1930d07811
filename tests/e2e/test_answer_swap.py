"""One request per answered question in the browser: the next card swapped in place by the answer's
own response (no GET after it), the focus on the new heading, axe on the swapped card, the page's
heartbeat following the swapped screen; the same test without JavaScript (POST/redirect/GET); and
an answer posted while the database is down, kept by the page and sent again until it gets
through: recorded once (issues #13 and #17)."""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from playwright.sync_api import expect

from pixcertif.core.models import AuditEvent
from sessions_app.models import Certification, CertificationChallenge
from sessions_app.services.certification import candidate_set_presence, certification_end_by_invigilator
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank

EMAIL = "noa.bernard@eleve.example"
OUTAGE = "Le service est momentanément indisponible : votre réponse sera envoyée dès que possible."


@pytest.fixture
def candidate(transactional_db, settings):
    settings.CERTIFICATION_CLOCK = {**settings.CERTIFICATION_CLOCK, "HEARTBEAT_EVERY": timedelta(seconds=1)}
    make_bank(levels=[1])  # every right answer: "Bonne réponse"
    user = UserFactory(email=EMAIL)
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))  # 15 questions
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    return candidate


def start_test(page, live_server, login, candidate) -> str:
    login(page, EMAIL, next_url=f"/certifications/candidat/{candidate.pk}")
    page.get_by_label("Code d'accès communiqué par le surveillant").fill(candidate.session.access_code)
    page.get_by_role("button", name="Commencer mon test").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 1 / 15")
    return page.url


def heading(page):
    return page.get_by_role("heading", level=1)


def results(candidate) -> list[str]:
    certification = Certification.objects.get(candidate=candidate)
    return list(
        CertificationChallenge.objects.filter(certification=certification)
        .order_by("index")
        .values_list("result", flat=True)
    )


def test_each_answer_is_one_request_and_the_next_card_takes_the_focus(
    candidate, live_server, page, login, assert_accessible
):
    test_url = start_test(page, live_server, login, candidate)
    requests: list[tuple[str, str]] = []
    page.on("request", lambda request: requests.append((request.method, request.url)))
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)

    page.get_by_label("Bonne réponse").check()
    page.get_by_role("button", name="Valider").click()
    expect(heading(page)).to_have_text("Question 2 / 15")
    expect(heading(page)).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Question 2 / 15"))
    assert page.url == test_url
    answers = [(m, u) for m, u in requests if u.startswith(test_url) and "/presence" not in u]
    assert answers == [("POST", f"{test_url}/reponse")]  # no GET after the answer
    assert navigations == []
    assert_accessible(page)

    page.get_by_role("button", name="Je passe").click()
    expect(heading(page)).to_have_text("Question 3 / 15")
    expect(heading(page)).to_be_focused()

    # Nothing chosen: the error in the card, the focus on its heading, nothing recorded.
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("ou cliquez sur « Je passe »")).to_be_visible()
    expect(heading(page)).to_have_text("Question 3 / 15")
    assert_accessible(page)

    # A double click on "Valider": one answer.
    page.get_by_label("Bonne réponse").check()
    page.get_by_role("button", name="Valider").dblclick()
    expect(heading(page)).to_have_text("Question 4 / 15")
    assert results(candidate)[:4] == ["ok", "skipped", "ok", ""]
    assert AuditEvent.objects.filter(action="certification.answered").count() == 2
    posts = [u for m, u in requests if m == "POST" and u.endswith("/reponse")]
    assert navigations == [] and len(posts) in (4, 5)  # the second click of the double click: dropped or replayed

    # The swapped card's heartbeat keeps the page's token: two pings, no reload...
    with page.expect_response(lambda r: r.url.endswith("/presence")):
        pass
    with page.expect_response(lambda r: r.url.endswith("/presence")):
        pass
    assert navigations == []
    # ...and reloads once the invigilator ends the test.
    certification_end_by_invigilator(candidate=candidate, by=None)
    expect(heading(page)).to_have_text("Votre test de certification est terminé")
    expect(page.get_by_text("Votre surveillant a mis fin à votre test de certification.")).to_be_visible()


def test_the_last_answer_swaps_in_the_end_screen(candidate, live_server, page, login, assert_accessible):
    start_test(page, live_server, login, candidate)
    for number in range(1, 16):
        expect(heading(page)).to_have_text(f"Question {number} / 15")
        page.get_by_role("button", name="Je passe").click()
    expect(heading(page)).to_have_text("Votre test de certification est terminé")
    expect(heading(page)).to_be_focused()
    expect(page.get_by_text("Vous avez répondu à toutes les questions. Merci !")).to_be_visible()
    assert_accessible(page)
    assert results(candidate) == ["skipped"] * 15


def test_without_javascript_an_answer_is_a_post_then_a_redirect(candidate, live_server, browser, login):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        test_url = start_test(page, live_server, login, candidate)
        requests: list[tuple[str, str]] = []
        page.on("request", lambda request: requests.append((request.method, request.url)))
        page.get_by_label("Bonne réponse").check()
        page.get_by_role("button", name="Valider").click()
        expect(heading(page)).to_have_text("Question 2 / 15")
        assert page.url == test_url
        documents = [(m, u) for m, u in requests if u.startswith(test_url)]
        assert documents == [("POST", f"{test_url}/reponse"), ("GET", test_url)]
        page.get_by_role("button", name="Je passe").click()
        expect(heading(page)).to_have_text("Question 3 / 15")
        assert results(candidate)[:3] == ["ok", "skipped", ""]
    finally:
        context.close()


@contextmanager
def database_down_for_the_server():
    """The database unreachable for the live server's threads (as while PostgreSQL restarts): every
    statement fails and no new connection can be made. The test's own thread still reaches it."""
    test_thread = threading.current_thread()
    cursor, connect = BaseDatabaseWrapper._cursor, BaseDatabaseWrapper.connect

    def down(real):
        def unreachable(self, *args, **kwargs):
            if threading.current_thread() is not test_thread:
                raise OperationalError("connection refused: the database is restarting")
            return real(self, *args, **kwargs)

        return unreachable

    BaseDatabaseWrapper._cursor, BaseDatabaseWrapper.connect = down(cursor), down(connect)
    try:
        yield
    finally:
        BaseDatabaseWrapper._cursor, BaseDatabaseWrapper.connect = cursor, connect


def test_an_answer_posted_during_an_outage_is_kept_and_sent_again_once(candidate, live_server, page, login):
    start_test(page, live_server, login, candidate)
    page.get_by_label("Bonne réponse").check()
    page.get_by_role("button", name="Valider").click()
    expect(heading(page)).to_have_text("Question 2 / 15")

    statuses: list[int] = []
    page.on("response", lambda response: statuses.append(response.status) if "/reponse" in response.url else None)
    with database_down_for_the_server():
        page.get_by_label("Bonne réponse").check()
        page.get_by_role("button", name="Valider").click()
        expect(page.get_by_text(OUTAGE)).to_be_visible()
        expect(heading(page)).to_have_text("Question 2 / 15")
        expect(page.get_by_role("button", name="Valider")).to_be_disabled()
        # The page tries again while the database is down (503 each time), and nothing is recorded.
        with page.expect_response(lambda r: "/reponse" in r.url and r.status == 503):
            pass
        assert results(candidate)[1] == ""
    # The database is back: the next try gets through, once.
    expect(heading(page)).to_have_text("Question 3 / 15", timeout=45_000)
    expect(heading(page)).to_be_focused()
    assert statuses.count(503) >= 2 and statuses[-1] == 200
    assert results(candidate)[:3] == ["ok", "ok", ""]
    assert AuditEvent.objects.filter(action="certification.answered").count() == 2


def test_an_answer_whose_response_is_lost_is_sent_again_and_counted_once(candidate, live_server, page, login):
    """The server recorded the answer but the page never got the response (the network dropped it):
    the page sends it again, the server recognises the answer already recorded and shows the next one."""
    start_test(page, live_server, login, candidate)
    lost: list[str] = []

    def drop_first_response(route):
        if lost:
            route.continue_()
            return
        route.fetch()  # the server records the answer...
        lost.append(route.request.url)
        route.abort("connectionreset")  # ...and the page never sees its response

    page.route(re.compile(r".*/reponse$"), drop_first_response)
    page.get_by_label("Bonne réponse").check()
    page.get_by_role("button", name="Valider").click()
    expect(heading(page)).to_have_text("Question 2 / 15", timeout=45_000)
    assert lost
    assert results(candidate)[:2] == ["ok", ""]
    assert AuditEvent.objects.filter(action="certification.answered").count() == 1


def test_a_live_alert_after_swapped_cards_waits_then_comes_back_to_the_question(candidate, live_server, page, login):
    """The live alert flow after answers swapped in place: report, the waiting screen, the invigilator
    refuses from the live list, the page comes back by itself to the same question, and goes on by swap."""
    from sessions_app.models import LiveAlert
    from sessions_app.services.live_alerts import live_alert_refuse

    start_test(page, live_server, login, candidate)
    page.get_by_role("button", name="Je passe").click()
    expect(heading(page)).to_have_text("Question 2 / 15")
    page.get_by_role("link", name="Signaler un problème avec la question").click()
    page.get_by_label("L'image ne s'affiche pas").check()
    page.get_by_role("button", name="Prévenir mon surveillant").click()
    expect(heading(page)).to_have_text("Votre surveillant a été prévenu…")
    live_alert_refuse(alert=LiveAlert.objects.get(certification__candidate=candidate), by=None)
    expect(heading(page)).to_have_text("Question 2 / 15", timeout=15_000)  # the heartbeat's reload
    expect(page.get_by_text("Votre surveillant a refusé votre signalement : reprenez la question.")).to_be_visible()
    page.get_by_label("Bonne réponse").check()
    page.get_by_role("button", name="Valider").click()
    expect(heading(page)).to_have_text("Question 3 / 15")
    assert results(candidate)[:3] == ["skipped", "ok", ""]
