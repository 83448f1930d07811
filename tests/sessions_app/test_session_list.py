import datetime as dt
from html import unescape

import pytest
import time_machine
from django.utils import timezone

from sessions_app.models import SessionStatus
from tests.factories import CandidateFactory, CertificationFactory, SessionFactory


def text(response) -> str:
    return unescape(response.content.decode())


def numbers(response) -> list[int]:
    return [s.pk for s in response.context["sessions"]]


def test_an_empty_centre_is_invited_to_create_its_first_session(center_admin_client):
    html = text(center_admin_client.get("/sessions/liste"))
    assert "Créez votre première session de certification" in html
    assert 'href="/sessions/creation">Créer une session +</a>' in html
    assert "<table" not in html


def test_the_list_shows_the_guides_columns_and_the_button_on_top(center_admin_client, session):
    session.time = dt.time(9, 0)
    session.save(update_fields=["time"])
    html = text(center_admin_client.get("/sessions/liste"))
    assert html.index("Créer une session +") < html.index("<table")
    for column in [
        "N° de session",
        "Nom du site",
        "Salle",
        "Date",
        "Heure",
        "Surveillant(s)",
        "Candidats inscrits",
        "Certifications passées",
        "Statut",
    ]:
        assert f">{column}" in html
    assert f"{session.date:%d/%m/%Y}" in html and "09:00" in html and "Créée" in html


def test_the_list_shows_only_the_current_centres_sessions(center_admin_client, center, pro_center):
    ours = SessionFactory(center=center)
    SessionFactory(center=pro_center)
    assert numbers(center_admin_client.get("/sessions/liste")) == [ours.pk]


def test_the_list_counts_enrolled_candidates_and_certifications_passed(center_admin_client, session):
    CandidateFactory.create_batch(3, session=session)
    CertificationFactory(candidate__session=session)
    row = center_admin_client.get("/sessions/liste").context["sessions"][0]
    assert (row.enrolled_count, row.started_count) == (4, 1)


def test_the_default_order_is_date_then_time_newest_first(center_admin_client, center):
    a = SessionFactory(center=center, date=dt.date(2030, 1, 1), time=dt.time(9, 0))
    b = SessionFactory(center=center, date=dt.date(2030, 1, 2), time=dt.time(8, 0))
    c = SessionFactory(center=center, date=dt.date(2030, 1, 2), time=dt.time(14, 0))
    response = center_admin_client.get("/sessions/liste")
    assert numbers(response) == [c.pk, b.pk, a.pk]
    assert 'aria-sort="descending"><a href="?tri=date&amp;ordre=asc">Date' in response.content.decode()


def test_sorting_by_site_ascending_then_descending(center_admin_client, center):
    b = SessionFactory(center=center, address="Bordeaux")
    a = SessionFactory(center=center, address="Amiens")
    assert numbers(center_admin_client.get("/sessions/liste?tri=site&ordre=asc")) == [a.pk, b.pk]
    response = center_admin_client.get("/sessions/liste?tri=site&ordre=desc")
    assert numbers(response) == [b.pk, a.pk]
    html = response.content.decode()
    assert 'aria-sort="descending"><a href="?tri=site&amp;ordre=asc">Nom du site' in html
    assert html.count("aria-sort=") == 1


@pytest.mark.parametrize(
    "key", ["numero", "site", "salle", "date", "heure", "surveillants", "inscrits", "passees", "statut"]
)
def test_every_column_can_be_sorted(center_admin_client, center, key):
    SessionFactory.create_batch(2, center=center)
    response = center_admin_client.get(f"/sessions/liste?tri={key}&ordre=asc")
    assert response.status_code == 200
    assert 'aria-sort="ascending"' in response.content.decode()


def test_sorting_by_enrolled_candidates(center_admin_client, center):
    few = SessionFactory(center=center)
    many = SessionFactory(center=center)
    CandidateFactory.create_batch(2, session=many)
    assert numbers(center_admin_client.get("/sessions/liste?tri=inscrits&ordre=desc")) == [many.pk, few.pk]


def test_the_status_filter_keeps_staffs_in_process_sessions_as_finalised(center_admin_client, center):
    now = timezone.now()
    SessionFactory(center=center)
    finalized = SessionFactory(center=center, status=SessionStatus.FINALIZED, finalized_at=now)
    in_process = SessionFactory(center=center, status=SessionStatus.IN_PROCESS, finalized_at=now)
    response = center_admin_client.get("/sessions/liste?statut=finalized&tri=numero&ordre=asc")
    assert numbers(response) == [finalized.pk, in_process.pk]
    assert "En cours de traitement" not in response.content.decode()


@pytest.mark.parametrize("query", ["Pasteur", "pasteur", "B12", "girard"])
def test_the_search_looks_in_site_room_and_invigilators(center_admin_client, center, query):
    match = SessionFactory(center=center, address="Annexe Pasteur", room="Salle B12", examiner="M. Girard")
    SessionFactory(center=center, address="Collège", room="CDI", examiner="Mme Roux")
    assert numbers(center_admin_client.get(f"/sessions/liste?q={query}")) == [match.pk]


def test_the_search_finds_a_session_by_its_number(center_admin_client, center):
    match = SessionFactory(center=center, room="CDI")
    SessionFactory(center=center, room="Salle informatique")
    assert numbers(center_admin_client.get(f"/sessions/liste?q={match.pk}")) == [match.pk]


def test_a_search_with_no_result_says_so(center_admin_client, session):
    html = text(center_admin_client.get("/sessions/liste?q=introuvable"))
    assert "Aucune session ne correspond à votre recherche." in html
    assert "Créez votre première session" not in html


@pytest.mark.parametrize(
    "query",
    [
        "tri=;DROP TABLE&ordre=sideways",
        "statut=perdu",
        "page=abc",
        "page=-3",
        "page=99999999999999999999999",
        "q=" + "x" * 5000,
        "q=%00",
        "q=12345678901234567890123",
        "tri=date&tri=site&ordre[]=1",
    ],
)
def test_garbage_parameters_are_ignored_never_a_500(center_admin_client, session, query):
    response = center_admin_client.get(f"/sessions/liste?{query}")
    assert response.status_code == 200


def test_a_garbage_sort_falls_back_to_the_default_but_keeps_the_valid_filter(center_admin_client, center):
    SessionFactory(center=center, room="CDI")
    kept = SessionFactory(center=center, room="Salle B12")
    response = center_admin_client.get("/sessions/liste?tri=nope&q=B12")
    assert numbers(response) == [kept.pk]
    assert 'aria-sort="descending"><a href="?q=B12&amp;tri=date&amp;ordre=asc">Date' in response.content.decode()


def test_the_list_is_paginated_by_25(center_admin_client, center):
    SessionFactory.create_batch(30, center=center)
    first = center_admin_client.get("/sessions/liste")
    second = center_admin_client.get("/sessions/liste?page=2")
    assert len(first.context["sessions"]) == 25
    assert len(second.context["sessions"]) == 5
    assert '<span aria-current="page"><span class="visually-hidden">Page </span>2</span>' in second.content.decode()
    assert "page=2" in first.content.decode()


def test_pagination_links_keep_the_filters_and_the_sort(center_admin_client, center):
    SessionFactory.create_batch(26, center=center, room="Salle B12")
    html = center_admin_client.get("/sessions/liste?q=B12&tri=salle&ordre=asc").content.decode()
    assert "?q=B12&amp;tri=salle&amp;ordre=asc&amp;page=2" in html


def flagged_overdue(client, user, center, now: dt.datetime) -> bool:
    started = dt.datetime(2030, 3, 1, 8, 30, tzinfo=dt.UTC)
    SessionFactory(center=center, date=dt.date(2030, 3, 1), time=dt.time(9, 0), started_at=started)
    with time_machine.travel(now, tick=False):
        client.force_login(user)
        return "À finaliser" in client.get("/sessions/liste").content.decode()


def test_a_session_not_finalised_48_hours_after_it_started_is_flagged(client, admin_user, center):
    assert flagged_overdue(client, admin_user, center, dt.datetime(2030, 3, 3, 12, 0, tzinfo=dt.UTC))


def test_a_session_started_yesterday_is_not_yet_flagged(client, admin_user, center):
    assert not flagged_overdue(client, admin_user, center, dt.datetime(2030, 3, 2, 12, 0, tzinfo=dt.UTC))


def test_delete_is_offered_with_a_confirmation_only_for_sessions_not_started(center_admin_client, center):
    open_session = SessionFactory(center=center)
    started = SessionFactory(center=center, started_at=timezone.now())
    finalized = SessionFactory(center=center, status=SessionStatus.FINALIZED, finalized_at=timezone.now())
    html = center_admin_client.get("/sessions/liste").content.decode()
    assert f'action="/sessions/{open_session.pk}/suppression" data-confirm="#confirm-delete-{open_session.pk}"' in html
    assert f'<dialog id="confirm-delete-{open_session.pk}"' in html
    assert f"/sessions/{started.pk}/suppression" not in html
    assert f"/sessions/{finalized.pk}/suppression" not in html


@pytest.mark.parametrize("count", [5, 60])
def test_the_list_runs_a_constant_number_of_queries(center_admin_client, center, count, django_assert_max_num_queries):
    for session in SessionFactory.create_batch(count, center=center):
        CandidateFactory.create_batch(2, session=session)
    center_admin_client.get("/sessions/liste")  # warm the login session
    with django_assert_max_num_queries(6):
        response = center_admin_client.get("/sessions/liste?tri=inscrits&statut=created&q=Salle")
    assert response.status_code == 200
