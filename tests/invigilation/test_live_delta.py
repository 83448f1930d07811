"""The live list's versions from per-row stamps, and the 200 that sends only what changed.

A candidate-level change (a tick, a start, an answer, an alert handled, an incident logged) stamps
that candidate's row; the poll of a page holding the previous copy then gets that row alone,
swapped out of band by its id, with the counters — not the whole list. A session-level change, a
change in the set of live alerts, another query or a turned minute gives the whole list."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from invigilation.models import InvigilatorAccess
from sessions_app.models import Candidate, Certification, IssueReport, IssueReportSource, Session
from sessions_app.services.certification import (
    candidate_set_presence,
    certification_answer,
    certification_end_by_invigilator,
    certification_start,
)
from sessions_app.services.live_alerts import live_alert_open, live_alert_refuse
from sessions_app.services.sessions import session_touch
from tests.factories import (
    CandidateFactory,
    ProfileFactory,
    SessionFactory,
    UserFactory,
    certifiable_levels,
    make_bank,
)

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.date(2026, 3, 12)
T0 = dt.datetime(2026, 3, 12, 9, 0, 30, tzinfo=PARIS)


def at(minutes: float):
    return time_machine.travel(T0 + dt.timedelta(minutes=minutes), tick=False)


@pytest.fixture
def session(center):
    return SessionFactory(center=center, date=DAY, time=dt.time(9, 0))


@pytest.fixture
def bank(db):
    make_bank()


def url(session, query: str = "") -> str:
    return reverse("invigilation:candidate_list", args=[session.pk]) + (f"?q={query}" if query else "")


def poll(client, session, copy: str = "", query: str = "", **headers):
    """A poll of the page's script: it names its copy in If-None-Match and X-Pix-List-Copy."""
    if copy:
        headers.update(HTTP_IF_NONE_MATCH=copy, HTTP_X_PIX_LIST_COPY=copy)
    return client.get(url(session, query), HTTP_HX_REQUEST="true", **headers)


def body(response) -> str:
    return response.content.decode()


def row_ids(html: str) -> list[int]:
    """The rows of an answer, in order (the setups stamp rows a minute before the copy is taken:
    a delta also resends the rows stamped in the last SKEW_MARGIN before its copy was read)."""
    return [int(pk) for pk in re.findall(r'<li id="candidate-(\d+)"', html)]


def taker(session, last_name: str) -> Candidate:
    user = UserFactory()
    ProfileFactory(user=user, levels=certifiable_levels(level=1, count=5))
    return CandidateFactory(session=session, user=user, last_name=last_name, first_name="Léa")


def started(session, last_name: str) -> Certification:
    candidate = taker(session, last_name)
    candidate_set_presence(candidate=candidate, present=True, by=None)
    return certification_start(candidate=candidate, user=candidate.user)


def room(session, size: int) -> list[Candidate]:
    return [CandidateFactory(session=session, last_name=f"Nom{i:02d}", first_name="Paul") for i in range(size)]


# ---------------------------------------------------------------- what stamps what


def test_an_answer_stamps_the_certification_only_not_the_session_row(invigilator_client, session, bank):
    with at(0):
        certification = started(session, "Zola")
    session_stamp = Session.objects.get(pk=session.pk).changed_at
    with at(1):
        certification_answer(certification=certification, user=certification.user, index=0, skip=True)
    certification.refresh_from_db()
    assert certification.last_answered_at == T0 + dt.timedelta(minutes=1)
    assert Session.objects.get(pk=session.pk).changed_at == session_stamp


@pytest.mark.parametrize("step", ["start", "end", "alert"])
def test_candidate_transitions_stamp_the_candidate_row_not_the_session_row(session, bank, step, invigilator_user):
    with at(0):
        certification = started(session, "Zola")
    candidate = certification.candidate
    session_stamp = Session.objects.get(pk=session.pk).changed_at
    with at(1):
        if step == "start":
            candidate = taker(session, "Autre")
            candidate_set_presence(candidate=candidate, present=True, by=None)
            certification_start(candidate=candidate, user=candidate.user)
        elif step == "end":
            certification_end_by_invigilator(candidate=candidate, by=invigilator_user)
        else:
            alert = live_alert_open(certification=certification, user=certification.user, index=0, code="E1")
            live_alert_refuse(alert=alert, by=invigilator_user)
    assert Candidate.objects.get(pk=candidate.pk).changed_at == T0 + dt.timedelta(minutes=1)
    assert Session.objects.get(pk=session.pk).changed_at == session_stamp


# ---------------------------------------------------------------- 304


def test_the_copy_of_a_delta_is_answered_304_until_something_changes(invigilator_client, session):
    with at(-1):
        first, *_others = room(session, 3)
    with at(0):
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.4):  # 24 s later, the same minute
        candidate_set_presence(candidate=first, present=True, by=None)
        delta = poll(invigilator_client, session, copy)
        assert delta.status_code == 200 and delta["X-Pix-List-Delta"] == "1"
        again = poll(invigilator_client, session, delta["ETag"])
    assert again.status_code == 304
    # The poll's headers (htmx's, the copies) read from request.META: no dict of every header built.
    assert "headers" not in vars(delta.wsgi_request) and "headers" not in vars(again.wsgi_request)


@pytest.mark.parametrize("size", [2, 30])
def test_the_304_costs_one_query_with_its_login_whatever_the_room(
    invigilator_client, session, bank, size, django_assert_num_queries
):
    with at(0):
        for i in range(size):
            certification = started(session, f"Nom{i:02d}")
            if i % 2:
                live_alert_open(certification=certification, user=certification.user, index=0, code="E1")
        copy = poll(invigilator_client, session)["ETag"]
        with django_assert_num_queries(1):  # login session + account + access + row, alert stamps
            response = poll(invigilator_client, session, copy)
    assert response.status_code == 304


def test_a_weak_etag_of_the_gzipped_copy_is_the_same_copy(invigilator_client, session):
    room(session, 2)
    copy = poll(invigilator_client, session)["ETag"]
    assert invigilator_client.get(url(session), HTTP_IF_NONE_MATCH=f"W/{copy}").status_code == 304


# ---------------------------------------------------------------- the delta


def test_a_tick_sends_that_row_alone_out_of_band_with_the_counters(invigilator_client, session):
    with at(-1):
        candidates = room(session, 5)
    with at(0):
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.4):  # 24 s later, the same minute
        candidate_set_presence(candidate=candidates[2], present=True, by=None)
        response = poll(invigilator_client, session, copy)
    html = body(response)
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"  # nothing swapped in place: the list stays
    assert response["Cache-Control"] == "no-store"  # never a cached body for the list's address
    assert row_ids(html) == [candidates[2].pk]
    assert f'<li id="candidate-{candidates[2].pk}" class="candidate-row is-present"' in html
    assert 'hx-swap-oob="true"><form' in html
    assert f'id="presence-{candidates[2].pk}" name="present" value="1" checked' in html
    assert 'id="candidate-list"' not in html
    assert '<p id="presence-count" class="presence-count" hx-swap-oob="true"><strong>1/5</strong>' in html
    assert '<p id="live-summary" class="live-summary" hx-swap-oob="true">0 en cours · 0 ' in html
    assert '<p id="alert-count" class="alert-count is-empty" role="status" hx-swap-oob="true">' in html
    assert response["ETag"] != copy


def test_an_answer_sends_that_row_with_its_activity(invigilator_client, session, bank):
    with at(-1):
        certification = started(session, "Zola")
        other = started(session, "Abel")
    with at(0):
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.4):  # 24 s later, the same minute
        certification_answer(certification=certification, user=certification.user, index=0, skip=True)
        response = poll(invigilator_client, session, copy)
    html = body(response)
    assert row_ids(html) == [certification.candidate_id]
    assert other.candidate_id not in row_ids(html)
    assert "Dernière réponse à l&#x27;instant" in html or "Dernière réponse à l'instant" in html
    assert 'hx-swap-oob="true">2 en cours · ' in html


def test_the_counters_of_a_delta_are_those_of_the_whole_list(invigilator_client, session, bank):
    """The delta builds the changed rows alone and counts the room in SQL: the same figures as the
    whole list's, in a room where some are absent, ticked, in progress, finished and ended."""
    with at(-1):
        room(session, 3)
        ticked = [CandidateFactory(session=session, last_name=f"Coché{i}", first_name="Léa") for i in range(2)]
        tests = [started(session, f"Test{i}") for i in range(4)]
        certification_end_by_invigilator(candidate=tests[3].candidate, by=None)
    with at(0):
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.4):
        for candidate in ticked:
            candidate_set_presence(candidate=candidate, present=True, by=None)
        certification_answer(certification=tests[0], user=tests[0].user, index=0, skip=True)
        delta = body(poll(invigilator_client, session, copy))
        whole = body(poll(invigilator_client, session))

    def counters(html: str) -> list[str]:
        found = re.findall(r'<p id="(presence-count|live-summary)"[^>]*>(.*?)</p>', html, re.S)
        return [text for _id, text in sorted(found)]

    assert counters(delta) == counters(whole)
    assert "3 en cours · 1 terminé" in delta


def test_a_delta_with_no_row_changed_still_counts_the_room(session, bank):
    """The counters and the changed rows come in one query: with no row changed since the copy,
    the counters' row comes alone (and nothing of it is read as a row)."""
    from invigilation import selectors

    with at(-1):
        room(session, 2)
        tests = [started(session, f"Test{i}") for i in range(3)]
        certification_end_by_invigilator(candidate=tests[2].candidate, by=None)
    with at(0):
        since = T0 + dt.timedelta(seconds=1)
        quiet = selectors.changed_rows(session, "", since, None)
    with at(0.1):
        certification_answer(certification=tests[0], user=tests[0].user, index=0, skip=True)
        moved = selectors.changed_rows(session, "", since, None)
    assert quiet.rows == []
    assert (quiet.total, quiet.in_progress, quiet.finished) == (5, 2, 1)
    assert [row.pk for row in moved.rows] == [tests[0].candidate_id]
    assert (moved.total, moved.in_progress, moved.finished) == (5, 2, 1)


def test_a_delta_sends_only_the_rows_of_the_searched_list(invigilator_client, session):
    with at(-1):
        durand = CandidateFactory(session=session, last_name="Durand", first_name="Simon")
        martin = CandidateFactory(session=session, last_name="Martin", first_name="Léa")
    with at(0):
        copy = poll(invigilator_client, session, query="dur")["ETag"]
    with at(0.4):  # 24 s later, the same minute
        candidate_set_presence(candidate=martin, present=True, by=None)
        candidate_set_presence(candidate=durand, present=True, by=None)
        response = poll(invigilator_client, session, copy, query="dur")
    assert row_ids(body(response)) == [durand.pk]


@pytest.mark.parametrize("size", [3, 30])
def test_the_delta_query_count_does_not_grow_with_the_room(
    invigilator_client, session, bank, size, django_assert_num_queries
):
    with at(-1):
        certifications = [started(session, f"Nom{i:02d}") for i in range(size)]
        live_alert_open(certification=certifications[0], user=certifications[0].user, index=0, code="E1")
    with at(0):
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.4):  # 24 s later, the same minute
        for certification in certifications[1:3]:
            certification_answer(certification=certification, user=certification.user, index=0, skip=True)
        # stamp + access, then the counters with the changed rows alone (their alert and reports)
        with django_assert_num_queries(2):
            response = poll(invigilator_client, session, copy)
    assert response.status_code == 200 and response["X-Pix-List-Delta"] == "2"


@pytest.mark.parametrize("size", [3, 30])
def test_the_full_list_query_count_does_not_grow_with_the_room(
    invigilator_client, session, bank, size, django_assert_num_queries
):
    with at(0):
        certifications = [started(session, f"Nom{i:02d}") for i in range(size)]
        live_alert_open(certification=certifications[0], user=certifications[0].user, index=0, code="E1")
        # stamp + access, then every row with its alert and reports in one query
        with django_assert_num_queries(2):
            response = poll(invigilator_client, session)
    assert response.status_code == 200 and 'id="candidate-list"' in body(response)


# ---------------------------------------------------------------- when the whole list comes


def whole_list(response) -> bool:
    return response.status_code == 200 and 'id="candidate-list"' in body(response) and "HX-Reswap" not in response


def test_a_new_live_alert_reorders_the_list_so_it_comes_whole(invigilator_client, session, bank):
    with at(0):
        certification = started(session, "Zola")
        started(session, "Abel")
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.4):  # 24 s later, the same minute
        live_alert_open(certification=certification, user=certification.user, index=0, code="E1")
        response = poll(invigilator_client, session, copy)
    assert whole_list(response)
    assert row_ids(body(response))[0] == certification.candidate_id  # the alert first


def test_a_handled_alert_comes_whole_too(invigilator_client, invigilator_user, session, bank):
    with at(0):
        certification = started(session, "Zola")
        alert = live_alert_open(certification=certification, user=certification.user, index=0, code="E1")
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.4):  # 24 s later, the same minute
        live_alert_refuse(alert=alert, by=invigilator_user)
        assert whole_list(poll(invigilator_client, session, copy))


def test_a_session_level_change_comes_whole(invigilator_client, session):
    with at(0):
        first, *_ = room(session, 2)
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.4):  # 24 s later, the same minute
        candidate_set_presence(candidate=first, present=True, by=None)
        session_touch(session)
        assert whole_list(poll(invigilator_client, session, copy))


def test_a_turned_minute_comes_whole(invigilator_client, session, bank):
    with at(0):
        certification = started(session, "Zola")
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.6):  # the next minute: "Dernière réponse il y a 1 min" on every row that shows it
        certification_answer(certification=certification, user=certification.user, index=0, skip=True)
        assert whole_list(poll(invigilator_client, session, copy))


def test_a_copy_of_another_search_comes_whole(invigilator_client, session):
    with at(0):
        first, *_ = room(session, 2)
        copy = poll(invigilator_client, session, query="nom")["ETag"]
    with at(0.4):  # 24 s later, the same minute
        candidate_set_presence(candidate=first, present=True, by=None)
        assert whole_list(poll(invigilator_client, session, copy))


def test_without_the_pages_copy_header_the_answer_is_whole(invigilator_client, session):
    """If-None-Match alone (a plain HTTP client, or the browser's own revalidation of a cached
    whole list) never gets a delta: only the page's script asks for one."""
    with at(0):
        first, *_ = room(session, 2)
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.4):  # 24 s later, the same minute
        candidate_set_presence(candidate=first, present=True, by=None)
        response = invigilator_client.get(url(session), HTTP_IF_NONE_MATCH=copy, HTTP_HX_REQUEST="true")
    assert whole_list(response)
    assert response["Cache-Control"] == "private, no-cache"


def test_a_copy_of_another_session_is_no_base_for_a_delta(invigilator_client, invigilator_user, session, center):
    with at(0):
        first, *_ = room(session, 2)
        other = SessionFactory(center=center, date=DAY, time=dt.time(9, 0))
        InvigilatorAccess.objects.create(user=invigilator_user, session=other)
        CandidateFactory(session=other)
        copy = poll(invigilator_client, other)["ETag"]
    with at(0.4):  # 24 s later, the same minute
        candidate_set_presence(candidate=first, present=True, by=None)
        assert whole_list(poll(invigilator_client, session, copy))


def test_a_garbled_copy_header_gives_the_whole_list(invigilator_client, session):
    room(session, 2)
    for garbled in ['"x"', "nonsense", '"3-1-2-created-0-0.0-abc-0"', 'W/"--"']:
        assert whole_list(poll(invigilator_client, session, garbled))


# ---------------------------------------------------------------- compression


def test_the_list_is_gzipped_with_a_random_length_when_the_client_accepts_it(invigilator_client, session):
    room(session, 20)
    sizes = set()
    for _ in range(8):
        response = poll(invigilator_client, session, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"].startswith('W/"')
        sizes.add(len(response.content))
        assert 'id="candidate-list"' in gzip.decompress(response.content).decode()
    assert len(sizes) > 1  # "Heal The Breach": a random-length file name in the gzip header


def test_the_list_is_not_compressed_for_a_client_that_does_not_accept_it(invigilator_client, session):
    room(session, 20)
    response = poll(invigilator_client, session)
    assert "Content-Encoding" not in response


def test_the_session_page_with_the_access_code_is_never_compressed_by_the_app(invigilator_client, session):
    room(session, 20)
    response = invigilator_client.get(reverse("invigilation:session", args=[session.pk]), HTTP_ACCEPT_ENCODING="gzip")
    assert session.access_code in body(response)
    assert "Content-Encoding" not in response


def test_a_changed_row_reads_in_the_delta_as_in_the_whole_list(invigilator_client, session, bank):
    """The delta's hand-written query gives a row what the whole list gives it: its open alert
    (number, category), the reports entered during the session (not those of the finalisation)."""
    with at(-1):
        certification = started(session, "Zola")
        started(session, "Abel")
        for source in (IssueReportSource.INVIGILATOR, IssueReportSource.INVIGILATOR, IssueReportSource.FINALISATION):
            IssueReport.objects.create(certification=certification, code="C1", category="x", source=source)
        certification_answer(certification=certification, user=certification.user, index=0, skip=True)
        live_alert_open(certification=certification, user=certification.user, index=1, code="E1")
    with at(0):
        copy = poll(invigilator_client, session)["ETag"]
    with at(0.4):  # the same minute: the row changed (as a tick or a resume stamps it)
        Candidate.objects.filter(pk=certification.candidate_id).update(changed_at=dt.datetime.now(dt.UTC))
        delta = poll(invigilator_client, session, copy)
        whole = body(poll(invigilator_client, session))
    assert delta["X-Pix-List-Delta"] == "1"

    def row(html: str) -> str:
        found = re.search(rf'<li id="candidate-{certification.candidate_id}".*?</li>', html, re.S)
        assert found
        tokens = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", found.group(0))
        return tokens.replace(' hx-swap-oob="true"', "")

    assert row(body(delta)) == row(whole)
    assert "2 incidents saisis" in row(whole)
    assert "Signalement en cours — question 2" in row(whole)
