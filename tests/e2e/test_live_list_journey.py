"""The invigilator's live list in a browser: a change made elsewhere reaches the page as that row
alone, swapped out of band (the rest of the list stays as it is); and an outage of the database
on the server shows the French message beside the list's last good copy, then the list recovers."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from playwright.sync_api import expect

from invigilation.models import InvigilatorAccess
from sessions_app.models import Candidate
from sessions_app.services.certification import candidate_set_presence
from tests.factories import CandidateFactory, SessionFactory, UserFactory

MESSAGE = "Le service est momentanément indisponible, réessayez dans quelques instants."


@pytest.fixture
def room(transactional_db):
    session = SessionFactory(room="Salle B12")
    candidates = {
        name: CandidateFactory(session=session, last_name=name, first_name=first)
        for name, first in (("Dupont", "Paul"), ("Durand", "Simon"), ("Martin", "Léa"))
    }
    for email in ("surveillant@example.test", "second@example.test"):
        InvigilatorAccess.objects.create(user=UserFactory(email=email), session=session)
    # Enrolled a while ago: a delta also resends the rows stamped in the SKEW_MARGIN before its copy.
    Candidate.objects.filter(session=session).update(changed_at=timezone.now() - dt.timedelta(minutes=5))
    return session, candidates


def open_list(browser, live_server, login, email: str, session):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    login(page, email)
    page.goto(f"{live_server.url}/sessions/{session.pk}/surveiller")
    expect(page.locator(".presence-count")).to_have_text("0/3 candidats présents")
    return context, page


def mark(page, candidate: Candidate) -> None:
    """Marks only a swap of the whole list (or of that row) would lose."""
    page.evaluate(
        "pk => { document.getElementById('candidate-list').dataset.marker = 'kept';"
        " document.getElementById('candidate-' + pk).dataset.marker = 'kept'; }",
        candidate.pk,
    )


def markers(page, candidate: Candidate) -> list[str | None]:
    return page.evaluate(
        "pk => [document.getElementById('candidate-list').dataset.marker,"
        " document.getElementById('candidate-' + pk).dataset.marker]",
        candidate.pk,
    )


def test_a_tick_from_another_phone_reaches_the_page_as_that_row_alone(room, live_server, browser, login):
    session, candidates = room
    first_context, first = open_list(browser, live_server, login, "surveillant@example.test", session)
    second_context, second = open_list(browser, live_server, login, "second@example.test", session)
    try:
        mark(first, candidates["Durand"])
        second.get_by_label("DUPONT Paul").check()  # the other invigilator ticks Paul
        expect(second.locator(".presence-count")).to_have_text("1/3 candidats présents")

        # Within a poll the first phone shows it: Paul's row and the counters, swapped by id.
        expect(first.get_by_label("DUPONT Paul")).to_be_checked(timeout=15_000)
        expect(first.locator(".presence-count")).to_have_text("1/3 candidats présents")
        assert markers(first, candidates["Durand"]) == ["kept", "kept"]  # the list was not replaced

        # A change from the server side (the candidate side's state machine): the same way.
        candidate_set_presence(candidate=candidates["Martin"], present=True, by=None)
        expect(first.get_by_label("MARTIN Léa")).to_be_checked(timeout=15_000)
        expect(first.locator(".presence-count")).to_have_text("2/3 candidats présents")
        assert markers(first, candidates["Durand"]) == ["kept", "kept"]

        # The row swapped in still works: unticking it posts and answers the whole list.
        first.get_by_label("MARTIN Léa").uncheck()
        expect(first.locator(".presence-count")).to_have_text("1/3 candidats présents")
        assert not Candidate.objects.get(pk=candidates["Martin"].pk).authorized_to_start
    finally:
        first_context.close()
        second_context.close()


@pytest.fixture
def database_down(monkeypatch):
    """An Event: while it is set, the live server's request threads cannot reach the database
    (every query raises OperationalError, as during a restart or a failover); the test's own
    thread still can."""
    down = threading.Event()
    original = BaseDatabaseWrapper._prepare_cursor

    # Every cursor goes through it: Django's (`_cursor`) and the hot path's (`pixcertif.core.rows.cursor`).
    def prepare_cursor(self, *args, **kwargs):
        if down.is_set() and threading.current_thread() is not threading.main_thread():
            raise OperationalError("server closed the connection unexpectedly (the database is restarting)")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(BaseDatabaseWrapper, "_prepare_cursor", prepare_cursor)
    yield down
    down.clear()


def test_an_outage_shows_the_message_beside_the_last_good_list_then_it_recovers(
    room, live_server, browser, login, database_down
):
    session, candidates = room
    context, page = open_list(browser, live_server, login, "surveillant@example.test", session)
    try:
        mark(page, candidates["Durand"])
        database_down.set()
        feedback = page.locator("#invigilation-feedback")
        expect(feedback).to_have_text(MESSAGE, timeout=15_000)
        # The last good copy stays, whole.
        expect(page.locator(".candidate-row")).to_have_count(3)
        expect(page.locator(".presence-count")).to_have_text("0/3 candidats présents")
        assert markers(page, candidates["Durand"]) == ["kept", "kept"]

        database_down.clear()
        candidate_set_presence(candidate=candidates["Dupont"], present=True, by=None)
        expect(page.get_by_label("DUPONT Paul")).to_be_checked(timeout=15_000)
        expect(feedback.get_by_text(MESSAGE)).to_have_count(0)
        expect(page.locator(".presence-count")).to_have_text("1/3 candidats présents")
    finally:
        context.close()


def wait_for(page, held: list) -> None:
    """Until a route handler has held a request (handlers run while the test drives the page)."""
    for _ in range(300):
        if held:
            return
        page.wait_for_timeout(50)
    raise AssertionError("no request was held")


@pytest.mark.before_load
def test_a_tick_made_before_the_scripts_have_loaded_is_sent_once_they_have(room, live_server, browser, login):
    """On a slow phone the list shows before htmx has loaded: a box ticked then has sent nothing
    (with JavaScript on, the no-script "Valider" button is not there). Once the scripts run, the
    tick goes to the server like any other."""
    session, candidates = room
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    try:
        login(page, "surveillant@example.test")
        held = []
        page.route("**/django_htmx/htmx*", lambda route: held.append(route))  # htmx is held back on its way
        page.goto(f"{live_server.url}/sessions/{session.pk}/surveiller", wait_until="commit")
        page.get_by_label("DUPONT Paul").check()
        expect(page.locator(".presence-count")).to_have_text("0/3 candidats présents")
        wait_for(page, held)  # the page asked for htmx
        for route in held:
            route.continue_()
        # The polls answer 304 (nothing written): only the tick can bring this. Busy machine: 15 s.
        expect(page.locator(".presence-count")).to_have_text("1/3 candidats présents", timeout=15_000)
        expect(page.get_by_label("DUPONT Paul")).to_be_checked()
        assert Candidate.objects.get(pk=candidates["Dupont"].pk).authorized_to_start
    finally:
        context.close()


def test_two_ticks_in_quick_succession_both_show(room, live_server, browser, login):
    """The first tick's request is slow on its way when the second box is ticked. Sent at once, the
    second would be answered first and its list would replace the page's, the first one's answer
    then going to a list no longer on the page. The second waits for the first's answer and is
    made on the new list. No poll gets through: only the ticks' answers can bring the state."""
    session, candidates = room
    context, page = open_list(browser, live_server, login, "surveillant@example.test", session)
    try:
        page.route("**/surveiller/candidats", lambda route: route.abort())  # no poll gets through
        held = []

        def hold_the_first(route):
            if not held and route.request.method == "POST":
                held.append(route)
            else:
                route.continue_()

        page.route("**/surveiller/candidats/*/presence", hold_the_first)
        page.get_by_label("DUPONT Paul").check()
        wait_for(page, held)  # the first tick is on its way, held
        page.get_by_label("DURAND Simon").check()
        page.get_by_label("MARTIN Léa").check()
        page.get_by_label("MARTIN Léa").uncheck()  # changed her mind: the last state is the one sent
        held[0].continue_()
        expect(page.locator(".presence-count")).to_have_text("2/3 candidats présents", timeout=15_000)
        expect(page.get_by_label("DUPONT Paul")).to_be_checked()
        expect(page.get_by_label("DURAND Simon")).to_be_checked()
        expect(page.get_by_label("MARTIN Léa")).not_to_be_checked()
        present = set(Candidate.objects.filter(session=session, authorized_to_start=True).values_list("pk", flat=True))
        assert present == {candidates["Dupont"].pk, candidates["Durand"].pk}
    finally:
        context.close()
