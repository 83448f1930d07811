"""The candidate's path at a bare request's cost: the answer POST and the question page in a few
queries (asserted), the next question swapped in by htmx in the answer's own response, and the
bad inputs of that path (issue #13)."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pixcertif.core.models import AuditEvent
from sessions_app import challenge_content
from sessions_app.models import Certification, CertificationChallenge, Challenge, SessionStatus
from sessions_app.services import certification as certification_service
from sessions_app.services.certification import (
    candidate_authorize_resume,
    candidate_set_presence,
    certification_end_by_invigilator,
)
from tests.factories import CandidateFactory, ProfileFactory, UserFactory, certifiable_levels, make_bank

HTMX = {"HX-Request": "true"}

# The answer POST's queries, its login included (see `certification_answer`): the locked read of the
# test with its login (the session row, in Redis or in this query, and the account row the login is
# checked on) and the question rows it needs (this one, the next); then the writes: on PostgreSQL
# one statement (the answer's UPDATE and the test's in a WITH, the audit row's INSERT linked to the
# chain inside it, `audit_records`), on SQLite the two UPDATEs, the last hash and the INSERT. The
# transaction's own two statements (BEGIN, or BEGIN IMMEDIATE on SQLite, and COMMIT). Nothing writes
# the session's or the candidate's row.
LOCKED_READ = 1
WRITES = 1 if connection.vendor == "postgresql" else 4
TRANSACTION = 2
ANSWER_QUERIES = LOCKED_READ + WRITES + TRANSACTION
# The question page, its login included: one query (the test with its login, its candidate,
# session, latest alert and current question row).
QUESTION_PAGE_QUERIES = 1


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture(autouse=True)
def _cold_cache():
    challenge_content.clear()
    yield
    challenge_content.clear()


def _start(client) -> Certification:
    make_bank(levels=[1])
    user = UserFactory(email="eleve@example.test")
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    candidate = CandidateFactory(user=user)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    client.force_login(user)
    client.post(f"/certifications/candidat/{candidate.pk}", {"access_code": candidate.session.access_code})
    return Certification.objects.get(candidate=candidate)


@pytest.fixture
def started(client, db) -> Certification:
    """A 15-question test started in `client` (every right answer: proposal 1)."""
    return _start(client)


@pytest.fixture
def counted(client, transactional_db) -> Certification:
    """The same, for counting queries as in production: no test transaction around the request,
    whose savepoints would be counted too (the service's transaction is the outermost one)."""
    return _start(client)


def url(certification, suffix=""):
    return f"/certifications/{certification.pk}{suffix}"


def post(client, certification, index, *, htmx=False, **data):
    data = {"index": index, "action": "answer", **data}
    return client.post(url(certification, "/reponse"), data, headers=HTMX if htmx else {})


def warm(certification) -> None:
    """The bank's content in this process's memory, as on a server that has served a few pages."""
    challenge_content.get_many(
        CertificationChallenge.objects.filter(certification=certification).values_list(
            "challenge_id", "challenge__updated_at"
        )
    )


def answered(certification) -> list[str]:
    return list(certification.challenges.order_by("index").values_list("result", flat=True))


# ---------------------------------------------------------------- query counts


def test_the_answer_post_costs_a_few_queries(client, counted, django_assert_num_queries):
    warm(counted)
    with django_assert_num_queries(ANSWER_QUERIES):
        response = post(client, counted, 0, answer="1")
    assert response.status_code == 302
    assert answered(counted)[:2] == ["ok", ""]


def test_the_htmx_answer_returns_the_next_question_for_no_more(client, counted, django_assert_num_queries):
    warm(counted)
    with django_assert_num_queries(ANSWER_QUERIES) as captured:
        response = post(client, counted, 0, htmx=True, answer="1")
    assert response.status_code == 200
    assert "Question 2 / 15" in text(response)
    # The challenges' content came from memory: no query read an instruction.
    assert not any("instruction" in query["sql"] for query in captured.captured_queries)
    # One locked read (PostgreSQL: FOR UPDATE) and one audit row.
    if connection.vendor == "postgresql":
        locks = [query["sql"] for query in captured.captured_queries if "FOR UPDATE" in query["sql"]]
        assert len(locks) == 1
        assert locks[0].rstrip().endswith("FOR UPDATE OF c")  # the test's row only, not its session's
    assert sum('"accounts_user"' in query["sql"] for query in captured.captured_queries) == 1  # in the locked read
    if connection.vendor == "postgresql":  # the writes in one statement
        (written,) = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("WITH")]
        assert written.startswith("WITH along0 AS (UPDATE")
        assert 'UPDATE "sessions_app_certificationchallenge"' in written
        assert 'UPDATE "sessions_app_certification" ' in written
        assert 'INSERT INTO "sessions_app_auditevent"' in written
    else:
        updated = [query["sql"].split()[1] for query in captured.captured_queries if query["sql"].startswith("UPDATE")]
        assert updated == ['"sessions_app_certificationchallenge"', '"sessions_app_certification"']
    assert AuditEvent.objects.filter(action="certification.answered").count() == 1


def test_the_last_answer_completes_the_test_for_the_same_cost(client, counted, django_assert_num_queries):
    for index in range(14):
        post(client, counted, index, action="skip")
    warm(counted)
    with django_assert_num_queries(ANSWER_QUERIES):  # both audit rows in one INSERT
        response = post(client, counted, 14, htmx=True, answer="1")
    assert "Vous avez répondu à toutes les questions" in text(response)
    counted.refresh_from_db()
    assert (counted.state, counted.current_index) == ("completed", 15)
    assert counted.ended_at == counted.last_answered_at
    assert AuditEvent.objects.filter(action="certification.completed").count() == 1
    from pixcertif.core import chain

    assert chain.first_break(chain.rows_in_order(AuditEvent.objects.all()))[0] is None


def test_a_cold_cache_costs_one_query_more(client, counted, django_assert_num_queries):
    with django_assert_num_queries(ANSWER_QUERIES + 1):
        post(client, counted, 0, htmx=True, answer="1")


def test_the_question_page_costs_a_bare_pages_queries(client, counted, django_assert_num_queries):
    warm(counted)
    with django_assert_num_queries(QUESTION_PAGE_QUERIES) as captured:
        response = client.get(url(counted))
    assert "Question 1 / 15" in text(response)
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "accounts_membership" not in sql  # no centre looked up for a candidate
    assert "COUNT(" not in sql.upper()  # the length is stored (challenge_count)
    # The account row comes with the test: no query of its own.
    assert sum('"accounts_user"' in query["sql"] for query in captured.captured_queries) == 1


def test_the_question_page_reads_the_content_once_per_process(client, counted, django_assert_num_queries):
    client.get(url(counted))  # reads the content of question 1
    with django_assert_num_queries(QUESTION_PAGE_QUERIES):
        client.get(url(counted))


def test_the_answer_records_the_time_spent_since_the_last_answer(client, started):
    import datetime as dt

    import time_machine

    with time_machine.travel(started.started_at + dt.timedelta(seconds=40), tick=False):
        post(client, started, 0, answer="1")
    with time_machine.travel(started.started_at + dt.timedelta(seconds=65), tick=False):
        post(client, started, 1, answer="1")
    seconds = list(
        AuditEvent.objects.filter(action="certification.answered")
        .order_by("id")
        .values_list("data__seconds", flat=True)
    )
    assert seconds == [40, 25]
    started.refresh_from_db()
    assert started.last_answered_at == started.started_at + dt.timedelta(seconds=65)


def test_an_edited_challenge_is_never_served_stale(client, started):
    client.get(url(started))  # question 1's content now in memory
    challenge = Challenge.objects.get(pk=started.challenges.get(index=0).challenge_id)
    challenge.instruction = "Consigne corrigée par l'équipe Pix"
    challenge.save()  # what the admin's change form does
    assert "Consigne corrigée par l'équipe Pix" in text(client.get(url(started)))


def test_the_cache_is_bounded(db, monkeypatch):
    monkeypatch.setattr(challenge_content, "MAX_ENTRIES", 5)
    bank = make_bank(levels=[1], per_level=1)
    challenge_content.get_many((c.pk, Challenge.objects.get(pk=c.pk).updated_at) for c in bank[:12])
    assert challenge_content.size() == 5


def test_the_admin_can_edit_a_challenge(db):
    """Why the content is keyed by version: the bank is editable in the admin."""
    from django.contrib import admin

    assert admin.site.is_registered(Challenge)


# ---------------------------------------------------------------- htmx: one request per question


def test_the_htmx_answer_swaps_the_card_in_place(client, started):
    headers = {**HTMX, "HX-Current-URL": f"http://testserver{url(started)}"}
    response = client.post(url(started, "/reponse"), {"index": 0, "action": "answer", "answer": "1"}, headers=headers)
    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body and "<main" not in body  # the content of <main> only
    assert "<title>Question 2 / 15 · Pix Certif</title>" in body
    assert '<h1 class="challenge-number" tabindex="-1" data-screen-heading>Question 2 / 15</h1>' in body
    assert 'name="index" value="1"' in body
    assert "data-live-ping" in body  # the heartbeat form comes with the card (its token too)
    assert "HX-Request" in response["Vary"]
    assert "HX-Push-Url" not in response  # the page already shows the test's address
    # htmx's headers read from request.META (pixcertif.core.htmx): no dict of every header built.
    assert "headers" not in vars(response.wsgi_request)


def form_token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(response)).group(1)


def test_the_answer_card_keeps_the_browsers_csrf_cookie_without_sending_it_back(client, started):
    """The card's token is drawn from the cookie the browser sent, which is not renewed on every
    answer (no Set-Cookie); the token is one CsrfViewMiddleware accepts: the next answer goes in."""
    client.get(url(started))  # the test page: the browser holds its CSRF cookie
    client.handler.enforce_csrf_checks = True
    secret = client.cookies["csrftoken"].value
    token = form_token(client.get(url(started)))
    response = client.post(
        url(started, "/reponse"), {"index": 0, "answer": "1", "csrfmiddlewaretoken": token}, headers=HTMX
    )
    assert response.status_code == 200 and 'name="index" value="1"' in text(response)
    assert "csrftoken" not in response.cookies
    token = form_token(response)
    response = client.post(
        url(started, "/reponse"), {"index": 1, "answer": "1", "csrfmiddlewaretoken": token}, headers=HTMX
    )
    assert response.status_code == 200 and 'name="index" value="2"' in text(response)
    assert client.cookies["csrftoken"].value == secret


def test_the_htmx_answer_pushes_the_tests_address_when_the_page_shows_another(client, started):
    headers = {**HTMX, "HX-Current-URL": f"http://testserver{url(started, '/reponse')}"}
    response = client.post(url(started, "/reponse"), {"index": 0, "action": "skip"}, headers=headers)
    assert response["HX-Push-Url"] == url(started)


def test_je_passe_with_htmx_swaps_the_next_card_too(client, started):
    response = post(client, started, 0, htmx=True, action="skip")
    assert "Question 2 / 15" in text(response)
    assert answered(started)[0] == "skipped"


def test_an_answer_post_without_the_htmx_header_is_a_redirect_to_the_whole_page(client, started):
    response = post(client, started, 0, answer="1")
    assert response.status_code == 302 and response.url == url(started)
    page = text(client.get(response.url))
    assert "<html" in page and "Question 2 / 15" in page


def test_a_get_with_the_htmx_header_still_is_the_whole_page(client, started):
    page = text(client.get(url(started), headers=HTMX))  # e.g. htmx restoring the history
    assert "<html" in page and "Question 1 / 15" in page


def test_an_htmx_answer_without_a_choice_shows_the_error_in_the_card(client, started):
    response = post(client, started, 0, htmx=True)
    body = text(response)
    assert response.status_code == 200 and "<html" not in body
    assert "ou cliquez sur « Je passe »" in body and "Question 1 / 15" in body
    assert answered(started)[0] == ""


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("htmx", [False, True])
def test_an_answer_for_a_question_that_is_not_the_current_one_is_refused(client, started, htmx):
    response = post(client, started, 3, htmx=htmx, answer="1")
    body = text(response) if htmx else text(client.get(response.url))
    assert "Répondez d'abord à la question affichée." in body
    assert "Question 1 / 15" in body
    assert answered(started) == [""] * 15


@pytest.mark.parametrize("htmx", [False, True])
def test_a_double_click_on_valider_records_one_answer(client, started, htmx):
    first = post(client, started, 0, htmx=htmx, answer="1")
    second = post(client, started, 0, htmx=htmx, answer="1")
    assert first.status_code == second.status_code
    if htmx:
        assert "Question 2 / 15" in text(second)  # the same card as the first click's
        assert "pas possible d'y revenir" not in text(second)
    assert answered(started)[:2] == ["ok", ""]
    assert AuditEvent.objects.filter(action="certification.answered").count() == 1


def test_another_answer_for_an_answered_question_is_refused(client, started):
    post(client, started, 0, answer="2")
    body = text(post(client, started, 0, htmx=True, answer="1"))
    assert "pas possible d'y revenir" in body and "Question 2 / 15" in body
    assert answered(started)[0] == "ko"


def test_an_answer_after_the_invigilator_ended_the_test_gets_the_end_card(client, started):
    certification_end_by_invigilator(candidate=started.candidate, by=None)
    body = text(post(client, started, 0, htmx=True, answer="1"))
    assert "<html" not in body
    assert "Votre surveillant a mis fin à votre test de certification" in body
    assert "alert-error" not in body
    assert answered(started)[0] == ""


def test_an_answer_after_finalisation_gets_the_end_card(client, started):
    session = started.candidate.session
    type(session).objects.filter(pk=session.pk).update(status=SessionStatus.FINALIZED, finalized_at=timezone.now())
    body = text(post(client, started, 0, htmx=True, answer="1"))
    assert "La session de certification est finalisée" in body
    assert answered(started)[0] == ""


def test_an_answer_while_an_alert_is_open_shows_the_waiting_card(client, started):
    from sessions_app.services.live_alerts import live_alert_open

    live_alert_open(certification=started, user=started.user, index=0, code="E1")
    body = text(post(client, started, 0, htmx=True, answer="1"))
    assert "Votre surveillant a été prévenu" in body
    assert 'data-live-token="started.' in body and 'data-live-token="started.0"' not in body
    assert answered(started)[0] == ""


def test_an_answer_from_another_browser_goes_to_the_resume_page(client, started):
    from django.test import Client

    other = Client()
    other.force_login(started.user)
    response = other.post(url(started, "/reponse"), {"index": 0, "action": "answer", "answer": "1"}, headers=HTMX)
    assert response["HX-Redirect"] == f"/certifications/candidat/{started.candidate_id}"
    assert answered(started)[0] == ""


def test_an_answer_from_a_page_left_too_long_goes_to_the_resume_page(client, started):
    import datetime as dt

    Certification.objects.filter(pk=started.pk).update(last_seen_at=timezone.now() - dt.timedelta(hours=1))
    response = post(client, started, 0, htmx=True, answer="1")
    assert response["HX-Redirect"] == f"/certifications/candidat/{started.candidate_id}"
    assert answered(started)[0] == ""
    assert AuditEvent.objects.filter(action="certification.left").count() == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_a_login_expired_during_the_test_goes_to_login_then_back_to_the_same_question(client, started, htmx):
    post(client, started, 0, answer="1")
    client.logout()  # the login session expired
    response = post(client, started, 1, htmx=htmx, answer="1")
    login_url = f"/connexion?next={url(started)}"
    if htmx:
        assert response.status_code == 200 and response["HX-Redirect"] == login_url
    else:
        assert response.status_code == 302 and response.url == login_url
    assert answered(started)[1] == ""
    # The login form sends back to the test's page; a new login resumes as the rules say (the
    # invigilator authorises it, the access code again), and the test goes on at question 2.
    back = client.post(login_url, {"username": "eleve@example.test", "password": "pixcertif"})
    assert back.status_code == 302 and back.url == url(started)
    assert client.get(back.url).url == f"/certifications/candidat/{started.candidate_id}"
    candidate_authorize_resume(candidate=started.candidate, by=None)
    client.post(
        f"/certifications/candidat/{started.candidate_id}", {"access_code": started.candidate.session.access_code}
    )
    assert "Question 2 / 15" in text(client.get(url(started)))


def test_another_accounts_test_is_a_404_with_htmx_too(client, started):
    client.force_login(UserFactory())
    assert post(client, started, 0, htmx=True, answer="1").status_code == 404


def test_the_service_refuses_another_account_after_one_locked_read(counted):
    stranger = UserFactory()
    with CaptureQueriesContext(connection) as captured, pytest.raises(certification_service.DomainError):
        certification_service.certification_answer(certification=counted, user=stranger, index=0, answer="1")
    assert [query["sql"].split()[0] for query in captured.captured_queries] == ["BEGIN", "SELECT", "ROLLBACK"]


def test_reloading_the_bank_stamps_the_edited_challenges(db, tmp_path):
    """`load_challenges` updates by code: an edited challenge gets a new stamp, hence a new cache key."""
    import json

    from django.core.management import call_command

    item = {
        "code": "c11-n1-x",
        "competence": "1.1",
        "level": 1,
        "type": "qcu",
        "instruction": "Première consigne",
        "proposals": ["A", "B"],
        "solution": "1",
    }
    bank = tmp_path / "bank.json"
    bank.write_text(json.dumps([item]), encoding="utf-8")
    call_command("load_challenges", file=bank, verbosity=0)
    first = Challenge.objects.get(code="c11-n1-x")
    challenge_content.get(first.pk, first.updated_at)
    bank.write_text(json.dumps([{**item, "instruction": "Consigne corrigée"}]), encoding="utf-8")
    call_command("load_challenges", file=bank, verbosity=0)
    second = Challenge.objects.get(code="c11-n1-x")
    assert second.updated_at > first.updated_at
    assert challenge_content.get(second.pk, second.updated_at).instruction == "Consigne corrigée"


def test_an_admin_edit_is_served_at_once(started, client):
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(UserFactory(is_staff=True, is_superuser=True))
    challenge_id = started.challenges.get(index=0).challenge_id
    client.get(url(started))  # in memory
    change = admin_client.get(f"/admin/sessions_app/challenge/{challenge_id}/change/")
    assert change.status_code == 200
    form = change.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(
        {
            "instruction": "Consigne modifiée dans l'administration",
            "proposals": json.dumps(form.initial["proposals"]),
            "timer_seconds": "",
        }
    )
    data = {key: ("on" if value is True else value) for key, value in data.items() if value not in (False, None)}
    response = admin_client.post(f"/admin/sessions_app/challenge/{challenge_id}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert "Consigne modifiée dans l'administration" in text(client.get(url(started)))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_the_hot_queries_are_prepared_on_postgresql(client, counted):
    """PostgreSQL planned the page's query (eight tables) in 1 ms and ran it in 0.15 ms: the hot
    queries bind on the server and are prepared after PREPARE_AFTER runs (`rows.cursor`)."""
    for _ in range(3):
        assert client.get(url(counted)).status_code == 200
    for index in range(3):
        post(client, counted, index, answer="1")
    with CaptureQueriesContext(connection) as captured:  # every hot query prepared by now
        client.get(url(counted))
        post(client, counted, 3, answer="1")
    # Django's query log still has their text (psycopg keeps none for a prepared run: `rows.cursor`).
    assert all(isinstance(query["sql"], str) and query["sql"] for query in captured.captured_queries)
    assert any("FOR UPDATE OF c" in query["sql"] for query in captured.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('q."index" = c."current_index"' in sql for sql in prepared)  # the question page's
    assert any("FOR UPDATE OF c" in sql for sql in prepared)  # the answer's locked read
